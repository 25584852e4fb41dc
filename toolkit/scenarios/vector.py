"""The model, vectorised: many draws (or many patients) adjudicated at once with numpy.

Why a second adjudicator: a Monte Carlo of 10,000 draws or a clinic's 10,000-patient batch
through the exact engine would take minutes. Here the loop runs over *claim lines* (a few
dozen) and every step works on arrays with one entry per draw, in int64 cents, mirroring
:class:`toolkit.adjudication.Adjudicator` rule for rule: deductible, coinsurance or copay
(before or after the deductible), the out-of-pocket cap, plan-year reset, Medicare
supplement, out-of-network allowed amounts and balance bills, superbill reimbursement, the
Spravato savings program (calendar-year caps) and accumulator programs.

How the claim lines are laid out: each draw belongs to a *template* (a scenario). The line
structure of a template (dates, routes, what drives each line's price) comes from the engine
itself (:func:`toolkit.claims.price_sessions` on :func:`toolkit.schedule.build_schedule`),
cached by everything that shapes it, with dates kept relative to the first session so
patients who differ only in their start date share one structure. Only the *amounts* are
computed here, per draw, from the price drivers (infusion, booster, consultation, device,
observation visit, cash price). Tests check that every example and random scenarios give
the exact engine's result to the cent.

Lines are padded to the longest template; padding lines cost nothing and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np

from ..adjudication import Adjudicator, plan_year_start
from ..claims import price_sessions, resolve_fraction_bp, resolve_price
from ..compare import OPTIONS, OUTCOMES
from ..coverage import assess
from ..datasets import Dataset
from ..money import rate_to_bp, to_cents
from ..scenario import Scenario
from ..schedule import build_schedule, horizon_end
from .levers import iv_booster_cents, iv_infusion_cents, scale_half_up

INF = 1 << 50  # "no cap": larger than any patient's share, far from int64 overflow
BP = 10_000
P_SCALE = 10**8  # likelihoods as integers over 10^8 (coverage data and overrides need 5 decimals)
EPOCH = date(1970, 1, 1).toordinal()

# routes
R_SELF, R_IN, R_OUT, R_SUPERBILL = 0, 1, 2, 3
ROUTE_CODE = {"self_pay": R_SELF, "in_network": R_IN, "out_of_network": R_OUT, "superbill": R_SUPERBILL}
# what sets a line's billed amount (row of the price matrix)
DRIVERS = ("fixed", "iv_infusion", "iv_infusion_first", "iv_booster", "iv_consultation", "spravato_device", "spravato_observation", "spravato_cash")
D = {name: i for i, name in enumerate(DRIVERS)}
SAVINGS_CODE = {"": 0, "drug": 1, "observation": 2}

# per-draw inputs a caller may override (ints: cents or basis points)
OVERRIDABLE = ("iv_infusion", "iv_booster", "iv_consultation", "iv_discount_bp", "spravato_device", "spravato_observation", "spravato_cash", "oon_bp", "drug_cap")


@dataclass
class Structure:
    """The claim lines of one option and outcome for a template, dates relative to the start."""

    offset: np.ndarray  # days after the first session
    route: np.ndarray
    pharmacy: np.ndarray
    visit: np.ndarray
    savings: np.ndarray
    driver: np.ndarray
    mult: np.ndarray  # devices for a drug line, else 1
    fixed: np.ndarray  # billed amount of lines priced from data rows (not a clinic price)

    @property
    def size(self) -> int:
        return len(self.offset)


def _structure_base(s: Scenario) -> tuple:
    """Everything that shapes a scenario's claim lines, except the start date (dates are relative)."""
    p = s.plan
    days = (horizon_end(s) - s.start_date).days
    return (s.schedule.model_dump_json(), s.indication.value, days, p.payer_type.value, p.iv_claim_route, p.spravato_drug_benefit, p.spravato_clinic_in_network)


def build_structure(s: Scenario, ds: Dataset, option: str, outcome: str) -> Structure:
    """Line layout from the engine: which lines exist, their route and what prices them."""
    probe = s
    if option == "iv_ketamine":
        # a consultation line always exists in the layout; a $0 consultation costs nothing
        probe = s.model_copy(update={"prices": s.prices.model_copy(update={"iv_consultation": Decimal(1)})})
    sessions = build_schedule(s, ds, option)
    by_number = {x.number: x for x in sessions}
    lines = sorted(price_sessions(probe, ds, option, sessions, outcome, "typical"), key=lambda x: (x.day, x.session))
    n = len(lines)
    st = Structure(*(np.zeros(n, dtype=np.int64) for _ in range(8)))
    for j, ln in enumerate(lines):
        sess = by_number[ln.session]
        st.offset[j] = (ln.day - s.start_date).days
        st.route[j] = ROUTE_CODE[ln.route]
        st.pharmacy[j] = ln.pharmacy
        st.visit[j] = ln.kind == "visit"
        st.savings[j] = SAVINGS_CODE[ln.savings_kind]
        st.mult[j] = 1
        if option == "iv_ketamine":
            if ln.route == "in_network":
                drv = "fixed"
            elif ln.kind == "consultation":
                drv = "iv_consultation"
            elif sess.phase == "booster":
                drv = "iv_booster"
            elif sess.phase == "first series":
                drv = "iv_infusion_first"
            else:
                drv = "iv_infusion"
        else:
            drv = {"self_pay": "spravato_cash", "bundle": "fixed", "drug": "spravato_device", "visit": "spravato_observation"}[ln.kind]
            if drv == "spravato_device":
                st.mult[j] = sess.devices
        st.driver[j] = D[drv]
        if drv == "fixed":
            st.fixed[j] = ln.billed
    return st


@dataclass
class Template:
    """Everything per scenario that the vectorised adjudicator needs, as plain numbers."""

    start: date
    horizon: int
    values: dict[str, int]
    plan: dict[str, int]
    likelihood: dict[str, tuple[int, int, int]]  # per option: low, typical, high x 10^8


def _p_int(p: Decimal) -> int:
    v = Decimal(p) * P_SCALE
    if v != v.to_integral_value():
        raise ValueError(f"likelihood {p} has more than 8 decimals")
    return int(v)


def _tier(t) -> tuple[int, int, int, int, int, int]:
    return (
        to_cents(t.deductible), to_cents(t.deductible_met), rate_to_bp(t.coinsurance_pct / 100),
        to_cents(t.copay), INF if t.oop_max is None else to_cents(t.oop_max), to_cents(t.oop_met),
    )


def _plan_numbers(s: Scenario, ds: Dataset) -> dict[str, int]:
    """The plan's rules as integers (cents, basis points, flags), read the way the Adjudicator reads them."""
    adj = Adjudicator(s, ds, "typical")
    plan = s.plan
    ind, outn = _tier(plan.in_network), plan.out_of_network
    o = _tier(outn) if outn is not None else (0, 0, 0, 0, INF, 0)
    return {
        "start_month": adj.start_month,
        "medigap": int(adj.medicare and plan.medicare_supplement),
        "in_ded": ind[0], "in_dmet": ind[1], "in_coins": ind[2], "in_copay": ind[3], "in_oop": ind[4], "in_omet": ind[5],
        "out_exists": int(outn is not None),
        "out_ded": o[0], "out_dmet": o[1], "out_coins": o[2], "out_copay": o[3], "out_oop": o[4], "out_omet": o[5],
        "oon_bp": adj.oon_allowed_bp, "pharm_bp": adj.pharmacy_bp, "pharm_copay": adj.pharmacy_copay,
        "copay_before": int(plan.copay_before_deductible), "copay_counts": int(plan.copays_count_toward_deductible),
        "acc_adj": int(plan.accumulator_adjustment), "savings_ok": int(adj.savings_ok), "rebate_ok": int(adj.rebate_ok),
        "drug_floor": adj.drug_floor, "drug_cap": adj.drug_cap, "obs_floor": adj.obs_floor, "obs_cap": adj.obs_cap,
    }


def _price_numbers(s: Scenario, ds: Dataset) -> dict[str, int]:
    """Each price driver in cents at typical level: the clinic quote when typed, else the data row."""
    p = s.prices
    return {
        "iv_infusion": iv_infusion_cents(s, ds),
        "iv_booster": iv_booster_cents(s, ds),
        "iv_consultation": resolve_price(p.iv_consultation, ds, "iv.consultation", "typical").cents,
        "iv_discount_bp": resolve_fraction_bp(p.iv_package_discount_pct, ds, "iv.package_discount", "typical")[0],
        "spravato_device": resolve_price(p.spravato_device, ds, "spravato.device_28mg", "typical").cents,
        "spravato_observation": resolve_price(p.spravato_observation, ds, "spravato.observation_visit", "typical").cents,
        "spravato_cash": resolve_price(p.spravato_cash_session, ds, "spravato.cash_per_session", "typical").cents,
    }


def build_template(s: Scenario, ds: Dataset, caches: dict | None = None) -> Template:
    """Per-scenario numbers; ``caches`` shares work between patients with the same plan or prices."""
    caches = caches if caches is not None else {}
    plan_cache = caches.setdefault("plan", {})
    price_cache = caches.setdefault("price", {})
    cov_cache = caches.setdefault("coverage", {})
    key = s.plan.model_dump_json()
    if key not in plan_cache:
        plan_cache[key] = _plan_numbers(s, ds)
    pl = dict(plan_cache[key])
    pl["first_py"] = plan_year_start(s.start_date, pl["start_month"]).year
    key = (s.prices.model_dump_json(), s.schedule.iv_protocol)
    if key not in price_cache:
        price_cache[key] = _price_numbers(s, ds)
    values = dict(price_cache[key])
    values["oon_bp"] = pl["oon_bp"]
    values["drug_cap"] = pl["drug_cap"]
    lik = {}
    history = s.history.model_dump_json()
    overrides = tuple(x.model_dump_json() if x is not None else "" for x in (s.iv_likelihood_pct, s.spravato_likelihood_pct))
    for option in OPTIONS:
        key = (option, s.plan.payer_type.value, s.indication.value, history, overrides)
        if key not in cov_cache:
            cov_cache[key] = tuple(_p_int(x) for x in assess(s, ds, option).likelihood)
        lik[option] = cov_cache[key]
    return Template(s.start_date, s.horizon_months, values, pl, lik)


# --------------------------------------------------------------------------- dates


def _calendar(day_ord: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day of month, days in month) of day ordinals, via a small lookup table."""
    lo, hi = int(day_ord.min()), int(day_ord.max())
    d64 = (np.arange(lo, hi + 1, dtype=np.int64) - EPOCH).astype("datetime64[D]")
    m64 = d64.astype("datetime64[M]")
    months = m64.astype(np.int64)
    dom = (d64 - m64.astype("datetime64[D]")).astype(np.int64) + 1
    dim = ((m64 + 1).astype("datetime64[D]") - m64.astype("datetime64[D]")).astype(np.int64)
    i = day_ord - lo
    return (months // 12 + 1970)[i], (months % 12 + 1)[i], dom[i], dim[i]


def _date_fields(day_ord: np.ndarray, start: np.ndarray, start_month: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plan year, calendar year, treatment month index) for day ordinals, vectorised.

    Mirrors :func:`toolkit.adjudication.plan_year_start` and :func:`toolkit.schedule.month_index`.

    Example: first session 31 Dec 2026, plan year from July. 30 Jan 2027 is in treatment
    month 0 (month 1 starts 31 Jan); 28 Feb 2027 already starts month 2 (31 Dec + 2 months is
    clamped to 28 Feb), as :func:`toolkit.schedule.month_index` says.

    >>> d = np.array([[date(2027, 1, 30).toordinal(), date(2027, 2, 28).toordinal()]])
    >>> s = np.array([[date(2026, 12, 31).toordinal()] * 2])
    >>> [a.tolist() for a in _date_fields(d, s, np.array([[7, 7]]))]
    [[[2026, 2026]], [[2027, 2027]], [[0, 2]]]
    """
    year, month, dom, dim = _calendar(day_ord)
    s_year, s_month, s_dom, _ = _calendar(np.broadcast_to(start, day_ord.shape))
    k = (year - s_year) * 12 + month - s_month
    k -= (np.minimum(s_dom, dim) > dom).astype(np.int64)
    plan_year = np.where(month >= start_month, year, year - 1)
    return plan_year, year, k


# --------------------------------------------------------------------------- money rules, vectorised


def _share(amount: np.ndarray, bp: np.ndarray) -> np.ndarray:
    """:func:`toolkit.money.share` on arrays: round half up to the cent."""
    return (amount * bp + BP // 2) // BP


def _cap(d, c, p, oop_left):
    """:func:`toolkit.benefit_rules._apply_cap`: the cap takes copay, then coinsurance, then deductible."""
    total = d + c + p
    cut = total - np.maximum(0, np.minimum(total, oop_left))
    take_p = np.minimum(p, cut)
    take_c = np.minimum(c, cut - take_p)
    take_d = cut - take_p - take_c
    return d - take_d, c - take_c, p - take_p


@dataclass
class Layout:
    """Per-draw claim lines of one option and outcome: arrays of shape (lines, draws)."""

    valid: np.ndarray
    billed: np.ndarray
    route: np.ndarray
    pharmacy: np.ndarray
    visit: np.ndarray
    savings: np.ndarray
    plan_year: np.ndarray
    cal_year: np.ndarray
    month: np.ndarray
    any_claim: np.ndarray = field(default=None)  # per line: does any draw file a claim?


def adjudicate_arrays(lay: Layout, pl: dict[str, np.ndarray], months: int) -> np.ndarray:
    """Net patient cost per draw and treatment month, (draws, months) int64 cents.

    One pass over the claim lines in date order, every step on arrays of draws; the rules are
    those of :class:`toolkit.adjudication.Adjudicator` (see its ``run`` and ``_line``).
    """
    L, N = lay.billed.shape
    out = np.zeros((N, months), dtype=np.int64)
    rows = np.arange(N)
    if L == 0:
        return out
    if not lay.any_claim.any():
        # every line self-paid by every draw: net = billed
        for j in range(L):
            out[rows, lay.month[j]] += lay.billed[j]
        return out
    cur_py = np.full(N, -1, dtype=np.int64)
    cur_cal = np.full(N, -1, dtype=np.int64)
    in_dmet = np.zeros(N, dtype=np.int64)
    in_omet = np.zeros(N, dtype=np.int64)
    out_dmet = np.zeros(N, dtype=np.int64)
    out_omet = np.zeros(N, dtype=np.int64)
    drug_left = np.zeros(N, dtype=np.int64)
    obs_left = np.zeros(N, dtype=np.int64)
    out_exists = pl["out_exists"].astype(bool)
    before = pl["copay_before"].astype(bool)
    counts = pl["copay_counts"].astype(bool) & before
    medigap = pl["medigap"].astype(bool)
    acc_adj = pl["acc_adj"].astype(bool)
    savings_ok = pl["savings_ok"].astype(bool)
    rebate_ok = pl["rebate_ok"].astype(bool)
    for j in range(L):
        valid = lay.valid[j]
        billed = lay.billed[j]
        if not lay.any_claim[j]:
            # self-pay for every draw: no claim, no accumulator, no savings (self-pay lines carry none)
            out[rows, lay.month[j]] += billed
            continue
        # plan-year reset (the first claim line of a year starts fresh accumulators)
        py = lay.plan_year[j]
        new = valid & (py != cur_py)
        if new.any():
            first = py == pl["first_py"]
            in_dmet = np.where(new, np.where(first, pl["in_dmet"], 0), in_dmet)
            in_omet = np.where(new, np.where(first, pl["in_omet"], 0), in_omet)
            out_dmet = np.where(new, np.where(first, pl["out_dmet"], 0), out_dmet)
            out_omet = np.where(new, np.where(first, pl["out_omet"], 0), out_omet)
            cur_py = np.where(new, py, cur_py)
        cy = lay.cal_year[j]
        newc = valid & (cy != cur_cal)
        if newc.any():
            drug_left = np.where(newc, pl["drug_cap"], drug_left)
            obs_left = np.where(newc, pl["obs_cap"], obs_left)
            cur_cal = np.where(newc, cy, cur_cal)

        route = lay.route[j]
        is_in = route == R_IN
        is_sb = route == R_SUPERBILL
        is_out = (route == R_OUT) | is_sb
        claim = valid & (is_in | (is_out & out_exists))
        ded = np.where(is_in, pl["in_ded"], pl["out_ded"])
        dmet = np.where(is_in, in_dmet, out_dmet)
        omet = np.where(is_in, in_omet, out_omet)
        oop = np.where(is_in, pl["in_oop"], pl["out_oop"])
        ded_left = np.maximum(0, ded - dmet)
        oop_left = np.maximum(0, oop - omet)
        oon_allowed = np.minimum(billed, _share(billed, pl["oon_bp"]))
        allowed = np.where(is_in, billed, oon_allowed)
        coins = np.where(is_in, pl["in_coins"], pl["out_coins"])
        copay = np.where(is_in, pl["in_copay"], pl["out_copay"])
        pharm = lay.pharmacy[j] & ~is_sb
        pharm_copay = pharm & (pl["pharm_copay"] > 0)
        copay_rule = pharm_copay | (~pharm & lay.visit[j] & (copay > 0) & ~is_sb)
        copay_amt = np.where(pharm, pl["pharm_copay"], copay)
        rate = np.where(pharm, pl["pharm_bp"], coins)
        d1 = np.maximum(0, np.minimum(allowed, ded_left))
        c = np.where(copay_rule, 0, _share(allowed - d1, rate))
        d = np.where(copay_rule & before, 0, d1)
        p = np.where(copay_rule, np.where(before, np.minimum(copay_amt, allowed), np.minimum(copay_amt, allowed - d1)), 0)
        d, c, p = _cap(d, c, p, oop_left)
        share_total = d + c + p
        # credit the accumulators (Medigap's payment still counts toward them)
        dmet_new = dmet + d
        omet_new = omet + share_total
        bump = counts & (p > 0) & ~is_sb
        dmet_new = np.where(bump, np.minimum(ded, dmet_new + p), dmet_new)
        patient_share = np.where(medigap & ~is_sb, d + p, share_total)
        bb = np.where(is_out, np.maximum(0, billed - allowed), 0)
        pays = np.where(claim & ~is_sb, patient_share + bb, billed)
        reimb = np.where(claim & is_sb, np.minimum(billed, allowed - share_total), 0)
        # Spravato savings program, calendar-year caps
        sk = lay.savings[j]
        use_drug = (pays > 0) & (sk == 1) & savings_ok
        use_obs = (pays > 0) & (sk == 2) & rebate_ok
        s_drug = np.maximum(0, np.minimum(pays - pl["drug_floor"], drug_left))
        s_obs = np.maximum(0, np.minimum(pays - pl["obs_floor"], obs_left))
        sav = np.where(use_drug, s_drug, np.where(use_obs, s_obs, 0))
        drug_left = drug_left - np.where(use_drug, s_drug, 0)
        obs_left = obs_left - np.where(use_obs, s_obs, 0)
        # accumulator programs: the manufacturer's payment does not count
        undo = claim & acc_adj & (sav > 0)
        counted = np.maximum(0, pays - bb - sav)
        dmet_new = np.where(undo, dmet_new - np.maximum(0, d - np.minimum(d, counted)), dmet_new)
        omet_new = np.where(undo, omet_new - ((pays - bb) - counted), omet_new)
        upd_in = claim & is_in
        upd_out = claim & ~is_in
        in_dmet = np.where(upd_in, dmet_new, in_dmet)
        in_omet = np.where(upd_in, omet_new, in_omet)
        out_dmet = np.where(upd_out, dmet_new, out_dmet)
        out_omet = np.where(upd_out, omet_new, out_omet)
        net = np.where(valid, pays - sav - reimb, 0)
        out[rows, lay.month[j]] += net
    return out


# --------------------------------------------------------------------------- assembling draws


@dataclass
class VectorResult:
    """Monthly net cost per draw: ``monthly[option][outcome]`` is (draws, months) int64 cents."""

    monthly: dict[str, dict[str, np.ndarray]]
    likelihood: dict[str, np.ndarray]  # per option: (draws, 3) low, typical, high x 10^8
    horizon: np.ndarray  # months per draw

    def cumulative(self, option: str, outcome: str) -> np.ndarray:
        return np.cumsum(self.monthly[option][outcome], axis=1)

    def expected(self, option: str, p_num: np.ndarray | None = None) -> np.ndarray:
        """Likelihood-weighted running totals, rounded half up like :func:`toolkit.compare.weigh`."""
        p = self.likelihood[option][:, 1] if p_num is None else p_num
        return weigh_array(p, self.cumulative(option, "approved"), self.cumulative(option, "denied"))


def weigh_array(p_num: np.ndarray, approved: np.ndarray, denied: np.ndarray) -> np.ndarray:
    """``p x approved + (1 - p) x denied`` rounded half up (away from zero), p = p_num / 10^8.

    >>> weigh_array(np.array([75_000_000]), np.array([100000]), np.array([500000])).tolist()
    [200000]
    """
    p = np.asarray(p_num, dtype=np.int64)
    if approved.ndim == 2 and p.ndim == 1:
        p = p[:, None]
    num = denied * P_SCALE + p * (approved - denied)
    pos = (2 * num + P_SCALE) // (2 * P_SCALE)
    neg = -((-2 * num + P_SCALE) // (2 * P_SCALE))
    return np.where(num >= 0, pos, neg)


def run_vector(
    scenarios: list[Scenario],
    ds: Dataset,
    which: np.ndarray | None = None,
    overrides: dict[str, np.ndarray] | None = None,
    options: tuple[str, ...] = OPTIONS,
    outcomes: tuple[str, ...] = OUTCOMES,
) -> VectorResult:
    """Adjudicate every draw: draw ``i`` is ``scenarios[which[i]]`` with ``overrides[k][i]`` applied.

    ``overrides`` keys are in :data:`OVERRIDABLE` (cents or basis points). Without ``which``,
    one draw per scenario (a batch).
    """
    K = len(scenarios)
    which = np.arange(K) if which is None else np.asarray(which, dtype=np.int64)
    N = len(which)
    caches: dict = {}
    templates = [build_template(s, ds, caches) for s in scenarios]
    bases = [_structure_base(s) for s in scenarios]
    months = max(t.horizon for t in templates)
    tv = {k: np.array([t.values[k] for t in templates], dtype=np.int64)[which] for k in OVERRIDABLE}
    for k, arr in (overrides or {}).items():
        if k not in OVERRIDABLE:
            raise KeyError(f"cannot override {k!r}")
        tv[k] = np.broadcast_to(np.asarray(arr, dtype=np.int64), (N,)).copy()
    pl = {k: np.array([t.plan[k] for t in templates], dtype=np.int64)[which] for k in templates[0].plan}
    pl["oon_bp"] = tv["oon_bp"]
    pl["drug_cap"] = tv["drug_cap"]
    first_series = tv["iv_infusion"] - _share(tv["iv_infusion"], tv["iv_discount_bp"])
    prices = np.stack([
        np.zeros(N, dtype=np.int64), tv["iv_infusion"], first_series, tv["iv_booster"], tv["iv_consultation"],
        tv["spravato_device"], tv["spravato_observation"], tv["spravato_cash"],
    ])
    start_ord = np.array([t.start.toordinal() for t in templates], dtype=np.int64)
    start_month = np.array([t.plan["start_month"] for t in templates], dtype=np.int64)
    cols = np.arange(N)
    monthly: dict[str, dict[str, np.ndarray]] = {}
    cache: dict[tuple, Structure] = {}
    for option in options:
        monthly[option] = {}
        for outcome in outcomes:
            structs = []
            for s, base in zip(scenarios, bases):
                key = (option, outcome, base)
                st = cache.get(key)
                if st is None:
                    st = cache[key] = build_structure(s, ds, option, outcome)
                structs.append(st)
            lay = _layout(structs, which, start_ord, start_month, prices, cols)
            monthly[option][outcome] = adjudicate_arrays(lay, pl, months)
    likelihood = {opt: np.array([t.likelihood[opt] for t in templates], dtype=np.int64)[which] for opt in options}
    horizon = np.array([t.horizon for t in templates], dtype=np.int64)[which]
    return VectorResult(monthly, likelihood, horizon)


def _layout(structs: list[Structure], which: np.ndarray, start_ord: np.ndarray, start_month: np.ndarray, prices: np.ndarray, cols: np.ndarray) -> Layout:
    K = len(structs)
    L = max((st.size for st in structs), default=0)
    names = ("offset", "route", "pharmacy", "visit", "savings", "driver", "mult", "fixed")
    T = {n: np.zeros((L, K), dtype=np.int64) for n in names}
    valid_t = np.zeros((L, K), dtype=bool)
    # templates sharing one structure are filled together
    groups: dict[int, list[int]] = {}
    for k, st in enumerate(structs):
        groups.setdefault(id(st), []).append(k)
    for ks in groups.values():
        st = structs[ks[0]]
        n = st.size
        if n == 0:
            continue
        for name in names:
            T[name][:n, ks] = getattr(st, name)[:, None]
        valid_t[:n, ks] = True
    day = start_ord[None, :] + T["offset"]
    plan_year, cal_year, month = _date_fields(day, start_ord[None, :], start_month[None, :])
    month = np.where(valid_t, month, 0)
    identity = len(which) == K and bool((which == np.arange(K)).all())  # a batch: one draw per template

    def gather(a: np.ndarray) -> np.ndarray:
        return a if identity else a[:, which]

    g = {n: gather(T[n]) for n in ("route", "pharmacy", "visit", "savings", "driver", "mult", "fixed")}
    valid = gather(valid_t)
    billed = g["fixed"] + g["mult"] * prices[g["driver"], cols[None, :]]
    billed = np.where(valid, billed, 0)
    route = np.where(valid, g["route"], R_SELF)
    any_claim = (route != R_SELF).any(axis=1)
    return Layout(valid, billed, route, g["pharmacy"].astype(bool), g["visit"].astype(bool), g["savings"],
                  gather(plan_year), gather(cal_year), gather(month), any_claim)


def scale_booster(base_booster: np.ndarray, new_infusion: np.ndarray, base_infusion: np.ndarray) -> np.ndarray:
    """Booster price moved in proportion with the infusion price (as the exact lever does)."""
    base_infusion = np.asarray(base_infusion, dtype=np.int64)
    safe = np.where(base_infusion > 0, base_infusion, 1)
    scaled = (2 * base_booster * new_infusion + safe) // (2 * safe)
    return np.where(base_infusion > 0, scaled, new_infusion)


__all__ = ["OVERRIDABLE", "VectorResult", "adjudicate_arrays", "run_vector", "scale_booster", "scale_half_up", "weigh_array"]

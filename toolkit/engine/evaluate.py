"""Many draws (or many patients) at once: the same rules on numpy arrays.

Why a second evaluator, and why it is not a second engine: a Monte Carlo of 10,000 draws or a
clinic's 10,000-patient batch through the one-patient loop would take minutes. Here the loop
runs over *claim lines* (a few dozen) and each step is :func:`toolkit.engine.adjudication.adjudicate_line`
on arrays with one entry per draw, the very function the one-patient adjudicator calls. What
is particular to this module is only the layout: lining up the claim lines of many
scenarios side by side.

How the lines are laid out: each draw belongs to a *template* (a scenario). A template's
claim lines come from :func:`toolkit.engine.claims.claim_lines` on its schedule, cached by
everything that shapes them, with dates kept relative to the first session so patients who
differ only in their start date share one layout. Amounts come from the priced inputs and
plan terms (:mod:`toolkit.engine.terms`), one array entry per draw; any of them can be
replaced per draw by name (``overrides``). Lines are padded to the longest layout; padding
lines cost nothing and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..data import Dataset
from ..money import likelihood_num, weigh
from ..scenario import OPTIONS, Scenario
from .adjudication import VISIT_KINDS
from .claims import OUTCOMES, ClaimLine, claim_lines
from .coverage import assess
from .line import ROUTE_CODE, SAVINGS_CODE, LineFacts, Running, adjudicate_line
from .paths import appeal_delay_days, first_series, shifted_sessions
from .rules import running_weighted
from .schedule import build_schedule, horizon_end
from .terms import plan_terms, priced_inputs, with_derived

EPOCH = date(1970, 1, 1).toordinal()


def _layout_key(s: Scenario) -> tuple:
    """Everything that shapes a scenario's claim lines, except the start date (dates are relative)."""
    p = s.plan
    days = (horizon_end(s) - s.start_date).days
    return (s.schedule.model_dump_json(), s.indication.value, days, p.payer_type.value, p.iv_claim_route,
            p.spravato_drug_benefit, p.spravato_clinic_in_network, p.spravato_drug_in_network, p.medicare_spravato_route,
            s.prices.spravato_observation is None, s.prices.spravato_cash_session is None, tuple(sorted((k, str(v)) for k, v in p.oon_allowed_amounts.items())))


@dataclass
class Template:
    """One scenario's numbers (plan terms and typical priced inputs) and approval likelihoods."""

    start: date
    horizon: int
    values: dict
    likelihood: dict[str, tuple[int, int, int]]  # per option: low, typical, high over P_SCALE


def build_template(s: Scenario, ds: Dataset, caches: dict) -> Template:
    """Per-scenario numbers; ``caches`` shares work between patients with the same plan, prices or history."""
    plan_key = (s.plan.model_dump_json(), s.start_date.year, s.start_date.month)
    plan = caches.setdefault("plan", {})
    if plan_key not in plan:
        plan[plan_key] = plan_terms(s, ds)
    price_key = (s.prices.model_dump_json(), s.schedule.iv_protocol, s.plan.model_dump_json())
    price = caches.setdefault("price", {})
    if price_key not in price:
        price[price_key] = priced_inputs(s, ds, "typical").values
    cov = caches.setdefault("coverage", {})
    history = s.history.model_dump_json()
    overrides = tuple(x.model_dump_json() if x is not None else "" for x in (s.iv_likelihood_pct, s.spravato_likelihood_pct))
    lik = {}
    for option in OPTIONS:
        key = (option, s.plan.payer_type.value, s.indication.value, history, overrides)
        if key not in cov:
            cov[key] = tuple(likelihood_num(x) for x in assess(s, ds, option).likelihood)
        lik[option] = cov[key]
    return Template(s.start_date, s.horizon_months, {**plan[plan_key], **price[price_key]}, lik)


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


def date_fields(day_ord: np.ndarray, start: np.ndarray, start_month: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plan year, calendar year, treatment month index) for day ordinals, vectorised.

    The array form of :func:`toolkit.dates.plan_year_start` and :func:`toolkit.dates.month_index`.

    Example: first session 31 Dec 2026, plan year from July. 30 Jan 2027 is in treatment
    month 0 (month 1 starts 31 Jan); 28 Feb 2027 already starts month 2 (31 Dec + 2 months is
    clamped to 28 Feb), as :func:`toolkit.dates.month_index` says.

    >>> d = np.array([[date(2027, 1, 30).toordinal(), date(2027, 2, 28).toordinal()]])
    >>> s = np.array([[date(2026, 12, 31).toordinal()] * 2])
    >>> [a.tolist() for a in date_fields(d, s, np.array([[7, 7]]))]
    [[[2026, 2026]], [[2027, 2027]], [[0, 2]]]
    """
    year, month, dom, dim = _calendar(day_ord)
    s_year, s_month, s_dom, _ = _calendar(np.broadcast_to(start, day_ord.shape))
    k = (year - s_year) * 12 + month - s_month
    k -= (np.minimum(s_dom, dim) > dom).astype(np.int64)
    plan_year = np.where(month >= start_month, year, year - 1)
    return plan_year, year, k


@dataclass
class Layout:
    """Claim lines of one option and outcome for every draw: arrays of shape (lines, draws)."""

    valid: np.ndarray
    route: np.ndarray
    pharmacy: np.ndarray
    visit: np.ndarray
    savings: np.ndarray
    price: np.ndarray  # index into the price names
    mult: np.ndarray
    plan_year: np.ndarray
    cal_year: np.ndarray
    month: np.ndarray  # treatment month (for the monthly totals)
    fee: np.ndarray
    quote: np.ndarray
    addon: np.ndarray
    fills: np.ndarray  # drug lines in the line's calendar month
    cal_month: np.ndarray  # calendar month of service, year x 12 + month


_FIELDS = ("offset", "route", "pharmacy", "visit", "savings", "price", "mult", "fee", "quote", "addon")


def _relative(lines: list[ClaimLine], start: date, names: dict[str, int]) -> dict[str, np.ndarray]:
    """A template's lines as columns, dates as days after the first session."""
    cols = {k: np.zeros(len(lines), dtype=np.int64) for k in _FIELDS}
    for j, ln in enumerate(lines):
        cols["offset"][j] = (ln.day - start).days
        cols["route"][j] = ROUTE_CODE[ln.route]
        cols["pharmacy"][j] = ln.pharmacy
        cols["visit"][j] = ln.kind in VISIT_KINDS
        cols["savings"][j] = SAVINGS_CODE[ln.savings_kind]
        cols["price"][j] = names.setdefault(ln.price, len(names))
        cols["mult"][j] = ln.mult
        cols["fee"][j] = ln.fee
        cols["quote"][j] = ln.quote
        cols["addon"][j] = ln.addon
    return cols


def _fills(cal_month: np.ndarray, drug: np.ndarray) -> np.ndarray:
    """Drug lines in each line's calendar month, per draw (lines, draws): the one-patient ``fills_by_month``."""
    out = np.ones_like(cal_month)
    for m in np.unique(cal_month[drug]):
        here = cal_month == m
        count = (here & drug).sum(axis=0)
        out = np.where(here, np.maximum(count, 1)[None, :], out)
    return out


def _stack(structs: list[dict[str, np.ndarray]], which: np.ndarray, start_ord: np.ndarray, start_month: np.ndarray) -> Layout:
    K = len(structs)
    L = max((len(st["offset"]) for st in structs), default=0)
    T = {n: np.zeros((L, K), dtype=np.int64) for n in _FIELDS}
    valid_t = np.zeros((L, K), dtype=bool)
    groups: dict[int, list[int]] = {}  # templates sharing one layout are filled together
    for k, st in enumerate(structs):
        groups.setdefault(id(st), []).append(k)
    for ks in groups.values():
        st = structs[ks[0]]
        n = len(st["offset"])
        for name in _FIELDS:
            T[name][:n, ks] = st[name][:, None]
        valid_t[:n, ks] = True
    day = start_ord[None, :] + T["offset"]
    plan_year, cal_year, month = date_fields(day, start_ord[None, :], start_month[None, :])
    month = np.where(valid_t, month, 0)
    cal_month = cal_year * 12 + _calendar(day)[1]
    fills = _fills(cal_month, valid_t & (T["savings"] == SAVINGS_CODE["drug"]))
    identity = len(which) == K and bool((which == np.arange(K)).all())  # a batch: one draw per template

    def gather(a: np.ndarray) -> np.ndarray:
        return a if identity else a[:, which]

    valid = gather(valid_t)
    return Layout(valid, np.where(valid, gather(T["route"]), 0), gather(T["pharmacy"]).astype(bool), gather(T["visit"]).astype(bool),
                  gather(T["savings"]), gather(T["price"]), gather(T["mult"]), gather(plan_year), gather(cal_year), gather(month),
                  gather(T["fee"]), gather(T["quote"]), gather(T["addon"]).astype(bool), gather(fills), gather(cal_month))


def walk(lay: Layout, values: dict, price_names: list[str], months: int) -> np.ndarray:
    """Net patient cost per draw and treatment month, (draws, months) int64 cents."""
    L, N = lay.valid.shape
    out = np.zeros((N, months), dtype=np.int64)
    if L == 0:
        return out
    rows = np.arange(N)
    prices = np.stack([np.broadcast_to(values[n], (N,)) for n in price_names]) if price_names else np.zeros((1, N), dtype=np.int64)
    zeros = np.zeros(N, dtype=np.int64)
    acc = Running(zeros - 1, zeros - 1, zeros, zeros, zeros, zeros, zeros, zeros, zeros, zeros, zeros - 1, zeros)
    for j in range(L):
        billed = np.where(lay.valid[j], lay.mult[j] * prices[lay.price[j], rows], 0)
        f = LineFacts(lay.route[j], lay.pharmacy[j], lay.visit[j], lay.savings[j], lay.plan_year[j], lay.cal_year[j], billed, lay.valid[j],
                      lay.fee[j], lay.quote[j], lay.addon[j], lay.fills[j], lay.cal_month[j])
        r = adjudicate_line(acc, f, values)
        out[rows, lay.month[j]] += r.net
    return out


@dataclass
class Draws:
    """Monthly net cost per draw: ``monthly[option][outcome]`` is (draws, months) int64 cents."""

    monthly: dict[str, dict[str, np.ndarray]]
    likelihood: dict[str, np.ndarray]  # per option: (draws, 3) low, typical, high over P_SCALE
    horizon: np.ndarray  # months per draw

    def cumulative(self, option: str, outcome: str) -> np.ndarray:
        return np.cumsum(self.monthly[option][outcome], axis=1)

    def expected(self, option: str, p_num: np.ndarray | None = None) -> np.ndarray:
        """Likelihood-weighted running totals (the same rule as the one-patient comparison)."""
        p = self.likelihood[option][:, 1] if p_num is None else p_num
        return running_weighted(p, self.monthly[option]["approved"], self.monthly[option]["denied"])


def stacked_values(templates: list[Template], which: np.ndarray, overrides: dict | None = None) -> dict[str, np.ndarray]:
    """Every plan term and priced input as one array entry per draw, overrides applied, derived prices added."""
    # the insurer's per-code amounts shape each line's quote at layout time; they differ between scenarios
    keys = [k for k in templates[0].values if not k.startswith("quote_")]
    values: dict[str, np.ndarray] = {}
    for k in keys:
        col = np.array([t.values[k] for t in templates])[which]
        values[k] = col.astype(bool) if col.dtype == bool else col.astype(np.int64)
    N = len(which)
    for k, arr in (overrides or {}).items():
        if k not in values:
            raise KeyError(f"cannot override {k!r}: not a plan term or priced input")
        a = np.asarray(arr)
        values[k] = np.broadcast_to(a.astype(bool) if a.dtype == bool else a.astype(np.int64), (N,)).copy()
    return with_derived(values)


# the claim lines a decision path uses (toolkit.engine.paths.PathSpec.claims): which sessions, billed how
VARIANTS = ("approved", "denied", "appeal", "first_series")


def variant_sessions(s: Scenario, ds: Dataset, option: str, variant: str) -> tuple[list, str]:
    """(sessions, claim outcome) of a variant: the whole schedule, the schedule after an appeal, or the first series."""
    sessions = build_schedule(s, ds, option)
    if variant == "appeal":
        return shifted_sessions(s, ds, option, appeal_delay_days(ds)), "approved"
    if variant == "first_series":
        return first_series(sessions), "denied"
    if variant not in ("approved", "denied"):
        raise ValueError(f"unknown claim variant {variant!r}")
    return sessions, variant


def evaluate(
    scenarios: list[Scenario],
    ds: Dataset,
    which: np.ndarray | None = None,
    overrides: dict[str, np.ndarray] | None = None,
    options: tuple[str, ...] = OPTIONS,
    outcomes: tuple[str, ...] = OUTCOMES,
    datasets: list[Dataset] | None = None,
) -> Draws:
    """Adjudicate every draw: draw ``i`` is ``scenarios[which[i]]`` with ``overrides[name][i]`` applied.

    ``overrides`` keys are plan terms or priced inputs (see :mod:`toolkit.engine.terms`), in
    cents or basis points. Without ``which``, one draw per scenario (a batch). ``outcomes`` are
    claim variants (:data:`VARIANTS`): approved, denied, and the schedules of the other decision
    paths (``appeal``, ``first_series``). ``datasets``
    gives a template its own copy of the data (a figure replaced by a scenario analysis).
    """
    K = len(scenarios)
    which = np.arange(K) if which is None else np.asarray(which, dtype=np.int64)
    dss = datasets or [ds] * K
    caches: dict = {}
    templates = [build_template(s, d, caches if d is ds else {}) for s, d in zip(scenarios, dss)]
    months = max(t.horizon for t in templates)
    values = stacked_values(templates, which, overrides)
    start_ord = np.array([t.start.toordinal() for t in templates], dtype=np.int64)
    start_month = np.array([t.values["start_month"] for t in templates], dtype=np.int64)
    keys = [(_layout_key(s), id(d)) for s, d in zip(scenarios, dss)]
    names: dict[str, int] = {}
    layouts: dict[tuple, dict[str, np.ndarray]] = {}
    monthly: dict[str, dict[str, np.ndarray]] = {}
    for option in options:
        monthly[option] = {}
        for outcome in outcomes:
            structs = []
            for s, d, key in zip(scenarios, dss, keys):
                lk = (option, outcome, key)
                if lk not in layouts:
                    sessions, claims = variant_sessions(s, d, option, outcome)
                    lines = claim_lines(s, d, option, sessions, claims, priced_inputs(s, d, "typical"))
                    layouts[lk] = _relative(lines, s.start_date, names)
                structs.append(layouts[lk])
            lay = _stack(structs, which, start_ord, start_month)
            monthly[option][outcome] = walk(lay, values, list(names), months)
    likelihood = {opt: np.array([t.likelihood[opt] for t in templates], dtype=np.int64)[which] for opt in options}
    horizon = np.array([t.horizon for t in templates], dtype=np.int64)[which]
    return Draws(monthly, likelihood, horizon)


__all__ = ["Draws", "date_fields", "evaluate", "stacked_values", "walk", "weigh"]

"""Decision paths: what can happen after the prior-authorization request, each a real claim table.

Why paths and not a blend: prior authorization comes before treatment, so nobody pays
"likelihood x approved + (1 - likelihood) x a year of cash sessions". After a denial the
realistic next steps are an appeal, or a choice the advisor records for this patient (stop,
pay cash for a first series only, pay cash for the whole course, or switch to the other
option). Each path below is priced claim by claim at the low, typical and high prices, and
carries its own likelihood range:

- ``approved``: approved at the first request (the chance of approval, :mod:`toolkit.engine.coverage`);
- ``approved_on_appeal``: denied, then approved on appeal; sessions start only after the
  expected decision (time to decide the request, to file the appeal and to decide it);
- ``denied``: denied and not overturned; what the patient then pays follows
  ``scenario.if_denied``;
- ``not_applicable``: the plan's approval is not the question (no insurance, or the option is
  not indicated): the patient pays the clinic for the course.

The typical likelihoods of one option's paths sum to 1: approved ``p``, on appeal
``(1 - p) q``, denied ``(1 - p)(1 - q)``, with ``q`` the share of appeals decided for the
patient (``data/rules.csv: appeal.overturn_share``). Their ranges span the low and high ends
of ``p`` and ``q``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from ..data import PRICE_LEVELS, Dataset, PriceLevel
from ..dates import month_index
from ..money import Cents
from ..scenario import Scenario
from .adjudication import Adjudication
from .schedule import Session, build_schedule, horizon_end

PATHS = ("approved", "approved_on_appeal", "denied", "not_applicable")
PATH_LABELS = {
    "approved": "Approved at the first request",
    "approved_on_appeal": "Denied, then approved on appeal",
    "denied": "Denied, and the appeal fails",
    "not_applicable": "The plan's approval does not apply",
}
SHORT = {"approved": "if approved", "approved_on_appeal": "approved on appeal", "denied": "denied, appeal fails", "not_applicable": "self-pay"}
AFTER_DENIAL = {
    "first_series": "pay the clinic for a first series only, then stop",
    "stop": "stop: no sessions",
    "full_course": "pay the clinic for every session",
    "switch": "switch to the other option",
}


@dataclass
class DecisionPath:
    """One path an option can take: its likelihood range, its sessions and its claim table at each price level."""

    key: str
    likelihood: tuple[Decimal, Decimal, Decimal]  # low, typical, high
    runs: dict[PriceLevel, Adjudication]
    sessions: list[Session]
    start: date  # the comparison's first day (months count from it)
    horizon_months: int
    means: str  # what happens on this path, in words
    likely: bool = False
    short: str = ""  # a few words for a chart label: "if approved", "nothing paid back"
    after_denial: str = ""  # the denied path: what the patient does (AFTER_DENIAL)
    source_option: str = ""  # a "switch" path: the option whose claims these are
    notes: list[str] = field(default_factory=list)
    # the same path under a plan rule not known yet, by name: "accumulator" (the savings program's
    # payments do not count) when the advisor has not learnt whether the plan has one
    variants: dict[str, dict[PriceLevel, Adjudication]] = field(default_factory=dict)

    def variant(self, name: str) -> "DecisionPath":
        """This path with the claim tables of a variant (same sessions, likelihood and words)."""
        return DecisionPath(self.key, self.likelihood, self.variants[name], self.sessions, self.start, self.horizon_months,
                            self.means, self.likely, self.short, self.after_denial, self.source_option)

    @property
    def label(self) -> str:
        return PATH_LABELS[self.key]

    def __post_init__(self) -> None:
        self.short = self.short or SHORT[self.key]

    def monthly(self, level: PriceLevel = "typical") -> list[Cents]:
        months = [0] * self.horizon_months
        for a in self.runs[level].lines:
            m = month_index(self.start, a.line.day)
            if 0 <= m < self.horizon_months:
                months[m] += a.net
        return months

    def cumulative(self, level: PriceLevel = "typical") -> list[Cents]:
        out, total = [], 0
        for x in self.monthly(level):
            total += x
            out.append(total)
        return out

    def total(self, level: PriceLevel = "typical", months: int | None = None) -> Cents:
        cum = self.cumulative(level)
        months = len(cum) if months is None else min(months, len(cum))
        return cum[months - 1] if months else 0

    def range(self, months: int | None = None) -> dict[str, Cents]:
        """Low, typical and high cost over ``months``: the lowest and highest of the price levels, whichever way they point."""
        values = [self.total(lv, months) for lv in PRICE_LEVELS if lv in self.runs]
        return {"low": min(values), "typical": self.total("typical", months), "high": max(values)}

    def first_session(self) -> date | None:
        return self.sessions[0].day if self.sessions else None


def path_likelihoods(p: tuple[Decimal, Decimal, Decimal], q: tuple[Decimal, Decimal, Decimal]) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    """Each path's likelihood range from the chance of approval ``p`` and of winning the appeal ``q``.

    Rule: approved ``p``; approved on appeal ``(1 - p) q``; denied ``(1 - p)(1 - q)``. The
    typical values sum to 1. Each range runs from the lowest to the highest value the low and
    high ends of ``p`` and ``q`` give.

    Example: approval 60 / 80 / 90 %, appeals won 40 / 50 / 60 %: approved 80 %; on appeal
    20 % x 50 % = 10 % (4 % to 24 %); denied 20 % x 50 % = 10 % (4 % to 24 %).

    >>> out = path_likelihoods((Decimal("0.6"), Decimal("0.8"), Decimal("0.9")), (Decimal("0.4"), Decimal("0.5"), Decimal("0.6")))
    >>> [tuple(str(x) for x in out[k]) for k in ("approved", "approved_on_appeal", "denied")]
    [('0.6', '0.8', '0.9'), ('0.04', '0.10', '0.24'), ('0.04', '0.10', '0.24')]
    """
    def span(fn: Callable[[Decimal, Decimal], Decimal]) -> tuple[Decimal, Decimal, Decimal]:
        corners = [fn(a, b) for a in (p[0], p[2]) for b in (q[0], q[2])]
        return min(corners), fn(p[1], q[1]), max(corners)

    return {
        "approved": p,
        "approved_on_appeal": span(lambda a, b: (1 - a) * b),
        "denied": span(lambda a, b: (1 - a) * (1 - b)),
    }


def appeal_delay_days(ds: Dataset) -> int:
    """Days from the request to the first session when a denial is overturned on internal appeal.

    Rule: the insurer decides the prior-authorization request, the patient and prescriber file
    the appeal, the insurer decides it; sessions start after that (typical figures).
    Formula: ``decision + preparing the appeal + appeal decision``.
    """
    return sum(int(ds.number(k)) for k in ("appeal.pa_decision_days", "appeal.prepare_days", "appeal.internal_decision_days.pre_service"))


def shifted_sessions(scenario: Scenario, ds: Dataset, option: str, days: int) -> list[Session]:
    """The option's schedule started ``days`` later, cut at the comparison's end."""
    later = scenario.model_copy(update={"start_date": scenario.start_date + timedelta(days=days)})
    end = horizon_end(scenario)
    kept = [s for s in build_schedule(later, ds, option) if s.day < end]
    return kept


def first_series(sessions: list[Session]) -> list[Session]:
    """The sessions of the first phase: the IV first series, Spravato's induction or 4-week course."""
    if not sessions:
        return []
    phase = sessions[0].phase
    out = []
    for s in sessions:
        if s.phase != phase:
            break
        out.append(s)
    return out


@dataclass(frozen=True)
class PathSpec:
    """Which paths an option has and how each is priced, before any pricing: one rule for every evaluator.

    ``claims`` names the claim lines a path uses: ``approved`` or ``denied`` (the whole
    schedule), ``appeal`` (approved claims for the schedule started after the appeal),
    ``first_series`` (denied: the first phase only), ``none`` (no sessions) or ``switch``
    (the other option's likely path).
    """

    key: str
    likelihood: tuple[Decimal, Decimal, Decimal]
    claims: str
    means: str
    short: str = ""
    after_denial: str = ""
    superbill: bool = False  # IV ketamine paid at the clinic and filed out of network (see :func:`explain_superbills`)


SUPERBILL_MEANS = "you pay the clinic, then the plan pays back part of each superbill"
ONE = (Decimal(1), Decimal(1), Decimal(1))
DENIED_CLAIMS = {"first_series": "first_series", "stop": "none", "full_course": "denied", "switch": "switch"}


def path_plan(scenario: Scenario, ds: Dataset, option: str, level: str, likelihood: tuple[Decimal, Decimal, Decimal], reasons: list[str]) -> list[PathSpec]:
    """The paths one option can take for this scenario, with their likelihoods and the claim lines each uses.

    Rules: an option not indicated for the condition (Spravato for PTSD, anxiety or chronic
    pain) has one path, the clinic's price for every session, and no approved path. With no insurance, or an option the plan cannot cover (``level`` not_eligible),
    there is one path, the clinic's price for every session. IV ketamine paid at the clinic
    (self-pay or a superbill) waits for no prior authorization: the superbills are paid back
    or not. Otherwise: approved, approved on appeal (sessions start after the decision),
    denied and not overturned (what the patient then does: ``scenario.if_denied``).
    """
    from .coverage import NOT_INDICATED_LABEL, indicated

    if not indicated(option, scenario.indication.value):  # off-label: no plan approves it, so no approved path is priced
        return [PathSpec("not_applicable", ONE, "denied", f"{NOT_INDICATED_LABEL.lower()}: no approved path; if a clinic gave it anyway, "
                         "you would pay the clinic for every session", "off-label, self-pay")]
    if scenario.plan.payer_type == "uninsured":
        return [PathSpec("not_applicable", ONE, "denied", "no insurance: you pay the clinic for every session")]
    if level == "not_eligible":
        why = reasons[-1] if len(reasons) > 2 else reasons[0]
        return [PathSpec("not_applicable", ONE, "denied", f"not covered ({why.rstrip('.')}); if a clinic gave it anyway, you would pay the clinic for every session")]
    if option == "iv_ketamine" and scenario.plan.iv_claim_route != "in_network":
        if scenario.plan.iv_claim_route == "self_pay":
            return [PathSpec("not_applicable", ONE, "denied", "paid at the clinic with no claim to the plan: you pay for every session")]
        p = likelihood
        return [
            PathSpec("approved", p, "approved", SUPERBILL_MEANS, "superbills paid back", superbill=True),
            PathSpec("denied", (1 - p[2], 1 - p[1], 1 - p[0]), "denied", "you pay the clinic and the plan pays nothing back", "nothing paid back"),
        ]
    row = f"appeal.overturn_share.{scenario.plan.payer_type.value}"
    q = ds.value(row if row in ds.parameters else "appeal.overturn_share")
    lik = path_likelihoods(likelihood, (q.low, q.typical, q.high))
    choice = scenario.if_denied
    return [
        PathSpec("approved", lik["approved"], "approved", "the plan approves: sessions start as planned"),
        PathSpec("approved_on_appeal", lik["approved_on_appeal"], "appeal", f"the plan says no, the appeal succeeds: sessions start about {appeal_delay_days(ds)} days later"),
        PathSpec("denied", lik["denied"], DENIED_CLAIMS[choice], f"the plan says no and the appeal fails: you {AFTER_DENIAL[choice]}", after_denial=choice),
    ]


def _dollars(cents: Cents) -> str:
    from ..money import fmt, fmt_round

    return fmt_round(cents) if cents % 100 == 0 else fmt(cents)


def superbill_shortfall(run: Adjudication, out_deductible: Cents, horizon_months: int) -> tuple[str, str]:
    """Why a run's superbills bring nothing back, in words, and the figures behind it: ``("", "")`` when the plan pays something back.

    Rule: the plan pays a superbill's allowed amount less the out-of-network deductible and
    coinsurance (:func:`toolkit.engine.rules.superbill_reimbursement`), so it pays nothing when
    there are no out-of-network benefits, when it allows $0, or when every allowed dollar goes
    to the deductible: the allowed amounts of each plan year in the horizon stay below what is
    left of the out-of-network deductible. Otherwise the deductible and coinsurance take it all
    (100 % coinsurance). Read from the adjudicated lines, so it says what the engine did.

    Example: a $3,000 out-of-network deductible; $1,885 allowed in the plan year to Dec 2026
    and $2,700 in the next: every dollar goes to the deductible and nothing comes back.
    """
    if not run.lines or any(a.reimbursement for a in run.lines):
        return "", ""
    claimed = [a for a in run.lines if a.deductible_left is not None]  # lines the plan adjudicated
    if not claimed:
        return "the plan has no out-of-network benefits", ""
    if not any(a.allowed for a in claimed):
        return "the plan allows $0 for these services out of network", ""
    if any(a.deductible != a.allowed for a in claimed):
        return "the out-of-network deductible and coinsurance take the whole allowed amount", ""
    years: dict[str, list[Cents]] = {}  # plan year: [allowed, deductible left at its first line]
    for a in claimed:
        years.setdefault(a.plan_year, [0, a.deductible_left + a.deductible])[0] += a.allowed
    parts = [f"{_dollars(allowed)} in {label}" + ("" if left == out_deductible else f" toward the {_dollars(left)} left to meet")
             for label, (allowed, left) in years.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    months = f"{horizon_months} month" + ("" if horizon_months == 1 else "s")
    return (f"the {_dollars(out_deductible)} out-of-network deductible is not reached in {months}",
            f"the plan allows {listed}, all of it toward the deductible")


def explain_superbills(path: DecisionPath, out_deductible: Cents) -> None:
    """A superbill path that pays nothing back at typical prices says so, and why (its words, label and notes).

    Why: "the plan pays back part of each superbill" beside the same total as "nothing paid
    back" reads like a mistake; the usual reason (the deductible not reached in the horizon)
    is what the patient needs to hear. Other price levels may still pay back (a higher charge
    is allowed more), so the words say "at typical prices" when one does. The words stay one
    clause (the handout lists every path on its two pages); the figures go in the notes.
    """
    why, detail = superbill_shortfall(path.runs["typical"], out_deductible, path.horizon_months)
    if not why:
        return
    elsewhere = any(a.reimbursement for lv, run in path.runs.items() if lv != "typical" for a in run.lines)
    when = " at typical prices" if elsewhere else ""
    path.means = f"you pay the clinic and the plan pays nothing back for the superbills{when}: {why}"
    path.short = "superbills: $0 back"
    path.notes.append(f"Superbills pay nothing back{when}: {why}" + (f"; {detail}." if detail else "."))


def likely_index(specs: list[PathSpec]) -> int:
    """The most likely path by typical likelihood (the first listed wins a tie)."""
    best = 0
    for i, x in enumerate(specs):
        if x.likelihood[1] > specs[best].likelihood[1]:
            best = i
    return best


def mark_likely(paths: list[DecisionPath]) -> None:
    """The most likely path by typical likelihood (the first listed wins a tie)."""
    best = max(paths, key=lambda x: x.likelihood[1])
    for x in paths:
        x.likely = x is best


def _pct(x: Decimal) -> str:
    from ..money import fmt_pct

    return fmt_pct(x)


def _span_pct(lik: tuple[Decimal, Decimal, Decimal]) -> str:
    lo, typ, hi = lik
    return _pct(typ) if lo == hi else f"{_pct(typ)}, between {_pct(lo)} and {_pct(hi)}"


def in_words(label: str, paths: list[DecisionPath], periods: list[tuple[str, int]]) -> str:
    """One plain sentence: what is most likely to happen, what it costs, and what the other paths would cost.

    For a worried patient, not an analyst: the likely path first with its first-month and
    whole-period cost, then each other path in one short clause with its chance.
    """
    from ..money import fmt_round

    if not paths:
        return ""
    likely = next(x for x in paths if x.likely)
    whole_name, whole = periods[-1]
    total = likely.range(whole)
    spread = "" if total["low"] == total["high"] else f" ({fmt_round(total['low'])} to {fmt_round(total['high'])} depending on prices)"
    chance = "" if likely.key == "not_applicable" else f"most likely ({_span_pct(likely.likelihood)}): "
    text = (f"{label}, {chance}{likely.means}. About {fmt_round(likely.total('typical', 1))} in the first month and "
            f"{fmt_round(total['typical'])} over {whole_name.lower()}{spread}")
    if "accumulator" in likely.variants:
        acc = likely.variant("accumulator")
        text += (f" if the savings program's payments count toward the deductible and cap; about {fmt_round(acc.total('typical', 1))} "
                 f"and {fmt_round(acc.total('typical', whole))} if the plan has an accumulator (they do not count): ask the plan which")
    text += "."
    others = [f"{x.means} ({_pct(x.likelihood[1])}): {fmt_round(x.total('typical', whole))}" for x in paths if x is not likely]
    return text + (f" Less likely: {'; '.join(others)}." if others else "")


def path_summary(paths: list[DecisionPath], periods: list[tuple[str, int]]) -> list[dict]:
    """The paths as plain data (the CLI's JSON contract): path, likelihood, likely, costs by period."""
    return [
        {
            "path": x.key,
            "label": x.label,
            "means": x.means,
            "likelihood": [float(v) for v in x.likelihood],
            "likely": x.likely,
            "first_session": x.first_session().isoformat() if x.first_session() else None,
            "sessions": len([s for s in x.sessions]),
            "costs": {name: {k: v / 100 for k, v in x.range(m).items()} for name, m in periods},
            **{f"if_{v}": {name: {k: c / 100 for k, c in x.variant(v).range(m).items()} for name, m in periods} for v in x.variants},
        }
        for x in paths
    ]

"""What the EOB says about the plan, written as scenario fields: pure arithmetic, no engine run.

Why as scenario fields: the re-fit prices the rest of the horizon with the one engine, so
every inferred figure must be something the engine already reads (a plan tier's deductible
met, its coinsurance, its copay, an allowed amount by code, how out-of-network amounts are
allowed, a clinic's device price, the chance of approval). Each finding that differs from
the scenario is a :class:`Difference` the advisor keeps or takes.

The rules, each on the matched, paid lines of one network tier (in network; out of network,
superbills included) in date order:

- **Allowed amount.** In network, ``allowed / units`` per code (the drug: per 28 mg device).
  Out of network, when every line was allowed the same share of the charge,
  ``allowed / billed`` is the plan's percentage of the charge; otherwise ``allowed / units``
  per code, as if the insurer had quoted it.
- **Coinsurance.** ``coinsurance / (allowed - deductible - copay)`` on a line with
  coinsurance, to 0.1 %.
- **Copay.** The copay on a visit line. A line the forecast charged a copay that the plan
  charged a coinsurance instead, with no copay: the plan's copay is $0 (so the coinsurance
  applies: the engine's rule is a copay above $0 replaces the coinsurance).
- **Deductible met so far.** The EOB's deductible column, summed (``taken``). When the
  deductible ran out during the EOB (a line with a deductible and more of it past the
  deductible, or a later line with coinsurance and no deductible), exactly ``taken`` was
  left at the start: met at start = deductible - taken. When every line went wholly to the
  deductible, at least ``taken`` was left: the scenario's figure stands if it leaves that
  much. When no line took any deductible but one had coinsurance, it was already met.
  The out-of-pocket met at the start is at least the deductible met (the deductible counts
  toward the out-of-pocket maximum).
- **Path.** A denied line: denied at the first request (chance of approval 0 %: the paths
  then run on appeal, or denied and the appeal fails). Every line paid: approved (100 %).
  When the forecast prices no approval at all (the engine's paths: an off-label use such as
  Spravato for chronic pain, no insurance, a plan that does not cover the option), the chance
  of approval is not a figure the engine reads: a denial confirms the forecast (the patient
  pays the clinic), a payment is a note to check, and neither is a difference.

What the EOB is compared with is the tier the engine adjudicates with
(:func:`toolkit.engine.payers.effective_tiers`), not the tier as typed: with a TRICARE group
the deductible, copay or coinsurance and cap come from ``data/tricare.csv`` (Select: a copay
per visit after the deductible, not a coinsurance). A figure the EOB shows otherwise is
written where the engine reads it (:func:`toolkit.engine.payers.setting_key`: for a group,
``plan.tricare_from_eob``), so the rules for which field sets what live in the engine alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..data import Dataset
from ..engine.payers import effective_tiers, published_row, setting_key
from ..money import fmt, fmt_pct
from ..scenario import OPTION_LABELS, Scenario
from .matching import Match

TIER_LABELS = {"in_network": "in network", "out_of_network": "out of network"}
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")


@dataclass
class Difference:
    """The scenario said one thing, the EOB implies another; ``choice`` is ``use-eob`` or ``keep-scenario``."""

    key: str  # the scenario field, dotted: plan.in_network.coinsurance_pct
    label: str
    scenario: str  # what the scenario said, in words
    eob: str  # what the EOB implies, in words
    value: Any  # the new field value (JSON-able), taken when the choice is use-eob
    why: str  # the arithmetic, from the EOB's rows
    pins: bool = False  # the EOB confirms the scenario's typical figure, which was a range or an estimate: it becomes this one figure
    choice: str = "use-eob"
    # fields written with this one so the saved scenario stays valid (a TRICARE tier's own deductible
    # under the amount met: the engine reads the group's, the saved tier must still add up)
    also: dict[str, Any] = field(default_factory=dict)


@dataclass
class Inference:
    option: str
    differences: list[Difference]
    path: str  # approved or denied
    denial_reasons: list[str]
    notes: list[str]
    deductible_taken: dict[str, int]  # cents, by tier
    cost_share: dict[str, int]  # deductible + coinsurance + copay on the EOB, by tier


def _dollars(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(_CENT))


def _pct(num: int, den: int) -> Decimal:
    """A rate in percent, to 0.1 % (half up), without trailing zeros: 40, 37.5."""
    return _plain((Decimal(num) * 100 / Decimal(den)).quantize(_TENTH, rounding=ROUND_HALF_UP))


def _plain(x: Decimal) -> Decimal:
    return Decimal(format(Decimal(x).normalize(), "f"))


def _tier_of(m: Match) -> str:
    assert m.line is not None
    return "in_network" if m.line.line.route == "in_network" else "out_of_network"


def infer(scenario: Scenario, option: str, matches: list[Match], likelihood: tuple[Decimal, Decimal, Decimal], ds: Dataset,
          approval_priced: bool = True) -> Inference:
    """Every figure the EOB settles, as differences from ``scenario`` (which is not changed).

    ``approval_priced``: the forecast has an approved path for the option (the engine's
    :func:`toolkit.engine.paths.path_plan`); when it has none, the chance of approval is not inferred.
    """
    plan = scenario.plan
    tiers = dict(zip(("in_network", "out_of_network"), effective_tiers(scenario, ds)))
    diffs: list[Difference] = []
    notes: list[str] = []
    paid = [m for m in matches if m.line is not None and not m.row.denied and m.line.line.route != "self_pay"]
    for m in matches:
        if m.line is None:
            notes.append(f"row {m.row.row} ({m.row.code} on {m.row.day:%Y-%m-%d}) has no line in the forecast: shown, not used to re-fit")
        elif m.line.line.route == "self_pay" and not m.row.denied:
            notes.append(f"row {m.row.row}: the forecast had this line as self-pay with no claim; the EOB shows a claim (check how it is billed)")
    diffs += _allowed(scenario, option, [m for m in paid if _tier_of(m) == "in_network"], notes)
    diffs += _oon_allowed(scenario, [m for m in paid if _tier_of(m) == "out_of_network"], notes)
    taken: dict[str, int] = {}
    shares: dict[str, int] = {}
    for tier in ("in_network", "out_of_network"):
        rows = [m for m in paid if _tier_of(m) == tier and not m.line.line.pharmacy]  # type: ignore[union-attr]
        t = tiers[tier]
        if not rows or t is None:
            continue
        taken[tier] = sum(m.row.deductible for m in rows)
        shares[tier] = sum(m.row.cost_share for m in rows)
        diffs += _coinsurance(setting_key(scenario, tier, "coinsurance_pct"), f"Coinsurance, {TIER_LABELS[tier]}", t.coinsurance_pct, rows,
                              _published(scenario, tier, "coinsurance_pct"))
        diffs += _copay(scenario, tier, t.copay, rows)
        diffs += _deductible(scenario, tier, t, rows)
    pharmacy = [m for m in paid if m.line.line.pharmacy]  # type: ignore[union-attr]
    if pharmacy:
        diffs += _coinsurance("plan.pharmacy_coinsurance_pct", "Specialty pharmacy coinsurance", plan.pharmacy_coinsurance_pct, pharmacy)
    denied = [m for m in matches if m.row.denied]
    path = "denied" if denied else "approved"
    if approval_priced:
        diffs += _path(option, path, likelihood, denied)
    elif any(m.line is not None and m.line.line.route != "self_pay" for m in matches):
        notes.append(_no_approval_note(scenario, option, path))
    return Inference(option, diffs, path, sorted({m.row.denial_reason for m in denied if m.row.denial_reason}), notes, taken, shares)


def _allowed(scenario: Scenario, option: str, rows: list[Match], notes: list[str]) -> list[Difference]:
    """In network: the plan's allowed amount per code (the drug: per device)."""
    out: list[Difference] = []
    seen: set[str] = set()
    for m in rows:
        ln = m.line.line  # type: ignore[union-attr]
        if ln.code in seen:
            continue
        seen.add(ln.code)
        same = m.row.allowed == m.line.allowed  # type: ignore[union-attr]
        if ln.price == "spravato_device":
            per, was = _split(m.row.allowed, ln.mult), m.line.allowed // max(1, ln.mult)  # type: ignore[union-attr]
            quoted = scenario.prices.spravato_device
            if not same or quoted is None:
                said = fmt(was) + (" (the clinic's quote)" if quoted is not None else " (typical of the published range)")
                out.append(Difference("prices.spravato_device", "Spravato allowed per 28 mg device, in network", said, fmt(per), _dollars(per),
                                      f"row {m.row.row}: allowed {fmt(m.row.allowed)} for {ln.mult} devices (the toolkit prices the drug "
                                      "per device; the same price is added per device above 56 mg in a self-pay session)",
                                      pins=same))
        elif ln.price.startswith("inn_") and ln.price[4:] == ln.code:
            per = _split(m.row.allowed, ln.units)
            if not same or ln.code not in scenario.plan.in_network_allowed_amounts:
                out.append(Difference(f"plan.in_network_allowed_amounts.{ln.code}", f"Allowed amount for {ln.code}, in network",
                                      fmt(m.line.allowed // max(1, ln.units)) + ("" if ln.code in scenario.plan.in_network_allowed_amounts  # type: ignore[union-attr]
                                                                                 else " (Medicare's fee times the plan's multiple)"),
                                      fmt(per), _dollars(per),
                                      f"row {m.row.row}: allowed {fmt(m.row.allowed)}" + (f" for {ln.units} units" if ln.units > 1 else ""), pins=same))
        elif m.row.allowed != m.line.allowed:  # type: ignore[union-attr]
            notes.append(f"row {m.row.row}: {ln.code} was allowed {fmt(m.row.allowed)} (forecast {fmt(m.line.allowed)}); "  # type: ignore[union-attr]
                         "the toolkit has no field for this code's rate, so later lines keep the forecast's")
    return out


def _split(amount: int, n: int) -> int:
    """Per unit, to the cent (half up)."""
    n = max(1, n)
    return (2 * amount + n) // (2 * n)


def _oon_allowed(scenario: Scenario, rows: list[Match], notes: list[str]) -> list[Difference]:
    """Out of network: one share of the charge for every line, else dollars by code."""
    if not rows:
        return []
    plan = scenario.plan
    shares = {_pct(m.row.allowed, m.row.billed) for m in rows if m.row.billed}
    why = "; ".join(f"row {m.row.row}: {fmt(m.row.allowed)} of {fmt(m.row.billed)}" for m in rows)
    out: list[Difference] = []
    if len(shares) == 1:
        pct = shares.pop()
        method_said = plan.oon_allowed_method
        current = plan.oon_allowed_pct
        if method_said != "percent_of_charge":
            out.append(Difference("plan.oon_allowed_method", "How the plan sets the out-of-network allowed amount", method_said.replace("_", " "),
                                  "percent of charge", "percent_of_charge", f"every line allowed {pct}% of the charge ({why})"))
        if current is None or Decimal(current) != pct:
            typical = _pct(rows[0].line.allowed, max(1, rows[0].line.line.billed))  # type: ignore[union-attr]
            said = f"{_plain(current)}%" if current is not None else f"{typical}% (typical of the published range)"
            out.append(Difference("plan.oon_allowed_pct", "Out-of-network allowed share of the charge", said, f"{pct}%", str(pct), f"allowed / billed: {why}",
                                  pins=current is None and typical == pct and method_said == "percent_of_charge"))
        return out
    if plan.oon_allowed_method != "per_code":
        out.append(Difference("plan.oon_allowed_method", "How the plan sets the out-of-network allowed amount", plan.oon_allowed_method.replace("_", " "),
                              "dollars by code", "per_code", f"the lines were allowed different shares of the charge ({why})"))
    for m in rows:
        ln = m.line.line  # type: ignore[union-attr]
        if ln.code and "x" not in ln.codes and ";" not in ln.codes:
            per = _split(m.row.allowed, ln.units)
            said = plan.oon_allowed_amounts.get(ln.code)
            out.append(Difference(f"plan.oon_allowed_amounts.{ln.code}", f"Out-of-network allowed amount for {ln.code}",
                                  "not quoted" if said is None else fmt(int(said * 100)), fmt(per), _dollars(per), f"row {m.row.row}"))
        else:
            notes.append(f"row {m.row.row}: the line stands for {ln.codes}; an amount by code cannot be split from it")
    return out


def _published(scenario: Scenario, tier: str, name: str) -> str:
    """Words after a figure the TRICARE group sets: where it was published ('' for the plan's own figure)."""
    row = published_row(scenario, tier, name)
    if row is None:
        return ""
    if scenario.plan.tricare_from_eob.get(f"{tier}_{name}") is not None:
        return " (from an earlier EOB)"
    return f" (TRICARE's figure for the group, tricare.csv:{row})" if row else " (none for this TRICARE group)"


def _no_approval_note(scenario: Scenario, option: str, path: str) -> str:
    from ..engine.coverage import NOT_INDICATED_LABEL, OFF_LABEL_WORDS, indicated

    why = (f"{NOT_INDICATED_LABEL.lower()} for {OFF_LABEL_WORDS.get(scenario.indication.value, 'this condition')}"
           if not indicated(option, scenario.indication.value) else "the plan's approval does not apply to it")
    if path == "denied":
        return (f"the plan denied {OPTION_LABELS[option]}, as the forecast expects ({why}): the forecast stays on paying the "
                "clinic for every session, and the denied lines are not the forecast's lines")
    return (f"the plan paid {OPTION_LABELS[option]} although the forecast prices no approval ({why}): check the diagnosis "
            "and codes on the claim (a plan can take back a payment made in error); the forecast still has the patient "
            "paying the clinic")


def _coinsurance(key: str, label: str, said: Decimal, rows: list[Match], source: str = "") -> list[Difference]:
    rates = [(m, _pct(m.row.coinsurance, m.row.allowed - m.row.deductible - m.row.copay)) for m in rows
             if m.row.coinsurance and m.row.allowed - m.row.deductible - m.row.copay > 0]
    if not rates:
        return []
    m, rate = rates[0]
    if rate == _plain(said):
        return []
    base = m.row.allowed - m.row.deductible - m.row.copay
    return [Difference(key, label, f"{_plain(said)}%{source}", f"{rate}%", str(rate),
                       f"row {m.row.row}: coinsurance {fmt(m.row.coinsurance)} of {fmt(base)} (allowed {fmt(m.row.allowed)}"
                       f" - deductible {fmt(m.row.deductible)} - copay {fmt(m.row.copay)})")]


def _copay(scenario: Scenario, tier: str, said: Decimal, rows: list[Match]) -> list[Difference]:
    visits = [m for m in rows if m.row.copay]
    if not visits:
        # the engine charged this line a copay (its rule: a visit, and a copay above $0) where the plan took a
        # coinsurance and no copay: the plan has no copay for it (a copay-based tier that is not: $0)
        shared = [m for m in rows if m.line.copay and m.row.coinsurance]  # type: ignore[union-attr]
        if not shared or not said:
            return []
        m = shared[0]
        return [Difference(setting_key(scenario, tier, "copay"), f"Copay per visit, {TIER_LABELS[tier]}",
                           fmt(int(said * 100)) + _published(scenario, tier, "copay"), fmt(0), _dollars(0),
                           f"row {m.row.row}: coinsurance {fmt(m.row.coinsurance)} and no copay on a line the forecast charged "
                           f"a {fmt(m.line.copay)} copay: the plan has no copay for it, so its coinsurance applies")]  # type: ignore[union-attr]
    if visits[0].row.copay == int(said * 100):
        return []
    m = visits[0]
    return [Difference(setting_key(scenario, tier, "copay"), f"Copay per visit, {TIER_LABELS[tier]}",
                       fmt(int(said * 100)) + _published(scenario, tier, "copay"), fmt(m.row.copay),
                       _dollars(m.row.copay), f"row {m.row.row}: copay {fmt(m.row.copay)}")]


def _fit_own(scenario: Scenario, tier: str, t: Any, new_ded: int, new_met: int, new_oop: int) -> dict[str, Any]:
    """A TRICARE tier's own figures to write beside its amounts met, when they would not hold them.

    Why: with a group, the engine takes the deductible and cap from the group and only the
    amounts met from the tier as typed, but the typed tier must still add up (met at most the
    deductible, at most the cap): its deductible and cap become the ones the engine uses.
    """
    if published_row(scenario, tier, "deductible") is None:
        return {}
    own = getattr(scenario.plan, tier)
    also: dict[str, Any] = {}
    if own is None or int(own.deductible * 100) < new_met:
        also[f"plan.{tier}.deductible"] = _dollars(new_ded)
    if own is not None and own.oop_max is not None and int(own.oop_max * 100) < max(new_oop, new_ded):
        also[f"plan.{tier}.oop_max"] = None if t.oop_max is None else str(t.oop_max)
    return also


def _deductible(scenario: Scenario, tier: str, t: Any, rows: list[Match]) -> list[Difference]:
    """Deductible met at the start, from what the EOB's lines took (see the module's rules); ``t`` is the tier the engine uses."""
    ded, met, oop_met = int(t.deductible * 100), int(t.deductible_met * 100), int(t.oop_met * 100)
    taken = sum(m.row.deductible for m in rows)
    if taken:
        last = max(i for i, m in enumerate(rows) if m.row.deductible)
        past = any(m.row.allowed - m.row.copay - m.row.deductible > 0 for m in rows if m.row.deductible) or any(
            m.row.coinsurance for m in rows[last + 1:])
    else:
        past = any(m.row.coinsurance for m in rows)
    label = TIER_LABELS[tier]
    why = f"the EOB's deductible column sums to {fmt(taken)}" + (", and the deductible ran out on these lines" if past else "")
    new_ded, new_met = ded, met
    if past:
        new_met = ded - taken
        if new_met < 0:
            new_ded, new_met = taken, 0
    elif ded - met < taken:  # the scenario left too little to take
        new_met = max(0, ded - taken)
        new_ded = max(ded, taken)
    out: list[Difference] = []
    if new_ded != ded:
        out.append(Difference(setting_key(scenario, tier, "deductible"), f"Deductible, {label}", fmt(ded) + _published(scenario, tier, "deductible"),
                              fmt(new_ded), _dollars(new_ded), f"{why}: more than the scenario's deductible"))
    new_oop = max(new_met, oop_met)
    also = _fit_own(scenario, tier, t, new_ded, new_met, new_oop) if new_met != met or new_met > oop_met else {}
    if new_met != met:
        out.append(Difference(setting_key(scenario, tier, "deductible_met"), f"Deductible already met at the start, {label}", fmt(met), fmt(new_met),
                              _dollars(new_met), f"{why}; {fmt(new_ded)} - {fmt(taken)} = {fmt(new_met)}" if past else why, also=also))
    if new_met > oop_met:
        out.append(Difference(setting_key(scenario, tier, "oop_met"), f"Out-of-pocket already met at the start, {label}", fmt(oop_met), fmt(new_met),
                              _dollars(new_met), "the deductible met counts toward the out-of-pocket maximum", also=also))
    return out


def _path(option: str, path: str, likelihood: tuple[Decimal, Decimal, Decimal], denied: list[Match]) -> list[Difference]:
    key = f"{'iv' if option == 'iv_ketamine' else 'spravato'}_likelihood_pct"
    target = Decimal(0) if path == "denied" else Decimal(100)
    if all(x * 100 == target for x in likelihood):
        return []
    said = f"{fmt_pct(likelihood[1])} chance of approval ({fmt_pct(likelihood[0])} to {fmt_pct(likelihood[2])})"
    if path == "denied":
        reasons = ", ".join(sorted({m.row.denial_reason for m in denied if m.row.denial_reason})) or "no reason code given"
        why = f"row{'s' if len(denied) > 1 else ''} {', '.join(str(m.row.row) for m in denied)} denied ({reasons}): the paths now run on appeal, or denied and the appeal fails"
        eob = "denied at the first request"
    else:
        why = "every line on the EOB was paid: the plan approved"
        eob = "approved"
    return [Difference(key, f"Coverage of {OPTION_LABELS[option]}", said, eob, {"low": str(target), "typical": str(target), "high": str(target)}, why)]

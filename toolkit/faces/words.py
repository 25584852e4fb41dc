"""The engine's sentences in the reader's language: the face words what the engine returns.

The engine stays language-free: it returns labels from its tables, sentences from the data
tables and a few sentences with a figure in them. This module is the one place a face turns
them into the reader's language, through the catalogue (:mod:`toolkit.i18n`), never through
dictionaries of translations:

- ``ENGINE_TABLES``: the engine's label tables (payer, indication, option, ways to pay, what
  would raise the odds): their English values are msgids, harvested by ``tools/i18n.py``;
- ``DATA_COLUMNS``: the data tables' columns whose cells a patient reads (coverage reasons),
  harvested the same way (a corrected data row shows in English until it is translated:
  ``make i18n`` lists it);
- ``PATTERNS``: the engine's sentences with a figure or a name in them, written here as msgids
  with ``{fields}``; the same text is matched against what the engine said and the fields are
  carried over (words in them translated too).

:func:`say` is the one call. Unknown text comes back as it was (English): ``tests/test_i18n.py``
renders every example in Spanish and fails on any engine sentence the catalogue lacks.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ..i18n import N_, gettext_for

ENGINE_TABLES = (
    ("toolkit.plan", "PAYER_LABELS"),
    ("toolkit.scenario", "INDICATION_LABELS"),
    ("toolkit.scenario", "OPTION_LABELS"),
    ("toolkit.engine.paths", "PATH_LABELS"),
    ("toolkit.engine.paths", "SHORT"),
    ("toolkit.engine.paths", "AFTER_DENIAL"),
    ("toolkit.engine.coverage", "WHAT_TO_DO"),
    ("toolkit.paying.routes", "ROUTES"),
    ("toolkit.plan", "ASSISTANCE_LABELS"),
    ("toolkit.plan", "OON_METHOD_LABELS"),
    ("toolkit.plan", "MEDIGAP_LABELS"),
    ("toolkit.plan", "TRICARE_GROUPS"),
    ("toolkit.paying.cash_needs", "COSTS_TO_PAY"),
    ("toolkit.engine.coverage", "OFF_LABEL_WORDS"),
)
DATA_COLUMNS = {"coverage.csv": ("reasoning",), "pa_criteria.csv": ("criterion", "who_supplies")}
EXAMPLE_FIELDS = ("title",)  # the built-in examples' titles (data/examples/*.json)
# sentences many data cells end with: a cell is harvested without them, and translated in two parts
DATA_SUFFIXES = (
    N_(" Likelihood range is a toolkit assumption (no published rate)."),
    N_(" Typical is the published share of Medicaid policy entities covering it (Aug 2025); the low-high range around it "
       "is a toolkit assumption: a covering plan can still deny a prior authorization, a plan with no stated policy may "
       "still pay, and the patient's state and managed-care plan decide."),
)


def strip_suffix(text: str) -> tuple[str, str]:
    """``text`` split into its own part and a shared data suffix (``""`` if none)."""
    for suffix in DATA_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)], suffix
    return text, ""

PATTERNS = (
    N_("not covered ({why}); if a clinic gave it anyway, you would pay the clinic for every session"),
    N_("the plan says no, the appeal succeeds: sessions start about {days} days later"),
    N_("the plan says no and the appeal fails: you {after}"),
    N_("Usual prior-authorization criteria not yet shown: {names}. Toolkit assumption: this lowers the level one step and halves the likelihood until documented."),
    N_("The advisor set the likelihood to {low}-{high}% (typical {typical}%)."),
    N_("{payer}: every session is self-pay."),
    N_("The observation rebate is not valid for residents of {states}."),
    N_("Medicare supplement pays {amount} of the coinsurance"),
    N_("Medicaid's 5% of income monthly cap took {amount} off"),
    N_("custom phase {n}"),
    N_("TRICARE cost sharing from the beneficiary group ({group}, {ab}, TRICARE's published figures): deductible {deductible}, {share}, {cap}."),
    N_("Yearly limits from {year} are shown (e.g. {example}); {next} figures were not yet in the data."),
    N_("you pay the clinic and the plan pays nothing back for the superbills: {why}"),
    N_("you pay the clinic and the plan pays nothing back for the superbills at typical prices: {why}"),
    N_("the {amount} out-of-network deductible is not reached in {n} months"),
    N_("the {amount} out-of-network deductible is not reached in {n} month"),
    N_("copay {amount} per visit"),
    N_("From an explanation of benefits, in place of the published figures: {shown}."),
    N_("in-network coinsurance {pct}%"), N_("out-of-network coinsurance {pct}%"),
    N_("in-network copay {amount}"), N_("out-of-network copay {amount}"),
    N_("in-network deductible {amount}"), N_("out-of-network deductible {amount}"),
    N_("{pct}% of the allowed amount"),
    N_("{amount} catastrophic cap per family"),
    N_("Enrollment fee about {amount} a year (individual), not in the totals."),
    N_("Not indicated (off-label) for {condition}: no approved path is priced; a clinic that gave it anyway would be paid by the patient."),
    N_("Spravato savings program (commercial plans only): the patient pays as little as {floor} per treatment for the "
       "medication, up to a yearly maximum of {cap} per calendar year."),
    N_("Spravato savings program (commercial plans only): the patient pays as little as {floor} per treatment for the "
       "medication, up to a yearly maximum of {cap} per calendar year. It does not pay the observation visit."),
    N_("Already taken off these costs: {amount} paid by the program (claim lines, column 'savings')."),
    N_("If approved, the yearly maximum is used up on {day}; after that the patient pays the plan's full share until 1 January."),
    N_("Observation rebate: the patient pays the clinic, then claims the rebate (not valid for residents of {states}); "
       "its yearly cap is not published, so it is not counted."),
)
# fixed engine sentences a patient reads (not in a table): msgids
SENTENCES = (
    N_("no insurance: you pay the clinic for every session"),
    N_("paid at the clinic with no claim to the plan: you pay for every session"),
    N_("you pay the clinic, then the plan pays back part of each superbill"),
    N_("you pay the clinic and the plan pays nothing back"),
    N_("superbills paid back"),
    N_("Not indicated (off-label)"),
    N_("not indicated (off-label): no approved path; if a clinic gave it anyway, you would pay the clinic for every session"),
    N_("off-label, self-pay"),
    N_("No approval rate applies: the use is off-label."),
    N_("this condition"),
    N_("Group A"), N_("Group B"), N_("no cap"),
    N_("superbills: $0 back"), N_("the plan has no out-of-network benefits"),
    N_("the plan allows $0 for these services out of network"),
    N_("the out-of-network deductible and coinsurance take the whole allowed amount"),
    # the yearly-limit rows named in the limits note (toolkit/engine/plan_years.py, from data/rules.csv labels)
    N_("Medicare Part B annual deductible"), N_("Medicare Advantage in-network out-of-pocket limit"),
    N_("TRICARE catastrophic cap, active-duty family members, Group A"), N_("HDHP out-of-pocket maximum, self-only"),
    N_("Not with an HSA: someone contributing to an HSA may only have a limited-purpose FSA (dental and vision), which cannot pay for these sessions."),
    N_("someone contributing to an HSA may only have a limited-purpose FSA (dental and vision), which cannot pay for these sessions."),
    N_("TRICARE: the beneficiary group is not set, so the cost sharing typed in the plan is used; "
       "choose the group (and Group A or B) to use TRICARE's published figures."),
    N_("Several retiree figures for 2026 were not published where we looked: they are ranges from older official tables (see the data sources)."),
    N_("TRICARE For Life pays after Medicare: a service Medicare does not cover is paid as TRICARE Select."),
    N_("Medicaid's cost sharing is nominal (a few dollars a visit) and capped at 5% of family income, so the cost is rarely "
       "the barrier: finding a REMS-certified Spravato site that takes Medicaid is. Some certified clinics do not take "
       "Medicaid for Spravato."),
    N_("Ask the Medicaid plan (or its managed-care plan) for in-network, REMS-certified Spravato sites, "
       "and ask the site whether it takes Medicaid before the first visit."),
    N_("nothing paid back"),
    N_("the plan approves: sessions start as planned"),
    N_("This likelihood rests on a published rate."),
    N_("No published approval rate exists for this case: the range is an assumption you can change."),
    N_("A listed contraindication: Spravato is usually not given, so coverage does not arise."),
    N_("Spravato is approved for adults (18 and over) only."),
    N_("Ask the plan for its medical policy on ketamine infusion (some plans cover it for depression under esketamine-like criteria; many call it investigational)."),
    N_("Ask the clinic for a superbill with CPT codes and the diagnosis code to claim out-of-network reimbursement."),
    N_("Ask whether the drug is paid under the medical or the pharmacy benefit, and whether the clinic is in network."),
    N_("The Spravato savings program is for commercial plans only; government plans are excluded."),
    N_("Savings program not used (turned off)."),
    N_("paid in full at the clinic; reimbursement if the superbill claim is accepted"),
    N_("Part D: its own deductible, 25% coinsurance and yearly cap"),
    N_("accumulator program: savings do not count toward the deductible or cap"),
    N_("The Spravato savings program does not apply."),
    N_("The observation rebate is not counted: its yearly cap is not published. Enter it in data/programs.csv if the program terms give it."),
    # the schedule's phase names (toolkit/engine/schedule.py)
    N_("induction (weeks 1-4)"), N_("weeks 5-8"), N_("maintenance (week 9 on)"), N_("4-week course (suicidal ideation)"),
    N_("first series"), N_("booster"),
)


# the messages beside a form field (toolkit/scenario.py's friendly pydantic errors, the plan's and the form's own checks)
FIELD_MESSAGES = (
    N_("cannot be negative"), N_("must be {n} or more"), N_("must be {n} or less"), N_("must be a number"),
    N_("use at most 2 decimal places (cents)"), N_("use at most {n} decimal places"), N_("is too large"), N_("must be a whole number"),
    N_("must be a real date written YYYY-MM-DD"), N_("must be true or false"), N_("use the two-letter state code, e.g. MN"),
    N_("is not in the expected form"), N_("is too long (at most {n} characters)"), N_("must be one of: {choices}"), N_("is required"),
    N_("must be a set of named fields (a JSON object)"), N_("must be a list"), N_("must be text"), N_("is not valid"),
    N_("a {scale} score runs from 0 to {top}"), N_("the range must run low <= typical <= high"), N_("must be between 2000 and 2099"),
    N_("cannot be more than the deductible"), N_("cannot be above the out-of-pocket maximum"), N_("cannot be more than the out-of-pocket maximum"),
    N_("{code} is not a billing code (5 letters or digits, e.g. 96365)"),
    N_("write each code and its amount as code: amount, e.g. 96365: 350 (not {text})"), N_("enter a valid date (for example 2027-01-04)"),
    N_("must be from 1 to 120 months"), N_("must be from 0 to 100"), N_("must be self_only or family"), N_("is not a financing field"),
    N_("use at most 2 decimal places"),
    N_("Session start time: write it as HH:MM on a 24-hour clock, e.g. 09:30 (got {text})"),
)
# the ways-to-pay notes (toolkit/paying/routes.py and hsa_fsa.py), one msgid per sentence: say() splits a note into them
ROUTE_NOTES = (
    N_("Each visit paid on the day, at the full per-visit price (no package)."), N_("Each visit paid on the day."),
    N_("The first series is prepaid at the first visit with a {pct}% package discount (saves about {amount}); other visits as you go."),
    N_("Ask what happens to prepaid visits if treatment stops."),
    N_("Spravato is billed per session: no package."), N_("No package discount for this clinic (0% entered)."),
    N_("Nothing to finance: the patient pays nothing in this case."),
    N_("{n} equal payments of about {amount}, no interest."), N_("Offered by some clinics, case by case: ask."),
    N_("The whole period's bills are financed at the first visit (a simplification)."),
    N_("Superbill reimbursements still come back weeks later, as shown."),
    N_("{n} months of deferred interest; {amount} a month clears it in time, so no interest."),
    N_("The cliff: one payment missed in month {n}, so {amount} of interest is charged back to the purchase date, "
       "then {apr}% APR until paid ({total} of interest in all)."),
    N_("{n} payments of {amount} at {apr}% APR; {total} of interest in all."),
    N_("Bills paid from the HSA with untaxed money save the {rate}% tax rate: {amount} on {base}."),
    N_("Limit {limit} a year ({coverage} coverage), if the account is not needed for other bills."),
    N_("Limit {limit} a year ({coverage} coverage, with the 55+ catch-up), if the account is not needed for other bills."),
    N_("self-only"), N_("family"),
    N_("Unspent money stays in the account."),
    N_("{election} chosen for the first plan year (limit {limit}) saves {saving} at {rate}%."),
    N_("The amount entered is above the {limit} limit, so {used} is used."),
    N_("If the bills come in as estimated, {amount} would be lost at the year's end."),
    N_("Use it or lose it: if treatment stopped after the first month, {amount} would be lost (after carrying over up to {carry}, if the employer's plan allows it)."),
    N_("Use it or lose it: if treatment stopped after the first month, {amount} would be lost."),
    N_("The amount is chosen at open enrollment, before the plan year."),
    N_("Not available: new HSA contributions need a high-deductible health plan (HDHP); this plan is {payer}."),
    N_("Money already in an HSA from an earlier HDHP can still pay these bills."),
    N_("Available: the plan is a high-deductible health plan (HDHP), so the patient can put money into an HSA."),
    N_("Only if an employer offers a health FSA."),
    N_("The amount is chosen at open enrollment, before the plan year; what is not spent is lost (use it or lose it), apart from a small carryover if the plan allows one."),
)
PATTERNS = PATTERNS + tuple(m for m in FIELD_MESSAGES + ROUTE_NOTES if "{" in m)
SENTENCES = SENTENCES + tuple(m for m in FIELD_MESSAGES + ROUTE_NOTES if "{" not in m)


# fields whose words are fixed, so a label with a comma in it is not cut short
FIELD_RX = {"ab": r"Group [AB]"}


@cache
def _regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{FIELD_RX.get(p, '.+?')})" for i, p in enumerate(parts))
    return re.compile(rf"^{rx}$", re.DOTALL)


@lru_cache(maxsize=8192)
def say(text: str, lang: str = "en") -> str:
    """``text`` (an engine or data sentence) in ``lang``; unchanged in English or when unknown.

    Cached: the catalogue is fixed for the process, and a Spanish dashboard asks for the same
    sentences on every input change (an unknown one would otherwise walk every pattern again).
    """
    if lang == "en" or not text:
        return text
    _ = gettext_for(lang)
    out = _(text)
    if out != text:
        return out
    head, suffix = strip_suffix(text)
    if suffix and _(head) != head:
        return _(head) + _(suffix)
    whole = text + "."  # a sentence quoted without its full stop ("not covered (reason); ...")
    if _(whole) != whole:
        return _(whole).rstrip(".")
    pieces = _SENTENCE_BREAK.split(text)  # an engine note made of several sentences: each is a msgid
    if len(pieces) > 1:
        worded = [say(p, lang) for p in pieces]
        if all(w != p for w, p in zip(worded, pieces)):
            return " ".join(worded)
    for template in PATTERNS:
        m = _regex(template).match(text)
        if m:
            return _(template).format(**{k: _field(k, v, lang) for k, v in m.groupdict().items()})
    return text


_SENTENCE_BREAK = re.compile(r"(?<=[.:]) (?=[A-Z])")


def _field(name: str, value: str, lang: str) -> str:
    """A figure or name carried from the engine's sentence into the translated one (dates re-worded)."""
    if name == "shown":  # a list of settled figures, each worded on its own
        return ", ".join(say(part, lang) for part in value.split(", "))
    if name in ("year", "next", "n", "top", "code", "text", "choices", "scale", "pct", "apr", "rate", "amount", "total", "base",
                "limit", "election", "saving", "carry", "used", "floor", "first", "whole", "low", "high", "typical"):
        return value
    if name == "day":
        from datetime import datetime

        from ..i18n import day

        try:
            return day(datetime.strptime(value, "%d %b %Y").date(), lang, "short")
        except ValueError:
            return value
    return say(value, lang)


def known(text: str, lang: str) -> bool:
    """Whether :func:`say` has ``text`` in ``lang`` (a test's check)."""
    return lang == "en" or say(text, lang) != text


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


RELIABILITY_WORDS = {
    "official": N_("official"), "payer policy": N_("payer policy"), "peer-reviewed": N_("peer-reviewed"), "vendor": N_("vendor"),
    "clinic": N_("clinic"), "low": N_("low"), "assumption": N_("assumption"),
}


def period(name: str, lang: str = "en") -> str:
    """A period's name from :meth:`Comparison.periods` (``First month``, ``12 months``) in ``lang``."""
    if lang == "en":
        return name
    _ = gettext_for(lang)
    if name == "First month":
        return _("First month")
    n = name.split()[0]
    return _("{n} months").format(n=n)


def in_words(label: str, paths, periods: list[tuple[str, int]], lang: str = "en") -> str:
    """The engine's one plain sentence (:func:`toolkit.engine.paths.in_words`) worded in ``lang``:
    what is most likely to happen, what it costs, and what the other paths would cost."""
    from ..engine.paths import in_words as engine_in_words
    from ..i18n import dollars
    from ..money import fmt_pct

    if lang == "en" or not paths:
        return engine_in_words(label, paths, periods)
    _ = gettext_for(lang)
    likely = next(x for x in paths if x.likely)
    whole_name, whole = periods[-1]
    total = likely.range(whole)
    d = lambda c: dollars(c, lang)
    lo, typ, hi = likely.likelihood
    text = f"{label}, "
    if likely.key != "not_applicable":
        span = fmt_pct(typ) if lo == hi else _("{typical}, between {low} and {high}").format(typical=fmt_pct(typ), low=fmt_pct(lo), high=fmt_pct(hi))
        text += _("most likely ({chance}): ").format(chance=span)
    text += say(likely.means, lang) + ". "
    text += _("About {first} in the first month and {whole} over {period}").format(
        first=d(likely.total("typical", 1)), whole=d(total["typical"]), period=period(whole_name, lang).lower())
    if total["low"] != total["high"]:
        text += " " + _("({low} to {high} depending on prices)").format(low=d(total["low"]), high=d(total["high"]))
    if "accumulator" in likely.variants:
        acc = likely.variant("accumulator")
        text += " " + _("if the savings program's payments count toward the deductible and cap; about {first} and {whole} "
                        "if the plan has an accumulator (they do not count): ask the plan which").format(
            first=d(acc.total("typical", 1)), whole=d(acc.total("typical", whole)))
    text += "."
    others = [f"{say(x.means, lang)} ({fmt_pct(x.likelihood[1])}): {d(x.total('typical', whole))}" for x in paths if x is not likely]
    return text + (" " + _("Less likely: {others}.").format(others="; ".join(others)) if others else "")


def reauthorization(r, lang: str = "en") -> str:
    """A prior authorization's end (:attr:`toolkit.engine.schedule.Reauthorization.text`) in ``lang``."""
    if lang == "en":
        return r.text
    from ..i18n import day

    _ = gettext_for(lang)
    how = _("the period the plan gave") if r.from_plan else _("the usual period; plans give 1 to 12 months, so ask")
    return _("{day} ({months}-month approval: {how})").format(day=day(r.day, lang), months=r.months, how=how)

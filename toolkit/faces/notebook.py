"""One-call tables and panels for the topic notebooks, so each notebook cell is one call.

Tables are pandas DataFrames built from the engine or the data tables (deterministic, so
nbval can pin them). Panels follow the dashboard's rules: widgets collect values, the engine
computes, one function renders into an ``Output`` with ``clear_output(wait=True)`` so
nothing flickers.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import ipywidgets as W
import pandas as pd
from IPython.display import HTML, display

from ..data import (
    INDICATIONS,
    OPTIONS,
    PAYER_TYPES,
    STALE_AFTER_MONTHS,
    Dataset,
    dataset,
)
from ..engine.compare import compare
from ..engine.coverage import LEVEL_LABELS, NOT_INDICATED_LABEL, indicated
from ..engine.schedule import schedule_frame
from ..examples import DEFAULT_EXAMPLE, example_names, example_titles, load_example
from ..money import fmt_pct
from ..scenario import INDICATION_LABELS, OPTION_LABELS, PAYER_LABELS
from . import fragments as report

STYLE = {"description_width": "200px"}


def _panel(controls: list[W.Widget], render: Callable[[], None], out: W.Output) -> W.VBox:
    def update(_change: object = None) -> None:
        with out:
            out.clear_output(wait=True)
            try:
                render()
            except Exception as exc:  # noqa: BLE001 - show a message, never a traceback
                display(HTML(f"<div class='kt mathjax_ignore tex2jax_ignore err' role='alert'>Could not show this: {exc}</div>"))

    for c in controls:
        c.observe(update, names="value")
    update()
    return W.VBox([*controls, out])


def coverage_explorer() -> W.VBox:
    """Coverage level by payer type for the chosen indication."""
    ind = W.Dropdown(description="What is being treated", options=indication_options(), value="trd", style=STYLE, layout=W.Layout(width="520px"))
    out = W.Output()

    def render() -> None:
        display(HTML(report.CSS + "<div class='kt mathjax_ignore tex2jax_ignore'>" + coverage_matrix(ind.value).to_html(classes="kt-t") + "</div>"))

    return _panel([ind], render, out)


def example_picker(description: str = "Example situation") -> W.Dropdown:
    return W.Dropdown(description=description, options=example_titles(), value=DEFAULT_EXAMPLE, style=STYLE, layout=W.Layout(width="620px"))


def coverage_cards_for_example() -> W.VBox:
    pick = example_picker()
    out = W.Output()

    def render() -> None:
        display(HTML(report.CSS + report.coverage_cards(compare(load_example(pick.value), dataset()))))

    return _panel([pick], render, out)


def costs_for_example() -> W.VBox:
    """Cost table and the claim lines for one example."""
    pick = example_picker()
    out = W.Output()

    def render() -> None:
        comp = compare(load_example(pick.value), dataset())
        display(HTML(report.CSS + report.cost_table(comp) + report.explanation_html(comp)))

    return _panel([pick], render, out)


def schedule_for_example() -> W.VBox:
    """Dated sessions for both options, with the maintenance choices."""
    pick = example_picker()
    spravato = W.Dropdown(description="Spravato from week 9", options=[("Every 2 weeks", "every_2_weeks"), ("Weekly", "weekly")], style=STYLE)
    boosters = W.Dropdown(description="Weeks between IV boosters", options=[0, 3, 4, 5, 6, 8, 12], value=5, style=STYLE)
    out = W.Output()

    def render() -> None:
        s = load_example(pick.value)
        s = s.model_copy(update={"schedule": s.schedule.model_copy(update={"spravato_maintenance": spravato.value, "iv_maintenance_interval_weeks": boosters.value})})
        comp = compare(s, dataset())
        display(HTML(report.CSS + report.schedule_view(comp)))
        for opt in comp.options.values():
            display(HTML(f"<div class='kt mathjax_ignore tex2jax_ignore'><h3>{opt.label}: every session</h3></div>"))
            display(schedule_frame(opt.sessions))

    return _panel([pick, spravato, boosters], render, out)


# ----------------------------------------------------------------------------- tables


def coverage_matrix(indication: str = "trd", ds: Dataset | None = None) -> pd.DataFrame:
    """Base coverage level and likelihood by payer type for one indication (before the PA checklist)."""
    ds = ds or dataset()
    rows = []
    for payer in PAYER_TYPES:
        row = {"coverage": PAYER_LABELS[payer]}
        for option in OPTIONS:
            c = ds.coverage_row(payer, option, indication)
            rate = "published" if c.rate_published else "assumed"
            span = fmt_pct(c.likelihood_low) if c.likelihood_low == c.likelihood_high else f"{fmt_pct(c.likelihood_low)}-{fmt_pct(c.likelihood_high)}"
            level = LEVEL_LABELS[c.level] if indicated(option, indication) else NOT_INDICATED_LABEL
            row[OPTION_LABELS[option]] = f"{level} ({span}, {rate})"
        rows.append(row)
    return pd.DataFrame(rows).set_index("coverage")


def criteria_table(ds: Dataset | None = None) -> pd.DataFrame:
    """The prior-authorization criteria payers usually apply, with who supplies the evidence."""
    ds = ds or dataset()
    rows = []
    for entries in ds.criteria.values():
        for c in entries:
            rows.append({"criterion": c.criterion, "applies to": c.option.replace("_", " "), "how common": c.how_common, "who supplies it": c.who_supplies, "source": c.source.cite()})
    return pd.DataFrame(rows)


def rules_table(prefixes: tuple[str, ...] = ("appeal.",), ds: Dataset | None = None) -> pd.DataFrame:
    """Rules of the year (limits, deadlines) whose id starts with one of ``prefixes``."""
    ds = ds or dataset()
    rows = []
    for v in ds.parameters.values():
        if v.id.startswith(prefixes):
            if v.unit == "list":  # a list row (the ABN's steps ...): its values are words, not a range
                value = v.text
            else:
                value = f"{v.typical:g} {v.unit}" if v.low == v.high else f"{v.low:g} to {v.high:g} {v.unit} (typical {v.typical:g})"
            rows.append({"rule": v.label, "value": value, "source": v.source.cite(), "conflict": v.source.conflict})
    return pd.DataFrame(rows)


def examples_overview(ds: Dataset | None = None) -> pd.DataFrame:
    """Every example situation: coverage, the most likely path and what it costs, and the average for comparing."""
    ds = ds or dataset()
    rows = []
    for name in example_names():
        comp = compare(load_example(name), ds)
        for opt in comp.options.values():
            rows.append(
                {
                    "example": comp.scenario.title,
                    "option": opt.label,
                    "coverage": opt.coverage.level_label,
                    "months": comp.scenario.horizon_months,
                    "most likely": opt.likely_path.short,
                    "chance": round(float(opt.likely_path.likelihood[1]), 3),
                    "it costs": opt.likely_path.total() / 100,
                    "if approved": opt.run("approved").totals()["net"] / 100,
                    "average (for comparing)": opt.total("expected") / 100,
                }
            )
    return pd.DataFrame(rows)


def indication_options() -> list[tuple[str, str]]:
    return [(INDICATION_LABELS[i], i) for i in INDICATIONS]


# ----------------------------------------------------------------------------- data summaries


def data_counts() -> str:
    """Row counts per table (deterministic: safe for nbval to compare)."""
    ds = dataset()
    by_table: dict[str, int] = {}
    for table, _key, _label, _src in ds.all_sources():
        by_table[table] = by_table.get(table, 0) + 1
    lines = ["data/ is valid: every row has a source, a link, an as-of date and a reliability tag."]
    lines += [f"  {table}: {n} rows" for table, n in sorted(by_table.items())]
    return "\n".join(lines)


def data_check_summary(today: date | None = None) -> str:
    """Row counts plus how many rows are stale (older than 18 months) as of ``today``."""
    ds = dataset()
    stale = ds.stale(today)
    total = len(ds.all_sources())
    undated = sum(1 for *_, src in ds.all_sources() if src.undated)
    return (
        data_counts()
        + f"\n{undated} of {total} rows come from undated pages (as-of = the day the page was read; real age unknown)."
        + f"\n{len(stale)} of {total} rows have an as-of date more than {STALE_AFTER_MONTHS} months old: re-check them (see 06_data_and_sources)."
    )


def sources_table(today: date | None = None) -> pd.DataFrame:
    """Every figure with its source, date, reliability and a stale flag."""
    return dataset().sources_frame(today)[["table", "id", "what", "value", "source", "as_of", "reliability", "stale", "undated", "url"]]


def conflicts_table() -> pd.DataFrame:
    """Rows where sources disagree, with who says what."""
    df = dataset().sources_frame()
    return df[df["conflict"].astype(str).str.len() > 0][["table", "id", "value", "conflict"]].reset_index(drop=True)


# ----------------------------------------------------------------------------- decision-aid standards

# IPDAS minimum standards (Joseph-Williams et al., Med Decis Making 2014;34(6):699-710): six qualifying
# criteria, six certification criteria and four for screening tests; how this cost-and-coverage aid meets each
IPDAS = (
    ("qualifying", "Describes the health condition or problem", "met, briefly",
     "00_start_here names the conditions (treatment-resistant depression, depression with suicidal thoughts, PTSD, chronic pain) and says the clinical choice belongs with the prescriber."),
    ("qualifying", "States the decision explicitly", "met", "IV ketamine infusions or Spravato (esketamine) nasal spray: the title of every page, the dashboard and the handout."),
    ("qualifying", "Describes the options", "met", "Both options side by side: how each is given (REMS observation, infusion and recovery), billed, covered and scheduled."),
    ("qualifying", "Describes the positive features of each option", "met for costs, coverage and schedule; clinical benefit does not apply",
     "Chance the plan pays, what helps approval, the savings program, fewer sessions. Clinical effectiveness is for the prescriber: the toolkit is not a treatment decision aid."),
    ("qualifying", "Describes the negative features of each option", "met for costs and burden; side effects do not apply",
     "What a denial costs, balance bills, the deferred-interest cliff, hours in clinic, rides home, no driving until the next day. Side effects are for the prescriber."),
    ("qualifying", "Describes what it is like to experience the consequences", "met for the schedule and the bills",
     "Sessions per month, hours in clinic, rides home, the claim lines month by month, what the patient does after a final denial."),
    ("certification", "Shows positive and negative features with equal detail", "met",
     "The same tables, chart and wording for both options; neither is listed first in a way that favours it (IV ketamine comes first everywhere, as an alphabet-like fixed order)."),
    ("certification", "Provides citations to the evidence", "met", "Every figure names its source, link, date and reliability (data/*.csv, 06_data_and_sources, the handout's sources line)."),
    ("certification", "Provides a production or publication date", "met", "The handout prints the date it was prepared and the date range of the figures; the README gives the toolkit version."),
    ("certification", "Provides information about the update policy", "met",
     "README 'Where the data comes from, and how to update it': rows older than 18 months are flagged by check-data and this notebook; the source's date travels with every figure."),
    ("certification", "Provides information about the uncertainty around probabilities", "met",
     "Every chance is a range with its source or marked as an assumption; each path carries its likelihood range; prices run low to high; notebook 05 simulates."),
    ("certification", "Provides information about the funding used for development", "met",
     "README 'Who made it': an open-source project with no funding, advertising or referral payments from any drug maker, clinic, insurer or lender."),
    ("screening", "Four criteria for screening tests", "do not apply", "This is not a screening or diagnostic test decision."),
)


def ipdas_table() -> pd.DataFrame:
    """How the toolkit meets the IPDAS minimum standards for patient decision aids, one row per criterion."""
    return pd.DataFrame(IPDAS, columns=["kind", "criterion", "met?", "how"])

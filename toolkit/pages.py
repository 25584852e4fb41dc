"""Small widget panels for the topic notebooks, so each notebook cell is one call.

Same rules as the dashboard: widgets collect values, the engine computes, one function
renders into an ``Output`` with ``clear_output(wait=True)`` so nothing flickers.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as W
from IPython.display import HTML, display

from . import report
from .compare import compare
from .datasets import dataset
from .examples import DEFAULT_EXAMPLE, example_titles, load_example
from .schedule import schedule_frame
from .tables import coverage_matrix, indication_options

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

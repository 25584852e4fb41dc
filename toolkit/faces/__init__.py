"""The faces: what a person sees. Thin shells handed what the engine computed.

Nothing here computes money; nothing below this folder imports from it. Widget modules
import ipywidgets; the CLI, the handout and the calendar file do not, so the light install
(no Jupyter) runs them.

=================== ===============================================================
module              face
=================== ===============================================================
``cli``             ``python -m toolkit`` (compare, examples, check-data, batch, handout)
``dashboard``       the advisor dashboard (01_compare_options, Voila)
``form``            the dashboard's form, declared as a table of fields
``widgets``         alert, safe-callback, image and download helpers shared by every panel
``html``            HTML fragments of a comparison (Jinja2 templates, one escaping rule)
``charts``          the running-total chart
``handout``         the patient handout (HTML, PDF)
``calendar_file``   the .ics file with reminders
``takeaway``        the dashboard's "take it home" panel and the notebook 03/04 explorers
``money_view``      ways to pay and clinic quotes as tables and a chart
``scenarios_panel`` notebook 05: the widgets (runs the analyses, hands each tab its tables)
``scenarios_html``  notebook 05: each tab's sentence, chart and numbers as HTML
``scenarios_charts`` notebook 05: if denied, best/worst, tornado, grid, what-if charts
``montecarlo_charts`` notebook 05: simulation and break-even charts
``workflow_panel``  notebook 02
``exporter``        Save and Download-links buttons for a document (notebook 02)
``notebook``        one-call tables and panels for the topic notebooks
=================== ===============================================================
"""

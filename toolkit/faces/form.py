"""The dashboard's form, declared as a table of fields and validated by the scenario model.

Why a table: each field is one row (where it lives in the scenario, what kind of widget,
the label a person reads), so adding a field is one line and the widgets, reading, writing
and messages are built the same way for all of them. The form does no parsing of its own:
typed text goes to the :class:`~toolkit.scenario.Scenario` model as typed, whose
``Dollars`` and ``Percent`` types read "$1,000" and "20 %" (see
:func:`toolkit.scenario.read_money`), and each problem comes back on its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

import ipywidgets as W

from ..data import Dataset
from ..i18n import N_, gettext_for
from ..plan import ASSISTANCE_LABELS, MEDIGAP_LABELS, OON_METHOD_LABELS, TRICARE_GROUPS
from ..scenario import (
    INDICATION_LABELS,
    PAYER_LABELS,
    Scenario,
    ScenarioError,
    set_path,
    validate_scenario,
)
from .widgets import field_message
from .words import say

LABEL_WIDTH = "270px"
FIELD_WIDTH = "470px"
MONTHS = [(date(2000, m, 1).strftime("%B"), m) for m in range(1, 13)]
TEXT_KINDS = ("money", "money_opt", "percent", "percent_opt", "text", "int_opt", "codes")


@dataclass(frozen=True)
class Spec:
    """One row of the form: the scenario path, the kind of input, its label and choices."""

    path: str
    kind: str  # money, money_opt, percent, percent_opt, int, int_opt, bool, choice, date, text
    label: str
    options: tuple = ()
    placeholder: str = ""
    data_row: str = ""  # a price field: its published range is the placeholder
    payers: tuple[str, ...] = ()  # shown only for these types of coverage (empty: always)


def month_names(lang: str) -> list[tuple[str, int]]:
    """The twelve months as (name, number) in ``lang`` (Babel's names for Spanish)."""
    if lang == "en":
        return list(MONTHS)
    from babel.dates import get_month_names

    from ..i18n import LOCALES

    names = get_month_names("wide", locale=LOCALES[lang])
    return [(names[m].capitalize(), m) for m in range(1, 13)]


def H(text: str) -> str:
    """A heading inside a step (not a field)."""
    return text


STEPS: tuple[tuple[str, str, tuple], ...] = (
    (N_("1 Situation"), N_("<b>Step 1. The patient's situation.</b> No names or identifiers."), (
        "EXAMPLE_PICKER",
        Spec("title", "text", N_("Situation (description, no names)")),
        Spec("indication", "choice", N_("What is being treated"), tuple((v, k) for k, v in INDICATION_LABELS.items())),
        Spec("history.adult", "bool", N_("Patient is 18 or older")),
        Spec("history.antidepressant_trials", "int", N_("Antidepressants tried (6+ weeks each)")),
        Spec("history.different_classes", "bool", N_("Trials were from two or more drug classes")),
        Spec("history.augmentation_tried", "bool", N_("An augmentation medicine was tried")),
        Spec("history.on_oral_antidepressant", "bool", N_("Currently taking an oral antidepressant")),
        Spec("history.psychiatrist_involved", "bool", N_("A psychiatrist prescribes or consults")),
        Spec("history.baseline_scale", "choice", N_("Baseline depression scale"), ("PHQ-9", "MADRS", "HAM-D", "QIDS-SR", "none")),
        Spec("history.baseline_score", "int_opt", N_("Baseline score"), placeholder=N_("empty = not measured")),
        Spec("history.contraindication", "bool", N_("Spravato contraindication (aneurysm, AVM, brain bleed)")),
    )),
    (N_("2 Insurance"), N_("<b>Step 2. Insurance.</b> Figures from the plan's summary of benefits; leave out member IDs."), (
        Spec("plan.payer_type", "choice", N_("Type of coverage"), tuple((v, k) for k, v in PAYER_LABELS.items())),
        Spec("plan.plan_year_start_month", "choice", N_("Plan year starts in"), tuple(MONTHS)),
        H(N_("<i>In network</i>")),
        Spec("plan.in_network.deductible", "money", N_("Deductible ($)")),
        Spec("plan.in_network.deductible_met", "money", N_("Deductible met so far ($)")),
        Spec("plan.in_network.coinsurance_pct", "percent", N_("Coinsurance (%)")),
        Spec("plan.in_network.copay", "money", N_("Copay per visit ($, 0 if none)")),
        Spec("plan.in_network.oop_max", "money_opt", N_("Out-of-pocket maximum ($)"), placeholder=N_("empty = no cap")),
        Spec("plan.in_network.oop_met", "money", N_("Out-of-pocket met so far ($)")),
        Spec("has_oon", "bool", N_("Plan has out-of-network benefits")),
        Spec("plan.out_of_network.deductible", "money", N_("Out-of-network deductible ($)")),
        Spec("plan.out_of_network.coinsurance_pct", "percent", N_("Out-of-network coinsurance (%)")),
        Spec("plan.out_of_network.oop_max", "money_opt", N_("Out-of-network out-of-pocket max ($)"), placeholder=N_("empty = no cap")),
        Spec("plan.oon_allowed_method", "choice", N_("Out-of-network allowed amount is"), tuple((v, k) for k, v in OON_METHOD_LABELS.items())),
        Spec("plan.oon_allowed_pct", "percent_opt", N_("Out-of-network allowed (% of charge)"), data_row="oon.allowed_share"),
        Spec("plan.oon_medicare_pct", "percent_opt", N_("Out-of-network allowed (% of Medicare)"), data_row="oon.medicare_multiple"),
        Spec("plan.oon_allowed_amounts", "codes", N_("Allowed by code ($, code: amount)"), placeholder="e.g. 96365: 350, 90791: 200"),
        H(N_("<i>How each option is billed</i>")),
        Spec("plan.spravato_drug_benefit", "choice", N_("Spravato drug paid under"), ((N_("Medical benefit"), "medical"), (N_("Pharmacy benefit"), "pharmacy"))),
        Spec("plan.pharmacy_coinsurance_pct", "percent", N_("Specialty pharmacy coinsurance (%)")),
        Spec("plan.spravato_clinic_in_network", "bool", N_("The Spravato clinic is in network (visits)")),
        Spec("plan.spravato_drug_in_network", "choice", N_("The clinic's drug claim (medical codes) is"), ((N_("As the visit"), None), (N_("In network"), True), (N_("Out of network"), False))),
        Spec("plan.iv_claim_route", "choice", N_("IV ketamine is paid"), ((N_("Self-pay, no claim"), "self_pay"), (N_("Self-pay, then superbill out of network"), "superbill"), (N_("Billed in network (plan policy covers it)"), "in_network"))),
        Spec("plan.pa_approval_months", "int_opt", N_("Prior authorization approved for (months)"), placeholder=N_("empty = the usual period")),
        H(N_("<i>Medicare</i>")),
        Spec("plan.medigap", "choice", N_("Medicare supplement (Medigap)"), tuple((v, k) for k, v in MEDIGAP_LABELS.items()), payers=("medicare",)),
        Spec("plan.medicare_spravato_route", "choice", N_("Medicare pays Spravato under"), ((N_("Part B, billed by the clinic (G2082/G2083)"), "part_b"), (N_("Part D, from a specialty pharmacy"), "part_d")), payers=("medicare", "medicare_advantage")),
        Spec("plan.part_d_deductible", "money_opt", N_("Part D deductible ($)"), placeholder=N_("empty = the standard maximum"), payers=("medicare", "medicare_advantage")),
        Spec("plan.tricare_group", "choice", N_("TRICARE plan (sets deductible, copays, cap)"), ((N_("Not asked yet"), None),) + tuple((v, k) for k, v in TRICARE_GROUPS.items()), payers=("tricare",)),
        Spec("plan.tricare_group_b", "bool", N_("Sponsor joined on or after 1 Jan 2018 (Group B)"), payers=("tricare",)),
        Spec("plan.tricare_junior_enlisted", "bool", N_("Sponsor is E-1 to E-4"), payers=("tricare",)),
        Spec("plan.medicaid_monthly_income", "money_opt", N_("Family income per month ($, for the 5% cap)"), placeholder=N_("empty = not counted"), payers=("medicaid",)),
        H(N_("<i>Spravato savings program</i>")),
        Spec("plan.manufacturer_savings", "bool", N_("Use the Spravato savings program if eligible")),
        Spec("plan.copay_assistance_counts", "choice", N_("Do the savings count toward the deductible?"), tuple((v, k) for k, v in ASSISTANCE_LABELS.items())),
        Spec("plan.state", "text", N_("State (2 letters, program rules only)"), placeholder=N_("e.g. MN")),
    )),
    (N_("3 Clinic prices"), N_("<b>Step 3. Clinic prices.</b> Leave a field empty to use the published range; type the clinic's quote to replace it."), (
        Spec("prices.iv_infusion", "money_opt", N_("IV infusion, per infusion ($)"), data_row="iv.infusion.depression"),
        Spec("prices.iv_booster", "money_opt", N_("IV booster, per infusion ($)"), data_row="iv.booster.depression"),
        Spec("prices.iv_consultation", "money_opt", N_("IV consultation ($)"), data_row="iv.consultation"),
        Spec("prices.iv_package_discount_pct", "percent_opt", N_("Package discount, first series (%)"), data_row="iv.package_discount"),
        Spec("prices.spravato_device", "money_opt", N_("Spravato, per 28 mg device ($)"), data_row="spravato.device_28mg"),
        Spec("prices.spravato_observation", "money_opt", N_("Spravato observation visit ($)"), data_row="spravato.observation_visit"),
        Spec("prices.spravato_cash_session", "money_opt", N_("Spravato self-pay, per session ($)"), data_row="spravato.cash_per_session"),
    )),
    (N_("4 Schedule"), N_("<b>Step 4. Schedule.</b>"), (
        Spec("start_date", "date", N_("First session")),
        Spec("horizon_months", "choice", N_("Months to compare"), (3, 6, 12, 18, 24, 36)),
        Spec("schedule.iv_protocol", "choice", N_("IV protocol"), ((N_("Depression (40-minute infusion)"), "depression"), (N_("Pain (longer infusion)"), "pain"))),
        Spec("schedule.iv_induction_infusions", "int", N_("IV infusions in the first series")),
        Spec("schedule.iv_induction_per_week", "int", N_("IV infusions per week (first series)")),
        Spec("schedule.iv_maintenance_interval_weeks", "int", N_("Weeks between IV boosters (0 = none)")),
        Spec("schedule.spravato_dose_mg", "choice", N_("Spravato dose after day 1"), (("28 mg", 28), ("56 mg", 56), ("84 mg", 84))),
        Spec("schedule.spravato_maintenance", "choice", N_("Spravato from week 9"), ((N_("Every 2 weeks"), "every_2_weeks"), (N_("Weekly"), "weekly"))),
    )),
)
# parts of a scenario the form does not show, carried through unchanged
HIDDEN = ("description", "iv_likelihood_pct", "spravato_likelihood_pct", "marginal_tax_rate_pct",
          "plan.copay_before_deductible", "plan.copays_count_toward_deductible", "plan.pharmacy_copay",
          "schedule.iv_custom_phases", "schedule.spravato_custom_phases", "plan.in_network_allowed_amounts",
          "plan.tricare_from_eob")
OON_DEFAULTS = {"deductible": "0", "coinsurance_pct": "40", "oop_max": None}


def read_codes(text: str) -> dict[str, str]:
    """Amounts by code as an advisor types them: ``"96365: 350, 90791: 200"``; the model checks codes and amounts.

    >>> read_codes("96365: $350; 99214 : 180")
    {'96365': '$350', '99214': '180'}
    >>> read_codes("")
    {}
    """
    out = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        code, sep, amount = part.partition(":")
        if not sep or not code.strip() or not amount.strip():
            raise ValueError(f"write each code and its amount as code: amount, e.g. 96365: 350 (not {part.strip()!r})")
        out[code.strip()] = amount.strip()
    return out


def plain_number(value: Any) -> str:
    """A Decimal as a person types it: ``Decimal('1500.00')`` -> ``1500``."""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _get(obj: Any, path: str) -> Any:
    for k in path.split("."):
        obj = getattr(obj, k) if obj is not None else None
    return obj.value if hasattr(obj, "value") and not isinstance(obj, (int, Decimal)) else obj  # enums


@dataclass
class Field:
    """One field on screen: its row of the table, its widget and its message line."""

    spec: Spec
    widget: W.ValueWidget
    message: W.HTML
    box: W.Box

    @property
    def path(self) -> str:
        return self.spec.path

    @property
    def kind(self) -> str:
        return self.spec.kind

    def read(self) -> Any:
        """The value as typed; the scenario model reads and checks it."""
        v = self.widget.value
        kind = self.spec.kind
        if kind == "date" and v is None:
            raise ValueError("enter a valid date (for example 2027-01-04)")
        if kind in ("money_opt", "percent_opt", "int_opt") and not str(v).strip():
            return None
        if kind == "text":
            return str(v).strip().upper() if self.path.endswith("state") else str(v)
        if kind == "codes":
            return read_codes(str(v))
        return v

    def write(self, value: Any) -> None:
        if self.spec.kind in ("money", "money_opt", "percent", "percent_opt"):
            self.widget.value = "" if value is None else plain_number(value)
        elif self.spec.kind == "int_opt":
            self.widget.value = "" if value is None else str(value)
        elif self.spec.kind == "codes":
            self.widget.value = ", ".join(f"{code}: {plain_number(amount)}" for code, amount in (value or {}).items())
        else:
            self.widget.value = value


class Form:
    """The four steps as tabs; ``fields`` by scenario path; ``read()`` -> Scenario or ScenarioError."""

    def __init__(self, ds: Dataset, on_change: Callable[[dict], None], example_picker: W.Widget):
        self.ds = ds
        self.fields: dict[str, Field] = {}
        self._hidden: dict[str, Any] = {}
        self.lang = "en"
        self._texts: list[tuple[W.HTML, str]] = []  # step intros and headings, with their msgids
        tabs = []
        for title, intro, rows in STEPS:
            children: list[W.Widget] = [W.HTML(intro)]
            self._texts.append((children[0], intro))
            for row in rows:
                if row == "EXAMPLE_PICKER":
                    children.append(example_picker)
                elif isinstance(row, str):
                    children.append(W.HTML(row))
                    self._texts.append((children[-1], row))
                else:
                    children.append(self._build(row, on_change))
            tabs.append((title, W.VBox(children)))
        self.widget = W.Tab(children=[box for _, box in tabs], layout=W.Layout(width="510px", flex="0 0 510px"))
        for i, (title, _) in enumerate(tabs):
            self.widget.set_title(i, title)
        self.fields["has_oon"].widget.observe(self._toggle_oon, names="value")
        self.fields["plan.payer_type"].widget.observe(self._show_for_payer, names="value")
        self._show_for_payer()

    def _build(self, spec: Spec, on_change: Callable[[dict], None]) -> W.Box:
        style = {"description_width": LABEL_WIDTH}
        layout = W.Layout(width=FIELD_WIDTH)
        placeholder, tooltip = self._hints(spec)
        if spec.kind in TEXT_KINDS:
            w: W.ValueWidget = W.Text(description=spec.label, placeholder=placeholder, continuous_update=False, style=style, layout=layout)
        elif spec.kind == "int":
            w = W.IntText(description=spec.label, continuous_update=False, style=style, layout=layout)
        elif spec.kind == "bool":
            w = W.Checkbox(description=spec.label, indent=False, layout=W.Layout(width=FIELD_WIDTH))
        elif spec.kind == "choice":
            w = W.Dropdown(description=spec.label, options=list(spec.options), style=style, layout=layout)
        elif spec.kind == "date":
            w = W.DatePicker(description=spec.label, style=style, layout=layout)
        else:  # pragma: no cover - a typo in the table
            raise ValueError(spec.kind)
        if tooltip:
            w.tooltip = tooltip
        msg = W.HTML(value="", layout=W.Layout(margin="0 0 0 8px"))
        box = W.VBox([w, msg], layout=W.Layout(margin="0 0 2px 0"))
        self.fields[spec.path] = Field(spec, w, msg, box)
        w.observe(on_change, names="value")
        return box

    def _hints(self, spec: Spec, lang: str = "en") -> tuple[str, str]:
        """(placeholder, tooltip) of a field in ``lang``: a field backed by a data row shows the published range."""
        _ = gettext_for(lang)
        if not spec.data_row:
            return (_(spec.placeholder) if spec.placeholder else ""), ""
        v = self.ds.value(spec.data_row)
        if spec.kind == "percent_opt":
            placeholder = _("published {low}-{high}%, typical {typical}%").format(low=f"{v.low * 100:g}", high=f"{v.high * 100:g}", typical=f"{v.typical * 100:g}")
        else:
            placeholder = _("published {low}-{high}, typical {typical}").format(low=f"${v.low:,.0f}", high=f"${v.high:,.0f}", typical=f"${v.typical:,.0f}")
        return placeholder, _("Empty = published range ({source})").format(source=v.source.cite())

    def relabel(self, lang: str) -> None:
        """Every label, choice and placeholder in ``lang`` (values stay as they are; the caller holds change events)."""
        _ = gettext_for(lang)
        self.lang = lang
        for i, (title, _intro, _rows) in enumerate(STEPS):
            self.widget.set_title(i, _(title))
        for w, msgid in self._texts:
            w.value = _(msgid)
        for fld in self.fields.values():
            spec, w = fld.spec, fld.widget
            w.description = _(spec.label)
            placeholder, tooltip = self._hints(spec, lang)
            if placeholder and hasattr(w, "placeholder"):
                w.placeholder = placeholder
            if tooltip:
                w.tooltip = tooltip
            if spec.kind == "choice":
                value = w.value
                if spec.path == "plan.plan_year_start_month":
                    w.options = month_names(lang)
                else:
                    w.options = [(_(o[0]), o[1]) if isinstance(o, tuple) and isinstance(o[0], str) else o for o in spec.options]
                w.value = value

    def _show_for_payer(self, _change: dict | None = None) -> None:
        """Fields that apply to one type of coverage only (Medigap, TRICARE group) show for it alone."""
        payer = self.fields["plan.payer_type"].widget.value
        for fld in self.fields.values():
            if fld.spec.payers:
                fld.box.layout.display = "" if payer in fld.spec.payers else "none"

    def _toggle_oon(self, _change: dict | None = None) -> None:
        on = self.fields["has_oon"].widget.value
        for path, fld in self.fields.items():
            if path.startswith("plan.out_of_network."):
                fld.widget.disabled = not on

    def load(self, scenario: Scenario) -> None:
        """Every field from a scenario (the caller holds change events while this runs)."""
        data = scenario.model_dump()
        self._hidden = {}
        for path in HIDDEN:
            node: Any = data
            for k in path.split("."):
                node = node[k]
            self._hidden[path] = node
        for path, fld in self.fields.items():
            if path == "has_oon":
                fld.write(scenario.plan.out_of_network is not None)
            elif path.startswith("plan.out_of_network.") and scenario.plan.out_of_network is None:
                fld.write(OON_DEFAULTS[path.rpartition(".")[2]])
            else:
                fld.write(_get(scenario, path))
        self._toggle_oon()
        self._show_for_payer()

    def read(self) -> Scenario:
        """Widget values -> validated Scenario, or ScenarioError naming each bad field."""
        data: dict = {"schema_version": 1}
        problems: list[tuple[str, str]] = []
        has_oon = self.fields["has_oon"].widget.value
        for path, fld in self.fields.items():
            if path == "has_oon" or (path.startswith("plan.out_of_network.") and not has_oon):
                continue
            try:
                set_path(data, path, fld.read())
            except ValueError as exc:
                problems.append((path, str(exc)))
        if has_oon:
            data["plan"].setdefault("out_of_network", {}).setdefault("copay", Decimal(0))
        else:
            data["plan"]["out_of_network"] = None
        for path, value in self._hidden.items():
            set_path(data, path, value)
        if problems:
            raise ScenarioError(problems)
        return validate_scenario(data)

    def clear_messages(self) -> None:
        for fld in self.fields.values():
            fld.message.value = ""

    def show_problems(self, exc: ScenarioError) -> tuple[list[str], list[str]]:
        """Each problem beside its field; returns (labels of the fields, problems with no field)."""
        labels, unplaced = [], []
        for path, msg in exc.problems:
            fld = self.field_for(path)
            if fld is not None:
                fld.message.value = field_message(say(msg, self.lang))
                labels.append(fld.widget.description)
            else:
                unplaced.append(f"{path}: {say(msg, self.lang)}")
                labels.append(path)
        return labels, unplaced

    def field_for(self, path: str) -> Field | None:
        """The field a problem belongs to: the path itself or its nearest parent on the form."""
        while path:
            if path in self.fields:
                return self.fields[path]
            path = path.rpartition(".")[0]
        return None

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


def H(text: str) -> str:
    """A heading inside a step (not a field)."""
    return text


STEPS: tuple[tuple[str, str, tuple], ...] = (
    ("1 Situation", "<b>Step 1. The patient's situation.</b> No names or identifiers.", (
        "EXAMPLE_PICKER",
        Spec("title", "text", "Situation (description, no names)"),
        Spec("indication", "choice", "What is being treated", tuple((v, k) for k, v in INDICATION_LABELS.items())),
        Spec("history.adult", "bool", "Patient is 18 or older"),
        Spec("history.antidepressant_trials", "int", "Antidepressants tried (6+ weeks each)"),
        Spec("history.different_classes", "bool", "Trials were from two or more drug classes"),
        Spec("history.augmentation_tried", "bool", "An augmentation medicine was tried"),
        Spec("history.on_oral_antidepressant", "bool", "Currently taking an oral antidepressant"),
        Spec("history.psychiatrist_involved", "bool", "A psychiatrist prescribes or consults"),
        Spec("history.baseline_scale", "choice", "Baseline depression scale", ("PHQ-9", "MADRS", "HAM-D", "QIDS-SR", "none")),
        Spec("history.baseline_score", "int_opt", "Baseline score", placeholder="empty = not measured"),
        Spec("history.contraindication", "bool", "Spravato contraindication (aneurysm, AVM, brain bleed)"),
    )),
    ("2 Insurance", "<b>Step 2. Insurance.</b> Figures from the plan's summary of benefits; leave out member IDs.", (
        Spec("plan.payer_type", "choice", "Type of coverage", tuple((v, k) for k, v in PAYER_LABELS.items())),
        Spec("plan.plan_year_start_month", "choice", "Plan year starts in", tuple(MONTHS)),
        H("<i>In network</i>"),
        Spec("plan.in_network.deductible", "money", "Deductible ($)"),
        Spec("plan.in_network.deductible_met", "money", "Deductible met so far ($)"),
        Spec("plan.in_network.coinsurance_pct", "percent", "Coinsurance (%)"),
        Spec("plan.in_network.copay", "money", "Copay per visit ($, 0 if none)"),
        Spec("plan.in_network.oop_max", "money_opt", "Out-of-pocket maximum ($)", placeholder="empty = no cap"),
        Spec("plan.in_network.oop_met", "money", "Out-of-pocket met so far ($)"),
        Spec("has_oon", "bool", "Plan has out-of-network benefits"),
        Spec("plan.out_of_network.deductible", "money", "Out-of-network deductible ($)"),
        Spec("plan.out_of_network.coinsurance_pct", "percent", "Out-of-network coinsurance (%)"),
        Spec("plan.out_of_network.oop_max", "money_opt", "Out-of-network out-of-pocket max ($)", placeholder="empty = no cap"),
        Spec("plan.oon_allowed_method", "choice", "Out-of-network allowed amount is", tuple((v, k) for k, v in OON_METHOD_LABELS.items())),
        Spec("plan.oon_allowed_pct", "percent_opt", "Out-of-network allowed (% of charge)", data_row="oon.allowed_share"),
        Spec("plan.oon_medicare_pct", "percent_opt", "Out-of-network allowed (% of Medicare)", data_row="oon.medicare_multiple"),
        Spec("plan.oon_allowed_amounts", "codes", "Allowed by code ($, code: amount)", placeholder="e.g. 96365: 350, 90791: 200"),
        H("<i>How each option is billed</i>"),
        Spec("plan.spravato_drug_benefit", "choice", "Spravato drug paid under", (("Medical benefit", "medical"), ("Pharmacy benefit", "pharmacy"))),
        Spec("plan.pharmacy_coinsurance_pct", "percent", "Specialty pharmacy coinsurance (%)"),
        Spec("plan.spravato_clinic_in_network", "bool", "The Spravato clinic is in network (visits)"),
        Spec("plan.spravato_drug_in_network", "choice", "The clinic's drug claim (medical codes) is", (("As the visit", None), ("In network", True), ("Out of network", False))),
        Spec("plan.iv_claim_route", "choice", "IV ketamine is paid", (("Self-pay, no claim", "self_pay"), ("Self-pay, then superbill out of network", "superbill"), ("Billed in network (plan policy covers it)", "in_network"))),
        Spec("plan.pa_approval_months", "int_opt", "Prior authorization approved for (months)", placeholder="empty = the usual period"),
        H("<i>Medicare</i>"),
        Spec("plan.medigap", "choice", "Medicare supplement (Medigap)", tuple((v, k) for k, v in MEDIGAP_LABELS.items()), payers=("medicare",)),
        Spec("plan.medicare_spravato_route", "choice", "Medicare pays Spravato under", (("Part B, billed by the clinic (G2082/G2083)", "part_b"), ("Part D, from a specialty pharmacy", "part_d")), payers=("medicare", "medicare_advantage")),
        Spec("plan.part_d_deductible", "money_opt", "Part D deductible ($)", placeholder="empty = the standard maximum", payers=("medicare", "medicare_advantage")),
        Spec("plan.tricare_group", "choice", "TRICARE plan (sets deductible, copays, cap)", ((("Not asked yet"), None),) + tuple((v, k) for k, v in TRICARE_GROUPS.items()), payers=("tricare",)),
        Spec("plan.tricare_group_b", "bool", "Sponsor joined on or after 1 Jan 2018 (Group B)", payers=("tricare",)),
        Spec("plan.tricare_junior_enlisted", "bool", "Sponsor is E-1 to E-4", payers=("tricare",)),
        Spec("plan.medicaid_monthly_income", "money_opt", "Family income per month ($, for the 5% cap)", placeholder="empty = not counted", payers=("medicaid",)),
        H("<i>Spravato savings program</i>"),
        Spec("plan.manufacturer_savings", "bool", "Use the Spravato savings program if eligible"),
        Spec("plan.copay_assistance_counts", "choice", "Do the savings count toward the deductible?", tuple((v, k) for k, v in ASSISTANCE_LABELS.items())),
        Spec("plan.state", "text", "State (2 letters, program rules only)", placeholder="e.g. MN"),
    )),
    ("3 Clinic prices", "<b>Step 3. Clinic prices.</b> Leave a field empty to use the published range; type the clinic's quote to replace it.", (
        Spec("prices.iv_infusion", "money_opt", "IV infusion, per infusion ($)", data_row="iv.infusion.depression"),
        Spec("prices.iv_booster", "money_opt", "IV booster, per infusion ($)", data_row="iv.booster.depression"),
        Spec("prices.iv_consultation", "money_opt", "IV consultation ($)", data_row="iv.consultation"),
        Spec("prices.iv_package_discount_pct", "percent_opt", "Package discount, first series (%)", data_row="iv.package_discount"),
        Spec("prices.spravato_device", "money_opt", "Spravato, per 28 mg device ($)", data_row="spravato.device_28mg"),
        Spec("prices.spravato_observation", "money_opt", "Spravato observation visit ($)", data_row="spravato.observation_visit"),
        Spec("prices.spravato_cash_session", "money_opt", "Spravato self-pay, per session ($)", data_row="spravato.cash_per_session"),
    )),
    ("4 Schedule", "<b>Step 4. Schedule.</b>", (
        Spec("start_date", "date", "First session"),
        Spec("horizon_months", "choice", "Months to compare", (3, 6, 12, 18, 24, 36)),
        Spec("schedule.iv_protocol", "choice", "IV protocol", (("Depression (40-minute infusion)", "depression"), ("Pain (longer infusion)", "pain"))),
        Spec("schedule.iv_induction_infusions", "int", "IV infusions in the first series"),
        Spec("schedule.iv_induction_per_week", "int", "IV infusions per week (first series)"),
        Spec("schedule.iv_maintenance_interval_weeks", "int", "Weeks between IV boosters (0 = none)"),
        Spec("schedule.spravato_dose_mg", "choice", "Spravato dose after day 1", (("28 mg", 28), ("56 mg", 56), ("84 mg", 84))),
        Spec("schedule.spravato_maintenance", "choice", "Spravato from week 9", (("Every 2 weeks", "every_2_weeks"), ("Weekly", "weekly"))),
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
        tabs = []
        for title, intro, rows in STEPS:
            children: list[W.Widget] = [W.HTML(intro)]
            for row in rows:
                if row == "EXAMPLE_PICKER":
                    children.append(example_picker)
                elif isinstance(row, str):
                    children.append(W.HTML(row))
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
        placeholder, tooltip = spec.placeholder, ""
        if spec.data_row:
            v = self.ds.value(spec.data_row)
            placeholder = (f"published {v.low * 100:g}-{v.high * 100:g}%, typical {v.typical * 100:g}%" if spec.kind == "percent_opt"
                           else f"published ${v.low:,.0f}-${v.high:,.0f}, typical ${v.typical:,.0f}")
            tooltip = f"Empty = published range ({v.source.cite()})"
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
                fld.message.value = field_message(msg)
                labels.append(fld.widget.description)
            else:
                unplaced.append(f"{path}: {msg}")
                labels.append(path)
        return labels, unplaced

    def field_for(self, path: str) -> Field | None:
        """The field a problem belongs to: the path itself or its nearest parent on the form."""
        while path:
            if path in self.fields:
                return self.fields[path]
            path = path.rpartition(".")[0]
        return None

"""Import and export of planning lists ("Danh sách quy hoạch") in the province's layout.

A row is one cadre planned for one position of one unit in one term, matched on (cadre by CCCD,
position, unit, term) among the entries still in the plan. The decision that adds a row is named
in the file's "Quyết định" column by its number (chosen over a field on the upload form: the same
file then imports the same way from the admin and a command, and one file may carry rows of an
approval and of an addition). A row runs ``PlanningEntry.clean()``, so the planning hard rules
(planning/rules.py) reject a row with the rule's own message, and the limits count the rows of the
file accepted before it as well as the stored entries (five candidates for one post: the fourth
and fifth rows are refused).

Names that several records share are read in the row's context: a term name ("2025-2030") is
the term of the unit's level, a decision number the decision of that term, a position title the
position of that level; the unit is the one standing for its name on the decision's date. So a
list exported from the admin imports back unchanged.

Name, birth date and current post are exported to be read and never imported: the cadre is the
one with the file's CCCD.
"""

from __future__ import annotations

from import_export.fields import Field

from cadres.models import Position
from cadres.resources import CadreWidget, UnitWidget, shown
from core.imports.resources import BulkModelResource
from core.imports.widgets import CCCD_HEADERS, ChoiceWidget, DateWidget, NamedWidget
from planning.choices import EntryRole
from planning.models import PlanningDecision, PlanningEntry, PlanningTerm
from planning.rules import limit_errors


class PlanningEntryResource(BulkModelResource):
    full_name = shown("cadre__full_name", "Họ và tên")
    birth_date = Field(
        attribute="cadre__birth_date", column_name="Ngày sinh", widget=DateWidget(), readonly=True
    )
    cadre = Field(attribute="cadre", column_name="Số CCCD", widget=CadreWidget())
    job_title = shown("cadre__job_title", "Chức vụ hiện tại")
    unit = Field(attribute="unit", column_name="Đơn vị", widget=UnitWidget())
    position = Field(
        attribute="position",
        column_name="Chức danh quy hoạch",
        widget=NamedWidget(Position, "chức danh", lambda p: [p.title]),
    )
    role = Field(
        attribute="role",
        column_name="Đương chức/Dự nguồn",
        widget=ChoiceWidget(EntryRole.choices, "loại"),
    )
    term = Field(
        attribute="term",
        column_name="Nhiệm kỳ",
        widget=NamedWidget(PlanningTerm, "nhiệm kỳ", lambda t: [t.name]),
    )
    added_by = Field(
        attribute="added_by",
        column_name="Quyết định",
        widget=NamedWidget(
            PlanningDecision,
            "quyết định",
            lambda d: [d.number],
            queryset=lambda: PlanningDecision.objects.select_related("term"),
        ),
    )

    aliases = {
        "cadre": CCCD_HEADERS,
        "role": ["Đương chức / Dự nguồn", "Loại"],
        "added_by": [
            "Số quyết định",
            "Quyết định phê duyệt",
            "Số QĐ",
            "Quyết định phê duyệt quy hoạch",
        ],
        "unit": ["Đơn vị công tác"],
        "position": [
            "Chức danh",
            "Quy hoạch chức danh",
            "Chức danh được quy hoạch",
            "Quy hoạch vào chức danh",
            "Chức danh quy hoạch dự kiến",
        ],
    }
    label_field = "cadre"
    # A commune's own list names neither its unit (the title) nor, as a proposal, the decision:
    # chosen once for the file in the preview.
    file_defaults = {"default_unit": "unit", "default_decision": "added_by"}

    class Meta(BulkModelResource.Meta):
        model = PlanningEntry
        import_id_fields = ["cadre"]
        fields = [
            "full_name",
            "birth_date",
            "cadre",
            "job_title",
            "unit",
            "position",
            "role",
            "term",
            "added_by",
        ]
        export_order = fields

    def __init__(self, default_unit: str = "", default_decision: str = "", **kwargs):
        """``default_unit``, ``default_decision``: ids of the unit and the decision of the rows
        that write none (chosen for the whole file)."""
        super().__init__(**kwargs)
        self.fields["cadre"].mask_as = "cccd"
        self.accepted: list[PlanningEntry] = []  # rows of this file that passed, in order
        self._shared: dict[str, dict[str, list]] | None = None
        self.defaults = {
            name: self.fields[name].widget.by_pk(int(chosen))
            for name, chosen in (("unit", default_unit), ("added_by", default_decision))
            if str(chosen).isdigit()
        }

    def implied_columns(self, present: set[str]) -> list[str]:
        # Filled by clean_row from the file-wide choices, or said to be missing.
        return ["unit", "added_by"]

    def shared(self) -> dict[str, dict[str, list]]:
        """Terms by name, decisions by number, positions by title: every record of each name
        (one query each, once per import)."""
        if self._shared is None:
            self._shared = {"term": {}, "added_by": {}, "position": {}}
            for term in PlanningTerm.objects.all():
                self._shared["term"].setdefault(term.name, []).append(term)
            for decision in PlanningDecision.objects.select_related("term"):
                self._shared["added_by"].setdefault(decision.number, []).append(decision)
            for position in Position.objects.all():
                self._shared["position"].setdefault(position.title, []).append(position)
        return self._shared

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        """Pick, among records sharing a name, those that fit together (see the module's
        docstring); the unit is read again on the decision's date."""
        errors = []
        for name, option in (("unit", "--unit"), ("added_by", "--decision")):
            if name in row:
                continue
            if self.defaults.get(name) is not None:
                values[name] = self.defaults[name]
            else:
                header = headers.get(name) or self.fields[name].column_name
                errors.append(
                    f"{header}: tệp không có cột này; hãy chọn cho cả tệp (lệnh: {option}) "
                    "hoặc ghi cột này."
                )
        unit, term = values.get("unit"), values.get("term")
        decision, position = values.get("added_by"), values.get("position")
        shared = self.shared()
        decisions = shared["added_by"].get(decision.number, [decision]) if decision else [None]
        terms = shared["term"].get(term.name, [term]) if term else [None]
        if decision is not None:
            on = decision.issued_on
            unit_text = row.get("unit", "")
            if unit_text and unit is not None:
                unit = self.fields["unit"].widget.resolver.resolve(unit_text, on=on) or unit
        level = unit.level if unit is not None else None
        fitting = [
            (t, d)
            for t in terms
            for d in decisions
            if (t is None or d is None or d.term_id == t.pk)
            and (level is None or (t or d.term).level == level)
        ]
        if fitting:
            term, decision = fitting[0]
            term = term or decision.term
        if position is not None and term is not None:
            same_title = shared["position"].get(position.title, [position])
            position = next((p for p in same_title if p.level == term.level), position)
        for name, value in (("unit", unit), ("term", term), ("added_by", decision)):
            if name in values and value is not None:
                values[name] = value
        if "position" in values and position is not None:
            values["position"] = position
        return errors

    def rule_errors(self, instance, on) -> dict[str, list[str]]:
        """The entry's own rules, then the limits counting the rows accepted before it."""
        errors = super().rule_errors(instance, on)
        if not errors and not instance.is_removed and instance.is_complete():
            errors = limit_errors(instance, instance.added_by.rule_set(), self.accepted)
        if not errors:
            self.accepted.append(instance)
        return errors

    def get_queryset(self):
        return PlanningEntry.objects.select_related(
            "cadre", "unit", "position", "term", "added_by"
        ).filter(removed_by__isnull=True)

    KEY = ("cadre", "position", "unit", "term")

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Người và chức danh quy hoạch này"

    def existing_rows(self, keys: list) -> dict:
        if not keys:
            return {}
        entries = PlanningEntry.objects.select_related(
            "cadre", "unit", "position", "term", "added_by"
        ).filter(removed_by__isnull=True, cadre_id__in={key[0] for key in keys})
        wanted = set(keys)
        found = {}
        for entry in entries:
            key = (entry.cadre_id, entry.position_id, entry.unit_id, entry.term_id)
            if key in wanted:
                found[key] = entry
        return found

"""Import and export of planning lists ("Danh sách quy hoạch") in the province's layout.

A row is one cadre planned for one position of one unit in one term, matched on (cadre by CCCD,
position, unit, term) among the entries still in the plan. The decision that adds a row is named
in the file's "Quyết định" column by its number (chosen over a field on the upload form: the same
file then imports the same way from the admin and a command, and one file may carry rows of an
approval and of an addition). A row runs ``PlanningEntry.clean()``, so the planning hard rules
(planning/rules.py) reject a row with the rule's own message. The rules count the entries stored
before the import: rows of one file do not count against each other's limits.

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
        "added_by": ["Số quyết định", "Quyết định phê duyệt"],
        "unit": ["Đơn vị công tác"],
        "position": ["Chức danh"],
    }
    label_field = "cadre"

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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["cadre"].mask_as = "cccd"

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

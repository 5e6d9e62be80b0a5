from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from cadres.scoping import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedChoicesMixin
from party import figures, services, views
from party.choices import Coverage
from party.coverage import units_with_coverage
from party.list_filters import (
    AdmittedYearFilter,
    CellActiveFilter,
    CellCommuneFilter,
    CellKindFilter,
    CommuneFilter,
    CoverageFilter,
    CoveredUnitCommuneFilter,
    CoversUnitFilter,
    DayFilter,
    OverdueFilter,
    StepFilter,
    day_of,
)
from party.models import (
    AdmissionCandidate,
    AdmissionTarget,
    CellMembershipReport,
    CoveredUnit,
    PartyCell,
)


class CellMembershipReportInline(ScopedChoicesMixin, admin.TabularInline):
    model = CellMembershipReport
    fields = ["reported_on", "official", "probationary", "source"]
    extra = 1


@admin.register(PartyCell)
class PartyCellAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "unit",
        "kind",
        "served_units",
        "secretary_column",
        "founded_on",
        "dissolved_on",
        "official",
        "probationary",
        "report_on",
    ]
    list_select_related = ["unit", "secretary"]
    list_filter = [CommuneFilter, CellKindFilter, CellActiveFilter, CoversUnitFilter]
    search_fields = ["name", "unit__name", "secretary_name", "secretary__full_name"]
    autocomplete_fields = ["unit", "serves", "secretary"]
    fieldsets = [
        (None, {"fields": ["name", "unit", "serves"]}),
        ("Bí thư chi bộ", {"fields": [("secretary", "secretary_name")]}),
        ("Thành lập, giải thể", {"fields": [("founded_on", "founding_decision"), "dissolved_on"]}),
        (None, {"fields": ["note"]}),
    ]
    inlines = [CellMembershipReportInline]
    list_per_page = 100

    def get_queryset(self, request) -> QuerySet:
        on = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .with_combined()
            .with_members(on)
            .prefetch_related("serves")
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.coverage_view)
        return [
            path("coverage/", view, name="party_partycell_coverage"),
            *super().get_urls(),
        ]

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return views.coverage(request)

    @admin.display(description="loại", boolean=False)
    def kind(self, cell: PartyCell) -> str:
        return "Chi bộ ghép" if cell.is_combined else "Chi bộ riêng"

    @admin.display(description="ghép với")
    def served_units(self, cell: PartyCell) -> str:
        return ", ".join(unit.name for unit in cell.serves.all()) or "—"

    @admin.display(description="bí thư")
    def secretary_column(self, cell: PartyCell) -> str:
        return cell.secretary_display or "—"

    @admin.display(description="chính thức (hôm nay)")
    def official(self, cell: PartyCell) -> int:
        return cell.official

    @admin.display(description="dự bị (hôm nay)")
    def probationary(self, cell: PartyCell) -> int:
        return cell.probationary

    @admin.display(description="báo cáo gần nhất")
    def report_on(self, cell: PartyCell):
        return cell.report_on or "—"


@admin.register(CellMembershipReport)
class CellMembershipReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["cell", "reported_on", "official", "probationary", "source"]
    list_select_related = ["cell"]
    list_filter = [CellCommuneFilter]
    search_fields = ["cell__name"]
    autocomplete_fields = ["cell"]
    date_hierarchy = "reported_on"


@admin.register(CoveredUnit)
class CoveredUnitAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "parent", "kind", "coverage_column", "cells_link"]
    list_select_related = ["parent"]
    list_filter = [DayFilter, CoverageFilter, CoveredUnitCommuneFilter, "kind"]
    search_fields = ["name", "name_key"]
    list_per_page = 200

    def get_queryset(self, request) -> QuerySet:
        return units_with_coverage(day_of(request), super().get_queryset(request))

    @admin.display(description="tình trạng", ordering="coverage")
    def coverage_column(self, unit) -> str:
        return Coverage(unit.coverage).label

    @admin.display(description="chi bộ")
    def cells_link(self, unit) -> str:
        url = reverse("admin:party_partycell_changelist") + f"?covers={unit.pk}"
        return format_html('<a href="{}">Xem chi bộ</a>', url)


@admin.register(AdmissionCandidate)
class AdmissionCandidateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "person_name",
        "unit",
        "cell",
        "proposed_on",
        "candidate_class_column",
        "admitted_on",
        "probation_ends_on",
        "official_on",
        "stage",
    ]
    list_filter = [DayFilter, StepFilter, OverdueFilter, AdmittedYearFilter, CommuneFilter]
    search_fields = [
        "trainee__full_name",
        "trainee__cccd",
        "cadre__search_name",
        "cadre__cccd",
        "trainee__cadre__search_name",
        "trainee__cadre__cccd",
        "decision_number",
    ]
    search_help_text = "Tìm theo họ tên, số CCCD hoặc số quyết định kết nạp."
    autocomplete_fields = [
        "trainee",
        "cadre",
        "unit",
        "cell",
        "candidate_class",
        "new_member_class",
    ]
    fieldsets = [
        (
            "Người được giới thiệu",
            {
                "fields": [("trainee", "cadre"), ("unit", "cell"), "proposed_on"],
                "description": "Chọn lượt học ở lớp nhận thức về Đảng bên dưới mà để trống "
                "người được giới thiệu: hệ thống lấy người đã học lớp đó.",
            },
        ),
        ("Lớp nhận thức về Đảng", {"fields": ["candidate_class"]}),
        ("Kết nạp", {"fields": [("decision_number", "admitted_on"), "probation_ends_on"]}),
        (
            "Công nhận đảng viên chính thức",
            {"fields": [("official_decision_number", "official_on")]},
        ),
        ("Lớp đảng viên mới", {"fields": ["new_member_class"]}),
        ("Dừng", {"fields": [("dropped_on", "drop_reason")]}),
    ]
    date_hierarchy = "proposed_on"

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).with_people()

    def save_model(self, request, candidate, form, change) -> None:
        super().save_model(request, candidate, form, change)
        for conflict in services.carry_party_dates_to_cadre(candidate):
            self.message_user(request, conflict, messages.WARNING)

    @admin.display(description="họ và tên")
    def person_name(self, candidate: AdmissionCandidate) -> str:
        return candidate.person_name

    @admin.display(
        description="học lớp nhận thức về Đảng", ordering="candidate_class__course__end_date"
    )
    def candidate_class_column(self, candidate: AdmissionCandidate):
        return candidate.candidate_class.course.end_date if candidate.candidate_class_id else "—"

    @admin.display(description="bước hiện nay")
    def stage(self, candidate: AdmissionCandidate) -> str:
        return candidate.stage_on(timezone.localdate())


@admin.register(AdmissionTarget)
class AdmissionTargetAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "year", "target", "admitted", "share"]
    list_select_related = ["unit"]
    list_filter = ["year"]
    search_fields = ["unit__name"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).with_admitted()

    @admin.display(description="đã kết nạp", ordering="admitted")
    def admitted(self, target: AdmissionTarget) -> int:
        return target.admitted

    @admin.display(description="đạt (%)")
    def share(self, target: AdmissionTarget) -> str:
        return figures.percent_text(target.admitted, target.target)

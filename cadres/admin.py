from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from cadres import cv, mergers
from cadres.choices import Category
from cadres.forms import (
    KnownObjectsAutocompleteSelect,
    OptimisticLockAdminMixin,
    cache_choices,
    prefill_autocomplete,
)
from cadres.list_filters import (
    AgeBandFilter,
    AtDateFilter,
    KeyPositionFilter,
    MissingRecordFilter,
    QualifiedFilter,
    RetirementWithinFilter,
    RetirementYearFilter,
    UnitLevelFilter,
    UnitSubtreeFilter,
)
from cadres.models import (
    Appointment,
    Cadre,
    CadreQuerySet,
    CvTemplate,
    Discipline,
    Ethnicity,
    Evaluation,
    FamilyRelation,
    Position,
    Qualification,
    QualificationLevel,
    Religion,
    RetirementAge,
    Reward,
    SalaryStep,
    StaffAssignment,
    Unit,
    UnitSuccession,
    WorkHistory,
)
from cadres.resources import (
    PROVINCE_LAYOUT,
    AppointmentResource,
    CadreResource,
    PositionResource,
    QualificationResource,
    UnitResource,
    WorkHistoryResource,
)
from cadres.scoping import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedChoicesMixin
from core.admin import BackgroundJobAdmin  # noqa: F401 - registers the job log
from core.audit import related_history
from core.imports.admin import ImportExportAdminMixin
from core.inlines import CollapsedInlinesOnDemandMixin
from core.masking import sees_unmasked
from core.models import ExportLog
from core.paginator import LargeTablePaginator
from core.widgets import PickFileWidget


class RecordFormMixin:
    """Forms of a cadre's record: no shortcut icons that edit or delete the chosen unit,
    ethnicity or level from inside a cadre's record (those are managed on their own pages)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            field.widget.can_change_related = False
            field.widget.can_delete_related = False
        if isinstance(field, ModelChoiceField) and request is not None:
            cache_choices(request, self, field)
        return field


# --- Reference data -----------------------------------------------------------------------


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "other_names"]
    search_fields = ["code", "name", "other_names"]


@admin.register(Religion)
class ReligionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(QualificationLevel)
class QualificationLevelAdmin(admin.ModelAdmin):
    list_display = ["label", "track", "code", "rank"]
    list_filter = ["track"]
    search_fields = ["code", "label"]


@admin.register(CvTemplate)
class CvTemplateAdmin(admin.ModelAdmin):
    """The board's own Word templates of the 2C CV; the shipped one is downloaded here to edit."""

    list_display = ["form", "uploaded_at", "shipped_link"]
    fields = ["form", "file", "shipped_link"]
    formfield_overrides = {models.FileField: {"widget": PickFileWidget}}
    readonly_fields = ["shipped_link"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.shipped_view)
        return [
            path("shipped/<str:form>.docx", view, name="cadres_cvtemplate_shipped"),
            *super().get_urls(),
        ]

    def shipped_view(self, request, form: str) -> HttpResponse:
        if form not in cv.TEMPLATE_FILES or not self.has_view_permission(request):
            raise Http404
        content = (cv.TEMPLATE_DIR / cv.TEMPLATE_FILES[form]).read_bytes()
        return cv.download(content, f"mau_2C_{form}.docx")

    @admin.display(description="mẫu gốc để sửa")
    def shipped_link(self, template: CvTemplate | None = None) -> str:
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:cadres_cvtemplate_shipped", args=[form]), label)
                for form, label in CvTemplate.Form.choices
            ),
        )


# --- Organisation ---------------------------------------------------------------------------


class SuccessionInline(ScopedChoicesMixin, admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = "sáp nhập vào"
    verbose_name_plural = "đã sáp nhập vào đơn vị"


class PredecessionInline(ScopedChoicesMixin, admin.TabularInline):
    model = UnitSuccession
    fk_name = "successor"
    autocomplete_fields = ["predecessor"]
    extra = 0
    verbose_name = "đơn vị được sáp nhập"
    verbose_name_plural = "hình thành từ các đơn vị"


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = UnitResource
    export_title = "Danh sách đơn vị"
    list_display = ["tree_name", "kind", "code", "level", "valid_from", "valid_to", "cadres_link"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "code", "name_key"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["breadcrumbs", "level", "cadres_link"]
    fields = [
        "breadcrumbs",
        "name",
        "kind",
        "code",
        "parent",
        "level",
        "valid_from",
        "valid_to",
        "note",
        "cadres_link",
    ]
    inlines = [PredecessionInline, SuccessionInline]
    list_per_page = 200
    view_on_site = False  # get_absolute_url is this very page
    show_facets = admin.ShowFacets.NEVER  # its toggle is untranslated ("Show counts")

    @admin.display(description="tên đơn vị", ordering="path")
    def tree_name(self, unit: Unit) -> str:
        return format_html(
            '<span class="{}" style="padding-left:{}em">{}</span>',
            "unit-tree-child" if unit.depth else "",
            1.5 * unit.depth,
            unit.name,
        )

    @admin.display(description="thuộc")
    def breadcrumbs(self, unit: Unit) -> str:
        return (
            format_html_join(
                " › ",
                '<a href="{}">{}</a>',
                ((u.get_absolute_url(), u.name) for u in unit.ancestors()),
            )
            or "—"
        )

    @admin.display(description="cán bộ")
    def cadres_link(self, unit: Unit) -> str:
        if not unit.pk:
            return "—"
        url = reverse("admin:cadres_cadre_changelist") + f"?unit={unit.pk}"
        return format_html('<a href="{}">Xem cán bộ</a>', url)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Recording a succession opens the merger step (cadres.mergers): what the old units hold,
    proposed for the new unit, confirmed as a list."""

    list_display = ["predecessor", "successor", "effective_date", "legal_basis", "merger_link"]
    autocomplete_fields = ["predecessor", "successor"]
    list_select_related = ["predecessor", "successor"]
    date_hierarchy = "effective_date"
    search_fields = ["predecessor__name", "successor__name", "legal_basis"]

    def has_merger_permission(self, request) -> bool:
        """Moving records between units changes the tree: who may change units (the district's
        administrators; never commune staff, who only see the tree)."""
        return request.user.has_perm("cadres.change_unit")

    @admin.display(description="")
    def merger_link(self, succession: UnitSuccession) -> str:
        url = reverse("admin:cadres_unitsuccession_merger", args=[succession.pk])
        return format_html('<a href="{}">Chuyển hồ sơ sang đơn vị mới</a>', url)

    def get_list_display(self, request):
        if self.has_merger_permission(request):
            return self.list_display
        return [name for name in self.list_display if name != "merger_link"]

    def response_add(self, request, obj, post_url_continue=None):
        if self.has_merger_permission(request) and "_addanother" not in request.POST:
            return redirect("admin:cadres_unitsuccession_merger", pk=obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def get_urls(self):
        view = self.admin_site.admin_view(self.merger_view)
        return [
            path("<int:pk>/merger/", view, name="cadres_unitsuccession_merger"),
            *super().get_urls(),
        ]

    def merger_view(self, request, pk: int):
        if not self.has_merger_permission(request):
            raise PermissionDenied
        succession = get_object_or_404(self.get_queryset(request), pk=pk)
        merger = mergers.Merger.of(succession)
        if request.method == "POST":
            changes = mergers.apply(merger)
            applied = sum(not change.blocked for change in changes)
            self.message_user(
                request,
                f"Đã chuyển {applied} hồ sơ sang {merger.successor}"
                + (
                    f"; {len(changes) - applied} mục cần xử lý tay."
                    if applied < len(changes)
                    else "."
                ),
                messages.SUCCESS,
            )
            return redirect("admin:cadres_unitsuccession_merger", pk=pk)
        changes = mergers.propose(merger)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Sáp nhập vào {merger.successor}: chuyển hồ sơ sang đơn vị mới",
            "merger": merger,
            "changes": changes,
            "conflicts": sum(bool(change.conflicts) for change in changes),
        }
        return TemplateResponse(request, "admin/cadres/unitsuccession/merger.html", context)


@admin.register(RetirementAge)
class RetirementAgeAdmin(SimpleHistoryAdmin):
    """The statutory schedule as data: a corrected year re-derives the retirement date of the
    cadres it concerns (born 55 to 63 years before it)."""

    list_display = [
        "year",
        "men_years",
        "men_months",
        "women_years",
        "women_months",
        "confirmed",
        "note",
    ]
    list_editable = ["men_years", "men_months", "women_years", "women_months", "confirmed"]
    list_filter = ["confirmed"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        born = (obj.year - 63, obj.year - 55)
        Cadre.objects.filter(birth_date__year__range=born).refresh_retirement_dates()


@admin.register(Position)
class PositionAdmin(ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = PositionResource
    export_title = "Danh sách chức danh"
    list_display = ["title", "level", "category", "is_key", "is_party_post", "rank"]
    list_filter = ["level", "category", "is_key", "is_party_post"]
    list_editable = ["category", "is_party_post", "rank"]
    ordering = ["-rank", "title"]  # one ladder across levels: what "higher" means in planning
    search_fields = ["title"]
    autocomplete_fields = ["units"]


# --- Cadres ---------------------------------------------------------------------------------


class CadreRecordInline(RecordFormMixin, ScopedChoicesMixin, admin.TabularInline):
    """A table of the cadre's record. Its queries do not grow with its rows: related objects
    come with the rows (``list_select_related``), chosen autocomplete objects are read once
    per field, select options once per request (cadres.forms)."""

    extra = 0
    show_change_link = False
    list_select_related: list[str] = []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = KnownObjectsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            prefill_autocomplete(formset.form, self.get_queryset(request).filter(cadre=obj))
        return formset


class AppointmentInline(CadreRecordInline):
    model = Appointment
    list_select_related = ["position", "unit"]
    autocomplete_fields = ["position", "unit"]
    fields = [
        "position",
        "unit",
        "start_date",
        "end_date",
        "concurrent",
        "decision_number",
        "decision_date",
    ]


class WorkHistoryInline(CadreRecordInline):
    model = WorkHistory
    fields = ["start_date", "end_date", "position_title", "organisation"]


class QualificationInline(CadreRecordInline):
    model = Qualification
    list_select_related = ["level"]
    fields = [
        "level",
        "major",
        "institution",
        "mode",
        "start_date",
        "end_date",
        "year_obtained",
        "certificate",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "level":
            # Several tracks share labels ("Sơ cấp", "Trung cấp"): name the track in the choice.
            field.label_from_instance = lambda level: f"{level.get_track_display()}: {level}"
        return field


class SalaryStepInline(CadreRecordInline):
    classes = ["collapse"]
    model = SalaryStep
    fields = ["effective_date", "rank_name", "rank_code", "step", "coefficient"]


class EvaluationInline(CadreRecordInline):
    classes = ["collapse"]
    model = Evaluation
    fields = ["year", "result"]


class RewardInline(CadreRecordInline):
    classes = ["collapse"]
    model = Reward
    fields = ["awarded_on", "form", "issuer", "decision_number"]


class DisciplineInline(CadreRecordInline):
    classes = ["collapse"]
    model = Discipline
    fields = ["form", "decided_on", "effective_until", "reason", "issuer", "decision_number"]


class FamilyRelationInline(CadreRecordInline):
    classes = ["collapse"]
    model = FamilyRelation
    fields = [
        "side",
        "relation",
        "full_name",
        "birth_year",
        "occupation",
        "residence",
        "party_member",
        "notes",
    ]


@admin.register(Cadre)
class CadreAdmin(
    CollapsedInlinesOnDemandMixin,
    ScopedAdminMixin,
    OptimisticLockAdminMixin,
    RecordFormMixin,
    ImportExportAdminMixin,
    SimpleHistoryAdmin,
):
    formfield_overrides = {models.ImageField: {"widget": PickFileWidget}}
    # Import and export (core.imports.admin, cadres.resources).
    resource_class = CadreResource
    export_title = "Danh sách cán bộ"
    province_columns = PROVINCE_LAYOUT

    list_display = [
        "full_name",
        "birth_date",
        "gender",
        "ethnicity",
        "unit",
        "category_short",
        "professional_level",
        "political_theory_level",
        "retirement_date",
        "cccd",
    ]
    list_select_related = ["ethnicity", "unit", "professional_level", "political_theory_level"]
    list_filter = [
        UnitSubtreeFilter,
        UnitLevelFilter,
        "category",
        "gender",
        ("ethnicity", admin.RelatedFieldListFilter),
        AgeBandFilter,
        RetirementWithinFilter,
        RetirementYearFilter,
        ("professional_level", admin.RelatedFieldListFilter),
        ("political_theory_level", admin.RelatedFieldListFilter),
        ("state_management_level", admin.RelatedFieldListFilter),
        ("it_level", admin.RelatedFieldListFilter),
        ("foreign_language_level", admin.RelatedFieldListFilter),
        ("general_education", admin.RelatedFieldListFilter),
        # The report figures link here (core.reports).
        AtDateFilter,
        QualifiedFilter,
        KeyPositionFilter,
        MissingRecordFilter,
    ]
    search_fields = ["search_name", "cccd"]
    view_on_site = False  # get_absolute_url is this very page
    # Facet counts cost one COUNT over the cadres per filter, and the toggle is untranslated.
    show_facets = admin.ShowFacets.NEVER
    search_help_text = "Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc một phần số CCCD."
    autocomplete_fields = ["unit", "ethnicity", "religion"]
    # One count of the filtered rows per page, not a second one of the whole table.
    show_full_result_count = False
    paginator = LargeTablePaginator  # no exact COUNT(*) of a million rows per page
    list_per_page = 50
    readonly_fields = [
        "age",
        "retirement_date",
        "party_years",
        "current_positions",
        "professional_level",
        "professional_major",
        "political_theory_level",
        "state_management_level",
        "defence_security_level",
        "it_level",
        "foreign_language_level",
    ]
    fieldsets = [
        (
            "Sơ yếu lý lịch",
            {
                "fields": [
                    ("full_name", "other_names"),
                    ("gender", "birth_date", "age"),
                    "photo",
                    "place_of_birth",
                    "home_town",
                    "permanent_residence",
                    "current_residence",
                    ("ethnicity", "religion"),
                    ("cccd", "cccd_issued_on"),
                    ("phone", "email"),
                    "family_origin",
                    "occupation_before",
                ]
            },
        ),
        (
            "Công tác",
            {
                "fields": [
                    ("category", "unit"),
                    "job_title",
                    "current_positions",
                    ("recruitment_date", "recruiting_agency"),
                    "work_start_date",
                    "revolution_date",
                    "mass_organisation",
                    ("enlisted_on", "discharged_on", "military_rank"),
                    "main_duty",
                    "strengths",
                    "retirement_date",
                ]
            },
        ),
        (
            "Đảng",
            {
                "fields": [
                    ("party_join_date", "party_official_date", "party_years"),
                    "party_position",
                ]
            },
        ),
        (
            "Trình độ (tự tính từ văn bằng, chứng chỉ)",
            {
                "fields": [
                    "general_education",
                    "academic_title",
                    ("professional_level", "professional_major"),
                    "political_theory_level",
                    "state_management_level",
                    "defence_security_level",
                    "it_level",
                    "foreign_language_level",
                ]
            },
        ),
        (
            "Ngạch, lương",
            {
                "fields": [
                    ("civil_service_rank", "civil_service_rank_code"),
                    ("salary_step", "salary_coefficient", "salary_since"),
                    "position_allowance",
                ]
            },
        ),
        (
            "Sức khỏe, khen thưởng, lịch sử bản thân",
            {
                "classes": ["collapse"],
                "fields": [
                    ("health", "height_cm", "weight_kg", "blood_type"),
                    "honours",
                    "war_invalid",
                    "personal_history",
                    "foreign_relations",
                    "economic_situation",
                    "notes",
                ],
            },
        ),
    ]
    inlines = [
        AppointmentInline,
        WorkHistoryInline,
        QualificationInline,
        SalaryStepInline,
        EvaluationInline,
        RewardInline,
        DisciplineInline,
        FamilyRelationInline,
    ]

    actions = ["print_2c_docx", "print_2c_pdf"]

    def get_urls(self):
        view = self.admin_site.admin_view(self.print_2c)
        return [
            path("<int:pk>/2c.<str:fmt>", view, name="cadres_cadre_2c"),
        ] + super().get_urls()

    def print_2c(self, request, pk: int, fmt: str) -> HttpResponse:
        """The 2C CV of one cadre as .docx or .pdf (the "In 2C" links of the change page)."""
        cadre = get_object_or_404(cv.cadres_for_cv(self.get_queryset(request)), pk=pk)
        form = request.GET.get("form", "tctw")
        if fmt not in cv.RENDERERS or form not in cv.FORMS:
            raise Http404
        if not self.has_view_permission(request, cadre):
            raise PermissionDenied
        return cv.one_response(request, cadre, fmt, form, timezone.localdate())

    @admin.action(description="In sơ yếu lý lịch 2C (Word, nén zip)", permissions=["view"])
    def print_2c_docx(self, request, queryset: QuerySet) -> HttpResponse:
        return cv.zip_response(request, queryset, "docx", timezone.localdate())

    @admin.action(description="In sơ yếu lý lịch 2C (PDF, nén zip)", permissions=["view"])
    def print_2c_pdf(self, request, queryset: QuerySet) -> HttpResponse:
        return cv.zip_response(request, queryset, "pdf", timezone.localdate())

    def get_search_results(self, request, queryset: QuerySet, search_term: str):
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term, cccd=sees_unmasked(request.user)), False

    def get_ordering(self, request) -> list:
        if request.GET.get(SEARCH_VAR, "").strip():
            return CadreQuerySet.SEARCH_ORDERING
        return super().get_ordering(request)

    object_history_template = "admin/cadres/cadre/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        # The cadre's own versions come from SimpleHistoryAdmin; its 2C tables' changes below.
        cadre = self.get_queryset(request).filter(pk=object_id).first()
        tables = [(inline.model, "cadre_id") for inline in self.inlines]
        extra = {"related_history": related_history(cadre, tables) if cadre else []}
        return super().history_view(request, object_id, {**(extra_context or {}), **extra})

    @admin.display(description="đối tượng", ordering="category")
    def category_short(self, cadre: Cadre) -> str:
        return Category(cadre.category).short_label

    @admin.display(description="tuổi")
    def age(self, cadre: Cadre) -> int | str:
        return cadre.age_on(timezone.localdate()) if cadre.birth_date else "—"

    @admin.display(description="số năm tuổi Đảng")
    def party_years(self, cadre: Cadre) -> int | str:
        years = cadre.party_years_on(timezone.localdate())
        return "—" if years is None else years

    @admin.display(description="chức vụ hiện nay (theo quá trình bổ nhiệm)")
    def current_positions(self, cadre: Cadre) -> str:
        if not cadre.pk:
            return "—"
        return "; ".join(str(a) for a in cadre.current_appointments(timezone.localdate())) or "—"


class CadreHistoryAdmin(
    ScopedAdminMixin, RecordFormMixin, ImportExportAdminMixin, SimpleHistoryAdmin
):
    """One table of the 2C form as a list over all cadres: where the lists communes and the
    province send are imported and exported (a cadre's page edits its rows inline)."""

    autocomplete_fields = ["cadre"]
    list_per_page = 100
    show_full_result_count = False

    def get_search_results(self, request, queryset: QuerySet, search_term: str):
        if not search_term.strip():
            return queryset, False
        found = Cadre.objects.search(search_term, cccd=sees_unmasked(request.user))
        return queryset.filter(cadre__in=found), False


@admin.register(Qualification)
class QualificationAdmin(CadreHistoryAdmin):
    resource_class = QualificationResource
    export_title = "Danh sách văn bằng, chứng chỉ"
    list_display = ["cadre", "level__track", "level", "major", "institution", "year_obtained"]
    list_select_related = ["cadre", "level"]
    list_filter = ["level__track", "mode"]
    fields = ["cadre", *QualificationInline.fields]

    def delete_queryset(self, request, queryset) -> None:
        # A bulk delete skips Qualification.delete(): recompute the cadres' levels once.
        cadres = Cadre.objects.filter(pk__in=list(queryset.values_list("cadre_id", flat=True)))
        super().delete_queryset(request, queryset)
        cadres.refresh_current_levels()


@admin.register(Appointment)
class AppointmentAdmin(CadreHistoryAdmin):
    resource_class = AppointmentResource
    export_title = "Quá trình giữ chức vụ"
    list_display = ["cadre", "position", "unit", "start_date", "end_date", "concurrent"]
    list_select_related = ["cadre", "position", "unit"]
    list_filter = ["position__level", "position__is_key", "concurrent"]
    autocomplete_fields = ["cadre", "position", "unit"]
    fields = ["cadre", *AppointmentInline.fields]


@admin.register(WorkHistory)
class WorkHistoryAdmin(CadreHistoryAdmin):
    resource_class = WorkHistoryResource
    export_title = "Tóm tắt quá trình công tác"
    list_display = ["cadre", "start_date", "end_date", "position_title", "organisation"]
    list_select_related = ["cadre"]
    fields = ["cadre", *WorkHistoryInline.fields]


# --- Access and audit -----------------------------------------------------------------------


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by exports, never by hand."""

    list_display = ["at", "user", "what", "count", "ip_address"]
    list_select_related = ["user"]
    date_hierarchy = "at"
    search_fields = ["what", "user__username"]

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cadres.choices import Category, Level
from cadres.list_filters import OnDateFilter, UnitLevelFilter, UnitSubtreeFilter, date_param
from cadres.scoping import ScopedAdminMixin, ScopedChoicesMixin, ScopedInlineMixin
from core.imports.admin import ImportExportAdminMixin
from planning.choices import EntryRole
from training import drafting, needs
from training.choices import DispatchStatus, PlanStatus
from training.filters import DispatchFilterSet, in_pool_at_decision
from training.forms import ReimbursementForm
from training.models import (
    Attendance,
    Course,
    Dispatch,
    Institution,
    PlanCandidate,
    PlanLine,
    Programme,
    Reimbursement,
    SchemeTarget,
    ServiceCommitmentRule,
    SupportPayment,
    SupportPolicy,
    SupportRate,
    Trainee,
    TrainingNeed,
    TrainingPlan,
    TrainingScheme,
)
from training.resources import AttendanceResource, DispatchResource, SupportPaymentResource
from training.totals import totals

# --- List filters the reports link to (issue 6): fixed choices or small tables only ---------


def person_q(paths: tuple[str, ...], lookup: str, value) -> Q:
    q = Q()
    for relation in paths:
        q |= Q(**{f"{relation}__{lookup}": value})
    return q


class PersonUnitFilter(UnitSubtreeFilter):
    """The unit (with everything under it) of the cadre or trainee of each record."""

    paths: tuple[str, ...] = ("cadre",)

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = self.chosen_unit()
        if unit is None:
            return queryset.none()
        return queryset.filter(person_q(self.paths, "unit__path__startswith", unit.path))


class PersonLevelFilter(admin.SimpleListFilter):
    title = "cấp"
    parameter_name = "level"
    paths: tuple[str, ...] = ("cadre",)

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(person_q(self.paths, "unit__level", self.value()))


class PersonCategoryFilter(admin.SimpleListFilter):
    title = "đối tượng"
    parameter_name = "category"
    paths: tuple[str, ...] = ("cadre",)

    def lookups(self, request, model_admin):
        return Category.choices

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(person_q(self.paths, "category", self.value()))


class ReportLineFilter(admin.SimpleListFilter):
    """The line of the report "Cử đi đào tạo" a dispatch falls in."""

    title = "trình độ đào tạo (báo cáo)"
    parameter_name = "line"

    def lookups(self, request, model_admin):
        from training.reports import LINE_CHOICES

        return LINE_CHOICES

    def queryset(self, request, queryset):
        from training.reports import programme_line

        if not self.value():
            return queryset
        return queryset.annotate(report_line=programme_line()).filter(report_line=self.value())


class LateFilter(OnDateFilter):
    """Past their end on the ``?late=`` date, result not recorded (the dashboard links here)."""

    title = "quá hạn chưa cập nhật kết quả (tại ngày)"
    parameter_name = "late"

    def lookups(self, request, model_admin):
        chosen = date_param(request, self.parameter_name)
        return [(chosen.isoformat(), f"{chosen:%d/%m/%Y}")] if chosen else []

    def queryset(self, request, queryset):
        chosen = date_param(request, self.parameter_name)
        return queryset.late(chosen) if chosen else queryset


class PlanningPoolFilter(admin.SimpleListFilter):
    """Incumbent or reserve in the planning pool on the decision date."""

    title = "quy hoạch khi cử đi học"
    parameter_name = "pool"

    def lookups(self, request, model_admin):
        return EntryRole.choices

    def queryset(self, request, queryset):
        return queryset.filter(in_pool_at_decision(self.value())) if self.value() else queryset


class AttendanceUnitFilter(PersonUnitFilter):
    paths = ("cadre", "trainee")


class AttendanceLevelFilter(PersonLevelFilter):
    paths = ("cadre", "trainee")


PAYEE_PATHS = ("dispatch__cadre", "attendance__cadre", "cadre")


class PaymentUnitFilter(PersonUnitFilter):
    paths = (*PAYEE_PATHS, "attendance__trainee")


class PaymentLevelFilter(PersonLevelFilter):
    paths = (*PAYEE_PATHS, "attendance__trainee")


class PaymentCategoryFilter(PersonCategoryFilter):
    paths = PAYEE_PATHS


class PlanUnitFilter(PersonUnitFilter):
    """The unit of the plan (with everything under it): where the quotas were handed down."""

    paths = ("plan",)


class PlanLevelFilter(PersonLevelFilter):
    paths = ("plan",)


class CadreUnitLevelFilter(UnitLevelFilter):
    """District-level or commune-level cadres, by the unit of the cadre."""

    def queryset(self, request, queryset):
        return queryset.filter(cadre__unit__level=self.value()) if self.value() else queryset


class PlanFilter(admin.SimpleListFilter):
    """The plans (a small table), named with their unit in one query."""

    title = "kế hoạch"
    parameter_name = "plan"

    def lookups(self, request, model_admin):
        return [(p.pk, str(p)) for p in TrainingPlan.objects.select_related("unit")]

    def queryset(self, request, queryset):
        return queryset.filter(line__plan=self.value()) if self.value() else queryset


class WithoutPlanFilter(admin.SimpleListFilter):
    """Open needs nobody put on that year's plan: the passive selection to end."""

    title = "chưa có trong kế hoạch năm"
    parameter_name = "without_plan"

    def lookups(self, request, model_admin):
        years = TrainingPlan.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(year, f"Năm {year}") for year in years]

    def queryset(self, request, queryset):
        return queryset.without_plan(int(self.value())) if self.value() else queryset


class UnfilledQuotaFilter(admin.SimpleListFilter):
    title = "chỉ tiêu trên giao"
    parameter_name = "quota"

    def lookups(self, request, model_admin):
        return [("unfilled", "Chưa xếp đủ người")]

    def queryset(self, request, queryset):
        return queryset.unfilled_quota() if self.value() == "unfilled" else queryset


# --- Reference data -----------------------------------------------------------------------


@admin.register(Institution)
class InstitutionAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "track",
        "grants_level",
        "typical_months",
        "max_age_at_dispatch",
        "min_general_education",
        "prerequisite_level",
    ]
    list_select_related = ["grants_level", "min_general_education", "prerequisite_level"]
    list_filter = ["track", "is_degree"]
    search_fields = ["name", "code"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name", "track", "grants_level", "typical_months", "is_degree"]},
        ),
        (
            "Điều kiện cử đi học",
            {
                "fields": [
                    "max_age_at_dispatch",
                    "min_general_education",
                    "prerequisite_level",
                    "allowed_categories",
                    "note",
                ]
            },
        ),
    ]


@admin.register(ServiceCommitmentRule)
class ServiceCommitmentRuleAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "legal_basis", "valid_from", "valid_to", "multiplier", "min_months"]


class SupportRateInline(ScopedChoicesMixin, admin.TabularInline):
    model = SupportRate
    extra = 0


@admin.register(SupportPolicy)
class SupportPolicyAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "legal_basis", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    inlines = [SupportRateInline]


# --- Schemes and plans --------------------------------------------------------------------


class SchemeTargetInline(ScopedChoicesMixin, admin.TabularInline):
    model = SchemeTarget
    extra = 0
    autocomplete_fields = ["programme"]


@admin.register(TrainingScheme)
class TrainingSchemeAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "start_year", "end_year", "unit", "decision_number"]
    list_select_related = ["unit"]
    search_fields = ["name", "decision_number"]
    autocomplete_fields = ["unit"]
    inlines = [SchemeTargetInline]


class PlanLineInline(ScopedChoicesMixin, admin.TabularInline):
    model = PlanLine
    extra = 0
    autocomplete_fields = ["programme", "institution"]
    fields = ["programme", "quota", "target", "institution", "candidates_link"]
    readonly_fields = ["candidates_link"]

    @admin.display(description="người được đề xuất")
    def candidates_link(self, line: PlanLine) -> str:
        if not line.pk:
            return "—"
        url = reverse("admin:training_plancandidate_changelist") + f"?line__id__exact={line.pk}"
        return format_html('<a href="{}">Xem danh sách</a>', url)


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "year", "unit", "status", "approved_on", "candidates_link"]
    list_select_related = ["unit"]
    list_filter = ["year", "status"]
    search_fields = ["unit__name", "decision_number"]
    autocomplete_fields = ["unit", "scheme"]
    inlines = [PlanLineInline]
    actions = ["draft_from_needs", "approve"]

    @admin.display(description="người được đề xuất")
    def candidates_link(self, plan: TrainingPlan) -> str:
        url = reverse("admin:training_plancandidate_changelist") + f"?plan={plan.pk}"
        return format_html('<a href="{}">Xem danh sách</a>', url)

    @admin.action(
        description="Lập dự thảo danh sách cử đi học từ nhu cầu đào tạo", permissions=["change"]
    )
    def draft_from_needs(self, request, queryset: QuerySet[TrainingPlan]) -> None:
        for plan in queryset.filter(status=PlanStatus.DRAFT):
            self.message_user(request, f"{plan}: {drafting.summary(drafting.draft(plan))}")

    @admin.action(
        description="Phê duyệt kế hoạch (các đề xuất thành đã duyệt)", permissions=["change"]
    )
    def approve(self, request, queryset: QuerySet[TrainingPlan]) -> None:
        for plan in queryset.filter(status=PlanStatus.DRAFT):
            approved = plan.approve(timezone.localdate())
            self.message_user(request, f"{plan}: đã duyệt {approved} người.")


@admin.register(PlanCandidate)
class PlanCandidateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["cadre", "line", "order", "seat", "status", "reasons"]
    list_editable = ["status"]
    list_select_related = ["cadre", "line__plan__unit", "line__programme"]
    list_filter = [PlanFilter, "line__programme", "seat", "status"]
    show_full_result_count = False
    search_fields = ["cadre__search_name"]
    autocomplete_fields = ["cadre", "need"]


@admin.register(PlanLine)
class PlanLineAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Lines of every plan with how much of the quota from above is filled."""

    list_display = ["__str__", "plan", "quota", "quota_filled", "target", "filled"]
    list_select_related = ["plan__unit", "programme"]
    list_filter = [UnfilledQuotaFilter, "plan__year", "programme", PlanUnitFilter, PlanLevelFilter]
    autocomplete_fields = ["programme", "institution"]
    search_fields = ["programme__name", "plan__unit__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_filled()

    @admin.display(description="đã xếp vào chỉ tiêu trên giao", ordering="quota_filled")
    def quota_filled(self, line: PlanLine) -> int:
        return line.quota_filled

    @admin.display(description="đã xếp người", ordering="filled")
    def filled(self, line: PlanLine) -> int:
        return line.filled


# --- Needs --------------------------------------------------------------------------------


@admin.register(TrainingNeed)
class TrainingNeedAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "cadre",
        "programme",
        "position",
        "source",
        "priority",
        "classification",
        "due",
        "status",
    ]
    list_select_related = ["cadre", "programme", "position"]
    list_filter = [
        WithoutPlanFilter,
        "status",
        "source",
        "classification",
        "priority",
        "programme",
    ]
    search_fields = ["cadre__search_name", "reason"]
    autocomplete_fields = ["cadre", "programme", "position"]
    readonly_fields = ["gap_entry_id", "gap_track", "closed_on", "closure"]
    show_full_result_count = False

    def get_queryset(self, request):
        # The autocomplete of other pages lists needs by cadre and programme too.
        return super().get_queryset(request).select_related(*self.list_select_related)


# --- Dispatches ---------------------------------------------------------------------------


@admin.register(Dispatch)
class DispatchAdmin(ScopedAdminMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = DispatchResource
    export_title = "Danh sách cán bộ cử đi học"
    change_list_template = "admin/training/dispatch/change_list.html"
    list_display = [
        "cadre",
        "programme",
        "institution",
        "decision_number",
        "decision_date",
        "start_date",
        "end_date",
        "status",
    ]
    list_select_related = ["cadre", "programme", "institution"]
    list_filter = [
        "status",
        "mode",
        "programme",
        "institution",
        CadreUnitLevelFilter,
        ReportLineFilter,
        PlanningPoolFilter,
        PersonUnitFilter,
        LateFilter,
        PersonCategoryFilter,
    ]
    search_fields = ["cadre__search_name", "decision_number", "certificate"]
    autocomplete_fields = ["cadre", "programme", "institution", "need"]
    readonly_fields = ["qualification"]
    date_hierarchy = "start_date"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["cadre", "programme", "institution", "major", "mode", "need"]}),
        ("Quyết định", {"fields": ["decision_number", "decision_date", "signer"]}),
        ("Thời gian", {"fields": ["start_date", "end_date", "months_to_serve"]}),
        (
            "Kết quả",
            {"fields": ["status", "graduated_on", "result", "certificate", "qualification"]},
        ),
    ]

    def get_queryset(self, request):
        # The autocomplete of payments and reimbursements names dispatches by these.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def save_model(self, request, obj: Dispatch, form, change) -> None:
        super().save_model(request, obj, form, change)
        obj.record_qualification()
        needs.follow_dispatches([obj.cadre_id])

    def get_urls(self):
        totals = self.admin_site.admin_view(self.totals_view)
        return [path("totals/", totals, name="training_totals"), *super().get_urls()]

    def totals_view(self, request):
        filterset = DispatchFilterSet(request.GET or None, queryset=Dispatch.objects.all())
        valid = filterset.is_bound and filterset.is_valid()
        year = filterset.form.cleaned_data.get("year") if valid else None
        context = {
            **self.admin_site.each_context(request),
            "title": "Tổng hợp đào tạo, bồi dưỡng",
            "filter": filterset,
            "year": year,
            **totals(filterset.qs if valid else Dispatch.objects.all(), year),
        }
        return TemplateResponse(request, "admin/training/totals.html", context)

    @admin.action(
        description="Ghi văn bằng vào hồ sơ cán bộ (các lượt đã tốt nghiệp)", permissions=["change"]
    )
    def record_qualifications(self, request, queryset: QuerySet[Dispatch]) -> None:
        graduated = queryset.filter(status=DispatchStatus.GRADUATED, qualification__isnull=True)
        done = [d for d in graduated.select_related("cadre", "institution", "programme")]
        for dispatch in done:
            dispatch.record_qualification()
        self.message_user(request, f"Đã ghi {len(done)} văn bằng vào hồ sơ.")

    actions = ["record_qualifications"]


@admin.register(Reimbursement)
class ReimbursementAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = ReimbursementForm
    list_display = ["dispatch", "left_on", "months_committed", "months_served", "cost", "amount"]
    list_select_related = ["dispatch__cadre", "dispatch__programme"]
    autocomplete_fields = ["dispatch"]
    # Worked out from the dispatch and the leave date (ReimbursementForm), shown after saving.
    readonly_fields = ["rule", "cost", "months_committed", "months_served", "amount"]
    fieldsets = [
        (None, {"fields": ["dispatch", "left_on"]}),
        (
            "Số tiền phải bồi hoàn (tự tính khi lưu)",
            {"fields": ["rule", "cost", "months_committed", "months_served", "amount"]},
        ),
        ("Quyết định bồi hoàn", {"fields": ["decision_number", "repaid_on"]}),
    ]


# --- Classes and attendances --------------------------------------------------------------


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 5
    autocomplete_fields = ["cadre", "trainee"]
    fields = ["cadre", "trainee", "result", "certificate"]


@admin.register(Course)
class CourseAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "topic",
        "organiser",
        "start_date",
        "end_date",
        "place",
        "attendances_link",
    ]
    list_select_related = ["organiser"]
    list_filter = ["topic", "organiser"]
    search_fields = ["name", "place"]
    autocomplete_fields = ["organiser", "programme"]
    date_hierarchy = "start_date"
    inlines = [AttendanceInline]

    @admin.display(description="danh sách học viên")
    def attendances_link(self, course: Course) -> str:
        url = reverse("admin:training_attendance_changelist") + f"?course__id__exact={course.pk}"
        return format_html('<a href="{}">Xem, nhập, xuất</a>', url)


@admin.register(Trainee)
class TraineeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "birth_date", "unit", "cccd", "cadre"]
    list_select_related = ["unit", "cadre"]
    search_fields = ["full_name", "cccd"]
    autocomplete_fields = ["unit", "cadre"]
    show_full_result_count = False

    def save_model(self, request, obj: Trainee, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "cadre" in form.changed_data and obj.cadre_id:
            obj.link_to(obj.cadre)


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    """Imported with a "Lớp" column: a class's list comes from its page (a link to this list
    filtered on the class, whose export is the file to fill in and import back)."""

    resource_class = AttendanceResource
    export_title = "Danh sách học viên lớp bồi dưỡng"
    # One person column (a cadre, or someone not on the register): the list stays narrow.
    list_display = ["person", "course", "on_register", "result"]
    list_select_related = ["course", "cadre", "trainee"]
    list_filter = [
        "result",
        "course__topic",
        "course__organiser__kind",
        AttendanceUnitFilter,
        AttendanceLevelFilter,
        PersonCategoryFilter,
    ]
    # The report of the political training centre links here with its period.
    report_lookups = {"course__start_date__gte", "course__start_date__lte"}

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.report_lookups or super().lookup_allowed(lookup, value, request)

    search_fields = ["cadre__search_name", "trainee__full_name", "course__name"]
    autocomplete_fields = ["course", "cadre", "trainee"]
    show_full_result_count = False

    def get_queryset(self, request):
        # The autocomplete of payments names attendances by person and class.
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description="học viên")
    def person(self, attendance: Attendance):
        return attendance.cadre or attendance.trainee

    @admin.display(description="có hồ sơ cán bộ", boolean=True)
    def on_register(self, attendance: Attendance) -> bool:
        return attendance.cadre_id is not None


# --- Money --------------------------------------------------------------------------------


@admin.register(SupportPayment)
class SupportPaymentAdmin(ScopedAdminMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = SupportPaymentResource
    export_title = "Danh sách chi hỗ trợ đào tạo"
    list_display = ["paid_on", "policy", "payee", "amount", "voucher"]
    list_select_related = [
        "policy",
        "dispatch__cadre",
        "attendance__cadre",
        "attendance__trainee",
        "cadre",
    ]
    list_filter = [
        "policy__kind",
        "policy",
        PaymentUnitFilter,
        PaymentLevelFilter,
        PaymentCategoryFilter,
    ]
    search_fields = [
        "voucher",
        "dispatch__cadre__search_name",
        "attendance__trainee__full_name",
        "cadre__search_name",
    ]
    autocomplete_fields = ["dispatch", "attendance", "cadre"]
    date_hierarchy = "paid_on"
    show_full_result_count = False

    @admin.display(description="người nhận")
    def payee(self, payment: SupportPayment) -> str:
        return payment.payee_name

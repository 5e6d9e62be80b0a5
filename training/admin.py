from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify
from simple_history.admin import SimpleHistoryAdmin

from cadres.choices import Category, Level
from cadres.list_filters import OnDateFilter, UnitLevelFilter, UnitSubtreeFilter, date_param
from cadres.models import Unit
from cadres.scoping import ScopedAdminMixin, ScopedChoicesMixin, ScopedInlineMixin
from core import tasks
from core.imports.admin import ImportExportAdminMixin
from planning.admin import PlanningEntryAdmin
from planning.models import PlanningEntry, RuleSet
from training import decisions, drafting, needs, pathway, printing, services
from training.choices import DispatchStatus, PlanStatus, PoolRole
from training.filters import SCHOOL_CHOICES, DispatchFilterSet, school_q
from training.forms import DispatchDecisionForm, ReimbursementForm
from training.models import (
    Attendance,
    BudgetAllocation,
    CommuneDuty,
    Course,
    CourseCost,
    Departure,
    Dispatch,
    DispatchDecision,
    DutyReport,
    Institution,
    PlanCandidate,
    PlanLine,
    PrintTemplate,
    Programme,
    QuotaShare,
    Reimbursement,
    RepaymentRule,
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
from training.models.plans import shares_errors
from training.models.scorecard import scorecard
from training.resources import (
    AttendanceResource,
    CourseResource,
    DispatchResource,
    InstitutionResource,
    ProgrammeResource,
    SupportPaymentResource,
    SupportPolicyResource,
)
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


class PersonChoiceFilter(admin.SimpleListFilter):
    """A fixed-choice field of the cadre or trainee of each record."""

    paths: tuple[str, ...] = ("cadre",)
    options: list[tuple[str, str]]
    lookup: str

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(person_q(self.paths, self.lookup, self.value()))


class PersonLevelFilter(PersonChoiceFilter):
    title = "cấp"
    parameter_name = "level"
    options = Level.choices
    lookup = "unit__level"


class PersonCategoryFilter(PersonChoiceFilter):
    title = "đối tượng"
    parameter_name = "category"
    options = Category.choices
    lookup = "category"


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


class UnderCommitmentFilter(admin.SimpleListFilter):
    """The commitment ledger: who still owes service today."""

    title = "cam kết phục vụ"
    parameter_name = "commitment"

    def lookups(self, request, model_admin):
        return [("open", "Đang trong thời gian cam kết")]

    def queryset(self, request, queryset):
        if self.value() != "open":
            return queryset
        return queryset.under_commitment(timezone.localdate())


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
    """Incumbent or reserve as recorded at dispatch (the report's columns link here)."""

    title = "quy hoạch khi cử đi học"
    parameter_name = "pool"

    def lookups(self, request, model_admin):
        return PoolRole.choices

    def queryset(self, request, queryset):
        return queryset.filter(pool_role=self.value()) if self.value() else queryset


class SchoolFilter(admin.SimpleListFilter):
    title = "nơi học"
    parameter_name = "school"

    def lookups(self, request, model_admin):
        return SCHOOL_CHOICES

    def queryset(self, request, queryset):
        return queryset.filter(school_q(self.value())) if self.value() else queryset


class DispatchUnitFilter(UnitSubtreeFilter):
    """The unit of the cadre when sent (with everything under it)."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = self.chosen_unit()
        if unit is None:
            return queryset.none()
        return queryset.filter(unit__path__startswith=unit.path)


class DispatchUnitLevelFilter(UnitLevelFilter):
    """District-level or commune-level, by the unit of the cadre when sent."""

    def queryset(self, request, queryset):
        return queryset.filter(unit__level=self.value()) if self.value() else queryset


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
class InstitutionAdmin(ScopedChoicesMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = InstitutionResource
    export_title = "Danh sách cơ sở đào tạo"
    list_display = ["name", "short_name", "kind", "place"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Programme)
class ProgrammeAdmin(ScopedChoicesMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = ProgrammeResource
    export_title = "Danh sách chương trình đào tạo"
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


class RepaymentRuleInline(ScopedChoicesMixin, admin.TabularInline):
    model = RepaymentRule
    extra = 0


@admin.register(ServiceCommitmentRule)
class ServiceCommitmentRuleAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "legal_basis", "valid_from", "valid_to", "multiplier", "min_months"]
    inlines = [RepaymentRuleInline]


class SupportRateInline(ScopedChoicesMixin, admin.TabularInline):
    model = SupportRate
    extra = 0


@admin.register(SupportPolicy)
class SupportPolicyAdmin(ScopedChoicesMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = SupportPolicyResource
    export_title = "Danh sách chính sách hỗ trợ"
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
    actions = ["issue_decision"]

    @admin.action(
        description="Ra quyết định cử đi học cho những người đã duyệt được chọn",
        permissions=["change"],
    )
    def issue_decision(self, request, queryset: QuerySet[PlanCandidate]):
        candidates = list(queryset.select_related("cadre", "line__plan__unit", "line__programme"))
        programmes = {c.line.programme for c in candidates}
        if len(programmes) != 1:
            self.message_user(
                request, "Chọn những người của cùng một chương trình.", messages.ERROR
            )
            return None
        programme = programmes.pop()
        form = DispatchDecisionForm(
            request.POST if "confirm" in request.POST else None,
            initial={"institution": candidates[0].line.institution},
        )
        problems = []
        if form.is_bound and form.is_valid():
            decision = form.save(commit=False)
            decision.programme = programme
            try:
                decisions.issue(decision, candidates)
            except ValidationError as error:
                problems = error.messages
            else:
                self.message_user(request, f"{decision}: đã lập {len(candidates)} lượt cử đi học.")
                return redirect("admin:training_dispatchdecision_change", decision.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Ra quyết định cử đi học",
            "candidates": candidates,
            "programme": programme,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request, "admin/training/plancandidate/issue_decision.html", context
        )


class QuotaShareFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seats = [
            form.cleaned_data.get("seats") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = shares_errors(self.instance.quota, seats)
        if errors:
            raise ValidationError(errors)


class QuotaShareInline(ScopedInlineMixin, admin.TabularInline):
    model = QuotaShare
    formset = QuotaShareFormSet
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(PlanLine)
class PlanLineAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Lines of every plan with how much of the quota from above is filled."""

    list_display = ["__str__", "plan", "quota", "quota_filled", "target", "filled"]
    list_select_related = ["plan__unit", "programme"]
    list_filter = [UnfilledQuotaFilter, "plan__year", "programme", PlanUnitFilter, PlanLevelFilter]
    autocomplete_fields = ["programme", "institution"]
    search_fields = ["programme__name", "plan__unit__name", "quota_decision_number"]
    inlines = [QuotaShareInline]
    fieldsets = [
        (None, {"fields": ["plan", "programme", "target", "institution"]}),
        (
            "Chỉ tiêu trên giao",
            {
                "fields": [
                    "quota",
                    "quota_issuer",
                    "quota_decision_number",
                    "quota_decision_date",
                ]
            },
        ),
    ]

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
    change_list_template = "admin/training/trainingneed/change_list.html"

    def get_queryset(self, request):
        # The autocomplete of other pages lists needs by cadre and programme too.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_urls(self):
        view = self.admin_site.admin_view(self.from_planning_view)
        urls = [path("from-planning/", view, name="training_trainingneed_from_planning")]
        return urls + super().get_urls()

    def from_planning_view(self, request):
        """The succession gaps become needs, as a background job (the yearly run); the job
        page shows its outcome."""
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        job = tasks.start_run(
            "training.needs.run_from_planning",
            "Cập nhật nhu cầu đào tạo từ quy hoạch",
            request.user,
            on=timezone.localdate().isoformat(),
        )
        self.message_user(request, f"Đã bắt đầu: {job.title}. {job.outcome}".strip())
        return redirect("admin:core_backgroundjob_change", job.pk)


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
        UnderCommitmentFilter,
        DispatchUnitLevelFilter,
        ReportLineFilter,
        PlanningPoolFilter,
        SchoolFilter,
        DispatchUnitFilter,
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
        services.record_dispatch_graduation(obj)
        needs.follow_dispatches([obj.cadre_id])
        for warning in obj.verdict().warnings:
            self.message_user(request, f"Lưu ý: {warning}", messages.WARNING)

    def get_urls(self):
        totals = self.admin_site.admin_view(self.totals_view)
        return [path("totals/", totals, name="training_totals"), *super().get_urls()]

    def totals_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        dispatches = self.get_queryset(request)
        filterset = DispatchFilterSet(request.GET or None, queryset=dispatches)
        valid = filterset.is_bound and filterset.is_valid()
        year = filterset.form.cleaned_data.get("year") if valid else None
        context = {
            **self.admin_site.each_context(request),
            "title": "Tổng hợp đào tạo, bồi dưỡng",
            "filter": filterset,
            "year": year,
            **totals(filterset.qs if valid else dispatches, year, user=request.user),
        }
        return TemplateResponse(request, "admin/training/totals.html", context)

    @admin.action(
        description="Ghi văn bằng vào hồ sơ cán bộ (các lượt đã tốt nghiệp)", permissions=["change"]
    )
    def record_qualifications(self, request, queryset: QuerySet[Dispatch]) -> None:
        graduated = queryset.filter(status=DispatchStatus.GRADUATED, qualification__isnull=True)
        done = services.record_dispatch_graduations(
            graduated.select_related("cadre", "institution", "programme")
        )
        self.message_user(request, f"Đã ghi {done} văn bằng vào hồ sơ.")

    actions = ["record_qualifications"]


class DecisionDispatchInline(ScopedInlineMixin, admin.TabularInline):
    model = Dispatch
    extra = 0
    fields = ["cadre", "pool_role", "status"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DispatchDecision)
class DispatchDecisionAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["number", "issued_on", "programme", "institution", "start_date", "signer"]
    list_select_related = ["programme", "institution"]
    list_filter = ["programme", "institution"]
    search_fields = ["number", "signer"]
    autocomplete_fields = ["programme", "institution"]
    date_hierarchy = "issued_on"
    inlines = [DecisionDispatchInline]

    def get_urls(self):
        view = self.admin_site.admin_view(self.print_view)
        urls = [path("<int:pk>/print/<str:kind>/", view, name="training_dispatchdecision_print")]
        return urls + super().get_urls()

    def print_view(self, request, pk: int, kind: str):
        decision = self.get_object(request, str(pk))
        if decision is None or kind not in PRINTS:
            raise Http404
        content_type, suffix, render = PRINTS[kind]
        response = HttpResponse(render(decision), content_type=content_type)
        name = f"{suffix}-{slugify(decision.number)}.{content_type_suffix(content_type)}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRINTS = {
    "decision": (
        DOCX,
        "quyet-dinh",
        lambda d: printing.render_docx(d, PrintTemplate.Kind.DECISION),
    ),
    "list": (
        DOCX,
        "danh-sach-trich-ngang",
        lambda d: printing.render_docx(d, PrintTemplate.Kind.SUMMARY_LIST),
    ),
    "list-xlsx": (XLSX, "danh-sach-trich-ngang", printing.summary_xlsx),
}


def content_type_suffix(content_type: str) -> str:
    return "docx" if content_type == DOCX else "xlsx"


@admin.register(PrintTemplate)
class PrintTemplateAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["kind", "file", "updated_at"]


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """A year's allocations; each shows what was spent under it (support paid, class costs)."""

    list_display = ["year", "policy", "unit", "amount", "spent", "left", "decision_number"]
    list_select_related = ["policy", "unit"]
    list_filter = ["year", "policy"]
    autocomplete_fields = ["unit"]

    @admin.display(description="đã chi (đồng)")
    def spent(self, allocation: BudgetAllocation) -> str:
        return money(allocation.spent())

    @admin.display(description="còn lại (đồng)")
    def left(self, allocation: BudgetAllocation) -> str:
        return money(allocation.amount - allocation.spent())


def money(amount) -> str:
    return f"{amount:,.0f}".replace(",", ".")


@admin.register(Departure)
class DepartureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Entering a transfer, resignation or retirement warns of the commitments still owed and
    works out each repayment (a retirement repays nothing)."""

    list_display = ["cadre", "kind", "left_on", "decision_number"]
    list_select_related = ["cadre"]
    list_filter = ["kind"]
    autocomplete_fields = ["cadre"]
    search_fields = ["cadre__search_name", "decision_number"]

    def save_model(self, request, obj: Departure, form, change) -> None:
        super().save_model(request, obj, form, change)
        for warning in obj.warnings():
            self.message_user(request, f"Lưu ý: {warning}", messages.WARNING)
        try:
            made = obj.work_out_repayments()
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        for reimbursement in made:
            self.message_user(
                request,
                f"Đã tính bồi hoàn: {reimbursement.dispatch.programme} – "
                f"{money(reimbursement.amount)} đồng ({reimbursement.repayment_rule}).",
                messages.WARNING,
            )


@admin.register(CommuneDuty)
class CommuneDutyAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "due_day", "due_month", "due_next_year", "basis"]


@admin.register(DutyReport)
class DutyReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """What each commune did of its yearly duties; the scorecard page shows every commune."""

    list_display = ["unit", "year", "duty", "deadline", "done_on", "late", "document"]
    list_select_related = ["unit", "duty"]
    list_filter = ["year", "duty"]
    autocomplete_fields = ["unit"]
    search_fields = ["unit__name", "document"]
    readonly_fields = ["deadline"]
    change_list_template = "admin/training/dutyreport/change_list.html"

    @admin.display(description="trễ hạn", boolean=True)
    def late(self, report: DutyReport) -> bool:
        return report.is_late

    def get_urls(self):
        view = self.admin_site.admin_view(self.scorecard_view)
        return [
            path("scorecard/", view, name="training_dutyreport_scorecard"),
            *super().get_urls(),
        ]

    def scorecard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        year = int(request.GET.get("year") or today.year)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Bảng theo dõi các xã năm {year}",
            "year": year,
            "duties": CommuneDuty.objects.all(),
            "rows": scorecard(year, today, Unit.objects.visible_to(request.user)),
        }
        return TemplateResponse(request, "admin/training/dutyreport/scorecard.html", context)


@admin.register(Reimbursement)
class ReimbursementAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = ReimbursementForm
    list_display = ["dispatch", "left_on", "months_committed", "months_served", "cost", "amount"]
    list_select_related = ["dispatch__cadre", "dispatch__programme"]
    search_fields = ["dispatch__cadre__search_name", "dispatch__cadre__cccd", "decision_number"]
    autocomplete_fields = ["dispatch"]
    # Worked out from the dispatch and the leave date (ReimbursementForm), shown after saving.
    readonly_fields = [
        "rule",
        "repayment_rule",
        "cost",
        "months_committed",
        "months_served",
        "amount",
    ]
    fieldsets = [
        (None, {"fields": ["dispatch", "left_on"]}),
        (
            "Số tiền phải bồi hoàn (tự tính khi lưu)",
            {"fields": readonly_fields},
        ),
        ("Quyết định bồi hoàn", {"fields": ["decision_number", "repaid_on"]}),
    ]


# --- Classes and attendances --------------------------------------------------------------


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 5
    autocomplete_fields = ["cadre", "trainee"]
    fields = ["cadre", "trainee", "result", "certificate"]


class CourseCostInline(ScopedChoicesMixin, admin.TabularInline):
    model = CourseCost
    extra = 1
    fields = ["item", "policy", "amount", "paid_on", "voucher"]


@admin.register(Course)
class CourseAdmin(ScopedChoicesMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    resource_class = CourseResource
    export_title = "Danh sách lớp bồi dưỡng"
    list_display = [
        "name",
        "code",
        "topic",
        "organiser",
        "start_date",
        "end_date",
        "place",
        "attendances_link",
    ]
    list_select_related = ["organiser"]
    list_filter = ["topic", "organiser"]
    search_fields = ["name", "code", "place"]
    autocomplete_fields = ["organiser", "programme"]
    date_hierarchy = "start_date"
    inlines = [AttendanceInline, CourseCostInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        done = services.graduations_of_course(form.instance.pk)
        if done:
            self.message_user(request, f"Đã ghi trình độ vào hồ sơ của {done} người đạt.")

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
            services.record_attendance_graduations(
                obj.attendances.select_related("course__organiser", "course__programme")
            )


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

    def save_model(self, request, obj: Attendance, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.record_attendance_graduation(obj)

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
    list_display = ["paid_on", "policy", "payee", "amount", "computed_amount", "voucher"]
    readonly_fields = ["computed_amount"]
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


class PlanningEntryWithPathAdmin(PlanningEntryAdmin):
    """The planning entry's page with its path to the standard: planning knows nothing of
    programmes, so training, built on it, adds the panel to planning's own admin."""

    fieldsets = [
        *PlanningEntryAdmin.fieldsets,
        ("Lộ trình đạt chuẩn", {"fields": ["path_to_standard"]}),
    ]
    readonly_fields = [*PlanningEntryAdmin.readonly_fields, "path_to_standard"]

    @admin.display(description="các khóa học cần học")
    def path_to_standard(self, entry: PlanningEntry) -> str:
        if entry.pk is None:
            return "Lưu mục quy hoạch để xem lộ trình."
        on = timezone.localdate()
        path = pathway.path_for(
            entry, on, RuleSet.objects.applying_on(on), pathway.Catalogue.load(on)
        )
        return render_to_string("admin/training/path_to_standard.html", {"path": path})


admin.site.unregister(PlanningEntry)
admin.site.register(PlanningEntry, PlanningEntryWithPathAdmin)

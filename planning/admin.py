from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cadres.list_filters import date_param
from cadres.models import Cadre, Position
from cadres.scoping import (
    ReadOnlyAdminMixin,
    ScopedAdminMixin,
    ScopedChoicesMixin,
    ScopedInlineMixin,
    chosen_unit,
)
from core.audit import log_export
from core.exports import XLSX_TYPE
from core.imports.admin import ImportExportAdminMixin
from core.masking import sees_unmasked
from core.widgets import PickFileWidget
from planning.choices import DecisionStatus, EntryRole
from planning.list_filters import (
    ActiveOnFilter,
    EntryAgeBandFilter,
    GapDayFilter,
    GapPositionFilter,
    GapRoleFilter,
    GapTermFilter,
    GapUnitFilter,
    MinorityFilter,
    PlanningUnitFilter,
    ReadinessFilter,
    RetiringInTermFilter,
    StatusFilter,
    YoungFilter,
    day_of,
)
from planning.models import (
    WITH_LEVELS,
    Ballot,
    PlannedPosition,
    PlanningDecision,
    PlanningEntry,
    PlanningTerm,
    PositionStandard,
    Rotation,
    RuleSet,
    SuccessionGap,
    VotingRound,
)
from planning.pool import pool_matrix, pool_xlsx
from planning.readiness import attach_readiness, bench_strength, structure
from planning.resources import PlanningEntryResource
from planning.review import annual_review, draft_decisions
from planning.rules import limit_errors, lock_for_limits
from planning.succession import succession_timeline
from planning.whatif import Addition, what_if


@admin.register(RuleSet)
class RuleSetAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "valid_from",
        "valid_to",
        "candidates_per_position",
        "positions_per_person",
        "full_term_months",
        "target_women_percent",
        "target_young_percent",
    ]
    search_fields = ["name", "regulation"]
    fieldsets = [
        (None, {"fields": ["name", "regulation", ("valid_from", "valid_to")]}),
        (
            "Giới hạn",
            {
                "fields": [
                    "candidates_per_position",
                    "positions_per_person",
                    "only_higher_position",
                    "full_term_months",
                    "appointment_interval_months",
                    "ballot_pass_percent",
                    "evaluation_years",
                ]
            },
        ),
        (
            "Cơ cấu",
            {
                "fields": [
                    ("young_age_commune", "young_age_district"),
                    ("young_age_province", "young_age_central"),
                    "target_women_percent",
                    "target_young_percent",
                    "target_minority_percent",
                ]
            },
        ),
        (
            "Đưa ra khỏi quy hoạch",
            {
                "fields": [
                    "remove_on_age",
                    "remove_on_discipline",
                    "remove_on_failed_evaluation",
                    "expired_discipline_allowed",
                    "discipline_bar_months",
                ]
            },
        ),
        ("Thời gian đào tạo", {"fields": ["training_months"]}),
    ]


STANDARD_FIELDS = [
    "professional_level",
    "political_theory_level",
    "state_management_level",
    "general_education",
    "min_party_years",
    "max_age_first_planned",
    "other_requirements",
]


@admin.register(PositionStandard)
class PositionStandardAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    list_display = ["position", *STANDARD_FIELDS[:6]]
    list_select_related = [
        "position",
        "professional_level",
        "political_theory_level",
        "state_management_level",
        "general_education",
    ]
    autocomplete_fields = ["position"]
    search_fields = ["position__title"]
    fields = ["position", *STANDARD_FIELDS]


class PositionStandardInline(ScopedChoicesMixin, admin.StackedInline):
    model = PositionStandard
    fields = STANDARD_FIELDS
    can_delete = False
    verbose_name_plural = "tiêu chuẩn chức danh"


@admin.register(PlannedPosition)
class PlannedPositionAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """The position page of planning: its standards (editable) beside its candidates."""

    list_display = ["title", "level", "is_key", "rank", "standard_summary"]
    list_filter = ["level", "is_key"]
    list_select_related = ["standard__political_theory_level", "standard__professional_level"]
    search_fields = ["title"]
    fields = ["title", "level", "is_key", "is_party_post", "rank", "candidates_panel"]
    readonly_fields = ["candidates_panel"]
    inlines = [PositionStandardInline]

    @admin.display(description="tiêu chuẩn")
    def standard_summary(self, position) -> str:
        standard = getattr(position, "standard", None)
        if standard is None:
            return "—"
        levels = [standard.professional_level, standard.political_theory_level]
        return "; ".join(str(level) for level in levels if level) or "—"

    @admin.display(description="người trong quy hoạch")
    def candidates_panel(self, position) -> str:
        if not position.pk:
            return "—"
        today = timezone.localdate()
        entries = list(
            PlanningEntry.objects.active(today)
            .filter(position=position)
            .with_levels()
            .order_by("unit__path", "cadre__full_name")
        )
        attach_readiness(entries, today)
        return render_to_string("admin/planning/candidates_panel.html", {"entries": entries})


@admin.register(PlanningTerm)
class PlanningTermAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    """The term's page: its fields, its decisions and the pool at a glance (planning.pool)."""

    list_display = ["name", "level", "kind", "start_date", "end_date", "links"]
    list_filter = ["level", "kind"]
    search_fields = ["name"]
    actions = ["open_review", "open_report"]
    change_form_template = "admin/planning/planningterm_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        term = self.get_object(request, unquote(object_id))
        if term is not None:
            extra_context = {**(extra_context or {}), **self._pool_context(request, term)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _pool_context(self, request, term: PlanningTerm) -> dict:
        on = date_param(request) or timezone.localdate()
        unit = chosen_unit(request.user, request.GET.get("unit"))
        decisions = PlanningDecision.objects.filter(term=term).select_related("unit")
        return {
            "pool": pool_matrix(term, on, request.user, unit),
            "pool_unit": unit,
            "decisions": decisions.visible_to(request.user),
        }

    def pool_xlsx_view(self, request, pk: int) -> HttpResponse:
        term = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, term):
            raise PermissionDenied
        context = self._pool_context(request, term)
        pool = context["pool"]
        log_export(request.user, f"Danh sách quy hoạch {term}", pool.people, request)
        response = HttpResponse(pool_xlsx(pool), content_type=XLSX_TYPE)
        name = f"quy_hoach_{term.name}_{term.level}_{pool.on:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description="Rà soát quy hoạch hằng năm của nhiệm kỳ đã chọn")
    def open_review(self, request, queryset):
        return redirect("admin:planning_term_review", pk=queryset.first().pk)

    @admin.action(description="Xem cơ cấu và nguồn kế cận của nhiệm kỳ đã chọn")
    def open_report(self, request, queryset):
        return redirect("admin:planning_term_report", pk=queryset.first().pk)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", view(self.review_view), name="planning_term_review"),
            path("<int:pk>/report/", view(self.report_view), name="planning_term_report"),
            path(
                "<int:pk>/succession/",
                view(self.succession_view),
                name="planning_term_succession",
            ),
            path("<int:pk>/pool.xlsx", view(self.pool_xlsx_view), name="planning_term_pool"),
            path("<int:pk>/whatif/", view(self.whatif_view), name="planning_term_whatif"),
            *super().get_urls(),
        ]

    @admin.display(description="")
    def links(self, term: PlanningTerm) -> str:
        return format_html(
            '<a href="{}">Báo cáo cơ cấu</a> · <a href="{}">Rà soát hằng năm</a> · '
            '<a href="{}">Kế thừa theo chức danh</a> · <a href="{}">Dự kiến thêm, bớt</a>',
            reverse("admin:planning_term_report", args=[term.pk]),
            reverse("admin:planning_term_review", args=[term.pk]),
            reverse("admin:planning_term_succession", args=[term.pk]),
            reverse("admin:planning_term_whatif", args=[term.pk]),
        )

    def _term(self, request, pk: int) -> PlanningTerm:
        term = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, term):
            raise PermissionDenied
        return term

    def succession_view(self, request, pk: int):
        term = self._term(request, pk)
        context = self._context(request, term, f"Kế thừa theo chức danh – {term}")
        if context["unit"]:
            context["outlooks"] = succession_timeline(term, context["unit"], context["on"])
        return TemplateResponse(request, "admin/planning/term_succession.html", context)

    def whatif_view(self, request, pk: int):
        """Add or remove names in a unit's pool and see the limits and shares change; the form
        posts back to itself and nothing is saved (planning.whatif)."""
        term = self._term(request, pk)
        context = self._context(request, term, f"Dự kiến thêm, bớt người quy hoạch – {term}")
        unit = context["unit"]
        if unit:
            new = ":".join(request.POST.get(f"new_{k}", "") for k in ("cadre", "position", "role"))
            values = [*request.POST.getlist("add"), new]
            removals = [int(v) for v in request.POST.getlist("remove") if v.isdigit()]
            additions = [a for a in map(Addition.parse, values) if a]
            context["whatif"] = what_if(
                term, unit, context["on"], request.user, additions, removals
            )
            context["cadres"] = Cadre.objects.visible_to(request.user).in_unit(unit)
            context["positions"] = Position.objects.filter(level=term.level)
            context["roles"] = EntryRole.choices
        return TemplateResponse(request, "admin/planning/term_whatif.html", context)

    def _context(self, request, term: PlanningTerm, title: str) -> dict:
        units = term.planning_units().visible_to(request.user)
        unit = chosen_unit(request.user, request.GET.get("unit") or request.POST.get("unit"), units)
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "term": term,
            "units": units,
            "unit": unit,
            "on": timezone.localdate(),
        }

    def report_view(self, request, pk: int):
        term = self._term(request, pk)
        context = self._context(request, term, f"Cơ cấu và nguồn kế cận – {term}")
        if context["unit"]:
            entries = PlanningEntry.objects.active(context["on"]).for_term(term)
            entries = entries.in_unit(context["unit"], descendants=True)
            context["structure"] = structure(entries, context["on"], term.level)
            context["benches"] = bench_strength(term, context["unit"], context["on"])
        return TemplateResponse(request, "admin/planning/term_report.html", context)

    def review_view(self, request, pk: int):
        term = self._term(request, pk)
        context = self._context(request, term, f"Rà soát quy hoạch hằng năm – {term}")
        unit = context["unit"]
        # Drafting writes decisions: only for who may add them (not commune staff, not the
        # inspector), whatever the form posts.
        if request.method == "POST" and not request.user.has_perm("planning.add_planningdecision"):
            raise PermissionDenied
        context["can_draft"] = request.user.has_perm("planning.add_planningdecision")
        if request.method == "POST" and unit:
            removals = [
                (int(pk), request.POST.get(f"reason_{pk}", "other"))
                for pk in request.POST.getlist("remove")
            ]
            additions = [
                tuple(int(part) for part in value.split(":"))
                for value in request.POST.getlist("add")
            ]
            try:
                drafts = draft_decisions(term, unit, context["on"], removals, additions)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Đã tạo {len(drafts)} quyết định dự thảo; kiểm tra rồi ban hành.",
                    messages.SUCCESS,
                )
                url = reverse("admin:planning_planningdecision_changelist")
                return redirect(f"{url}?status__exact=draft")
        if unit:
            context["review"] = annual_review(term, unit, context["on"])
        return TemplateResponse(request, "admin/planning/term_review.html", context)


class DecisionEntryFormSet(BaseInlineFormSet):
    """Entries added through a decision take its term before their rules are checked, and the
    limits count every row posted together: each row against the stored entries and the rows
    above it (the admin saves them in one transaction, with the positions locked)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.term_id = self.instance.term_id
        return form

    def clean(self):
        super().clean()
        forms = [
            form
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and not form.errors
        ]
        entries = [form.instance for form in forms]
        lock_for_limits(entries)
        for index, (form, entry) in enumerate(zip(forms, entries, strict=True)):
            if entry.is_removed or not entry.is_complete():
                continue
            found = limit_errors(entry, entry.added_by.rule_set(), batch=entries[:index])
            for field, texts in found.items():
                for text in texts:
                    form.add_error(field, text)
        decision = self.instance
        if decision.status == DecisionStatus.CONFIRMED and decision.term_id and entries:
            refused = decision.ballot_errors(entries)
            if refused:
                raise ValidationError(refused)


class AddedEntryInline(ScopedInlineMixin, admin.TabularInline):
    model = PlanningEntry
    fk_name = "added_by"
    fields = ["cadre", "position", "unit", "role", "first_time", "removed_by"]
    readonly_fields = ["first_time", "removed_by"]
    autocomplete_fields = ["cadre", "position", "unit"]
    extra = 0
    verbose_name_plural = "người được quy hoạch theo quyết định này"

    formset = DecisionEntryFormSet


class RemovedEntryInline(ScopedInlineMixin, admin.TabularInline):
    model = PlanningEntry
    fk_name = "removed_by"
    fields = ["cadre", "position", "unit", "removed_on", "removal_reason", "removal_note"]
    readonly_fields = ["cadre", "position", "unit"]
    extra = 0
    can_delete = False
    verbose_name_plural = "người đưa ra khỏi quy hoạch theo quyết định này"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanningDecision)
class PlanningDecisionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "issued_on", "kind", "status", "term", "unit", "issuer"]
    list_filter = ["status", "kind", "term"]
    list_select_related = ["term", "unit"]
    search_fields = ["number", "issuer"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "issued_on"
    formfield_overrides = {models.FileField: {"widget": PickFileWidget}}
    actions = ["confirm", "discard"]
    fields = [
        ("number", "issued_on"),
        "issuer",
        ("kind", "status"),
        ("term", "unit"),
        "attachment",
        "note",
    ]

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [AddedEntryInline] if obj.adds else [RemovedEntryInline]

    @admin.action(description="Ban hành các quyết định dự thảo đã chọn", permissions=["change"])
    def confirm(self, request, queryset):
        issued, refused = 0, []
        for decision in queryset.drafts():
            try:
                decision.confirm()
            except ValidationError as error:
                refused.append(f"{decision}: {' '.join(error.messages)}")
            else:
                issued += 1
        self.message_user(request, f"Đã ban hành {issued} quyết định.", messages.SUCCESS)
        for text in refused:
            self.message_user(request, f"Chưa ban hành {text}", messages.ERROR)

    @admin.action(description="Hủy các quyết định dự thảo đã chọn", permissions=["change"])
    def discard(self, request, queryset):
        drafts = list(queryset.drafts())
        for decision in drafts:
            decision.discard()
        self.message_user(request, f"Đã hủy {len(drafts)} dự thảo.", messages.SUCCESS)


class PlanningChangeList(ChangeList):
    """Attaches readiness to the rows of the page (two queries for the whole page)."""

    def get_results(self, request):
        super().get_results(request)
        attach_readiness(self.result_list, day_of(request))


@admin.register(PlanningEntry)
class PlanningEntryAdmin(ScopedAdminMixin, ImportExportAdminMixin, SimpleHistoryAdmin):
    """The main screen: the plan of a term and unit, with readiness and what each one lacks."""

    list_display = [
        "cadre_name",
        "birth_year",
        "gender",
        "position",
        "unit",
        "term_name",
        "role",
        "readiness_level",
        "missing",
        "retirement_months",
        "warnings",
        "status",
    ]
    list_select_related = WITH_LEVELS
    readonly_fields = ["first_time"]
    resource_class = PlanningEntryResource
    export_title = "Danh sách quy hoạch"
    province_columns = PlanningEntryResource.Meta.fields
    list_filter = [
        "term",
        "term__level",
        PlanningUnitFilter,
        ("position", admin.RelatedFieldListFilter),
        "role",
        ActiveOnFilter,
        ReadinessFilter,
        "cadre__gender",
        YoungFilter,
        MinorityFilter,
        ("cadre__ethnicity", admin.RelatedFieldListFilter),
        EntryAgeBandFilter,
        RetiringInTermFilter,
        StatusFilter,
    ]
    search_fields = ["cadre__search_name", "cadre__cccd"]
    autocomplete_fields = ["cadre", "position", "unit", "added_by", "removed_by"]
    show_full_result_count = False
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["term", "unit", "position", "cadre", "role", "first_time"]}),
        ("Quyết định", {"fields": ["added_by", "political_standard_on"]}),
        (
            "Đưa ra khỏi quy hoạch",
            {"fields": ["removed_by", "removed_on", "removal_reason", "removal_note"]},
        ),
    ]

    def get_changelist(self, request, **kwargs):
        return PlanningChangeList

    def get_search_results(self, request, queryset, search_term):
        from core.text import fold

        by_cccd = sees_unmasked(request.user)  # a masked user cannot find people by CCCD
        for word in fold(search_term).split():
            field = (
                "cadre__cccd__contains"
                if word.isdigit() and by_cccd
                else "cadre__search_name__contains"
            )
            queryset = queryset.filter(**{field: word})
        return queryset, False

    @admin.display(description="họ và tên", ordering="cadre__full_name")
    def cadre_name(self, entry: PlanningEntry) -> str:
        return entry.cadre.full_name

    @admin.display(description="năm sinh")
    def birth_year(self, entry: PlanningEntry) -> int:
        return entry.cadre.birth_date.year

    @admin.display(description="giới tính")
    def gender(self, entry: PlanningEntry) -> str:
        return entry.cadre.get_gender_display()

    @admin.display(description="nhiệm kỳ", ordering="term__start_date")
    def term_name(self, entry: PlanningEntry) -> str:
        return entry.term.name

    @admin.display(description="mức sẵn sàng")
    def readiness_level(self, entry: PlanningEntry) -> str:
        return entry.readiness.level.label

    @admin.display(description="tiêu chuẩn còn thiếu")
    def missing(self, entry: PlanningEntry) -> str:
        return entry.readiness.missing_text

    @admin.display(description="số tháng đến nghỉ hưu")
    def retirement_months(self, entry: PlanningEntry) -> int | str:
        months = entry.readiness.months_to_retirement
        return "—" if months is None else months

    @admin.display(description="cảnh báo")
    def warnings(self, entry: PlanningEntry) -> str:
        return " ".join(entry.readiness.warnings) or "—"

    @admin.display(description="tình trạng")
    def status(self, entry: PlanningEntry) -> str:
        if entry.removed_by_id is None:
            return "Dự thảo bổ sung" if entry.added_by.is_draft else "Trong quy hoạch"
        return "Đề nghị đưa ra" if entry.removed_by.is_draft else "Đã đưa ra"


class BallotInline(ScopedChoicesMixin, admin.TabularInline):
    model = Ballot
    fields = [
        "step",
        "position",
        "cadre",
        "held_on",
        "summoned",
        "present",
        "issued",
        "returned",
        "valid",
        "votes_for",
        "votes_against",
        "passed_display",
    ]
    readonly_fields = ["passed_display"]
    autocomplete_fields = ["cadre", "position"]
    extra = 0

    @admin.display(description="đạt (trên 50% phiếu hợp lệ)", boolean=True)
    def passed_display(self, ballot: Ballot) -> bool | None:
        return ballot.passed if ballot.pk else None


@admin.register(VotingRound)
class VotingRoundAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "term", "year"]
    list_select_related = ["unit", "term"]
    list_filter = ["term", "year"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["outcome"]
    inlines = [BallotInline]

    @admin.display(description="kết quả (đạt: trên một nửa số phiếu hợp lệ)")
    def outcome(self, voting: VotingRound) -> str:
        if not voting.pk:
            return "—"
        return render_to_string("admin/planning/ballot_outcome.html", {"rows": voting.outcome()})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        kwargs["queryset"] = Ballot.objects.select_related("cadre", "position")
        return kwargs


@admin.register(SuccessionGap)
class SuccessionGapAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The units where a key position of a term has nobody planned on a date: the list behind
    the planning-pool report's "no candidate" figures. Read-only."""

    list_display = ["name", "parent", "kind"]
    list_select_related = ["parent"]
    # GapPositionFilter narrows the list (reading the term, role and day beside it).
    list_filter = [GapTermFilter, GapPositionFilter, GapRoleFilter, GapDayFilter, GapUnitFilter]
    search_fields = ["name", "name_key"]


class EndingSoonFilter(admin.SimpleListFilter):
    title = "sắp kết thúc"
    parameter_name = "ending"

    def lookups(self, request, model_admin):
        return [("30", "Trong 30 ngày"), ("90", "Trong 90 ngày"), ("180", "Trong 180 ngày")]

    def queryset(self, request, queryset):
        if self.value() not in {"30", "90", "180"}:
            return queryset
        return queryset.ending_within(int(self.value()), timezone.localdate())


@admin.register(Rotation)
class RotationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "cadre",
        "from_unit",
        "to_unit",
        "to_position",
        "planned_start",
        "planned_end",
        "actual_end",
    ]
    list_select_related = ["cadre", "from_unit", "to_unit", "to_position"]
    list_filter = [EndingSoonFilter]
    search_fields = ["cadre__search_name", "decision_number"]
    autocomplete_fields = [
        "cadre",
        "from_unit",
        "from_position",
        "to_unit",
        "to_position",
        "entry",
    ]
    actions = ["complete"]

    # A write (work history, appointment): only for users who may change rotations, never the
    # read-only inspector (tests/security/test_walk_admin.py found it open).
    @admin.action(
        permissions=["change"],
        description="Kết thúc luân chuyển hôm nay (ghi quá trình công tác, chức vụ)",
    )
    def complete(self, request, queryset):
        done = 0
        for rotation in queryset.filter(actual_end__isnull=True):
            try:
                rotation.complete(timezone.localdate())
            except ValidationError as error:
                self.message_user(
                    request, f"{rotation}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        self.message_user(request, f"Đã kết thúc {done} luân chuyển.", messages.SUCCESS)

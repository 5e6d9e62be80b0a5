"""List filters of the planning admin. Each reads a small table or fixed choices.

Filters at a date read ``?on=`` (today without it), so that a report figure computed on a day
and the list it links to count the same rows."""

from datetime import date

from django.contrib import admin
from django.utils import timezone

from cadres.choices import Level
from cadres.list_filters import AgeBandFilter, OnDateFilter, ScopedUnitFilterMixin, date_param
from cadres.models import Position
from cadres.retirement import add_years
from planning.choices import EntryRole, Readiness, TermLevel
from planning.models import PlanningEntry, PlanningTerm, RuleSet
from planning.readiness import MINORITY_Q, entries_by_readiness, units_without_candidate, young_q


def day_of(request):
    return date_param(request) or timezone.localdate()


class ActiveOnFilter(OnDateFilter):
    """Entries in the pool on a date (added and not removed by confirmed decisions by then)."""

    title = "trong quy hoạch tại ngày"

    def on(self, queryset, day: date):
        return queryset.active(day)


class YoungFilter(admin.SimpleListFilter):
    """Young for the level of the entry's term, under the rule set in force on the date."""

    title = "cán bộ trẻ"
    parameter_name = "young"

    def lookups(self, request, model_admin):
        return [("1", "Cán bộ trẻ")]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        on = day_of(request)
        return queryset.filter(young_q(on, RuleSet.objects.applying_on(on)))


class MinorityFilter(admin.SimpleListFilter):
    title = "dân tộc thiểu số"
    parameter_name = "minority"

    def lookups(self, request, model_admin):
        return [("1", "Người dân tộc thiểu số")]

    def queryset(self, request, queryset):
        return queryset.filter(MINORITY_Q) if self.value() == "1" else queryset


class RetiringInTermFilter(admin.SimpleListFilter):
    title = "nghỉ hưu trong nhiệm kỳ"
    parameter_name = "retiring"

    def lookups(self, request, model_admin):
        return [("1", "Đến tuổi nghỉ hưu trước khi hết nhiệm kỳ quy hoạch")]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.retiring_within_term().filter(cadre__retirement_date__gte=day_of(request))


class PlanningUnitFilter(ScopedUnitFilterMixin, admin.SimpleListFilter):
    """The unit an entry is planned in (district, agencies and communes, not villages)."""

    title = "đơn vị"
    parameter_name = "unit"

    def choosable(self, request):
        units = super().choosable(request)
        return units.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])

    def lookups(self, request, model_admin):
        units = self.choosable(request).only("name", "depth")
        return [(u.pk, f"{'· ' * u.depth}{u.name}") for u in units]

    def queryset(self, request, queryset):
        return queryset.in_unit(self.unit, descendants=True) if self.unit else queryset


class EntryAgeBandFilter(admin.SimpleListFilter):
    title = "độ tuổi"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in AgeBandFilter.BANDS.items()]

    def queryset(self, request, queryset):
        if self.value() not in AgeBandFilter.BANDS:
            return queryset
        _, low, high = AgeBandFilter.BANDS[self.value()]
        today = day_of(request)
        if low is not None:
            queryset = queryset.filter(cadre__birth_date__lte=add_years(today, -low))
        if high is not None:
            queryset = queryset.filter(cadre__birth_date__gt=add_years(today, -high))
        return queryset


class ReadinessFilter(admin.SimpleListFilter):
    """Readiness is worked out from the standards, so the rows of the (already narrowed) list are
    read once and filtered by key: a constant number of queries whatever the size."""

    title = "mức sẵn sàng"
    parameter_name = "readiness"

    def lookups(self, request, model_admin):
        return Readiness.choices

    def queryset(self, request, queryset):
        if self.value() not in Readiness.values:
            return queryset
        return entries_by_readiness(queryset, day_of(request), self.value())


class StatusFilter(admin.SimpleListFilter):
    title = "tình trạng"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("current", "Đang trong quy hoạch"),
            ("marked", "Đề nghị đưa ra (dự thảo)"),
            ("removed", "Đã đưa ra"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "marked":
            return queryset.filter(removed_by__status="draft")
        if self.value() == "removed":
            return queryset.filter(removed_by__status="confirmed")
        return queryset


# --- The list of units without a candidate (SuccessionGapAdmin) -------------------------------
# The term, position, role and date are read together by the admin's ``get_queryset``; these
# filters only offer them (and let the admin accept the parameters).


class ReadByAdminFilter(admin.SimpleListFilter):
    def queryset(self, request, queryset):
        return queryset


class GapTermFilter(ReadByAdminFilter):
    title = "nhiệm kỳ quy hoạch"
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [(term.pk, str(term)) for term in PlanningTerm.objects.all()]


class GapPositionFilter(admin.SimpleListFilter):
    """The units where the chosen term has nobody for this position on the day (nothing until
    a term and a position are chosen)."""

    title = "chức danh chủ chốt"
    parameter_name = "position"

    def lookups(self, request, model_admin):
        positions = Position.objects.filter(is_key=True, level__in=TermLevel.values)
        return [(p.pk, f"{p.title} ({p.get_level_display()})") for p in positions]

    def queryset(self, request, queryset):
        term_id, position_id = request.GET.get("term", ""), self.value() or ""
        term = PlanningTerm.objects.filter(pk=term_id).first() if term_id.isdigit() else None
        if term is None or not position_id.isdigit():
            return queryset.none()
        on = day_of(request)
        entries = PlanningEntry.objects.active(on)
        if request.GET.get("role"):
            entries = entries.filter(role=request.GET["role"])
        return units_without_candidate(term, int(position_id), entries, queryset.active(on))


class GapRoleFilter(ReadByAdminFilter):
    title = "đương chức / dự nguồn"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return EntryRole.choices


class GapDayFilter(ReadByAdminFilter):
    title = "tại ngày"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        return [(day_of(request).isoformat(), f"{day_of(request):%d/%m/%Y}")]


class GapUnitFilter(PlanningUnitFilter):
    def queryset(self, request, queryset):
        return queryset.filter(path__startswith=self.unit.path) if self.unit else queryset

"""List filters of the planning admin. Each reads a small table or fixed choices."""

from django.contrib import admin
from django.utils import timezone

from cadres.choices import Level
from cadres.list_filters import AgeBandFilter
from cadres.models import Unit
from cadres.retirement import add_years
from planning.choices import Readiness
from planning.readiness import entries_by_readiness


class PlanningUnitFilter(admin.SimpleListFilter):
    """The unit an entry is planned in (district, agencies and communes, not villages)."""

    title = "đơn vị"
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        units = Unit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
        return [(u.pk, f"{'· ' * u.depth}{u.name}") for u in units.only("name", "depth")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Unit.objects.filter(pk=self.value()).first()
        return queryset.in_unit(unit, descendants=True) if unit else queryset.none()


class EntryAgeBandFilter(admin.SimpleListFilter):
    title = "độ tuổi"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in AgeBandFilter.BANDS.items()]

    def queryset(self, request, queryset):
        if self.value() not in AgeBandFilter.BANDS:
            return queryset
        _, low, high = AgeBandFilter.BANDS[self.value()]
        today = timezone.localdate()
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
        return entries_by_readiness(queryset, timezone.localdate(), self.value())


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

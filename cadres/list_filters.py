"""List filters of the cadre admin. Each reads a small table or fixed choices, never a
``SELECT DISTINCT`` over the cadres (measured: 0.3 s added to every page at 1M rows)."""

from datetime import date

from django.contrib import admin
from django.utils import timezone

from cadres.choices import Level
from cadres.models import Unit
from cadres.retirement import add_years


class UnitSubtreeFilter(admin.SimpleListFilter):
    """A unit and everything under it (a commune with its villages and schools)."""

    title = "đơn vị"
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        # Communes and agencies, not the thousands of villages below them.
        units = (
            Unit.objects.visible_to(request.user)
            .active()
            .filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
        )
        return [
            (unit.pk, f"{'· ' * unit.depth}{unit.name}") for unit in units.only("name", "depth")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = Unit.objects.filter(pk=self.value()).first()
        return queryset.in_unit(unit) if unit else queryset.none()


class UnitLevelFilter(admin.SimpleListFilter):
    title = "cấp"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(unit__level=self.value()) if self.value() else queryset


class AgeBandFilter(admin.SimpleListFilter):
    """Age bands as planning reports count them (under 35, 35-45, 46-55, over 55)."""

    title = "độ tuổi"
    parameter_name = "age"
    BANDS = {
        "lt35": ("Dưới 35", None, 35),
        "35_45": ("Từ 35 đến 45", 35, 46),
        "46_55": ("Từ 46 đến 55", 46, 56),
        "gt55": ("Trên 55", 56, None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in self.BANDS.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.BANDS:
            return queryset
        _, low, high = self.BANDS[self.value()]
        today = timezone.localdate()
        if low is not None:  # at least `low` years old: born on or before today - low years
            queryset = queryset.filter(birth_date__lte=add_years(today, -low))
        if high is not None:  # younger than `high`: born after today - high years
            queryset = queryset.filter(birth_date__gt=add_years(today, -high))
        return queryset


class RetirementWithinFilter(admin.SimpleListFilter):
    title = "nghỉ hưu trong vòng"
    parameter_name = "retiring"
    YEARS = (1, 2, 3, 5)

    def lookups(self, request, model_admin):
        return [(str(years), f"{years} năm tới") for years in self.YEARS]

    def queryset(self, request, queryset):
        if self.value() not in {str(years) for years in self.YEARS}:
            return queryset
        today: date = timezone.localdate()
        return queryset.retiring_between(today, add_years(today, int(self.value())))

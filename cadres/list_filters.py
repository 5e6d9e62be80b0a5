"""List filters of the cadre admin. Each reads a small table or fixed choices, never a
``SELECT DISTINCT`` over the cadres (measured: 0.3 s added to every page at 1M rows)."""

from datetime import date

from django.contrib import admin
from django.db.models import Min, Q
from django.utils import timezone

from cadres.choices import Level, Track
from cadres.models import QualificationLevel, Unit
from cadres.retirement import add_years
from cadres.scoping import chosen_unit


class ScopedUnitFilterMixin:
    """A list filter on a unit: only the units the user may choose (:meth:`choosable`) are
    offered, and a unit outside them is refused with a reason (400), never dropped silently
    (:func:`cadres.scoping.chosen_unit`)."""

    def __init__(self, request, params, model, model_admin):
        value = params.get(self.parameter_name)  # read before the lookups are listed
        value = value[-1] if isinstance(value, list) else value
        self.unit = chosen_unit(request.user, value, self.choosable(request))
        super().__init__(request, params, model, model_admin)

    def choosable(self, request):
        return Unit.objects.visible_to(request.user)

    def chosen_unit(self) -> Unit | None:
        return self.unit


class UnitSubtreeFilter(ScopedUnitFilterMixin, admin.SimpleListFilter):
    """A unit and everything under it (a commune with its villages and schools).

    The list drills down: the top units and the units right under them, or, once a unit is
    chosen, the way down to it and the units right under it. A few dozen links at any scale,
    where listing every commune, agency and school of a province (about 2,800) took most of
    the page's time (bench/RESULTS.md)."""

    title = "đơn vị"
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        # Merged units stay listed: their records are the district's history. The top of what
        # the user may see and its children, or the way down to the chosen unit and its children.
        units = self.choosable(request).only("name", "depth", "path", "valid_to")
        chosen = self.chosen_unit()
        if chosen is None:
            top = units.aggregate(top=Min("depth"))["top"] or 0
            shown = units.filter(depth__lte=top + 1)
        else:
            way_down = [int(pk) for pk in chosen.path.split("/") if pk]
            shown = units.filter(Q(pk__in=way_down) | Q(parent=chosen))
        return [(unit.pk, f"{'· ' * unit.depth}{unit.name}{unit.closed_suffix}") for unit in shown]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        unit = self.chosen_unit()
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


class RetirementYearFilter(admin.SimpleListFilter):
    """Year of retirement in five-year spans (2026-2030, 2031-2035, … as terms run), and the years
    of the chosen span under it: a dozen links where the date hierarchy listed some 43 years.
    Computed from today, no query."""

    title = "năm nghỉ hưu"
    parameter_name = "retires"
    SPAN = 5
    SPANS = 9  # people starting work now retire some 40 years on

    def first_span_start(self) -> int:
        year = timezone.localdate().year
        return year - (year - 1) % self.SPAN  # 2026 -> 2026, 2027 -> 2026, 2031 -> 2031

    def bounds(self, value: str | None) -> tuple[int | None, int | None] | None:
        """(first year, last year) of a value: "2026-2030", "2027" or "before-2026"."""
        first, _, last = (value or "").partition("-")
        if first == "before" and last.isdigit():
            return None, int(last) - 1
        if first.isdigit() and (not last or last.isdigit()):
            return int(first), int(last or first)
        return None

    def lookups(self, request, model_admin):
        start = self.first_span_start()
        choices = [(f"before-{start}", f"Trước {start}")]
        chosen = self.bounds(self.value())
        for first in range(start, start + self.SPAN * self.SPANS, self.SPAN):
            last = first + self.SPAN - 1
            choices.append((f"{first}-{last}", f"{first}–{last}"))
            if chosen and chosen[0] is not None and first <= chosen[0] <= last:
                choices += [(str(year), f"· {year}") for year in range(first, last + 1)]
        return choices

    def queryset(self, request, queryset):
        chosen = self.bounds(self.value())
        if chosen is None:
            return queryset
        first, last = chosen
        if first is not None:
            queryset = queryset.filter(retirement_date__gte=date(first, 1, 1))
        return queryset.filter(retirement_date__lte=date(last, 12, 31))


# --- Filters at a date: the report figures link here, so a figure and its list always agree. ---


def date_param(request, name: str = "on") -> date | None:
    """The ISO date in ``?on=``; None when absent or malformed."""
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None


class OnDateFilter(admin.SimpleListFilter):
    """The date in ``?on=`` (set by a report's link, shown as the filter's one choice);
    a subclass says in ``on()`` what it selects on that date."""

    parameter_name = "on"

    def lookups(self, request, model_admin):
        chosen = date_param(request)
        return [(chosen.isoformat(), f"{chosen:%d/%m/%Y}")] if chosen else []

    def queryset(self, request, queryset):
        chosen = date_param(request)
        return self.on(queryset, chosen) if chosen else queryset

    def on(self, queryset, day: date):
        raise NotImplementedError


class AtDateFilter(OnDateFilter):
    """Cadres in post on a date (see ``employed_on_q``); the date also anchors the filters below."""

    title = "tại ngày"

    def on(self, queryset, day: date):
        return queryset.employed_on(day)


class QualifiedFilter(admin.SimpleListFilter):
    """Holds a level or higher of the same track on the ``on`` date (today without one)."""

    title = "đạt trình độ (tại ngày)"
    parameter_name = "meets"

    def lookups(self, request, model_admin):
        levels = QualificationLevel.objects.exclude(track=Track.GENERAL_EDUCATION)
        return [
            (level.code, f"{level.get_track_display()}: {level.label} trở lên") for level in levels
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        level = QualificationLevel.objects.filter(code=self.value()).first()
        on = date_param(request) or timezone.localdate()
        return queryset.qualified_on(level, on) if level else queryset.none()


class MissingRecordFilter(admin.SimpleListFilter):
    """Records in post on the ``on`` date (today without one) missing a part of the 2C form:
    the dashboard's to-do list links here."""

    title = "hồ sơ còn thiếu"
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        year = (date_param(request) or timezone.localdate()).year - 1
        return [
            ("qualifications", "Chưa có quá trình đào tạo"),
            ("work_history", "Chưa có quá trình công tác"),
            ("evaluation", f"Chưa có đánh giá, xếp loại năm {year}"),
        ]

    def queryset(self, request, queryset):
        on = date_param(request) or timezone.localdate()
        if self.value() == "qualifications":
            return queryset.employed_on(on).without_qualifications()
        if self.value() == "work_history":
            return queryset.employed_on(on).without_work_history()
        if self.value() == "evaluation":
            return queryset.employed_on(on).without_evaluation(on.year - 1)
        return queryset


class KeyPositionFilter(admin.SimpleListFilter):
    """Holds a key position (chủ chốt) of a level on the ``on`` date (today without one)."""

    title = "giữ chức danh chủ chốt"
    parameter_name = "key_at"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        if self.value() not in Level.values:
            return queryset
        on = date_param(request) or timezone.localdate()
        return queryset.holding_key_position(self.value(), on)

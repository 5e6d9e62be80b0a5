"""List filters of the party admin: fixed choices or the small table of communes, never a
``SELECT DISTINCT`` over a big table."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import admin
from django.utils import timezone

from cadres.list_filters import ScopedUnitFilterMixin
from party.choices import Coverage


def parse_day(text: str | None) -> date | None:
    """A day given as 2025-06-30 (links) or 30/06/2025 (typed); None if it is neither."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime((text or "").strip(), pattern).date()
        except ValueError:
            continue
    return None


def day_of(request, name: str = "on") -> date:
    """The day a list or report is computed for: ``?on=`` when given, otherwise today."""
    return parse_day(request.GET.get(name)) or timezone.localdate()


class CommuneFilter(ScopedUnitFilterMixin, admin.SimpleListFilter):
    """A commune and everything under it."""

    title = "xã, thị trấn"
    parameter_name = "commune"
    unit_path = "unit__path"

    def choosable(self, request):
        return super().choosable(request).communes()

    def lookups(self, request, model_admin):
        communes = self.choosable(request).active(day_of(request)).only("name")
        return [(unit.pk, unit.name) for unit in communes.order_by("name")]

    def queryset(self, request, queryset):
        if self.unit is None:
            return queryset
        return queryset.filter(**{f"{self.unit_path}__startswith": self.unit.path})


class CellCommuneFilter(CommuneFilter):
    unit_path = "cell__unit__path"


class CoveredUnitCommuneFilter(CommuneFilter):
    unit_path = "path"


class DayFilter(admin.SimpleListFilter):
    """The day the coverage is computed for (read by the admin's ``get_queryset``)."""

    title = "tại ngày"
    parameter_name = "on"

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        ends = [date(year, 12, 31) for year in range(today.year - 1, today.year - 4, -1)]
        return [(today.isoformat(), "Hôm nay")] + [
            (end.isoformat(), f"31/12/{end.year}") for end in ends
        ]

    def queryset(self, request, queryset):
        return queryset


class CoverageFilter(admin.SimpleListFilter):
    title = "tình trạng"
    parameter_name = "coverage"

    def lookups(self, request, model_admin):
        return Coverage.choices

    def queryset(self, request, queryset):
        return queryset.filter(coverage=self.value()) if self.value() else queryset


class CellKindFilter(admin.SimpleListFilter):
    title = "loại chi bộ"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("own", "Chi bộ riêng"), ("combined", "Chi bộ ghép")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(is_combined=self.value() == "combined")


class CellActiveFilter(admin.SimpleListFilter):
    title = "đang hoạt động"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Đang hoạt động"), ("no", "Đã giải thể hoặc chưa thành lập")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        active = queryset.active(day_of(request))
        return active if self.value() == "yes" else queryset.exclude(pk__in=active.values("pk"))


class CoversUnitFilter(ScopedUnitFilterMixin, admin.SimpleListFilter):
    """The cells counting for one unit (its own and the combined ones serving it); reached from
    the village list's links, shown in the sidebar only when in use."""

    title = "phục vụ đơn vị"
    parameter_name = "covers"

    def lookups(self, request, model_admin):
        return [(str(self.unit.pk), self.unit.name)] if self.unit else []

    def queryset(self, request, queryset):
        return queryset.covering(self.unit.pk).distinct() if self.unit else queryset


class StepFilter(admin.SimpleListFilter):
    title = "bước"
    parameter_name = "step"

    def lookups(self, request, model_admin):
        return [
            ("proposed", "Chưa kết nạp"),
            ("probationary", "Đảng viên dự bị"),
            ("official", "Đảng viên chính thức"),
            ("dropped", "Đã dừng"),
        ]

    def queryset(self, request, queryset):
        on = day_of(request)
        value = self.value()
        if value == "dropped":
            return queryset.filter(dropped_on__lte=on)
        live = queryset.not_dropped(on)
        if value == "proposed":
            return live.exclude(admitted_on__lte=on)
        if value == "probationary":
            return live.filter(admitted_on__lte=on).exclude(official_on__lte=on)
        if value == "official":
            return live.filter(official_on__lte=on)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "quá hạn, thiếu bước"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("probation", "Hết dự bị, chưa công nhận chính thức"),
            ("candidate_class", "Kết nạp khi chưa học lớp nhận thức về Đảng"),
        ]

    def queryset(self, request, queryset):
        on = day_of(request)
        if self.value() == "probation":
            return queryset.probation_overdue(on)
        if self.value() == "candidate_class":
            return queryset.admitted_without_candidate_class(on)
        return queryset


class AdmittedYearFilter(admin.SimpleListFilter):
    title = "năm kết nạp"
    parameter_name = "admitted_year"

    def lookups(self, request, model_admin):
        year = timezone.localdate().year
        return [(str(y), str(y)) for y in range(year, year - 6, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.admitted_in(int(value)) if value and value.isdigit() else queryset

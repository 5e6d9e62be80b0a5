"""Party-member development in the report framework (``core.reports``): coverage of villages
and schools per commune against an earlier date, admissions against targets, and people overdue
for a step. Screen, xlsx in the province layout, CSV, JSON and ``manage.py report`` come from the
framework; the figures from ``party.figures`` (computed by ``party.coverage`` and the
querysets). The old page ``admin:party_partycell_coverage`` redirects here."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import QuerySet

from cadres.filters import ReportFilterSet
from cadres.models import Unit
from core import reports
from party import figures
from party.choices import Coverage


class PartyFilterSet(ReportFilterSet):
    """A day (``date_to``) compared with an earlier one (``date_from``, by default the end of
    the previous year), and a commune with everything under it."""

    level = None
    category = None
    date_from = django_filters.DateFilter(label="So với ngày", method="period")
    date_to = django_filters.DateFilter(label="Tính đến ngày", method="period")

    def period_bounds(self, today: date | None = None) -> tuple[date, date]:
        start, end = super().period_bounds(today)
        data = self.form.cleaned_data if self.is_valid() else {}
        return (data.get("date_from") or date(end.year - 1, 12, 31)), end

    def units(self) -> QuerySet[Unit]:
        """The units counted: under the chosen one, among those the user may see."""
        return self.qs

    def filter_unit(self, queryset, name, value: Unit):
        return queryset.filter(path__startswith=value.path)


class PartyReport(reports.Report):
    filterset_class = PartyFilterSet
    permission = "party.view_partycell"
    depends_on = ("party", "cadres")

    def queryset(self) -> QuerySet:
        return Unit.objects.all()


@reports.register
class CoverageReport(PartyReport):
    name = "thon-truong-chua-co-dang-vien"
    title = "Tình hình thôn, trường học chưa có đảng viên, chưa có chi bộ"
    description = (
        "Thôn, trường học sinh hoạt trong chi bộ ghép được tính cho mọi đơn vị chi bộ đó phục "
        "vụ; số đảng viên theo báo cáo định kỳ gần nhất và người được kết nạp sau kỳ báo cáo; "
        "chi bộ chưa có báo cáo được coi là có đảng viên."
    )
    columns = [
        reports.Column("name", "Xã, thị trấn", kind="text"),
        reports.Column("total", "Tổng số thôn, trường", total=True),
        *[
            column
            for coverage in Coverage
            for column in (
                reports.Column(
                    f"{coverage.value}_since", f"{coverage.label}: ngày so sánh", total=True
                ),
                reports.Column(coverage.value, f"{coverage.label}: ngày báo cáo", total=True),
                reports.Column(f"{coverage.value}_change", "Tăng (+), giảm (-)", total=True),
            )
        ],
    ]

    def period_text(self, start: date, end: date) -> str:
        return f"Tính đến ngày {end:%d/%m/%Y}, so với ngày {start:%d/%m/%Y}"

    def lines(self, filterset, on: date) -> list[dict[str, Any]]:
        """The communes' lines and the totals line last, computed once for both."""
        computed = filterset.__dict__.setdefault("coverage_lines", {})
        if on not in computed:
            since, _ = filterset.period_bounds(on)
            computed[on] = figures.coverage_table(on, since, filterset.units())
        return computed[on]

    def rows(self, filterset, on):
        return [as_cells(line) for line in self.lines(filterset, on) if not line["is_total"]]

    def totals(self, filterset, on, rows):
        # The totals line of coverage_by_commune, with its links (every commune).
        return as_cells(self.lines(filterset, on)[-1]) | {"name": self.totals_label}


def as_cells(line: dict[str, Any]) -> dict[str, Any]:
    return {
        key: reports.Cell(value.value, value.url) if isinstance(value, figures.Figure) else value
        for key, value in line.items()
    }


@reports.register
class AdmissionsReport(PartyReport):
    name = "ket-nap-dang-vien"
    title = "Kết quả kết nạp đảng viên so với chỉ tiêu"
    description = "Người được kết nạp trong năm của ngày báo cáo, theo đơn vị được giao chỉ tiêu."
    columns = [
        reports.Column("name", "Đơn vị", kind="text"),
        reports.Column("target", "Chỉ tiêu"),
        reports.Column("admitted", "Đã kết nạp"),
        reports.Column("share", "Tỷ lệ (%)", kind="text"),
    ]
    totals_label = "Toàn huyện"

    def period_text(self, start: date, end: date) -> str:
        return f"Từ ngày 01/01/{end.year} đến ngày {end:%d/%m/%Y}"

    def lines(self, filterset, on):
        return [as_cells(line) for line in figures.admissions_table(on.year, filterset.units())]

    def rows(self, filterset, on):
        return [line for line in self.lines(filterset, on) if not line["is_total"]]

    def totals(self, filterset, on, rows):
        return self.lines(filterset, on)[-1]


@reports.register
class OverdueReport(PartyReport):
    name = "qua-han-ket-nap"
    title = "Người quá hạn, thiếu bước trong phát triển đảng viên"
    columns = [
        reports.Column("label", "Nội dung", kind="text"),
        reports.Column("people", "Số người"),
    ]

    def period_text(self, start: date, end: date) -> str:
        return f"Tính đến ngày {end:%d/%m/%Y}"

    def rows(self, filterset, on):
        return [
            {"label": label, "people": reports.Cell(figure.value, figure.url)}
            for label, figure in figures.overdue_figures(on, filterset.units())
        ]

"""The party-development panel of the admin dashboard (core.dashboard)."""

from datetime import date
from typing import Any

from django.urls import reverse

from cadres.models import Unit
from core import dashboard
from core.reports import admin_list_url
from party.choices import Coverage
from party.coverage import coverage_by_commune
from party.figures import overdue_figures
from party.reports import CoverageReport


@dashboard.panel(
    "Thôn, trường học theo tình trạng đảng viên",
    order=40,
    depends_on=("party", "cadres"),
    deferred=True,
)
def coverage_today(request, on: date) -> dict[str, Any] | None:
    total = coverage_by_commune(on, units=Unit.objects.visible_to(request.user))[-1]
    if not total.total:
        return None
    bars = [
        dashboard.Bar(
            label=Coverage(value).label,
            value=total.counts[value],
            text=str(total.counts[value]),
            url=admin_list_url("party_coveredunit", {"coverage": value, "on": on.isoformat()}),
        )
        for value in Coverage.values
    ]
    return {
        "chart": dashboard.BarChart(bars=bars),
        "more_url": reverse("reports:detail", args=[CoverageReport.name]),
        "more_text": "Xem báo cáo theo xã và tiến độ",
    }


@dashboard.panel(
    "Kết nạp đảng viên: các bước quá hạn",
    template="admin/dashboard/list.html",
    order=7,
    permission="party.view_admissioncandidate",
    depends_on=("party", "cadres"),
)
def admission_overdue(request, on: date) -> dict[str, Any]:
    figures = overdue_figures(on, Unit.objects.visible_to(request.user))
    return {
        "items": [
            {"count": figure.value, "text": label, "url": figure.url}
            for label, figure in figures
            if figure.value
        ],
        "empty": "Không có bước kết nạp nào quá hạn.",
    }

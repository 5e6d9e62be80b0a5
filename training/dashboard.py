"""Dashboard panels of the training app: dispatches per year by level, money per year, and the
plan lines whose quota from above is not filled. Each panel is one or two aggregate queries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse

from cadres.choices import Level
from cadres.models import Unit
from core.dashboard import Bar, BarChart, panel
from core.reports import admin_list_url
from training.models import Dispatch, PlanLine, SupportPayment
from training.models.scorecard import scorecards

YEARS = 5


def recent_years(on: date) -> range:
    return range(on.year - YEARS + 1, on.year + 1)


def year_params(field: str, year: int) -> dict[str, str]:
    return {f"{field}__gte": f"{year}-01-01", f"{field}__lte": f"{year}-12-31"}


@panel("Cử đi đào tạo theo năm", order=20, permission="training.view_dispatch")
def dispatches_per_year(request, on: date) -> dict[str, Any] | None:
    years = recent_years(on)
    counts = {
        row["year"]: row
        for row in Dispatch.objects.filter(start_date__year__range=(years[0], years[-1]))
        .annotate(year=ExtractYear("start_date"))
        .values("year")
        .annotate(
            district=Count("pk", filter=Q(unit__level=Level.DISTRICT)),
            commune=Count("pk", filter=Q(unit__level=Level.COMMUNE)),
        )
        .order_by()
    }
    if not counts:
        return None
    bars = []
    for year in years:
        row = counts.get(year, {})
        for level, label in ((Level.DISTRICT, "huyện"), (Level.COMMUNE, "xã")):
            value = row.get(level, 0)
            url = admin_list_url(
                "training_dispatch", year_params("start_date", year) | {"level": level}
            )
            bars.append(Bar(f"{year} – cấp {label}", value, str(value), url=url))
    return {
        "chart": BarChart(bars=bars, unit="người"),
        "more_url": reverse("reports:detail", args=["cu-di-dao-tao"]),
        "more_text": "Xem báo cáo cử đi đào tạo",
    }


@panel("Kinh phí đào tạo, hỗ trợ theo năm", order=25, permission="training.view_supportpayment")
def money_per_year(request, on: date) -> dict[str, Any] | None:
    years = recent_years(on)
    totals = dict(
        SupportPayment.objects.filter(paid_on__year__range=(years[0], years[-1]))
        .annotate(year=ExtractYear("paid_on"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("year", "total")
    )
    if not totals:
        return None
    bars = []
    for year in years:
        amount = int(totals.get(year) or 0)
        text = f"{amount:,} đ".replace(",", ".")
        url = admin_list_url("training_supportpayment", year_params("paid_on", year))
        bars.append(Bar(str(year), amount, text, url=url))
    return {
        "chart": BarChart(bars=bars, unit="đồng"),
        "more_url": reverse("reports:detail", args=["kinh-phi-dao-tao"]),
        "more_text": "Xem báo cáo kinh phí",
    }


@panel(
    "Chỉ tiêu trên giao chưa xếp đủ người",
    template="admin/dashboard/list.html",
    order=40,
    permission="training.view_planline",
)
def unfilled_quotas(request, on: date) -> dict[str, Any]:
    limit = 15
    lines = list(
        PlanLine.objects.unfilled_quota()
        .filter(plan__year__gte=on.year)
        .select_related("plan__unit", "programme")
        .order_by("plan__year", "programme__name")[: limit + 1]
    )
    return {
        "items": [
            {
                "text": f"{line.programme} – {line.plan}",
                "note": f"{line.quota_filled}/{line.quota}",
                "url": reverse("admin:training_planline_change", args=[line.pk]),
            }
            for line in lines[:limit]
        ],
        "more_url": admin_list_url(
            "training_planline", {"quota": "unfilled", "plan__year__gte": on.year}
        ),
        "more_text": "Xem tất cả" if len(lines) > limit else "Xem danh sách",
        "empty": "Mọi chỉ tiêu trên giao đã xếp đủ người.",
    }


STATE_NOTES = {"late": "nộp trễ", "overdue": "quá hạn, chưa nộp"}


@panel(
    "Xã chậm rà soát quy hoạch, gửi nhu cầu, kế hoạch, báo cáo",
    template="admin/dashboard/list.html",
    order=42,
    permission="training.view_dutyreport",
)
def late_communes(request, on: date) -> dict[str, Any]:
    """Late and overdue duties of the year before and this year (the duties of a year fall due
    at its end or early the next): three queries whatever the number of communes."""
    limit = 15
    items = []
    years = [on.year - 1, on.year]
    for year, rows in scorecards(years, on, Unit.objects.visible_to(request.user)).items():
        for row in rows:
            for cell in row["cells"]:
                if cell["state"] not in STATE_NOTES:
                    continue
                items.append(
                    {
                        "text": f"{row['unit'].name}: {cell['duty'].name} ({year})",
                        "note": f"hạn {cell['deadline']:%d/%m/%Y}, {STATE_NOTES[cell['state']]}",
                        "url": reverse("admin:training_dutyreport_scorecard") + f"?year={year}",
                        "alert": True,
                    }
                )
    return {
        "items": items[:limit],
        "more_url": reverse("admin:training_dutyreport_scorecard") + f"?year={on.year}",
        "more_text": f"Xem bảng theo dõi ({len(items)} việc trễ, quá hạn)",
        "empty": "Các xã đã làm đúng hạn.",
    }

"""Dashboard panels of the training app: dispatches per year by level, money per year, the
dispatches past their end without a result, and the plan lines whose quota from above is not
filled. Each panel is one aggregate query; years are date ranges (``start_date`` between 1/1 and
31/12), never ``EXTRACT(YEAR …)`` on a column, which PostgreSQL misestimates (160x at 1M
cadres: it chose a nested loop, 0.65 s)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from cadres.choices import Level
from cadres.dashboard import whole_tree
from cadres.models import Unit
from core.dashboard import Bar, BarChart, panel
from core.reports import admin_list_url
from training.models import Dispatch, PlanLine, SupportPayment
from training.models.scorecard import scorecards

YEARS = 5


def recent_years(on: date) -> range:
    return range(on.year - YEARS + 1, on.year + 1)


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def year_params(field: str, year: int) -> dict[str, str]:
    return {f"{field}__gte": f"{year}-01-01", f"{field}__lte": f"{year}-12-31"}


@panel(
    "Cử đi đào tạo theo năm",
    order=20,
    permission="training.view_dispatch",
    depends_on=("training", "cadres.unit", "cadres.cadre:unit"),
    deferred=True,
)
def dispatches_per_year(request, on: date) -> dict[str, Any] | None:
    years = recent_years(on)
    levels = (Level.DISTRICT, Level.COMMUNE)
    counts = (
        Dispatch.objects.visible_to(request.user)
        .filter(start_date__range=(year_range(years[0])[0], year_range(years[-1])[1]))
        .aggregate(
            **{
                f"{level}_{year}": Count(
                    "pk",
                    # By the unit when sent, as the dispatch report counts.
                    filter=Q(start_date__range=year_range(year), unit__level=level),
                )
                for year in years
                for level in levels
            }
        )
    )
    if not any(counts.values()):
        return None
    bars = []
    for year in years:
        for level, label in ((Level.DISTRICT, "huyện"), (Level.COMMUNE, "xã")):
            value = counts[f"{level}_{year}"]
            url = admin_list_url(
                "training_dispatch", year_params("start_date", year) | {"level": level}
            )
            bars.append(Bar(f"{year} – cấp {label}", value, str(value), url=url))
    return {
        "chart": BarChart(bars=bars, unit="người"),
        "more_url": reverse("reports:detail", args=["cu-di-dao-tao"]),
        "more_text": "Xem báo cáo cử đi đào tạo",
    }


@panel(
    "Kinh phí đào tạo, hỗ trợ theo năm",
    order=25,
    permission="training.view_supportpayment",
    depends_on=("training",),
    deferred=True,
    show=whole_tree,  # the district's budget: payments are not scoped by unit
)
def money_per_year(request, on: date) -> dict[str, Any] | None:
    years = recent_years(on)
    totals = SupportPayment.objects.filter(
        paid_on__range=(year_range(years[0])[0], year_range(years[-1])[1])
    ).aggregate(
        **{f"y{year}": Sum("amount", filter=Q(paid_on__range=year_range(year))) for year in years}
    )
    if not any(totals.values()):
        return None
    bars = []
    for year in years:
        amount = int(totals[f"y{year}"] or 0)
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
    depends_on=("training",),
    show=whole_tree,  # the district's plans and quotas
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


@panel(
    "Cử đi học quá hạn chưa cập nhật kết quả",
    template="admin/dashboard/list.html",
    order=6,
    permission="training.view_dispatch",
    depends_on=("training", "cadres.unit", "cadres.cadre:full_name,unit"),
)
def late_dispatches(request, on: date) -> dict[str, Any]:
    limit = 10
    late = list(
        Dispatch.objects.visible_to(request.user)
        .late(on)
        .select_related("cadre", "programme")
        .order_by("end_date", "pk")[: limit + 1]
    )
    return {
        "items": [
            {
                "text": f"{d.cadre.full_name} – {d.programme}",
                "note": f"kết thúc {d.end_date:%d/%m/%Y}",
                "url": reverse("admin:training_dispatch_change", args=[d.pk]),
            }
            for d in late[:limit]
        ],
        "more_url": admin_list_url("training_dispatch", {"late": on.isoformat()}),
        "more_text": "Xem tất cả" if len(late) > limit else "Xem danh sách",
        "empty": "Không có đợt cử đi học nào quá hạn chưa cập nhật kết quả.",
    }


STATE_NOTES = {"late": "nộp trễ", "overdue": "quá hạn, chưa nộp"}


@panel(
    "Xã chậm rà soát quy hoạch, gửi nhu cầu, kế hoạch, báo cáo",
    template="admin/dashboard/list.html",
    order=42,
    permission="training.view_dutyreport",
    depends_on=("training", "cadres"),
    deferred=True,
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

"""The cadres app's dashboard panels: qualification shares and who retires soon."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from cadres.models import Cadre
from cadres.retirement import add_years
from core.dashboard import Bar, BarChart, panel
from core.reports import admin_list_url


@panel("Tỷ lệ đạt chuẩn trình độ so với mục tiêu", order=10)
def qualification_shares(request, on: date) -> dict[str, Any]:
    from cadres.reports import SHARES, QualificationSharesReport, percent, share_counts

    counts = share_counts(Cadre.objects.visible_to(request.user), SHARES, on)
    bars = []
    for definition in SHARES:
        numerator, denominator = counts[definition.key]
        share = percent(numerator, denominator) or 0
        text = f"{numerator}/{denominator} ({share:.1f}%)".replace(".", ",")
        bars.append(Bar(definition.short_label, share, text, target=definition.target))
    report_url = reverse("reports:detail", args=[QualificationSharesReport.name])
    return {
        "chart": BarChart(bars=bars, maximum=100, unit="%"),
        "more_url": f"{report_url}?date_to={on.isoformat()}",
        "more_text": "Xem báo cáo và danh sách chi tiết",
        "legend": "Vạch đỏ: mục tiêu.",
    }


@panel("Nghỉ hưu trong 12 tháng tới", template="admin/dashboard/list.html", order=30)
def retiring_soon(request, on: date) -> dict[str, Any]:
    limit = 15
    cadres = list(
        Cadre.objects.visible_to(request.user)
        .retiring_between(on, add_years(on, 1))
        .select_related("unit")
        .order_by("retirement_date")[: limit + 1]
    )
    return {
        "items": [
            {
                "text": f"{c.full_name} – {c.unit}",
                "note": f"{c.retirement_date:%d/%m/%Y}",
                "url": c.get_absolute_url(),
            }
            for c in cadres[:limit]
        ],
        "more_url": admin_list_url("cadres_cadre", {"retiring": "1"}),
        "more_text": "Xem tất cả" if len(cadres) > limit else "Xem danh sách",
        "empty": "Không có cán bộ nào đến tuổi nghỉ hưu trong 12 tháng tới.",
    }

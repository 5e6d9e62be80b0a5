"""The cadres app's dashboard panels: qualification shares, who retires soon, and the records
a unit still has to complete. Also says whose figures are whose: users who see the same units
(``visible_unit_paths``) share the cached figures."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from cadres.models import Cadre, visible_unit_paths
from cadres.retirement import add_years
from core import dashboard
from core.dashboard import Bar, BarChart, panel
from core.reports import admin_list_url


def scope(user) -> tuple:
    paths = visible_unit_paths(user)
    return ("all",) if paths is None else ("units", *paths)


dashboard.set_scope(scope)


def whole_tree(user) -> bool:
    """District-wide users (and superusers): the panels about the whole organisation."""
    return visible_unit_paths(user) is None


@panel(
    "Tỷ lệ đạt chuẩn trình độ so với mục tiêu",
    order=10,
    depends_on=("cadres",),
    deferred=True,
)
def qualification_shares(request, on: date) -> dict[str, Any]:
    from cadres.reports import SHARES, QualificationSharesReport, percent, share_counts

    counts = share_counts(Cadre.objects.visible_to(request.user), SHARES, on)
    bars = []
    for definition in SHARES:
        numerator, denominator = counts[definition.key]
        if not denominator:  # nobody of that group where the user looks (a commune's user)
            continue
        share = percent(numerator, denominator) or 0
        text = f"{numerator}/{denominator} ({share:.1f}%)".replace(".", ",")
        params = {**definition.population, "on": on.isoformat(), "meets": definition.threshold}
        url = admin_list_url("cadres_cadre", params)
        bars.append(Bar(definition.short_label, share, text, url=url, target=definition.target))
    report_url = reverse("reports:detail", args=[QualificationSharesReport.name])
    return {
        "chart": BarChart(bars=bars, maximum=100, unit="%"),
        "more_url": f"{report_url}?date_to={on.isoformat()}",
        "more_text": "Xem báo cáo và danh sách chi tiết",
        "legend": "Vạch đỏ: mục tiêu. Bấm vào số để xem danh sách người đạt chuẩn.",
        "empty": "Chưa có ai thuộc các nhóm được tính tỷ lệ (công chức cấp huyện, cán bộ chủ "
        "chốt và công chức cấp xã).",
    }


@panel(
    "Nghỉ hưu trong 12 tháng tới",
    template="admin/dashboard/list.html",
    order=30,
    depends_on=("cadres.unit", "cadres.cadre:full_name,retirement_date,unit"),
)
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


@panel(
    "Hồ sơ cần bổ sung",
    template="admin/dashboard/list.html",
    order=5,
    depends_on=("cadres",),
    deferred=True,
    # A unit's own to-do list: over a whole province it is three scans of the register (4 s at
    # 1M cadres), and the district works from the lists and reports instead.
    show=lambda user: not whole_tree(user),
)
def incomplete_records(request, on: date) -> dict[str, Any]:
    """What the unit still owes the register: records in post on ``on`` missing a part of the
    2C form, and last year's annual evaluation (due by the end of each year)."""
    employed = Cadre.objects.visible_to(request.user).employed_on(on)
    year = on.year - 1
    lines = [
        ("evaluation", f"chưa có đánh giá, xếp loại năm {year}", employed.without_evaluation(year)),
        ("qualifications", "chưa có quá trình đào tạo", employed.without_qualifications()),
        ("work_history", "chưa có quá trình công tác", employed.without_work_history()),
    ]
    items = []
    for key, text, queryset in lines:
        count = queryset.count()
        if count:
            url = admin_list_url("cadres_cadre", {"missing": key, "on": on.isoformat()})
            items.append({"count": f"{count:,}".replace(",", "."), "text": text, "url": url})
    return {"items": items, "empty": "Hồ sơ của đơn vị đã đủ các phần này."}

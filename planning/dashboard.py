"""Dashboard panels of the planning app (core.dashboard): the pool's structure against its
targets, and three action lists (rotations ending soon, planned cadres retiring within their
term, key positions with nobody planned). Each is a few queries whatever the size, and counts
only the units the user may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from cadres.models import Cadre, Position, Unit
from core.dashboard import Bar, BarChart, panel
from core.reports import admin_list_url
from planning.models import PlanningEntry, PlanningTerm, Rotation, RuleSet
from planning.readiness import Share, candidate_gaps, share_aggregates
from planning.reports import PlanningPoolReport

LIMIT = 10
ROTATION_DAYS = 90
# The pool's people as the panels read them: names, units, age, sex, ethnicity, retirement.
DEPENDS_ON = (
    "planning",
    "cadres.unit",
    "cadres.position",
    "cadres.ethnicity",
    "cadres.cadre:full_name,unit,birth_date,gender,ethnicity,retirement_date",
)


def pool(request, on: date):
    """The pool on ``on`` in the units the user may see."""
    return PlanningEntry.objects.active(on).visible_to(request.user)


def more_text(shown: list, limit: int = LIMIT) -> str:
    return "Xem tất cả" if len(shown) > limit else "Xem danh sách"


@panel(
    "Cơ cấu nguồn quy hoạch so với chỉ tiêu",
    order=15,
    permission="planning.view_planningentry",
    depends_on=DEPENDS_ON,
    deferred=True,
)
def pool_structure(request, on: date) -> dict[str, Any] | None:
    rule_set = RuleSet.objects.applying_on(on)
    counts = pool(request, on).aggregate(**share_aggregates(on, rule_set))
    total = counts["total"]
    if not total:
        return None
    lines = [
        ("women", "Nữ", rule_set.target_women_percent, {"cadre__gender__exact": "female"}),
        ("young", "Cán bộ trẻ", rule_set.target_young_percent, {"young": "1"}),
        ("minority", "Dân tộc thiểu số", rule_set.target_minority_percent, {"minority": "1"}),
    ]
    bars = []
    for key, label, target, params in lines:
        share = Share(counts[key], total)
        text = f"{counts[key]}/{total} ({share.rounded}%)".replace(".", ",")
        url = admin_list_url("planning_planningentry", {"on": on.isoformat(), **params})
        bars.append(Bar(label, float(share.rounded), text, url=url, target=float(target) or None))
    report_url = reverse("reports:detail", args=[PlanningPoolReport.name])
    return {
        "chart": BarChart(bars=bars, maximum=100, unit="%"),
        "legend": "Mỗi người đếm một lần; vạch đỏ: chỉ tiêu của bộ quy định có hiệu lực.",
        "more_url": f"{report_url}?date_to={on.isoformat()}",
        "more_text": "Xem báo cáo quy hoạch theo chức danh",
    }


@panel(
    f"Luân chuyển kết thúc trong {ROTATION_DAYS} ngày tới",
    template="admin/dashboard/list.html",
    order=32,
    permission="planning.view_rotation",
    depends_on=DEPENDS_ON,
)
def rotations_ending(request, on: date) -> dict[str, Any]:
    rotations = list(
        Rotation.objects.visible_to(request.user)
        .ending_within(ROTATION_DAYS, on)
        .select_related("cadre", "to_unit")
        .order_by("planned_end", "pk")[: LIMIT + 1]
    )
    return {
        "items": [
            {
                "text": f"{r.cadre.full_name} – {r.to_unit}",
                "note": f"{r.planned_end:%d/%m/%Y}",
                "url": reverse("admin:planning_rotation_change", args=[r.pk]),
            }
            for r in rotations[:LIMIT]
        ],
        "more_url": admin_list_url("planning_rotation", {"ending": str(ROTATION_DAYS)}),
        "more_text": more_text(rotations),
        "empty": f"Không có đợt luân chuyển nào kết thúc trong {ROTATION_DAYS} ngày tới.",
    }


@panel(
    "Người trong quy hoạch nghỉ hưu trước khi hết nhiệm kỳ",
    template="admin/dashboard/list.html",
    order=34,
    permission="planning.view_planningentry",
    depends_on=DEPENDS_ON,
    deferred=True,
)
def retiring_within_term(request, on: date) -> dict[str, Any]:
    # The pool's few retiring cadres first (an EXISTS per cadre walked the 1M cadres in
    # retirement order, 0.35 s at 1M), then the first of them.
    planned = set(
        pool(request, on)
        .retiring_within_term()
        .filter(cadre__retirement_date__gte=on)
        .order_by()
        .values_list("cadre_id", flat=True)
    )
    cadres = list(
        Cadre.objects.filter(pk__in=planned)
        .select_related("unit")
        .order_by("retirement_date", "pk")[: LIMIT + 1]
    )
    return {
        "items": [
            {
                "text": f"{c.full_name} – {c.unit}",
                "note": f"nghỉ hưu {c.retirement_date:%d/%m/%Y}",
                "url": c.get_absolute_url(),
            }
            for c in cadres[:LIMIT]
        ],
        "more_url": admin_list_url(
            "planning_planningentry", {"retiring": "1", "on": on.isoformat()}
        ),
        "more_text": more_text(cadres),
        "empty": "Không có người trong quy hoạch đến tuổi nghỉ hưu trước khi hết nhiệm kỳ.",
    }


@panel(
    "Chức danh chủ chốt chưa có người quy hoạch",
    template="admin/dashboard/list.html",
    order=36,
    permission="planning.view_planningentry",
    depends_on=DEPENDS_ON,
    deferred=True,
)
def positions_without_candidate(request, on: date) -> dict[str, Any]:
    """Terms not yet ended: per key position, how many units have nobody (one query per term,
    usually one or two)."""
    entries = pool(request, on)
    units = Unit.objects.active(on).visible_to(request.user)
    terms = list(PlanningTerm.objects.filter(end_date__gte=on).order_by("start_date", "level"))
    gaps = [
        (term, position_id, count)
        for term in terms
        for position_id, count in candidate_gaps(term, entries, units).items()
        if count
    ]
    titles = dict(
        Position.objects.filter(pk__in={p for _, p, _ in gaps}).values_list("pk", "title")
    )
    return {
        "items": [
            {
                "text": f"{titles[position_id]} – nhiệm kỳ {term.name} "
                f"({term.get_level_display()})",
                "note": f"{count} đơn vị",
                "url": admin_list_url(
                    "planning_successiongap",
                    {"term": term.pk, "position": position_id, "on": on.isoformat()},
                ),
            }
            for term, position_id, count in gaps[:LIMIT]
        ],
        "more_url": f"{reverse('reports:detail', args=[PlanningPoolReport.name])}"
        f"?date_to={on.isoformat()}",
        "more_text": "Xem báo cáo quy hoạch theo chức danh",
        "empty": "Mọi chức danh chủ chốt đều đã có người quy hoạch.",
    }

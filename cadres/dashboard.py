"""The admin index page's dashboard: a list of panels that apps register.

A panel is a title, a template and a function ``context(request, on)`` returning that template's
context (or None to hide the panel). Charts are horizontal bars drawn as inline SVG on the server
(``admin/dashboard/bars.html``): no JavaScript, no network, printable, and testable as HTML.
Other apps register panels in their ``dashboard.py``, discovered like ``reports.py``::

    from cadres import dashboard

    @dashboard.panel("Cử đi học theo năm", order=20)
    def dispatches_per_year(request, on):
        return {"chart": dashboard.BarChart(bars=[...])}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from cadres.models import Cadre
from cadres.reports import admin_list_url
from cadres.retirement import add_years


@dataclass
class Bar:
    label: str
    value: float | int
    text: str = ""  # shown after the bar, e.g. "36/78 (46,2%)"
    url: str = ""
    target: float | None = None  # a tick drawn across the bar


@dataclass
class BarChart:
    bars: list[Bar]
    maximum: float | None = None  # scale; the largest value (or target) if None
    unit: str = ""

    def scaled(self) -> list[dict[str, Any]]:
        """Each bar with its width and target as percentages of the chart's width."""
        top = self.maximum or max([b.value for b in self.bars] + [b.target or 0 for b in self.bars])
        top = top or 1
        return [
            {
                "bar": bar,
                "width": round(100 * bar.value / top, 1),
                "target": None if bar.target is None else round(100 * bar.target / top, 1),
                "y": 28 * index,
            }
            for index, bar in enumerate(self.bars)
        ]

    @property
    def height(self) -> int:
        return 28 * len(self.bars)


@dataclass
class Panel:
    title: str
    context: Callable[[Any, date], dict[str, Any] | None]
    template: str = "admin/dashboard/bars.html"
    order: int = 50
    permission: str = "cadres.view_cadre"
    extra: dict[str, Any] = field(default_factory=dict)


_panels: list[Panel] = []
_discovered = False


def panel(title: str, template: str = "admin/dashboard/bars.html", order: int = 50, **kwargs):
    """Decorator registering ``context(request, on)`` as a dashboard panel."""

    def register(function):
        _panels.append(
            Panel(title=title, context=function, template=template, order=order, **kwargs)
        )
        return function

    return register


def panels(request, on: date) -> list[dict[str, Any]]:
    """The panels this user may see, each with its rendered context, in order."""
    global _discovered
    if not _discovered:
        autodiscover_modules("dashboard")
        _discovered = True
    shown = []
    for item in sorted(_panels, key=lambda p: p.order):
        if not request.user.has_perm(item.permission):
            continue
        context = item.context(request, on)
        if context is not None:
            shown.append({"title": item.title, "template": item.template, **context})
    return shown


# --- The cadres app's own panels ------------------------------------------------------------


@panel("Tỷ lệ đạt chuẩn trình độ so với mục tiêu", order=10)
def qualification_shares(request, on: date) -> dict[str, Any]:
    from cadres.reports.shares import SHARES, QualificationSharesReport, percent, share_counts

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

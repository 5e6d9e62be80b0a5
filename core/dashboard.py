"""The admin index page's dashboard: a list of panels that apps register.

A panel is a title, a template and a function ``context(request, on)`` returning that template's
context (or None to hide the panel). Charts are horizontal bars drawn as inline SVG on the server
(``admin/dashboard/bars.html``): no JavaScript, no network, printable, and testable as HTML.
Other apps register panels in their ``dashboard.py``, discovered like ``reports.py``::

    from core import dashboard

    @dashboard.panel("Cử đi học theo năm", order=20)
    def dispatches_per_year(request, on):
        return {"chart": dashboard.BarChart(bars=[...])}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.module_loading import autodiscover_modules


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

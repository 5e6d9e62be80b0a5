"""The reporting framework: a report is a class registered here, rendered by one admin view
(``core.reports.views``), exported by ``core.reports.export`` and by ``manage.py report``.

Every app may declare reports in its own ``<app>/reports.py`` (or ``reports`` package), which the
registry imports on first use; imports keep flowing one way, since apps import this module and
never the other way round.

A report:

- has a ``name`` (its URL and command-line name), a Vietnamese ``title``, a ``filterset_class``
  (a subclass of ``cadres.filters.ReportFilterSet``) and a list of ``columns``;
- computes ``rows(filterset)`` with aggregates in the database, each number a :class:`Cell`
  carrying the URL of the filtered admin list of the records it counts;
- sums the columns marked ``total=True`` into a totals row;
- names what it counts in ``depends_on`` (as a dashboard panel does, ``core.dashboard``): its
  rows and totals are then cached per filters, day and user scope until a committed write to
  one of those raises its version, so the screen and its exports compute a result once and a
  report opened again shows the same figures at once.

A report of another app, e.g. ``training/reports.py`` (its own FilterSet in
``training/filters.py`` reaching the cadre through ``cadre_path``)::

    from core import reports
    from cadres.filters import ReportFilterSet

    class DispatchFilterSet(ReportFilterSet):
        cadre_path = "cadre"  # Dispatch.cadre: unit, level and category filters go through it

    @reports.register
    class DispatchesByProgramme(reports.Report):
        name = "cu-di-hoc"
        title = "Số lượt cán bộ được cử đi học theo trình độ đào tạo"
        filterset_class = DispatchFilterSet
        columns = [
            reports.Column("programme", "Trình độ đào tạo", kind="text"),
            reports.Column("district", "Cấp huyện", total=True),
            reports.Column("commune", "Cấp xã", total=True),
        ]

        def queryset(self):
            return Dispatch.objects.all()

        def rows(self, filterset, on):
            start, end = filterset.period_bounds()
            counted = filterset.qs.filter(start_date__range=(start, end)).values("programme")
            counted = counted.annotate(
                district=Count("pk", filter=Q(cadre__unit__level="district")),
                commune=Count("pk", filter=Q(cadre__unit__level="commune")),
            )
            return [{"programme": ..., "district": reports.Cell(n, reports.admin_list_url(
                "training_dispatch", {...the dispatch changelist's own filter parameters...}))}]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules
from django_filters import FilterSet

from core import dashboard


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "int"  # "text", "int", "percent", "money"
    total: bool = False


@dataclass(frozen=True)
class Cell:
    """A figure and the admin list of the records behind it."""

    value: Any
    url: str = ""

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class Result:
    report: Report
    filterset: FilterSet
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None
    period: tuple[date, date]
    issued_on: date
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return self.report.columns

    @property
    def period_text(self) -> str:
        return self.report.period_text(*self.period)

    def display_rows(self) -> list[dict[str, Any]]:
        """Rows for the screen: formatted text, link and alignment of every cell."""
        lines = [(row, False) for row in self.rows]
        if self.totals is not None:
            lines.append((self.totals, True))
        return [
            {
                "is_total": is_total,
                "cells": [
                    {
                        "text": display(value_of(row.get(c.key)), c.kind),
                        "url": getattr(row.get(c.key), "url", ""),
                        "numeric": c.kind != "text",
                    }
                    for c in self.columns
                ],
            }
            for row, is_total in lines
        ]

    def table(self) -> list[list[Any]]:
        """Plain values, one list per row, totals last: the content of every export."""
        lines = [[value_of(row.get(c.key)) for c in self.columns] for row in self.rows]
        if self.totals is not None:
            lines.append([value_of(self.totals.get(c.key)) for c in self.columns])
        return lines


def display(value: Any, kind: str) -> str:
    """Vietnamese number format: "." between thousands, "," before decimals."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{value:.1f}".replace(".", ",")
    if kind in {"int", "money"} and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def value_of(item: Any) -> Any:
    return item.value if isinstance(item, Cell) else item


def admin_list_url(model_admin_name: str, params: dict[str, Any]) -> str:
    """``admin:<app>_<model>_changelist`` with the given list-filter parameters."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(f"admin:{model_admin_name}_changelist") + (f"?{query}" if query else "")


class Report:
    name: str = ""
    title: str = ""
    description: str = ""
    filterset_class: type[FilterSet]  # each report names its own (an app's ReportFilterSet)
    columns: list[Column] = []
    totals_label = "Tổng cộng"
    # The permission a user needs to open it (the records it counts are personal data).
    permission: str
    # What the figures count, as a dashboard panel's ``depends_on``; empty: never cached.
    depends_on: tuple[str, ...] = ()

    def queryset(self) -> QuerySet:
        """The records the filter set narrows before ``rows`` aggregates them."""
        raise NotImplementedError

    def rows(self, filterset: FilterSet, on: date) -> list[dict[str, Any]]:
        raise NotImplementedError

    def period_text(self, start: date, end: date) -> str:
        return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"

    def has_permission(self, user) -> bool:
        return user.is_active and user.has_perm(self.permission)

    def filterset(self, data: QueryDict | dict | None, user=None) -> FilterSet:
        # Always bound: no filter chosen is a valid choice (everything, up to today).
        return self.filterset_class(
            data if data is not None else {}, queryset=self.queryset(), user=user
        )

    def run(self, data: QueryDict | dict | None, today: date, user=None) -> Result:
        """The report for ``user`` (only the units they may see; None: everything)."""
        filterset = self.filterset(data, user=user)
        start, end = filterset.period_bounds(today)
        if filterset.is_valid():
            rows, totals = self.rows_and_totals(filterset, end, user)
        else:
            rows, totals = [], self.sum_rows([])
        return Result(
            report=self,
            filterset=filterset,
            rows=rows,
            totals=totals,
            period=(start, end),
            issued_on=today,
        )

    def rows_and_totals(
        self, filterset: FilterSet, on: date, user=None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The rows and totals of a valid ``filterset`` on ``on``, from the cache when nothing
        the report counts was written since they were computed for the same filters, day and
        user scope (one query for the versions)."""
        if not self.depends_on:
            rows = self.rows(filterset, on)
            return rows, self.totals(filterset, on, rows)
        scope = ("all",) if user is None else dashboard.scope_key(user)
        current = dashboard.versions(self.depends_on)
        filters = sorted((k, plain(v)) for k, v in filterset.form.cleaned_data.items())
        key = dashboard.figures_key("report", self.name, on, filters, scope, current)
        found = cache.get(key)
        if found is None:
            rows = self.rows(filterset, on)
            found = (rows, self.totals(filterset, on, rows))
            cache.set(key, found, dashboard.CACHE_SECONDS)
        return found

    def totals(
        self, filterset: FilterSet, on: date, rows: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The totals row; by default the sum of the columns marked ``total=True``. A report
        whose total is not a sum (people counted once over several lines) overrides it."""
        return self.sum_rows(rows)

    def sum_rows(self, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
        summed = [c for c in self.columns if c.total]
        if not summed:
            return None
        totals: dict[str, Any] = {self.columns[0].key: self.totals_label}
        for column in summed:
            totals[column.key] = sum(value_of(row.get(column.key)) or 0 for row in rows)
        return totals


def plain(value: Any) -> Any:
    """A filter's cleaned value as plain data for a cache key (rows by primary key)."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, QuerySet | list | tuple):
        return [plain(item) for item in value]
    return value


_registry: dict[str, Report] = {}
_discovered = False


def register(report_class: type[Report]) -> type[Report]:
    """Class decorator: ``@reports.register`` on a :class:`Report` subclass."""
    if not report_class.name:
        raise ValueError(f"{report_class.__name__} needs a name")
    _registry[report_class.name] = report_class()
    return report_class


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("reports")
        _discovered = True


def all_reports() -> Iterable[Report]:
    discover()
    return list(_registry.values())


def get(name: str) -> Report | None:
    discover()
    return _registry.get(name)

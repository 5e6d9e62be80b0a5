"""Which villages and schools have no party member, a combined cell or a cell of their own on a
date, per commune, and the change since an earlier date (the province's directive against
villages and schools "trắng" đảng viên). Everything is computed in the database: one query for
the units, one for the counts per commune."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When

from cadres.models import Unit
from party.choices import COVERED_KINDS, Coverage
from party.models import PartyCell


def valid_on(on: date, prefix: str = "") -> Q:
    """Units existing on ``on`` (the same test as ``Unit.objects.active(on)``, usable in Q)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


def coverage_expression(on: date) -> Case:
    """The coverage of the unit of the outer query on ``on``: its own cell with members first,
    then a combined cell with members that serves it, otherwise no party member."""
    cells = PartyCell.objects.with_members_present(on).with_combined()
    own = cells.filter(unit=OuterRef("pk"), is_combined=False)
    combined = cells.filter(is_combined=True)
    # Two EXISTS rather than one over "own unit OR served unit": each then uses an index.
    return Case(
        When(Exists(own), then=Value(Coverage.OWN)),
        When(Exists(combined.filter(unit=OuterRef("pk"))), then=Value(Coverage.COMBINED)),
        When(Exists(combined.filter(serves=OuterRef("pk"))), then=Value(Coverage.COMBINED)),
        default=Value(Coverage.NONE),
    )


def covered_units() -> QuerySet[Unit]:
    """Villages and schools, whatever their dates."""
    return Unit.objects.filter(kind__in=COVERED_KINDS)


def units_with_coverage(on: date, units: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    """Villages and schools existing on ``on``, each with ``coverage`` (a :class:`Coverage`)."""
    units = covered_units() if units is None else units.filter(kind__in=COVERED_KINDS)
    return units.filter(valid_on(on)).annotate(coverage=coverage_expression(on))


@dataclass
class CommuneCoverage:
    """Counts of one commune (or of the whole district for the totals row) on ``on`` and, when
    an earlier date is given, on ``since``."""

    commune_id: int | None
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    counts_since: dict[str, int] | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def change(self, coverage: str) -> int | None:
        if self.counts_since is None:
            return None
        return self.counts[coverage] - self.counts_since[coverage]


def coverage_by_commune(
    on: date, since: date | None = None, units: QuerySet[Unit] | None = None
) -> list[CommuneCoverage]:
    """Per commune (the parent of each village or school), how many villages and schools have
    no member, a combined cell, their own cell on ``on``, and on ``since`` when given. The last
    row is the total. Units merged or created between the two dates count on the dates they
    existed. One query: the coverage of each unit comes from the database, the counting of a
    few hundred rows per district is done here (an aggregate over the CASE would repeat the
    whole expression once per count). ``units`` narrows the count (a user's visible units)."""
    days = [on] if since is None else [on, since]
    units = covered_units() if units is None else units.filter(kind__in=COVERED_KINDS)
    units = units.filter(reduce(or_, [valid_on(day) for day in days]))
    for number, day in enumerate(days):
        units = units.annotate(
            **{
                f"coverage_{number}": Case(
                    When(valid_on(day), then=coverage_expression(day)), default=Value("")
                )
            }
        )
    fields = [f"coverage_{number}" for number in range(len(days))]
    rows: dict[int | None, CommuneCoverage] = {}
    empty = dict.fromkeys(Coverage.values, 0)
    for unit in units.values("parent", "parent__name", "parent__path", *fields).order_by(
        "parent__path"
    ):
        row = rows.get(unit["parent"])
        if row is None:
            row = rows[unit["parent"]] = CommuneCoverage(
                commune_id=unit["parent"],
                name=unit["parent__name"] or "—",
                counts=dict(empty),
                counts_since=None if since is None else dict(empty),
            )
        if unit["coverage_0"]:
            row.counts[unit["coverage_0"]] += 1
        if since is not None and unit["coverage_1"]:
            row.counts_since[unit["coverage_1"]] += 1
    result = list(rows.values())
    total = CommuneCoverage(
        commune_id=None,
        name="Tổng cộng",
        counts={c: sum(r.counts[c] for r in result) for c in Coverage.values},
        counts_since={c: sum(r.counts_since[c] for r in result) for c in Coverage.values}
        if since is not None
        else None,
    )
    return [*result, total]


def units_changed(since: date, on: date) -> QuerySet[Unit]:
    """Villages and schools existing on both dates whose coverage differs, with ``coverage``
    (on ``on``) and ``coverage_since``: the names behind the progress figures."""
    return (
        covered_units()
        .filter(valid_on(on) & valid_on(since))
        .annotate(coverage=coverage_expression(on), coverage_since=coverage_expression(since))
        .exclude(coverage=F("coverage_since"))
        .select_related("parent")
    )

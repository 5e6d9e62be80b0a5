"""The year's figures of party-member development: coverage of villages and schools per commune
with the change since an earlier date, admissions against targets, people overdue for a step.
Each figure carries the URL of the admin list behind it. Registered as reports (screen, xlsx,
CSV, JSON, command) in ``party.reports``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.http import urlencode

from cadres.models import Unit
from party.choices import Coverage
from party.coverage import coverage_by_commune
from party.models import AdmissionCandidate, AdmissionTarget


@dataclass(frozen=True)
class Figure:
    value: Any
    url: str = ""

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


def admin_url(name: str, **params: Any) -> str:
    return with_query(reverse(f"admin:party_{name}_changelist"), **params)


def with_query(url: str, **params: Any) -> str:
    """``url`` with the non-empty ``params`` as its query string."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return url + (f"?{query}" if query else "")


def percent_text(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") if whole else "—"


def year_end(year: int, today: date) -> date:
    """The day a year's figures are taken: 31 December, or today for the running year."""
    return min(date(year, 12, 31), today)


def coverage_table(on: date, since: date, units: QuerySet[Unit]) -> list[dict[str, Any]]:
    """One row per commune then the totals: for each coverage its count on ``since``, on
    ``on`` and the change, the counts on ``on`` linking to the list of those units. Only
    ``units`` (e.g. those a user may see) are counted."""
    rows = []
    changelist = reverse("admin:party_coveredunit_changelist")  # once, not per figure
    for row in coverage_by_commune(on, since=since, units=units):
        line: dict[str, Any] = {
            "name": row.name,
            "total": row.total,
            "is_total": not row.commune_id,
        }
        for coverage in Coverage.values:
            line[f"{coverage}_since"] = row.counts_since[coverage]
            line[coverage] = Figure(
                row.counts[coverage],
                with_query(
                    changelist, on=on.isoformat(), coverage=coverage, commune=row.commune_id
                ),
            )
            line[f"{coverage}_change"] = row.change(coverage)
        rows.append(line)
    return rows


def admissions_table(year: int, units: QuerySet[Unit]) -> list[dict[str, Any]]:
    """Targets of ``year`` per unit with the admissions decided in the unit and below it; the
    total counts every admission of the year in ``units``."""
    targets = AdmissionTarget.objects.filter(year=year, unit__in=units)
    candidates = AdmissionCandidate.objects.filter(unit__in=units)
    rows = [
        {
            "name": target.unit.name,
            "target": target.target,
            "admitted": Figure(
                target.admitted,
                admin_url("admissioncandidate", admitted_year=year, commune=target.unit_id),
            ),
            "share": percent_text(target.admitted, target.target),
            "is_total": False,
        }
        for target in targets.with_admitted().select_related("unit").order_by("unit__path")
    ]
    target_total = targets.aggregate(n=Sum("target"))["n"] or 0
    admitted_total = candidates.admitted_in(year).count()
    rows.append(
        {
            "name": "Toàn huyện",
            "target": target_total,
            "admitted": Figure(admitted_total, admin_url("admissioncandidate", admitted_year=year)),
            "share": percent_text(admitted_total, target_total),
            "is_total": True,
        }
    )
    return rows


def overdue_figures(on: date, units: QuerySet[Unit]) -> list[tuple[str, Figure]]:
    candidates = AdmissionCandidate.objects.filter(unit__in=units)
    return [
        (
            "Hết thời hạn dự bị, chưa được công nhận chính thức",
            Figure(
                candidates.probation_overdue(on).count(),
                admin_url("admissioncandidate", on=on.isoformat(), overdue="probation"),
            ),
        ),
        (
            "Đã kết nạp nhưng chưa học lớp nhận thức về Đảng trước khi kết nạp",
            Figure(
                candidates.admitted_without_candidate_class(on).count(),
                admin_url("admissioncandidate", on=on.isoformat(), overdue="candidate_class"),
            ),
        ),
    ]

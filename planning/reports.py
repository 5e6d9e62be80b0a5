"""Report 5 of issue 6: the planning pool on a date, per term and position, registered in
``core.reports`` (screen, xlsx in the province layout, CSV, JSON, ``manage.py report``).

The counts are aggregates in the database with the structure's own conditions
(``planning.readiness.share_aggregates``); readiness is the planning list's own rating
(``readiness_counts``, the rule behind its readiness filter); positions without a candidate are
counted in the database (``candidate_gaps``). Every figure links to the admin list of the
entries (or units) it counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from cadres.choices import Gender
from cadres.models import Position, Unit
from core import reports
from planning.choices import Readiness
from planning.filters import PlanningPoolFilterSet
from planning.models import PlanningEntry, PlanningTerm, RuleSet
from planning.readiness import Share, candidate_gaps, readiness_counts, share_aggregates

# (column key, filter of the planning list that shows the people counted)
SHARE_LINKS = {
    "women": {"cadre__gender__exact": Gender.FEMALE},
    "young": {"young": "1"},
    "minority": {"minority": "1"},
}
READINESS_COLUMNS = {
    Readiness.READY_NOW: "ready_now",
    Readiness.WITHIN_TWO_YEARS: "ready_within",
    Readiness.LATER: "ready_later",
}


def share_percent(count: int, total: int) -> float | None:
    return float(Share(count, total).rounded) if total else None


def target_percent(value: Decimal | None) -> float | None:
    return float(value) if value else None


@reports.register
class PlanningPoolReport(reports.Report):
    name = "quy-hoach-can-bo"
    title = "Cơ cấu, chất lượng nguồn quy hoạch cán bộ"
    description = (
        "Người trong quy hoạch tại ngày báo cáo (quyết định phê duyệt, bổ sung đã ban hành, chưa "
        "bị đưa ra), theo nhiệm kỳ và chức danh. Cán bộ trẻ theo tuổi của cấp nhiệm kỳ; tỷ lệ so "
        "với chỉ tiêu của bộ quy định có hiệu lực. Sẵn sàng theo tiêu chuẩn chức danh: ngay; "
        "trong 1-2 năm (học tối đa 24 tháng là đạt); lâu hơn. “Chưa có người” đếm các đơn vị mà "
        "chức danh chủ chốt chưa có ai quy hoạch. Dòng tổng cộng đếm mỗi người một lần (người "
        "quy hoạch nhiều chức danh có mặt ở từng chức danh trong danh sách)."
    )
    filterset_class = PlanningPoolFilterSet
    permission = "planning.view_planningentry"
    depends_on = ("planning", "cadres")
    columns = [
        reports.Column("term", "Nhiệm kỳ quy hoạch", kind="text"),
        reports.Column("position", "Chức danh", kind="text"),
        reports.Column("planned", "Số người quy hoạch"),
        reports.Column("women", "Nữ"),
        reports.Column("women_share", "Tỷ lệ nữ (%)", kind="percent"),
        reports.Column("women_target", "Chỉ tiêu nữ (%)", kind="percent"),
        reports.Column("young", "Trẻ"),
        reports.Column("young_share", "Tỷ lệ trẻ (%)", kind="percent"),
        reports.Column("young_target", "Chỉ tiêu trẻ (%)", kind="percent"),
        reports.Column("minority", "Dân tộc thiểu số"),
        reports.Column("minority_share", "Tỷ lệ DTTS (%)", kind="percent"),
        reports.Column("minority_target", "Chỉ tiêu DTTS (%)", kind="percent"),
        reports.Column("ready_now", "Sẵn sàng ngay", total=True),
        reports.Column("ready_within", "Sẵn sàng trong 1-2 năm", total=True),
        reports.Column("ready_later", "Chưa sẵn sàng (lâu hơn)", total=True),
        reports.Column("gaps", "Đơn vị chưa có người quy hoạch", total=True),
    ]

    def queryset(self) -> QuerySet:
        return PlanningEntry.objects.all()

    def period_text(self, start: date, end: date) -> str:
        return f"Tính đến ngày {end:%d/%m/%Y}"

    # --- What is counted -------------------------------------------------------------------

    def entries(self, filterset: PlanningPoolFilterSet, on: date) -> QuerySet:
        return filterset.qs.active(on)

    def units(self, filterset: PlanningPoolFilterSet, on: date) -> QuerySet[Unit]:
        """The units whose gaps count: existing on ``on``, under the chosen unit, visible."""
        units = Unit.objects.active(on)
        chosen = filterset.form.cleaned_data.get("unit")
        if chosen:
            units = units.filter(path__startswith=chosen.path)
        if filterset.user is not None:
            units = units.visible_to(filterset.user)
        return units

    def terms(self, filterset: PlanningPoolFilterSet, on: date, entries: QuerySet):
        """The chosen term; otherwise every term with people in the pool on ``on`` and every
        term not yet ended (whose positions may still have nobody)."""
        data = filterset.form.cleaned_data
        if data.get("term"):
            return [data["term"]]
        terms = PlanningTerm.objects.filter(Q(end_date__gte=on) | Q(pk__in=entries.values("term")))
        if data.get("level"):
            terms = terms.filter(level=data["level"])
        return list(terms)

    def params(self, filterset: PlanningPoolFilterSet, on: date) -> dict[str, str]:
        return {"on": on.isoformat(), **filterset.changelist_params()}

    # --- Rows ------------------------------------------------------------------------------

    def rows(self, filterset: PlanningPoolFilterSet, on: date) -> list[dict[str, Any]]:
        rule_set = RuleSet.objects.applying_on(on)
        entries = self.entries(filterset, on)
        terms = self.terms(filterset, on, entries)
        counted = {
            (row["term"], row["position"]): row
            for row in entries.values("term", "position")
            .annotate(**share_aggregates(on, rule_set))
            .order_by()
        }
        readiness = readiness_counts(entries, on, ("term", "position"), rule_set=rule_set)
        units = self.units(filterset, on)
        gaps = {term.pk: candidate_gaps(term, entries, units) for term in terms}
        positions = Position.objects.filter(
            Q(is_key=True, level__in={term.level for term in terms})
            | Q(pk__in={position for _, position in counted})
        )
        base = self.params(filterset, on)
        rows = []
        for term in terms:
            for position in positions:
                key = (term.pk, position.pk)
                if key not in counted and position.pk not in gaps[term.pk]:
                    continue
                params = base | {
                    "term__id__exact": str(term.pk),
                    "position__id__exact": str(position.pk),
                }
                row = self.figures(counted.get(key), readiness.get(key), params, rule_set)
                gap_params = {k: v for k, v in params.items() if k != "term__level__exact"}
                gap_count = gaps[term.pk].get(position.pk)
                row |= {
                    "term": str(term),
                    "position": position.title,
                    "gaps": reports.Cell(
                        gap_count,
                        reports.admin_list_url("planning_successiongap", gap_link(gap_params)),
                    )
                    if gap_count is not None
                    else None,
                }
                rows.append(row)
        return rows

    def figures(
        self,
        counts: dict[str, int] | None,
        readiness: dict[str, int] | None,
        params: dict[str, str],
        rule_set: RuleSet,
    ) -> dict[str, Any]:
        """The figures of one line (or the totals) with the links to the people counted."""
        counts = counts or dict.fromkeys(["total", "women", "young", "minority"], 0)
        readiness = readiness or dict.fromkeys(Readiness.values, 0)
        total = counts["total"]
        url = reports.admin_list_url("planning_planningentry", params)
        row: dict[str, Any] = {"planned": reports.Cell(total, url)}
        targets = {
            "women": rule_set.target_women_percent,
            "young": rule_set.target_young_percent,
            "minority": rule_set.target_minority_percent,
        }
        for key, extra in SHARE_LINKS.items():
            row[key] = reports.Cell(
                counts[key], reports.admin_list_url("planning_planningentry", params | extra)
            )
            row[f"{key}_share"] = share_percent(counts[key], total)
            row[f"{key}_target"] = target_percent(targets[key])
        for level, column in READINESS_COLUMNS.items():
            row[column] = reports.Cell(
                readiness[level],
                reports.admin_list_url("planning_planningentry", params | {"readiness": level}),
            )
        return row

    def totals(self, filterset, on, rows) -> dict[str, Any]:
        """People counted once over all lines (one aggregate); readiness and gaps summed."""
        rule_set = RuleSet.objects.applying_on(on)
        counts = self.entries(filterset, on).aggregate(**share_aggregates(on, rule_set))
        summed = self.sum_rows(rows) or {}
        params = self.params(filterset, on)
        chosen = filterset.form.cleaned_data.get("term")
        if chosen:
            params["term__id__exact"] = str(chosen.pk)
        totals = self.figures(counts, None, params, rule_set)
        for column in READINESS_COLUMNS.values():
            totals[column] = reports.Cell(summed[column], totals[column].url)
        totals["term"] = self.totals_label
        totals["gaps"] = summed["gaps"]
        return totals


def gap_link(params: dict[str, str]) -> dict[str, str]:
    """The planning list's parameters as the parameters of the list of units without a
    candidate (``SuccessionGapAdmin``)."""
    names = {
        "term__id__exact": "term",
        "position__id__exact": "position",
        "role__exact": "role",
        "unit": "unit",
        "on": "on",
    }
    return {names[k]: v for k, v in params.items() if k in names}

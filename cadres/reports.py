"""Report 4: qualification shares at a date, with numerators and denominators stated.

The shares are data: each :class:`ShareDefinition` names its population with the parameters of
the cadre changelist's list filters, so the report's counts and the lists they link to apply the
very same conditions (``cadres.models.*_q``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from cadres.choices import Category, Level
from cadres.filters import ReportFilterSet
from cadres.models import (
    Cadre,
    QualificationLevel,
    employed_on_q,
    key_position_q,
    qualified_on_q,
)
from core import reports


@dataclass(frozen=True)
class ShareDefinition:
    key: str
    label: str
    # Parameters of the cadre changelist: "level" (unit level), "category__exact", "key_at".
    population: dict[str, str]
    population_label: str
    threshold: str  # code of the lowest QualificationLevel that counts
    short_label: str = ""  # for the dashboard chart
    target: int | None = None  # percent


# Targets: the outcomes the district reported for its 2020-2025 term (domain brief).
SHARES = [
    ShareDefinition(
        key="district_civil_servants_professional",
        label="Công chức cấp huyện có trình độ chuyên môn từ trung cấp trở lên",
        population={"level": Level.DISTRICT, "category__exact": Category.CIVIL_SERVANT},
        population_label="công chức cấp huyện",
        short_label="Công chức cấp huyện: chuyên môn ≥ trung cấp",
        threshold="CM_TRUNG_CAP",
        target=80,
    ),
    ShareDefinition(
        key="commune_key_cadres_political_theory",
        label="Cán bộ chủ chốt cấp xã có trình độ lý luận chính trị từ trung cấp trở lên",
        population={"key_at": Level.COMMUNE},
        population_label="cán bộ giữ chức danh chủ chốt cấp xã",
        short_label="Chủ chốt cấp xã: LLCT ≥ trung cấp",
        threshold="LLCT_TRUNG_CAP",
        target=65,
    ),
    ShareDefinition(
        key="commune_civil_servants_professional",
        label="Công chức chuyên môn cấp xã có trình độ chuyên môn từ sơ cấp trở lên",
        population={"level": Level.COMMUNE, "category__exact": Category.CIVIL_SERVANT},
        population_label="công chức cấp xã",
        short_label="Công chức cấp xã: chuyên môn ≥ sơ cấp",
        threshold="CM_SO_CAP",
        target=55,
    ),
]


def population_q(params: dict[str, str], on: date) -> Q:
    """The population of a share on ``on``, from the changelist parameters naming it."""
    condition = employed_on_q(on)
    if "level" in params:
        condition &= Q(unit__level=params["level"])
    if "category__exact" in params:
        condition &= Q(category=params["category__exact"])
    if "key_at" in params:
        condition &= key_position_q(params["key_at"], on)
    return condition


def merge_params(filters: dict[str, str], own: dict[str, str]) -> dict[str, str] | None:
    """The report's filters and a definition's population together; None if they contradict
    (e.g. a district share with the commune level chosen: nothing to count, nothing to link)."""
    if any(key in filters and filters[key] != value for key, value in own.items()):
        return None
    return {**filters, **own}


def share_counts(
    queryset: QuerySet, definitions: list[ShareDefinition], on: date
) -> dict[str, tuple[int, int]]:
    """(numerator, denominator) per definition, one aggregate query each. One query per share,
    not one for all: each population (a category in the units of a level, or the holders of
    key positions) is then read from an index (``cadres_cadre_population``) instead of
    scanning every cadre, and ``qualified_on_q`` settles most people from the row itself."""
    levels = QualificationLevel.objects.in_bulk(
        [d.threshold for d in definitions], field_name="code"
    )
    counts = {}
    for definition in definitions:
        level = levels.get(definition.threshold)
        # A threshold missing from the reference table (deleted, or not loaded yet) counts nobody.
        qualified = qualified_on_q(level, on) if level else Q(pk__in=[])
        found = queryset.filter(population_q(definition.population, on)).aggregate(
            denominator=Count("pk"), numerator=Count("pk", filter=qualified)
        )
        counts[definition.key] = (found["numerator"], found["denominator"])
    return counts


def percent(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


class CadreReport(reports.Report):
    """A report counting people of the register: whoever may view cadres may open it."""

    filterset_class = ReportFilterSet
    permission = "cadres.view_cadre"
    depends_on = ("cadres",)


@reports.register
class QualificationSharesReport(CadreReport):
    name = "ty-le-trinh-do"
    title = "Tỷ lệ cán bộ, công chức đạt chuẩn trình độ"
    description = (
        "Tính tại ngày cuối của kỳ báo cáo, từ quá trình đào tạo (văn bằng, chứng chỉ): một văn "
        "bằng chỉ ghi năm được tính từ ngày 31/12 của năm đó; cán bộ được tính ở đơn vị và đối "
        "tượng hiện tại, từ ngày vào cơ quan (hoặc ngày tuyển dụng) đến ngày nghỉ hưu theo luật."
    )
    definitions = SHARES
    columns = [
        reports.Column("label", "Chỉ tiêu", kind="text"),
        reports.Column("population", "Đối tượng tính (mẫu số)", kind="text"),
        reports.Column("denominator", "Tổng số (người)"),
        reports.Column("numerator", "Số đạt chuẩn (người)"),
        reports.Column("share", "Tỷ lệ (%)", kind="percent"),
        reports.Column("target", "Mục tiêu (%)", kind="percent"),
    ]

    def queryset(self) -> QuerySet:
        return Cadre.objects.all()

    def period_text(self, start: date, end: date) -> str:
        return f"Tính đến ngày {end:%d/%m/%Y}"

    def rows(self, filterset: ReportFilterSet, on: date) -> list[dict[str, Any]]:
        counts = share_counts(filterset.qs, self.definitions, on)
        filters = {**filterset.changelist_params(), "on": on.isoformat()}
        rows = []
        for definition in self.definitions:
            numerator, denominator = counts[definition.key]
            params = merge_params(filters, definition.population)
            base = reports.admin_list_url("cadres_cadre", params) if params else ""
            meets = f"{base}&meets={definition.threshold}" if params else ""
            rows.append(
                {
                    "key": definition.key,
                    "label": definition.label,
                    "population": definition.population_label,
                    "denominator": reports.Cell(denominator, base),
                    "numerator": reports.Cell(numerator, meets),
                    "share": percent(numerator, denominator),
                    "target": definition.target,
                }
            )
        return rows

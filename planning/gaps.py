"""Gaps become training needs: every missed qualification level of a planned cadre, offered to the
training app. The contract (``TrainingGap``, ``training_gaps``) is what the training app codes
against: change it only together with that app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from planning import rules
from planning.models import PlanningEntry, RuleSet


@dataclass(frozen=True)
class TrainingGap:
    cadre_id: int
    entry_id: int  # PlanningEntry pk
    position_id: int
    track: str  # cadres.choices.Track value
    required_level_id: int  # cadres.QualificationLevel pk the cadre must reach
    description: str  # Vietnamese, e.g. "Thiếu cao cấp LLCT cho chức danh Bí thư Đảng ủy xã"
    due: date  # when it is needed: the planned term's start date


def training_gaps(on: date, entries: QuerySet | None = None) -> list[TrainingGap]:
    """One gap per (active entry on ``on``, missed level standard of its position).

    ``entries`` narrows the entries looked at (a queryset of PlanningEntry); only those active on
    ``on`` count. One query for the rule set and one for the entries with every level joined."""
    queryset = entries if entries is not None else PlanningEntry.objects.all()
    rule_set = RuleSet.objects.applying_on(on)
    gaps = []
    for entry in queryset.active(on).with_levels().order_by("pk"):
        standard = getattr(entry.position, "standard", None)
        for missed in rules.missed_standards(entry.cadre, standard, on, rule_set):
            if missed.required is None:
                continue
            gaps.append(
                TrainingGap(
                    cadre_id=entry.cadre_id,
                    entry_id=entry.pk,
                    position_id=entry.position_id,
                    track=missed.track,
                    required_level_id=missed.required.pk,
                    description=f"Thiếu {missed.text} cho chức danh {entry.position.title}",
                    due=entry.term.start_date,
                )
            )
    return gaps

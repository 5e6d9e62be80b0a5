"""The succession timeline of a unit: for each key post of a term, when the incumbent retires
against when each planned candidate becomes ready, and the posts that will fall vacant within
the term with nobody ready by then (Quy định 50-QĐ/TW art. 2: quy hoạch bảo đảm tính kế thừa).

Reads the pool of ``on`` and the posts held on ``on``; a few queries whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cadres.models import Appointment, Cadre, Position, Unit
from planning import rules
from planning.models import PlanningEntry, PlanningTerm, RuleSet
from planning.readiness import key_positions


def ready_on(missed: list[rules.MissedStandard], on: date) -> date | None:
    """The day every missed standard can be met by training or waiting (``on`` when none is
    missed); ``None`` when one cannot be met that way."""
    if any(m.months is None for m in missed):
        return None
    months = max((m.months for m in missed), default=0)
    year, month = divmod(on.month - 1 + months, 12)
    return date(on.year + year, month + 1, 1) if months else on


@dataclass
class Candidate:
    entry: PlanningEntry
    ready_on: date | None

    @property
    def cadre(self) -> Cadre:
        return self.entry.cadre


@dataclass
class PostOutlook:
    position: Position
    incumbent: Cadre | None
    vacates_on: date | None  # the incumbent's retirement date (None: vacant or unknown)
    term_end: date
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        """Falls vacant within the term (or is vacant) with nobody ready by then."""
        vacant = self.incumbent is None
        if not vacant and (self.vacates_on is None or self.vacates_on > self.term_end):
            return False
        deadline = None if vacant else self.vacates_on
        return not any(
            c.ready_on is not None and (deadline is None or c.ready_on <= deadline)
            for c in self.candidates
        )


def succession_timeline(term: PlanningTerm, unit: Unit, on: date) -> list[PostOutlook]:
    """One outlook per key position of the term's level in ``unit`` on ``on``."""
    rule_set = RuleSet.objects.applying_on(on)
    positions = list(key_positions(term.level).select_related("standard"))
    held = (
        Appointment.objects.active(on)
        .filter(unit=unit, position__in=positions)
        .select_related("cadre")
        .order_by("start_date")
    )
    incumbents = {a.position_id: a.cadre for a in held}
    outlooks = {
        p.pk: PostOutlook(
            position=p,
            incumbent=incumbents.get(p.pk),
            vacates_on=incumbents[p.pk].retirement_date if p.pk in incumbents else None,
            term_end=term.end_date,
        )
        for p in positions
    }
    entries = (
        PlanningEntry.objects.active(on)
        .for_term(term)
        .in_unit(unit)
        .filter(position__in=positions)
        .with_levels()
    )
    for entry in entries:
        if incumbents.get(entry.position_id) == entry.cadre:
            continue  # the incumbent planned again: not a successor
        standard = getattr(entry.position, "standard", None)
        missed = rules.missed_standards(entry.cadre, standard, on, rule_set)
        ready = ready_on(missed, on)
        if ready and entry.cadre.retirement_date and ready > entry.cadre.retirement_date:
            ready = None
        outlooks[entry.position_id].candidates.append(Candidate(entry, ready))
    for outlook in outlooks.values():
        outlook.candidates.sort(key=lambda c: (c.ready_on is None, c.ready_on or date.max))
    return list(outlooks.values())

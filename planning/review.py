"""The annual review of a term's plan for one unit ("quy hoạch mở và động", Quy định 50-QĐ/TW
art. 2): who no longer qualifies, who now qualifies and is not planned, and the draft decisions
that follow from the planner's choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from cadres.models import Appointment, Cadre, Position, Unit
from planning import rules
from planning.choices import DecisionKind, DecisionStatus, EntryRole, RemovalReason
from planning.models import PlanningDecision, PlanningEntry, PlanningTerm, RuleSet


@dataclass
class EntryToRemove:
    entry: PlanningEntry
    reasons: list[tuple[str, str]]  # (RemovalReason value, Vietnamese explanation)

    @property
    def reason(self) -> str:
        return self.reasons[0][0]

    @property
    def text(self) -> str:
        return " ".join(text for _, text in self.reasons)


@dataclass
class NewCandidate:
    cadre: Cadre
    positions: list[Position]


@dataclass
class AnnualReview:
    term: PlanningTerm
    unit: Unit
    on: date
    rule_set: RuleSet
    to_remove: list[EntryToRemove] = field(default_factory=list)
    candidates: list[NewCandidate] = field(default_factory=list)


def removal_reasons(entry: PlanningEntry, on: date, rule_set: RuleSet) -> list[tuple[str, str]]:
    """Why an entry no longer qualifies on ``on`` (removal triggers of the rule set)."""
    cadre = entry.cadre
    reasons = []
    start = max(on, entry.term.start_date)
    if rule_set.remove_on_age and cadre.retirement_date and cadre.retirement_date < start:
        reasons.append((RemovalReason.AGE, f"Nghỉ hưu ngày {cadre.retirement_date:%d/%m/%Y}."))
    if rule_set.remove_on_discipline:
        for text in rules.discipline_errors(cadre.disciplines.all(), rule_set, on):
            reasons.append((RemovalReason.DISCIPLINE, text))
    if rule_set.remove_on_failed_evaluation:
        for text in rules.evaluation_errors(cadre.evaluations.all()):
            reasons.append((RemovalReason.EVALUATION, text))
    if not cadre.unit.path.startswith(entry.unit.path):
        reasons.append((RemovalReason.TRANSFER, f"Đã chuyển công tác đến {cadre.unit}."))
    return reasons


def _cadre_prefetches() -> list:
    return [
        "disciplines",
        "evaluations",
        Prefetch("appointments", queryset=Appointment.objects.select_related("position")),
    ]


def annual_review(term: PlanningTerm, unit: Unit, on: date) -> AnnualReview:
    """The review lists of ``unit`` (and the units under it) for ``term`` on ``on``."""
    rule_set = RuleSet.objects.applying_on(on)
    review = AnnualReview(term, unit, on, rule_set)
    entries = (
        PlanningEntry.objects.current()
        .for_term(term)
        .in_unit(unit)
        .select_related("cadre__unit", "unit", "position", "term")
        .prefetch_related(*(f"cadre__{p}" for p in ("disciplines", "evaluations")))
    )
    planned: set[int] = set()
    counts: dict[int, int] = {}
    for entry in entries:
        planned.add(entry.cadre_id)
        counts[entry.position_id] = counts.get(entry.position_id, 0) + 1
        reasons = removal_reasons(entry, on, rule_set)
        if reasons:
            review.to_remove.append(EntryToRemove(entry, reasons))

    positions = [
        p
        for p in Position.objects.filter(
            level=term.level, is_key=True, standard__isnull=False
        ).select_related(
            "standard__professional_level",
            "standard__political_theory_level",
            "standard__state_management_level",
            "standard__general_education",
        )
        if counts.get(p.pk, 0) < rule_set.candidates_per_position
    ]
    if not positions:
        return review
    cadres = (
        Cadre.objects.in_unit(unit)
        .exclude(pk__in=planned)
        .filter(retirement_date__gte=term.start_date)
        .select_related(
            "unit",
            "professional_level",
            "political_theory_level",
            "state_management_level",
            "general_education",
        )
        .prefetch_related(*_cadre_prefetches())
    )
    for cadre in cadres:
        fitting = [p for p in positions if qualifies(cadre, p, term, on, rule_set)]
        if fitting:
            review.candidates.append(NewCandidate(cadre, fitting))
    return review


def qualifies(
    cadre: Cadre, position: Position, term: PlanningTerm, on: date, rule_set: RuleSet
) -> bool:
    """Whether ``cadre`` could be planned for the first time for ``position`` on ``on``: every
    standard met and no hard rule broken (limits aside, which the planner sees in the list)."""
    if rules.missed_standards(cadre, position.standard, on, rule_set):
        return False
    probe = PlanningEntry(cadre=cadre, position=position, term=term, role=EntryRole.RESERVE)
    appointments = cadre.appointments.all()
    return not (
        rules.full_term_errors(probe, rule_set)
        or rules.first_time_age_errors(probe, on)
        or rules.higher_position_errors(probe, rule_set, on, appointments)
        or rules.party_post_errors(cadre, position, on)
        or rules.discipline_errors(cadre.disciplines.all(), rule_set, on)
        or rules.entry_evaluation_errors(cadre.evaluations.all(), rule_set, on)
    )


@transaction.atomic
def draft_decisions(
    term: PlanningTerm,
    unit: Unit,
    on: date,
    removals: list[tuple[int, str]],
    additions: list[tuple[int, int]],
    issuer: str = "",
) -> list[PlanningDecision]:
    """Draft the removal and addition decisions the planner chose from the review.

    ``removals``: (entry pk, RemovalReason); ``additions``: (cadre pk, position pk). Entries to
    remove are marked by the draft removal decision; added entries belong to the draft addition
    decision. Both take effect when the decisions are confirmed. Hard rules are checked now."""
    drafts = []
    common = {
        "issued_on": on,
        "issuer": issuer or f"Ban Thường vụ {unit}",
        "status": DecisionStatus.DRAFT,
        "term": term,
        "unit": unit,
    }
    if removals:
        decision = PlanningDecision.objects.create(
            number=f"Dự thảo đưa ra {on:%Y}", kind=DecisionKind.REMOVAL, **common
        )
        entries = PlanningEntry.objects.current().for_term(term).in_bulk([pk for pk, _ in removals])
        for pk, reason in removals:
            entries[pk].remove(decision, reason, note="Rà soát hằng năm")
        drafts.append(decision)
    if additions:
        decision = PlanningDecision.objects.create(
            number=f"Dự thảo bổ sung {on:%Y}", kind=DecisionKind.ADDITION, **common
        )
        cadres = Cadre.objects.in_bulk([pk for pk, _ in additions])
        positions = Position.objects.in_bulk([pk for _, pk in additions])
        batch: list[PlanningEntry] = []
        for cadre_pk, position_pk in additions:
            entry = PlanningEntry(
                term=term,
                unit=unit,
                position=positions[position_pk],
                cadre=cadres[cadre_pk],
                role=EntryRole.RESERVE,
                added_by=decision,
            )
            entry.full_clean()
            errors = entry.rule_errors(batch=batch)
            if errors:
                raise ValidationError(errors)
            batch.append(entry)
        for entry in batch:  # one save each, so each entry's history records who added it
            entry.save()
        drafts.append(decision)
    return drafts

"""Drafting the annual training plan from the open needs (the domain brief's remedy for passive
selection: build each year's plan from the planning).

For every line of the plan, the open needs of cadres of the plan's unit for that programme are
ranked, checked against the eligibility rules on the planned dispatch day, and seated: quota
handed down from above first, then the unit's own target, then a waiting list. Ineligible
cadres stay on the draft with the reasons, so the officer sees why. Decisions already taken by
the user (approved, rejected) are kept. Nothing leaves the system: the user edits and approves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from cadres.models import LEVEL_FIELDS
from cadres.retirement import months_between
from core.audit import bulk_create_with_history
from training.choices import CandidateStatus, NeedSource, Seat
from training.eligibility import reasons_not_eligible
from training.models import PlanCandidate, PlanLine, TrainingNeed, TrainingPlan

SEATED = (CandidateStatus.APPROVED, CandidateStatus.DISPATCHED)
USER_DECISIONS = [CandidateStatus.APPROVED, CandidateStatus.REJECTED, CandidateStatus.DISPATCHED]


def rank_key(need: TrainingNeed, on: date) -> tuple:
    """Order of the candidates for one programme: the officer's priority, then the planned
    position (key positions and higher ranks first), then a missing standard of that position
    before other needs, then the earliest date by which the standard is needed, then the one
    with fewest months left before retirement (the last chance to train for the post)."""
    position = need.position
    retirement = need.cadre.retirement_date
    return (
        need.priority,
        not (position and position.is_key),
        -(position.rank if position else 0),
        need.source != NeedSource.PLANNING_GAP,
        need.due or date.max,
        months_between(on, retirement) if retirement else 10_000,
        need.cadre.full_name,
        need.pk,
    )


def ranking_note(need: TrainingNeed, on: date) -> str:
    parts = [f"Ưu tiên {need.priority}"]
    if need.position:
        key = " (chủ chốt)" if need.position.is_key else ""
        parts.append(f"quy hoạch {need.position.title}{key}")
    if need.source == NeedSource.PLANNING_GAP:
        parts.append("thiếu tiêu chuẩn chức danh")
    if need.due:
        parts.append(f"cần đạt trước {need.due:%d/%m/%Y}")
    if need.cadre.retirement_date:
        months = months_between(on, need.cadre.retirement_date)
        parts.append(f"còn {months} tháng đến tuổi nghỉ hưu")
    return "; ".join(parts) + "."


class QuotaSeats:
    """The quota of a line divided among communes (``QuotaShare``): a cadre takes a seat of
    his commune's share, else one of the undivided rest; without shares, any seat."""

    def __init__(self, line: PlanLine, seated: list[PlanCandidate]):
        self.shares = {share.unit.path: share.seats for share in line.shares.all()}
        self.undivided = line.quota - sum(self.shares.values())
        for candidate in seated:
            self.take(candidate.cadre)

    def share_of(self, cadre) -> str | None:
        path = cadre.unit.path if cadre.unit_id else ""
        return next((p for p in self.shares if path.startswith(p)), None)

    def take(self, cadre) -> bool:
        share = self.share_of(cadre)
        if share is not None and self.shares[share] > 0:
            self.shares[share] -= 1
            return True
        if self.undivided > 0:
            self.undivided -= 1
            return True
        return False


@dataclass
class LineDraft:
    line: PlanLine
    quota: int = 0
    own: int = 0
    waiting: int = 0
    not_eligible: int = 0


def draft(plan: TrainingPlan) -> list[LineDraft]:
    """Replace the plan's drafted candidates with a fresh draft; returns what each line got."""
    on = plan.dispatch_on
    lines = list(
        plan.lines.select_related(
            "programme__grants_level",
            "programme__min_general_education",
            "programme__prerequisite_level",
        ).prefetch_related("shares__unit")
    )
    needs = (
        TrainingNeed.objects.open()
        .in_unit(plan.unit)
        .filter(programme__in=[line.programme_id for line in lines])
        .select_related("position", "cadre__unit", *(f"cadre__{f}" for f in LEVEL_FIELDS))
    )
    by_programme: dict[int, list[TrainingNeed]] = {}
    for need in needs:
        by_programme.setdefault(need.programme_id, []).append(need)
    kept = list(
        PlanCandidate.objects.filter(line__plan=plan, status__in=USER_DECISIONS).select_related(
            "cadre__unit"
        )
    )
    results = []
    with transaction.atomic():
        PlanCandidate.objects.filter(line__plan=plan).exclude(status__in=USER_DECISIONS).delete()
        new = []
        for line in lines:
            decided = [c for c in kept if c.line_id == line.pk]
            result = LineDraft(line)
            approved = [c for c in decided if c.status in SEATED]
            quota_left = line.quota - sum(c.seat == Seat.QUOTA for c in approved)
            seats = QuotaSeats(line, [c for c in approved if c.seat == Seat.QUOTA])
            own_left = line.capacity - line.quota - sum(c.seat == Seat.OWN for c in approved)
            seen = {c.cadre_id for c in decided}
            order = len(decided)
            ranked = sorted(by_programme.get(line.programme_id, []), key=lambda n: rank_key(n, on))
            for need in ranked:
                if need.cadre_id in seen:
                    continue
                seen.add(need.cadre_id)
                order += 1
                reasons = reasons_not_eligible(need.cadre, line.programme, on)
                seat, status = Seat.NONE, CandidateStatus.PROPOSED
                if reasons:
                    status = CandidateStatus.NOT_ELIGIBLE
                    result.not_eligible += 1
                elif quota_left > 0 and seats.take(need.cadre):
                    seat, quota_left = Seat.QUOTA, quota_left - 1
                    result.quota += 1
                elif own_left > 0:
                    seat, own_left = Seat.OWN, own_left - 1
                    result.own += 1
                else:
                    status = CandidateStatus.WAITING
                    result.waiting += 1
                    reasons = ["Đủ điều kiện nhưng đã hết chỉ tiêu."]
                new.append(
                    PlanCandidate(
                        line=line,
                        cadre=need.cadre,
                        need=need,
                        order=order,
                        seat=seat,
                        status=status,
                        reasons=" ".join([ranking_note(need, on), *reasons]),
                    )
                )
            results.append(result)
        bulk_create_with_history(new, PlanCandidate)
    return results


def summary(results: list[LineDraft]) -> str:
    return "; ".join(
        f"{r.line.programme}: {r.quota} suất trên giao, {r.own} suất của đơn vị, "
        f"{r.waiting} dự bị, {r.not_eligible} chưa đủ điều kiện"
        for r in results
    )

"""From approved plan candidates to dispatches under one decision (Quyết định cử đi học).

The officer picks the approved candidates of one programme and gives the decision (number,
date, signer, school, dates); every candidate is checked by the programme's eligibility rules on
the decision date, and either all of them become dispatches in one transaction or none does
and the reasons are shown, person by person. Each dispatch keeps whether its cadre was an
incumbent or a reserve in the planning on the decision date.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import update_with_history
from training import needs
from training.choices import CandidateStatus, DispatchStatus
from training.models import Dispatch, DispatchDecision, PlanCandidate
from training.models.dispatches import planning_roles


def issue(decision: DispatchDecision, candidates: Iterable[PlanCandidate]) -> list[Dispatch]:
    """Save ``decision`` (unsaved) and one dispatch per candidate, or raise ValidationError
    with every reason (nothing is written then)."""
    candidates = list(candidates)
    problems = []
    if not candidates:
        problems.append("Chưa chọn người nào.")
    for candidate in candidates:
        name = candidate.cadre.full_name
        if candidate.status != CandidateStatus.APPROVED:
            problems.append(f"{name}: chưa được duyệt ({candidate.get_status_display()}).")
        if candidate.line.programme_id != decision.programme_id:
            problems.append(
                f"{name}: được đề xuất học {candidate.line.programme}, không phải "
                f"{decision.programme}."
            )
    roles = planning_roles([c.cadre_id for c in candidates], decision.issued_on)
    dispatches = []
    for candidate in candidates:
        dispatch = Dispatch(
            cadre=candidate.cadre,
            programme=decision.programme,
            institution=decision.institution,
            need=candidate.need,
            decision_number=decision.number,
            decision_date=decision.issued_on,
            signer=decision.signer,
            mode=decision.mode,
            start_date=decision.start_date,
            end_date=decision.end_date,
            status=DispatchStatus.PLANNED,
            pool_role=roles.get(candidate.cadre_id, ""),
        )
        try:
            dispatch.full_clean(exclude=["decision", "need"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                problems.extend(f"{candidate.cadre.full_name}: {m}" for m in messages)
        dispatches.append(dispatch)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        decision.save()
        for dispatch in dispatches:
            dispatch.decision = decision
            dispatch.save()
        update_with_history(
            PlanCandidate.objects.filter(pk__in=[c.pk for c in candidates]),
            status=CandidateStatus.DISPATCHED,
        )
        needs.follow_dispatches({c.cadre_id for c in candidates})
    return dispatches

from datetime import date

import pytest

from cadres.choices import DisciplineForm, EvaluationResult, Gender
from cadres.models import Discipline, Evaluation
from planning.choices import DecisionKind, DecisionStatus, RemovalReason
from planning.models import PlanningDecision, PlanningEntry
from planning.review import annual_review, draft_decisions
from tests.factories import (
    AppointmentFactory,
    PositionFactory,
    QualificationFactory,
    UnitFactory,
    level,
)
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
    ServingCadreFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 15)


@pytest.fixture
def plan():
    """A commune's 2025-2030 plan approved in June 2024, with two key positions."""
    commune = UnitFactory(name="Xã Tú Đoạn")
    secretary = PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100),
        professional_level=level("CM_DAI_HOC"),
    ).position
    chair = PositionStandardFactory(
        position=PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=85)
    ).position
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    return commune, decision, secretary, chair


def planned(plan, position=None, **cadre):
    commune, decision, secretary, _ = plan
    person = ServingCadreFactory(unit=commune, **cadre)
    return PlanningEntryFactory(
        cadre=person, unit=commune, added_by=decision, position=position or secretary
    )


def test_the_review_lists_entries_that_no_longer_qualify_with_their_reasons(plan):
    commune, decision, _, chair = plan
    fine = planned(plan)
    retired = planned(plan, gender=Gender.MALE, birth_date=date(1963, 1, 1))  # retired 2024
    disciplined = planned(plan)
    Discipline.objects.create(
        cadre=disciplined.cadre, form=DisciplineForm.WARNING, decided_on=date(2024, 10, 1)
    )
    failed = planned(plan, position=chair)
    Evaluation.objects.create(cadre=failed.cadre, year=2024, result=EvaluationResult.NOT_COMPLETED)
    moved = planned(plan, position=chair)
    moved.cadre.unit = UnitFactory(name="Xã Khác")
    moved.cadre.save()

    review = annual_review(decision.term, commune, ON)
    reasons = {item.entry: item.reason for item in review.to_remove}
    assert reasons == {
        retired: RemovalReason.AGE,
        disciplined: RemovalReason.DISCIPLINE,
        failed: RemovalReason.EVALUATION,
        moved: RemovalReason.TRANSFER,
    }
    assert fine not in reasons


def test_the_review_lists_cadres_who_now_qualify_and_the_positions_they_fit(plan):
    commune, decision, secretary, chair = plan
    graduate = ServingCadreFactory(
        unit=commune, full_name="Lương Thị Mai", birth_date=date(1985, 3, 1)
    )
    QualificationFactory(cadre=graduate, level=level("CM_DAI_HOC"))
    no_degree = ServingCadreFactory(unit=commune, full_name="Vi Văn Sơn")
    ServingCadreFactory(
        unit=commune, gender=Gender.MALE, birth_date=date(1966, 1, 1)
    )  # no full term
    punished = ServingCadreFactory(unit=commune)
    Discipline.objects.create(
        cadre=punished, form=DisciplineForm.REPRIMAND, decided_on=date(2024, 12, 1)
    )
    holder = ServingCadreFactory(unit=commune, full_name="Hà Văn Nam")
    AppointmentFactory(cadre=holder, position=chair)  # may only go higher: the secretary
    planned(plan, position=chair)  # already planned: not listed
    for _ in range(3):
        planned(plan, position=secretary)  # the secretary is full: not offered any more

    review = annual_review(decision.term, commune, ON)
    offered = {c.cadre.full_name: [p.title for p in c.positions] for c in review.candidates}
    assert offered == {
        "Lương Thị Mai": ["Chủ tịch UBND xã"],
        "Vi Văn Sơn": ["Chủ tịch UBND xã"],
    }
    assert no_degree.pk in {c.cadre.pk for c in review.candidates}


def test_drafting_from_the_review_marks_removals_and_adds_entries_that_wait_for_confirmation(
    plan,
):
    commune, decision, _, chair = plan
    leaving = planned(plan)
    newcomer = ServingCadreFactory(unit=commune)

    drafts = draft_decisions(
        decision.term,
        commune,
        ON,
        removals=[(leaving.pk, RemovalReason.TRANSFER)],
        additions=[(newcomer.pk, chair.pk)],
    )
    removal, addition = drafts
    assert (removal.kind, removal.status) == (DecisionKind.REMOVAL, DecisionStatus.DRAFT)
    assert (addition.kind, addition.status) == (DecisionKind.ADDITION, DecisionStatus.DRAFT)
    leaving.refresh_from_db()
    assert (leaving.removed_by, leaving.removal_reason) == (removal, RemovalReason.TRANSFER)
    added = PlanningEntry.objects.get(added_by=addition)
    assert (added.cadre, added.position, added.first_time) == (newcomer, chair, True)
    active = PlanningEntry.objects.active(ON)
    assert leaving in active and added not in active

    for draft in drafts:
        draft.confirm()
    active = PlanningEntry.objects.active(ON)
    assert leaving not in active and added in active


def test_discarding_a_draft_restores_the_entries_it_would_remove(plan):
    commune, decision, _, chair = plan
    staying = planned(plan)
    drafts = draft_decisions(
        decision.term,
        commune,
        ON,
        removals=[(staying.pk, RemovalReason.OTHER)],
        additions=[(ServingCadreFactory(unit=commune).pk, chair.pk)],
    )
    for draft in drafts:
        draft.discard()
    staying.refresh_from_db()
    assert staying.removed_by is None
    assert not PlanningDecision.objects.drafts().exists()
    assert PlanningEntry.objects.count() == 1


def test_drafting_checks_the_hard_rules(plan):
    commune, decision, secretary, _ = plan
    for _ in range(3):
        planned(plan)
    with pytest.raises(Exception, match="tối đa 3"):
        draft_decisions(
            decision.term,
            commune,
            ON,
            removals=[],
            additions=[(ServingCadreFactory().pk, secretary.pk)],
        )
    assert not PlanningDecision.objects.drafts().exists()  # all or nothing

from datetime import date

import pytest

from cadres.choices import Track
from planning.choices import DecisionKind, DecisionStatus, RemovalReason
from planning.gaps import TrainingGap, training_gaps
from planning.models import PlanningEntry
from tests.factories import PositionFactory, QualificationFactory, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 1)


@pytest.fixture
def secretary_standard():
    return PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100),
        professional_level=level("CM_DAI_HOC"),
        political_theory_level=level("LLCT_CAO_CAP"),
        min_party_years=5,
    )


def test_every_missed_level_of_a_planned_cadre_is_a_training_gap(secretary_standard):
    entry = PlanningEntryFactory(position=secretary_standard.position)
    QualificationFactory(cadre=entry.cadre, level=level("CM_DAI_HOC"))
    QualificationFactory(cadre=entry.cadre, level=level("LLCT_TRUNG_CAP"))
    assert training_gaps(ON) == [
        TrainingGap(
            cadre_id=entry.cadre_id,
            entry_id=entry.pk,
            position_id=secretary_standard.position_id,
            track=Track.POLITICAL_THEORY,
            required_level_id=level("LLCT_CAO_CAP").pk,
            description="Thiếu cao cấp LLCT cho chức danh Bí thư Đảng ủy xã",
            due=date(2025, 7, 1),
        )
    ]  # party years are missed too, but they are not a training need


def test_a_gap_disappears_once_the_cadre_obtains_the_qualification(secretary_standard):
    entry = PlanningEntryFactory(position=secretary_standard.position)
    assert {gap.track for gap in training_gaps(ON)} == {
        Track.PROFESSIONAL,
        Track.POLITICAL_THEORY,
    }
    QualificationFactory(cadre=entry.cadre, level=level("LLCT_CAO_CAP"), year_obtained=2024)
    assert [gap.track for gap in training_gaps(ON)] == [Track.PROFESSIONAL]


def test_removed_and_draft_entries_have_no_gaps(secretary_standard):
    removed = PlanningEntryFactory(position=secretary_standard.position)
    removal = PlanningDecisionFactory(
        term=removed.term, kind=DecisionKind.REMOVAL, issued_on=date(2024, 12, 1)
    )
    removed.remove(removal, RemovalReason.HEALTH)
    draft = PlanningDecisionFactory(term=removed.term, status=DecisionStatus.DRAFT)
    PlanningEntryFactory(position=secretary_standard.position, added_by=draft)
    assert training_gaps(ON) == []
    assert len(training_gaps(date(2024, 11, 30))) == 2  # before the removal took effect


def test_gaps_can_be_asked_for_some_entries_only(secretary_standard):
    first = PlanningEntryFactory(position=secretary_standard.position)
    PlanningEntryFactory(position=secretary_standard.position)
    gaps = training_gaps(ON, PlanningEntry.objects.filter(cadre=first.cadre))
    assert {gap.entry_id for gap in gaps} == {first.pk}


@pytest.mark.parametrize("entries", [2, 12])
def test_gaps_are_computed_without_a_query_per_row(
    secretary_standard, django_assert_num_queries, entries
):
    for _ in range(entries):
        PlanningEntryFactory(position=secretary_standard.position)
    with django_assert_num_queries(2):  # the rule set, the entries with every level joined
        gaps = training_gaps(ON)
    assert len(gaps) == 2 * entries

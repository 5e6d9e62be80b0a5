from datetime import date

import pytest
from django.urls import reverse

from cadres.choices import Gender
from planning.succession import succession_timeline
from tests.factories import AppointmentFactory, CadreFactory, PositionFactory, UnitFactory, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 1, 15)


@pytest.fixture
def commune():
    return UnitFactory(name="Xã Lộc Bình")


def key_post(title: str, **standard):
    position = PositionFactory(title=title, is_key=True, rank=130)
    PositionStandardFactory(position=position, **standard)
    return position


def test_a_post_whose_incumbent_retires_in_the_term_with_nobody_ready_is_flagged(commune):
    secretary = key_post("Bí thư Đảng ủy xã", political_theory_level=level("LLCT_CU_NHAN"))
    chair = key_post("Chủ tịch UBND xã")
    retiring = CadreFactory(unit=commune, gender=Gender.MALE, birth_date=date(1966, 3, 1))
    AppointmentFactory(cadre=retiring, position=secretary, unit=commune)
    AppointmentFactory(
        cadre=CadreFactory(unit=commune, birth_date=date(1980, 1, 1)), position=chair
    )
    decision = PlanningDecisionFactory(issued_on=date(2025, 9, 15))
    slow = PlanningEntryFactory(unit=commune, position=secretary, added_by=decision)
    PlanningEntryFactory(unit=commune, position=chair, added_by=decision)

    outlooks = {o.position: o for o in succession_timeline(decision.term, commune, ON)}
    post = outlooks[secretary]
    assert post.incumbent == retiring and post.vacates_on.year == 2027
    (candidate,) = post.candidates
    assert candidate.cadre == slow.cadre and candidate.ready_on == date(2030, 1, 1)  # 48 months
    assert post.at_risk
    assert not outlooks[chair].at_risk  # its incumbent serves past the term


def test_a_vacant_post_with_a_candidate_ready_now_is_not_at_risk(commune, admin_client):
    chair = key_post("Chủ tịch UBND xã")
    decision = PlanningDecisionFactory(issued_on=date(2025, 9, 15))
    ready = PlanningEntryFactory(unit=commune, position=chair, added_by=decision)
    (post,) = succession_timeline(decision.term, commune, ON)
    assert post.incumbent is None and post.candidates[0].ready_on == ON
    assert not post.at_risk

    url = reverse("admin:planning_term_succession", args=[decision.term_id])
    page = admin_client.get(url, {"unit": commune.pk}).content.decode()
    assert ready.cadre.full_name in page and "Khuyết" in page

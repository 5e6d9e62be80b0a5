import random
from datetime import date

import pytest
from django.core.management import call_command

from cadres.models import Appointment, Unit
from cadres.retirement import age_on
from planning import demo
from planning.choices import EntryRole, Readiness
from planning.gaps import training_gaps
from planning.models import (
    Ballot,
    PlanningEntry,
    PlanningTerm,
    PositionStandard,
    Rotation,
)
from planning.readiness import attach_readiness
from planning.review import annual_review

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def demo_today(settings):
    settings.DEMO_TODAY = TODAY


def test_the_demo_plans_the_key_positions_of_the_2025_communes_and_keeps_the_history():
    call_command("load_demo")
    assert PlanningTerm.objects.count() == 4
    assert PositionStandard.objects.count() >= 8
    running = PlanningEntry.objects.filter(term__start_date__lte=TODAY, term__end_date__gte=TODAY)
    pool = list(running.active(TODAY).with_levels())
    # The present: the pools of the 2025 communes, none of a unit closed on 30/06/2025.
    assert {entry.unit.valid_from for entry in pool} == {date(2025, 7, 1)}
    assert {entry.unit.level for entry in pool} == {"commune"}
    assert {entry.role for entry in pool} == {EntryRole.INCUMBENT, EntryRole.RESERVE}
    for entry in pool:  # the demo obeys the rules the admin enforces
        entry.full_clean()
    attach_readiness(pool, TODAY)
    assert {entry.readiness.level for entry in pool} >= {Readiness.READY_NOW, Readiness.LATER}
    # The history: the district's and the old communes' pools, closed by the merger.
    history = PlanningEntry.objects.active(date(2024, 12, 31))
    assert {entry.unit.level for entry in history} == {"district", "commune"}
    assert PlanningEntry.objects.filter(removed_by__isnull=False).exists()
    assert training_gaps(TODAY)
    assert Rotation.objects.count() == 2
    assert Ballot.objects.passed().exists()

    entries = PlanningEntry.objects.count()
    demo.build(random.Random(1), lambda message: None)
    assert PlanningEntry.objects.count() == entries


def test_the_demo_obeys_its_own_rules_for_who_holds_a_post_today():
    call_command("load_demo")
    held = Appointment.objects.active(TODAY).select_related("cadre", "position", "unit")
    assert held.exists()
    for appointment in held:
        appointment.full_clean()  # party posts: party members from before the post
        assert appointment.unit.is_active(TODAY)
        if appointment.position.is_key:
            assert age_on(appointment.cadre.birth_date, TODAY) >= 30


def test_the_annual_review_of_a_new_commune_finds_people():
    call_command("load_demo")
    term = PlanningTerm.objects.get(name="2025-2030", level="commune")
    commune = Unit.objects.communes().active(TODAY).filter(name="Xã Lộc Bình").get()
    review = annual_review(term, commune, TODAY)
    assert review.candidates or any(
        PlanningEntry.objects.active(TODAY).filter(unit=commune, position=p).count() >= 3
        for p in review.candidates
    )

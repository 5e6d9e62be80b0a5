import random
from datetime import date

import pytest
from django.core.management import call_command

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

pytestmark = pytest.mark.django_db

AS_OF = date(2024, 12, 31)


def test_the_demo_plans_key_positions_of_the_district_and_several_communes():
    call_command("load_demo")
    assert PlanningTerm.objects.count() == 4
    assert PositionStandard.objects.count() >= 8
    pool = list(PlanningEntry.objects.active(AS_OF).with_levels())
    units = {entry.unit.level for entry in pool}
    assert units == {"district", "commune"}
    assert {entry.role for entry in pool} == {EntryRole.INCUMBENT, EntryRole.RESERVE}
    for entry in pool:  # the demo obeys the rules the admin enforces
        entry.full_clean()
    attach_readiness(pool, AS_OF)
    assert {entry.readiness.level for entry in pool} == set(Readiness)
    assert PlanningEntry.objects.filter(removed_by__isnull=False).exists()
    assert training_gaps(AS_OF)
    assert Rotation.objects.count() == 2
    assert Ballot.objects.passed().exists()

    entries = PlanningEntry.objects.count()
    demo.build(random.Random(1), lambda message: None)
    assert PlanningEntry.objects.count() == entries

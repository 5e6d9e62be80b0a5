import random
from datetime import date

import pytest

from cadres.choices import UnitKind
from party import demo
from party.coverage import coverage_by_commune
from party.models import AdmissionCandidate, AdmissionTarget, CellMembershipReport, PartyCell
from tests.factories import CadreFactory, UnitFactory
from tests.party.factories import VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, code="188")
    for number in range(6):
        commune = UnitFactory(parent=district)
        for _ in range(8):
            VillageFactory(parent=commune)
        CadreFactory.create_batch(4, unit=commune)  # not party members: candidates
        for school in ("Trường Tiểu học", "Trường THCS"):
            UnitFactory(name=f"{school} {number}", kind=UnitKind.SCHOOL, parent=commune)
    return district


def counts(rng_seed: int):
    demo.build(random.Random(rng_seed), lambda message: None)
    return sorted(PartyCell.objects.values_list("name", "founded_on"))


def test_demo_cells_show_every_situation_and_the_progress_of_2024(district):
    demo.build(random.Random(2022), lambda message: None)
    total = coverage_by_commune(date(2024, 12, 31), since=date(2023, 12, 31))[-1]
    assert total.total == 6 * 10
    assert total.counts["own"] > total.counts["combined"] > 0
    assert total.counts["none"] > 0
    assert total.change("none") < 0  # cells founded in 2024
    assert CellMembershipReport.objects.filter(reported_on=date(2023, 12, 31)).exists()
    assert CellMembershipReport.objects.filter(reported_on=date(2024, 12, 31)).exists()


def test_demo_is_deterministic_and_safe_to_run_twice(district):
    first = counts(7)
    demo.build(random.Random(7), lambda message: None)
    assert sorted(PartyCell.objects.values_list("name", "founded_on")) == first
    candidates = AdmissionCandidate.objects.count()
    assert candidates > 0
    AdmissionCandidate.objects.all().delete()
    AdmissionTarget.objects.all().delete()
    PartyCell.objects.all().delete()
    assert counts(7) == first
    assert AdmissionCandidate.objects.count() == candidates

import pytest

from cadres.choices import Gender
from planning.filters import PlanningEntryFilterSet
from planning.models import PlanningEntry
from tests.factories import CadreFactory, UnitFactory
from tests.planning.factories import PlanningEntryFactory

pytestmark = pytest.mark.django_db


def test_the_planning_filterset_narrows_by_unit_subtree_and_gender():
    district = UnitFactory(name="Huyện Nhỏ", kind="district")
    commune = UnitFactory(parent=district)
    woman = PlanningEntryFactory(
        unit=commune, cadre=CadreFactory(unit=commune, gender=Gender.FEMALE)
    )
    PlanningEntryFactory(unit=commune)
    PlanningEntryFactory()  # another district
    found = PlanningEntryFilterSet(
        {"unit": district.pk, "gender": Gender.FEMALE}, queryset=PlanningEntry.objects.all()
    ).qs
    assert list(found) == [woman]

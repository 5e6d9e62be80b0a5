from datetime import date

import pytest

from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import DispatchFactory, programme
from training.models import Dispatch

pytestmark = pytest.mark.django_db


def test_totals_by_programme_and_unit_level():
    district_agency = UnitFactory(name="Ban Tổ chức Huyện ủy", kind="agency")
    commune = UnitFactory()
    DispatchFactory(cadre=CadreFactory(unit=district_agency), programme=programme("DAI_HOC"))
    DispatchFactory(cadre=CadreFactory(unit=commune))
    DispatchFactory(cadre=CadreFactory(unit=commune))
    DispatchFactory(cadre=CadreFactory(unit=commune), start_date=date(2022, 9, 1))
    this_year = Dispatch.objects.started_in(2023)
    assert this_year.by_unit_level() == {"district": 1, "commune": 2}
    assert [(r["programme__code"], r["count"]) for r in this_year.by_programme()] == [
        ("DAI_HOC", 1),
        ("TRUNG_CAP_LLCT", 2),
    ]
    assert this_year.by_programme()[0]["programme__grants_level__label"] == "Đại học"

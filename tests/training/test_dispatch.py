from datetime import date

import pytest

from cadres.models import Cadre, WorkHistory
from tests.factories import AppointmentFactory, CadreFactory, UnitFactory
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


def test_totals_by_unit_level_count_the_unit_held_on_the_decision_date_not_the_current_one():
    district_agency = UnitFactory(name="Ban Tổ chức Huyện ủy", kind="agency")
    commune = UnitFactory()
    # Moved from the district to a commune when the district level ended, 1 July 2025.
    moved = CadreFactory(unit=commune)
    AppointmentFactory(
        cadre=moved, unit=district_agency, start_date=date(2020, 1, 1), end_date=date(2025, 6, 30)
    )
    AppointmentFactory(cadre=moved, unit=commune, start_date=date(2025, 7, 1))
    DispatchFactory(cadre=moved)  # decided 15/08/2023
    DispatchFactory(cadre=moved, decision_number="9-QĐ/ĐU", decision_date=date(2025, 8, 1),
                    start_date=date(2025, 9, 1), end_date=date(2026, 5, 1))  # fmt: skip
    assert Dispatch.objects.started_in(2023).by_unit_level() == {"district": 1}
    assert Dispatch.objects.started_in(2025).by_unit_level() == {"commune": 1}


def test_without_an_appointment_the_unit_on_the_decision_date_comes_from_the_work_history():
    old_commune = UnitFactory(name="Xã Hữu Khánh", valid_to=date(2025, 6, 30))
    new_commune = UnitFactory(name="Xã Khánh Xuân", valid_from=date(2025, 7, 1))
    cadre = CadreFactory(unit=new_commune)
    WorkHistory.objects.create(
        cadre=cadre,
        position_title="Công chức Văn phòng – thống kê",
        organisation="Xã Hữu Khánh, huyện Lộc Bình",
        start_date=date(2018, 3, 1),
        end_date=date(2025, 6, 30),
    )
    assert DispatchFactory(cadre=cadre).unit == old_commune
    assert Cadre.objects.filter(pk=cadre.pk).units_on(date(2025, 8, 1)) == {
        cadre.pk: new_commune.pk
    }

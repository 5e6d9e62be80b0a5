from datetime import date

import pytest

from cadres.models import Qualification
from tests.factories import CadreFactory, QualificationFactory, UnitFactory, level
from tests.training.factories import DispatchFactory, NeedFactory, programme
from training.choices import DispatchStatus, NeedClosure, NeedStatus
from training.models import Dispatch

pytestmark = pytest.mark.django_db


def graduate(dispatch: Dispatch, on: date = date(2024, 5, 1)) -> None:
    dispatch.status, dispatch.graduated_on = DispatchStatus.GRADUATED, on
    dispatch.save()


def test_graduation_records_the_qualification_and_updates_the_current_level(cadre):
    QualificationFactory(cadre=cadre, level=level("LLCT_SO_CAP"))
    dispatch = DispatchFactory(cadre=cadre, certificate="TC-2024-0815")
    graduate(dispatch)
    qualification = dispatch.record_qualification()
    cadre.refresh_from_db()
    assert cadre.political_theory_level.code == "LLCT_TRUNG_CAP"
    assert (qualification.year_obtained, qualification.certificate) == (2024, "TC-2024-0815")
    assert qualification.institution == "Trường Chính trị Hoàng Văn Thụ"
    assert Dispatch.objects.get(pk=dispatch.pk).qualification == qualification


def test_recording_twice_writes_one_qualification(cadre):
    dispatch = DispatchFactory(cadre=cadre)
    graduate(dispatch)
    first = dispatch.record_qualification()
    again = Dispatch.objects.get(pk=dispatch.pk).record_qualification()
    assert first == again
    assert Qualification.objects.filter(cadre=cadre).count() == 1


@pytest.mark.parametrize(
    "status", [DispatchStatus.STUDYING, DispatchStatus.FAILED, DispatchStatus.WITHDRAWN]
)
def test_no_qualification_unless_graduated(cadre, status):
    dispatch = DispatchFactory(cadre=cadre, status=status)
    assert dispatch.record_qualification() is None
    assert not Qualification.objects.filter(cadre=cadre).exists()


def test_course_without_a_level_records_nothing(cadre):
    dispatch = DispatchFactory(cadre=cadre, programme=programme("BD_CAP_UY"))
    graduate(dispatch)
    assert dispatch.record_qualification() is None


def test_graduation_closes_the_need_it_answered(cadre):
    need = NeedFactory(cadre=cadre)
    other = NeedFactory(cadre=cadre, programme=programme("QLNN_CV"))
    dispatch = DispatchFactory(cadre=cadre, need=need)
    graduate(dispatch)
    dispatch.record_qualification()
    need.refresh_from_db()
    other.refresh_from_db()
    assert (need.status, need.closure, need.closed_on) == (
        NeedStatus.CLOSED,
        NeedClosure.TRAINED,
        date(2024, 5, 1),
    )
    assert other.status == NeedStatus.OPEN


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

from datetime import date

import pytest

from cadres.models import Qualification
from tests.factories import CadreFactory, QualificationFactory, level
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    NeedFactory,
    TraineeFactory,
    programme,
)
from training.choices import AttendanceResult, CourseTopic, DispatchStatus, NeedClosure, NeedStatus
from training.models import Attendance, Dispatch
from training.services import (
    follow_attendances,
    graduations_of_course,
    record_attendance_graduation,
    record_dispatch_graduation,
)

pytestmark = pytest.mark.django_db


def graduate(dispatch: Dispatch, on: date = date(2024, 5, 1)) -> None:
    dispatch.status, dispatch.graduated_on = DispatchStatus.GRADUATED, on
    dispatch.save()


def test_graduation_records_the_qualification_and_updates_the_current_level(cadre):
    QualificationFactory(cadre=cadre, level=level("LLCT_SO_CAP"))
    dispatch = DispatchFactory(cadre=cadre, certificate="TC-2024-0815")
    graduate(dispatch)
    qualification = record_dispatch_graduation(dispatch)
    cadre.refresh_from_db()
    assert cadre.political_theory_level.code == "LLCT_TRUNG_CAP"
    assert (qualification.year_obtained, qualification.certificate) == (2024, "TC-2024-0815")
    assert qualification.institution == "Trường Chính trị Hoàng Văn Thụ"
    assert Dispatch.objects.get(pk=dispatch.pk).qualification == qualification


def test_recording_twice_writes_one_qualification(cadre):
    dispatch = DispatchFactory(cadre=cadre)
    graduate(dispatch)
    first = record_dispatch_graduation(dispatch)
    again = record_dispatch_graduation(Dispatch.objects.get(pk=dispatch.pk))
    assert first == again
    assert Qualification.objects.filter(cadre=cadre).count() == 1


@pytest.mark.parametrize(
    "status", [DispatchStatus.STUDYING, DispatchStatus.FAILED, DispatchStatus.WITHDRAWN]
)
def test_no_qualification_unless_graduated(cadre, status):
    dispatch = DispatchFactory(cadre=cadre, status=status)
    assert record_dispatch_graduation(dispatch) is None
    assert not Qualification.objects.filter(cadre=cadre).exists()


def test_course_without_a_level_records_nothing(cadre):
    dispatch = DispatchFactory(cadre=cadre, programme=programme("BD_CAP_UY"))
    graduate(dispatch)
    assert record_dispatch_graduation(dispatch) is None


def test_graduation_closes_the_need_it_answered(cadre):
    need = NeedFactory(cadre=cadre)
    other = NeedFactory(cadre=cadre, programme=programme("QLNN_CV"))
    dispatch = DispatchFactory(cadre=cadre, need=need)
    graduate(dispatch)
    record_dispatch_graduation(dispatch)
    need.refresh_from_db()
    other.refresh_from_db()
    assert (need.status, need.closure, need.closed_on) == (
        NeedStatus.CLOSED,
        NeedClosure.TRAINED,
        date(2024, 5, 1),
    )
    assert other.status == NeedStatus.OPEN


@pytest.mark.parametrize(
    ("code", "level_code", "field"),
    [
        ("TIEN_SI", "CM_TIEN_SI", "professional_level"),
        ("THAC_SI", "CM_THAC_SI", "professional_level"),
        ("QS_TRUNG_CAP", "CM_TRUNG_CAP", "professional_level"),
        ("CAO_CAP_LLCT", "LLCT_CAO_CAP", "political_theory_level"),
        ("QLNN_CVC", "QLNN_CHUYEN_VIEN_CHINH", "state_management_level"),
    ],
)
def test_every_graduation_up_to_postgraduate_records_the_level(code, level_code, field):
    cadre = CadreFactory()
    dispatch = DispatchFactory(
        cadre=cadre, programme=programme(code), status=DispatchStatus.GRADUATED
    )
    dispatch.graduated_on = date(2024, 5, 1)
    qualification = record_dispatch_graduation(dispatch)
    cadre.refresh_from_db()
    assert qualification.level.code == level_code
    assert getattr(cadre, field).code == level_code


def elementary_class(**kwargs):
    return CourseFactory(
        name="Lớp sơ cấp lý luận chính trị khóa 12",
        topic=CourseTopic.ELEMENTARY_THEORY,
        start_date=date(2024, 3, 4),
        end_date=date(2024, 5, 10),
        **kwargs,
    )


def test_a_passed_elementary_theory_class_records_the_qualification_and_the_level(cadre):
    course = elementary_class()  # the file names the topic only, not the programme
    attendance = AttendanceFactory(course=course, cadre=cadre, certificate="SC-2024-17")
    qualification = record_attendance_graduation(attendance)
    cadre.refresh_from_db()
    assert course.programme.code == "SO_CAP_LLCT"
    assert (qualification.level.code, qualification.year_obtained) == ("LLCT_SO_CAP", 2024)
    assert qualification.certificate == "SC-2024-17"
    assert cadre.political_theory_level.code == "LLCT_SO_CAP"
    assert record_attendance_graduation(Attendance.objects.get(pk=attendance.pk)) == qualification
    assert Qualification.objects.filter(cadre=cadre).count() == 1


@pytest.mark.parametrize("result", [AttendanceResult.FAILED, AttendanceResult.ABSENT])
def test_a_failed_or_absent_attendance_records_nothing(cadre, result):
    attendance = AttendanceFactory(course=elementary_class(), cadre=cadre, result=result)
    assert record_attendance_graduation(attendance) is None
    assert not Qualification.objects.filter(cadre=cadre).exists()


def test_a_refresher_class_grants_no_level(cadre):
    attendance = AttendanceFactory(course=CourseFactory(), cadre=cadre)
    assert record_attendance_graduation(attendance) is None


def test_a_class_records_every_cadre_who_passed_and_not_the_trainees_off_the_register(cadre):
    course = elementary_class()
    AttendanceFactory(course=course, cadre=cadre)
    AttendanceFactory(course=course, cadre=CadreFactory(), result=AttendanceResult.FAILED)
    AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory())
    assert graduations_of_course(course.pk) == 1
    assert graduations_of_course(course.pk) == 0


def test_an_attendance_removed_or_failed_takes_its_qualification_away(cadre):
    course = elementary_class()
    attendance = AttendanceFactory(course=course, cadre=cadre)
    follow_attendances([attendance])
    attendance.refresh_from_db()
    assert attendance.qualification is not None
    Attendance.objects.filter(pk=attendance.pk).update(result=AttendanceResult.FAILED)
    follow_attendances([attendance])
    cadre.refresh_from_db()
    assert cadre.political_theory_level is None
    assert not Qualification.objects.filter(cadre=cadre).exists()


def test_a_passed_class_closes_the_need_for_its_programme(cadre):
    need = NeedFactory(cadre=cadre, programme=programme("SO_CAP_LLCT"))
    record_attendance_graduation(AttendanceFactory(course=elementary_class(), cadre=cadre))
    need.refresh_from_db()
    assert (need.status, need.closure) == (NeedStatus.CLOSED, NeedClosure.TRAINED)

from datetime import date

import pytest
from django.db import IntegrityError

from tests.training.factories import AttendanceFactory, CourseFactory, TraineeFactory
from training.models import Attendance, Course

pytestmark = pytest.mark.django_db


def test_one_person_in_two_classes_is_two_attendances_and_one_person(cadre):
    first, second = CourseFactory(), CourseFactory()
    AttendanceFactory(course=first, cadre=cadre)
    AttendanceFactory(course=second, cadre=cadre)
    assert Attendance.objects.totals() == {"attendances": 2, "people": 1, "courses": 2}


def test_attendees_off_the_register_count_as_people_too(cadre):
    course = CourseFactory()
    AttendanceFactory(course=course, cadre=cadre)
    AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory())
    trainee = TraineeFactory()
    AttendanceFactory(course=course, cadre=None, trainee=trainee)
    AttendanceFactory(course=CourseFactory(), cadre=None, trainee=trainee)
    assert Attendance.objects.totals() == {"attendances": 4, "people": 3, "courses": 2}


def test_linking_a_trainee_to_a_cadre_keeps_the_attendances_and_counts_one_person(cadre):
    trainee = TraineeFactory(full_name=cadre.full_name)
    AttendanceFactory(course=CourseFactory(), cadre=None, trainee=trainee)
    AttendanceFactory(course=CourseFactory(), cadre=None, trainee=trainee)
    AttendanceFactory(course=CourseFactory(), cadre=cadre)
    assert Attendance.objects.totals()["people"] == 2
    trainee.link_to(cadre)
    assert Attendance.objects.filter(cadre=cadre).count() == 3
    assert Attendance.objects.filter(trainee=trainee).count() == 2
    assert Attendance.objects.totals() == {"attendances": 3, "people": 1, "courses": 3}


def test_linking_merges_a_class_entered_both_by_name_and_as_the_cadre(cadre):
    course = CourseFactory()
    trainee = TraineeFactory()
    AttendanceFactory(course=course, cadre=None, trainee=trainee)
    AttendanceFactory(course=course, cadre=cadre)
    trainee.link_to(cadre)
    assert Attendance.objects.totals() == {"attendances": 1, "people": 1, "courses": 1}


def test_an_attendance_must_name_someone():
    with pytest.raises(IntegrityError):
        AttendanceFactory(cadre=None, trainee=None)


def test_a_cadre_is_listed_once_per_class(cadre):
    course = CourseFactory()
    AttendanceFactory(course=course, cadre=cadre)
    with pytest.raises(IntegrityError):
        AttendanceFactory(course=course, cadre=cadre)


def test_courses_of_a_year():
    CourseFactory(start_date=date(2023, 5, 1), end_date=date(2023, 5, 3))
    CourseFactory()
    assert Course.objects.in_year(2024).count() == 1

"""The centre classes and payments reports count a person (a cadre, or a trainee not on the
register) in the chosen unit, or in the units the user may see, through every path a record
names its person: the attendance's cadre or trainee; for payments the dispatch's cadre, the
attendance's cadre or trainee, and the attraction cadre. A trainee linked to a cadre counts
once, as the cadre."""

from datetime import date

import pytest

from cadres.choices import UnitKind
from cadres.models import Role, StaffAssignment
from core import reports
from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    PaymentFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
TODAY = date(2024, 12, 31)


@pytest.fixture
def town():
    """Two communes of a province; commune A has a village under it. Attendances and payments
    of both, and a trainee with no unit."""
    province = UnitFactory(name="Tỉnh", kind=UnitKind.PROVINCE)
    a = UnitFactory(name="Xã A", parent=province)
    village = UnitFactory(name="Thôn A1", parent=a)
    b = UnitFactory(name="Xã B", parent=province)
    course = CourseFactory()
    cadre_a, cadre_b = CadreFactory(unit=village), CadreFactory(unit=b)
    trainee_a, trainee_b = TraineeFactory(unit=village), TraineeFactory(unit=b)
    # Entered as a trainee of commune A, now on the register in commune B: every attendance
    # names both, so the person is seen from either commune and counted once.
    linked = TraineeFactory(unit=a)
    linked_cadre = CadreFactory(unit=b)
    attendances = {
        "cadre_a": AttendanceFactory(course=course, cadre=cadre_a),
        "cadre_b": AttendanceFactory(course=course, cadre=cadre_b),
        "trainee_a": AttendanceFactory(course=course, cadre=None, trainee=trainee_a),
        "trainee_b": AttendanceFactory(course=course, cadre=None, trainee=trainee_b),
    }
    linked_attendance = AttendanceFactory(course=course, cadre=None, trainee=linked)
    linked.link_to(linked_cadre)
    attendances["linked"] = linked_attendance
    attendances["nowhere"] = AttendanceFactory(
        course=course, cadre=None, trainee=TraineeFactory(unit=None)
    )
    for attendance in attendances.values():
        PaymentFactory(dispatch=None, attendance=attendance, amount=1_000)
    PaymentFactory(dispatch=DispatchFactory(cadre=cadre_a), amount=100_000)
    PaymentFactory(dispatch=DispatchFactory(cadre=cadre_b), amount=200_000)
    PaymentFactory(dispatch=None, cadre=cadre_a, amount=10_000_000)
    return {"province": province, "a": a, "b": b, "village": village}


def classes(data: dict, user=None) -> dict:
    result = reports.get("lop-boi-duong").run(PERIOD | data, today=TODAY, user=user)
    (row,) = result.rows
    return {key: row[key].value for key in ("classes", "attendances", "people")}


def money(data: dict, user=None) -> int:
    result = reports.get("kinh-phi-dao-tao").run(PERIOD | data, today=TODAY, user=user)
    return sum(row["amount"].value for row in result.rows)


def test_the_unit_filter_counts_cadres_and_trainees_under_the_unit_and_the_linked_trainee(town):
    assert classes({"unit": town["a"].pk}) == {"classes": 1, "attendances": 3, "people": 3}
    assert classes({"unit": town["b"].pk}) == {"classes": 1, "attendances": 3, "people": 3}
    assert classes({"unit": town["village"].pk}) == {"classes": 1, "attendances": 2, "people": 2}
    assert classes({}) == {"classes": 1, "attendances": 6, "people": 6}


def test_the_unit_filter_finds_payments_through_each_of_the_four_paths(town):
    assert money({"unit": town["a"].pk}) == 10_000_000 + 100_000 + 3 * 1_000
    assert money({"unit": town["b"].pk}) == 200_000 + 3 * 1_000
    assert money({"unit": town["village"].pk}) == 10_000_000 + 100_000 + 2 * 1_000


def test_a_commune_officer_s_reports_count_the_people_of_their_commune(town, django_user_model):
    officer = django_user_model.objects.create_user("officer_a")
    StaffAssignment.objects.create(user=officer, role=Role.COMMUNE, unit=town["a"])
    assert classes({}, officer) == {"classes": 1, "attendances": 3, "people": 3}
    assert money({}, officer) == 10_000_000 + 100_000 + 3 * 1_000
    # Both the scope and the unit filter apply; a unit outside the scope is refused with no
    # rows (the page says why: tests/security/test_unit_filters.py), never counted as the
    # officer's own people.
    assert classes({"unit": town["village"].pk}, officer)["attendances"] == 2
    assert money({"unit": town["b"].pk}, officer) == 0


def test_the_whole_province_chosen_leaves_out_only_trainees_without_a_unit(town):
    province = {"unit": town["province"].pk}
    assert classes(province) == {"classes": 1, "attendances": 5, "people": 5}
    assert money(province) == 10_000_000 + 300_000 + 5 * 1_000

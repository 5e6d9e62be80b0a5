"""Planning and training records follow their unit: a commune officer sees only their own
communes' planning entries, dispatches and class attendances, through every admin entry point;
and their changes land on the history page like the cadres'."""

import json

import pytest
from django.urls import reverse

from core.audit import acting_as
from planning.models import PlanningEntry
from tests.planning.factories import PlanningEntryFactory, RotationFactory
from tests.training.factories import AttendanceFactory, DispatchFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(people, commune_a, commune_b, old_commune):
    """In each commune: a planning entry, a dispatch, a rotation, a cadre's class attendance and
    an attendance of a trainee who has no cadre record (scoped by the trainee's unit)."""
    cadre_a, cadre_old, cadre_b = people
    made = {}
    for key, cadre, unit in (("a", cadre_a, commune_a), ("old", cadre_old, old_commune)):
        made[key] = {
            "entry": PlanningEntryFactory(cadre=cadre, unit=unit),
            "dispatch": DispatchFactory(cadre=cadre),
            "attendance": AttendanceFactory(cadre=cadre),
        }
    made["b"] = {
        "entry": PlanningEntryFactory(cadre=cadre_b, unit=commune_b),
        "dispatch": DispatchFactory(cadre=cadre_b),
        "attendance": AttendanceFactory(cadre=cadre_b),
        "rotation": RotationFactory(cadre=cadre_b),
        "trainee_attendance": AttendanceFactory(
            cadre=None, trainee=TraineeFactory(full_name="Vi Văn Học", unit=commune_b)
        ),
    }
    made["a"]["trainee_attendance"] = AttendanceFactory(
        cadre=None, trainee=TraineeFactory(full_name="Hà Thị Lớp", unit=commune_a)
    )
    made["a"]["rotation"] = RotationFactory(cadre=cadre_a)
    return made


CHANGELISTS = {
    "entry": "admin:planning_planningentry",
    "dispatch": "admin:training_dispatch",
    "attendance": "admin:training_attendance",
    "trainee_attendance": "admin:training_attendance",
    "rotation": "admin:planning_rotation",
}


def listed(client, name: str) -> set[int]:
    response = client.get(reverse(f"{name}_changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


@pytest.mark.parametrize("kind", ["entry", "dispatch", "attendance", "rotation"])
def test_a_commune_officer_lists_only_their_communes_planning_and_training_rows(
    client, officer_a, records, kind, django_assert_max_num_queries
):
    client.force_login(officer_a)
    with django_assert_max_num_queries(25):
        pks = listed(client, CHANGELISTS[kind])
    expected = {records["a"][kind].pk, records["old"][kind].pk} if kind != "rotation" else set()
    if kind == "rotation":
        expected = {records["a"]["rotation"].pk}
    if kind == "attendance":
        expected.add(records["a"]["trainee_attendance"].pk)
    assert pks == expected
    assert records["b"][kind].pk not in pks


def test_district_staff_list_every_communes_attendances(client, district_officer, records):
    client.force_login(district_officer)
    pks = listed(client, CHANGELISTS["attendance"])
    assert records["b"]["attendance"].pk in pks
    assert records["b"]["trainee_attendance"].pk in pks


@pytest.mark.parametrize("kind", ["entry", "dispatch", "attendance", "trainee_attendance"])
def test_another_communes_record_url_is_not_found(client, officer_a, records, kind):
    client.force_login(officer_a)
    name = CHANGELISTS[kind]
    own = records["a"][kind]
    other = records["b"][kind]
    assert client.get(reverse(f"{name}_change", args=[own.pk])).status_code == 200
    for view in ("change", "history"):
        response = client.get(reverse(f"{name}_{view}", args=[other.pk]))
        assert response.status_code in (302, 404)
        if response.status_code == 302:  # the admin's "does not exist" redirect to the index
            assert response.url == reverse("admin:index")


def autocomplete(client, app_label: str, model_name: str, field_name: str) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {item["text"] for item in json.loads(response.content)["results"]}


def test_dispatch_autocomplete_does_not_leak_another_communes_cadres(client, officer_a, records):
    client.force_login(officer_a)
    texts = autocomplete(client, "training", "supportpayment", "dispatch")
    assert texts and all("Hoàng Thị Bình" not in text for text in texts)
    assert any("Nông Văn An" in text for text in texts)


def test_cadre_autocomplete_of_a_planning_entry_offers_only_their_cadres(
    client, officer_a, records
):
    client.force_login(officer_a)
    texts = autocomplete(client, "planning", "planningentry", "cadre")
    assert any("Nông Văn An" in text for text in texts)
    assert all("Hoàng Thị Bình" not in text for text in texts)


def test_trainee_autocomplete_offers_only_their_communes_trainees(client, officer_a, records):
    client.force_login(officer_a)
    texts = autocomplete(client, "training", "attendance", "trainee")
    assert any("Hà Thị Lớp" in text for text in texts)
    assert all("Vi Văn Học" not in text for text in texts)


def test_a_planning_entry_change_is_on_its_history_page(client, district_officer, records):
    entry = records["b"]["entry"]
    with acting_as(district_officer):
        entry.removal_note = "Chuyển công tác ngoài huyện"
        entry.save()
    assert PlanningEntry.history.filter(id=entry.pk).latest().history_user == district_officer
    client.force_login(district_officer)
    response = client.get(reverse("admin:planning_planningentry_history", args=[entry.pk]))
    assert response.status_code == 200
    assert "chuyen_vien" in response.content.decode()


def test_commune_staff_may_look_at_but_not_change_decisions_and_dispatches(
    officer_a, board_administrator
):
    assert officer_a.has_perm("planning.view_planningentry")
    assert officer_a.has_perm("training.view_attendance")
    assert not officer_a.has_perm("planning.change_planningdecision")
    assert not officer_a.has_perm("training.change_dispatch")
    assert not officer_a.has_perm("planning.view_historicalplanningentry")
    assert board_administrator.has_perm("training.change_programme")

"""Commune staff propose and keep planning entries, training needs, trainees and class
attendances of their own commune, through every admin entry point; decisions, dispatches,
rules, programmes, policies and institutions stay read-only for them."""

from datetime import date

import pytest
from django.urls import reverse

from planning.models import PlanningEntry
from tests.factories import AppointmentFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.security.conftest import change_form_data
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    NeedFactory,
    TraineeFactory,
)
from training.models import Attendance, Trainee, TrainingNeed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "permission",
    [
        "planning.add_planningentry",
        "planning.change_planningentry",
        "training.add_trainingneed",
        "training.change_trainingneed",
        "training.add_trainee",
        "training.change_trainee",
        "training.add_attendance",
        "training.change_attendance",
        "training.view_course",
    ],
)
def test_commune_staff_may(officer_a, permission):
    assert officer_a.has_perm(permission)


@pytest.mark.parametrize(
    "permission",
    [
        "planning.delete_planningentry",
        "planning.import_planningentry",
        "training.delete_trainingneed",
        "training.delete_attendance",
        "planning.change_planningdecision",
        "planning.change_ruleset",
        "training.add_dispatch",
        "training.change_dispatch",
        "training.change_programme",
        "training.change_supportpolicy",
        "training.change_institution",
        "training.change_course",
        "training.change_plancandidate",
    ],
)
def test_commune_staff_may_not(officer_a, permission):
    assert not officer_a.has_perm(permission)


@pytest.fixture
def decision(district):
    """A district-wide decision (no unit): every commune attaches its entries to it."""
    return PlanningDecisionFactory()


@pytest.fixture
def entries(people, commune_a, commune_b, decision):
    cadre_a, _, cadre_b = people
    for cadre in (cadre_a, cadre_b):  # a current post on record, for the higher-position rule
        AppointmentFactory(cadre=cadre, position__rank=1)
    return (
        PlanningEntryFactory(cadre=cadre_a, unit=commune_a, added_by=decision),
        PlanningEntryFactory(cadre=cadre_b, unit=commune_b, added_by=decision),
    )


def test_a_commune_officer_changes_their_own_planning_entry(client, officer_a, entries):
    own, _ = entries
    client.force_login(officer_a)
    url = reverse("admin:planning_planningentry_change", args=[own.pk])
    data = change_form_data(client, url)
    data["political_standard_on"] = "01/06/2024"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.political_standard_on == date(2024, 6, 1)


def test_a_commune_officer_cannot_move_their_entry_to_another_communes_cadre_or_unit(
    client, officer_a, entries, cadre_b, commune_b
):
    own, _ = entries
    client.force_login(officer_a)
    url = reverse("admin:planning_planningentry_change", args=[own.pk])
    for field, value in (("cadre", cadre_b.pk), ("unit", commune_b.pk)):
        data = {**change_form_data(client, url), field: value}
        response = client.post(url, data)
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    own.refresh_from_db()
    assert own.cadre.unit_id != commune_b.pk and own.unit_id != commune_b.pk


def test_a_commune_officer_cannot_post_to_another_communes_entry(client, officer_a, entries):
    _, other = entries
    client.force_login(officer_a)
    url = reverse("admin:planning_planningentry_change", args=[other.pk])
    response = client.post(url, {"political_standard_on": "01/06/2024"})
    assert response.status_code in (302, 404)
    other.refresh_from_db()
    assert other.political_standard_on is None


def test_a_commune_officer_sees_the_district_decision_with_only_their_own_people(
    client, officer_a, entries, decision
):
    own, other = entries
    client.force_login(officer_a)
    response = client.get(reverse("admin:planning_planningdecision_change", args=[decision.pk]))
    assert response.status_code == 200
    shown = {
        form.instance.pk
        for inline in response.context["inline_admin_formsets"]
        for form in inline.formset.forms
    }
    assert shown == {own.pk}


def test_a_commune_officer_cannot_attach_an_entry_to_another_communes_decision(
    client, officer_a, entries, commune_b
):
    own, _ = entries
    theirs = PlanningDecisionFactory(unit=commune_b, term=own.term)
    client.force_login(officer_a)
    url = reverse("admin:planning_planningentry_change", args=[own.pk])
    response = client.post(url, {**change_form_data(client, url), "added_by": theirs.pk})
    assert response.status_code == 200
    assert "added_by" in response.context["adminform"].form.errors


def need_data(cadre) -> dict:
    return {
        "cadre": cadre.pk,
        "reason": "Xã đề xuất cử đi học trung cấp lý luận chính trị.",
        "source": "agency_proposal",
        "priority": 2,
        "classification": "term",
        "status": "open",
    }


def test_a_commune_officer_proposes_a_training_need_for_their_cadre(client, officer_a, cadre_a):
    client.force_login(officer_a)
    response = client.post(reverse("admin:training_trainingneed_add"), need_data(cadre_a))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert TrainingNeed.objects.get().cadre == cadre_a


def test_a_commune_officer_cannot_propose_a_need_for_another_communes_cadre(
    client, officer_a, cadre_b
):
    client.force_login(officer_a)
    response = client.post(reverse("admin:training_trainingneed_add"), need_data(cadre_b))
    assert response.status_code == 200
    assert "cadre" in response.context["adminform"].form.errors
    assert not TrainingNeed.objects.exists()


def test_training_needs_list_and_pages_follow_the_commune(client, officer_a, cadre_a, cadre_b):
    own, other = NeedFactory(cadre=cadre_a), NeedFactory(cadre=cadre_b)
    client.force_login(officer_a)
    response = client.get(reverse("admin:training_trainingneed_changelist"))
    assert {need.pk for need in response.context["cl"].result_list} == {own.pk}
    page = "admin:training_trainingneed_change"
    assert client.get(reverse(page, args=[own.pk])).status_code == 200
    assert client.get(reverse(page, args=[other.pk])).status_code in (302, 404)


def test_a_commune_officer_records_a_party_admission_candidate_and_their_class(
    client, officer_a, commune_a
):
    course = CourseFactory()
    client.force_login(officer_a)
    response = client.post(
        reverse("admin:training_trainee_add"),
        {"full_name": "Hoàng Văn Cảm", "birth_date": "02/03/2001", "unit": commune_a.pk},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    trainee = Trainee.objects.get(full_name="Hoàng Văn Cảm")
    response = client.post(
        reverse("admin:training_attendance_add"),
        {"course": course.pk, "trainee": trainee.pk, "result": "passed"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Attendance.objects.get().trainee == trainee


@pytest.mark.parametrize("unit", ["commune_b", None])
def test_a_commune_officer_cannot_record_a_trainee_outside_their_commune(
    client, officer_a, commune_b, unit
):
    client.force_login(officer_a)
    data = {"full_name": "Lăng Văn Ngoài", "birth_date": "02/03/2001"}
    if unit:
        data["unit"] = commune_b.pk
    response = client.post(reverse("admin:training_trainee_add"), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not Trainee.objects.exists()


def test_a_commune_officer_cannot_enter_another_communes_trainee_in_a_class(
    client, officer_a, commune_b
):
    course = CourseFactory()
    theirs = TraineeFactory(unit=commune_b)
    client.force_login(officer_a)
    response = client.post(
        reverse("admin:training_attendance_add"),
        {"course": course.pk, "trainee": theirs.pk, "result": "passed"},
    )
    assert response.status_code == 200
    assert "trainee" in response.context["adminform"].form.errors


def test_the_class_page_shows_a_commune_officer_only_their_own_attendances(
    client, officer_a, cadre_a, cadre_b
):
    course = CourseFactory()
    own = AttendanceFactory(course=course, cadre=cadre_a)
    AttendanceFactory(course=course, cadre=cadre_b)
    client.force_login(officer_a)
    response = client.get(reverse("admin:training_course_change", args=[course.pk]))
    assert response.status_code == 200
    (inline,) = response.context["inline_admin_formsets"]
    assert [form.instance.pk for form in inline.formset.forms if form.instance.pk] == [own.pk]


def test_planning_decision_actions_are_not_offered_to_commune_staff(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("admin:planning_planningdecision_changelist"))
    form = response.context["action_form"]
    actions = [name for name, _ in form.fields["action"].choices] if form else []
    assert "confirm" not in actions and "discard" not in actions


def test_a_district_officer_still_picks_any_communes_decision(
    client, district_officer, entries, commune_b
):
    own, _ = entries
    theirs = PlanningDecisionFactory(unit=commune_b, term=own.term)
    client.force_login(district_officer)
    url = reverse("admin:planning_planningentry_change", args=[own.pk])
    response = client.post(url, {**change_form_data(client, url), "added_by": theirs.pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PlanningEntry.objects.get(pk=own.pk).added_by == theirs

"""Each role sees exactly its units' cadres, through every entry point of the admin."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cadres.models import Cadre, Unit
from cadres.scoping import unit_allowed
from tests.security.conftest import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")


def change_url(cadre):
    return reverse("admin:cadres_cadre_change", args=[cadre.pk])


def names(queryset) -> set[str]:
    return {cadre.full_name for cadre in queryset}


def test_a_commune_officer_sees_the_cadres_of_their_commune_and_of_the_one_merged_into_it(
    officer_a, people
):
    assert names(Cadre.objects.visible_to(officer_a)) == {"Nông Văn An", "Lương Thị Cúc"}


def test_a_commune_officer_does_not_see_the_commune_next_door(officer_b, people):
    assert names(Cadre.objects.visible_to(officer_b)) == {"Hoàng Thị Bình"}


def test_district_staff_and_the_inspector_see_the_whole_district(
    district_officer, inspector, board_administrator, people
):
    for user in (district_officer, inspector, board_administrator):
        assert Cadre.objects.visible_to(user).count() == 3


def test_a_user_without_an_assignment_sees_nothing(django_user_model, people):
    nobody = django_user_model.objects.create_user("khong_ai", is_staff=True)
    assert not Cadre.objects.visible_to(nobody).exists()
    assert not Unit.objects.visible_to(nobody).exists()


def test_a_commune_officer_sees_their_units_and_their_predecessors_only(
    officer_a, commune_a, old_commune, commune_b, district
):
    village = Unit.objects.create(name="Thôn Nà Pàn", kind="village", parent=commune_a)
    assert set(Unit.objects.visible_to(officer_a)) == {commune_a, old_commune, village}
    assert unit_allowed(officer_a, commune_a) and unit_allowed(officer_a, village.pk)
    assert not unit_allowed(officer_a, commune_b)
    assert not unit_allowed(officer_a, None)


def test_changelist_lists_only_the_officers_own_cadres(
    client, officer_a, people, django_assert_max_num_queries
):
    client.force_login(officer_a)
    # session, user, permissions, scope, the small tables of the filters, count, page, and the
    # retirement-date hierarchy: a fixed number whatever the size of the list
    with django_assert_max_num_queries(24):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert names(response.context["cl"].result_list) == {"Nông Văn An", "Lương Thị Cúc"}
    assert "Hoàng Thị Bình" not in response.content.decode()


def test_unit_list_filter_offers_only_the_officers_units(client, officer_a, people):
    client.force_login(officer_a)
    content = client.get(CHANGELIST).content.decode()
    assert "Xã Tú Đoạn" in content
    assert "Xã Na Dương" not in content


def test_guessing_another_communes_record_url_finds_nothing(client, officer_a, cadre_b):
    client.force_login(officer_a)
    for url in (
        change_url(cadre_b),
        reverse("admin:cadres_cadre_delete", args=[cadre_b.pk]),
    ):
        response = client.get(url, follow=True)
        content = response.content.decode()
        assert "Hoàng Thị Bình" not in content
        assert "không tồn tại" in content or response.status_code in (403, 404)
    history = client.get(reverse("admin:cadres_cadre_history", args=[cadre_b.pk]))
    assert history.status_code == 404
    version = cadre_b.history.first()
    one_version = client.get(
        reverse("admin:cadres_cadre_simple_history", args=[cadre_b.pk, version.pk])
    )
    assert one_version.status_code == 404


def test_posting_to_another_communes_record_changes_nothing(client, officer_a, cadre_a, cadre_b):
    client.force_login(officer_a)
    data = change_form_data(client, change_url(cadre_a))
    data["full_name"] = "Đã bị sửa"
    client.post(change_url(cadre_b), data)
    cadre_b.refresh_from_db()
    assert cadre_b.full_name == "Hoàng Thị Bình"


def autocomplete(client, model_name: str, field_name: str, term: str) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cadres", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return {item["text"] for item in json.loads(response.content)["results"]}


def test_cadre_autocomplete_does_not_leak_names_of_other_communes(client, officer_a, people):
    client.force_login(officer_a)
    assert autocomplete(client, "appointment", "cadre", "Bình") == set()
    assert any("Nông Văn An" in text for text in autocomplete(client, "appointment", "cadre", "An"))


def test_unit_autocomplete_offers_only_the_officers_units(client, officer_a, people):
    client.force_login(officer_a)
    assert autocomplete(client, "cadre", "unit", "Xã") == {"Xã Tú Đoạn", "Xã Khuất Xá"}


def test_unit_autocomplete_offers_every_unit_to_district_staff(client, district_officer, people):
    client.force_login(district_officer)
    assert "Xã Na Dương" in autocomplete(client, "cadre", "unit", "Xã")


def test_a_commune_officer_can_only_pick_their_own_units(client, officer_a, cadre_a, commune_b):
    client.force_login(officer_a)
    response = client.get(change_url(cadre_a))
    assert commune_b not in response.context["adminform"].form.fields["unit"].queryset
    data = change_form_data(client, change_url(cadre_a))
    data["unit"] = commune_b.pk
    response = client.post(change_url(cadre_a), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    cadre_a.refresh_from_db()
    assert cadre_a.unit_id != commune_b.pk


def test_inline_rows_cannot_name_another_communes_unit(client, officer_a, cadre_a, commune_b):
    from tests.factories import PositionFactory

    client.force_login(officer_a)
    position = PositionFactory()
    data = change_form_data(client, change_url(cadre_a))
    data.update(
        {
            "appointments-TOTAL_FORMS": "1",
            "appointments-0-position": position.pk,
            "appointments-0-unit": commune_b.pk,
            "appointments-0-start_date": "01/01/2024",
        }
    )
    response = client.post(change_url(cadre_a), data)
    assert response.status_code == 200
    assert not cadre_a.appointments.exists()
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "appointments"
    )
    assert "unit" in formset.forms[0].errors


def test_actions_ignore_selected_records_of_another_commune(client, officer_a, cadre_a, cadre_b):
    # Even given the right to delete, a commune officer cannot reach B's cadre through an action.
    officer_a.user_permissions.add(Permission.objects.get(codename="delete_cadre"))
    client.force_login(officer_a)
    client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [cadre_b.pk], "post": "yes"}
    )
    assert Cadre.objects.filter(pk=cadre_b.pk).exists()
    client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [cadre_a.pk], "post": "yes"}
    )
    assert not Cadre.objects.filter(pk=cadre_a.pk).exists()


# --- One declaration per model --------------------------------------------------------------

# Models that hold a unit or a cadre but are not narrowed by unit, and why.
NOT_SCOPED_BY_UNIT = {
    "cadres.StaffAssignment": "the access rules themselves: administrators only",
    "planning.Ballot": "read on its voting round's page, which is scoped",
    "training.TrainingScheme": "the district's multi-year scheme, shared by every unit",
}


def test_every_model_holding_a_unit_or_a_cadre_declares_how_it_reaches_its_unit():
    from django.apps import apps

    undeclared = []
    for model in apps.get_models():
        if model._meta.app_label not in ("cadres", "planning", "training", "party"):
            continue
        if model.__name__.startswith("Historical"):
            continue  # history rows are read through their record's scoped history page
        holds = any(
            f.is_relation and f.related_model in (Unit, Cadre) and f.name != "parent"
            for f in model._meta.concrete_fields
        )
        declared = getattr(model, "unit_path", None) is not None and hasattr(
            model.objects.all(), "visible_to"
        )
        if holds and not declared and model._meta.label not in NOT_SCOPED_BY_UNIT:
            undeclared.append(model._meta.label)
    assert undeclared == []


def test_every_scoped_admin_shows_what_its_model_visible_to_gives():
    from django.contrib import admin

    from cadres.scoping import ScopedAdminMixin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ScopedAdminMixin):
            assert getattr(model, "unit_path", None) is not None, model


def test_a_row_reaching_units_by_several_paths_is_visible_through_any_of_them(
    officer_a, commune_a, commune_b, cadre_a, cadre_b
):
    from tests.training.factories import AttendanceFactory, CourseFactory, TraineeFactory
    from training.models import Attendance

    course = CourseFactory()
    of_cadre_a = AttendanceFactory(course=course, cadre=cadre_a)
    of_trainee_a = AttendanceFactory(
        course=course, cadre=None, trainee=TraineeFactory(unit=commune_a)
    )
    AttendanceFactory(course=course, cadre=cadre_b)
    AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory(unit=commune_b))
    assert set(Attendance.objects.visible_to(officer_a)) == {of_cadre_a, of_trainee_a}
    assert Attendance.objects.ids_visible_to(officer_a) == {of_cadre_a.pk, of_trainee_a.pk}


def test_a_district_wide_decision_without_a_unit_is_visible_to_every_commune(
    officer_a, commune_a, commune_b
):
    from planning.models import PlanningDecision
    from tests.planning.factories import PlanningDecisionFactory

    shared = PlanningDecisionFactory(unit=None)
    own = PlanningDecisionFactory(unit=commune_a)
    PlanningDecisionFactory(unit=commune_b)
    assert set(PlanningDecision.objects.visible_to(officer_a)) == {shared, own}


def test_each_app_declares_its_own_role_permissions_and_cadres_names_none_of_the_others():
    from pathlib import Path

    import cadres.roles

    source = Path(cadres.roles.__file__).read_text()
    for app in ("planning", "training", "party"):
        assert f'"{app}.' not in source and f"from {app}" not in source
    assert "planning.planningentry" in cadres.roles.declared("commune_edit_models")
    assert "party.admissiontarget" in cadres.roles.declared("reference_models")

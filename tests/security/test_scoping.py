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

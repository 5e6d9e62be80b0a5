"""What each role may do, from the groups `setup_roles` computes."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from cadres.models import Role, StaffAssignment
from cadres.roles import GROUP_NAMES, setup_roles
from tests.security.conftest import change_form_data

pytestmark = pytest.mark.django_db


def test_setup_roles_creates_the_four_groups_and_can_run_twice(roles):
    call_command("setup_roles")
    assert set(Group.objects.values_list("name", flat=True)) >= set(GROUP_NAMES.values())
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == 4


def test_rerunning_setup_roles_grants_the_models_of_apps_that_landed_later(roles):
    entry, _ = ContentType.objects.get_or_create(app_label="planning", model="futureentry")
    rules, _ = ContentType.objects.get_or_create(app_label="planning", model="ruleset")
    for content_type in (entry, rules):
        for action in ("view", "add", "change", "delete"):
            Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{content_type.model}",
                defaults={"name": f"Can {action} {content_type.model}"},
            )
    setup_roles()

    def codenames(role):
        group = Group.objects.get(name=GROUP_NAMES[role])
        perms = group.permissions.filter(content_type__in=[entry, rules])
        return set(perms.values_list("codename", flat=True))

    assert codenames("specialist") == {
        "view_futureentry",
        "add_futureentry",
        "change_futureentry",
        "delete_futureentry",
        "view_ruleset",
    }
    assert codenames("administrator") >= {"add_ruleset", "change_ruleset", "delete_ruleset"}
    assert codenames("inspector") == {"view_futureentry", "view_ruleset"}
    assert codenames("commune") == set()


def test_the_board_administrator_changes_reference_data(client, board_administrator):
    client.force_login(board_administrator)
    assert client.get(reverse("admin:cadres_position_add")).status_code == 200
    assert client.get(reverse("admin:cadres_ethnicity_add")).status_code == 200


def test_a_district_specialist_keeps_records_but_not_rules_or_reference_data(
    client, district_officer
):
    client.force_login(district_officer)
    assert client.get(reverse("admin:cadres_cadre_add")).status_code == 200
    assert client.get(reverse("admin:cadres_position_add")).status_code == 403
    assert client.get(reverse("admin:cadres_unit_add")).status_code == 403
    assert client.get(reverse("admin:cadres_position_changelist")).status_code == 200


def test_the_inspector_reads_everything_and_changes_nothing(client, inspector, cadre_b):
    client.force_login(inspector)
    url = reverse("admin:cadres_cadre_change", args=[cadre_b.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"full_name": "Sửa trộm"}).status_code == 403
    assert client.get(reverse("admin:cadres_cadre_add")).status_code == 403
    cadre_b.refresh_from_db()
    assert cadre_b.full_name == "Hoàng Thị Bình"


def test_a_commune_officer_edits_their_cadre_but_cannot_delete_it(client, officer_a, cadre_a):
    client.force_login(officer_a)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    data = change_form_data(client, url)
    data["job_title"] = "Chủ tịch UBND xã"
    assert client.post(url, data).status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.job_title == "Chủ tịch UBND xã"
    delete = client.get(reverse("admin:cadres_cadre_delete", args=[cadre_a.pk]))
    assert delete.status_code == 403
    assert client.get(reverse("admin:cadres_position_add")).status_code == 403


def test_assigning_a_role_in_the_admin_puts_the_user_in_its_group(
    client, board_administrator, django_user_model, commune_a
):
    newcomer = django_user_model.objects.create_user("moi_vao")
    client.force_login(board_administrator)
    response = client.post(
        reverse("admin:cadres_staffassignment_add"),
        {"user": newcomer.pk, "role": "commune", "unit": commune_a.pk},
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == [GROUP_NAMES["commune"]]


def test_a_commune_assignment_without_a_unit_is_refused(
    client, board_administrator, django_user_model
):
    newcomer = django_user_model.objects.create_user("moi_vao")
    client.force_login(board_administrator)
    response = client.post(
        reverse("admin:cadres_staffassignment_add"), {"user": newcomer.pk, "role": "commune"}
    )
    assert response.status_code == 200
    assert "phải được gắn với một đơn vị" in response.content.decode()


def test_an_assignment_written_outside_the_admin_puts_the_user_in_its_group_and_out_again(
    roles, django_user_model, commune_a
):
    """manage.py shell, an import, a script: the groups follow the assignments on every path."""
    newcomer = django_user_model.objects.create_user("moi_vao")
    StaffAssignment.objects.create(user=newcomer, role=Role.COMMUNE, unit=commune_a)
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == [GROUP_NAMES["commune"]]

    StaffAssignment.objects.filter(user=newcomer).delete()
    assert not newcomer.groups.exists()


def test_migrate_brings_the_roles_up_to_date_without_setup_roles(db):
    """A deployment runs migrate only: the groups exist afterwards with their permissions."""
    Group.objects.filter(name__in=GROUP_NAMES.values()).delete()
    call_command("migrate", verbosity=0)
    commune = Group.objects.get(name=GROUP_NAMES["commune"])
    assert commune.permissions.filter(codename="change_cadre").exists()
    assert Group.objects.filter(name__in=GROUP_NAMES.values()).count() == 4

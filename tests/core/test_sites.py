"""The project's admin site: the app list built only where a page shows it (core.sites); list
rows' action checkboxes as Django writes them (rendered by core.renderers)."""

from unittest import mock

import pytest
from django.urls import reverse

from core.sites import AdminSite
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_list_builds():
    with mock.patch.object(
        AdminSite, "_build_app_dict", autospec=True, side_effect=AdminSite._build_app_dict
    ) as build:
        yield build


def test_the_index_builds_the_app_list_once_and_shows_it(admin_client, app_list_builds):
    page = admin_client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert app_list_builds.call_count == 1  # Django's site: twice
    assert reverse("admin:cadres_cadre_changelist") in page.content.decode()


def test_a_list_page_does_not_build_the_app_list(admin_client, app_list_builds):
    assert admin_client.get(reverse("admin:cadres_cadre_changelist")).status_code == 200
    assert app_list_builds.call_count == 0  # Django's site: once, for a sidebar not shown


def test_an_apps_page_still_lists_its_models_and_refuses_an_unknown_app(admin_client):
    page = admin_client.get(reverse("admin:app_list", args=["cadres"]))
    assert reverse("admin:cadres_unit_changelist") in page.content.decode()
    assert admin_client.get("/admin/nothing/").status_code == 404


def test_the_list_shows_a_checkbox_per_row(admin_client):
    cadres = CadreFactory.create_batch(3)
    content = admin_client.get(reverse("admin:cadres_cadre_changelist")).content.decode()
    for cadre in cadres:
        assert f'name="_selected_action" value="{cadre.pk}" class="action-select"' in content

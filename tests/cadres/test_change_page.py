"""The cadre's change page: its queries do not grow with the rows of the record's tables, and
its collapsed inlines come when opened (core.inlines)."""

from datetime import date

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import FamilyRelation, Reward, WorkHistory
from core.inlines import UnopenedInline
from tests.factories import AppointmentFactory, CadreFactory, QualificationFactory, UnitFactory
from tests.security.conftest import change_form_data

pytestmark = pytest.mark.django_db


def cadre_with(rows: int):
    cadre = CadreFactory()
    for _ in range(rows):
        QualificationFactory(cadre=cadre)
        AppointmentFactory(cadre=cadre)
        WorkHistory.objects.create(
            cadre=cadre, start_date=date(2005, 1, 1), position_title="Chuyên viên", organisation="x"
        )
    return cadre


def queries_of_change_page(client, cadre) -> int:
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    client.get(url)  # the session and the first-use caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_change_page_runs_as_many_queries_for_ten_history_rows_as_for_one(admin_client):
    one = queries_of_change_page(admin_client, cadre_with(1))
    ten = queries_of_change_page(admin_client, cadre_with(10))
    assert one == ten


def test_each_qualification_row_still_offers_every_level_named_with_its_track(admin_client):
    cadre = cadre_with(2)
    page = admin_client.get(reverse("admin:cadres_cadre_change", args=[cadre.pk]))
    forms = page.context["inline_admin_formsets"]
    qualifications = next(f for f in forms if f.opts.model._meta.model_name == "qualification")
    first, second = [form.form["level"] for form in qualifications][:2]
    assert [str(c[1]) for c in first.field.choices] == [str(c[1]) for c in second.field.choices]
    labels = [str(c[1]) for c in first.field.choices]
    assert len(labels) > 10 and all(": " in label for label in labels[1:])
    assert f'value="{cadre.qualifications.first().level_id}" selected' in page.content.decode()


def test_an_appointment_row_shows_its_chosen_unit_and_position(admin_client):
    cadre = CadreFactory()
    appointment = AppointmentFactory(cadre=cadre, unit=UnitFactory(name="Xã Yên Khoái"))
    page = admin_client.get(reverse("admin:cadres_cadre_change", args=[cadre.pk]))
    content = page.content.decode()
    assert f'<option value="{appointment.unit_id}" selected>Xã Yên Khoái</option>' in content
    assert f'<option value="{appointment.position_id}" selected>' in content


def change_url(cadre, query: str = "") -> str:
    return reverse("admin:cadres_cadre_change", args=[cadre.pk]) + query


@pytest.fixture
def rewarded(cadre):
    Reward.objects.create(cadre=cadre, awarded_on=date(2023, 5, 19), form="Giấy khen Huyện ủy")
    FamilyRelation.objects.create(cadre=cadre, relation="Mẹ đẻ", full_name="Lường Thị Hoa")
    return cadre


def test_collapsed_inlines_are_left_out_of_the_page_until_opened(admin_client, rewarded):
    QualificationFactory(cadre=rewarded, major="Quản lý đất đai")
    content = admin_client.get(change_url(rewarded)).content.decode()
    assert "Quản lý đất đai" in content  # an inline shown open is rendered with the page
    assert "Giấy khen Huyện ủy" not in content and "Lường Thị Hoa" not in content
    assert 'data-inline-url="?inline=rewards"' in content
    assert "Khen thưởng (1)" in content
    # Posted as it is, the unopened inline is an empty formset: it changes none of its rows.
    assert 'name="rewards-TOTAL_FORMS" value="0"' in content
    assert 'name="rewards-INITIAL_FORMS" value="0"' in content

    opened = admin_client.get(change_url(rewarded, "?inline=rewards"))
    assert opened.status_code == 200
    fragment = opened.content.decode()
    assert 'value="Giấy khen Huyện ủy"' in fragment
    assert 'name="rewards-INITIAL_FORMS" value="1"' in fragment
    assert "Lường Thị Hoa" not in fragment  # that inline only
    assert "<html" not in fragment

    everything = admin_client.get(change_url(rewarded, "?inline=all")).content.decode()
    assert 'value="Giấy khen Huyện ủy"' in everything and 'value="Lường Thị Hoa"' in everything
    assert admin_client.get(change_url(rewarded, "?inline=nothing")).status_code == 404


def test_saving_the_page_with_unopened_inlines_keeps_their_rows(admin_client, rewarded):
    data = change_form_data(admin_client, change_url(rewarded))
    data["phone"] = "0912345678"
    response = admin_client.post(change_url(rewarded), data)
    assert response.status_code == 302, response.context["errors"]
    rewarded.refresh_from_db()
    assert rewarded.phone == "0912345678"
    assert list(rewarded.rewards.values_list("form", flat=True)) == ["Giấy khen Huyện ủy"]
    assert rewarded.family_relations.count() == 1


def test_an_opened_inline_saves_its_rows_edits(admin_client, rewarded):
    reward = rewarded.rewards.get()
    data = change_form_data(admin_client, change_url(rewarded))
    data |= {
        "rewards-TOTAL_FORMS": "1",
        "rewards-INITIAL_FORMS": "1",
        "rewards-0-id": reward.pk,
        "rewards-0-cadre": rewarded.pk,
        "rewards-0-awarded_on": "19/05/2023",
        "rewards-0-form": "Bằng khen Tỉnh ủy",
    }
    assert admin_client.post(change_url(rewarded), data).status_code == 302
    reward.refresh_from_db()
    assert reward.form == "Bằng khen Tỉnh ủy"


def test_after_a_failed_save_an_unopened_inline_is_still_unopened_not_empty(admin_client, rewarded):
    data = change_form_data(admin_client, change_url(rewarded))
    data |= {"full_name": "", "rewards-UNOPENED": "1"}  # as the unopened inline posts it
    data |= {"family_relations-TOTAL_FORMS": "0", "family_relations-INITIAL_FORMS": "0"}
    response = admin_client.post(change_url(rewarded), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Khen thưởng (1)" in content and 'data-inline-url="?inline=rewards"' in content
    # Opened before the save: shown as posted, with the form's errors if it had any.
    assert 'data-inline-url="?inline=family_relations"' not in content


def test_another_communes_inline_is_not_served(client, officer_a, cadre_b):
    Reward.objects.create(cadre=cadre_b, awarded_on=date(2023, 5, 19), form="Giấy khen xã B")
    client.force_login(officer_a)
    response = client.get(change_url(cadre_b, "?inline=rewards"), follow=True)
    assert "Giấy khen xã B" not in response.content.decode()


def test_each_inlines_scripts_are_django_s_without_building_every_row(admin_client, rewarded):
    QualificationFactory(cadre=rewarded)
    page = admin_client.get(change_url(rewarded, "?inline=all"))
    for inline in page.context["inline_admin_formsets"]:
        assert str(inline.media) == str(helpers.InlineAdminFormSet.media.fget(inline))
    assert "admin/js/inlines.js" in str(page.context["media"])
    assert "js/lazy-inlines.js" in str(page.context["media"])


def test_an_unopened_inlines_row_forms_are_never_built(admin_client, rewarded):
    page = admin_client.get(change_url(rewarded))
    unopened = [i for i in page.context["inline_admin_formsets"] if isinstance(i, UnopenedInline)]
    assert {i.prefix for i in unopened} >= {"rewards", "family_relations"}
    for inline in unopened:
        assert "forms" not in vars(inline.formset)  # BaseFormSet.forms, a cached_property

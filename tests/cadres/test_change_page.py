"""The cadre's change page: its queries do not grow with the rows of the record's tables."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import WorkHistory
from tests.factories import AppointmentFactory, CadreFactory, QualificationFactory, UnitFactory

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

"""The history page of a planning entry and of a dispatch says who changed which field, old and
new value, whether the change came from the admin, an import or a command."""

from datetime import date

import pytest
from django.urls import reverse

from core.audit import acting_as, bulk_update_with_history
from planning.models import PlanningEntry
from tests.factories import AppointmentFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.security.conftest import change_form_data
from tests.training.factories import DispatchFactory
from training.choices import DispatchStatus
from training.models import Dispatch
from training.services import record_dispatch_graduation

pytestmark = pytest.mark.django_db


def history_page(client, user, admin_name: str, pk: int) -> str:
    client.force_login(user)
    response = client.get(reverse(f"admin:{admin_name}_history", args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_admin_edit_of_a_planning_entry_shows_the_field_old_and_new(
    client, district_officer, cadre_a, commune_a
):
    entry = PlanningEntryFactory(cadre=cadre_a, unit=commune_a)
    AppointmentFactory(cadre=cadre_a, position__rank=1)  # the rules need the post held
    client.force_login(district_officer)
    url = reverse("admin:planning_planningentry_change", args=[entry.pk])
    data = {**change_form_data(client, url), "removal_note": "Chuyển công tác"}
    assert client.post(url, data).status_code == 302
    content = history_page(client, district_officer, "planning_planningentry", entry.pk)
    assert "chuyen_vien" in content
    assert "Chuyển công tác" in content
    assert "&rarr;" in content or "→" in content


def test_an_imported_change_to_a_planning_entry_names_the_importer(
    client, district_officer, board_administrator, cadre_a, commune_a
):
    entry = PlanningEntryFactory(cadre=cadre_a, unit=commune_a)
    entry.removal_note = "Sửa từ tệp của xã"
    # What the fast import path writes: bulk updates with the importing user.
    bulk_update_with_history(
        [entry], PlanningEntry, ["removal_note"], default_user=board_administrator
    )
    latest = PlanningEntry.history.filter(id=entry.pk).latest()
    assert latest.history_user == board_administrator
    content = history_page(client, district_officer, "planning_planningentry", entry.pk)
    assert "quan_tri" in content and "Sửa từ tệp của xã" in content


def test_discarding_a_draft_removal_is_in_each_entrys_history(
    client, district_officer, board_administrator, cadre_a, commune_a
):
    entry = PlanningEntryFactory(cadre=cadre_a, unit=commune_a)
    draft = PlanningDecisionFactory(term=entry.term, kind="removal", status="draft")
    entry.removed_by, entry.removed_on, entry.removal_reason = draft, date(2025, 1, 2), "age"
    entry.save()
    with acting_as(board_administrator):
        draft.discard()
    latest = PlanningEntry.history.filter(id=entry.pk).latest()
    assert latest.removed_by_id is None
    assert latest.history_user == board_administrator


def test_recording_a_dispatchs_qualification_is_on_its_history_page(
    client, district_officer, board_administrator, cadre_a
):
    dispatch = DispatchFactory(
        cadre=cadre_a, status=DispatchStatus.GRADUATED, graduated_on=date(2025, 6, 30)
    )
    with acting_as(board_administrator):  # as the command or action does
        qualification = record_dispatch_graduation(Dispatch.objects.get(pk=dispatch.pk))
    assert qualification is not None
    latest = Dispatch.history.filter(id=dispatch.pk).latest()
    assert latest.qualification_id == qualification.pk
    assert latest.history_user == board_administrator
    content = history_page(client, district_officer, "training_dispatch", dispatch.pk)
    assert "quan_tri" in content


def test_an_admin_edit_of_a_dispatch_shows_who_changed_which_field(
    client, district_officer, cadre_a
):
    dispatch = DispatchFactory(cadre=cadre_a)
    client.force_login(district_officer)
    url = reverse("admin:training_dispatch_change", args=[dispatch.pk])
    data = {**change_form_data(client, url), "decision_number": "77-QĐ/HU"}
    assert client.post(url, data).status_code == 302
    content = history_page(client, district_officer, "training_dispatch", dispatch.pk)
    assert "chuyen_vien" in content and "77-QĐ/HU" in content

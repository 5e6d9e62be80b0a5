from datetime import date

import pytest
from django.urls import reverse

from party.services import carry_party_dates_to_cadre
from tests.factories import CadreFactory
from tests.party.factories import AdmissionCandidateFactory, VillageFactory

pytestmark = pytest.mark.django_db


def candidate_of(cadre, **steps):
    return AdmissionCandidateFactory(
        cadre=cadre, trainee=None, unit=VillageFactory(), decision_number="7-QĐ/ĐU", **steps
    )


def test_admission_and_official_dates_fill_the_empty_party_dates_of_the_cadre_record():
    cadre = CadreFactory(party_join_date=None, party_official_date=None)
    candidate = candidate_of(cadre, admitted_on=date(2024, 3, 15), official_on=date(2025, 3, 15))

    assert carry_party_dates_to_cadre(candidate) == []

    cadre.refresh_from_db()
    assert (cadre.party_join_date, cadre.party_official_date) == (
        date(2024, 3, 15),
        date(2025, 3, 15),
    )
    assert cadre.history.first().history_type == "~"


def test_a_different_date_already_on_the_record_is_kept_and_reported():
    cadre = CadreFactory(party_join_date=date(2024, 3, 1), party_official_date=None)
    candidate = candidate_of(cadre, admitted_on=date(2024, 3, 15))

    conflicts = carry_party_dates_to_cadre(candidate)

    cadre.refresh_from_db()
    assert cadre.party_join_date == date(2024, 3, 1)
    assert len(conflicts) == 1
    assert "01/03/2024" in conflicts[0] and "15/03/2024" in conflicts[0]


def test_dates_that_would_contradict_the_record_are_not_filled_and_the_reason_is_given():
    cadre = CadreFactory(party_join_date=date(2025, 6, 1), party_official_date=None)
    candidate = candidate_of(cadre, admitted_on=date(2024, 3, 15), official_on=date(2025, 3, 15))

    conflicts = carry_party_dates_to_cadre(candidate)

    cadre.refresh_from_db()
    assert (cadre.party_join_date, cadre.party_official_date) == (date(2025, 6, 1), None)
    assert any("Ngày chính thức phải sau ngày vào Đảng" in c for c in conflicts)


def test_a_trainee_linked_to_a_cadre_fills_that_cadre_and_an_unlinked_one_fills_nothing():
    linked = AdmissionCandidateFactory(admitted_on=date(2024, 3, 15), decision_number="7")
    unlinked = AdmissionCandidateFactory(admitted_on=date(2024, 3, 15), decision_number="8")
    cadre = CadreFactory(party_join_date=None, party_official_date=None)
    linked.trainee.cadre = cadre
    linked.trainee.save()

    assert carry_party_dates_to_cadre(unlinked) == []
    carry_party_dates_to_cadre(linked)

    cadre.refresh_from_db()
    assert cadre.party_join_date == date(2024, 3, 15)


def test_recording_the_admission_in_the_admin_updates_the_record_and_warns_of_a_difference(
    admin_client,
):
    cadre = CadreFactory(party_join_date=date(2019, 1, 1), party_official_date=date(2020, 1, 1))
    candidate = candidate_of(cadre)
    url = reverse("admin:party_admissioncandidate_change", args=[candidate.pk])
    form = {
        "cadre": cadre.pk,
        "unit": candidate.unit_id,
        "proposed_on": "15/01/2024",
        "decision_number": "7-QĐ/ĐU",
        "admitted_on": "15/03/2024",
        "official_on": "15/03/2025",
    }

    response = admin_client.post(url, form, follow=True)

    assert response.redirect_chain, response.context["adminform"].form.errors
    cadre.refresh_from_db()
    assert cadre.party_join_date == date(2019, 1, 1)
    assert cadre.party_official_date == date(2020, 1, 1)
    warnings = [str(m) for m in response.context["messages"]]
    assert sum("khác quyết định" in m for m in warnings) == 2

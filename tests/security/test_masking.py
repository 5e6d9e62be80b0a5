"""CCCD and party details are hidden from the inspector, shown to those who keep records."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from core.masking import mask_for
from core.models import ExportLog
from tests.party.factories import AdmissionCandidateFactory
from tests.party.factories import one_of_everything as party_rows
from tests.planning.factories import one_of_everything as planning_rows
from tests.security.test_walk_admin import read
from tests.training.factories import TraineeFactory
from tests.training.factories import one_of_everything as training_rows

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")


def test_mask_for_hides_the_cccd_but_its_last_four_digits_from_the_inspector(inspector):
    assert mask_for(inspector, "cccd", "020085000002") == "********0002"
    assert mask_for(inspector, "party_position", "Bí thư chi bộ") == "***"
    assert mask_for(inspector, "party_join_date", None) is None
    assert mask_for(inspector, "full_name", "Hoàng Thị Bình") == "Hoàng Thị Bình"


def test_mask_for_leaves_values_alone_for_those_who_keep_the_records(
    officer_b, district_officer, board_administrator
):
    for user in (officer_b, district_officer, board_administrator):
        assert mask_for(user, "cccd", "020085000002") == "020085000002"


def test_the_inspectors_list_shows_masked_cccds(client, inspector, cadre_b):
    client.force_login(inspector)
    content = client.get(CHANGELIST).content.decode()
    assert "********0002" in content
    assert "020085000002" not in content


def test_the_officers_list_shows_full_cccds(client, officer_b, cadre_b):
    client.force_login(officer_b)
    assert "020085000002" in client.get(CHANGELIST).content.decode()


def test_the_inspector_cannot_find_a_person_by_cccd(client, inspector, cadre_b):
    client.force_login(inspector)
    response = client.get(CHANGELIST, {"q": "020085000002"})
    assert list(response.context["cl"].result_list) == []
    response = client.get(CHANGELIST, {"q": "Bình"})
    assert [c.full_name for c in response.context["cl"].result_list] == ["Hoàng Thị Bình"]


def test_the_inspectors_record_page_masks_cccd_and_party_details(client, inspector, cadre_b):
    client.force_login(inspector)
    content = client.get(reverse("admin:cadres_cadre_change", args=[cadre_b.pk])).content.decode()
    assert "Hoàng Thị Bình" in content
    assert "020085000002" not in content
    assert "Bí thư chi bộ" not in content
    assert "01/03/2005" not in content


def test_the_officers_record_page_shows_party_details(client, officer_b, cadre_b):
    client.force_login(officer_b)
    content = client.get(reverse("admin:cadres_cadre_change", args=[cadre_b.pk])).content.decode()
    assert "Bí thư chi bộ" in content


def test_the_inspectors_2c_file_and_its_name_mask_the_cccd_and_party_dates(
    client, inspector, cadre_b
):
    client.force_login(inspector)
    for fmt in ("docx", "pdf"):
        response = client.get(reverse("admin:cadres_cadre_2c", args=[cadre_b.pk, fmt]))
        assert response.status_code == 200
        assert "0002" in response["Content-Disposition"]
        text = read(response)
        assert "020085000002" not in text
        assert "01/03/2005" not in text
        assert "Bí thư chi bộ" not in text


def test_the_officers_2c_file_carries_the_full_cccd_and_party_dates(client, officer_b, cadre_b):
    client.force_login(officer_b)
    response = client.get(reverse("admin:cadres_cadre_2c", args=[cadre_b.pk, "docx"]))
    assert "020085000002" in response["Content-Disposition"]
    assert "01/03/2005" in read(response)


def test_the_inspectors_2c_zip_masks_the_cccd_in_its_files_and_their_names(
    client, inspector, cadre_b
):
    client.force_login(inspector)
    payload = {"action": "print_2c_docx", "_selected_action": [cadre_b.pk]}
    text = read(client.post(CHANGELIST, payload))
    assert "Hoàng Thị Bình" in text or "Hoang_Thi_Binh" in text
    assert "020085000002" not in text


def test_every_2c_download_is_written_to_the_export_log(client, officer_b, cadre_b):
    client.force_login(officer_b)
    client.get(reverse("admin:cadres_cadre_2c", args=[cadre_b.pk, "pdf"]))
    client.post(CHANGELIST, {"action": "print_2c_pdf", "_selected_action": [cadre_b.pk]})
    logged = list(ExportLog.objects.filter(user=officer_b).values_list("what", "count"))
    assert [count for _, count in logged] == [1, 1]
    assert all("2C" in what for what, _ in logged)


def test_the_inspector_sees_a_trainees_cccd_masked_and_cannot_search_by_it(
    client, inspector, commune_b
):
    TraineeFactory(full_name="Lộc Thị Ngoài Xã", cccd="020085000009", unit=commune_b)
    client.force_login(inspector)
    url = reverse("admin:training_trainee_changelist")
    content = client.get(url).content.decode()
    assert "********0009" in content
    assert "020085000009" not in content
    assert list(client.get(url, {"q": "020085000009"}).context["cl"].result_list) == []


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:planning_planningentry_changelist",
        "admin:training_reimbursement_changelist",
        "admin:party_admissioncandidate_changelist",
    ],
)
def test_the_inspector_cannot_find_people_by_cccd_in_other_lists(
    client, inspector, district_officer, cadre_b, changelist
):
    planning_rows(cadre_b)
    training_rows(cadre_b)
    party_rows(cadre_b)
    url = reverse(changelist)
    client.force_login(district_officer)  # who keeps the records finds them
    assert list(client.get(url, {"q": "020085000002"}).context["cl"].result_list)
    client.force_login(inspector)
    assert list(client.get(url, {"q": "020085000002"}).context["cl"].result_list) == []


def test_the_inspector_sees_an_admission_candidates_party_dates_masked(
    client, inspector, commune_b, cadre_b
):
    candidate = AdmissionCandidateFactory(
        unit=commune_b, cadre=cadre_b, trainee=None, admitted_on=date(2024, 9, 2)
    )
    client.force_login(inspector)
    for url in (
        reverse("admin:party_admissioncandidate_changelist"),
        reverse("admin:party_admissioncandidate_change", args=[candidate.pk]),
    ):
        content = client.get(url).content.decode()
        assert "Hoàng Thị Bình" in content
        assert date_format(date(2024, 9, 2)) not in content

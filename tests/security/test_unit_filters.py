"""A filter on a unit outside the user's scope is refused with a reason, never dropped
silently; the unit drop-downs offer only the units the user may choose."""

import pytest
from django.urls import reverse

from cadres.filters import OUT_OF_SCOPE_UNIT
from core.models import ExportLog

pytestmark = pytest.mark.django_db

REFUSED = "nằm ngoài phạm vi bạn được xem"


@pytest.mark.parametrize(
    ("changelist", "param"),
    [
        ("admin:cadres_cadre_changelist", "unit"),
        ("admin:planning_planningentry_changelist", "unit"),
        ("admin:training_dispatch_changelist", "unit"),
        ("admin:party_admissioncandidate_changelist", "commune"),
    ],
)
def test_a_list_filtered_on_another_commune_is_refused_with_a_reason(
    client, officer_a, people, commune_b, changelist, param
):
    client.force_login(officer_a)
    response = client.get(reverse(changelist), {param: commune_b.pk})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()


def test_a_list_filtered_on_the_users_own_commune_is_shown(client, officer_a, people, commune_a):
    client.force_login(officer_a)
    response = client.get(reverse("admin:cadres_cadre_changelist"), {"unit": commune_a.pk})
    assert response.status_code == 200
    assert "Nông Văn An" in response.content.decode()


def test_the_province_layout_export_of_another_commune_is_refused(
    client, officer_a, people, commune_b
):
    client.force_login(officer_a)
    url = reverse("admin:cadres_cadre_export", args=["province"])
    response = client.get(url, {"unit": commune_b.pk})
    assert response.status_code == 400
    assert not ExportLog.objects.exists()


def test_the_commune_filter_of_admission_candidates_offers_only_the_users_commune(
    client, officer_a, people
):
    client.force_login(officer_a)
    response = client.get(reverse("admin:party_admissioncandidate_changelist"))
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        if spec.parameter_name == "commune"
        for choice in spec.choices(response.context["cl"])
    ]
    assert "Xã Tú Đoạn" in choices and "Xã Na Dương" not in choices


def test_a_report_on_another_commune_is_refused_and_its_drop_down_lists_only_the_users_units(
    client, officer_a, people, commune_b
):
    client.force_login(officer_a)
    url = reverse("reports:detail", args=["ty-le-trinh-do"])
    page = client.get(url).content.decode()
    assert "Xã Tú Đoạn" in page and "Xã Na Dương" not in page
    response = client.get(url, {"unit": commune_b.pk})
    assert response.context["result"].rows == []
    assert OUT_OF_SCOPE_UNIT in response.content.decode()

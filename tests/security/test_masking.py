"""CCCD and party details are hidden from the inspector, shown to those who keep records."""

import pytest
from django.urls import reverse

from core.masking import mask_for

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

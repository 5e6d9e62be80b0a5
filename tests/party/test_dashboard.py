import re

import pytest
from django.urls import reverse

from tests.factories import UnitFactory
from tests.party.factories import PartyCellFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_villages_by_party_coverage_and_links_to_them(
    admin_client, dashboard_html
):
    commune = UnitFactory(name="Xã Tú Đoạn")
    covered = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    VillageFactory(name="Thôn Khòn Quan", parent=commune)
    VillageFactory(name="Thôn Pò Mạ", parent=commune)
    PartyCellFactory(unit=covered)
    content = dashboard_html(admin_client)
    assert "Thôn, trường học theo tình trạng đảng viên" in content
    # Two villages without members, one with its own cell, each linked to its list.
    assert re.search(r"Chưa có đảng viên.*?>2<", content, re.S)
    assert re.search(r"Có chi bộ riêng.*?>1<", content, re.S)
    assert "coverage=none" in content
    listed = admin_client.get(reverse("admin:party_coveredunit_changelist"), {"coverage": "none"})
    assert {u.name for u in listed.context["cl"].result_list} == {"Thôn Khòn Quan", "Thôn Pò Mạ"}

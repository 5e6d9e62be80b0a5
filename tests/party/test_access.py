"""Commune officers see their own commune's cells, villages and figures; exports are logged."""

import pytest
from django.urls import reverse

from cadres.models import Role
from cadres.roles import setup_roles
from core.models import ExportLog
from tests.conftest import make_actor
from tests.factories import UnitFactory
from tests.party.factories import AdmissionTargetFactory, PartyCellFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def two_communes():
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    commune_a = UnitFactory(name="Xã Tú Đoạn", parent=district)
    commune_b = UnitFactory(name="Xã Na Dương", parent=district)
    PartyCellFactory(name="Chi bộ thôn Nà Pàn", unit=VillageFactory(parent=commune_a))
    PartyCellFactory(name="Chi bộ thôn Khòn Pát", unit=VillageFactory(parent=commune_b))
    AdmissionTargetFactory(unit=commune_a, target=4)
    AdmissionTargetFactory(unit=commune_b, target=6)
    return commune_a, commune_b


@pytest.fixture
def officer_a(client, django_user_model, two_communes):
    setup_roles()
    user = make_actor(django_user_model, "can_bo_tu_doan", Role.COMMUNE, two_communes[0])
    client.force_login(django_user_model.objects.get(pk=user.pk))
    return client


def test_a_commune_officer_sees_only_the_cells_of_their_commune(officer_a):
    response = officer_a.get(reverse("admin:party_partycell_changelist"))
    assert [c.name for c in response.context["cl"].result_list] == ["Chi bộ thôn Nà Pàn"]


def test_a_commune_officer_gets_the_figures_of_their_commune_only(officer_a):
    coverage = officer_a.get(
        reverse("reports:detail", args=["thon-truong-chua-co-dang-vien"]),
        {"date_to": "2025-12-31"},
    )
    assert coverage.status_code == 200
    result = coverage.context["result"]
    assert [row["name"] for row in result.rows] == ["Xã Tú Đoạn"]
    admissions = officer_a.get(
        reverse("reports:detail", args=["ket-nap-dang-vien"]), {"date_to": "2025-12-31"}
    ).context["result"]
    assert [row["target"] for row in [*admissions.rows, admissions.totals]] == [4, 4]


def test_downloading_the_years_figures_is_logged(officer_a):
    response = officer_a.get(
        reverse("admin:party_partycell_coverage"), {"format": "xlsx"}, follow=True
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    log = ExportLog.objects.get()
    assert log.user.username == "can_bo_tu_doan"
    assert "chưa có đảng viên" in log.what

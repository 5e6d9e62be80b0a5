"""Named actors for access tests: a district with commune A (which absorbed an old commune in
the 2025 merger) and commune B, a cadre in each, and one user per role."""

from datetime import date

import pytest
from django.db.models.fields.files import FieldFile

from cadres.models import Role, StaffAssignment, UnitSuccession
from cadres.roles import setup_roles, sync_groups
from tests.factories import CadreFactory, UnitFactory

PASSWORD = "Mật-khẩu-dài-789"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Actors log in with real passwords; the production hasher would take seconds per user."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district():
    return UnitFactory(name="Huyện Lộc Bình", kind="district")


@pytest.fixture
def commune_a(district):
    return UnitFactory(name="Xã Tú Đoạn", parent=district)


@pytest.fixture
def old_commune(district, commune_a):
    """Merged into commune A on 1 July 2025: its cadres are now A's to keep."""
    old = UnitFactory(name="Xã Khuất Xá", parent=district, valid_to=date(2025, 6, 30))
    UnitSuccession.objects.create(
        predecessor=old, successor=commune_a, effective_date=date(2025, 7, 1)
    )
    return old


@pytest.fixture
def commune_b(district):
    return UnitFactory(name="Xã Na Dương", parent=district)


@pytest.fixture
def cadre_a(commune_a):
    return CadreFactory(full_name="Nông Văn An", cccd="020085000001", unit=commune_a)


@pytest.fixture
def cadre_of_old_commune(old_commune):
    return CadreFactory(full_name="Lương Thị Cúc", cccd="020085000003", unit=old_commune)


@pytest.fixture
def cadre_b(commune_b):
    return CadreFactory(
        full_name="Hoàng Thị Bình",
        cccd="020085000002",
        unit=commune_b,
        party_join_date=date(2005, 3, 1),
        party_official_date=date(2006, 3, 1),
        party_position="Bí thư chi bộ",
    )


@pytest.fixture
def roles(db):
    setup_roles()


def make_actor(django_user_model, username: str, role: str, unit=None):
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    StaffAssignment.objects.create(user=user, role=role, unit=unit)
    sync_groups(user)
    return django_user_model.objects.get(pk=user.pk)  # fresh: no cached permissions


@pytest.fixture
def board_administrator(roles, django_user_model):
    return make_actor(django_user_model, "quan_tri", Role.ADMINISTRATOR)


@pytest.fixture
def district_officer(roles, django_user_model):
    return make_actor(django_user_model, "chuyen_vien", Role.SPECIALIST)


@pytest.fixture
def officer_a(roles, django_user_model, commune_a, old_commune):
    return make_actor(django_user_model, "can_bo_tu_doan", Role.COMMUNE, commune_a)


@pytest.fixture
def officer_b(roles, django_user_model, commune_b):
    return make_actor(django_user_model, "can_bo_na_duong", Role.COMMUNE, commune_b)


@pytest.fixture
def inspector(roles, django_user_model):
    return make_actor(django_user_model, "thanh_tra_tinh", Role.INSPECTOR)


@pytest.fixture
def people(cadre_a, cadre_of_old_commune, cadre_b):
    """One cadre in commune A, one in the commune merged into A, one in commune B."""
    return cadre_a, cadre_of_old_commune, cadre_b


def change_form_data(client, url: str) -> dict:
    """What the browser would post back from an admin change page, inlines left empty."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, value in form.initial.items():
        if value is None or name not in form.fields or isinstance(value, FieldFile):
            continue  # a file input is posted empty (the file stays)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data

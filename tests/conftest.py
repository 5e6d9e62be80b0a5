from datetime import date
from importlib import import_module

import pytest

from cadres.models import Role, StaffAssignment, UnitSuccession
from cadres.roles import setup_roles
from tests.factories import CadreFactory, UnitFactory


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="Mật-khẩu-dài-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def commune():
    return UnitFactory(name="Xã Tú Đoạn")


@pytest.fixture
def cadre(commune):
    return CadreFactory(full_name="Nông Thanh Hải", cccd="020085001234", unit=commune)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard caches its figures (core.dashboard) by version counters that a test's
    rolled-back writes never raise: each test starts from an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data_for_transactional_tests(request):
    """Transactional tests (browser, backup, replica) end with a flush that also empties the
    reference lists the migrations loaded; serialized rollback does not always restore them
    first. Put them back (idempotent: rows are matched on their codes) before such a test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not transactional:
        return
    serialized = "django_db_serialized_rollback" in request.fixturenames or (
        marker is not None and marker.kwargs.get("serialized_rollback")
    )
    if not serialized:
        # Its closing flush would recreate the content types with new ids, and the next
        # serialized-rollback test on this worker would fail to load its copy of them
        # (IntegrityError on django_content_type, in some orders only; Django #23727).
        pytest.fail("transactional tests here need serialized_rollback=True")
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    import_module("cadres.migrations.0003_load_reference_data").load(apps, None)


@pytest.fixture
def dashboard_html():
    """The admin index as a browser shows it: the page, then each deferred panel's fragment
    (``static/js/dashboard.js``) put in its placeholder's place."""
    import re

    from django.urls import reverse

    def load(client, **params) -> str:
        response = client.get(reverse("admin:index"), params)
        assert response.status_code == 200
        html = response.content.decode()
        placeholders = r'<section class="panel[^"]*" data-fragment=.*?</section>'
        for placeholder in re.findall(placeholders, html, re.S):
            url = re.search(r'data-fragment="([^"]+)"', placeholder).group(1).replace("&amp;", "&")
            fragment = client.get(url)
            assert fragment.status_code == 200
            html = html.replace(placeholder, fragment.content.decode())
        return html

    return load


# --- Named actors ------------------------------------------------------------------------------
# A district with commune A (which absorbed an old commune in the 2025 merger) and commune B, a
# cadre in each, and one user per role: the cast of every access test.

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
    StaffAssignment.objects.create(user=user, role=role, unit=unit)  # groups follow (signal)
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

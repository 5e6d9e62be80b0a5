from importlib import import_module

import pytest

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

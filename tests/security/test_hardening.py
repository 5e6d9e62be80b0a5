"""Password guessing, weak passwords, idle sessions, concurrent edits and hostile input."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres.models import Cadre
from core.middleware import LAST_SEEN
from tests.factories import CadreFactory
from tests.security.conftest import PASSWORD, change_form_data

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
CHANGELIST = reverse("admin:cadres_cadre_changelist")


def log_in(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_the_right_password_logs_in(client, officer_a):
    response = log_in(client, "can_bo_tu_doan", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(client, officer_a):
    for _ in range(5):
        assert log_in(client, "can_bo_tu_doan", "đoán-mò-123").status_code in (200, 429)
    response = log_in(client, "can_bo_tu_doan", PASSWORD)
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_how_many_minutes_to_wait(client, officer_a):
    for _ in range(5):
        log_in(client, "can_bo_tu_doan", "đoán-mò-123")
    content = log_in(client, "can_bo_tu_doan", PASSWORD).content.decode()
    assert "thử lại sau\n15 phút" in content
    assert "PT15M" not in content


def test_a_lockout_of_one_user_does_not_lock_another(client, officer_a, officer_b):
    for _ in range(5):
        log_in(client, "can_bo_tu_doan", "đoán-mò-123")
    assert log_in(client, "can_bo_na_duong", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password",
    ["ngan123", "1234567890123", "password123", "can_bo_tu_doan1"],
    ids=["too short", "only digits", "common", "like the user name"],
)
def test_weak_passwords_are_refused(officer_a, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=officer_a)


def test_a_long_uncommon_password_is_accepted(officer_a):
    validate_password("Lạng-Sơn-mùa-hoa-đào-2025", user=officer_a)


def test_an_idle_session_is_ended(client, officer_a):
    client.force_login(officer_a)
    assert client.get(CHANGELIST).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and LOGIN in response.url


def test_an_active_session_goes_on(client, officer_a):
    client.force_login(officer_a)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 10 * 60
    session.save()
    assert client.get(CHANGELIST).status_code == 200


def test_the_session_ends_when_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_admin_pages_carry_a_content_security_policy(admin_client):
    policy = admin_client.get(CHANGELIST)["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_a_concurrent_edit_is_refused_instead_of_overwriting(client, district_officer, cadre_a):
    client.force_login(district_officer)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    data = change_form_data(client, url)  # the officer opens the record...
    other = Cadre.objects.get(pk=cadre_a.pk)  # ...and a colleague saves it meanwhile
    other.job_title = "Bí thư Đảng ủy xã"
    other.save()
    data["job_title"] = "Chủ tịch UBND xã"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    cadre_a.refresh_from_db()
    assert cadre_a.job_title == "Bí thư Đảng ủy xã"


def test_saving_twice_in_a_row_from_fresh_pages_works(client, district_officer, cadre_a):
    client.force_login(district_officer)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    for title in ("Phó Chủ tịch", "Chủ tịch"):
        data = change_form_data(client, url)
        data["job_title"] = title
        assert client.post(url, data).status_code == 302
    cadre_a.refresh_from_db()
    assert cadre_a.job_title == "Chủ tịch"


def test_a_name_with_markup_is_shown_escaped(admin_client, commune_a):
    CadreFactory(full_name='<script>alert("x")</script>', unit=commune_a)
    content = admin_client.get(CHANGELIST).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content


def test_an_over_long_name_is_refused_with_a_clear_message(client, district_officer, cadre_a):
    client.force_login(district_officer)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    data = change_form_data(client, url)
    data["full_name"] = "Nông " * 40
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["full_name"]
    assert "150" in errors[0]
    cadre_a.refresh_from_db()
    assert cadre_a.full_name == "Nông Văn An"

"""Optional second factor: an authenticator code after the password, for whoever enrolled one;
a deployment may make it compulsory for administrators."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.second_factor import PENDING
from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
CHANGELIST = reverse("admin:cadres_cadre_changelist")
VERIFY = reverse("second_factor:verify")
ENROL = reverse("second_factor:enrol")


def log_in(client, username: str, password: str = PASSWORD, next_url: str = INDEX):
    return client.post(LOGIN, {"username": username, "password": password, "next": next_url})


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(code_of(device)) + 500_000) % 1_000_000:06d}"


@pytest.fixture
def enrolled_administrator(board_administrator):
    TOTPDevice.objects.create(user=board_administrator, name="Điện thoại", confirmed=True)
    return board_administrator


def test_an_administrator_without_a_device_logs_in_with_the_password_alone(
    client, board_administrator
):
    assert log_in(client, "quan_tri").url == INDEX
    assert client.get(CHANGELIST).status_code == 200


def test_the_demo_administrator_logs_in_without_a_second_factor(client, django_user_model):
    django_user_model.objects.create_superuser("admin", "", "quyhoach-demo")
    assert log_in(client, "admin", "quyhoach-demo").url == INDEX
    assert client.get(INDEX).status_code == 200


def test_with_a_device_the_password_leads_to_the_code_page_and_nothing_else(
    client, enrolled_administrator
):
    response = log_in(client, "quan_tri", next_url=CHANGELIST)
    assert response.status_code == 302
    assert client.session[PENDING] == "verify"
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert client.get(reverse("admin:cadres_cadre_add")).url.startswith(VERIFY)
    assert client.get(reverse("reports:index")).url.startswith(VERIFY)


def test_a_valid_code_opens_the_admin_and_returns_to_the_page_asked_for(
    client, enrolled_administrator
):
    log_in(client, "quan_tri")
    device = enrolled_administrator.totpdevice_set.get()
    response = client.post(VERIFY, {"code": code_of(device), "next": CHANGELIST})
    assert response.status_code == 302
    assert response.url == CHANGELIST
    assert PENDING not in client.session
    assert client.get(CHANGELIST).status_code == 200


def test_a_wrong_code_is_refused_and_the_admin_stays_closed(client, enrolled_administrator):
    log_in(client, "quan_tri")
    device = enrolled_administrator.totpdevice_set.get()
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(CHANGELIST).url.startswith(VERIFY)


def test_after_a_wrong_code_the_device_makes_the_next_attempt_wait(client, enrolled_administrator):
    log_in(client, "quan_tri")
    device = enrolled_administrator.totpdevice_set.get()
    client.post(VERIFY, {"code": wrong_code(device)})
    response = client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 200
    assert "hãy đợi" in response.content.decode()
    assert client.get(CHANGELIST).url.startswith(VERIFY)


def test_a_redirect_after_the_code_stays_on_this_site(client, enrolled_administrator):
    log_in(client, "quan_tri")
    device = enrolled_administrator.totpdevice_set.get()
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response.url == INDEX


def test_the_password_is_still_throttled_for_an_enrolled_administrator(
    client, enrolled_administrator
):
    for _ in range(5):
        log_in(client, "quan_tri", "đoán-mò-123")
    assert log_in(client, "quan_tri").status_code == 429
    assert "_auth_user_id" not in client.session


def test_an_administrator_enrols_their_own_device_with_a_first_code(client, board_administrator):
    client.force_login(board_administrator)
    page = client.get(ENROL)
    assert page.status_code == 200
    uri = page.context["otpauth_uri"]
    assert uri.startswith("otpauth://totp/") and "quan_tri" in uri
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml")
    device = TOTPDevice.objects.get(user=board_administrator)
    assert not device.confirmed
    assert client.get(ENROL).context["otpauth_uri"] == uri  # a reload keeps the same key

    response = client.post(ENROL, {"code": code_of(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    log_in(client, "quan_tri")
    assert client.get(INDEX).url.startswith(VERIFY)


def test_enrolment_refuses_a_wrong_first_code(client, board_administrator):
    client.force_login(board_administrator)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=board_administrator)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed


def test_the_mandatory_setting_sends_an_unenrolled_administrator_to_enrolment(
    client, settings, board_administrator
):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    log_in(client, "quan_tri", next_url=CHANGELIST)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(ENROL)
    assert client.get(ENROL).context["required"]
    device = TOTPDevice.objects.get(user=board_administrator)
    assert client.post(ENROL, {"code": code_of(device), "next": CHANGELIST}).url == CHANGELIST
    assert client.get(CHANGELIST).status_code == 200


def test_the_mandatory_setting_applies_to_superusers(client, settings, django_user_model):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    django_user_model.objects.create_superuser("sieu_quan_tri", "", PASSWORD)
    log_in(client, "sieu_quan_tri")
    assert client.get(INDEX).url.startswith(ENROL)


def test_the_mandatory_setting_leaves_commune_staff_alone(client, settings, officer_a):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    log_in(client, "can_bo_tu_doan")
    assert client.get(CHANGELIST).status_code == 200


def test_another_users_device_cannot_be_seen_or_used(client, enrolled_administrator, officer_a):
    client.force_login(officer_a)
    page = client.get(ENROL)
    assert page.context["otpauth_uri"] != ""
    admin_device = enrolled_administrator.totpdevice_set.get()
    assert client.post(ENROL, {"code": code_of(admin_device)}).status_code == 200
    assert not TOTPDevice.objects.filter(user=officer_a, confirmed=True).exists()


REMOVE = reverse("second_factor:remove")


def verified_login(client, user) -> TOTPDevice:
    """Log in with the password and the current code; returns the device (its next code is
    ``code_of(device, 1)``: a code is accepted once)."""
    log_in(client, user.username)
    device = user.totpdevice_set.get()
    assert client.post(VERIFY, {"code": code_of(device)}).status_code == 302
    return device


def test_a_user_turns_their_own_second_factor_off_with_a_current_code(
    client, enrolled_administrator
):
    device = verified_login(client, enrolled_administrator)
    page = client.get(ENROL)
    assert "Tắt xác thực hai bước" in page.content.decode()
    response = client.post(REMOVE, {"code": code_of(device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_administrator).exists()
    client.logout()
    assert log_in(client, "quan_tri").url == INDEX
    assert client.get(CHANGELIST).status_code == 200  # the password alone again


def test_turning_the_second_factor_off_refuses_a_wrong_code(client, enrolled_administrator):
    device = verified_login(client, enrolled_administrator)
    response = client.post(REMOVE, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_turning_the_second_factor_off_is_throttled_like_the_login_code(
    client, enrolled_administrator
):
    device = verified_login(client, enrolled_administrator)
    client.post(REMOVE, {"code": wrong_code(device)})
    response = client.post(REMOVE, {"code": code_of(device, 1)})
    assert "hãy đợi" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_user_cannot_remove_another_users_device(client, enrolled_administrator, officer_a):
    client.force_login(officer_a)
    admin_device = enrolled_administrator.totpdevice_set.get()
    response = client.post(REMOVE, {"code": code_of(admin_device)})
    assert response.status_code == 302  # nothing of their own to remove: to enrolment
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()


def test_when_compulsory_an_administrator_may_not_remove_their_only_device(
    client, settings, enrolled_administrator
):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    device = verified_login(client, enrolled_administrator)
    page = client.get(ENROL).content.decode()
    assert "không thể tắt thiết bị duy nhất" in page
    response = client.post(REMOVE, {"code": code_of(device, 1)})
    assert response.status_code == 200
    assert "không thể tắt thiết bị duy nhất" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()


def test_when_compulsory_other_users_still_turn_their_own_second_factor_off(
    client, settings, officer_a
):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    TOTPDevice.objects.create(user=officer_a, name="Điện thoại", confirmed=True)
    device = verified_login(client, officer_a)
    assert client.post(REMOVE, {"code": code_of(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_a).exists()


def test_a_superuser_removes_anyones_device_in_the_admin(client, superuser, enrolled_administrator):
    device = enrolled_administrator.totpdevice_set.get()
    client.force_login(superuser)
    url = reverse("admin:core_authenticatordevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

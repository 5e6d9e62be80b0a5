"""Optional second factor (TOTP, django-otp) after the password.

The password step is Django's admin login, unchanged, so django-axes throttles it as before.
At login we note in the session whether the user still owes a second step: a code from their
confirmed authenticator (``verify``), or, when ``OTP_REQUIRED_FOR_ADMINISTRATORS`` is on and an
administrator has no device yet, enrolling one (``enrol``). :class:`SecondFactorMiddleware` then
sends every page of that session to the step until it is done. Wrong codes are throttled by
django-otp itself: each failure doubles the wait before the device accepts another code.

A user turns their own second factor off with a current code (``remove``), except an
administrator's only device while the setting makes it compulsory; a superuser removes anyone's
device in the admin (django-otp's TOTP device pages).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django_otp.plugins.otp_totp.models import TOTPDevice

# Session key holding the step still owed: "verify" or "enrol".
PENDING = "second_factor_pending"
VERIFY = "verify"
ENROL = "enrol"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_administrator(user) -> bool:
    # Administrators are the users who manage accounts (the role that holds auth.change_user).
    return user.is_superuser or user.has_perm("auth.change_user")


def second_factor_required(user) -> bool:
    """Whether ``user`` may not work without a second factor (the deployment's choice)."""
    return settings.OTP_REQUIRED_FOR_ADMINISTRATORS and is_administrator(user)


def removal_refused(user) -> str | None:
    """Why ``user`` may not remove their own device, or ``None`` when they may."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True).count()
    if second_factor_required(user) and devices <= 1:
        return (
            "Hệ thống bắt buộc tài khoản quản trị phải có xác thực hai bước, nên không thể tắt "
            "thiết bị duy nhất của bạn. Muốn đổi điện thoại, hãy nhờ một quản trị viên cấp cao "
            "(superuser) xóa thiết bị cũ, rồi đăng ký thiết bị mới ở trang này."
        )
    return None


def pending_step(user) -> str | None:
    """The step ``user`` owes after the password, or ``None``."""
    if confirmed_device(user) is not None:
        return VERIFY
    if second_factor_required(user):
        return ENROL
    return None


def note_pending_step(sender, request, user, **kwargs) -> None:
    """On login, remember the step still owed (connected in CadresConfig.ready)."""
    if request is None or not hasattr(request, "session"):
        return
    step = pending_step(user)
    if step is None:
        request.session.pop(PENDING, None)
    else:
        request.session[PENDING] = step


user_logged_in.connect(note_pending_step, dispatch_uid="core.second_factor.note_pending_step")

"""The pages of the second factor: enrol one's own authenticator, enter a code after the
password, and remove one's own authenticator with a current code. All sit in the admin
(``admin.site.admin_view``)."""

from __future__ import annotations

import base64

import django_otp
import segno
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.second_factor import (
    PENDING,
    confirmed_device,
    removal_refused,
    second_factor_required,
)
from core.second_factor.forms import CodeForm

DEVICE_NAME = "Ứng dụng xác thực"
ENROL_TEMPLATE = "security/second_factor_enrol.html"
TITLE = "Xác thực hai bước"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _done(request, device: TOTPDevice):
    """The session is verified by ``device``: the pending step is paid."""
    django_otp.login(request, device)
    request.session.pop(PENDING, None)
    return redirect(_next_url(request))


def _page(request, template: str, context: dict) -> TemplateResponse:
    context = {**admin.site.each_context(request), "next": _next_url(request), **context}
    return TemplateResponse(request, template, context)


def verify(request):
    """After the password: one code from the user's confirmed authenticator."""
    device = confirmed_device(request.user)
    if device is None:
        request.session.pop(PENDING, None)
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        return _done(request, device)
    return _page(
        request, "security/second_factor_verify.html", {"form": form, "title": "Xác thực hai bước"}
    )


def enrol(request):
    """Show the user's own new authenticator key (QR code and text), confirm it with a first
    code. One unconfirmed device per user is kept between the two requests."""
    enrolled = confirmed_device(request.user)
    if enrolled is not None:
        return _enrolled_page(request, CodeForm(device=enrolled))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by(
        "-pk"
    ).first() or TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
        return _done(request, device)
    uri = device.config_url
    return _page(
        request,
        ENROL_TEMPLATE,
        {
            "title": TITLE,
            "form": form,
            "otpauth_uri": uri,
            "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": second_factor_required(request.user),
        },
    )


def _enrolled_page(request, form: CodeForm) -> TemplateResponse:
    refusal = removal_refused(request.user)
    context = {"enrolled": True, "title": TITLE, "refusal": refusal, "form": form}
    return _page(request, ENROL_TEMPLATE, context)


def remove(request):
    """Turn one's own second factor off: a current code from the device proves the phone is
    in hand (a stolen session alone cannot do it). Refused for an administrator's only device
    while the second factor is compulsory for administrators."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect(reverse("second_factor:enrol"))
    form = CodeForm(request.POST or None, device=device)
    # A refusal is decided before the code is read: no attempt is spent on it.
    refused = removal_refused(request.user) is not None
    if request.method != "POST" or refused or not form.is_valid():
        return _enrolled_page(request, form)
    device.delete()
    messages.success(
        request,
        "Đã tắt xác thực hai bước: từ lần đăng nhập sau chỉ cần mật khẩu. "
        "Có thể bật lại bất cứ lúc nào ở trang này.",
    )
    return redirect(reverse("second_factor:enrol"))

"""The two pages of the second factor: enrol one's own authenticator, and enter a code after
the password. Both sit in the admin (``admin.site.admin_view``)."""

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

from cadres.second_factor import PENDING, confirmed_device, second_factor_required
from cadres.second_factor.forms import CodeForm

DEVICE_NAME = "Ứng dụng xác thực"
ENROL_TEMPLATE = "security/second_factor_enrol.html"


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
    title = "Xác thực hai bước"
    if confirmed_device(request.user) is not None:
        return _page(request, ENROL_TEMPLATE, {"enrolled": True, "title": title})
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
            "title": title,
            "form": form,
            "otpauth_uri": uri,
            "qr_data_uri": segno.make(uri, error="m").svg_data_uri(scale=5),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": second_factor_required(request.user),
        },
    )

"""Keeps a session that still owes its second factor on the page that asks for it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from core.second_factor import ENROL, PENDING


class SecondFactorMiddleware:
    """After AuthenticationMiddleware: reads only the session, so costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = request.session.get(PENDING) if hasattr(request, "session") else None
        if step is not None and not self._exempt(request.path):
            target = reverse("second_factor:enrol" if step == ENROL else "second_factor:verify")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            reverse("second_factor:verify"),
            reverse("second_factor:enrol"),
            reverse("admin:logout"),
            reverse("admin:login"),
            "/" + settings.STATIC_URL.lstrip("/"),
        )
        return path.startswith(exempt)

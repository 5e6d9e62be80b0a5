"""Ends a session left idle, so an unattended office computer does not stay logged in."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

LAST_SEEN = "last_seen"
# Refresh the timestamp at most once a minute: a session write on every request would cost a
# query per page for nothing.
WRITE_EVERY = 60


def mark_seen(sender, request, user, **kwargs) -> None:
    """On login, start the idle clock (connected in CadresConfig.ready)."""
    request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif last_seen is None or now - last_seen > WRITE_EVERY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


user_logged_in.connect(mark_seen, dispatch_uid="core.middleware.mark_seen")

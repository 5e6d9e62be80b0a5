"""Error pages that say why: a request refused as bad (a filter on a unit outside the user's
scope, an unknown filter parameter) answers 400 with the reason raised in
``django.core.exceptions.BadRequest``, never a silently narrowed or widened result."""

from __future__ import annotations

from django.template.response import TemplateResponse


def bad_request(request, exception=None):
    reason = str(exception) if exception is not None and str(exception) else ""
    return TemplateResponse(
        request,
        "400.html",
        {"title": "Yêu cầu không hợp lệ", "reason": reason or "Yêu cầu không hợp lệ."},
        status=400,
    ).render()

"""The old address of the coverage report (reached from the party cell list and bookmarks): it
now lives in the report framework (``party.reports``), so it redirects there with its dates."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from party.list_filters import parse_day
from party.reports import CoverageReport


def coverage(request) -> HttpResponseRedirect:
    """``?on=`` and ``?since=`` (ISO or dd/mm/yyyy) become the report's ``date_to`` and
    ``date_from``; ``?format=xlsx`` (and csv, json) is kept."""
    params = {}
    for old, new in (("on", "date_to"), ("since", "date_from")):
        day = parse_day(request.GET.get(old))
        if day:
            params[new] = day.isoformat()
    if request.GET.get("format"):
        params["format"] = request.GET["format"]
    url = reverse("reports:detail", args=[CoverageReport.name])
    return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)

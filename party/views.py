"""The coverage report page of the admin (reached from the party cell list) and its xlsx."""

from __future__ import annotations

import logging
from datetime import date

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from party import figures
from party.choices import Coverage

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CoverageForm(forms.Form):
    on = forms.DateField(label="Tính đến ngày", required=False)
    since = forms.DateField(label="So với ngày", required=False)

    def days(self, today: date) -> tuple[date, date]:
        """(on, since): defaults are today and the end of the previous year."""
        data = self.cleaned_data if self.is_valid() else {}
        on = data.get("on") or today
        since = data.get("since") or date(on.year - 1, 12, 31)
        return on, since


def coverage(request, context: dict) -> HttpResponse:
    today = timezone.localdate()
    form = CoverageForm(request.GET or None)
    on, since = form.days(today)
    if request.GET.get("format") == "xlsx":
        # Exports are deliberate and logged.
        log.info("export party figures %s by %s", on.year, request.user)
        response = HttpResponse(figures.year_workbook(on.year, today), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="phat-trien-dang-vien-{on.year}.xlsx"'
        )
        return response
    context = {
        **context,
        "form": form,
        "on": on,
        "since": since,
        "coverages": Coverage.choices,
        "rows": figures.coverage_table(on, since),
        "admissions": figures.admissions_table(on.year),
        "overdue": figures.overdue_figures(on),
        "xlsx_query": f"on={on.isoformat()}&format=xlsx",
    }
    return TemplateResponse(request, "admin/party/coverage.html", context)

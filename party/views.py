"""The coverage report page of the admin (reached from the party cell list) and its xlsx."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from cadres.audit import log_export
from party import figures
from party.choices import Coverage

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
        content = figures.year_workbook(on.year, today, request.user)
        log_export(request.user, f"Số liệu phát triển đảng viên năm {on.year}", 1, request)
        response = HttpResponse(content, content_type=XLSX)
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
        "rows": figures.coverage_table(on, since, request.user),
        "admissions": figures.admissions_table(on.year, request.user),
        "overdue": figures.overdue_figures(on, request.user),
        "xlsx_query": f"on={on.isoformat()}&format=xlsx",
    }
    return TemplateResponse(request, "admin/party/coverage.html", context)

"""Admin views: the list of reports, one report on screen, and its download in each format."""

import logging

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from core import reports
from core.audit import log_export
from core.reports import export

log = logging.getLogger(__name__)


def report_index(request):
    available = [r for r in reports.all_reports() if r.has_permission(request.user)]
    context = {
        **admin.site.each_context(request),
        "title": "Báo cáo, thống kê",
        "reports": available,
    }
    return TemplateResponse(request, "admin/reports/index.html", context)


def report_detail(request, name: str):
    report = reports.get(name)
    if report is None:
        raise Http404("Không có báo cáo này.")
    if not report.has_permission(request.user):
        raise PermissionDenied
    result = report.run(request.GET, today=timezone.localdate(), user=request.user)
    fmt = request.GET.get("format", "")
    if fmt in export.FORMATS and result.filterset.is_valid():
        # Exports of personal data are deliberate and logged.
        log.info("export %s %s by %s: %s", name, fmt, request.user, request.GET.urlencode())
        log_export(request.user, f"{report.title} ({fmt})", len(result.rows), request)
        response = HttpResponse(export.export(result, fmt), content_type=export.FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{export.filename(result, fmt)}"'
        return response
    query = request.GET.copy()
    query.pop("format", None)
    context = {
        **admin.site.each_context(request),
        "title": report.title,
        "report": report,
        "result": result,
        "query": query.urlencode(),
        "formats": list(export.FORMATS),
    }
    return TemplateResponse(request, "admin/reports/detail.html", context)

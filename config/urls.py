from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core import dashboard

handler400 = "core.errors.bad_request"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/reports/", include("core.reports.urls")),
    path(
        "admin/dashboard/<slug:name>/",
        admin.site.admin_view(dashboard.panel_view),
        name="dashboard-panel",
    ),
    path("admin/second-factor/", include("core.second_factor.urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

handler400 = "core.errors.bad_request"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/reports/", include("core.reports.urls")),
    path("admin/second-factor/", include("core.second_factor.urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.urls import path

from core.reports import views

app_name = "reports"
urlpatterns = [
    path("", admin.site.admin_view(views.report_index), name="index"),
    path("<slug:name>/", admin.site.admin_view(views.report_detail), name="detail"),
]

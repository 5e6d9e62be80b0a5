from django.contrib import admin
from django.urls import path

from core.second_factor import views

app_name = "second_factor"

urlpatterns = [
    path("", admin.site.admin_view(views.enrol), name="enrol"),
    path("verify/", admin.site.admin_view(views.verify), name="verify"),
    path("remove/", admin.site.admin_view(views.remove), name="remove"),
]

"""URLs of the admin benchmark: the project's admin, and beside it a stock admin of the cadres
(what the issue measured: ``search_fields=["full_name"]``, a free-text field in ``list_filter``,
the full result count) for comparison in the same run."""

from django.contrib import admin
from django.urls import path

from cadres.models import Cadre
from config.urls import urlpatterns as project_urlpatterns


class StockCadreAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "gender", "unit", "category"]
    list_select_related = ["unit"]
    list_filter = ["category", "job_title"]  # job_title: free text, SELECT DISTINCT per page
    search_fields = ["full_name"]
    # Django's defaults: exact paginator count and show_full_result_count = True.


stock_site = admin.AdminSite(name="stock")
stock_site.register(Cadre, StockCadreAdmin)

urlpatterns = [*project_urlpatterns, path("stock/", stock_site.urls)]

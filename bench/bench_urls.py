"""URLs of the admin benchmark: the project's admin, and beside it a stock admin of the cadres
(what the issue measured: ``search_fields=["full_name"]``, a free-text field in ``list_filter``,
the full result count) for comparison in the same run."""

from django.contrib import admin
from django.urls import path

from cadres.models import (
    Appointment,
    Cadre,
    Discipline,
    Evaluation,
    FamilyRelation,
    Qualification,
    Reward,
    SalaryStep,
    WorkHistory,
)
from config.urls import urlpatterns as project_urlpatterns


def stock_inline(record_model):
    name = f"Stock{record_model.__name__}Inline"
    return type(name, (admin.TabularInline,), {"model": record_model})


class StockCadreAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "gender", "unit", "category"]
    list_select_related = ["unit"]
    list_filter = ["category", "job_title"]  # job_title: free text, SELECT DISTINCT per page
    search_fields = ["full_name"]
    change_form_template = "admin/change_form.html"  # not the project's (it links the 2C form)
    # Django's defaults: exact paginator count and show_full_result_count = True; the record's
    # tables as plain inlines (three empty forms each, every select with all its options).
    inlines = [
        stock_inline(m)
        for m in (Appointment, WorkHistory, Qualification, SalaryStep, Evaluation, Reward,
                  Discipline, FamilyRelation)
    ]  # fmt: skip


stock_site = admin.AdminSite(name="stock")
stock_site.register(Cadre, StockCadreAdmin)

urlpatterns = [*project_urlpatterns, path("stock/", stock_site.urls)]

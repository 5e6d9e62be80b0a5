"""django-filter filter sets of the cadres app. The same FilterSet feeds a report's screen, its
export and the ``report`` command, so what is shown is what is exported."""

from __future__ import annotations

from datetime import date

import django_filters
from django.contrib.admin.widgets import AdminDateWidget
from django.utils import timezone

from cadres.choices import Category, Level
from cadres.models import Unit, visible_unit_paths
from core.widgets import PlainSelect

OUT_OF_SCOPE_UNIT = (
    "Đơn vị đã chọn nằm ngoài phạm vi bạn được xem; báo cáo không tính cho đơn vị này."
)


class ReportFilterSet(django_filters.FilterSet):
    """Period, unit (with everything under it), unit level and category, over cadres.

    Reports on other models subclass it and override the ``filter_*`` methods (and
    ``changelist_params``) to reach the cadre through their own relation."""

    date_from = django_filters.DateFilter(label="Từ ngày", method="period")
    date_to = django_filters.DateFilter(label="Đến ngày", method="period")
    unit = django_filters.ModelChoiceFilter(
        label="Đơn vị",
        queryset=Unit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]),
        method="filter_unit",
    )
    level = django_filters.ChoiceFilter(
        label="Cấp", choices=Level.choices, method="filter_level", empty_label="Tất cả"
    )
    category = django_filters.ChoiceFilter(
        label="Đối tượng", choices=Category.choices, method="filter_category", empty_label="Tất cả"
    )

    # Lookups from the filtered model to the cadre; "" when the model is the cadre itself.
    cadre_path = ""

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        # The user the report is for: only the records of the units they may see are counted
        # (None, e.g. the ``report`` command run by the server's operator: everything).
        self.user = user
        for name in ("date_from", "date_to"):
            if name in self.form.fields:  # a report counting on one date drops "date_from"
                # The admin's own date widget (dd/mm/yyyy and its calendar), not the browser's
                # date input, which follows the browser's locale (mm/dd/yyyy in an en-US one).
                self.form.fields[name].widget = AdminDateWidget()
        if "unit" in self.form.fields and user is not None:  # only units the user may choose
            field = self.form.fields["unit"]
            field.queryset = field.queryset.visible_to(user)
            field.error_messages["invalid_choice"] = OUT_OF_SCOPE_UNIT
        if "unit" in self.form.fields:  # thousands of units at province scale
            field = self.form.fields["unit"]
            field.widget = PlainSelect(attrs={"id": "id_unit"})
            field.widget.choices = field.choices

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.user is not None and visible_unit_paths(self.user) is not None:
            queryset = self.filter_scope(queryset, self.user)
        return queryset

    def filter_scope(self, queryset, user):
        """Keep the rows ``user`` may see: the counted model's own ``visible_to``."""
        return queryset.visible_to(user)

    def _cadre(self, lookup: str) -> str:
        return f"{self.cadre_path}__{lookup}" if self.cadre_path else lookup

    def period(self, queryset, name, value):
        # The period is read by each report (``period()``); it filters nothing by itself.
        return queryset

    def filter_unit(self, queryset, name, value: Unit):
        return queryset.filter(**{self._cadre("unit__path__startswith"): value.path})

    def filter_level(self, queryset, name, value: str):
        return queryset.filter(**{self._cadre("unit__level"): value})

    def filter_category(self, queryset, name, value: str):
        return queryset.filter(**{self._cadre("category"): value})

    def period_bounds(self, today: date | None = None) -> tuple[date, date]:
        """(from, to): defaults are the first of January of this year and today."""
        today = today or timezone.localdate()
        data = self.form.cleaned_data if self.is_valid() else {}
        end = data.get("date_to") or today
        start = data.get("date_from") or date(end.year, 1, 1)
        return start, end

    def changelist_params(self) -> dict[str, str]:
        """The same filters as parameters of the cadre changelist's list filters."""
        data = self.form.cleaned_data if self.is_valid() else {}
        params = {}
        if data.get("unit"):
            params["unit"] = str(data["unit"].pk)
        if data.get("level"):
            params["level"] = data["level"]
        if data.get("category"):
            params["category__exact"] = data["category"]
        return params

    def describe(self) -> list[str]:
        """The chosen filters in words, for the title block of the export."""
        data = self.form.cleaned_data if self.is_valid() else {}
        parts = []
        if data.get("unit"):
            parts.append(f"Đơn vị: {data['unit']}")
        if data.get("level"):
            parts.append(f"Cấp: {Level(data['level']).label}")
        if data.get("category"):
            parts.append(f"Đối tượng: {Category(data['category']).label}")
        return parts

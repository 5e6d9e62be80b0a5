"""FilterSets of the planning reports."""

import django_filters

from cadres.filters import ReportFilterSet
from cadres.models import Unit
from planning.choices import EntryRole, TermLevel
from planning.models import PlanningTerm


class PlanningPoolFilterSet(ReportFilterSet):
    """The planning-pool report (report 5): the pool on a date, by term, the unit an entry is
    planned in (with everything under it), the term's level and incumbent / reserve."""

    date_from = None  # the pool is counted on one date: the end of the period
    category = None
    level = django_filters.ChoiceFilter(
        label="Cấp", choices=TermLevel.choices, method="filter_level", empty_label="Tất cả"
    )
    term = django_filters.ModelChoiceFilter(
        label="Nhiệm kỳ quy hoạch", queryset=PlanningTerm.objects.all(), method="filter_term"
    )
    role = django_filters.ChoiceFilter(
        label="Đương chức / dự nguồn",
        choices=EntryRole.choices,
        method="filter_role",
        empty_label="Tất cả",
    )

    def filter_unit(self, queryset, name, value: Unit):
        return queryset.in_unit(value, descendants=True)

    def filter_level(self, queryset, name, value: str):
        return queryset.filter(term__level=value)

    def filter_term(self, queryset, name, value: PlanningTerm):
        return queryset.for_term(value)

    def filter_role(self, queryset, name, value: str):
        return queryset.filter(role=value)

    def changelist_params(self) -> dict[str, str]:
        """The same filters as parameters of the planning list (``PlanningEntryAdmin``)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        params = {}
        if data.get("unit"):
            params["unit"] = str(data["unit"].pk)
        if data.get("level"):
            params["term__level__exact"] = data["level"]
        if data.get("role"):
            params["role__exact"] = data["role"]
        return params

    def describe(self) -> list[str]:
        data = self.form.cleaned_data if self.is_valid() else {}
        parts = []
        if data.get("term"):
            parts.append(f"Nhiệm kỳ: {data['term']}")
        if data.get("unit"):
            parts.append(f"Đơn vị: {data['unit']}")
        if data.get("level"):
            parts.append(f"Cấp: {TermLevel(data['level']).label}")
        if data.get("role"):
            parts.append(EntryRole(data["role"]).label)
        return parts

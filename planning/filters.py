"""FilterSets of the planning reports; the export of the planning list (next round, with the
import machinery) will use the same one, so what is shown is what is exported."""

import django_filters

from cadres.choices import Gender
from cadres.models import Ethnicity, Position, Unit
from planning.choices import EntryRole
from planning.models import PlanningEntry, PlanningTerm


class PlanningEntryFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(queryset=PlanningTerm.objects.all(), label="nhiệm kỳ")
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label="đơn vị (gồm cấp dưới)", method="filter_unit"
    )
    position = django_filters.ModelChoiceFilter(queryset=Position.objects.all(), label="chức danh")
    role = django_filters.ChoiceFilter(choices=EntryRole.choices, label="đương chức / dự nguồn")
    gender = django_filters.ChoiceFilter(
        field_name="cadre__gender", choices=Gender.choices, label="giới tính"
    )
    ethnicity = django_filters.ModelChoiceFilter(
        field_name="cadre__ethnicity", queryset=Ethnicity.objects.all(), label="dân tộc"
    )

    class Meta:
        model = PlanningEntry
        fields = ["term", "unit", "position", "role", "gender", "ethnicity"]

    def filter_unit(self, queryset, name, value):
        return queryset.in_unit(value, descendants=True)

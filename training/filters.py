import django_filters

from cadres.choices import Level
from training.choices import DispatchStatus
from training.models import Dispatch, Programme


class DispatchFilterSet(django_filters.FilterSet):
    """The dispatch list of the totals page: the same filter feeds the screen and any export."""

    year = django_filters.NumberFilter(field_name="start_date", lookup_expr="year", label="năm")
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), label="chương trình"
    )
    status = django_filters.ChoiceFilter(choices=DispatchStatus.choices, label="trạng thái")
    unit_level = django_filters.ChoiceFilter(
        field_name="cadre__unit__level", choices=Level.choices, label="cấp"
    )

    class Meta:
        model = Dispatch
        fields = ["year", "programme", "status", "unit_level"]

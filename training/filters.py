import django_filters
from django.db.models import FilteredRelation, Q

from cadres.choices import Level
from cadres.filters import ReportFilterSet
from cadres.models import Unit, UnitQuerySet, visible_unit_paths
from planning.choices import EntryRole
from training.choices import DispatchStatus, InstitutionKind
from training.models import Dispatch, Programme, TrainingPlan


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


# --- Report filter sets (issue 6) -----------------------------------------------------------


# Where the district's report puts a school: central, the province's, the district's centre.
SCHOOL_KINDS = {
    "central": [InstitutionKind.NATIONAL_ACADEMY],
    "provincial": [
        InstitutionKind.PROVINCIAL_POLITICAL_SCHOOL,
        InstitutionKind.PROVINCIAL_MILITARY_SCHOOL,
    ],
    "district": [InstitutionKind.DISTRICT_CENTRE],
}
SCHOOL_CHOICES = [
    ("central", "Trường trung ương"),
    ("provincial", "Trường của tỉnh"),
    ("district", "Trung tâm Chính trị huyện"),
    ("other", "Trường khác (đại học, cao đẳng, trung cấp, công an)"),
]


def school_q(value: str) -> Q:
    if value == "other":
        return ~Q(institution__kind__in=[k for kinds in SCHOOL_KINDS.values() for k in kinds])
    return Q(institution__kind__in=SCHOOL_KINDS[value])


class DispatchReportFilterSet(ReportFilterSet):
    """Dispatches: the unit and level of the cadre when sent, the category, incumbent or
    reserve as recorded at dispatch, and the level of the school."""

    cadre_path = "cadre"
    pool = django_filters.ChoiceFilter(
        label="Quy hoạch",
        choices=EntryRole.choices,
        method="filter_pool",
        empty_label="Tất cả",
    )
    school = django_filters.ChoiceFilter(
        label="Nơi học", choices=SCHOOL_CHOICES, method="filter_school", empty_label="Tất cả"
    )

    def filter_pool(self, queryset, name, value: str):
        return queryset.filter(pool_role=value)

    def filter_school(self, queryset, name, value: str):
        return queryset.filter(school_q(value))

    # A past period counts people by the unit they had when sent (Dispatch.unit).
    def filter_unit(self, queryset, name, value: Unit):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_level(self, queryset, name, value: str):
        return queryset.filter(unit__level=value)

    def changelist_params(self) -> dict[str, str]:
        data = self.form.cleaned_data if self.is_valid() else {}
        params = super().changelist_params()
        if "category__exact" in params:
            params["category"] = params.pop("category__exact")
        for key in ("pool", "school"):
            if data.get(key):
                params[key] = data[key]
        return params


class PersonReportFilterSet(ReportFilterSet):
    """Attendances and payments: the person is a cadre or a trainee with a unit."""

    cadre_paths = ("cadre",)
    trainee_path = ""

    def _either(self, lookup: str, value) -> Q:
        q = Q()
        for path in self.cadre_paths:
            q |= Q(**{f"{path}__{lookup}": value})
        if self.trainee_path:
            q |= Q(**{f"{self.trainee_path}__{lookup}": value})
        return q

    def person_paths(self) -> tuple[str, ...]:
        return self.cadre_paths + ((self.trainee_path,) if self.trainee_path else ())

    def in_units(self, queryset, units: UnitQuerySet, alias: str):
        """The rows whose person (any of :meth:`person_paths`) belongs to one of ``units``.

        Each path is joined through a ``FilteredRelation`` on a list of unit ids, so PostgreSQL
        reads only the cadres and trainees of those units (by the ``unit_id`` index) and hashes
        them. An OR of ``unit.path LIKE`` over the joined people joined every attendance or
        payment to its people before filtering (4.1 s and 2.0 s for one district at 1M cadres,
        bench/RESULTS.md); ``cadre_id IN (subquery) OR ...`` was fast for a district but never
        finished for the province (a per-row subplan once the ids outgrow hash memory)."""
        ids = list(units.values_list("pk", flat=True))
        if not ids:
            return queryset.none()
        relations = {
            f"{alias}_{i}": FilteredRelation(path, condition=Q(**{f"{path}__unit_id__in": ids}))
            for i, path in enumerate(self.person_paths())
        }
        found = Q()
        for name in relations:
            found |= Q(**{f"{name}__isnull": False})
        return queryset.annotate(**relations).filter(found)

    def filter_unit(self, queryset, name, value):
        return self.in_units(queryset, Unit.objects.descendants_of(value), "in_chosen_unit")

    def filter_level(self, queryset, name, value):
        return queryset.filter(self._either("unit__level", value))

    def filter_scope(self, queryset, user):
        # The person is the cadre or the trainee: visible when either's unit is.
        return self.in_units(queryset, Unit.objects.visible_to(user), "in_scope")

    def filter_category(self, queryset, name, value):
        q = Q()
        for path in self.cadre_paths:
            q |= Q(**{f"{path}__category": value})
        return queryset.filter(q)

    def changelist_params(self) -> dict[str, str]:
        params = super().changelist_params()
        if "category__exact" in params:
            params["category"] = params.pop("category__exact")
        return params


class AttendanceReportFilterSet(PersonReportFilterSet):
    cadre_paths = ("cadre",)
    trainee_path = "trainee"


class PaymentReportFilterSet(PersonReportFilterSet):
    # An attraction payment names the cadre directly.
    cadre_paths = ("dispatch__cadre", "attendance__cadre", "cadre")
    trainee_path = "attendance__trainee"


class NeedReportFilterSet(ReportFilterSet):
    cadre_path = "cadre"

    def changelist_params(self) -> dict[str, str]:
        params = super().changelist_params()
        if "category__exact" in params:
            params["category"] = params.pop("category__exact")
        return params

    def plan_q(self, plan_path: str) -> Q:
        """The plans (reached through ``plan_path``) of the chosen unit and level that the user
        may see: quotas belong to a unit's plan, so they follow the unit filters (the category,
        a cadre's, does not apply to them)."""
        data = self.form.cleaned_data if self.is_valid() else {}
        q = Q()
        if data.get("unit"):
            q &= Q(**{f"{plan_path}__unit__path__startswith": data["unit"].path})
        if data.get("level"):
            q &= Q(**{f"{plan_path}__unit__level": data["level"]})
        if self.user is not None and visible_unit_paths(self.user) is not None:
            q &= TrainingPlan.objects.visible_q(self.user, through=plan_path)
        return q

    def plan_params(self) -> dict[str, str]:
        """The unit filters as parameters of the plan-line list (``PlanLineAdmin``)."""
        params = self.changelist_params()
        return {key: params[key] for key in ("unit", "level") if key in params}

"""Planning factories: each builds a valid object; a test sets only what it is about."""

from datetime import date

import factory

from planning.choices import DecisionKind, EntryRole, TermKind, TermLevel
from planning.models import (
    PlanningDecision,
    PlanningEntry,
    PlanningTerm,
    PositionStandard,
    Rotation,
    VotingRound,
)
from tests.factories import AppointmentFactory, CadreFactory, PositionFactory, UnitFactory


class ServingCadreFactory(CadreFactory):
    """A cadre whose current post is on record (a low-ranked one since 2015), so that the
    "higher position" rule can answer."""

    class Meta:
        skip_postgeneration_save = True

    post = factory.RelatedFactory(
        AppointmentFactory,
        factory_related_name="cadre",
        position__rank=1,
        start_date=date(2015, 1, 1),
    )


class PlanningTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningTerm
        django_get_or_create = ["name", "level", "kind"]

    name = "2025-2030"
    start_date = date(2025, 7, 1)
    end_date = date(2030, 6, 30)
    level = TermLevel.COMMUNE
    kind = TermKind.LEADERSHIP


class PlanningDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningDecision

    number = factory.Sequence(lambda n: f"{100 + n}-QĐ/HU")
    issued_on = date(2024, 6, 1)
    issuer = "Ban Thường vụ Huyện ủy Lộc Bình"
    kind = DecisionKind.APPROVAL
    term = factory.SubFactory(PlanningTermFactory)


class PositionStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionStandard

    position = factory.SubFactory(PositionFactory)


class PlanningEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningEntry

    added_by = factory.SubFactory(PlanningDecisionFactory)
    term = factory.SelfAttribute("added_by.term")
    unit = factory.SubFactory(UnitFactory)
    position = factory.SubFactory(PositionFactory)
    cadre = factory.SubFactory(ServingCadreFactory, unit=factory.SelfAttribute("..unit"))
    role = EntryRole.RESERVE
    first_time = True


class RotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rotation

    cadre = factory.SubFactory(CadreFactory)
    from_unit = factory.SelfAttribute("cadre.unit")
    to_unit = factory.SubFactory(UnitFactory)
    decision_number = factory.Sequence(lambda n: f"{n}-QĐ/HU")
    decision_date = date(2024, 1, 2)
    planned_start = date(2024, 2, 1)
    planned_end = date(2025, 2, 1)


def one_of_everything(cadre) -> None:
    """A row of every planning model registered in the admin, for the generic page test."""
    entry = PlanningEntryFactory(cadre=cadre, unit=cadre.unit)
    PositionStandardFactory(position=entry.position)
    RotationFactory(cadre=cadre)
    VotingRound.objects.create(term=entry.term, unit=entry.unit, year=2024)

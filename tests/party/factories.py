"""Factories of the party app (kept beside its tests so parallel branches do not collide in
tests/factories.py)."""

from datetime import date

import factory

from cadres.choices import UnitKind
from party.models import AdmissionCandidate, AdmissionTarget, CellMembershipReport, PartyCell
from tests.factories import UnitFactory


class VillageFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Thôn Thử Nghiệm {n}")
    kind = UnitKind.VILLAGE
    parent = factory.SubFactory(UnitFactory)


class PartyCellFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyCell
        skip_postgeneration_save = True

    name = factory.LazyAttribute(lambda cell: f"Chi bộ {cell.unit.name}")
    unit = factory.SubFactory(VillageFactory)
    founded_on = date(2015, 1, 1)

    @factory.post_generation
    def serves(self, create, units, **kwargs):
        if create and units:
            self.serves.set(units)


class CellMembershipReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CellMembershipReport

    cell = factory.SubFactory(PartyCellFactory)
    reported_on = date(2024, 12, 31)
    official = 5
    probationary = 0


class AdmissionCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdmissionCandidate

    unit = factory.SubFactory(VillageFactory)
    cell = factory.SubFactory(PartyCellFactory, unit=factory.SelfAttribute("..unit"))
    proposed_on = date(2024, 1, 15)


class AdmissionTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdmissionTarget

    unit = factory.SubFactory(UnitFactory)
    year = 2025
    target = 3


def one_of_everything(cadre) -> None:
    """A row of every party model registered in the admin, for the generic page test."""
    village = VillageFactory(parent=cadre.unit)
    cell = PartyCellFactory(unit=village, secretary=cadre)
    CellMembershipReportFactory(cell=cell)
    AdmissionCandidateFactory(unit=village, cell=cell, cadre=cadre)
    AdmissionTargetFactory(unit=cadre.unit)

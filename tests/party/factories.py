"""Factories of the party app (kept beside its tests so parallel branches do not collide in
tests/factories.py)."""

from datetime import date, timedelta

import factory

from cadres.choices import UnitKind
from party.models import AdmissionCandidate, AdmissionTarget, CellMembershipReport, PartyCell
from tests.factories import UnitFactory
from tests.training.factories import AttendanceFactory, CourseFactory, TraineeFactory
from training.choices import CourseTopic


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
    trainee = factory.SubFactory(TraineeFactory, unit=factory.SelfAttribute("..unit"))
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


def class_attended(
    trainee=None, cadre=None, ends: date = date(2024, 1, 20), topic=CourseTopic.PARTY_ADMISSION
):
    """An attendance of ``trainee`` or ``cadre`` at a class of ``topic`` ending on ``ends``."""
    course = CourseFactory(topic=topic, start_date=ends - timedelta(days=4), end_date=ends)
    return AttendanceFactory(course=course, trainee=trainee, cadre=cadre)

"""factory_boy factories: each builds a valid object; a test sets only what it is about."""

from datetime import date

import factory

from cadres.choices import Category, Gender, Level, UnitKind
from cadres.models import (
    Appointment,
    Cadre,
    Ethnicity,
    Position,
    Qualification,
    QualificationLevel,
    Unit,
)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    title = factory.Sequence(lambda n: f"Chức danh {n}")
    level = Level.COMMUNE
    rank = 50


def ethnicity(code: str = "02") -> Ethnicity:
    return Ethnicity.objects.get(code=code)


def level(code: str) -> QualificationLevel:
    return QualificationLevel.objects.get(code=code)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    full_name = factory.Sequence(lambda n: f"Hoàng Văn Thử {n}")
    gender = Gender.MALE
    birth_date = date(1980, 5, 17)
    ethnicity = factory.LazyFunction(ethnicity)
    cccd = factory.Sequence(lambda n: f"020080{n:06d}")
    category = Category.CIVIL_SERVANT
    unit = factory.SubFactory(UnitFactory)


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    cadre = factory.SubFactory(CadreFactory)
    level = factory.LazyFunction(lambda: level("CM_DAI_HOC"))
    year_obtained = 2005


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    cadre = factory.SubFactory(CadreFactory)
    position = factory.SubFactory(PositionFactory)
    unit = factory.SelfAttribute("cadre.unit")
    start_date = date(2021, 1, 1)

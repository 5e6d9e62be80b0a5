"""Factories of the training app (kept beside its tests so parallel branches do not collide in
tests/factories.py; the lead may move them there)."""

from datetime import date

import factory

from tests.factories import CadreFactory, PositionFactory, UnitFactory, level
from training import drafting
from training.choices import CourseTopic, NeedSource
from training.models import (
    Attendance,
    BudgetAllocation,
    CommuneDuty,
    Course,
    CourseCost,
    Departure,
    Dispatch,
    DispatchDecision,
    DutyReport,
    Institution,
    PlanLine,
    PrintTemplate,
    Programme,
    Reimbursement,
    SchemeTarget,
    SupportPayment,
    SupportPolicy,
    SupportRate,
    Trainee,
    TrainingNeed,
    TrainingPlan,
    TrainingScheme,
)


def programme(code: str) -> Programme:
    """A seeded programme (see the training data migration)."""
    return Programme.objects.select_related(
        "grants_level", "min_general_education", "prerequisite_level"
    ).get(code=code)


def institution(name: str = "Trường Chính trị Hoàng Văn Thụ") -> Institution:
    return Institution.objects.get(name=name)


class DispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispatch

    cadre = factory.SubFactory(CadreFactory)
    programme = factory.LazyFunction(lambda: programme("TRUNG_CAP_LLCT"))
    institution = factory.LazyFunction(institution)
    decision_number = factory.Sequence(lambda n: f"{n}-QĐ/HU")
    decision_date = date(2023, 8, 15)
    start_date = date(2023, 9, 1)
    end_date = date(2024, 5, 1)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    name = factory.Sequence(lambda n: f"Lớp bồi dưỡng số {n}")
    topic = CourseTopic.PARTY_ADMISSION
    organiser = factory.LazyFunction(lambda: institution("Trung tâm Chính trị huyện Lộc Bình"))
    start_date = date(2024, 3, 4)
    end_date = date(2024, 3, 8)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    full_name = factory.Sequence(lambda n: f"Lộc Thị Học Viên {n}")
    birth_date = date(2000, 1, 1)
    unit = factory.SubFactory(UnitFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    course = factory.SubFactory(CourseFactory)
    cadre = factory.SubFactory(CadreFactory)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingNeed

    cadre = factory.SubFactory(CadreFactory)
    programme = factory.LazyFunction(lambda: programme("TRUNG_CAP_LLCT"))
    reason = "Chưa đạt tiêu chuẩn lý luận chính trị của chức danh quy hoạch."
    source = NeedSource.AGENCY_PROPOSAL


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPlan

    year = 2025
    unit = factory.SubFactory(UnitFactory)


class PlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLine

    plan = factory.SubFactory(PlanFactory)
    programme = factory.LazyFunction(lambda: programme("TRUNG_CAP_LLCT"))


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPolicy

    name = "Hỗ trợ đào tạo, bồi dưỡng cán bộ"
    legal_basis = "Nghị quyết của HĐND tỉnh Lạng Sơn"
    valid_from = date(2020, 1, 1)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPayment

    policy = factory.SubFactory(PolicyFactory)
    dispatch = factory.SubFactory(DispatchFactory)
    amount = 1_000_000
    paid_on = date(2024, 1, 15)


def one_of_everything(cadre) -> TrainingPlan:
    """A row of every training model registered in the admin, for the generic page test; returns
    the district's plan."""
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    cadre.unit.parent = district
    cadre.unit.save()
    cadre.general_education = level("PT_12_12")
    cadre.save()
    scheme = TrainingScheme.objects.create(
        name="Đề án đào tạo cán bộ", unit=district, start_year=2021, end_year=2025
    )
    SchemeTarget.objects.create(scheme=scheme, programme=programme("TRUNG_CAP_LLCT"), target=20)
    NeedFactory(cadre=cadre, position=PositionFactory())
    plan = PlanFactory(unit=district, scheme=scheme)
    PlanLineFactory(plan=plan, quota=1, target=1)
    drafting.draft(plan)
    dispatch = DispatchFactory(cadre=cadre)
    payment = PaymentFactory(dispatch=dispatch, amount=8_000_000)
    SupportRate.objects.create(policy=payment.policy, basis="per_month", amount=1_000_000)
    Reimbursement.work_out(dispatch, left_on=date(2024, 12, 1)).save()
    trainee = TraineeFactory()
    AttendanceFactory(cadre=cadre)
    AttendanceFactory(cadre=None, trainee=trainee)
    decision = DispatchDecision.objects.create(
        number="215-QĐ/HU",
        issued_on=date(2024, 8, 1),
        programme=programme("TRUNG_CAP_LLCT"),
        institution=institution(),
        start_date=date(2024, 9, 1),
        end_date=date(2025, 5, 1),
    )
    DispatchFactory(cadre=cadre, decision=decision, decision_number=decision.number)
    PrintTemplate.objects.create(kind=PrintTemplate.Kind.DECISION, file="mau-in/quyet-dinh.docx")
    BudgetAllocation.objects.create(year=2024, policy=payment.policy, amount=100_000_000)
    CourseCost.objects.create(
        course=CourseFactory(), item="Thuê hội trường", amount=2_000_000, paid_on=date(2024, 3, 4)
    )
    Departure.objects.create(cadre=cadre, kind=Departure.Kind.TRANSFER, left_on=date(2025, 1, 1))
    DutyReport.objects.create(
        unit=cadre.unit,
        year=2024,
        duty=CommuneDuty.objects.get(code="planning_review"),
        done_on=date(2024, 10, 30),
    )
    return plan

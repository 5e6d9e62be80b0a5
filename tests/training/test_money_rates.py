"""Money of issue 18: rates compute amounts, budgets against spending, class running costs,
the commitment ledger and departures that work out the repayment."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    PaymentFactory,
    PolicyFactory,
    programme,
)
from training.choices import DispatchStatus, RateBasis, RepaymentCase
from training.models import (
    BudgetAllocation,
    CourseCost,
    Departure,
    Dispatch,
    Reimbursement,
    SupportPayment,
    SupportRate,
)

pytestmark = pytest.mark.django_db


def rate(basis: str, amount: int, policy=None) -> SupportRate:
    return SupportRate.objects.create(
        policy=policy or PolicyFactory(), basis=basis, amount=Decimal(amount)
    )


def test_a_monthly_rate_computes_the_amount_over_the_calendar_months_of_study():
    monthly = rate(RateBasis.PER_MONTH, 500_000)
    dispatch = DispatchFactory(start_date=date(2022, 10, 3), end_date=date(2024, 10, 2))
    payment = SupportPayment.objects.create(
        policy=monthly.policy, rate=monthly, dispatch=dispatch, paid_on=date(2024, 10, 5)
    )
    assert (payment.quantity, payment.computed_amount, payment.amount) == (
        24,
        12_000_000,
        12_000_000,
    )


def test_an_edited_amount_keeps_the_computed_figure_for_audit():
    monthly = rate(RateBasis.PER_MONTH, 500_000)
    payment = SupportPayment.objects.create(
        policy=monthly.policy,
        rate=monthly,
        dispatch=DispatchFactory(),  # 01/09/2023 - 01/05/2024: 8 months
        amount=Decimal(3_500_000),
        paid_on=date(2024, 5, 5),
    )
    payment.refresh_from_db()
    assert (payment.amount, payment.computed_amount) == (3_500_000, 4_000_000)
    assert payment.differs_from_rate


@pytest.mark.parametrize(
    ("basis", "expected"),
    [
        (RateBasis.PER_DAY, 5 * 150_000),
        (RateBasis.PER_COURSE, 150_000),
        (RateBasis.LUMP_SUM, 150_000),
    ],
)
def test_daily_per_course_and_lump_sum_rates(basis, expected):
    chosen = rate(basis, 150_000)
    attendance = AttendanceFactory(course=CourseFactory())  # 04/03 to 08/03/2024: five days
    payment = SupportPayment.objects.create(
        policy=chosen.policy, rate=chosen, attendance=attendance, paid_on=date(2024, 3, 8)
    )
    assert payment.amount == expected


def test_a_budget_is_shown_against_support_paid_and_class_costs_of_its_policy_and_unit():
    commune, other = UnitFactory(), UnitFactory()
    policy = PolicyFactory()
    here = DispatchFactory(cadre=CadreFactory(unit=commune))
    there = DispatchFactory(cadre=CadreFactory(unit=other))
    PaymentFactory(policy=policy, dispatch=here, amount=3_000_000, paid_on=date(2024, 2, 1))
    PaymentFactory(policy=policy, dispatch=there, amount=1_000_000, paid_on=date(2024, 2, 1))
    PaymentFactory(policy=policy, dispatch=here, amount=9_000_000, paid_on=date(2023, 2, 1))
    CourseCost.objects.create(
        course=CourseFactory(),
        policy=policy,
        item="Thuê hội trường",
        amount=2_000_000,
        paid_on=date(2024, 3, 4),
    )
    district = BudgetAllocation.objects.create(year=2024, policy=policy, amount=10_000_000)
    BudgetAllocation.objects.create(year=2024, policy=policy, unit=commune, amount=4_000_000)
    rows = {r["allocation"].unit_id: r for r in BudgetAllocation.objects.against_spending(2024)}
    assert (rows[None]["spent"], rows[None]["left"]) == (6_000_000, 4_000_000)
    assert (rows[commune.pk]["spent"], rows[commune.pk]["left"]) == (3_000_000, 1_000_000)
    assert district.spent() == 6_000_000


def graduate(**kwargs) -> Dispatch:
    values = {
        "programme": programme("CAO_DANG"),
        "decision_date": date(2015, 8, 1),
        "start_date": date(2021, 9, 1),
        "end_date": date(2023, 8, 31),
        "status": DispatchStatus.GRADUATED,
        "graduated_on": date(2023, 8, 31),
    }
    dispatch = DispatchFactory(**(values | kwargs))
    PaymentFactory(dispatch=dispatch, amount=24_000_000)
    return dispatch


def test_the_commitment_ledger_lists_who_still_owes_service():
    owing = graduate()  # 24 months, 48 committed: until 31/08/2027
    served = graduate(
        start_date=date(2016, 9, 1), end_date=date(2018, 8, 31), graduated_on=date(2018, 8, 31)
    )
    repaid = graduate()
    Reimbursement.work_out(repaid, date(2024, 8, 31)).save()
    assert owing.commitment_ends_on == date(2027, 8, 31)
    assert list(Dispatch.objects.under_commitment(date(2025, 1, 1))) == [owing]
    assert served not in Dispatch.objects.under_commitment(date(2025, 1, 1))


def test_a_resignation_under_commitment_warns_and_works_out_the_repayment():
    dispatch = graduate()
    departure = Departure.objects.create(
        cadre=dispatch.cadre, kind=Departure.Kind.RESIGNATION, left_on=date(2025, 8, 31)
    )
    assert "đang trong thời gian cam kết phục vụ" in departure.warnings()[0]
    [reimbursement] = departure.work_out_repayments()
    assert reimbursement.repayment_rule.case == RepaymentCase.LEFT_AFTER_GRADUATION
    assert (reimbursement.months_committed, reimbursement.months_served) == (48, 24)
    assert reimbursement.amount == 12_000_000


def test_a_retirement_is_shown_but_repays_nothing():
    dispatch = graduate()
    departure = Departure.objects.create(
        cadre=dispatch.cadre, kind=Departure.Kind.RETIREMENT, left_on=date(2025, 8, 31)
    )
    assert departure.warnings()
    assert departure.work_out_repayments() == []
    assert not Reimbursement.objects.exists()

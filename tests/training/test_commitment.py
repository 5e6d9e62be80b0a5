from datetime import date
from decimal import Decimal

import pytest

from tests.training.factories import DispatchFactory, PaymentFactory, programme
from training.choices import DispatchStatus
from training.commitment import months_to_serve, repayment
from training.models import Reimbursement, ServiceCommitmentRule


@pytest.mark.parametrize(
    ("study", "multiplier", "minimum", "expected"),
    [
        (24, Decimal(2), 0, 48),
        (8, Decimal(2), 0, 16),
        (7, Decimal("1.5"), 0, 11),  # 10.5 months: a part month counts as a whole one
        (2, Decimal(2), 12, 12),
    ],
)
def test_commitment_is_a_multiple_of_the_study_period(study, multiplier, minimum, expected):
    assert months_to_serve(study, multiplier, minimum) == expected


@pytest.mark.parametrize(
    ("cost", "committed", "served", "owed"),
    [
        (48_000_000, 48, 12, 36_000_000),
        (48_000_000, 48, 0, 48_000_000),
        (48_000_000, 48, 48, 0),
        (48_000_000, 48, 60, 0),  # served longer than committed: nothing owed
        (10_000_000, 3, 1, 6_666_667),  # rounded to the đồng
        (10_000_000, 0, 0, 0),
    ],
)
def test_repayment_is_cost_times_unserved_share(cost, committed, served, owed):
    assert repayment(Decimal(cost), committed, served) == Decimal(owed)


@pytest.mark.django_db
def test_dispatch_takes_its_commitment_from_the_rule_in_force_when_study_began():
    dispatch = DispatchFactory(start_date=date(2023, 9, 1), end_date=date(2024, 5, 1))
    assert dispatch.months_to_serve == 16  # 8 months of study, twice over (Nghị định 89/2021)
    ServiceCommitmentRule.objects.filter(legal_basis__contains="89/2021").update(multiplier=3)
    later = DispatchFactory(start_date=date(2023, 9, 1), end_date=date(2024, 5, 1))
    assert later.months_to_serve == 24


@pytest.mark.django_db
def test_short_course_carries_no_commitment():
    dispatch = DispatchFactory(programme=programme("QLNN_CV"))
    assert dispatch.months_to_serve is None


@pytest.mark.django_db
def test_reimbursement_of_a_trainee_who_left_a_year_after_graduating():
    dispatch = DispatchFactory(
        programme=programme("CAO_DANG"),
        decision_date=date(2022, 1, 5),
        start_date=date(2022, 1, 10),
        end_date=date(2024, 1, 10),
        status=DispatchStatus.GRADUATED,
        graduated_on=date(2024, 1, 10),
    )
    PaymentFactory(dispatch=dispatch, amount=30_000_000)
    PaymentFactory(dispatch=dispatch, amount=18_000_000, paid_on=date(2023, 1, 15))
    owed = Reimbursement.work_out(dispatch, left_on=date(2025, 1, 10))
    assert (owed.cost, owed.months_committed, owed.months_served) == (48_000_000, 48, 12)
    assert owed.amount == 36_000_000
    assert "89/2021" in owed.rule.legal_basis
    owed.save()
    owed.refresh_from_db()
    assert owed.amount == 36_000_000


@pytest.mark.django_db
def test_saved_reimbursement_recomputes_its_amount_when_edited():
    dispatch = DispatchFactory(start_date=date(2023, 9, 1), end_date=date(2024, 5, 1))
    PaymentFactory(dispatch=dispatch, amount=16_000_000)
    owed = Reimbursement.work_out(dispatch, left_on=date(2024, 9, 1))
    owed.save()
    assert owed.amount == 12_000_000  # 16 committed, 4 served
    owed.months_served = 8
    owed.save()
    assert owed.amount == 8_000_000

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.training.factories import DispatchFactory, PaymentFactory, programme
from training.choices import DispatchStatus, RepaymentCase
from training.commitment import months_to_serve, repayment, study_months
from training.models import Reimbursement, RepaymentRule, ServiceCommitmentRule


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


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2022, 10, 3), date(2024, 10, 2), 24),  # the case: 23 before
        (date(2023, 9, 1), date(2024, 5, 31), 9),
        (date(2023, 9, 1), date(2024, 5, 1), 8),  # a day short of a further month
        (date(2024, 3, 4), date(2024, 3, 8), 1),  # any study is at least a month
    ],
)
def test_study_is_counted_in_calendar_months_both_days_included(start, end, months):
    assert study_months(start, end) == months


@pytest.mark.django_db
def test_two_years_of_study_from_the_third_of_october_commit_forty_eight_months():
    dispatch = DispatchFactory(
        programme=programme("TRUNG_CAP_CM"),
        decision_date=date(2022, 9, 20),
        start_date=date(2022, 10, 3),
        end_date=date(2024, 10, 2),
    )
    assert (dispatch.study_months, dispatch.months_to_serve) == (24, 48)


def left_study(status: DispatchStatus, **kwargs):
    dispatch = DispatchFactory(
        programme=programme("CAO_DANG"),
        decision_date=date(2022, 1, 5),
        start_date=date(2022, 1, 10),
        end_date=date(2024, 1, 9),
        status=status,
        **kwargs,
    )
    PaymentFactory(dispatch=dispatch, amount=48_000_000)
    return dispatch


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "left_on", "case", "owed"),
    [
        (DispatchStatus.FAILED, date(2024, 6, 1), RepaymentCase.FAILED, 48_000_000),
        (DispatchStatus.WITHDRAWN, date(2023, 3, 1), RepaymentCase.WITHDRAWN, 48_000_000),
        (DispatchStatus.STUDYING, date(2023, 3, 1), RepaymentCase.LEFT_DURING_STUDY, 48_000_000),
    ],
)
def test_failure_withdrawal_and_leaving_during_study_repay_the_whole_cost(
    status, left_on, case, owed
):
    reimbursement = Reimbursement.work_out(left_study(status), left_on)
    assert reimbursement.repayment_rule.case == case
    assert reimbursement.amount == owed
    assert "101/2017" in reimbursement.repayment_rule.source
    reimbursement.save()
    assert Reimbursement.objects.get().amount == owed


@pytest.mark.django_db
def test_a_graduate_who_left_early_repays_the_unserved_share_by_the_rule():
    dispatch = left_study(DispatchStatus.GRADUATED, graduated_on=date(2024, 1, 9))
    reimbursement = Reimbursement.work_out(dispatch, date(2025, 1, 9))
    assert reimbursement.repayment_rule.case == RepaymentCase.LEFT_AFTER_GRADUATION
    assert (reimbursement.months_committed, reimbursement.months_served) == (48, 12)
    assert reimbursement.amount == 36_000_000


@pytest.mark.django_db
def test_the_repayment_rule_is_data_the_administrator_edits():
    dispatch = left_study(DispatchStatus.FAILED)
    RepaymentRule.objects.filter(case=RepaymentCase.FAILED).update(method="pro_rata", share=50)
    reimbursement = Reimbursement.work_out(dispatch, date(2024, 6, 1))
    assert reimbursement.amount == 24_000_000  # half of the unserved share, nothing served


@pytest.mark.django_db
def test_a_case_the_rule_does_not_cover_is_refused_with_the_reason():
    dispatch = left_study(DispatchStatus.WITHDRAWN)
    RepaymentRule.objects.filter(case=RepaymentCase.WITHDRAWN).delete()
    with pytest.raises(ValidationError, match="chưa ghi cách bồi hoàn"):
        Reimbursement.work_out(dispatch, date(2023, 3, 1))

"""Support payments: a training payment is for a dispatch or an attendance; an attraction
payment (thu hút người có trình độ cao) is for a cadre alone, and both count in the money
totals and the report by policy and year."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import reports
from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import DispatchFactory, PaymentFactory, PolicyFactory
from training.choices import PolicyKind
from training.models import Dispatch, SupportPayment
from training.totals import totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def attraction():
    return PolicyFactory(name="Thu hút người có trình độ cao", kind=PolicyKind.ATTRACTION)


def test_an_attraction_payment_names_a_cadre_without_a_dispatch_or_attendance(attraction, cadre):
    payment = SupportPayment(
        policy=attraction, cadre=cadre, amount=50_000_000, paid_on=date.today()
    )
    payment.full_clean()
    payment.save()
    assert payment.payee_name == cadre.full_name


def test_a_training_payment_cannot_name_a_cadre_alone(cadre):
    payment = SupportPayment(
        policy=PolicyFactory(), cadre=cadre, amount=1_000_000, paid_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        payment.full_clean()
    assert "Chỉ chính sách thu hút" in error.value.message_dict["cadre"][0]


def test_an_attraction_payment_names_no_dispatch(attraction, cadre):
    payment = SupportPayment(
        policy=attraction,
        cadre=cadre,
        dispatch=DispatchFactory(cadre=cadre),
        amount=1,
        paid_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        payment.full_clean()
    assert "Chính sách thu hút chi cho một cán bộ" in error.value.message_dict["cadre"][0]


@pytest.mark.parametrize(
    "targets",
    [{}, {"dispatch": True, "cadre": True}],
    ids=["nothing", "a dispatch and a cadre"],
)
def test_the_database_keeps_a_payment_to_exactly_one_thing(attraction, cadre, targets):
    values = {"cadre": cadre if "cadre" in targets else None}
    if "dispatch" in targets:
        values["dispatch"] = DispatchFactory(cadre=cadre)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPayment.objects.create(policy=attraction, amount=1, paid_on=date.today(), **values)


def test_attraction_payments_count_in_the_totals_and_the_report_by_policy_and_year(
    admin_client, attraction
):
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    cadre = CadreFactory(unit=district)
    PaymentFactory(dispatch=DispatchFactory(cadre=cadre), amount=3_000_000)
    SupportPayment.objects.create(
        policy=attraction, cadre=cadre, amount=50_000_000, paid_on=date(2024, 2, 1)
    )
    money = {
        (row["policy__name"], row["year"]): row["total"]
        for row in totals(Dispatch.objects.all(), 2024)["money"]
    }
    assert money == {
        ("Hỗ trợ đào tạo, bồi dưỡng cán bộ", 2024): 3_000_000,
        ("Thu hút người có trình độ cao", 2024): 50_000_000,
    }
    period = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
    for params in (period, period | {"level": "district"}, period | {"unit": district.pk}):
        rows = reports.get("kinh-phi-dao-tao").run(params, today=date(2025, 1, 1)).rows
        amounts = {row["policy"]: row["amount"].value for row in rows}
        assert amounts["Thu hút người có trình độ cao"] == 50_000_000, params
        cell = next(r for r in rows if r["policy"] == attraction.name)["payments"]
        listed = admin_client.get(cell.url).context["cl"].queryset
        assert list(listed.values_list("cadre", flat=True)) == [cadre.pk], params

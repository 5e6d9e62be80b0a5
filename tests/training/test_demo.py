import random
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Sum

from training import demo
from training.choices import DispatchStatus
from training.models import Attendance, Course, Dispatch, SupportPayment, TrainingNeed

pytestmark = pytest.mark.django_db


def test_demo_has_three_years_of_training_shaped_like_the_district_report(settings):
    # The district's years: the demo as of the end of 2024, before its cadres moved to the 2025
    # communes (the split below is by each cadre's current unit).
    settings.DEMO_TODAY = date(2024, 12, 31)
    call_command("load_demo")
    dispatches = Dispatch.objects.count()
    assert 300 < dispatches < 550
    assert set(Dispatch.objects.by_unit_level()) == {"district", "commune"}
    assert Course.objects.count() == 57
    totals = Attendance.objects.totals()
    assert 4000 < totals["attendances"] < 4600
    assert totals["people"] < totals["attendances"]  # some attended more than one class
    assert Attendance.objects.filter(cadre__isnull=True).count() > 1000  # off the register
    assert SupportPayment.objects.aggregate(total=Sum("amount"))["total"] > 800_000_000
    graduate = Dispatch.objects.filter(
        status=DispatchStatus.GRADUATED, programme__code="TRUNG_CAP_LLCT"
    ).first()
    assert graduate.qualification.level.code == "LLCT_TRUNG_CAP"
    assert graduate.cadre.political_theory_level.rank >= 20
    assert TrainingNeed.objects.open().exists()

    demo.build(random.Random(1), lambda message: None)
    assert Dispatch.objects.count() == dispatches

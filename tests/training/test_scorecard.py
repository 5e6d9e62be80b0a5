"""The commune scorecard: each duty against its deadline (data), late ones on the dashboard."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.choices import UnitKind
from tests.factories import UnitFactory
from training.models import CommuneDuty, DutyReport
from training.models.scorecard import scorecard

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 10)


def duty(code: str) -> CommuneDuty:
    return CommuneDuty.objects.get(code=code)


@pytest.fixture
def communes():
    return (
        UnitFactory(name="Xã Đúng Hạn", kind=UnitKind.COMMUNE),
        UnitFactory(name="Xã Chậm Trễ", kind=UnitKind.COMMUNE),
    )


def states(rows) -> dict:
    return {
        (row["unit"].name, cell["duty"].code): cell["state"]
        for row in rows
        for cell in row["cells"]
    }


def test_each_duty_is_on_time_late_overdue_or_pending_against_its_deadline(communes):
    prompt, slow = communes
    DutyReport.objects.create(
        unit=prompt, year=2024, duty=duty("planning_review"), done_on=date(2024, 10, 20)
    )
    DutyReport.objects.create(
        unit=slow, year=2024, duty=duty("planning_review"), done_on=date(2024, 11, 25)
    )
    found = states(scorecard(2024, ON))
    assert found[("Xã Đúng Hạn", "planning_review")] == "on_time"
    assert found[("Xã Chậm Trễ", "planning_review")] == "late"
    assert found[("Xã Chậm Trễ", "training_plan")] == "overdue"  # due 15/12/2024
    assert found[("Xã Chậm Trễ", "party_coverage")] == "pending"  # due 15/01/2025
    assert DutyReport.objects.get(unit=slow).is_late


def test_the_deadline_is_data_the_administrator_edits(communes):
    CommuneDuty.objects.filter(code="training_plan").update(
        due_day=31, due_month=1, due_next_year=True
    )
    found = states(scorecard(2024, ON))
    assert found[("Xã Chậm Trễ", "training_plan")] == "pending"


def test_late_communes_are_highlighted_on_the_dashboard(admin_client, communes, dashboard_html):
    last_year = timezone.localdate().year - 1
    DutyReport.objects.create(
        unit=communes[1],
        year=last_year,
        duty=duty("planning_review"),
        done_on=date(last_year, 11, 25),
    )
    page = dashboard_html(admin_client)
    assert "Xã chậm rà soát quy hoạch" in page
    assert "dashboard-alert" in page and "Xã Chậm Trễ" in page
    scorecard_page = admin_client.get(
        reverse("admin:training_dutyreport_scorecard") + f"?year={last_year}"
    )
    assert f"Trễ hạn (25/11/{last_year})" in scorecard_page.text

"""Planning's part of a merger (planning.mergers) and the rules that read it afterwards: entries
moved to the new unit keep the decision that planned them in the old one."""

from datetime import date

import pytest
from django.urls import reverse

from cadres import mergers
from planning import rules
from planning.models import PlanningEntry
from tests.cadres.merger_data import communes_to_merge, record_succession
from tests.factories import UnitFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.security.conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(district):
    """Xã Hữu Khánh and Xã Tú Mịch merged into Xã Khánh Xuân, each with one reserve for party
    secretary (two in all: within the limit), applied."""
    new, olds = communes_to_merge(district)
    PlanningEntry.objects.filter(cadre__full_name__startswith="Lương Thị").delete()
    successions = [record_succession(old, new) for old in olds]
    mergers.apply(mergers.Merger.of(successions[0]))
    return new, olds


def test_an_entry_moved_by_a_merger_is_edited_and_saved_through_the_admin(admin_client, merged):
    new, _ = merged
    entry = PlanningEntry.objects.get(cadre__full_name="Hoàng Văn Tú Mịch")
    assert entry.unit == new and entry.added_by.issued_on == date(2024, 6, 1)

    url = reverse("admin:planning_planningentry_change", args=[entry.pk])
    data = change_form_data(admin_client, url)
    data["political_standard_on"] = "01/06/2024"
    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.political_standard_on == date(2024, 6, 1)


def test_the_decision_date_rule_accepts_the_unit_that_took_over_the_decisions_unit(merged):
    new, olds = merged
    entry = PlanningEntry.objects.get(cadre__full_name="Hoàng Văn Hữu Khánh")
    assert rules.unit_date_errors(entry, date(2024, 6, 1)) == []

    entry.added_by.unit = olds[0]  # a decision of the old commune itself
    assert rules.unit_date_errors(entry, date(2024, 6, 1)) == []


def test_a_unit_founded_after_the_decision_without_a_recorded_merger_is_still_refused(district):
    founded = UnitFactory(name="Xã Mới Lập", parent=district, valid_from=date(2025, 7, 1))
    entry = PlanningEntryFactory.build(
        unit=founded, added_by=PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    )
    assert rules.unit_date_errors(entry, date(2024, 6, 1)) == [
        "Xã Mới Lập chưa thành lập ngày 01/06/2024."
    ]


def test_a_decision_of_another_old_unit_does_not_reach_the_new_unit(merged, district):
    new, _ = merged
    elsewhere = UnitFactory(name="Xã Xuân Dương", parent=district)
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1), unit=elsewhere)
    entry = PlanningEntryFactory.build(unit=new, added_by=decision, term=decision.term)
    assert rules.unit_date_errors(entry, date(2024, 6, 1)) == [
        "Xã Khánh Xuân chưa thành lập ngày 01/06/2024."
    ]

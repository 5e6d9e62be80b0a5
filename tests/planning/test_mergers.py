"""Planning's part of a merger (planning.mergers) and the rules that read it afterwards: entries
moved to the new unit keep the decision that planned them in the old one."""

from datetime import date

import pytest
from django.urls import reverse

from cadres import mergers
from planning import rules
from planning.choices import EntryRole
from planning.models import Ballot, PlanningEntry, VotingRound
from planning.pool import pool_matrix
from tests.cadres.merger_data import communes_to_merge, record_succession
from tests.factories import UnitFactory
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PlanningTermFactory,
)
from tests.planning.test_pool import cells
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


# --- The preview and the sheet flag the posts a merger overfills ------------------------------


def incumbents_of_two_communes(district):
    """Each old commune's secretary is planned as incumbent for the post (re-election) and has
    one reserve: in the new commune, two incumbents and two reserves for one secretary."""
    new, olds = communes_to_merge(district)
    PlanningEntry.objects.filter(cadre__full_name__startswith="Hoàng Văn").update(
        role=EntryRole.INCUMBENT
    )
    return new, olds


def test_the_preview_flags_two_incumbents_arriving_on_one_post(district):
    new, olds = incumbents_of_two_communes(district)
    successions = [record_succession(old, new) for old in olds]
    changes = [
        c for c in mergers.propose(mergers.Merger.of(successions[0])) if c.section == "Quy hoạch"
    ]
    by_name = {change.record.cadre.full_name: change for change in changes}
    for name in ("Hoàng Văn Hữu Khánh", "Hoàng Văn Tú Mịch"):
        assert any("2 người quy hoạch đương chức" in m for m in by_name[name].conflicts), name
    # Two incumbents and two reserves are four people for a post of three.
    assert all("tối đa 3 người" in " ".join(c.conflicts) for c in changes)
    assert "đương chức" not in " ".join(by_name["Lương Thị Tú Mịch"].conflicts)


def test_the_preview_counts_what_the_new_unit_already_has_against_the_limit(district):
    new, olds = communes_to_merge(district)
    PlanningEntry.objects.filter(unit=olds[1]).delete()
    secretary = PlanningEntry.objects.first().position
    decision = PlanningEntry.objects.first().added_by
    PlanningEntryFactory(unit=new, position=secretary, added_by=decision)
    PlanningEntryFactory(unit=new, position=secretary, added_by=decision)
    successions = [record_succession(old, new) for old in olds]
    changes = [
        c for c in mergers.propose(mergers.Merger.of(successions[0])) if c.section == "Quy hoạch"
    ]
    assert len(changes) == 2
    assert all("đã có đủ 3 người" in " ".join(c.conflicts) for c in changes)


def test_the_term_sheet_shows_the_post_a_merger_overfilled(admin_client, superuser, district):
    new, olds = incumbents_of_two_communes(district)
    successions = [record_succession(old, new) for old in olds]
    mergers.apply(mergers.Merger.of(successions[0]))
    term = PlanningEntry.objects.first().term

    matrix = pool_matrix(term, date(2025, 8, 1), superuser, new)
    row = next(row for row in matrix.units[0].rows if row.position.title == "Bí thư Đảng ủy xã")
    assert (row.count, row.over_limit, len(row.incumbents)) == (4, True, 2)
    assert row.flags == [
        "Vượt số người tối đa: 4/3.",
        "2 người quy hoạch đương chức: xem lại ai giữ chức danh này.",
    ]

    url = reverse("admin:planning_planningterm_change", args=[term.pk])
    page = admin_client.get(url, {"unit": new.pk, "on": "2025-08-01"}).content.decode()
    assert "Vượt số người tối đa: 4/3." in page
    assert "2 người quy hoạch đương chức: xem lại ai giữ chức danh này." in page

    workbook = admin_client.get(
        reverse("admin:planning_term_pool", args=[term.pk]), {"unit": new.pk, "on": "2025-08-01"}
    )
    assert "4/3\nVượt số người tối đa: 4/3." in cells(workbook.content)


# --- Voting rounds follow the entries they put in the pool ------------------------------------


def test_the_old_communes_voting_rounds_are_proposed_and_moved_so_ballots_still_gate_approval(
    district,
):
    new, olds = communes_to_merge(district)
    entry = PlanningEntry.objects.get(cadre__full_name="Hoàng Văn Tú Mịch")
    voting = VotingRound.objects.create(term=entry.term, unit=olds[1], year=2024)
    Ballot.objects.create(
        round=voting,
        step=1,
        cadre=entry.cadre,
        position=entry.position,
        held_on=date(2024, 5, 2),
        summoned=9,
        present=9,
        issued=9,
        returned=9,
        valid=9,
        votes_for=4,
        votes_against=5,
    )
    failed = "Hoàng Văn Tú Mịch (Bí thư Đảng ủy xã) không đạt bước"
    assert failed in " ".join(entry.added_by.ballot_errors())
    successions = [record_succession(old, new) for old in olds]
    merger = mergers.Merger.of(successions[0])

    rounds = [c for c in mergers.propose(merger) if c.section == "Bỏ phiếu quy hoạch"]
    assert [c.text for c in rounds] == [
        "Đợt giới thiệu năm 2024 (nhiệm kỳ 2025-2030): Xã Tú Mịch → Xã Khánh Xuân"
    ]

    mergers.apply(merger)
    voting.refresh_from_db()
    assert voting.unit == new
    assert voting.history.first().history_change_reason == merger.reason
    # The entry now sits in the new unit: its failed ballot still stops the approval.
    assert failed in " ".join(entry.added_by.ballot_errors())


def test_rounds_of_a_term_ended_before_the_merger_stay_with_the_old_commune(district):
    new, olds = communes_to_merge(district)
    ended = PlanningTermFactory(
        name="2020-2025", start_date=date(2020, 7, 1), end_date=date(2025, 6, 30)
    )
    VotingRound.objects.create(term=ended, unit=olds[0], year=2019)
    successions = [record_succession(old, new) for old in olds]
    mergers.apply(mergers.Merger.of(successions[0]))
    assert VotingRound.objects.get().unit == olds[0]

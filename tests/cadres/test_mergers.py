"""Mergers as a workflow (cadres.mergers): recording a succession proposes moving what the old
units hold to the new one, each app contributing its part; confirming applies it once."""

from datetime import date

import pytest
from django.urls import reverse

from cadres import mergers
from cadres.models import Appointment, Cadre, Unit, UnitSuccession, WorkHistory
from party.models import PartyCell
from planning.models import PlanningEntry
from tests.cadres.merger_data import MERGED_ON, communes_to_merge, record_succession
from tests.factories import UnitFactory
from training.models import TrainingPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def merger(district):
    new, olds = communes_to_merge(district)
    successions = [record_succession(old, new) for old in olds]
    return mergers.Merger.of(successions[0])


def by_section(changes) -> dict[str, list]:
    found: dict[str, list] = {}
    for change in changes:
        found.setdefault(change.section, []).append(change)
    return found


def test_the_proposal_lists_the_old_units_cadres_entries_plans_and_cells_for_the_new_unit(merger):
    sections = by_section(mergers.propose(merger))
    assert [len(sections[name]) for name in sections] == [4, 4, 4, 2, 2]
    assert list(sections) == ["Đơn vị", "Cán bộ", "Quy hoạch", "Kế hoạch đào tạo", "Chi bộ"]
    assert "Hoàng Văn Hữu Khánh: Xã Hữu Khánh → Xã Khánh Xuân" in [
        c.text for c in sections["Cán bộ"]
    ]
    assert "Thôn Nà Pàn Tú Mịch: trực thuộc Xã Khánh Xuân (trước: Xã Tú Mịch)" in [
        c.text for c in sections["Đơn vị"]
    ]
    assert sections["Quy hoạch"][0].text.startswith("Hoàng Văn Hữu Khánh – Bí thư Đảng ủy xã")
    # Proposing writes nothing.
    assert not PlanningEntry.objects.filter(unit=merger.successor).exists()


def test_the_limit_of_three_per_position_is_rechecked_in_the_new_unit_and_shown(merger):
    entries = by_section(mergers.propose(merger))["Quy hoạch"]
    assert all("tối đa 3 người" in " ".join(change.conflicts) for change in entries)
    assert not any(change.blocked for change in entries)


def test_a_second_plan_for_the_same_year_is_shown_and_left_for_a_person(merger):
    plans = by_section(mergers.propose(merger))["Kế hoạch đào tạo"]
    assert [change.blocked for change in plans] == [False, True]
    assert "đã có kế hoạch đào tạo năm 2025" in plans[1].conflicts[0]


def test_confirming_moves_everything_in_one_go_and_writes_history(merger):
    new = merger.successor
    mergers.apply(merger)

    assert Cadre.objects.filter(unit=new).count() == 4
    assert not Cadre.objects.filter(unit__in=merger.predecessors).exists()
    assert PlanningEntry.objects.filter(unit=new).count() == 4
    assert TrainingPlan.objects.filter(unit=new).count() == 1
    assert set(PartyCell.objects.filter(unit=new).values_list("name", flat=True)) == {
        "Chi bộ Cơ quan Xã Hữu Khánh",
        "Chi bộ Cơ quan Xã Tú Mịch",
    }
    assert Unit.objects.filter(parent=new, kind="village").count() == 2
    assert PartyCell.objects.filter(unit__path__startswith=new.path).count() == 4
    for old in merger.predecessors:
        old.refresh_from_db()
        assert old.valid_to == date(2025, 6, 30)

    cadre = Cadre.objects.get(full_name="Lương Thị Tú Mịch")
    ended, continued = cadre.appointments.order_by("start_date")
    assert (ended.unit.name, ended.end_date) == ("Xã Tú Mịch", date(2025, 6, 30))
    assert (continued.unit, continued.start_date, continued.end_date) == (new, MERGED_ON, None)
    rows = list(cadre.work_history.order_by("start_date"))
    assert [(r.organisation, r.end_date) for r in rows] == [
        ("Xã Tú Mịch", date(2025, 6, 30)),
        ("Xã Khánh Xuân (sáp nhập từ Xã Tú Mịch)", None),
    ]
    reason = "Sáp nhập vào Xã Khánh Xuân từ 01/07/2025 (NQ 1672/NQ-UBTVQH15)"
    assert cadre.history.first().history_change_reason == reason
    entry = PlanningEntry.objects.filter(cadre=cadre).get()
    assert entry.history.first().history_change_reason == reason
    assert entry.history.first().unit_id == new.pk


def test_confirming_again_changes_nothing(merger):
    mergers.apply(merger)
    counts = (
        WorkHistory.objects.count(),
        Appointment.objects.count(),
        Cadre.history.count(),
        PlanningEntry.history.count(),
        TrainingPlan.history.count(),
    )
    again = mergers.apply(mergers.Merger.of(UnitSuccession.objects.first()))
    assert [(c.section, c.blocked) for c in again] == [("Kế hoạch đào tạo", True)]
    assert (
        WorkHistory.objects.count(),
        Appointment.objects.count(),
        Cadre.history.count(),
        PlanningEntry.history.count(),
        TrainingPlan.history.count(),
    ) == counts


def test_an_old_unit_split_between_new_units_is_not_moved_automatically(merger, district):
    split_old = merger.predecessors[0]
    UnitSuccession.objects.create(
        predecessor=split_old, successor=UnitFactory(parent=district), effective_date=MERGED_ON
    )
    again = mergers.Merger.of(UnitSuccession.objects.filter(successor=merger.successor).first())
    assert again.split == [split_old]
    assert all(split_old.name not in change.text for change in mergers.propose(again))


# --- The admin step ----------------------------------------------------------------------------


def merger_url(merger) -> str:
    succession = UnitSuccession.objects.filter(successor=merger.successor).first()
    return reverse("admin:cadres_unitsuccession_merger", args=[succession.pk])


def test_recording_a_succession_opens_the_merger_step(client, board_administrator, district):
    old = UnitFactory(name="Xã Sàn Viên", parent=district)
    new = UnitFactory(name="Xã Lộc Bình Mới", parent=district)
    client.force_login(board_administrator)
    response = client.post(
        reverse("admin:cadres_unitsuccession_add"),
        {"predecessor": old.pk, "successor": new.pk, "effective_date": "01/07/2025"},
    )
    succession = UnitSuccession.objects.get(predecessor=old)
    assert response.url == reverse("admin:cadres_unitsuccession_merger", args=[succession.pk])


def test_the_administrator_sees_the_proposal_with_its_conflicts_and_confirms_it(
    client, board_administrator, merger
):
    client.force_login(board_administrator)
    url = merger_url(merger)
    page = client.get(url).content.decode()
    assert "Hoàng Văn Hữu Khánh: Xã Hữu Khánh → Xã Khánh Xuân" in page
    assert "tối đa 3 người" in page
    assert "5 mục vướng quy định" in page

    response = client.post(url, follow=True)
    assert "Đã chuyển 15 hồ sơ sang Xã Khánh Xuân; 1 mục cần xử lý tay." in (
        response.content.decode()
    )
    assert Cadre.objects.filter(unit=merger.successor).count() == 4


@pytest.mark.parametrize("actor", ["officer_a", "district_officer", "inspector"])
def test_only_who_may_change_units_runs_a_merger(client, request, actor, merger):
    client.force_login(request.getfixturevalue(actor))
    url = merger_url(merger)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not Cadre.objects.filter(unit=merger.successor).exists()

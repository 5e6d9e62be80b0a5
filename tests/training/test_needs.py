import sys
import types
from dataclasses import dataclass, replace
from datetime import date

import pytest
from django.core.management import call_command

from tests.factories import CadreFactory, PositionFactory, level
from training.choices import NeedClass, NeedClosure, NeedSource, NeedStatus
from training.models import Programme, TrainingNeed
from training.needs import sync_from_gaps

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 15)


@dataclass(frozen=True)
class TrainingGap:
    """The shape of planning.gaps.TrainingGap."""

    cadre_id: int
    entry_id: int
    position_id: int
    track: str
    required_level_id: int
    description: str
    due: date


@pytest.fixture
def gap(cadre):
    return TrainingGap(
        cadre_id=cadre.pk,
        entry_id=7,
        position_id=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True).pk,
        track="political_theory",
        required_level_id=level("LLCT_TRUNG_CAP").pk,
        description="Chưa có trung cấp lý luận chính trị (tiêu chuẩn Bí thư Đảng ủy xã).",
        due=date(2025, 10, 1),
    )


def test_a_gap_becomes_an_open_need_for_the_programme_granting_the_level(gap, cadre):
    result = sync_from_gaps([gap], ON)
    need = TrainingNeed.objects.get()
    assert result.created == 1
    assert (need.cadre, need.programme.code, need.source, need.status) == (
        cadre,
        "TRUNG_CAP_LLCT",
        NeedSource.PLANNING_GAP,
        NeedStatus.OPEN,
    )
    assert need.position.title == "Bí thư Đảng ủy xã"
    assert need.reason == gap.description and need.due == gap.due
    assert need.classification == NeedClass.URGENT


def test_running_again_changes_nothing(gap):
    sync_from_gaps([gap], ON)
    before = TrainingNeed.objects.values().get()
    result = sync_from_gaps([gap], ON)
    assert (result.created, result.updated, result.closed, result.unchanged) == (0, 0, 0, 1)
    assert TrainingNeed.objects.values().get() == before


def test_a_changed_gap_updates_its_need(gap):
    sync_from_gaps([gap], ON)
    result = sync_from_gaps([replace(gap, required_level_id=level("LLCT_CAO_CAP").pk)], ON)
    assert result.updated == 1
    assert TrainingNeed.objects.get().programme.code == "CAO_CAP_LLCT"


def test_need_closes_when_its_gap_disappears_and_opens_again_if_it_returns(gap):
    sync_from_gaps([gap], ON)
    result = sync_from_gaps([], date(2025, 6, 1))
    need = TrainingNeed.objects.get()
    assert result.closed == 1
    assert (need.status, need.closure, need.closed_on) == (
        NeedStatus.CLOSED,
        NeedClosure.GAP_CLOSED,
        date(2025, 6, 1),
    )
    assert sync_from_gaps([], date(2025, 7, 1)).closed == 0
    assert sync_from_gaps([gap], date(2025, 8, 1)).reopened == 1
    assert TrainingNeed.objects.get().status == NeedStatus.OPEN


def test_needs_from_other_sources_are_left_alone(gap, cadre):
    TrainingNeed.objects.create(
        cadre=cadre, reason="Cá nhân đề nghị", source=NeedSource.OWN_REQUEST
    )
    sync_from_gaps([gap], ON)
    sync_from_gaps([], ON)
    assert TrainingNeed.objects.get(source=NeedSource.OWN_REQUEST).status == NeedStatus.OPEN


def test_a_level_no_programme_grants_maps_to_the_lowest_programme_reaching_it(gap):
    Programme.objects.filter(code="TRUNG_CAP_LLCT").delete()
    sync_from_gaps([gap], ON)
    assert TrainingNeed.objects.get().programme.code == "CAO_CAP_LLCT"


def test_a_level_no_programme_reaches_is_reported_and_the_need_kept(gap):
    result = sync_from_gaps([replace(gap, required_level_id=level("LLCT_CU_NHAN").pk)], ON)
    need = TrainingNeed.objects.get()
    assert need.programme is None and need.required_level.code == "LLCT_CU_NHAN"
    assert result.without_programme == ["Lý luận chính trị Cử nhân"]


def test_gaps_of_two_entries_of_one_cadre_are_two_needs(gap):
    sync_from_gaps([gap, replace(gap, entry_id=8)], ON)
    assert TrainingNeed.objects.count() == 2


def test_many_gaps_sync_in_few_queries(django_assert_max_num_queries, gap):
    gaps = [replace(gap, cadre_id=CadreFactory().pk) for _ in range(20)]
    sync_from_gaps(gaps, ON)
    # Two of them follow the cadres' dispatches (dispatches, then needs), whatever the count.
    with django_assert_max_num_queries(8):
        sync_from_gaps(gaps, ON)


def test_command_reads_the_gaps_from_planning(monkeypatch, gap, capsys):
    module = types.ModuleType("planning.gaps")
    module.training_gaps = lambda on, entries=None: [gap]
    monkeypatch.setitem(sys.modules, "planning.gaps", module)
    call_command("sync_training_needs", "--on", "2025-01-15")
    assert TrainingNeed.objects.from_gaps().count() == 1
    assert "thêm 1" in capsys.readouterr().out

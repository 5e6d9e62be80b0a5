import sys
import types
from dataclasses import dataclass, replace
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, PositionFactory, level
from tests.security.conftest import change_form_data
from tests.training.factories import DispatchFactory, NeedFactory
from training.choices import DispatchStatus, NeedClass, NeedClosure, NeedSource, NeedStatus
from training.models import Programme, TrainingNeed
from training.needs import follow_dispatches, sync_from_gaps
from training.resources import DispatchResource

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


# --- Needs follow the dispatches ----------------------------------------------------------


def dispatched(cadre, status=DispatchStatus.PLANNED, **kwargs):
    return DispatchFactory(cadre=cadre, status=status, **kwargs)


def status_of(need) -> tuple:
    need.refresh_from_db()
    return need.status, need.closure


@pytest.mark.parametrize("status", [DispatchStatus.PLANNED, DispatchStatus.STUDYING])
def test_a_need_closes_once_its_cadre_is_sent_to_the_programme(gap, cadre, status):
    sync_from_gaps([gap], ON)
    dispatch = dispatched(cadre, status)
    assert follow_dispatches([cadre.pk]).closed == 1
    need = TrainingNeed.objects.get()
    assert status_of(need) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)
    assert need.closed_on == dispatch.decision_date
    # The gap is still there (the cadre has not graduated): the need stays closed.
    result = sync_from_gaps([gap], ON)
    assert (result.reopened, result.unchanged) == (0, 1)
    assert status_of(need) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)


@pytest.mark.parametrize("status", [DispatchStatus.WITHDRAWN, DispatchStatus.FAILED])
def test_a_need_opens_again_when_the_dispatch_comes_to_nothing(gap, cadre, status):
    sync_from_gaps([gap], ON)
    dispatch = dispatched(cadre)
    follow_dispatches([cadre.pk])
    dispatch.status = status
    dispatch.save()
    assert follow_dispatches([cadre.pk]).reopened == 1
    need = TrainingNeed.objects.get()
    assert status_of(need) == (NeedStatus.OPEN, "") and need.closed_on is None


def test_a_new_gap_of_a_cadre_already_sent_is_created_closed(gap, cadre):
    dispatched(cadre, DispatchStatus.STUDYING)
    result = sync_from_gaps([gap], ON)
    assert (result.created, result.closed) == (1, 1)
    assert status_of(TrainingNeed.objects.get()) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)


def test_a_need_of_another_programme_or_closed_otherwise_is_left_alone(gap, cadre):
    sync_from_gaps([gap], ON)
    cancelled = NeedFactory(cadre=cadre, status=NeedStatus.CLOSED, closure=NeedClosure.CANCELLED)
    dispatched(cadre, programme=Programme.objects.get(code="DAI_HOC"))
    assert follow_dispatches([cadre.pk]).closed == 0
    assert status_of(TrainingNeed.objects.from_gaps().get()) == (NeedStatus.OPEN, "")
    assert status_of(cancelled) == (NeedStatus.CLOSED, NeedClosure.CANCELLED)


def test_a_need_named_by_a_dispatch_closes_whatever_its_programme(cadre):
    need = NeedFactory(cadre=cadre, programme=None)
    dispatched(cadre, need=need)
    follow_dispatches([cadre.pk])
    assert status_of(need) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)


def test_the_dispatch_form_and_the_dispatch_import_close_and_reopen_needs(admin_client, cadre):
    need = NeedFactory(cadre=cadre)
    dispatch = dispatched(cadre)
    url = reverse("admin:training_dispatch_change", args=[dispatch.pk])
    data = change_form_data(admin_client, url)
    admin_client.post(url, data)
    assert status_of(need) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)
    admin_client.post(url, data | {"status": DispatchStatus.WITHDRAWN})
    assert status_of(need) == (NeedStatus.OPEN, "")

    header = "Số CCCD,Chương trình,Cơ sở đào tạo,Số quyết định,Trạng thái\n"
    row = f"{cadre.cccd},TRUNG_CAP_LLCT,{dispatch.institution.name},{dispatch.decision_number},"
    content = (header + row + "Đang học\n").encode()
    resource = DispatchResource()
    run_import(resource, read_file(content, "ds.csv", resource), write=True)
    assert status_of(need) == (NeedStatus.CLOSED, NeedClosure.DISPATCHED)


def test_graduating_turns_a_dispatched_need_into_a_trained_one(cadre):
    need = NeedFactory(cadre=cadre)
    dispatch = dispatched(cadre)
    follow_dispatches([cadre.pk])
    dispatch.status, dispatch.graduated_on = DispatchStatus.GRADUATED, date(2024, 5, 20)
    dispatch.save()
    follow_dispatches([cadre.pk])
    need.refresh_from_db()
    assert (need.status, need.closure, need.closed_on) == (
        NeedStatus.CLOSED,
        NeedClosure.TRAINED,
        date(2024, 5, 20),
    )

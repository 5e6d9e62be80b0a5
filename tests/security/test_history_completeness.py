"""Writes of the domain flows that touch many rows at once (closing training needs, moving
attendances, approving and drafting plans, discarding a draft decision) leave a history row per
record with the right kind of change and the user who acted, as an edit in the admin does."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from core.audit import acting_as, record_first_versions, update_with_history
from core.imports.engine import read_file, run_import
from planning.models import PlanningEntry
from tests.factories import CadreFactory, PositionFactory, level
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    NeedFactory,
    PlanFactory,
    PlanLineFactory,
    TraineeFactory,
)
from training import drafting
from training.choices import (
    CandidateStatus,
    DispatchStatus,
    NeedClosure,
    NeedSource,
    NeedStatus,
)
from training.models import Attendance, Dispatch, PlanCandidate, TrainingNeed
from training.needs import follow_dispatches, sync_from_gaps
from training.resources import DispatchResource
from training.services import record_dispatch_graduation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parents[1] / "training" / "data"


def latest(model, pk: int):
    return model.history.filter(id=pk).latest()


def test_recording_a_qualification_closes_the_need_in_its_history(board_administrator, cadre_a):
    need = NeedFactory(cadre=cadre_a)
    dispatch = DispatchFactory(
        cadre=cadre_a, status=DispatchStatus.GRADUATED, graduated_on=date(2025, 6, 30)
    )
    with acting_as(board_administrator):
        record_dispatch_graduation(Dispatch.objects.get(pk=dispatch.pk))
    version = latest(TrainingNeed, need.pk)
    assert (version.history_type, version.history_user) == ("~", board_administrator)
    assert (version.status, version.closure) == (NeedStatus.CLOSED, NeedClosure.TRAINED)
    assert version.closed_on == date(2025, 6, 30)


@dataclass(frozen=True)
class Gap:
    cadre_id: int
    entry_id: int
    position_id: int
    track: str
    required_level_id: int
    description: str
    due: date


def test_a_need_whose_planning_gap_is_gone_is_closed_in_its_history(board_administrator, cadre_a):
    gap = Gap(
        cadre_id=cadre_a.pk,
        entry_id=7,
        position_id=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True).pk,
        track="political_theory",
        required_level_id=level("LLCT_TRUNG_CAP").pk,
        description="Chưa có trung cấp lý luận chính trị.",
        due=date(2025, 10, 1),
    )
    sync_from_gaps([gap], date(2025, 1, 15))
    need = TrainingNeed.objects.get()
    with acting_as(board_administrator):
        result = sync_from_gaps([], date(2025, 6, 1))
    assert result.closed == 1
    version = latest(TrainingNeed, need.pk)
    assert (version.history_type, version.history_user) == ("~", board_administrator)
    assert (version.status, version.closure) == (NeedStatus.CLOSED, NeedClosure.GAP_CLOSED)


def test_a_need_closed_by_a_dispatch_is_closed_in_its_history(board_administrator, cadre_a):
    need = NeedFactory(cadre=cadre_a)
    DispatchFactory(cadre=cadre_a, status=DispatchStatus.PLANNED)
    with acting_as(board_administrator):
        follow_dispatches([cadre_a.pk])
    version = latest(TrainingNeed, need.pk)
    assert (version.history_type, version.history_user) == ("~", board_administrator)
    assert version.closure == NeedClosure.DISPATCHED


def test_linking_a_trainee_records_each_moved_and_merged_attendance(board_administrator, cadre_a):
    trainee = TraineeFactory(full_name=cadre_a.full_name)
    shared = CourseFactory()
    moved = AttendanceFactory(course=CourseFactory(), cadre=None, trainee=trainee)
    merged = AttendanceFactory(course=shared, cadre=None, trainee=trainee)
    AttendanceFactory(course=shared, cadre=cadre_a)
    with acting_as(board_administrator):
        trainee.link_to(cadre_a)
    version = latest(Attendance, moved.pk)
    assert (version.history_type, version.history_user) == ("~", board_administrator)
    assert version.cadre_id == cadre_a.pk
    gone = latest(Attendance, merged.pk)
    assert (gone.history_type, gone.history_user) == ("-", board_administrator)


def test_drafting_and_approving_a_plan_records_each_candidate_and_need(board_administrator):
    plan = PlanFactory()
    PlanLineFactory(plan=plan, quota=2, target=2)
    needs = [
        NeedFactory(
            cadre=CadreFactory(unit=plan.unit, general_education=level("PT_12_12")),
            source=NeedSource.PLANNING_GAP,
            due=date(2026, 1, 1),
        )
        for _ in range(2)
    ]
    with acting_as(board_administrator):
        drafting.draft(plan)
        drafting.draft(plan)  # a fresh draft replaces the proposals not yet decided on
    dropped = PlanCandidate.history.filter(history_type="-")
    assert dropped.count() == 2
    assert {v.history_user for v in dropped} == {board_administrator}
    candidates = list(PlanCandidate.objects.filter(line__plan=plan))
    assert len(candidates) == 2
    for candidate in candidates:
        version = latest(PlanCandidate, candidate.pk)
        assert (version.history_type, version.history_user) == ("+", board_administrator)
    with acting_as(board_administrator):
        assert plan.approve(date(2025, 3, 1)) == 2
    for candidate in candidates:
        version = latest(PlanCandidate, candidate.pk)
        assert (version.history_type, version.status) == ("~", CandidateStatus.APPROVED)
    for need in needs:
        version = latest(TrainingNeed, need.pk)
        assert (version.history_type, version.history_user) == ("~", board_administrator)
        assert version.status == NeedStatus.PLANNED


def test_discarding_a_draft_decision_records_the_deletion_of_its_entries(
    board_administrator, cadre_a, commune_a
):
    draft = PlanningDecisionFactory(status="draft")
    entry = PlanningEntryFactory(added_by=draft, cadre=cadre_a, unit=commune_a)
    with acting_as(board_administrator):
        draft.discard()
    version = latest(PlanningEntry, entry.pk)
    assert (version.history_type, version.history_user) == ("-", board_administrator)


def test_a_bulk_update_through_the_helper_sets_updated_at_and_keeps_other_fields(cadre_a):
    need = NeedFactory(cadre=cadre_a, reason="Thiếu trình độ")
    before = TrainingNeed.objects.get(pk=need.pk).updated_at
    assert (
        update_with_history(TrainingNeed.objects.filter(pk=need.pk), status=NeedStatus.PLANNED) == 1
    )
    stored = TrainingNeed.objects.get(pk=need.pk)
    assert stored.updated_at > before and stored.reason == "Thiếu trình độ"
    assert latest(TrainingNeed, need.pk).status == NeedStatus.PLANNED


def test_rows_written_without_history_get_their_first_version_once(board_administrator):
    template = NeedFactory()
    [need] = TrainingNeed.objects.bulk_create(
        [TrainingNeed(cadre=template.cadre, programme=template.programme, reason="Thiếu")]
    )
    assert not TrainingNeed.history.filter(id=need.pk).exists()
    with acting_as(board_administrator):
        assert record_first_versions([TrainingNeed], reason="Nạp dữ liệu mẫu") == 1
        assert record_first_versions([TrainingNeed]) == 0
    first = TrainingNeed.history.get(id=need.pk)
    assert (first.history_type, first.history_user) == ("+", board_administrator)
    assert first.history_change_reason == "Nạp dữ liệu mẫu"


def test_an_imported_graduation_closes_the_need_in_the_name_of_the_importer(
    board_administrator, cadre
):
    need = NeedFactory(cadre=cadre)
    lines = (DATA / "cu_di_hoc.csv").read_text(encoding="utf-8").splitlines()[:2]
    resource = DispatchResource()
    table = read_file("\n".join(lines).encode(), "cu_di_hoc.csv", resource)
    report = run_import(resource, table, write=True, user=board_administrator)
    assert (report.new, report.rejected_count) == (1, 0)
    version = latest(TrainingNeed, need.pk)
    assert (version.history_type, version.history_user) == ("~", board_administrator)
    assert version.closure == NeedClosure.TRAINED

"""The party app's part of a merger (cadres.mergers): the old units' party cells still active on
the merger's date belong to the new unit, combined cells serve it instead of the old ones, and
the people on their way to admission are followed by the new unit."""

from __future__ import annotations

from cadres.mergers import Change, Merger
from party.models import AdmissionCandidate, PartyCell


def party_step(merger: Merger) -> list[Change]:
    cells = PartyCell.objects.filter(unit__in=merger.predecessors).select_related("unit")
    changes = [
        Change(
            "Chi bộ",
            cell,
            f"{cell}: thuộc {cell.unit} → {merger.successor}",
            lambda cell=cell: merger.move(cell),
        )
        for cell in cells.order_by("unit__name", "name")
        if cell.is_active(merger.effective_date)
    ]
    serving = PartyCell.objects.filter(serves__in=merger.predecessors).distinct()
    changes += [
        Change(
            "Chi bộ",
            cell,
            f"{cell}: sinh hoạt ghép với {merger.successor} thay cho đơn vị cũ",
            lambda cell=cell: serve_successor(cell, merger),
        )
        for cell in serving.order_by("name")
        if cell.is_active(merger.effective_date)
    ]
    return changes


def serve_successor(cell: PartyCell, merger: Merger) -> None:
    cell.serves.remove(*merger.predecessors)
    if cell.unit_id != merger.successor.pk:
        cell.serves.add(merger.successor)


def admission_step(merger: Merger) -> list[Change]:
    """Candidates recorded on an old unit itself (those of its villages and schools move with
    the village) still on their way on the merger's date: not dropped and not yet official.
    The new unit's committee takes the next steps (class, admission, official recognition:
    Hướng dẫn thi hành Điều lệ Đảng). Those already official or dropped are the old unit's
    history: they stay, and so do the old unit's admission figures of past years."""
    candidates = (
        AdmissionCandidate.objects.filter(unit__in=merger.predecessors)
        .in_progress(merger.day_before)
        .with_people()
    )
    return [
        Change(
            "Phát triển đảng viên",
            candidate,
            f"{candidate.person_name} ({candidate.stage_on(merger.day_before).lower()}): "
            f"{candidate.unit} → {merger.successor}",
            lambda candidate=candidate: merger.move(candidate),
        )
        for candidate in candidates.order_by("unit__name", "proposed_on", "pk")
    ]

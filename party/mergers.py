"""The party app's part of a merger (cadres.mergers): the old units' party cells still active on
the merger's date belong to the new unit, and combined cells serve it instead of the old ones."""

from __future__ import annotations

from cadres.mergers import Change, Merger, save_with_reason
from party.models import PartyCell


def party_step(merger: Merger) -> list[Change]:
    cells = PartyCell.objects.filter(unit__in=merger.predecessors).select_related("unit")
    changes = [
        Change(
            "Chi bộ",
            cell,
            f"{cell}: thuộc {cell.unit} → {merger.successor}",
            lambda cell=cell: move_cell(cell, merger),
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


def move_cell(cell: PartyCell, merger: Merger) -> None:
    cell.unit = merger.successor
    save_with_reason(cell, merger.reason, update_fields=["unit", "updated_at"])


def serve_successor(cell: PartyCell, merger: Merger) -> None:
    cell.serves.remove(*merger.predecessors)
    if cell.unit_id != merger.successor.pk:
        cell.serves.add(merger.successor)

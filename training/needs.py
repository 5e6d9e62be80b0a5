"""Keep the training needs in step with the planning gaps (what planned cadres miss of their
planned position's standards). ``planning.gaps.training_gaps`` produces the gaps; this module
only needs objects with its attributes, so it is tested without planning."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.db import transaction

from cadres.models import QualificationLevel
from training.choices import NeedClass, NeedClosure, NeedSource, NeedStatus
from training.models import Programme, TrainingNeed


class Gap(Protocol):
    cadre_id: int
    entry_id: int
    position_id: int
    track: str
    required_level_id: int
    description: str
    due: date


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    reopened: int = 0
    closed: int = 0
    unchanged: int = 0
    without_programme: list[str] = field(default_factory=list)

    def message(self) -> str:
        text = (
            f"Nhu cầu từ quy hoạch: thêm {self.created}, cập nhật {self.updated}, "
            f"mở lại {self.reopened}, đóng {self.closed}, giữ nguyên {self.unchanged}."
        )
        if self.without_programme:
            text += f" Chưa có chương trình đào tạo cho: {', '.join(self.without_programme)}."
        return text


def programme_for(level: QualificationLevel, programmes: list[Programme]) -> Programme | None:
    """The programme granting exactly ``level``, else the lowest one of its track reaching it.
    ``programmes`` is every programme with its granted level loaded (one query for a batch)."""
    reaching = [
        p
        for p in programmes
        if p.grants_level is not None
        and p.grants_level.track == level.track
        and p.grants_level.rank >= level.rank
    ]
    reaching.sort(key=lambda p: (p.grants_level_id != level.pk, p.grants_level.rank, p.code))
    return reaching[0] if reaching else None


def classification(due: date, on: date) -> str:
    """Needed within the year, within the term, or later."""
    days = (due - on).days
    if days <= 366:
        return NeedClass.URGENT
    return NeedClass.TERM if days <= 5 * 366 else NeedClass.LONG_TERM


def sync_from_gaps(gaps: Iterable[Gap], on: date) -> SyncResult:
    """Create or update one need per gap (keyed by cadre, planning entry and track, so running
    again changes nothing) and close the needs whose gap is gone. A need that was closed because
    its gap disappeared opens again if the gap comes back; a need closed by training does not."""
    result = SyncResult()
    gaps = list(gaps)
    programmes = list(Programme.objects.select_related("grants_level"))
    levels = QualificationLevel.objects.in_bulk({g.required_level_id for g in gaps})
    existing = {
        (n.cadre_id, n.gap_entry_id, n.gap_track): n for n in TrainingNeed.objects.from_gaps()
    }
    seen = set()
    with transaction.atomic():
        for gap in gaps:
            key = (gap.cadre_id, gap.entry_id, gap.track)
            seen.add(key)
            level = levels[gap.required_level_id]
            programme = programme_for(level, programmes)
            if programme is None:
                result.without_programme.append(f"{level.get_track_display()} {level.label}")
            values = {
                "programme_id": programme.pk if programme else None,
                "required_level_id": level.pk,
                "position_id": gap.position_id,
                "reason": gap.description,
                "due": gap.due,
            }
            need = existing.get(key)
            if need is None:
                TrainingNeed.objects.create(
                    cadre_id=gap.cadre_id,
                    gap_entry_id=gap.entry_id,
                    gap_track=gap.track,
                    source=NeedSource.PLANNING_GAP,
                    classification=classification(gap.due, on),
                    **values,
                )
                result.created += 1
                continue
            changed = [f for f, v in values.items() if getattr(need, f) != v]
            for f in changed:
                setattr(need, f, values[f])
            if need.status == NeedStatus.CLOSED and need.closure == NeedClosure.GAP_CLOSED:
                need.status, need.closed_on, need.closure = NeedStatus.OPEN, None, ""
                changed += ["status", "closed_on", "closure"]
                result.reopened += 1
            elif changed:
                result.updated += 1
            else:
                result.unchanged += 1
            if changed:
                need.save()
        gone = [
            need.pk
            for key, need in existing.items()
            if key not in seen and need.status != NeedStatus.CLOSED
        ]
        result.closed = TrainingNeed.objects.filter(pk__in=gone).update(
            status=NeedStatus.CLOSED, closed_on=on, closure=NeedClosure.GAP_CLOSED
        )
    return result

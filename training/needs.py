"""Keep the training needs in step with the planning gaps (what planned cadres miss of their
planned position's standards). ``planning.gaps.training_gaps`` produces the gaps; this module
only needs objects with its attributes, so it is tested without planning."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.db import transaction
from django.db.models import Q

from cadres.models import QualificationLevel
from core.audit import update_with_history
from training.choices import DispatchStatus, NeedClass, NeedClosure, NeedSource, NeedStatus
from training.models import Dispatch, Programme, TrainingNeed


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
        result.closed = update_with_history(
            TrainingNeed.objects.filter(pk__in=gone),
            status=NeedStatus.CLOSED,
            closed_on=on,
            closure=NeedClosure.GAP_CLOSED,
        )
        # A gap someone has already been sent to study for is not an open need.
        followed = follow_dispatches({gap.cadre_id for gap in gaps})
        result.closed += followed.closed
        result.reopened += followed.reopened
    return result


@dataclass
class FollowResult:
    closed: int = 0
    reopened: int = 0


DECIDED = (DispatchStatus.PLANNED, DispatchStatus.STUDYING)


def dispatch_closure(dispatches: Iterable[Dispatch]) -> tuple[str, date] | None:
    """How the dispatches of a need close it: trained (one graduated), dispatched (one decided
    or under way), or not at all (none, or all withdrawn or failed), with the closing date."""
    dispatches = list(dispatches)
    graduated = [d for d in dispatches if d.status == DispatchStatus.GRADUATED]
    if graduated:
        return NeedClosure.TRAINED, min(d.graduated_on or d.end_date for d in graduated)
    decided = [d for d in dispatches if d.status in DECIDED]
    if decided:
        # A list may give the decision's number without its date: the study's start stands in.
        return NeedClosure.DISPATCHED, min(d.decision_date or d.start_date for d in decided)
    return None


def follow_dispatches(cadre_ids: Iterable[int] | None = None) -> FollowResult:
    """Keep the needs of ``cadre_ids`` (everyone with ``None``) in step with their dispatches:
    a need is closed once a dispatch for its cadre and programme (or one naming the need) is
    decided, under way or graduated, and opens again when that dispatch is withdrawn or failed.
    A need closed for another reason (gap closed, cancelled, trained) is left as it is."""
    result = FollowResult()
    dispatches = Dispatch.objects.only(
        "cadre_id",
        "programme_id",
        "need_id",
        "status",
        "decision_date",
        "start_date",
        "end_date",
        "graduated_on",
    )
    needs = TrainingNeed.objects.all()
    if cadre_ids is not None:
        cadre_ids = list(cadre_ids)
        dispatches = dispatches.filter(cadre_id__in=cadre_ids)
        needs = needs.filter(cadre_id__in=cadre_ids)
    by_pair: dict[tuple[int, int], list[Dispatch]] = {}
    by_need: dict[int, list[Dispatch]] = {}
    for dispatch in dispatches:
        by_pair.setdefault((dispatch.cadre_id, dispatch.programme_id), []).append(dispatch)
        if dispatch.need_id:
            by_need.setdefault(dispatch.need_id, []).append(dispatch)
    for need in needs.filter(Q(programme__isnull=False) | Q(pk__in=list(by_need))):
        mine = {d.pk: d for d in by_pair.get((need.cadre_id, need.programme_id), [])}
        mine.update((d.pk, d) for d in by_need.get(need.pk, []))
        closure = dispatch_closure(mine.values())
        if closure is not None and need.status != NeedStatus.CLOSED:
            need.close(closure[1], closure[0])
            result.closed += 1
        elif (
            closure is not None
            and need.closure == NeedClosure.DISPATCHED
            and closure[0] == NeedClosure.TRAINED
        ):
            need.close(closure[1], closure[0])
        elif closure is None and need.closure == NeedClosure.DISPATCHED:
            # Training that happened stays (its qualification is on the record): only a closure
            # by a decision opens again when the decision comes to nothing.
            need.status, need.closed_on, need.closure = NeedStatus.OPEN, None, ""
            result.reopened += 1
        else:
            continue
        need.save(update_fields=["status", "closed_on", "closure", "updated_at"])
    return result


def sync_from_planning(on: date) -> SyncResult:
    """The succession gaps of the planning on ``on`` become needs (the admin's button, the
    yearly background run and ``manage.py sync_training_needs`` all come here)."""
    from planning.gaps import training_gaps  # training builds on planning; planning never back

    return sync_from_gaps(training_gaps(on), on)


def run_from_planning(job) -> str:
    """The background job's entry point (``core.tasks.start_run``): its ``on`` parameter."""
    return sync_from_planning(date.fromisoformat(job.params["on"])).message()

"""Planning's part of a merger (cadres.mergers): the open entries of the old units go to the new
unit, re-checked there against the limits of the rule set in force on the merger's date, and
so do the voting rounds that put them there."""

from __future__ import annotations

from cadres.mergers import Change, Merger
from planning import rules
from planning.models import PlanningEntry, RuleSet, VotingRound


def planning_step(merger: Merger) -> list[Change]:
    """Entries still in the pool (not removed) of terms not ended by the merger. Three old
    communes' candidates for one post can exceed its limit in the new commune: each entry over
    it carries the message of the limit rule (:func:`planning.rules.candidates_limit_errors`),
    counting what the new unit already has and every entry moved with it; so does each of
    several incumbents arriving on one post (:func:`planning.rules.incumbents_warnings`: each
    old commune's secretary planned for re-election). An entry the new unit
    already holds for the same person, post and term is not moved (it would be planned twice)."""
    entries = list(
        PlanningEntry.objects.current()
        .filter(unit__in=merger.predecessors, term__end_date__gte=merger.effective_date)
        .select_related("cadre", "position", "unit", "term")
        .order_by("term__start_date", "position__level", "-position__rank", "cadre__full_name")
    )
    if not entries:
        return []
    rule_set = RuleSet.objects.applying_on(merger.effective_date)
    old_units = {entry.pk: entry.unit for entry in entries}
    for entry in entries:
        entry.unit = merger.successor
    held = set(
        PlanningEntry.objects.current()
        .filter(unit=merger.successor)
        .values_list("term_id", "position_id", "cadre_id")
    )
    changes = []
    for entry in entries:
        key = (entry.term_id, entry.position_id, entry.cadre_id)
        blocked = key in held
        held.add(key)
        conflicts = (
            [f"{entry.cadre.full_name} đã được quy hoạch chức danh này ở {merger.successor}."]
            if blocked
            else [
                *rules.candidates_limit_errors(entry, rule_set, entries),
                *rules.incumbents_warnings(entry, entries),
            ]
        )
        changes.append(
            Change(
                "Quy hoạch",
                entry,
                f"{entry.cadre.full_name} – {entry.position} (nhiệm kỳ {entry.term.name}): "
                f"{old_units[entry.pk]} → {merger.successor}",
                lambda entry=entry: move_entry(entry, merger),
                conflicts,
                blocked,
            )
        )
    return changes


def move_entry(entry: PlanningEntry, merger: Merger) -> None:
    # Under the limits' lock, as every writer of entries (planning.rules.lock_for_limits).
    rules.lock_for_limits([entry])
    merger.move(entry)


def voting_step(merger: Merger) -> list[Change]:
    """The voting rounds of the old units for terms not ended by the merger follow their
    entries: a decision is approved only for people who passed each step of their round, and
    the round is looked up in the entry's unit (PlanningDecision.ballot_errors); left behind,
    a failed ballot would no longer stop the approval. Each round stays a round of its own (the
    old commune's conference was held), now under the new unit."""
    rounds = VotingRound.objects.filter(
        unit__in=merger.predecessors, term__end_date__gte=merger.effective_date
    ).select_related("unit", "term")
    return [
        Change(
            "Bỏ phiếu quy hoạch",
            voting,
            f"Đợt giới thiệu năm {voting.year} (nhiệm kỳ {voting.term.name}): "
            f"{voting.unit} → {merger.successor}",
            lambda voting=voting: merger.move(voting),
        )
        for voting in rounds.order_by("term__start_date", "year", "unit__name")
    ]

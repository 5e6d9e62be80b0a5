"""What-if before a planning conference: add or remove names in a unit's pool, without saving
anything, and see the limits and the women / young / ethnic-minority shares change before the
ballots are printed. The pool sheet (planning.pool) is laid out twice, as it stands and with the
changes, and each row and unit of the second carries the first's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cadres.models import Cadre, Position, Unit
from planning.choices import EntryRole
from planning.models import PlanningEntry, PlanningTerm
from planning.pool import PoolMatrix, pool_matrix

# What the pool sheet reads of an added cadre and position (as PlanningEntry.with_levels).
CADRE_LEVELS = [
    "ethnicity",
    "unit",
    "professional_level",
    "political_theory_level",
    "state_management_level",
    "general_education",
]
STANDARD_LEVELS = [
    f"standard__{name}"
    for name in (
        "professional_level",
        "political_theory_level",
        "state_management_level",
        "general_education",
    )
]


@dataclass(frozen=True)
class Addition:
    """A name the planners consider adding: a cadre for a position, incumbent or reserve."""

    cadre_id: int
    position_id: int
    role: str = EntryRole.RESERVE

    @property
    def value(self) -> str:
        """How the form carries it: "cadre:position:role"."""
        return f"{self.cadre_id}:{self.position_id}:{self.role}"

    @classmethod
    def parse(cls, value: str) -> Addition | None:
        cadre, _, rest = value.partition(":")
        position, _, role = rest.partition(":")
        if not (cadre.isdigit() and position.isdigit()) or role not in EntryRole.values:
            return None
        return cls(int(cadre), int(position), role)


@dataclass(frozen=True)
class AddedName:
    """A name added in the what-if with what adding it for real on the day would meet
    (PlanningEntry.proposal_messages): refusals stop the addition, warnings are weighed."""

    entry: PlanningEntry
    refusals: list[str]
    warnings: list[str]


@dataclass
class WhatIf:
    term: PlanningTerm
    unit: Unit
    on: date
    added: list[PlanningEntry]
    removed: list[PlanningEntry]
    before: PoolMatrix
    after: PoolMatrix

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def added_names(self) -> list[AddedName]:
        """Each added name with the rules adding it on ``on`` would meet (the rule set of the
        sheet, as a decision of that day)."""
        return [
            AddedName(entry, *entry.proposal_messages(self.on, self.after.rule_set))
            for entry in self.added
        ]

    def limit_messages(self) -> list[str]:
        """What the changed pool breaks: a position over its number of candidates, a person
        planned for more positions of the level than the rule set allows (Quy định 50-QĐ/TW
        art. 3; the numbers are the rule set's, as in planning.rules)."""
        rule_set = self.after.rule_set
        messages = []
        positions: dict[int, list] = {}
        for pool_unit in self.after.units:
            for row in pool_unit.rows:
                if row.over_limit:
                    messages.append(
                        f"{row.position} của {row.unit}: {row.count} người "
                        f"(tối đa {row.limit} theo {rule_set.regulation or rule_set.name})."
                    )
                for person in row.people:
                    positions.setdefault(person.cadre.pk, []).append(person)
        for people in positions.values():
            if len(people) > rule_set.positions_per_person:
                messages.append(
                    f"{people[0].cadre.full_name}: {len(people)} chức danh cùng cấp "
                    f"(tối đa {rule_set.positions_per_person})."
                )
        return messages


def what_if(
    term: PlanningTerm,
    unit: Unit,
    on: date,
    user,
    additions: list[Addition],
    removals: list[int],
) -> WhatIf:
    """The pool of ``term`` in ``unit`` on ``on`` as ``user`` sees it, with ``additions`` and
    without the entries ``removals``. Only what the user may see counts: cadres of other units
    than theirs, positions of another level, entries outside the unit's pool and names already
    planned for the position are left out."""
    before = pool_matrix(term, on, user, unit)
    stored = {
        person.entry.pk: person.entry
        for block in before.units
        for row in block.rows
        for person in row.people
    }
    removed = [stored[pk] for pk in dict.fromkeys(removals) if pk in stored]
    cadres = Cadre.objects.visible_to(user).select_related(*CADRE_LEVELS)
    cadres = cadres.in_bulk([a.cadre_id for a in additions])
    positions = Position.objects.filter(level=term.level).select_related(*STANDARD_LEVELS)
    positions = positions.in_bulk([a.position_id for a in additions])
    planned = {
        (entry.cadre_id, entry.position_id) for entry in stored.values() if entry not in removed
    }
    added = []
    for addition in dict.fromkeys(additions):
        key = (addition.cadre_id, addition.position_id)
        if addition.cadre_id not in cadres or addition.position_id not in positions:
            continue
        if key in planned:
            continue
        planned.add(key)
        added.append(
            PlanningEntry(
                term=term,
                unit=unit,
                cadre=cadres[addition.cadre_id],
                position=positions[addition.position_id],
                role=addition.role,
            )
        )
    after = pool_matrix(term, on, user, unit, added, {entry.pk for entry in removed})
    compare(before, after)
    return WhatIf(term, unit, on, added, removed, before, after)


def compare(before: PoolMatrix, after: PoolMatrix) -> None:
    """Give each row and unit of ``after`` the figures of ``before``."""
    units = {block.unit.pk: block for block in before.units}
    counts = {(row.unit.pk, row.position.pk): row.count for b in before.units for row in b.rows}
    for block in after.units:
        block.before = units.get(block.unit.pk)
        for row in block.rows:
            row.count_before = counts.get((row.unit.pk, row.position.pk), 0)

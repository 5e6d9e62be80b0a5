"""The pool at a glance: a term's planning sheet as the province lays it out.

Rows are the positions of each unit (the key positions of the term's level, and any other
position someone is planned for), columns the people planned for it (incumbents, then reserves),
each with age, gender, ethnicity, readiness and what they miss; every row and every unit carries
its count against the limit and its structure shares (women, young, ethnic minority) against the
targets of the rule set in force. A constant number of queries whatever the size of the term.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cadres.choices import Gender
from cadres.models import Position, Unit
from core.exports import escape_formula
from core.reports.export import place_and_date
from planning.choices import EntryRole
from planning.models import PlanningEntry, PlanningTerm, RuleSet
from planning.readiness import EntryReadiness, Share, entry_readiness, key_positions


@dataclass(frozen=True)
class PoolPerson:
    """One planned person in one cell of the sheet."""

    entry: PlanningEntry
    age: int
    readiness: EntryReadiness
    young: bool

    @property
    def cadre(self):
        return self.entry.cadre

    @property
    def woman(self) -> bool:
        return self.cadre.gender == Gender.FEMALE

    @property
    def minority(self) -> bool:
        return self.cadre.ethnicity_id is not None and self.cadre.ethnicity.is_minority

    @property
    def ethnicity(self) -> str:
        return self.cadre.ethnicity.name if self.cadre.ethnicity_id else "—"

    @property
    def summary(self) -> str:
        """ "1978 · 46 tuổi · Nữ · Tày", the line under the name."""
        return " · ".join(
            [
                f"{self.cadre.birth_date:%Y}",
                f"{self.age} tuổi",
                self.cadre.get_gender_display(),
                self.ethnicity,
            ]
        )


def shares(people: Iterable[PoolPerson], rule_set: RuleSet | None = None) -> dict[str, Share]:
    """Women, young and ethnic-minority shares of distinct people (against the targets of
    ``rule_set`` when given, as the term report compares them)."""
    unique = list({person.cadre.pk: person for person in people}.values())
    total = len(unique)

    def share(count: int, target) -> Share:
        return Share(count, total, target if rule_set else None, places=0)

    return {
        "women": share(sum(p.woman for p in unique), rule_set and rule_set.target_women_percent),
        "young": share(sum(p.young for p in unique), rule_set and rule_set.target_young_percent),
        "minority": share(
            sum(p.minority for p in unique),
            (rule_set and rule_set.target_minority_percent) or None,
        ),
    }


@dataclass
class PoolRow:
    unit: Unit
    position: Position
    limit: int
    incumbents: list[PoolPerson] = field(default_factory=list)
    reserves: list[PoolPerson] = field(default_factory=list)
    reserve_columns: int = 0  # set once every row is known: the sheet's width
    count_before: int | None = None  # a what-if (planning.whatif): the count without its changes

    @property
    def people(self) -> list[PoolPerson]:
        return [*self.incumbents, *self.reserves]

    @property
    def count(self) -> int:
        return len(self.people)

    @property
    def over_limit(self) -> bool:
        return self.count > self.limit

    @property
    def several_incumbents(self) -> bool:
        """More than one person planned as the post's holder (planning.rules.incumbents_warnings:
        what a merger makes of the old communes' holders)."""
        return len(self.incumbents) > 1

    @property
    def flags(self) -> list[str]:
        """What the sheet says about the row beside its count, in words (not colour alone)."""
        flags = []
        if self.over_limit:
            flags.append(f"Vượt số người tối đa: {self.count}/{self.limit}.")
        if self.several_incumbents:
            flags.append(
                f"{len(self.incumbents)} người quy hoạch đương chức: xem lại ai giữ chức danh này."
            )
        return flags

    @property
    def empty(self) -> bool:
        return not self.people

    @property
    def reserve_cells(self) -> list[PoolPerson | None]:
        """The reserves, padded with empty cells to the sheet's width."""
        return self.reserves + [None] * (self.reserve_columns - len(self.reserves))

    @property
    def shares(self) -> dict[str, Share]:
        return shares(self.people)


@dataclass
class PoolUnit:
    unit: Unit
    rows: list[PoolRow]
    shares: dict[str, Share]
    before: PoolUnit | None = None  # a what-if (planning.whatif): the unit without its changes

    @property
    def people(self) -> int:
        return next(iter(self.shares.values())).total

    @property
    def positions_without_candidate(self) -> int:
        return sum(row.empty for row in self.rows)


@dataclass
class PoolMatrix:
    term: PlanningTerm
    on: date
    rule_set: RuleSet
    units: list[PoolUnit]
    reserve_columns: int
    shares: dict[str, Share]
    units_without_entries: list[Unit]

    @property
    def reserve_numbers(self) -> range:
        return range(1, self.reserve_columns + 1)

    @property
    def people(self) -> int:
        return next(iter(self.shares.values())).total


def pool_matrix(
    term: PlanningTerm,
    on: date,
    user,
    unit: Unit | None = None,
    added: Sequence[PlanningEntry] = (),
    removed: Collection[int] = (),
) -> PoolMatrix:
    """The sheet of ``term`` on ``on`` as ``user`` may see it (``visible_to``), narrowed to
    ``unit`` and everything under it when given. Four queries. A what-if (planning.whatif)
    gives entries ``added`` (not saved, their cadre's levels loaded) and the ids of entries
    ``removed``: the sheet is laid out as if they were."""
    rule_set = RuleSet.objects.applying_on(on)
    young_age = rule_set.young_age(term.level)
    entries = (
        PlanningEntry.objects.visible_to(user)
        .active(on)
        .for_term(term)
        .with_levels()
        .order_by("unit__path", "role", "added_by__issued_on", "cadre__full_name")
    )
    if unit is not None:
        entries = entries.in_unit(unit, descendants=True)
    entries = [entry for entry in entries if entry.pk not in removed]
    if added:
        # Each addition at the end of its unit's incumbents or reserves (a stable sort).
        entries = sorted([*entries, *added], key=lambda e: (e.unit.path, e.role))
    keys = list(key_positions(term.level))

    rows: dict[tuple[int, int], PoolRow] = {}
    seen_units: dict[int, Unit] = {}
    for entry in entries:
        if entry.unit_id not in seen_units:
            seen_units[entry.unit_id] = entry.unit
            for position in keys:
                rows[entry.unit_id, position.pk] = PoolRow(
                    entry.unit, position, rule_set.candidates_per_position
                )
        row = rows.get((entry.unit_id, entry.position_id))
        if row is None:
            row = rows[entry.unit_id, entry.position_id] = PoolRow(
                entry.unit, entry.position, rule_set.candidates_per_position
            )
        age = entry.cadre.age_on(on)
        person = PoolPerson(entry, age, entry_readiness(entry, on, rule_set), age < young_age)
        (row.incumbents if entry.role == EntryRole.INCUMBENT else row.reserves).append(person)

    width = max([len(row.reserves) for row in rows.values()] + [1])
    by_unit: dict[int, list[PoolRow]] = {}
    for row in rows.values():
        row.reserve_columns = width
        by_unit.setdefault(row.unit.pk, []).append(row)
    pool_units = []
    for unit_id, unit_rows in by_unit.items():
        # Positions in their own order: level, then highest rank first (Position.Meta.ordering).
        unit_rows.sort(key=lambda r: (r.position.level, -r.position.rank, r.position.title))
        people = [person for row in unit_rows for person in row.people]
        pool_units.append(PoolUnit(seen_units[unit_id], unit_rows, shares(people, rule_set)))
    everyone = [p for pool_unit in pool_units for row in pool_unit.rows for p in row.people]

    planned_for = term.planning_units().active(on).visible_to(user)
    if unit is not None:
        planned_for = planned_for.descendants_of(unit)
    without = list(planned_for.exclude(pk__in=list(seen_units)).order_by("path"))
    return PoolMatrix(
        term=term,
        on=on,
        rule_set=rule_set,
        units=pool_units,
        reserve_columns=width,
        shares=shares(everyone, rule_set),
        units_without_entries=without,
    )


# --- The sheet as xlsx ------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(vertical="top", wrap_text=True)


def person_text(person: PoolPerson | None) -> str:
    if person is None:
        return ""
    lines = [person.cadre.full_name, person.summary, person.readiness.level.label]
    if person.readiness.missed:
        lines.append(person.readiness.missing_text)
    return "\n".join(lines)


def shares_text(row_shares: dict[str, Share]) -> str:
    labels = {"women": "Nữ", "young": "Trẻ", "minority": "DTTS"}
    return "\n".join(
        f"{labels[key]}: {share.count}/{share.total}" for key, share in row_shares.items()
    )


def pool_xlsx(matrix: PoolMatrix) -> bytes:
    """The sheet in the province's layout: the organisation and "ĐẢNG CỘNG SẢN VIỆT NAM" on top,
    the title, then one block per unit with a row per position (STT, position, count/limit,
    incumbent, reserves, structure), the unit's shares under its block, the term's at the end,
    then place, date and signature."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Quy hoạch"
    headers = [
        "STT",
        "Chức danh quy hoạch",
        "Số người / tối đa",
        "Đương chức",
        *[f"Dự nguồn {n}" for n in range(1, matrix.reserve_columns + 1)],
        "Cơ cấu (nữ, trẻ, DTTS)",
    ]
    width = len(headers)
    half = width // 2

    def merged(row: int, first: int, last: int, text: str, **font) -> None:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = sheet.cell(row=row, column=first, value=escape_formula(text))
        cell.font = Font(**font)
        cell.alignment = CENTER

    merged(1, 1, half, settings.ORGANISATION_NAME.upper(), bold=True)
    merged(1, half + 1, width, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline="single")
    merged(3, 1, width, "DANH SÁCH QUY HOẠCH CÁN BỘ", bold=True, size=14)
    merged(4, 1, width, str(matrix.term), bold=True)
    merged(5, 1, width, f"Tính đến ngày {matrix.on:%d/%m/%Y}", italic=True)

    header_row = 7
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=index, value=header)
        cell.font, cell.alignment, cell.border, cell.fill = Font(bold=True), CENTER, BOX, fill
    column_widths = [6, 30, 10, 32, *[32] * matrix.reserve_columns, 14]
    for index, value in enumerate(column_widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = value

    row = header_row
    number = 0
    for pool_unit in matrix.units:
        row += 1
        merged(row, 1, width, pool_unit.unit.name.upper(), bold=True)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="left")
        for pool_row in pool_unit.rows:
            row += 1
            number += 1
            values = [
                number,
                pool_row.position.title,
                "\n".join([f"{pool_row.count}/{pool_row.limit}", *pool_row.flags]),
                "\n\n".join(person_text(p) for p in pool_row.incumbents),
                *[person_text(p) for p in pool_row.reserve_cells],
                shares_text(pool_row.shares),
            ]
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=index, value=escape_formula(value))
                cell.border = BOX
                cell.alignment = CENTER if index in (1, 3) else TOP
        row += 1
        merged(row, 1, width, f"Cộng {pool_unit.unit.name}: {totals_text(pool_unit.shares)}")
        sheet.cell(row=row, column=1).font = Font(italic=True)
    row += 2
    merged(row, 1, width, f"Toàn nhiệm kỳ: {totals_text(matrix.shares)}", bold=True)
    row += 2
    merged(row, half + 1, width, place_and_date(matrix.on), italic=True)
    for line in settings.REPORT_SIGNATURE:
        row += 1
        merged(row, half + 1, width, line, bold=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def totals_text(unit_shares: dict[str, Share]) -> str:
    """ "5 người; nữ 2 (40%, chỉ tiêu 25%: đạt); …"."""
    labels = {"women": "nữ", "young": "trẻ", "minority": "dân tộc thiểu số"}
    total = next(iter(unit_shares.values())).total
    parts = [f"{total} người"]
    for key, share in unit_shares.items():
        text = f"{labels[key]} {share.count} ({share.rounded}%"
        if share.target is not None:
            verdict = "đạt" if share.met else "chưa đạt"
            text += f", chỉ tiêu {share.target.normalize():f}%: {verdict}"
        parts.append(text + ")")
    return "; ".join(parts)

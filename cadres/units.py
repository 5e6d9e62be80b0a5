"""Load an organisation tree with its merger history from a unit list (CSV).

The file has the columns of ``cadres/data/loc_binh_units.csv``: code, name, kind, parent_code,
valid_from, valid_to, merged_into_code, note. Codes are reused over time (GSO gives a new commune
the code of one of its predecessors), so a row is keyed on (code, valid_from), and a parent or
successor code means the unit with that code that is valid on the relevant day.
"""

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from cadres.addresses import successor_code_by_address
from cadres.choices import UnitKind
from cadres.models import Unit, UnitSuccession
from cadres.models.units import UnitResolver

__all__ = [
    "LOC_BINH_UNITS",
    "UnitResolver",
    "load_province_units",
    "load_units",
    "successor_code_by_address",
]

LOC_BINH_UNITS = Path(__file__).parent / "data" / "loc_binh_units.csv"


@dataclass
class UnitRow:
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: date | None
    valid_to: date | None
    merged_into_code: str
    note: str


def read_unit_rows(path: Path) -> list[UnitRow]:
    def day(value: str) -> date | None:
        return date.fromisoformat(value) if value else None

    with path.open(encoding="utf-8") as f:
        return [
            UnitRow(
                code=row["code"].strip(),
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                parent_code=row["parent_code"].strip(),
                valid_from=day(row["valid_from"].strip()),
                valid_to=day(row["valid_to"].strip()),
                merged_into_code=row["merged_into_code"].strip(),
                note=row["note"].strip(),
            )
            for row in csv.DictReader(f)
        ]


def _valid_on(unit: Unit, on: date | None) -> bool:
    return on is None or unit.is_active(on)


def _find(units: list[Unit], code: str, on: date | None) -> Unit | None:
    candidates = [u for u in units if u.code == code]
    valid = [u for u in candidates if _valid_on(u, on)]
    return (valid or candidates or [None])[0]


@transaction.atomic
def load_units(path: Path, root: Unit | None = None) -> tuple[int, int]:
    """Create or update the units of ``path`` under ``root``; returns (units, successions)
    created. Safe to run again: existing rows are matched on (code, valid_from)."""
    rows = read_unit_rows(path)
    units: list[Unit] = list(Unit.objects.filter(code__in={r.code for r in rows}))
    created_units = 0
    loaded: list[tuple[UnitRow, Unit]] = []
    for row in rows:
        unit = next(
            (u for u in units if u.code == row.code and u.valid_from == row.valid_from), None
        )
        if unit is None:
            unit = Unit(code=row.code, valid_from=row.valid_from)
            units.append(unit)
            created_units += 1
        unit.name, unit.kind, unit.valid_to, unit.note = row.name, row.kind, row.valid_to, row.note
        loaded.append((row, unit))
    # Parents first: a unit's parent is the unit with that code valid on the unit's first day.
    for row, unit in sorted(loaded, key=lambda item: item[0].kind != UnitKind.DISTRICT):
        parent = _find(units, row.parent_code, row.valid_from or row.valid_to)
        unit.parent = parent if parent and parent.pk else root
        unit.save()
    created_successions = 0
    for row, unit in loaded:
        if not row.merged_into_code or row.valid_to is None:
            continue
        effective = row.valid_to + timedelta(days=1)
        successor = _find(units, row.merged_into_code, effective)
        if successor is None or successor.pk == unit.pk:
            continue
        _, created = UnitSuccession.objects.get_or_create(
            predecessor=unit, successor=successor, defaults={"effective_date": effective}
        )
        created_successions += created
    return created_units, created_successions


# Since 1 July 2025 communes and wards hang directly under the province (Nghị quyết
# 202/2025/QH15); the official list and codes come from the vietnam-provinces package.
REFORM_DATE = date(2025, 7, 1)
WARD_KINDS = {"xã": UnitKind.COMMUNE, "phường": UnitKind.WARD, "đặc khu": UnitKind.COMMUNE}


@transaction.atomic
def load_province_units(province_code: int) -> tuple[Unit, int]:
    """Create (or find) a province and its current communes and wards with official codes;
    returns the province and the number of units created. Safe to run again."""
    import vietnam_provinces as vp

    official = vp.Province.from_code(vp.ProvinceCode(province_code))
    prefix = "Thành phố" if official.division_type.value.startswith("thành phố") else "Tỉnh"
    province, _ = Unit.objects.get_or_create(
        code=str(province_code),
        kind=UnitKind.PROVINCE,
        defaults={"name": f"{prefix} {official.name}"},
    )
    created = 0
    for ward in vp.Ward.iter_by_province(province_code):
        _, was_created = Unit.objects.get_or_create(
            code=f"{int(ward.code):05d}",
            valid_from=REFORM_DATE,
            defaults={
                "name": ward.name,
                "kind": WARD_KINDS.get(ward.division_type.value, UnitKind.COMMUNE),
                "parent": province,
            },
        )
        created += was_created
    return province, created

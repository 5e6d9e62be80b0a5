"""Two communes about to be merged, holding one of everything a merger moves (tests of
cadres.mergers and the browser flow)."""

from datetime import date

from cadres.models import Unit, UnitSuccession, WorkHistory
from tests.factories import PositionFactory, UnitFactory
from tests.party.factories import PartyCellFactory, VillageFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.training.factories import PlanFactory

MERGED_ON = date(2025, 7, 1)
LEGAL_BASIS = "NQ 1672/NQ-UBTVQH15"


def communes_to_merge(district: Unit) -> tuple[Unit, list[Unit]]:
    """Xã Hữu Khánh and Xã Tú Mịch, to be merged into Xã Khánh Xuân on 1 July 2025: each has two
    reserves for party secretary (four in all: one over the limit of three), a training plan for
    2025 (one per unit and year: the second cannot move), a party cell of its own and a village
    with its cell. Returns the new unit and the old ones; no succession recorded yet."""
    new = UnitFactory(name="Xã Khánh Xuân", parent=district, valid_from=MERGED_ON)
    olds = [UnitFactory(name=name, parent=district) for name in ("Xã Hữu Khánh", "Xã Tú Mịch")]
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100)
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    for old in olds:
        for name in ("Hoàng Văn", "Lương Thị"):
            entry = PlanningEntryFactory(
                added_by=decision,
                unit=old,
                position=secretary,
                cadre__full_name=f"{name} {old.name[3:]}",
            )
            WorkHistory.objects.create(
                cadre=entry.cadre,
                position_title="Công chức Văn phòng – thống kê",
                organisation=old.name,
                start_date=date(2015, 1, 1),
            )
        PlanFactory(unit=old, year=2025)
        PartyCellFactory(unit=old, name=f"Chi bộ Cơ quan {old.name}")
        PartyCellFactory(unit=VillageFactory(name=f"Thôn Nà Pàn {old.name[3:]}", parent=old))
    return new, olds


def record_succession(old: Unit, new: Unit) -> UnitSuccession:
    return UnitSuccession.objects.create(
        predecessor=old, successor=new, effective_date=MERGED_ON, legal_basis=LEGAL_BASIS
    )

"""Demo planning for Lộc Bình: standards of the key positions, the 2020-2025 and 2025-2030 terms of
the district and of the communes, their decisions, incumbents and reserves, removals, two
rotations and the ballots of one round.

History first: the pre-2025 communes' and the district's pools for both terms, approved in 2020
and 2023. Then 1 July 2025: the district level ends and the communes merge, so those pools are
closed by a removal decision of that day, and each 2025 commune's pool for 2025-2030 is approved
in September 2025 from the cadres now in it (the cadres demo moved them; see
``cadres.demo.apply_reform``).

Every entry goes through ``full_clean()``, so the demo obeys the same rules as the admin;
candidates who break a hard rule are skipped, as a planner would.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from cadres.choices import Level, UnitKind
from cadres.demo import REFORM_DATE, demo_today
from cadres.models import Appointment, Cadre, Position, QualificationLevel, Unit
from planning.choices import BallotStep, DecisionKind, EntryRole, RemovalReason, TermLevel
from planning.models import (
    Ballot,
    PlanningDecision,
    PlanningEntry,
    PlanningTerm,
    PositionStandard,
    Rotation,
    VotingRound,
)

DISTRICT_CODE = "188"
COMMUNES_PLANNED = 5

# title -> (professional, political theory, state management, general education, party years,
# maximum age when first planned)
STANDARDS = {
    "Bí thư Huyện ủy": ("CM_DAI_HOC", "LLCT_CAO_CAP", "QLNN_CHUYEN_VIEN_CHINH", "PT_12_12", 10, 50),
    "Phó Bí thư Thường trực Huyện ủy": (
        "CM_DAI_HOC",
        "LLCT_CAO_CAP",
        "QLNN_CHUYEN_VIEN_CHINH",
        "PT_12_12",
        10,
        50,
    ),
    "Chủ tịch HĐND huyện": (
        "CM_DAI_HOC",
        "LLCT_CAO_CAP",
        "QLNN_CHUYEN_VIEN_CHINH",
        "PT_12_12",
        8,
        50,
    ),
    "Chủ tịch UBND huyện": (
        "CM_DAI_HOC",
        "LLCT_CAO_CAP",
        "QLNN_CHUYEN_VIEN_CHINH",
        "PT_12_12",
        8,
        50,
    ),
    "Ủy viên Ban Thường vụ Huyện ủy": ("CM_DAI_HOC", "LLCT_CAO_CAP", None, "PT_12_12", 5, 50),
    "Phó Chủ tịch UBND huyện": (
        "CM_DAI_HOC",
        "LLCT_CAO_CAP",
        "QLNN_CHUYEN_VIEN_CHINH",
        "PT_12_12",
        5,
        50,
    ),
    "Bí thư Đảng ủy xã": ("CM_DAI_HOC", "LLCT_TRUNG_CAP", None, "PT_12_12", 5, 50),
    "Phó Bí thư Đảng ủy xã": ("CM_DAI_HOC", "LLCT_TRUNG_CAP", None, "PT_12_12", 3, 50),
    "Chủ tịch HĐND xã": ("CM_DAI_HOC", "LLCT_TRUNG_CAP", "QLNN_CHUYEN_VIEN", "PT_12_12", 3, 50),
    "Chủ tịch UBND xã": ("CM_DAI_HOC", "LLCT_TRUNG_CAP", "QLNN_CHUYEN_VIEN", "PT_12_12", 3, 50),
}
COMMUNE_KEY = ["Bí thư Đảng ủy xã", "Phó Bí thư Đảng ủy xã", "Chủ tịch HĐND xã", "Chủ tịch UBND xã"]
DISTRICT_KEY = [
    "Bí thư Huyện ủy",
    "Phó Bí thư Thường trực Huyện ủy",
    "Chủ tịch UBND huyện",
    "Phó Chủ tịch UBND huyện",
]

TERMS = [
    ("2020-2025", TermLevel.COMMUNE, date(2020, 7, 1), date(2025, 6, 30)),
    ("2025-2030", TermLevel.COMMUNE, date(2025, 7, 1), date(2030, 6, 30)),
    ("2020-2025", TermLevel.DISTRICT, date(2020, 10, 1), date(2025, 9, 30)),
    ("2025-2030", TermLevel.DISTRICT, date(2025, 10, 1), date(2030, 9, 30)),
]


def build(rng: random.Random, log) -> None:
    if PlanningTerm.objects.exists():
        log("Dữ liệu quy hoạch mẫu đã có: bỏ qua.")
        return
    district = Unit.objects.filter(code=DISTRICT_CODE, kind=UnitKind.DISTRICT).first()
    if district is None or not Cadre.objects.exists():
        log("Chưa có hồ sơ cán bộ mẫu: bỏ qua phần quy hoạch.")
        return
    build_standards()
    terms = {
        (name, level): PlanningTerm.objects.create(
            name=name, level=level, start_date=start, end_date=end
        )
        for name, level, start, end in TERMS
    }
    positions = {p.title: p for p in Position.objects.all()}
    communes = list(Unit.objects.communes().filter(parent=district).active(date(2024, 12, 31)))
    communes = sorted(communes, key=lambda u: u.name)[:COMMUNES_PLANNED]
    planner = Planner(rng, positions)

    # 2020-2025: the incumbents, approved in 2020; one removed for age in 2023.
    old_commune = decision(terms["2020-2025", TermLevel.COMMUNE], date(2020, 3, 16), "HU")
    for commune in communes:
        planner.plan_incumbents(old_commune, commune, COMMUNE_KEY)
    old_district = decision(terms["2020-2025", TermLevel.DISTRICT], date(2020, 5, 20), "TU")
    planner.plan_incumbents(old_district, district, DISTRICT_KEY)
    removal = decision(
        terms["2020-2025", TermLevel.COMMUNE], date(2023, 6, 12), "HU", DecisionKind.REMOVAL
    )
    for entry in PlanningEntry.objects.filter(added_by=old_commune).order_by("cadre__birth_date")[
        :2
    ]:
        entry.remove(removal, RemovalReason.AGE, note="Không đủ tuổi tái cử nhiệm kỳ tới.")

    # 2025-2030: approved in 2023 under Quy định 50-QĐ/TW, completed by the 2024 addition.
    new_commune = decision(terms["2025-2030", TermLevel.COMMUNE], date(2023, 9, 15), "HU")
    addition = decision(
        terms["2025-2030", TermLevel.COMMUNE], date(2024, 6, 20), "HU", DecisionKind.ADDITION
    )
    for index, commune in enumerate(communes):
        planner.plan_incumbents(new_commune, commune, COMMUNE_KEY)
        planner.plan_reserves(new_commune if index % 2 else addition, commune, COMMUNE_KEY)
    new_district = decision(terms["2025-2030", TermLevel.DISTRICT], date(2023, 10, 5), "TU")
    planner.plan_incumbents(new_district, district, DISTRICT_KEY)
    planner.plan_reserves(new_district, district, DISTRICT_KEY, agencies_of=district)

    build_rotations(district, communes, positions, date(2024, 12, 31))
    build_ballots(rng, terms["2025-2030", TermLevel.COMMUNE], communes[0])
    log(
        f"Đã tạo {PlanningTerm.objects.count()} nhiệm kỳ, {PlanningDecision.objects.count()} "
        f"quyết định, {PlanningEntry.objects.count()} lượt quy hoạch "
        f"({planner.skipped} người không đạt quy định bị bỏ qua)."
    )


def finish(rng: random.Random, log) -> None:
    """The present, after the cadres demo applied the 2025 reform (``cadres.demo.finish``): the
    pre-2025 pools of 2025-2030 close, the 2025 communes' pools are approved, a rotation runs
    and the new communes' first round is voted."""
    today = demo_today()
    district = Unit.objects.filter(code=DISTRICT_CODE, kind=UnitKind.DISTRICT).first()
    term = PlanningTerm.objects.filter(name="2025-2030", level=TermLevel.COMMUNE).first()
    if today < REFORM_DATE or district is None or term is None:
        return
    if PlanningEntry.objects.filter(unit__valid_from=REFORM_DATE).exists():
        return  # done by an earlier run
    terms = {(t.name, t.level): t for t in PlanningTerm.objects.all()}
    old = PlanningEntry.objects.filter(term=term, unit__parent=district).values("unit")
    close_pre_reform_pools(terms, list(Unit.objects.filter(pk__in=old)), district)
    positions = {p.title: p for p in Position.objects.filter(level=Level.COMMUNE)}
    planner = Planner(rng, positions)
    present = plan_new_communes(planner, term, district)
    build_rotations(district, present, positions, today)
    build_ballots(rng, term, present[0])
    log(
        f"Quy hoạch 2025-2030 của {len(present)} xã mới: "
        f"{PlanningEntry.objects.filter(unit__in=present).count()} lượt quy hoạch."
    )


def close_pre_reform_pools(terms: dict, communes: list[Unit], district: Unit) -> None:
    """The 2025-2030 pools of the pre-2025 communes and of the district end with their units on
    1 July 2025: one removal decision per term, kept as history."""
    note = "Sắp xếp đơn vị hành chính từ 01/7/2025 (Nghị quyết 202/2025/QH15)."
    for level, units in ((TermLevel.COMMUNE, communes), (TermLevel.DISTRICT, [district])):
        term = terms["2025-2030", level]
        closing = decision(term, REFORM_DATE, "TU", DecisionKind.REMOVAL)
        for entry in PlanningEntry.objects.current().for_term(term).filter(unit__in=units):
            entry.remove(closing, RemovalReason.TRANSFER, note=note)


def plan_new_communes(planner: Planner, term: PlanningTerm, district: Unit) -> list[Unit]:
    """Each 2025 commune's pool: its incumbents since 1 July 2025 and reserves among the cadres
    now in it, approved in September 2025 by the province's standing committee."""
    new_communes = list(
        Unit.objects.communes()
        .filter(
            predecessions__predecessor__parent=district,
            predecessions__effective_date=REFORM_DATE,
        )
        .distinct()
        .order_by("name")
    )
    approval = decision(term, date(2025, 9, 15), "TU")
    for commune in new_communes:
        planner.plan_incumbents(approval, commune, COMMUNE_KEY)
        planner.plan_reserves(approval, commune, COMMUNE_KEY)
    return new_communes


def build_standards() -> None:
    levels = {lvl.code: lvl for lvl in QualificationLevel.objects.all()}
    for title, (prof, llct, qlnn, general, party, age) in STANDARDS.items():
        position = Position.objects.filter(title=title).first()
        if position is None:
            continue
        PositionStandard.objects.update_or_create(
            position=position,
            defaults={
                "professional_level": levels.get(prof),
                "political_theory_level": levels.get(llct),
                "state_management_level": levels.get(qlnn),
                "general_education": levels.get(general),
                "min_party_years": party,
                "max_age_first_planned": age,
                "other_requirements": "Bản lĩnh chính trị vững vàng; có uy tín; đủ sức khỏe.",
            },
        )


def decision(
    term: PlanningTerm, issued_on: date, by: str, kind: str = DecisionKind.APPROVAL
) -> PlanningDecision:
    issuer = {
        "HU": "Ban Thường vụ Huyện ủy Lộc Bình",
        "TU": "Ban Thường vụ Tỉnh ủy Lạng Sơn",
    }[by]
    count = PlanningDecision.objects.count() + 1
    return PlanningDecision.objects.create(
        number=f"{100 + count * 7}-QĐ/{by}",
        issued_on=issued_on,
        issuer=issuer,
        kind=kind,
        term=term,
    )


class Planner:
    """Picks incumbents and reserves and saves those who pass every hard rule."""

    def __init__(self, rng: random.Random, positions: dict[str, Position]):
        self.rng = rng
        self.positions = positions
        self.skipped = 0

    def holders(self, unit: Unit, title: str, on: date) -> list[Cadre]:
        appointments = Appointment.objects.filter(
            unit=unit, position=self.positions[title], start_date__lte=on
        ).select_related("cadre")
        return [a.cadre for a in appointments if a.is_active(on)]

    def save(self, entry: PlanningEntry) -> bool:
        try:
            entry.full_clean()
        except ValidationError:
            self.skipped += 1
            return False
        entry.save()
        return True

    def plan_incumbents(self, decided: PlanningDecision, unit: Unit, titles) -> None:
        for title in titles:
            for cadre in self.holders(unit, title, decided.issued_on)[:1]:
                self.save(
                    PlanningEntry(
                        term=decided.term,
                        unit=unit,
                        position=self.positions[title],
                        cadre=cadre,
                        role=EntryRole.INCUMBENT,
                        added_by=decided,
                    )
                )

    def plan_reserves(
        self, decided: PlanningDecision, unit: Unit, titles, agencies_of: Unit | None = None
    ) -> None:
        # Reserves for key positions are party members (tiêu chuẩn chính trị).
        pool = Cadre.objects.filter(party_join_date__isnull=False)
        if agencies_of is not None:
            pool = pool.filter(
                unit__parent=agencies_of,
                unit__kind=UnitKind.AGENCY,
                appointments__position__level=Level.DISTRICT,
                appointments__position__rank__gte=40,
            )
        else:
            pool = pool.filter(unit=unit)
        pool = list(pool.distinct().order_by("birth_date", "pk")[:60])
        self.rng.shuffle(pool)
        for title in titles:
            wanted = self.rng.randint(1, 2)
            for cadre in pool:
                if wanted == 0:
                    break
                entry = PlanningEntry(
                    term=decided.term,
                    unit=unit,
                    position=self.positions[title],
                    cadre=cadre,
                    role=EntryRole.RESERVE,
                    added_by=decided,
                )
                if self.save(entry):
                    wanted -= 1


def build_rotations(
    district: Unit, communes: list[Unit], positions: dict[str, Position], today: date
) -> None:
    """Before the reform, a district deputy head rotated to a commune (done); after it, a
    commune's deputy chair rotated to another 2025 commune (running on ``today``)."""
    if today < REFORM_DATE:
        deputy = Appointment.objects.filter(
            position__title="Phó trưởng phòng, ban, ngành huyện", start_date__lt=REFORM_DATE
        ).select_related("cadre", "unit", "position")[:1]
        for appointment in deputy:
            Rotation.objects.create(
                cadre=appointment.cadre,
                from_unit=appointment.unit,
                from_position=appointment.position,
                to_unit=communes[1],
                to_position=positions["Phó Chủ tịch UBND xã"],
                decision_number="215-QĐ/HU",
                decision_date=date(2023, 8, 20),
                planned_start=date(2023, 9, 1),
                planned_end=date(2025, 2, 28),
                actual_start=date(2023, 9, 5),
                actual_end=date(2025, 2, 28),
                purpose="Rèn luyện thực tiễn ở cơ sở (nguồn quy hoạch Phó Chủ tịch UBND huyện).",
            )
        return
    start = max(REFORM_DATE + timedelta(days=61), date(today.year, 1, 1))
    vice = Appointment.objects.filter(
        position__title="Phó Chủ tịch UBND xã", unit=communes[0], start_date__lte=start
    ).select_related("cadre", "unit", "position")[:1]
    for appointment in vice:
        Rotation.objects.create(
            cadre=appointment.cadre,
            from_unit=appointment.unit,
            from_position=appointment.position,
            to_unit=communes[1],
            decision_number=f"{231 + today.year % 100}-QĐ/TU",
            decision_date=start,
            planned_start=start,
            planned_end=date(start.year + 2, start.month, 1),
            actual_start=start,
            purpose="Rèn luyện thực tiễn ở một xã khó khăn hơn (nguồn Chủ tịch UBND xã).",
        )


def build_ballots(rng: random.Random, term: PlanningTerm, commune: Unit) -> None:
    held = date(2025, 8, 10) if commune.valid_from == REFORM_DATE else date(2023, 8, 10)
    voting = VotingRound.objects.create(
        term=term,
        unit=commune,
        year=held.year,
        note="Giới thiệu nguồn quy hoạch nhiệm kỳ 2025-2030.",
    )
    reserves = PlanningEntry.objects.filter(term=term, unit=commune, role=EntryRole.RESERVE)
    sizes = {
        BallotStep.LEADERSHIP_MEETING: 9,
        BallotStep.KEY_CADRE_CONFERENCE: 42,
        BallotStep.EXTENDED_MEETING: 21,
        BallotStep.FINAL_VOTE: 9,
    }
    for entry in reserves.select_related("cadre", "position"):
        for step, summoned in sizes.items():
            present = summoned - rng.randint(0, 2)
            valid = present - rng.randint(0, 1)
            votes_for = rng.randint(valid // 2 + 1, valid)
            Ballot.objects.create(
                round=voting,
                step=step,
                cadre=entry.cadre,
                position=entry.position,
                held_on=held.replace(day=10 + step),
                summoned=summoned,
                present=present,
                issued=present,
                returned=present,
                valid=valid,
                votes_for=votes_for,
                votes_against=valid - votes_for,
            )

"""A realistic demo district: Lộc Bình (Lạng Sơn) with its real units and mergers, district
agencies, villages and schools, positions, and about 3,000 generated cadres with histories.

Deterministic (a seeded random generator) and written in bulk. The people are invented; the
distributions follow a mountain district of the north-east: mostly Tày and Nùng, some Kinh, Dao,
Hoa and Sán Chay.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from cadres.categories import category_of_position
from cadres.choices import (
    Category,
    EvaluationResult,
    FamilySide,
    Gender,
    Level,
    StudyMode,
    Track,
    UnitKind,
)
from cadres.models import (
    Appointment,
    Cadre,
    Ethnicity,
    Evaluation,
    FamilyRelation,
    Position,
    Qualification,
    QualificationLevel,
    Religion,
    SalaryStep,
    Unit,
    UnitSuccession,
    WorkHistory,
)
from cadres.units import LOC_BINH_UNITS, load_units

PROVINCE = ("20", "Tỉnh Lạng Sơn")
DISTRICT_CODE = "188"
# The district's last full year of records before the 2025 reform: the pre-merger history (and
# the training and party demos, which describe those years) ends here.
AS_OF = date(2024, 12, 31)
# The district level ended and the communes merged on this day (Nghị quyết 202/2025/QH15).
REFORM_DATE = date(2025, 7, 1)
LAST_DAY_BEFORE = REFORM_DATE - timedelta(days=1)


def demo_today() -> date:
    """The present the demo describes: ``settings.DEMO_TODAY``, or the day it is loaded."""
    return settings.DEMO_TODAY or timezone.localdate()


DISTRICT_AGENCIES = [
    "Văn phòng Huyện ủy",
    "Ban Tổ chức Huyện ủy",
    "Ủy ban Kiểm tra Huyện ủy",
    "Ban Tuyên giáo Huyện ủy",
    "Ban Dân vận Huyện ủy",
    "Trung tâm Chính trị huyện",
    "Văn phòng HĐND và UBND huyện",
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tư pháp",
    "Thanh tra huyện",
    "Ủy ban MTTQ Việt Nam huyện",
    "Huyện đoàn",
    "Hội Liên hiệp Phụ nữ huyện",
    "Hội Nông dân huyện",
    "Hội Cựu chiến binh huyện",
    "Liên đoàn Lao động huyện",
]

# (title, level, key, rank, party post). Rank is one ladder across levels (Position.rank): since
# 1 July 2025 a commune's key posts rank above a district specialist, below the district's
# leaders (the district's heads of office went to lead the new communes).
POSITIONS = [
    ("Bí thư Huyện ủy", Level.DISTRICT, True, 200, True),
    ("Phó Bí thư Thường trực Huyện ủy", Level.DISTRICT, True, 190, True),
    ("Chủ tịch HĐND huyện", Level.DISTRICT, True, 180, False),
    ("Chủ tịch UBND huyện", Level.DISTRICT, True, 180, False),
    ("Ủy viên Ban Thường vụ Huyện ủy", Level.DISTRICT, True, 170, True),
    ("Phó Chủ tịch UBND huyện", Level.DISTRICT, True, 160, False),
    ("Phó Chủ tịch HĐND huyện", Level.DISTRICT, True, 160, False),
    ("Trưởng ban Đảng Huyện ủy", Level.DISTRICT, True, 150, True),
    ("Trưởng phòng, ban, ngành huyện", Level.DISTRICT, False, 115, False),
    ("Phó trưởng phòng, ban, ngành huyện", Level.DISTRICT, False, 95, False),
    ("Chuyên viên", Level.DISTRICT, False, 40, False),
    ("Bí thư Đảng ủy xã", Level.COMMUNE, True, 130, True),
    ("Phó Bí thư Đảng ủy xã", Level.COMMUNE, True, 125, True),
    ("Chủ tịch HĐND xã", Level.COMMUNE, True, 120, False),
    ("Chủ tịch UBND xã", Level.COMMUNE, True, 120, False),
    ("Phó Chủ tịch HĐND xã", Level.COMMUNE, False, 105, False),
    ("Phó Chủ tịch UBND xã", Level.COMMUNE, False, 105, False),
    ("Chủ tịch Ủy ban MTTQ xã", Level.COMMUNE, False, 100, False),
    ("Trưởng phòng chuyên môn xã", Level.COMMUNE, False, 90, False),
    ("Bí thư Đoàn xã", Level.COMMUNE, False, 60, False),
    ("Chủ tịch Hội Phụ nữ xã", Level.COMMUNE, False, 60, False),
    ("Chủ tịch Hội Nông dân xã", Level.COMMUNE, False, 60, False),
    ("Chủ tịch Hội Cựu chiến binh xã", Level.COMMUNE, False, 60, False),
    ("Chỉ huy trưởng Quân sự xã", Level.COMMUNE, False, 50, False),
    ("Chuyên viên", Level.COMMUNE, False, 35, False),
    ("Công chức Văn phòng - Thống kê", Level.COMMUNE, False, 30, False),
    ("Công chức Địa chính - Xây dựng", Level.COMMUNE, False, 30, False),
    ("Công chức Tài chính - Kế toán", Level.COMMUNE, False, 30, False),
    ("Công chức Tư pháp - Hộ tịch", Level.COMMUNE, False, 30, False),
    ("Công chức Văn hóa - Xã hội", Level.COMMUNE, False, 30, False),
]
# The commune posts of the pre-2025 communes (2025's departments and specialists came after).
PRE_REFORM_ONLY = {"Trưởng phòng chuyên môn xã", "Chuyên viên"}
COMMUNE_LEADERS = [
    title
    for title, level, _, rank, _ in POSITIONS
    if level == Level.COMMUNE and rank > 30 and title not in PRE_REFORM_ONLY
]
COMMUNE_STAFF = [
    title for title, level, _, rank, _ in POSITIONS if level == Level.COMMUNE and rank == 30
]
PARTY_POSTS = {title for title, _, _, _, party in POSITIONS if party}

ETHNICITY_SHARES = {
    "02": 40,
    "07": 40,
    "01": 12,
    "09": 5,
    "04": 2,
    "15": 1,
}  # Tày Nùng Kinh Dao Hoa Sán Chay
SURNAMES = [
    "Hoàng",
    "Nông",
    "Lương",
    "Vi",
    "Lăng",
    "Chu",
    "Hà",
    "Lý",
    "Mã",
    "Lộc",
    "Triệu",
    "Nguyễn",
    "Trần",
    "Đinh",
    "Hứa",
    "Lâm",
    "Hoàng",
    "Nông",
    "Vy",
    "Bế",
    "Dương",
]
MALE_MIDDLE = ["Văn", "Văn", "Đức", "Thanh", "Minh", "Quang", "Hữu", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh"]
MALE_GIVEN = [
    "Hải",
    "Dũng",
    "Hùng",
    "Tuấn",
    "Thắng",
    "Cường",
    "Đức",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thành",
    "Toàn",
    "Việt",
    "Bình",
    "Chiến",
    "Hiếu",
    "Lâm",
]
FEMALE_GIVEN = [
    "Lan",
    "Hường",
    "Hoa",
    "Hạnh",
    "Huyền",
    "Thảo",
    "Trang",
    "Nga",
    "Mai",
    "Linh",
    "Phương",
    "Thúy",
    "Yến",
    "Dung",
    "Hằng",
    "Nhung",
    "Xuân",
    "Vân",
    "Liên",
    "Quỳnh",
]
PLACE_WORDS = ["Nà", "Bản", "Khòn", "Pò", "Còn", "Pác", "Nà Sla", "Khau", "Lũng", "Phai"]
PLACE_TAILS = [
    "Pàn",
    "Chắt",
    "Quan",
    "Mạ",
    "Làng",
    "Cáy",
    "Slam",
    "Mò",
    "Táng",
    "Lầy",
    "Vường",
    "Hin",
    "Kéo",
    "Tà",
    "Bó",
]
MAJORS = [
    "Luật",
    "Kinh tế",
    "Quản lý đất đai",
    "Kế toán",
    "Nông học",
    "Sư phạm",
    "Xây dựng Đảng",
    "Hành chính học",
    "Công nghệ thông tin",
    "Chăn nuôi thú y",
    "Quản trị kinh doanh",
]


def weighted(rng: random.Random, shares: dict[str, int]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def build(rng: random.Random, log) -> None:
    if Cadre.objects.exists():
        log("Dữ liệu mẫu đã có: bỏ qua phần hồ sơ cán bộ.")
        return
    today = demo_today()
    district = build_units(rng)
    build_positions()
    build_cadres(rng, district, today)
    log(f"Đã tạo {Unit.objects.count()} đơn vị, {Cadre.objects.count()} cán bộ.")


def build_units(rng: random.Random) -> Unit:
    code, name = PROVINCE
    province, _ = Unit.objects.get_or_create(
        code=code, kind=UnitKind.PROVINCE, defaults={"name": name}
    )
    load_units(LOC_BINH_UNITS, root=province)
    district = Unit.objects.get(code=DISTRICT_CODE)
    for agency in DISTRICT_AGENCIES:
        Unit.objects.get_or_create(
            name=agency,
            parent=district,
            defaults={"kind": UnitKind.AGENCY, "valid_to": district.valid_to},
        )
    for commune in Unit.objects.communes().filter(parent=district).active(AS_OF):
        for number in range(rng.randint(4, 8)):
            village = f"Thôn {rng.choice(PLACE_WORDS)} {rng.choice(PLACE_TAILS)}"
            Unit.objects.get_or_create(
                name=f"{village} {number + 1}" if number > 5 else village,
                parent=commune,
                defaults={"kind": UnitKind.VILLAGE},
            )
        commune_name = commune.name.removeprefix("Xã ").removeprefix("Thị trấn ")
        for school in ("Trường Tiểu học", "Trường THCS"):
            Unit.objects.get_or_create(
                name=f"{school} {commune_name}",
                parent=commune,
                defaults={"kind": UnitKind.SCHOOL},
            )
    return district


def build_positions() -> None:
    for title, level, key, rank, party in POSITIONS:
        Position.objects.get_or_create(
            title=title,
            level=level,
            defaults={
                "is_key": key,
                "rank": rank,
                "is_party_post": party,
                "category": category_of_position(title, level),
            },
        )


class CadreGenerator:
    """Invents one plausible cadre at a time, with the histories of the 2C form."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ethnicities = {e.code: e for e in Ethnicity.objects.all()}
        self.no_religion = Religion.objects.get(code="KHONG")
        self.levels = {lvl.code: lvl for lvl in QualificationLevel.objects.all()}
        self.positions = {p.title: p for p in Position.objects.all()}
        self.used_cccd: set[str] = set()

    def person(self, unit: Unit, category: str, young: bool = False, leader: bool = False) -> Cadre:
        """An invented cadre; a ``leader`` (who holds a post by 2021) is between 33 and 53 then
        and a party member from before the post (party posts are held by party members only)."""
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.38 else Gender.MALE
        first_year, last_year = (1968, 1988) if leader else (1988 if young else 1966, 2001)
        born = date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))
        middle, given = (
            (FEMALE_MIDDLE, FEMALE_GIVEN) if gender == Gender.FEMALE else (MALE_MIDDLE, MALE_GIVEN)
        )
        name = f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"
        hometown = unit.name if unit.level == Level.COMMUNE else "huyện Lộc Bình, tỉnh Lạng Sơn"
        work_start = born + timedelta(days=365 * rng.randint(20, 27))
        party_join = (
            work_start + timedelta(days=365 * rng.randint(1, 6))
            if leader or rng.random() < 0.8
            else None
        )
        if leader:
            party_join = max(min(party_join, date(2014, 12, 31)), born + timedelta(days=365 * 19))
        cadre = Cadre(
            full_name=name,
            gender=gender,
            birth_date=born,
            place_of_birth=hometown,
            home_town=hometown,
            permanent_residence=f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_TAILS)}, {hometown}",
            ethnicity=self.ethnicities[weighted(rng, ETHNICITY_SHARES)],
            religion=self.no_religion,
            cccd=self.cccd(gender, born),
            phone=f"09{rng.randint(10000000, 99999999)}",
            category=category,
            unit=unit,
            recruitment_date=min(work_start, AS_OF),
            work_start_date=min(work_start, AS_OF),
            recruiting_agency="UBND huyện Lộc Bình",
            party_join_date=party_join if party_join and party_join < AS_OF else None,
            general_education=self.levels[
                "PT_12_12" if born.year > 1972 or rng.random() < 0.7 else "PT_9_12"
            ],
            health="Tốt",
            family_origin=rng.choice(["Nông dân", "Nông dân", "Công nhân", "Viên chức"]),
        )
        if cadre.party_join_date and cadre.party_join_date + timedelta(days=366) < AS_OF:
            cadre.party_official_date = cadre.party_join_date + timedelta(days=366)
        cadre.derive_fields()
        return cadre

    def cccd(self, gender: str, born: date) -> str:
        # 3 digits province of birth (020 Lạng Sơn), century-and-gender digit, 2 digits year.
        century = (0 if born.year < 2000 else 2) + (1 if gender == Gender.FEMALE else 0)
        while True:
            number = f"020{century}{born.year % 100:02d}{self.rng.randint(0, 999999):06d}"
            if number not in self.used_cccd:
                self.used_cccd.add(number)
                return number

    def qualifications(self, cadre: Cadre) -> list[Qualification]:
        rng = self.rng
        graduated = cadre.birth_date.year + rng.randint(22, 26)
        picks = [
            (
                weighted(
                    rng,
                    {
                        "CM_DAI_HOC": 55,
                        "CM_CAO_DANG": 10,
                        "CM_TRUNG_CAP": 27,
                        "CM_THAC_SI": 3,
                        "CM_SO_CAP": 5,
                    },
                ),
                rng.choice(MAJORS),
            ),
            (
                weighted(rng, {"LLCT_TRUNG_CAP": 50, "LLCT_SO_CAP": 30, "LLCT_CAO_CAP": 6, "": 14}),
                "",
            ),
            (weighted(rng, {"QLNN_CHUYEN_VIEN": 40, "QLNN_CHUYEN_VIEN_CHINH": 6, "": 54}), ""),
            (weighted(rng, {"CNTT_CO_BAN": 45, "TH_A": 20, "TH_B": 10, "": 25}), ""),
            (weighted(rng, {"NN_A": 20, "NN_BAC2": 25, "NN_BAC3": 8, "TIENG_DTTS": 5, "": 42}), ""),
            (weighted(rng, {"QPAN_DT4": 35, "QPAN_DT3": 15, "": 50}), ""),
        ]
        rows = []
        for offset, (code, major) in enumerate(picks):
            if not code:
                continue
            level = self.levels[code]
            year = min(graduated + offset * rng.randint(0, 3), AS_OF.year)
            institution = {
                Track.PROFESSIONAL: rng.choice(
                    [
                        "Đại học Thái Nguyên",
                        "Học viện Hành chính Quốc gia",
                        "Trường Cao đẳng Sư phạm Lạng Sơn",
                        "Đại học Luật Hà Nội",
                    ]
                ),
                Track.POLITICAL_THEORY: "Trường Chính trị Hoàng Văn Thụ",
            }.get(level.track, "Trung tâm Chính trị huyện Lộc Bình")
            rows.append(
                Qualification(
                    cadre=cadre,
                    level=level,
                    major=major,
                    institution=institution,
                    mode=StudyMode.FULL_TIME if offset == 0 else StudyMode.IN_SERVICE,
                    year_obtained=year,
                )
            )
        return rows


def build_cadres(rng: random.Random, district: Unit, today: date) -> None:
    gen = CadreGenerator(rng)
    plans: list[tuple[Cadre, str | None, Unit]] = []  # cadre, position title held, unit
    communes = list(Unit.objects.communes().filter(parent=district).active(AS_OF))
    agencies = list(Unit.objects.filter(parent=district, kind=UnitKind.AGENCY))
    for commune in communes:
        for title in COMMUNE_LEADERS:
            plans.append((gen.person(commune, Category.CADRE, leader=True), title, commune))
        for title in COMMUNE_STAFF:
            for _ in range(rng.randint(1, 2)):
                plans.append((gen.person(commune, Category.CIVIL_SERVANT), title, commune))
        villages = list(commune.children.filter(kind=UnitKind.VILLAGE))
        for _ in range(rng.randint(85, 110)):  # village heads, party cell secretaries, part-timers
            plans.append((gen.person(rng.choice(villages), Category.PART_TIME), None, commune))
        for _ in range(rng.randint(6, 12)):  # reserve: young cadres of the commune
            plans.append((gen.person(commune, Category.CIVIL_SERVANT, young=True), None, commune))
    district_titles = [t for t, level, _, _, _ in POSITIONS if level == Level.DISTRICT]
    for agency in agencies:
        for index in range(rng.randint(14, 26)):
            title = (
                district_titles[8]
                if index == 0
                else (district_titles[9] if index < 3 else district_titles[10])
            )
            category = (
                Category.CADRE if agency.name.endswith("Huyện ủy") else Category.CIVIL_SERVANT
            )
            plans.append((gen.person(agency, category, leader=index < 3), title, agency))
    for title in district_titles[:8]:
        plans.append((gen.person(agencies[0], Category.CADRE, leader=True), title, district))

    Cadre.objects.bulk_create([cadre for cadre, _, _ in plans], batch_size=1000)
    cadres = {c.cccd: c for c in Cadre.objects.all()}
    qualifications, appointments, work, evaluations, family, salary = [], [], [], [], [], []
    for planned, title, unit in plans:
        cadre = cadres[planned.cccd]
        qualifications += gen.qualifications(cadre)
        start = max(cadre.work_start_date or AS_OF, date(2015, 1, 1)) + timedelta(
            days=rng.randint(0, 2000)
        )
        start = min(start, date(2021, 6, 30))
        if title:
            appointments.append(
                Appointment(
                    cadre=cadre,
                    position=gen.positions[title],
                    unit=unit,
                    start_date=start,
                    decision_number=f"{rng.randint(100, 999)}-QĐ/HU",
                    decision_date=start - timedelta(days=7),
                )
            )
        work.append(
            WorkHistory(
                cadre=cadre,
                start_date=cadre.work_start_date or start,
                end_date=start - timedelta(days=1)
                if start > (cadre.work_start_date or start)
                else None,
                position_title="Cán bộ, công chức",
                organisation=f"{unit.name}, huyện Lộc Bình",
            )
        )
        for year in range(2021, today.year):
            evaluations.append(
                Evaluation(
                    cadre=cadre,
                    year=year,
                    result=weighted(
                        rng,
                        {
                            EvaluationResult.EXCELLENT: 12,
                            EvaluationResult.GOOD: 70,
                            EvaluationResult.COMPLETED: 16,
                            EvaluationResult.NOT_COMPLETED: 2,
                        },
                    ),
                )
            )
        family += [
            FamilyRelation(
                cadre=cadre,
                side=FamilySide.OWN,
                relation="Bố",
                full_name=f"{cadre.full_name.split()[0]} Văn {rng.choice(MALE_GIVEN)}",
                birth_year=cadre.birth_date.year - rng.randint(22, 32),
                occupation="Làm ruộng",
                residence=cadre.home_town,
            ),
            FamilyRelation(
                cadre=cadre,
                side=FamilySide.OWN,
                relation="Mẹ",
                full_name=f"{rng.choice(SURNAMES)} Thị {rng.choice(FEMALE_GIVEN)}",
                birth_year=cadre.birth_date.year - rng.randint(20, 30),
                occupation="Làm ruộng",
                residence=cadre.home_town,
            ),
        ]
        if cadre.category != Category.PART_TIME:
            salary.append(
                SalaryStep(
                    cadre=cadre,
                    effective_date=start,
                    rank_name="Chuyên viên",
                    rank_code="01.003",
                    step=rng.randint(1, 6),
                    coefficient=Decimal("2.34") + Decimal("0.33") * rng.randint(0, 5),
                )
            )
    for model, rows in (
        (Qualification, qualifications),
        (Appointment, appointments),
        (WorkHistory, work),
        (Evaluation, evaluations),
        (FamilyRelation, family),
        (SalaryStep, salary),
    ):
        model.objects.bulk_create(rows, batch_size=2000)
    Cadre.objects.all().refresh_current_levels()


# The posts of a 2025 commune filled from the cadres of the units merged into it, highest first;
# the rest become the commune's specialists. Party posts go to party members only.
NEW_COMMUNE_POSTS = [
    "Bí thư Đảng ủy xã",
    "Phó Bí thư Đảng ủy xã",
    "Chủ tịch HĐND xã",
    "Chủ tịch UBND xã",
    "Phó Chủ tịch HĐND xã",
    "Phó Chủ tịch UBND xã",
    "Phó Chủ tịch UBND xã",
    "Chủ tịch Ủy ban MTTQ xã",
    "Trưởng phòng chuyên môn xã",
    "Trưởng phòng chuyên môn xã",
    "Trưởng phòng chuyên môn xã",
]


def apply_reform(rng: random.Random, district: Unit, today: date) -> int:
    """1 July 2025 as it happened: the district's agencies close and the cadres of the old
    communes and of the agencies go to the new communes, every post held on 30 June ends there
    (kept as history) and the new communes' posts are filled from the cadres now in them: the
    district's leaders and heads of office first (a district specialist may now be a commune's
    party secretary). Returns the cadres moved."""
    successions = UnitSuccession.objects.filter(
        effective_date=REFORM_DATE, predecessor__parent=district
    ).select_related("successor")
    successor_of = {s.predecessor_id: s.successor for s in successions}
    new_communes = sorted({s.successor for s in successions}, key=lambda u: u.name)
    agencies = list(Unit.objects.filter(parent=district, kind=UnitKind.AGENCY))
    positions = {(p.title, p.level): p for p in Position.objects.all()}
    held = {
        a.cadre_id: a.position
        for a in Appointment.objects.active(LAST_DAY_BEFORE).select_related("position")
    }
    Appointment.objects.filter(end_date__isnull=True).update(end_date=LAST_DAY_BEFORE)

    moving = list(
        Cadre.objects.filter(unit__in=[*successor_of, *agencies, district])
        .exclude(unit__kind=UnitKind.VILLAGE)
        .order_by("pk")
    )
    by_commune: dict[int, list[Cadre]] = {unit.pk: [] for unit in new_communes}
    for index, cadre in enumerate(moving):
        cadre.unit = successor_of.get(cadre.unit_id) or new_communes[index % len(new_communes)]
        by_commune[cadre.unit_id].append(cadre)
    Cadre.objects.bulk_update(moving, ["unit"], batch_size=1000)

    appointments, work = [], []
    specialist = positions["Chuyên viên", Level.COMMUNE]
    for commune in new_communes:
        people = by_commune[commune.pk]
        # The highest posts held before go first; among equals, the elder.
        people.sort(key=lambda c: (-(held[c.pk].rank if c.pk in held else 0), c.birth_date))
        for title in NEW_COMMUNE_POSTS:
            post = positions[title, Level.COMMUNE]
            fit = next(
                (
                    c
                    for c in people
                    if c.pk in held
                    and c.retirement_date > today
                    and (not post.is_party_post or c.party_join_date)
                ),
                None,
            )
            if fit is None:
                continue
            people.remove(fit)
            appointments.append(_post(fit, post, commune, rng))
        for cadre in people:
            if cadre.pk in held and cadre.category != Category.PART_TIME:
                appointments.append(_post(cadre, specialist, commune, rng))
    for appointment in appointments:
        work.append(
            WorkHistory(
                cadre=appointment.cadre,
                start_date=REFORM_DATE,
                position_title=appointment.position.title,
                organisation=f"{appointment.unit.name}, tỉnh Lạng Sơn",
            )
        )
    WorkHistory.objects.filter(end_date__isnull=True, cadre__in=moving).update(
        end_date=LAST_DAY_BEFORE
    )
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    WorkHistory.objects.bulk_create(work, batch_size=2000)
    return len(moving)


def finish(rng: random.Random, log) -> None:
    """1 July 2025, once every app wrote its pre-2025 history in the old tree (load_demo runs
    this after every app's build): the cadres move (:func:`apply_reform`), and the villages and
    schools of the old communes pass, with their people and party cells, to the commune that
    took them over."""
    today = demo_today()
    district = Unit.objects.filter(code=DISTRICT_CODE, kind=UnitKind.DISTRICT).first()
    if today < REFORM_DATE or district is None:
        return
    if Appointment.objects.filter(start_date=REFORM_DATE).exists():
        return  # done by an earlier run
    cadres = apply_reform(rng, district, today)
    log(f"Sắp xếp đơn vị 01/7/2025: {cadres} cán bộ chuyển về các xã mới.")
    successions = UnitSuccession.objects.filter(
        effective_date=REFORM_DATE, predecessor__parent__code=DISTRICT_CODE
    ).select_related("successor")
    successor_of = {s.predecessor_id: s.successor for s in successions}
    moved = 0
    for unit in Unit.objects.filter(parent_id__in=successor_of).order_by("path"):
        unit.parent = successor_of[unit.parent_id]
        unit.save()
        moved += 1
    if moved:
        log(f"Sắp xếp đơn vị 01/7/2025: {moved} thôn, trường về các xã mới.")


def _post(cadre: Cadre, position: Position, unit: Unit, rng: random.Random) -> Appointment:
    return Appointment(
        cadre=cadre,
        position=position,
        unit=unit,
        start_date=REFORM_DATE,
        decision_number=f"{rng.randint(100, 999)}-QĐ/TU",
        decision_date=date(2025, 6, 28),
    )

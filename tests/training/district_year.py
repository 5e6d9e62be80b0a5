"""A district shaped like the domain brief's "real district's year" (2021-2023), built with
bulk_create so the key report test stays fast. Only the shapes are set here; the tests read every
figure back from the reports' rows."""

from datetime import date
from decimal import Decimal

from cadres.choices import Category, Gender, Level, UnitKind
from cadres.models import Appointment, Cadre, Qualification
from tests.factories import PositionFactory, UnitFactory, ethnicity, level
from tests.training.factories import (
    NeedFactory,
    PlanFactory,
    PlanLineFactory,
    institution,
    programme,
)
from training.choices import CourseTopic, PoolRole
from training.models import (
    Attendance,
    Course,
    Dispatch,
    SupportPayment,
    SupportPolicy,
    Trainee,
)

START = date(2021, 1, 1)
END = date(2023, 12, 31)

# (programme code, unit level, how many, school): the brief's figures, plus the 16 district
# dispatches to programmes its report does not name. The brief gives no count for the military
# college and police lines ("some"): 5 and 4 here. Its 148 in trung cấp LLCT "at district and
# province" are split 100 at the district centre and 48 at the province's school.
PROVINCE = "Trường Chính trị Hoàng Văn Thụ"
DISPATCHES = [
    ("THAC_SI", Level.DISTRICT, 2, "Học viện Chính trị quốc gia Hồ Chí Minh"),
    ("CAO_CAP_LLCT", Level.DISTRICT, 10, "Học viện Chính trị khu vực I"),
    ("DAI_HOC", Level.DISTRICT, 160, "Đại học Thái Nguyên"),
    ("CAO_DANG", Level.DISTRICT, 74, "Trường Cao đẳng Y tế Lạng Sơn"),
    ("QLNN_CVC", Level.DISTRICT, 9, PROVINCE),
    ("CNTT_CO_BAN", Level.DISTRICT, 7, PROVINCE),
    ("TRUNG_CAP_CM", Level.COMMUNE, 31, "Trường Cao đẳng Công nghệ và Nông lâm Đông Bắc"),
    ("QS_TRUNG_CAP", Level.COMMUNE, 68, "Trường Quân sự tỉnh Lạng Sơn"),
    ("QS_CAO_DANG", Level.COMMUNE, 5, "Trường Sĩ quan Lục quân 1"),
    ("CA_SO_CAP", Level.COMMUNE, 4, "Trường Cao đẳng Cảnh sát nhân dân I"),
    ("TRUNG_CAP_LLCT", Level.COMMUNE, 100, "Trung tâm Chính trị huyện Lộc Bình"),
    ("TRUNG_CAP_LLCT", Level.COMMUNE, 48, PROVINCE),
]
# Of every line, the first third of the people were incumbents, the rest reserves (the dispatch
# lists state it per row).
INCUMBENT_SHARE = 3
CLASSES = 57
ATTENDANCES = 4286
PAID_PER_DISPATCH = Decimal(1_600_000)
# (population, of whom qualified): 81/100, 13/20, 11/20.
DISTRICT_CIVIL_SERVANTS = (100, 81)
COMMUNE_KEY_CADRES = (20, 13)
COMMUNE_CIVIL_SERVANTS = (20, 11)


def build() -> dict:
    district = UnitFactory(name="Huyện Năm Ba", kind=UnitKind.DISTRICT, code="953")
    agency = UnitFactory(name="Văn phòng Huyện ủy", kind=UnitKind.AGENCY, parent=district)
    commune = UnitFactory(name="Xã Năm Ba", kind=UnitKind.COMMUNE, parent=district, code="9531")
    units = {Level.DISTRICT: agency, Level.COMMUNE: commune}
    kinh = ethnicity()
    serial = iter(range(1, 100_000))

    def people(unit, category, count):
        return Cadre.objects.bulk_create(
            Cadre(
                full_name=f"Nguyễn Văn {n}",
                gender=Gender.MALE,
                birth_date=date(1985, 1, 1),
                ethnicity=kinh,
                cccd=f"0200{n:08d}",
                category=category,
                unit=unit,
            )
            for n in (next(serial) for _ in range(count))
        )

    def qualify(cadres, code):
        grade = level(code)
        Qualification.objects.bulk_create(
            Qualification(cadre=c, level=grade, year_obtained=2015) for c in cadres
        )

    # Dispatches, spread over the three years, each of its own cadre (category "cán bộ", so
    # they stay out of the share populations below).
    school = institution()
    dispatches = []
    for code, unit_level, count, school_name in DISPATCHES:
        chosen = programme(code)
        where = institution(school_name)
        for index, cadre in enumerate(people(units[unit_level], Category.CADRE, count)):
            year = 2021 + index % 3
            dispatches.append(
                Dispatch(
                    cadre=cadre,
                    unit=cadre.unit,
                    programme=chosen,
                    institution=where,
                    pool_role=PoolRole.INCUMBENT
                    if index % INCUMBENT_SHARE == 0
                    else PoolRole.RESERVE,
                    decision_number=f"{len(dispatches)}-QĐ/HU",
                    decision_date=date(year, 8, 1),
                    start_date=date(year, 9, 1),
                    end_date=date(year + 1, 6, 30),
                )
            )
    dispatches = Dispatch.objects.bulk_create(dispatches)
    # One dispatch just outside the period, which no figure may count.
    outside = people(agency, Category.CADRE, 1)[0]
    Dispatch.objects.create(
        cadre=outside,
        programme=programme("DAI_HOC"),
        institution=school,
        decision_number="late-QĐ/HU",
        decision_date=date(2024, 8, 1),
        start_date=date(2024, 9, 1),
        end_date=date(2025, 6, 30),
    )

    # The political training centre's classes: 4,286 attendances of 57 classes.
    centre = institution("Trung tâm Chính trị huyện Lộc Bình")
    topics = [t for t in CourseTopic.values if t != CourseTopic.OTHER]
    courses = Course.objects.bulk_create(
        Course(
            name=f"Lớp {n}",
            topic=topics[n % len(topics)],
            organiser=centre,
            start_date=date(2021 + n % 3, 3, 1),
            end_date=date(2021 + n % 3, 3, 5),
        )
        for n in range(CLASSES)
    )
    trainees = Trainee.objects.bulk_create(
        Trainee(full_name=f"Học viên {n}", unit=commune) for n in range(120)
    )
    attendances = []
    for n in range(ATTENDANCES):
        course = courses[n % CLASSES]
        trainee = trainees[n // CLASSES]
        attendances.append(Attendance(course=course, trainee=trainee))
    Attendance.objects.bulk_create(attendances)

    # Money: support paid to every dispatch, in the year the study started.
    policy = SupportPolicy.objects.create(
        name="Hỗ trợ người đi học theo Nghị quyết của HĐND tỉnh",
        legal_basis="Nghị quyết HĐND tỉnh",
        valid_from=date(2020, 1, 1),
    )
    SupportPayment.objects.bulk_create(
        SupportPayment(policy=policy, dispatch=d, amount=PAID_PER_DISPATCH, paid_on=d.start_date)
        for d in dispatches
    )

    # The three shares of report 4.
    total, qualified = DISTRICT_CIVIL_SERVANTS
    servants = people(agency, Category.CIVIL_SERVANT, total)
    qualify(servants[:qualified], "CM_TRUNG_CAP")
    total, qualified = COMMUNE_CIVIL_SERVANTS
    servants = people(commune, Category.CIVIL_SERVANT, total)
    qualify(servants[:qualified], "CM_SO_CAP")
    total, qualified = COMMUNE_KEY_CADRES
    key = PositionFactory(title="Chủ tịch UBND xã", level=Level.COMMUNE, is_key=True)
    cadres = people(commune, Category.CADRE, total)
    Appointment.objects.bulk_create(
        Appointment(cadre=c, position=key, unit=commune, start_date=date(2020, 6, 1))
        for c in cadres
    )
    qualify(cadres[:qualified], "LLCT_TRUNG_CAP")
    # A plan with a quota from above and needs nobody has put on it yet.
    line = PlanLineFactory(plan=PlanFactory(year=2023, unit=district), quota=5)
    for cadre in people(commune, Category.CADRE, 3):
        NeedFactory(cadre=cadre, programme=line.programme)
    return {"district": district, "agency": agency, "commune": commune, "policy": policy}

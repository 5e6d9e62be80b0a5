"""Demo training data for Lộc Bình, shaped like the 2022 provincial report of the domain brief:
three years (2022-2024) of cadres sent to study, the political training centre's classes with
their attendances (many attendees not on the register), the province's support policy and its
payments, the 2021-2025 scheme, and this year's needs and plan waiting to be drafted.

Deterministic (the shared seeded generator), written in bulk, and skipped when dispatches exist.
Only cadres who meet a programme's eligibility rules on the day are sent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cadres.choices import Category, Gender, Level, UnitKind
from cadres.demo import AS_OF, FEMALE_GIVEN, FEMALE_MIDDLE, MALE_GIVEN, MALE_MIDDLE, SURNAMES
from cadres.models import Cadre, Qualification, Unit
from cadres.retirement import months_between
from training import commitment, services
from training.choices import (
    AttendanceResult,
    CourseTopic,
    DispatchMode,
    DispatchStatus,
    NeedClass,
    NeedSource,
    RateBasis,
)
from training.eligibility import reasons_not_eligible
from training.models import (
    Attendance,
    Course,
    Dispatch,
    Institution,
    PlanLine,
    Programme,
    Reimbursement,
    SchemeTarget,
    ServiceCommitmentRule,
    SupportPayment,
    SupportPolicy,
    SupportRate,
    Trainee,
    TrainingNeed,
    TrainingPlan,
    TrainingScheme,
)

YEARS = (2022, 2023, 2024)
DISTRICT_CODE = "188"
CENTRE = "Trung tâm Chính trị huyện Lộc Bình"
LEVEL_FIELDS = [
    "general_education",
    "professional_level",
    "political_theory_level",
    "state_management_level",
    "defence_security_level",
]

# programme, level of the cadres sent, how many over the three years, institutions
SENT = [
    ("THAC_SI", Level.DISTRICT, 2, ["Đại học Thái Nguyên"]),
    ("CAO_CAP_LLCT", Level.DISTRICT, 10, ["Học viện Chính trị khu vực I"]),
    (
        "DAI_HOC",
        Level.DISTRICT,
        160,
        [
            "Đại học Thái Nguyên",
            "Trường Đại học Luật Hà Nội",
            "Trường Đại học Nông Lâm - Đại học Thái Nguyên",
        ],
    ),
    ("CAO_DANG", Level.DISTRICT, 74, ["Trường Cao đẳng Y tế Lạng Sơn"]),
    ("QLNN_CVC", Level.DISTRICT, 16, ["Trường Chính trị Hoàng Văn Thụ"]),
    ("TRUNG_CAP_CM", Level.COMMUNE, 31, ["Trường Cao đẳng Công nghệ và Nông lâm Đông Bắc"]),
    ("QS_TRUNG_CAP", Level.COMMUNE, 68, ["Trường Quân sự tỉnh Lạng Sơn"]),
    ("QS_CAO_DANG", Level.COMMUNE, 6, ["Trường Sĩ quan Lục quân 1"]),
    ("CA_SO_CAP", Level.COMMUNE, 9, ["Trường Cao đẳng Cảnh sát nhân dân I"]),
    ("TRUNG_CAP_LLCT", Level.COMMUNE, 148, ["Trường Chính trị Hoàng Văn Thụ", CENTRE]),
]
FULL_TIME = {"CAO_CAP_LLCT", "QS_TRUNG_CAP", "QS_CAO_DANG", "CA_SO_CAP", "QLNN_CVC"}
PARTY_DECISIONS = {"CAO_CAP_LLCT", "TRUNG_CAP_LLCT"}

COURSE_TOPICS = {
    CourseTopic.PARTY_ADMISSION: 10,
    CourseTopic.NEW_PARTY_MEMBERS: 9,
    CourseTopic.COMMITTEE_MEMBERS: 8,
    CourseTopic.RESOLUTIONS: 8,
    CourseTopic.INSPECTION: 5,
    CourseTopic.PROPAGANDA: 5,
    CourseTopic.MASS_MOBILISATION: 5,
    CourseTopic.STATE_MANAGEMENT: 4,
    CourseTopic.LEADERSHIP: 3,
}
# Classes whose attendees are mostly people not (yet) on the cadre register.
OFF_REGISTER = {CourseTopic.PARTY_ADMISSION, CourseTopic.NEW_PARTY_MEMBERS}


def build(rng: random.Random, log) -> None:
    if Dispatch.objects.exists():
        log("Dữ liệu đào tạo mẫu đã có: bỏ qua.")
        return
    district = Unit.objects.filter(code=DISTRICT_CODE, kind=UnitKind.DISTRICT).first()
    if district is None:
        log("Chưa có huyện mẫu: bỏ qua dữ liệu đào tạo.")
        return
    policy = build_policy()
    cadres = list(
        Cadre.objects.in_unit(district).select_related("unit", *LEVEL_FIELDS).order_by("pk")
    )
    dispatches = build_dispatches(rng, cadres, policy)
    attendances = build_courses(rng, cadres, district, policy)
    build_scheme_and_plan(rng, cadres, district)
    log(
        f"Đào tạo: {dispatches} lượt cử đi học, {Course.objects.count()} lớp bồi dưỡng với "
        f"{attendances} lượt học viên, {SupportPayment.objects.count()} khoản chi hỗ trợ."
    )


def build_policy() -> SupportPolicy:
    policy, _ = SupportPolicy.objects.get_or_create(
        name="Hỗ trợ cán bộ, công chức đi đào tạo, bồi dưỡng (mẫu)",
        defaults={
            "legal_basis": "Nghị quyết của HĐND tỉnh Lạng Sơn (mức hỗ trợ mẫu, sửa theo văn bản)",
            "valid_from": date(2021, 1, 1),
        },
    )
    rates = [
        (RateBasis.PER_MONTH, "", 600_000),
        (RateBasis.TRAVEL, "", 400_000),
        (RateBasis.PER_DEGREE, "professional", 3_000_000),
        (RateBasis.PER_COURSE, "refresher", 100_000),
        (RateBasis.ATTRACTION, "", 100_000_000),
    ]
    for basis, track, amount in rates:
        SupportRate.objects.get_or_create(
            policy=policy, basis=basis, programme_track=track, defaults={"amount": amount}
        )
    return policy


def build_dispatches(rng: random.Random, cadres: list[Cadre], policy: SupportPolicy) -> int:
    programmes = {
        p.code: p
        for p in Programme.objects.select_related(
            "grants_level", "min_general_education", "prerequisite_level"
        )
    }
    institutions = {i.name: i for i in Institution.objects.all()}
    rules = list(ServiceCommitmentRule.objects.all())
    rates = {r.basis: r for r in policy.rates.all()}
    by_level: dict[str, list[Cadre]] = {Level.DISTRICT: [], Level.COMMUNE: []}
    for cadre in cadres:
        if cadre.unit.level in by_level:
            by_level[cadre.unit.level].append(cadre)
    dispatches: list[Dispatch] = []
    busy: set[int] = set()  # one study at a time per cadre, for the demo
    number = 0
    for code, level, total, schools in SENT:
        programme = programmes[code]
        pool = by_level[level][:]
        rng.shuffle(pool)
        # Eligible on the latest possible start of the year is eligible on every earlier day.
        eligible = {
            year: [c for c in pool if not reasons_not_eligible(c, programme, date(year, 10, 16))]
            for year in YEARS
        }
        for index in range(total):
            year = YEARS[index % len(YEARS)]
            start = date(year, 9, 1) + timedelta(days=rng.randint(0, 45))
            cadre = next((c for c in eligible[year] if c.pk not in busy), None)
            if cadre is None:
                continue
            busy.add(cadre.pk)
            number += 1
            end = start + timedelta(days=round(programme.typical_months * 30.4))
            rule = next(r for r in rules if r.valid_from <= start <= (r.valid_to or date.max))
            months = max(months_between(start, end), 1)
            dispatches.append(
                Dispatch(
                    cadre=cadre,
                    unit_id=cadre.unit_id,
                    programme=programme,
                    institution=institutions[rng.choice(schools)],
                    decision_number=(
                        f"{number}-QĐ/HU" if code in PARTY_DECISIONS else f"{number}/QĐ-UBND"
                    ),
                    decision_date=start - timedelta(days=rng.randint(10, 30)),
                    signer=(
                        "Phó Bí thư Thường trực Huyện ủy"
                        if code in PARTY_DECISIONS
                        else "Chủ tịch UBND huyện"
                    ),
                    mode=DispatchMode.FULL_TIME if code in FULL_TIME else DispatchMode.IN_SERVICE,
                    start_date=start,
                    end_date=end,
                    months_to_serve=(
                        commitment.months_to_serve(months, rule.multiplier, rule.min_months)
                        if programme.is_degree
                        else None
                    ),
                    **outcome(rng, end),
                )
            )
    for dispatch in dispatches:
        dispatch.commitment_ends_on = dispatch.commitment_end()
    Dispatch.objects.bulk_create(dispatches)
    record_graduations(dispatches)
    pay_dispatches(dispatches, policy, rates)
    left_early(dispatches)
    return len(dispatches)


def outcome(rng: random.Random, end: date) -> dict:
    if end > AS_OF:
        return {"status": DispatchStatus.STUDYING}
    roll = rng.random()
    if roll < 0.03:
        return {"status": DispatchStatus.WITHDRAWN}
    if roll < 0.06:
        return {"status": DispatchStatus.FAILED, "result": "Không đạt"}
    return {
        "status": DispatchStatus.GRADUATED,
        "graduated_on": end,
        "result": rng.choice(["Khá", "Khá", "Giỏi", "Trung bình khá"]),
        "certificate": f"{end.year}-{rng.randint(1000, 9999)}",
    }


def record_graduations(dispatches: list[Dispatch]) -> None:
    """What services.record_dispatch_graduation does, in bulk for the demo's hundreds of rows."""
    graduated = [
        d
        for d in dispatches
        if d.status == DispatchStatus.GRADUATED and d.programme.grants_level_id
    ]
    qualifications = [services.dispatch_qualification(d) for d in graduated]
    Qualification.objects.bulk_create(qualifications)
    for dispatch, qualification in zip(graduated, qualifications, strict=True):
        dispatch.qualification = qualification
    Dispatch.objects.bulk_update(graduated, ["qualification"])
    Cadre.objects.filter(pk__in=[d.cadre_id for d in graduated]).refresh_current_levels()


def pay_dispatches(dispatches: list[Dispatch], policy: SupportPolicy, rates: dict) -> None:
    payments = []
    for dispatch in dispatches:
        paid_on = min(dispatch.start_date + timedelta(days=30), AS_OF)
        months = max(months_between(dispatch.start_date, min(dispatch.end_date, AS_OF)), 1)
        payments.append(
            SupportPayment(
                policy=policy,
                rate=rates[RateBasis.TRAVEL],
                dispatch=dispatch,
                amount=rates[RateBasis.TRAVEL].amount,
                paid_on=paid_on,
                voucher=f"PC-{paid_on.year}-{len(payments) + 1:04d}",
            )
        )
        if dispatch.mode == DispatchMode.FULL_TIME or dispatch.programme.code in PARTY_DECISIONS:
            payments.append(
                SupportPayment(
                    policy=policy,
                    rate=rates[RateBasis.PER_MONTH],
                    dispatch=dispatch,
                    amount=rates[RateBasis.PER_MONTH].amount * months,
                    paid_on=min(dispatch.end_date, AS_OF),
                    voucher=f"PC-{min(dispatch.end_date, AS_OF).year}-{len(payments) + 1:04d}",
                    note=f"Hỗ trợ {months} tháng học",
                )
            )
        if dispatch.status == DispatchStatus.GRADUATED and dispatch.programme.is_degree:
            payments.append(
                SupportPayment(
                    policy=policy,
                    rate=rates[RateBasis.PER_DEGREE],
                    dispatch=dispatch,
                    amount=rates[RateBasis.PER_DEGREE].amount,
                    paid_on=dispatch.graduated_on,
                    voucher=f"PC-{dispatch.graduated_on.year}-{len(payments) + 1:04d}",
                    note="Hỗ trợ khi tốt nghiệp",
                )
            )
    SupportPayment.objects.bulk_create(payments)


def left_early(dispatches: list[Dispatch]) -> None:
    """One graduate who moved to a company before serving the commitment."""
    leaver = next(
        (
            d
            for d in dispatches
            if d.status == DispatchStatus.GRADUATED
            and (d.months_to_serve or 0) >= 24
            and d.graduated_on >= date(2024, 1, 1)
        ),
        None,
    )
    if leaver:
        Reimbursement.work_out(leaver, left_on=date(2024, 10, 31)).save()


def person_name(rng: random.Random) -> tuple[str, str]:
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    middle, given = (
        (FEMALE_MIDDLE, FEMALE_GIVEN) if gender == Gender.FEMALE else (MALE_MIDDLE, MALE_GIVEN)
    )
    return f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}", gender


def build_courses(rng: random.Random, cadres: list[Cadre], district: Unit, policy) -> int:
    centre = Institution.objects.get(name=CENTRE)
    communes = list(Unit.objects.communes().filter(parent=district).active(AS_OF))
    villages = list(Unit.objects.filter(parent__in=communes, kind=UnitKind.VILLAGE))
    commune_cadres = [c for c in cadres if c.unit.level == Level.COMMUNE]
    per_course_rate = policy.rates.get(basis=RateBasis.PER_COURSE)
    topics = [topic for topic, count in COURSE_TOPICS.items() for _ in range(count)]
    rng.shuffle(topics)
    courses, trainees, rows = [], [], []
    admitted: list[Trainee] = []  # party-admission attendees later in new party members' classes
    cccds: set[str] = set()
    for index, topic in enumerate(topics):
        year = YEARS[index * len(YEARS) // len(topics)]
        start = date(year, 1, 1) + timedelta(days=rng.randint(10, 340))
        course = Course(
            name=f"Lớp {CourseTopic(topic).label.lower()} khóa {index + 1}/{year}",
            topic=topic,
            organiser=centre,
            start_date=start,
            end_date=start + timedelta(days=rng.choice([2, 4, 6])),
            place=rng.choice([f"Hội trường {CENTRE}", f"Hội trường UBND {rng.choice(communes)}"]),
        )
        courses.append(course)
        size = rng.randint(60, 90)
        if topic in OFF_REGISTER:
            reuse = admitted if topic == CourseTopic.NEW_PARTY_MEMBERS else []
            chosen = rng.sample(reuse, min(len(reuse), size // 2))
            for _ in range(size - len(chosen) - 3):
                trainee = new_trainee(rng, villages, year, cccds)
                trainees.append(trainee)
                chosen.append(trainee)
            if topic == CourseTopic.PARTY_ADMISSION:
                admitted.extend(chosen)
            rows += [(course, None, t) for t in chosen]
            rows += [(course, c, None) for c in rng.sample(commune_cadres, 3)]
        else:
            rows += [(course, c, None) for c in rng.sample(commune_cadres, size)]
    Course.objects.bulk_create(courses)
    Trainee.objects.bulk_create(trainees)
    attendances = [
        Attendance(
            course=course,
            cadre=cadre,
            trainee=trainee,
            result=rng.choices(
                [AttendanceResult.GOOD, AttendanceResult.FAIR, AttendanceResult.PASSED, "absent"],
                weights=[20, 40, 37, 3],
            )[0],
        )
        for course, cadre, trainee in rows
    ]
    Attendance.objects.bulk_create(attendances)
    SupportPayment.objects.bulk_create(
        SupportPayment(
            policy=policy,
            rate=per_course_rate,
            attendance=attendance,
            amount=per_course_rate.amount,
            paid_on=attendance.course.end_date,
            voucher=f"PC-TTCT-{attendance.course.end_date.year}",
        )
        for attendance in attendances
        if attendance.cadre_id and attendance.result != AttendanceResult.ABSENT
    )
    return len(attendances)


def new_trainee(rng: random.Random, villages: list[Unit], year: int, cccds: set[str]) -> Trainee:
    name, gender = person_name(rng)
    born = date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28))
    cccd = ""
    if rng.random() < 0.4:  # many lists carry no identity number
        century = {Gender.MALE: 0, Gender.FEMALE: 1}[gender] + (2 if born.year >= 2000 else 0)
        cccd = f"020{century}{born.year % 100:02d}{rng.randint(0, 999_999):06d}"
        if cccd in cccds:
            cccd = ""
        cccds.add(cccd)
    return Trainee(full_name=name, birth_date=born, unit=rng.choice(villages), cccd=cccd)


def build_scheme_and_plan(rng: random.Random, cadres: list[Cadre], district: Unit) -> None:
    """The 2021-2025 scheme and next year's plan with its quotas, and needs proposed by the
    agencies for it: the officer drafts the plan from these in the admin."""
    programmes = {p.code: p for p in Programme.objects.all()}
    scheme, _ = TrainingScheme.objects.get_or_create(
        name="Đề án đào tạo, bồi dưỡng cán bộ huyện Lộc Bình giai đoạn 2021-2025",
        unit=district,
        defaults={
            "start_year": 2021,
            "end_year": 2025,
            "decision_number": "12-ĐA/HU",
            "decision_date": date(2021, 3, 15),
        },
    )
    targets = {"CAO_CAP_LLCT": 15, "TRUNG_CAP_LLCT": 250, "DAI_HOC": 200, "QS_TRUNG_CAP": 80}
    for code, target in targets.items():
        SchemeTarget.objects.get_or_create(
            scheme=scheme, programme=programmes[code], defaults={"target": target}
        )
    plan, _ = TrainingPlan.objects.get_or_create(year=2025, unit=district, scheme=scheme)
    lines = {"TRUNG_CAP_LLCT": (20, 30), "CAO_CAP_LLCT": (3, 4), "QS_TRUNG_CAP": (8, 8)}
    for code, (quota, target) in lines.items():
        PlanLine.objects.get_or_create(
            plan=plan, programme=programmes[code], defaults={"quota": quota, "target": target}
        )
    needs = []
    for cadre in cadres:
        theory = cadre.political_theory_level
        if cadre.category == Category.PART_TIME:
            continue
        if cadre.unit.level == Level.COMMUNE and (theory is None or theory.rank < 20):
            code = "TRUNG_CAP_LLCT"
        elif cadre.unit.level == Level.DISTRICT and theory is not None and theory.rank == 20:
            code = "CAO_CAP_LLCT"
        else:
            continue
        if rng.random() < 0.5:
            continue
        needs.append(
            TrainingNeed(
                cadre=cadre,
                programme=programmes[code],
                reason="Chưa đạt tiêu chuẩn lý luận chính trị của chức danh đang đảm nhiệm.",
                source=rng.choice([NeedSource.AGENCY_PROPOSAL, NeedSource.OWN_REQUEST]),
                priority=rng.choice([2, 3, 3, 4]),
                classification=rng.choice([NeedClass.URGENT, NeedClass.TERM]),
                due=date(2026, 12, 31),
            )
        )
    TrainingNeed.objects.bulk_create(needs)

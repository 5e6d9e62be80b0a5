"""Training and planning rows for the province-sized register of ``bench/scale_data.py``.

The demo district (``load_demo``: about 3,000 cadres) has about 420 dispatches, 57 classes with
4,100 attendances, 3,600 support payments, one training plan, its needs, and about 70 planning
entries over four planning terms. These are the same shapes (the demo modules' own tables:
``training.demo.SENT``, ``COURSE_TOPICS``, ``planning.demo.TERMS``, ``STANDARDS``...), scaled by
cadres / 3,000 and written with COPY. The few reference rows (positions, standards, the support
policy and its rates) come from the demo's own functions through the ORM.

Simplifications, none breaking a model constraint: the demo's eligibility check before a dispatch
and ``full_clean`` of each planning entry are skipped (one Python rule call per row would take
longer than the whole load), and graduations are not written back as qualifications.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from datetime import date, timedelta

from cadres.choices import Category, Level, UnitKind
from cadres.demo import build_positions
from cadres.models import Position
from cadres.retirement import months_between
from planning.choices import DecisionKind, DecisionStatus, EntryRole, RemovalReason
from planning.demo import COMMUNE_KEY, DISTRICT_KEY, TERMS, build_standards
from planning.models import PlanningTerm
from training import commitment
from training.choices import (
    AttendanceResult,
    CandidateStatus,
    CourseTopic,
    DispatchMode,
    DispatchStatus,
    InstitutionKind,
    NeedClass,
    NeedSource,
    NeedStatus,
    PlanStatus,
    RateBasis,
    Seat,
)
from training.demo import (
    COURSE_TOPICS,
    FULL_TIME,
    OFF_REGISTER,
    PARTY_DECISIONS,
    SENT,
    YEARS,
    build_policy,
    outcome,
)
from training.models import Institution, Programme, ServiceCommitmentRule

DEMO_CADRES = 3000
DEMO_COURSES = sum(COURSE_TOPICS.values())  # 57
DEMO_PLANNED_COMMUNES = 5
# The demo's plan lines: programme -> (quota handed down, planned target).
PLAN_LINES = {"TRUNG_CAP_LLCT": (20, 30), "CAO_CAP_LLCT": (3, 4), "QS_TRUNG_CAP": (8, 8)}

# Every table written here, emptied (with what hangs off them) before writing.
TABLES = [
    "training_supportpayment", "training_reimbursement", "training_attendance",
    "training_trainee", "training_course", "training_plancandidate", "training_planline",
    "training_trainingplan", "training_schemetarget", "training_trainingscheme",
    "training_dispatch", "training_trainingneed", "training_supportrate",
    "training_supportpolicy", "planning_planningentry", "planning_planningdecision",
    "planning_planningterm", "planning_positionstandard", "cadres_appointment", "cadres_position",
]  # fmt: skip


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


class Ids:
    """Primary keys handed out here (COPY writes them; sequences are set afterwards)."""

    def __init__(self) -> None:
        self.last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        self.last[table] += 1
        return self.last[table]


def load_extras(cur, copy_rows, rng: random.Random, now: str, started: float) -> dict[str, int]:
    """Write the training and planning rows for the cadres in the database; returns counts.

    ``cur`` is a raw psycopg 3 cursor, ``copy_rows(cur, table, columns, rows)`` the loader of
    ``scale_data``."""
    cur.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    build_positions()
    build_standards()
    policy = build_policy()
    rates = {r.basis: r for r in policy.rates.all()}
    log("emptied the training and planning tables; positions, standards, policy", started)

    world = World.read(cur)
    scale = len(world.cadres) / DEMO_CADRES
    log(f"read {len(world.cadres):,} cadres (scale {scale:.0f}x the demo district)", started)
    ids = Ids()
    counts: dict[str, int] = {}
    payments: list[tuple] = []

    # --- Dispatches and their payments ------------------------------------------------------
    programmes = {p.code: p for p in Programme.objects.all()}
    institutions = dict(Institution.objects.values_list("name", "pk"))
    rules = list(ServiceCommitmentRule.objects.all())
    dispatches = []
    busy: set[int] = set()
    for code, level, total, schools in SENT:
        programme = programmes[code]
        pool = world.by_level[level]
        for index in range(round(total * scale)):
            cadre = rng.choice(pool)
            if cadre in busy:
                continue
            busy.add(cadre)
            year = YEARS[index % len(YEARS)]
            start = date(year, 9, 1) + timedelta(days=rng.randint(0, 45))
            end = start + timedelta(days=round(programme.typical_months * 30.4))
            rule = next(r for r in rules if r.valid_from <= start <= (r.valid_to or date.max))
            months = max(months_between(start, end), 1)
            ends = outcome(rng, end)
            pk = ids.next("dispatch")
            party = code in PARTY_DECISIONS
            full_time = code in FULL_TIME
            dispatches.append((
                pk, now, now, f"{pk}-QĐ/HU" if party else f"{pk}/QĐ-UBND",
                start - timedelta(days=rng.randint(10, 30)),
                "Phó Bí thư Thường trực Huyện ủy" if party else "Chủ tịch UBND huyện", "",
                DispatchMode.FULL_TIME if full_time else DispatchMode.IN_SERVICE, start, end,
                ends["status"], ends.get("graduated_on"), ends.get("result", ""),
                ends.get("certificate", ""),
                commitment.months_to_serve(months, rule.multiplier, rule.min_months)
                if programme.is_degree else None,
                cadre, None, institutions[rng.choice(schools)], programme.pk, None,
            ))  # fmt: skip
            # What training.demo.pay_dispatches pays.
            paid_on = min(start + timedelta(days=30), AS_OF)
            payments.append((rates[RateBasis.TRAVEL], pk, None, paid_on, ""))
            if full_time or party:
                studied = max(months_between(start, min(end, AS_OF)), 1)
                payments.append((
                    rates[RateBasis.PER_MONTH], pk, None, min(end, AS_OF),
                    f"Hỗ trợ {studied} tháng học", studied,
                ))  # fmt: skip
            if ends["status"] == DispatchStatus.GRADUATED and programme.is_degree:
                payments.append(
                    (rates[RateBasis.PER_DEGREE], pk, None, end, "Hỗ trợ khi tốt nghiệp")
                )
    copy_rows(cur, "training_dispatch", DISPATCH_COLUMNS, dispatches)
    # The unit when sent (what Dispatch.derive_fields sets): the cadre's unit.
    cur.execute(
        "UPDATE training_dispatch d SET unit_id = c.unit_id FROM cadres_cadre c "
        "WHERE c.id = d.cadre_id AND d.unit_id IS NULL"
    )
    counts["dispatches"] = len(dispatches)
    log(f"{len(dispatches):,} dispatches", started)

    # --- Classes of the district centres, trainees, attendances ------------------------------
    centres = list(
        Institution.objects.filter(kind=InstitutionKind.DISTRICT_CENTRE).values_list(
            "pk", flat=True
        )
    )
    topics = [topic for topic, count in COURSE_TOPICS.items() for _ in range(count)]
    courses, trainees, attendances = [], [], []
    per_course = rates[RateBasis.PER_COURSE]
    admitted: list[int] = []
    for index in range(round(DEMO_COURSES * scale)):
        topic = rng.choice(topics)
        year = YEARS[index * len(YEARS) // round(DEMO_COURSES * scale)]
        start = date(year, 1, 1) + timedelta(days=rng.randint(10, 340))
        end = start + timedelta(days=rng.choice([2, 4, 6]))
        course = ids.next("course")
        courses.append((
            course, now, now, f"Lớp {CourseTopic(topic).label.lower()} khóa {course}/{year}",
            topic, start, end, "Hội trường Trung tâm Chính trị", rng.choice(centres), None,
        ))  # fmt: skip
        size = rng.randint(60, 90)
        people: list[tuple[int | None, int | None]] = []
        if topic in OFF_REGISTER:
            reuse = admitted[-2000:] if topic == CourseTopic.NEW_PARTY_MEMBERS else []
            chosen = rng.sample(reuse, min(len(reuse), size // 2))
            for _ in range(size - len(chosen) - 3):
                trainee = ids.next("trainee")
                born = date(rng.randint(1975, 2004), rng.randint(1, 12), rng.randint(1, 28))
                # Many lists carry no identity number; the others are unique by construction.
                cccd = f"020{born.year % 100:02d}{trainee:07d}" if rng.random() < 0.4 else ""
                trainees.append((
                    trainee, now, now, f"Học viên {trainee}", born, cccd, None,
                    rng.choice(world.villages),
                ))  # fmt: skip
                chosen.append(trainee)
            if topic == CourseTopic.PARTY_ADMISSION:
                admitted.extend(chosen)
            people += [(None, t) for t in chosen]
            size = 3
        people += [(c, None) for c in set(rng.choices(world.by_level[Level.COMMUNE], k=size))]
        for cadre, trainee in people:
            result = rng.choices(
                [AttendanceResult.GOOD, AttendanceResult.FAIR, AttendanceResult.PASSED, "absent"],
                weights=[20, 40, 37, 3],
            )[0]
            attendance = ids.next("attendance")
            attendances.append((attendance, result, "", cadre, course, trainee))
            if cadre and result != "absent":
                payments.append((per_course, None, attendance, end, ""))
    copy_rows(cur, "training_course", COURSE_COLUMNS, courses)
    copy_rows(cur, "training_trainee", TRAINEE_COLUMNS, trainees)
    copy_rows(cur, "training_attendance", ATTENDANCE_COLUMNS, attendances)
    counts |= {"classes": len(courses), "trainees": len(trainees), "attendances": len(attendances)}
    log(f"{len(courses):,} classes, {len(trainees):,} trainees, {len(attendances):,} attendances",
        started)  # fmt: skip

    rows = []
    for number, (rate, dispatch, attendance, paid_on, note, *months) in enumerate(payments, 1):
        amount = rate.amount * (months[0] if months else 1)
        rows.append((
            number, now, now, amount, paid_on, f"PC-{paid_on.year}-{number:07d}", note,
            attendance, dispatch, policy.pk, rate.pk,
        ))  # fmt: skip
    copy_rows(cur, "training_supportpayment", PAYMENT_COLUMNS, rows)
    ids.last["payment"] = counts["payments"] = len(rows)
    log(f"{len(rows):,} support payments", started)

    # --- Needs, schemes, plans, candidates ---------------------------------------------------
    needs = []
    needs_by_unit: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for cadre, unit, level, category, _party, theory in world.cadres:
        if category == Category.PART_TIME:
            continue
        if level == Level.COMMUNE and (theory is None or theory < 20):
            code = "TRUNG_CAP_LLCT"
        elif level == Level.DISTRICT and theory == 20:
            code = "CAO_CAP_LLCT"
        else:
            continue
        if rng.random() < 0.5:
            continue
        need = ids.next("need")
        needs.append((
            need, now, now, "Chưa đạt tiêu chuẩn lý luận chính trị của chức danh đang đảm nhiệm.",
            rng.choice([NeedSource.AGENCY_PROPOSAL, NeedSource.OWN_REQUEST]),
            rng.choice([2, 3, 3, 4]), rng.choice([NeedClass.URGENT, NeedClass.TERM]),
            date(2026, 12, 31), NeedStatus.OPEN, None, "", None, "", cadre, None,
            programmes[code].pk, None,
        ))  # fmt: skip
        for ancestor in world.ancestors(unit):
            needs_by_unit[ancestor, programmes[code].pk].append((need, cadre))
    copy_rows(cur, "training_trainingneed", NEED_COLUMNS, needs)
    counts["needs"] = len(needs)

    schemes, plans, lines, candidates = [], [], [], []
    planned_units = world.districts + world.communes[: max(0, round(scale) - len(world.districts))]
    for district in world.districts:
        schemes.append((
            district, now, now, f"Đề án đào tạo, bồi dưỡng cán bộ giai đoạn 2021-2025 ({district})",
            2021, 2025, "12-ĐA/HU", date(2021, 3, 15), district,
        ))  # fmt: skip
    for unit in planned_units:
        plan = ids.next("plan")
        scheme = world.district_of[unit]
        plans.append((plan, now, now, 2025, date(2025, 9, 1), PlanStatus.DRAFT, "", None, unit,
                      scheme))  # fmt: skip
        for code, (quota, target) in PLAN_LINES.items():
            line = ids.next("line")
            programme = programmes[code].pk
            lines.append((line, quota, target, None, programme, plan))
            pool = needs_by_unit.get((unit, programme), [])
            for order, (need, cadre) in enumerate(rng.sample(pool, min(len(pool), quota)), 1):
                candidates.append((
                    ids.next("candidate"), order, Seat.QUOTA,
                    rng.choice([CandidateStatus.PROPOSED, CandidateStatus.APPROVED]), "",
                    cadre, line, need,
                ))  # fmt: skip
    copy_rows(cur, "training_trainingscheme", SCHEME_COLUMNS, schemes)
    copy_rows(cur, "training_trainingplan", PLAN_COLUMNS, plans)
    copy_rows(cur, "training_planline", LINE_COLUMNS, lines)
    copy_rows(cur, "training_plancandidate", CANDIDATE_COLUMNS, candidates)
    counts |= {"plans": len(plans), "plan lines": len(lines), "candidates": len(candidates)}
    log(f"{len(needs):,} training needs, {len(plans):,} plans, {len(lines):,} lines, "
        f"{len(candidates):,} candidates", started)  # fmt: skip

    counts |= load_planning(cur, copy_rows, rng, world, scale, ids, now)
    log(f"{counts['appointments']:,} appointments, {counts['planning entries']:,} planning "
        "entries", started)  # fmt: skip
    for table in TABLES:
        cur.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )
    return counts


AS_OF = date(2025, 6, 30)


class World:
    """What the generator reads of the register: cadres with their unit, and the unit tree."""

    def __init__(self) -> None:
        self.cadres: list[tuple] = []
        self.by_level: dict[str, list[int]] = defaultdict(list)
        self.party_by_unit: dict[int, list[int]] = defaultdict(list)
        self.paths: dict[int, list[int]] = {}
        self.districts: list[int] = []
        self.communes: list[int] = []
        self.villages: list[int] = []
        self.agencies_of: dict[int, list[int]] = defaultdict(list)
        self.district_of: dict[int, int] = {}

    @classmethod
    def read(cls, cur) -> World:
        world = cls()
        cur.execute("SELECT id, path, kind, parent_id FROM cadres_unit ORDER BY id")
        for pk, path, kind, parent in cur.fetchall():
            world.paths[pk] = [int(p) for p in path.strip("/").split("/")]
            if kind == UnitKind.DISTRICT:
                world.districts.append(pk)
            elif kind in (UnitKind.COMMUNE, UnitKind.TOWN):
                world.communes.append(pk)
            elif kind == UnitKind.VILLAGE:
                world.villages.append(pk)
            elif kind == UnitKind.AGENCY:
                world.agencies_of[parent].append(pk)
        for pk, path in world.paths.items():
            if len(path) >= 2:
                world.district_of[pk] = path[1]
        cur.execute(
            "SELECT c.id, c.unit_id, u.level, c.category, c.party_join_date IS NOT NULL, l.rank "
            "FROM cadres_cadre c JOIN cadres_unit u ON u.id = c.unit_id "
            "LEFT JOIN cadres_qualificationlevel l ON l.id = c.political_theory_level_id "
            "ORDER BY c.id"
        )
        world.cadres = cur.fetchall()
        for cadre, unit, level, _category, party, _theory in world.cadres:
            world.by_level[level].append(cadre)
            if party:
                world.party_by_unit[unit].append(cadre)
        return world

    def ancestors(self, unit: int) -> list[int]:
        return self.paths[unit]


def load_planning(cur, copy_rows, rng, world: World, scale: float, ids: Ids, now) -> dict:
    """Positions held (appointments) and the planning pool of the demo's four terms, for the
    districts and for as many communes as the demo's five per 3,000 cadres."""
    positions = {p.title: p.pk for p in Position.objects.all()}
    terms = {
        (name, level): PlanningTerm.objects.create(
            name=name, level=level, start_date=start, end_date=end
        ).pk
        for name, level, start, end in TERMS
    }
    communes = world.communes[: round(DEMO_PLANNED_COMMUNES * scale)]
    decisions, appointments, entries = [], [], []
    taken: set[tuple] = set()

    def decide(term, district, issued_on, kind=DecisionKind.APPROVAL) -> int:
        pk = ids.next("decision")
        decisions.append((
            pk, now, now, f"{100 + pk}-QĐ/HU", issued_on, "Ban Thường vụ Huyện ủy", kind,
            DecisionStatus.CONFIRMED, "", "", district, term,
        ))  # fmt: skip
        return pk

    def enter(term, unit, title, cadre, role, added_by, removal=None):
        key = (term, unit, positions[title], cadre)
        if key in taken:
            return
        taken.add(key)
        removed_by, removed_on, reason = removal or (None, None, "")
        entries.append((
            ids.next("entry"), now, now, role, role == EntryRole.RESERVE, removed_on, reason, "",
            added_by, cadre, positions[title], removed_by, unit, term,
        ))  # fmt: skip

    holders: dict[tuple[int, str], int] = {}
    units = [(u, COMMUNE_KEY, world.party_by_unit[u]) for u in communes] + [
        (d, DISTRICT_KEY, [c for a in world.agencies_of[d] for c in world.party_by_unit[a]])
        for d in world.districts
    ]
    for unit, titles, pool in units:
        if len(pool) < len(titles) * 4:
            continue
        chosen = rng.sample(pool, len(titles) * 4)
        for index, title in enumerate(titles):
            holders[unit, title] = chosen[index]
            appointments.append((
                ids.next("appointment"), now, now, date(2020, 6, 1), None, False, "", None,
                chosen[index], positions[title], unit,
            ))  # fmt: skip
        reserves = chosen[len(titles) :]
        by_district: dict[int, dict[str, int]] = {}
        for name, level, start, _end in TERMS:
            term = terms[name, level]
            is_commune = unit in world.district_of and unit not in world.districts
            if (level == "commune") != is_commune:
                continue
            district = world.district_of.get(unit, unit)
            issued = date(2020, 3, 16) if start.year == 2020 else date(2023, 9, 15)
            decided = by_district.setdefault(district, {}).get(term) or decide(
                term, district, issued
            )
            by_district[district][term] = decided
            removal = None
            if start.year == 2020 and rng.random() < 0.05:
                removal = (decide(term, district, date(2023, 6, 12), DecisionKind.REMOVAL),
                           date(2023, 6, 12), RemovalReason.AGE)  # fmt: skip
            for title in titles:
                enter(term, unit, title, holders[unit, title], EntryRole.INCUMBENT, decided,
                      removal)  # fmt: skip
                if start.year == 2025:
                    for cadre in rng.sample(reserves, rng.randint(1, 2)):
                        enter(term, unit, title, cadre, EntryRole.RESERVE, decided)
    copy_rows(cur, "cadres_appointment", APPOINTMENT_COLUMNS, appointments)
    copy_rows(cur, "planning_planningdecision", DECISION_COLUMNS, decisions)
    copy_rows(cur, "planning_planningentry", ENTRY_COLUMNS, entries)
    return {"appointments": len(appointments), "planning entries": len(entries)}


DISPATCH_COLUMNS = [
    "id", "created_at", "updated_at", "decision_number", "decision_date", "signer", "major",
    "mode", "start_date", "end_date", "status", "graduated_on", "result", "certificate",
    "months_to_serve", "cadre_id", "qualification_id", "institution_id", "programme_id",
    "need_id",
]  # fmt: skip
COURSE_COLUMNS = [
    "id", "created_at", "updated_at", "name", "topic", "start_date", "end_date", "place",
    "organiser_id", "programme_id",
]  # fmt: skip
TRAINEE_COLUMNS = [
    "id", "created_at", "updated_at", "full_name", "birth_date", "cccd", "cadre_id", "unit_id",
]  # fmt: skip
ATTENDANCE_COLUMNS = ["id", "result", "certificate", "cadre_id", "course_id", "trainee_id"]
PAYMENT_COLUMNS = [
    "id", "created_at", "updated_at", "amount", "paid_on", "voucher", "note", "attendance_id",
    "dispatch_id", "policy_id", "rate_id",
]  # fmt: skip
NEED_COLUMNS = [
    "id", "created_at", "updated_at", "reason", "source", "priority", "classification", "due",
    "status", "closed_on", "closure", "gap_entry_id", "gap_track", "cadre_id", "position_id",
    "programme_id", "required_level_id",
]  # fmt: skip
SCHEME_COLUMNS = [
    "id", "created_at", "updated_at", "name", "start_year", "end_year", "decision_number",
    "decision_date", "unit_id",
]  # fmt: skip
PLAN_COLUMNS = [
    "id", "created_at", "updated_at", "year", "dispatch_on", "status", "decision_number",
    "approved_on", "unit_id", "scheme_id",
]  # fmt: skip
LINE_COLUMNS = ["id", "quota", "target", "institution_id", "programme_id", "plan_id"]
CANDIDATE_COLUMNS = ["id", '"order"', "seat", "status", "reasons", "cadre_id", "line_id", "need_id"]
APPOINTMENT_COLUMNS = [
    "id", "created_at", "updated_at", "start_date", "end_date", "concurrent", "decision_number",
    "decision_date", "cadre_id", "position_id", "unit_id",
]  # fmt: skip
DECISION_COLUMNS = [
    "id", "created_at", "updated_at", "number", "issued_on", "issuer", "kind", "status",
    "attachment", "note", "unit_id", "term_id",
]  # fmt: skip
ENTRY_COLUMNS = [
    "id", "created_at", "updated_at", "role", "first_time", "removed_on", "removal_reason",
    "removal_note", "added_by_id", "cadre_id", "position_id", "removed_by_id", "unit_id",
    "term_id",
]  # fmt: skip

"""Demo party cells for the demo district's villages and schools: most with a cell of their own,
some in combined cells, a few without any party member; membership reports at the ends of 2023
and 2024, with cells founded in 2024 so that the directive's progress shows; admission targets
and candidates at every step. Deterministic and written in bulk."""

from __future__ import annotations

import random
from datetime import date, timedelta

from cadres.choices import UnitKind
from cadres.models import Cadre, Unit
from cadres.retirement import add_years
from party.models import (
    AdmissionCandidate,
    AdmissionTarget,
    CellMembershipReport,
    PartyCell,
)
from training.choices import AttendanceResult, CourseTopic
from training.models import Attendance

AS_OF = date(2024, 12, 31)
REPORT_DAYS = (date(2023, 12, 31), AS_OF)
DISTRICT_CODE = "188"
PASSED = [
    AttendanceResult.EXCELLENT,
    AttendanceResult.GOOD,
    AttendanceResult.FAIR,
    AttendanceResult.PASSED,
]


def build(rng: random.Random, log) -> None:
    if PartyCell.objects.exists():
        log("Dữ liệu mẫu đã có: bỏ qua phần chi bộ, phát triển đảng viên.")
        return
    communes = list(
        Unit.objects.communes().filter(parent__code=DISTRICT_CODE).active(AS_OF).order_by("path")
    )
    if not communes:
        return
    secretaries = secretaries_by_unit()
    cells, serves = plan_cells(rng, communes, secretaries)
    PartyCell.objects.bulk_create(cells, batch_size=1000)
    PartyCell.serves.through.objects.bulk_create(
        [
            PartyCell.serves.through(partycell_id=cell.pk, unit_id=unit.pk)
            for cell, units in serves
            for unit in units
        ]
    )
    CellMembershipReport.objects.bulk_create(reports(rng, cells), batch_size=2000)
    candidates = build_pipeline(rng, communes, cells)
    log(
        f"Đã tạo {len(cells)} chi bộ ({len(serves)} chi bộ ghép), "
        f"{len(candidates)} quần chúng ưu tú, đảng viên mới."
    )


def secretaries_by_unit() -> dict[int, Cadre]:
    """One party member of each village (the demo's part-time cadres live in villages)."""
    members = Cadre.objects.filter(
        unit__kind=UnitKind.VILLAGE, party_official_date__isnull=False
    ).order_by("unit_id", "pk")
    chosen: dict[int, Cadre] = {}
    for cadre in members.only("pk", "unit_id"):
        chosen.setdefault(cadre.unit_id, cadre)
    return chosen


def plan_cells(rng: random.Random, communes: list[Unit], secretaries: dict[int, Cadre]):
    cells: list[PartyCell] = []
    serves: list[tuple[PartyCell, list[Unit]]] = []
    for commune in communes:
        villages = list(commune.children.filter(kind=UnitKind.VILLAGE).order_by("path"))
        schools = list(commune.children.filter(kind=UnitKind.SCHOOL).order_by("path"))
        cells.append(
            PartyCell(
                name=f"Chi bộ cơ quan {commune.name}",
                unit=commune,
                secretary_name=f"Bí thư {commune.name}",
            )
        )
        index = 0
        while index < len(villages):
            village = villages[index]
            roll = rng.random()
            cadre = secretaries.get(village.pk)
            secretary = {"secretary": cadre} if cadre else {"secretary_name": "Hoàng Văn Tư"}
            if roll < 0.12 and index + 1 < len(villages):
                # Too few members in either village: one cell for the two.
                neighbour = villages[index + 1]
                cell = PartyCell(
                    name=f"Chi bộ ghép {village.name} – {neighbour.name}",
                    unit=village,
                    founded_on=date(rng.randint(2005, 2018), rng.randint(1, 12), 1),
                    **secretary,
                )
                cells.append(cell)
                serves.append((cell, [neighbour]))
                index += 2
                continue
            if roll < 0.18:
                pass  # no party member yet ("trắng" đảng viên)
            elif roll < 0.24:
                # Founded during 2024 under the directive: the progress since the end of 2023.
                cells.append(
                    PartyCell(
                        name=f"Chi bộ {village.name}",
                        unit=village,
                        founded_on=date(2024, rng.randint(2, 11), rng.randint(1, 28)),
                        founding_decision=f"{rng.randint(100, 999)}-QĐ/ĐU",
                        **secretary,
                    )
                )
            else:
                cells.append(
                    PartyCell(
                        name=f"Chi bộ {village.name}",
                        unit=village,
                        founded_on=None if roll > 0.8 else date(rng.randint(1975, 2015), 1, 1),
                        **secretary,
                    )
                )
            index += 1
        if len(schools) == 2 and rng.random() < 0.3:
            cell = PartyCell(
                name=f"Chi bộ {schools[0].name} và {schools[1].name.removeprefix('Trường ')}",
                unit=schools[0],
                founded_on=date(rng.randint(2000, 2015), 9, 1),
                secretary_name="Lương Thị Hoa",
            )
            cells.append(cell)
            serves.append((cell, [schools[1]]))
        else:
            cells += [
                PartyCell(
                    name=f"Chi bộ {school.name}",
                    unit=school,
                    founded_on=date(rng.randint(2000, 2015), 9, 1),
                    secretary_name="Lương Thị Hoa",
                )
                for school in schools
            ]
    return cells, serves


def reports(rng: random.Random, cells: list[PartyCell]) -> list[CellMembershipReport]:
    rows = []
    for cell in cells:
        official = rng.randint(3, 25)
        for day in REPORT_DAYS:
            if cell.founded_on and cell.founded_on > day:
                continue
            rows.append(
                CellMembershipReport(
                    cell=cell,
                    reported_on=day,
                    official=official,
                    probationary=rng.randint(0, 2),
                    source=f"Báo cáo số lượng đảng viên năm {day.year}",
                )
            )
            official += rng.randint(0, 2)
    return rows


def build_pipeline(
    rng: random.Random, communes: list[Unit], cells: list[PartyCell]
) -> list[AdmissionCandidate]:
    """Targets for 2024 and 2025 per commune; candidates from the people who attended the
    training centre's classes on the Party (training's demo), at every step: those who went
    on to a new members' class were admitted in between, a few are overdue or dropped."""
    AdmissionTarget.objects.bulk_create(
        [
            AdmissionTarget(unit=commune, year=year, target=rng.randint(3, 8))
            for commune in communes
            for year in (2024, 2025)
        ]
    )
    cell_of: dict[int, PartyCell] = {}
    for cell in cells:
        cell_of.setdefault(cell.unit_id, cell)
    for cell, units in serves_of(cells):
        for unit in units:
            cell_of.setdefault(unit.pk, cell)
    new_member_class = {
        attendance.trainee_id: attendance
        for attendance in Attendance.objects.filter(
            course__topic=CourseTopic.NEW_PARTY_MEMBERS, trainee__isnull=False
        ).select_related("course")
    }
    attendances = list(
        Attendance.objects.filter(
            course__topic=CourseTopic.PARTY_ADMISSION,
            trainee__unit__isnull=False,
            result__in=PASSED,
        )
        .select_related("course", "trainee")
        .order_by("pk")
    )
    candidates = []
    for attendance in attendances:
        cell = cell_of.get(attendance.trainee.unit_id)
        if cell is None or rng.random() > 0.5:
            continue
        class_end = attendance.course.end_date
        candidate = AdmissionCandidate(
            trainee=attendance.trainee,
            unit_id=attendance.trainee.unit_id,
            cell=cell,
            proposed_on=attendance.course.start_date - timedelta(days=rng.randint(15, 60)),
            candidate_class=attendance,
        )
        later = new_member_class.get(attendance.trainee_id)
        if later and later.course.start_date > class_end + timedelta(days=30):
            candidate.admitted_on = class_end + timedelta(
                days=rng.randint(15, (later.course.start_date - class_end).days - 1)
            )
            candidate.new_member_class = later
        elif rng.random() < 0.3 and class_end < date(2025, 1, 1):
            candidate.admitted_on = class_end + timedelta(days=rng.randint(20, 120))
        elif rng.random() < 0.1:
            candidate.dropped_on = class_end + timedelta(days=rng.randint(30, 200))
            candidate.drop_reason = rng.choice(["Chuyển đi nơi khác", "Đi làm ăn xa"])
        if candidate.admitted_on:
            candidate.decision_number = f"{rng.randint(10, 99)}-QĐ/ĐU"
            candidate.probation_ends_on = add_years(candidate.admitted_on, 1)
            # Most are recognised within the month; some wait past the end of probation.
            if candidate.probation_ends_on < date(2025, 12, 31) and rng.random() < 0.9:
                candidate.official_on = candidate.probation_ends_on + timedelta(
                    days=rng.randint(1, 30)
                )
                candidate.official_decision_number = f"{rng.randint(10, 99)}-QĐ/ĐU"
        candidates.append(candidate)
    candidates += admitted_before_the_class(rng, communes, cell_of)
    AdmissionCandidate.objects.bulk_create(candidates, batch_size=1000)
    return candidates


def serves_of(cells: list[PartyCell]):
    through = PartyCell.serves.through.objects.filter(partycell__in=cells).select_related("unit")
    by_cell: dict[int, list[Unit]] = {}
    for row in through:
        by_cell.setdefault(row.partycell_id, []).append(row.unit)
    return [(cell, by_cell[cell.pk]) for cell in cells if cell.pk in by_cell]


def admitted_before_the_class(
    rng: random.Random, communes: list[Unit], cell_of: dict[int, PartyCell]
) -> list[AdmissionCandidate]:
    """A few young commune staff admitted without the class on the Party: the overdue list."""
    people = list(
        Cadre.objects.filter(party_join_date__isnull=True, unit__in=communes)
        .order_by("pk")
        .only("pk", "unit_id")[: 2 * len(communes)]
    )
    candidates = []
    for cadre in rng.sample(people, min(len(people), 8)):
        admitted = date(2024, rng.randint(1, 12), rng.randint(1, 28))
        candidates.append(
            AdmissionCandidate(
                cadre=cadre,
                unit_id=cadre.unit_id,
                cell=cell_of.get(cadre.unit_id),
                proposed_on=admitted - timedelta(days=rng.randint(60, 200)),
                admitted_on=admitted,
                decision_number=f"{rng.randint(10, 99)}-QĐ/ĐU",
                probation_ends_on=add_years(admitted, 1),
            )
        )
    return candidates

"""Build a province-sized register on PostgreSQL, fast: units, cadres and their histories.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python bench/scale_data.py --cadres 1000000

Migrates the database, empties the cadre tables, then writes with COPY (psycopg 3
``cursor.copy``): about 20,000 units (a province, its districts, agencies, communes, villages and
schools), the cadres, about three qualifications and two to three work-history rows per cadre.
Secondary indexes are dropped during the load and rebuilt afterwards, foreign-key triggers are
off while copying generated (consistent) rows, then ANALYZE. The derived columns come from the
project's own code: ``Cadre.derive_fields`` (search_name, retirement_date), ``current_levels``
(the current level per track), ``fold_unit_name`` and ``LEVEL_OF_KIND`` for units.
Deterministic for a given ``--seed``.

Then the training and planning rows of ``bench/scale_extras.py`` (dispatches, classes and
attendances, support payments, needs and plans, planning terms, decisions and entries), in
proportion to the cadres. ``--extras-only`` writes only these, over the cadres already loaded
(the 1M-cadre database need not be rebuilt); ``--no-extras`` leaves them out.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup_django  # noqa: E402

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from scale_extras import TABLES as EXTRA_TABLES  # noqa: E402
from scale_extras import load_extras  # noqa: E402

from cadres.choices import (  # noqa: E402
    LEVEL_OF_KIND,
    Category,
    Gender,
    Standing,
    StudyMode,
    Track,
    UnitKind,
)
from cadres.models import (  # noqa: E402
    DERIVED_LEVEL_FIELDS,
    Cadre,
    Ethnicity,
    Qualification,
    QualificationLevel,
    Religion,
    current_levels,
)
from core.text import fold_unit_name  # noqa: E402

AS_OF = date(2025, 6, 30)
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Nông",
    "Hà",
    "Lương",
    "Vi",
    "Lộc",
    "Hứa",
    "Triệu",
    "Mã",
    "Chu",
    "Lăng",
    "Hoàng",
    "Đinh",
    "Tô",
]  # noqa: E501
MIDDLE_MALE = [
    "Văn",
    "Đức",
    "Minh",
    "Quang",
    "Thanh",
    "Hữu",
    "Xuân",
    "Công",
    "Ngọc",
    "Đình",
    "Trung",
    "Mạnh",
]
MIDDLE_FEMALE = ["Thị", "Thanh", "Ngọc", "Thu", "Minh", "Hồng", "Kim", "Thúy", "Bích", "Phương"]
GIVEN_MALE = [
    "Hải",
    "Hùng",
    "Dũng",
    "Cường",
    "Tuấn",
    "Long",
    "Nam",
    "Sơn",
    "Thắng",
    "Bình",
    "Hòa",
    "Toàn",
    "Quân",
    "Khánh",
    "Phúc",
    "Thịnh",
    "Lâm",
    "Tùng",
    "Đạt",
    "Hiếu",
    "Trường",
    "Vinh",
    "Hưng",
    "Kiên",
    "Chiến",
    "Tiến",
    "Thành",
    "Quyết",
    "Lợi",
    "Hậu",
]  # noqa: E501
GIVEN_FEMALE = [
    "Hà",
    "Hương",
    "Lan",
    "Mai",
    "Hoa",
    "Huyền",
    "Trang",
    "Thảo",
    "Linh",
    "Nga",
    "Yến",
    "Dung",
    "Hạnh",
    "Hằng",
    "Nhung",
    "Thủy",
    "Vân",
    "Hiền",
    "Loan",
    "Ly",
    "Tâm",
    "Hải",
    "Oanh",
    "Liên",
    "Phượng",
]  # noqa: E501
SYLLABLES = [
    "An",
    "Bình",
    "Châu",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Hòa",
    "Lộc",
    "Phú",
    "Quý",
    "Tân",
    "Thanh",
    "Xuân",
    "Hồng",
    "Tú",
    "Đoạn",
    "Khánh",
    "Mai",
    "Sơn",
    "Yên",
    "Minh",
    "Hưng",
    "Thái",
    "Hiệp",
    "Lợi",
    "Đồng",
    "Vân",
    "Trung",
    "Lương",
    "Bằng",
    "Mẫu",
    "Tam",
    "Gia",
    "Quang",
]  # noqa: E501
AGENCY_NAMES = [
    "Văn phòng Huyện ủy",
    "Ban Tổ chức Huyện ủy",
    "Ủy ban Kiểm tra Huyện ủy",
    "Ban Tuyên giáo Huyện ủy",
    "Ban Dân vận Huyện ủy",
    "Văn phòng HĐND và UBND",
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nông nghiệp",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Tư pháp",
    "Thanh tra",
    "Ủy ban MTTQ",
    "Đoàn Thanh niên",
    "Hội Liên hiệp Phụ nữ",
    "Hội Nông dân",
]
JOBS = ["Chuyên viên", "Cán sự", "Phó trưởng phòng", "Trưởng phòng", "Giáo viên", "Công chức"]
MAJORS = ["Luật", "Kinh tế", "Quản lý nhà nước", "Sư phạm", "Nông nghiệp", "Kế toán", "Xây dựng"]
INSTITUTIONS = ["Học viện Chính trị khu vực I", "Đại học Thái Nguyên", "Trường Chính trị tỉnh"]


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def pick_name(rng: random.Random, gender: str) -> str:
    female = gender == Gender.FEMALE
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{rng.choice(FAMILY)} {middle} {given}"


def place_name(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


# --- Units ----------------------------------------------------------------------------------


def build_units(rng: random.Random, target: int) -> tuple[list[tuple], dict[str, list[int]]]:
    """Rows of a province tree with about ``target`` units, and unit ids by role."""
    rows: list[tuple] = []
    roles: dict[str, list[int]] = {"agency": [], "commune": [], "village": [], "school": []}
    next_id = iter(range(1, 10**9))

    def add(name, kind, parent, code=""):
        pk = next(next_id)
        path = f"{parent[1] if parent else ''}{pk}/"
        level = LEVEL_OF_KIND.get(kind) or (parent[2] if parent else "district")
        rows.append(
            (pk, name, kind, code, parent[0] if parent else None, level, path,
             path.count("/") - 1, fold_unit_name(name))
        )  # fmt: skip
        return pk, path, level

    province = add("Tỉnh Bắc Sơn", UnitKind.PROVINCE, None, "99")
    districts = 15
    # Per district: 20 agencies, 1 + N communes with villages and schools.
    per_district = max(1, target // districts)
    communes_per_district = max(1, per_district // 32)
    for d in range(districts):
        district = add(f"Huyện {place_name(rng)} {d + 1}", UnitKind.DISTRICT, province)
        for name in AGENCY_NAMES:
            roles["agency"].append(add(name, UnitKind.AGENCY, district)[0])
        for c in range(communes_per_district):
            kind = UnitKind.TOWN if c == 0 else UnitKind.COMMUNE
            prefix = "Thị trấn" if c == 0 else "Xã"
            commune = add(f"{prefix} {place_name(rng)} {d + 1}.{c + 1}", kind, district)
            roles["commune"].append(commune[0])
            for v in range(28):
                roles["village"].append(
                    add(f"Thôn {v + 1} {place_name(rng)}", UnitKind.VILLAGE, commune)[0]
                )  # noqa: E501
            for s in ("Trường Mầm non", "Trường Tiểu học", "Trường THCS"):
                roles["school"].append(add(f"{s} {commune[0]}", UnitKind.SCHOOL, commune)[0])
    return rows, roles


# --- Qualification profiles -----------------------------------------------------------------


def build_profiles(rng: random.Random, levels: dict[str, QualificationLevel]) -> list[dict]:
    """A few hundred typical histories (which levels, in what order), each with its current
    levels computed once by ``current_levels`` over unsaved Qualification objects."""
    by_track: dict[str, list[QualificationLevel]] = {}
    for level in levels.values():
        by_track.setdefault(level.track, []).append(level)
    profiles = []
    for _ in range(400):
        chosen: list[tuple[QualificationLevel, str, str]] = []
        professional = rng.choice(
            [levels["CM_DAI_HOC"]] * 6 + [levels["CM_TRUNG_CAP"]] * 2 + [levels["CM_THAC_SI"]]
        )
        major = rng.choice(MAJORS)
        if professional.code == "CM_THAC_SI" or rng.random() < 0.2:
            chosen.append((levels["CM_DAI_HOC"], major, StudyMode.FULL_TIME))
        chosen.append(
            (professional, major, rng.choice([StudyMode.FULL_TIME, StudyMode.IN_SERVICE]))
        )  # noqa: E501
        for track, chance in (
            (Track.POLITICAL_THEORY, 0.7),
            (Track.STATE_MANAGEMENT, 0.4),
            (Track.IT, 0.5),
            (Track.FOREIGN_LANGUAGE, 0.4),
            (Track.DEFENCE_SECURITY, 0.3),
        ):
            if rng.random() < chance:
                chosen.append((rng.choice(by_track[track]), "", StudyMode.SHORT_COURSE))
        values = current_levels(
            [Qualification(level=level, major=m) for level, m, _ in chosen]
        )  # fmt: skip
        profiles.append({"rows": chosen, "levels": values})
    return profiles


# --- Loading --------------------------------------------------------------------------------

CADRE_COLUMNS = [
    "id", "full_name", "other_names", "gender", "birth_date", "place_of_birth", "home_town",
    "permanent_residence", "current_residence", "ethnicity_id", "religion_id", "cccd",
    "cccd_issued_on", "phone", "email", "family_origin", "occupation_before", "category",
    "unit_id", "job_title", "standing", "key_cadre", "recruitment_date", "recruiting_agency",
    "work_start_date",
    "mass_organisation", "military_rank", "main_duty", "strengths", "party_join_date",
    "party_official_date", "party_position", "general_education_id", "academic_title",
    "professional_level_id", "professional_major", "political_theory_level_id",
    "state_management_level_id", "defence_security_level_id", "it_level_id",
    "foreign_language_level_id", "civil_service_rank", "civil_service_rank_code",
    "health", "honours", "war_invalid", "personal_history", "foreign_relations",
    "economic_situation", "notes", "retirement_date", "search_name",
    *(f"{field}_since" for field in DERIVED_LEVEL_FIELDS.values()), "created_at", "updated_at",
]  # fmt: skip
QUALIFICATION_COLUMNS = [
    "id", "cadre_id", "level_id", "major", "institution", "mode", "start_date", "end_date",
    "year_obtained", "certificate", "created_at", "updated_at",
]  # fmt: skip
WORK_COLUMNS = [
    "id", "cadre_id", "start_date", "end_date", "position_title", "organisation",
    "created_at", "updated_at",
]  # fmt: skip
STANDINGS = ["", "", Standing.INCUMBENT, Standing.INCUMBENT, Standing.RESERVE]  # list columns
BIG_TABLES = ["cadres_cadre", "cadres_qualification", "cadres_workhistory"]


def secondary_indexes(cursor) -> list[tuple[str, str]]:
    """Indexes of the big tables that no constraint owns: dropped for the load, rebuilt after."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = ANY(%s) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [BIG_TABLES],
    )
    return cursor.fetchall()


def blank_columns(cursor, table: str, columns: list[str]) -> list[str]:
    """NOT NULL text columns the generator leaves out (``blank=True`` fields): written as ''."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    given = {column.strip('"') for column in columns}  # "order" is quoted, a reserved word
    missing = [(name, kind) for name, kind in cursor.fetchall() if name not in given]
    wrong = [name for name, kind in missing if kind not in ("character varying", "text")]
    if wrong:
        raise SystemExit(f"{table}: no value for required columns {wrong}")
    return [name for name, _ in missing]


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY in text format, formatted here in large chunks (several times faster than
    ``write_row``); the generated values hold no tab, newline or backslash."""
    blanks = blank_columns(cursor, table, columns)
    padding = "\t" * len(blanks)
    with cursor.copy(f"COPY {table} ({', '.join(columns + blanks)}) FROM STDIN") as copy:
        lines = []
        for row in rows:
            lines.append("\t".join("\\N" if v is None else str(v) for v in row) + padding)
            if len(lines) == 50_000:
                copy.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            copy.write("\n".join(lines) + "\n")


MAX_CADRES = 5_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cadres", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=9)
    extras = parser.add_mutually_exclusive_group()
    extras.add_argument(
        "--extras-only",
        action="store_true",
        help="only (re)write the training and planning rows, over the cadres already loaded",
    )
    extras.add_argument("--no-extras", action="store_true", help="no training, planning rows")
    args = parser.parse_args()
    if args.cadres > MAX_CADRES:
        parser.error(f"--cadres: at most {MAX_CADRES:,} (the CCCD numbers would repeat)")
    started = time.monotonic()
    rng = random.Random(args.seed)

    call_command("migrate", verbosity=0)
    log("migrated", started)
    if args.extras_only:
        write_extras(rng, started)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cadres_unit, cadres_unitsuccession, cadres_position, cadres_cadre "
            "RESTART IDENTITY CASCADE"
        )
    log("emptied the cadre tables", started)

    levels = {level.code: level for level in QualificationLevel.objects.all()}
    ethnicities = dict(Ethnicity.objects.values_list("code", "pk"))
    weighted_ethnicities = (
        [ethnicities["01"]] * 60 + [ethnicities["02"]] * 15 + [ethnicities["06"]] * 10
        + list(ethnicities.values())
    )  # fmt: skip
    religions = list(Religion.objects.values_list("pk", flat=True))
    general_education = levels["PT_12_12"].pk
    profiles = build_profiles(rng, levels)

    unit_rows, roles = build_units(rng, args.units)
    unit_pool = (
        roles["commune"] * 40 + roles["agency"] * 60 + roles["school"] * 4 + roles["village"]
    )
    raw = connection.connection  # psycopg 3 connection under Django's wrapper
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    with raw.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no FK triggers while copying
        dropped = secondary_indexes(cur)
        for name, _ in dropped:
            cur.execute(f'DROP INDEX "{name}"')
        try:
            copy_rows(
                cur,
                "cadres_unit",
                [
                    "id",
                    "name",
                    "kind",
                    "code",
                    "parent_id",
                    "level",
                    "path",
                    "depth",
                    "name_key",
                    "created_at",
                    "updated_at",
                ],  # noqa: E501
                ((*row, now, now) for row in unit_rows),
            )
            log(f"{len(unit_rows):,} units", started)
            counts = load_cadres(cur, rng, args.cadres, now, started, Pools(
                ethnicities=weighted_ethnicities, religions=religions, units=unit_pool,
                profiles=profiles, general_education=general_education,
            ))  # fmt: skip
        finally:
            cur.execute("SET session_replication_role = DEFAULT")
            for name, definition in dropped:
                cur.execute(definition)
                log(f"rebuilt index {name}", started)
        for table in ("cadres_unit", *BIG_TABLES):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        # VACUUM sets the visibility map, so that index-only scans (deep pages) skip the heap.
        for table in ("cadres_unit", *BIG_TABLES):
            cur.execute(f"VACUUM ANALYZE {table}")
        cur.execute("ANALYZE")
    log("analyzed", started)
    print(
        f"Done: {len(unit_rows):,} units, {args.cadres:,} cadres, {counts[0]:,} qualifications, "
        f"{counts[1]:,} work-history rows in {time.monotonic() - started:.1f} s"
    )
    if not args.no_extras:
        write_extras(rng, time.monotonic())


def write_extras(rng: random.Random, started: float) -> None:
    """The training and planning rows (``scale_extras``), then VACUUM ANALYZE of their tables."""
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    with connection.connection.cursor() as cur:
        counts = load_extras(cur, copy_rows, rng, now, started)
        for table in EXTRA_TABLES:
            cur.execute(f"VACUUM ANALYZE {table}")
    log("analyzed the training and planning tables", started)
    print(
        "Done (training, planning): "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
        + f" in {time.monotonic() - started:.1f} s"
    )


@dataclass
class Pools:
    ethnicities: list[int]
    religions: list[int]
    units: list[int]
    profiles: list[dict]
    general_education: int


def load_cadres(cur, rng, total: int, now: str, started: float, pools: Pools) -> tuple[int, int]:
    places = [place_name(rng) for _ in range(3000)]
    categories = list(Category.values)
    level_fields = [
        "political_theory_level", "state_management_level", "defence_security_level",
        "it_level", "foreign_language_level",
    ]  # fmt: skip
    for profile in pools.profiles:  # the columns each profile gives, in CADRE_COLUMNS order
        current = profile["levels"]
        profile["columns"] = (
            getattr(current["professional_level"], "pk", None),
            current["professional_major"],
            *(getattr(current[field], "pk", None) for field in level_fields),
        )
        # Levels whose first day goes in the *_since columns, in DERIVED_LEVEL_FIELDS order.
        profile["since_order"] = [
            getattr(current[field], "pk", None) for field in DERIVED_LEVEL_FIELDS.values()
        ]
        profile["since_ids"] = {pk for pk in profile["since_order"] if pk}
    choice, random_, randint = rng.choice, rng.random, rng.randint
    first_day, one_day = date(1965, 1, 1), timedelta(days=1)
    qualification_id = work_id = 0
    batch = 100_000
    for first in range(0, total, batch):
        cadres, qualifications, works = [], [], []
        for i in range(first, min(first + batch, total)):
            gender = Gender.FEMALE if random_() < 0.45 else Gender.MALE
            born = first_day + timedelta(days=rng.randrange(365 * 37))
            # The model's own derivation, on a stand-in object (no 70-field model instance).
            cadre = SimpleNamespace(
                full_name=pick_name(rng, gender), other_names="", gender=gender, birth_date=born
            )
            Cadre.derive_fields(cadre)
            profile = choice(pools.profiles)
            recruited = born + timedelta(days=365 * randint(21, 30))
            party = recruited + timedelta(days=randint(0, 3000)) if random_() < 0.7 else None
            century = (2 if gender == Gender.MALE else 3) - (2 if born.year < 2000 else 0)
            # The six-digit serial repeats every million cadres; the province code (01-95, one
            # block of 19 per million) keeps the CCCD unique up to MAX_CADRES.
            province = (i // 1_000_000) * 19 + randint(1, 19)
            year = born.year + 22
            # The day each current level was first obtained (Cadre.*_since): the year's end.
            since = dict.fromkeys(profile["since_ids"])
            for level, major, mode in profile["rows"]:
                qualification_id += 1
                year = min(year + randint(0, 4), AS_OF.year)
                qualifications.append((
                    qualification_id, i + 1, level.pk, major, choice(INSTITUTIONS), mode,
                    None, None, year, "", now, now,
                ))  # fmt: skip
                if level.pk in since and since[level.pk] is None:
                    since[level.pk] = date(year, 12, 31)
            cadres.append((
                i + 1, cadre.full_name, "", gender, born, choice(places), choice(places), "",
                "", choice(pools.ethnicities),
                choice(pools.religions) if random_() < 0.1 else None,
                f"0{province:02d}{century}{born.year % 100:02d}{i % 1_000_000:06d}",
                None, "", "", "", "", choice(categories), choice(pools.units), choice(JOBS),
                choice(STANDINGS), random_() < 0.05, recruited, "", recruited, "", "", "", "",
                party,
                party + timedelta(days=365) if party else None, "", pools.general_education,
                "", *profile["columns"], "", "", "", "", "", "", "", "", "",
                cadre.retirement_date, cadre.search_name,
                *(since.get(pk) for pk in profile["since_order"]), now, now,
            ))  # fmt: skip
            start = recruited
            for _ in range(randint(2, 3)):
                work_id += 1
                end = start + timedelta(days=randint(700, 3000))
                works.append((
                    work_id, i + 1, start, end if end < AS_OF else None, choice(JOBS),
                    choice(places), now, now,
                ))  # fmt: skip
                start = end + one_day
                if start >= AS_OF:
                    break
        copy_rows(cur, "cadres_cadre", CADRE_COLUMNS, cadres)
        copy_rows(cur, "cadres_qualification", QUALIFICATION_COLUMNS, qualifications)
        copy_rows(cur, "cadres_workhistory", WORK_COLUMNS, works)
        log(f"{first + len(cadres):,} cadres", started)
    return qualification_id, work_id


if __name__ == "__main__":
    main()

"""Import benchmark (PostgreSQL): rows per second and peak memory of three ways to load cadres.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_bench \\
        .venv/bin/python bench/import_bench.py [--rows 100000] [--stock-rows 5000] [--repeat 1]

The database named in DATABASE_URL is created if missing, migrated and emptied of cadres: use
a throwaway one. Each measurement runs in its own process, so that its peak memory (ru_maxrss,
which includes Python and Django themselves, about 60 MB) is its own:

1. stock: a django-import-export ModelResource with default settings (fields by name, related
   rows by primary key, ISO dates: the only file it can read), one ``import_data`` call;
2. project: ``core.imports.engine`` on a realistic Vietnamese file (labels, variants, d/m/yyyy,
   lost leading zeros, pre-merger unit names), read, validated and written in bulk;
3. copy: PostgreSQL COPY into a staging table and ``INSERT ... ON CONFLICT (cccd) DO UPDATE``
   from the same file as the stock one: the floor, with no validation at all;
4. project again on the same file: a re-import that changes nothing.

With ``--choices`` the project's file is one whose layout and values need the preview's choices,
made beforehand as a user would have made them once: its ethnicity column has a header no alias
knows ("Thành phần dân tộc", read through a saved ``ImportProfile``) and one row in ten names
its unit as "UBND <unit>" (read through a saved ``ValueAlias`` per unit): the mapping and the
reconciliation, which must cost per distinct value, not per row.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/import_bench"

SURNAMES = ["Nông", "Hoàng", "Lý", "Vi", "Lương", "Hứa", "Chu", "Nguyễn", "Trần", "Lộc", "Mã"]
MIDDLE = {"male": ["Văn", "Đức", "Thanh", "Minh"], "female": ["Thị", "Thu", "Thanh", "Ngọc"]}
GIVEN = ["Hải", "Lan", "Đức", "Hường", "Tuấn", "Hoa", "Quân", "Mai", "Sơn", "Thảo", "Bình"]
ETHNICITY_VARIANTS = {"02": ["Tày", "TÀY", "Tay"], "06": ["Nùng", "nùng"], "01": ["Kinh"]}
CATEGORIES = ["Cán bộ", "Công chức", "Viên chức", "Người hoạt động không chuyên trách"]
JOBS = ["Bí thư Đảng ủy", "Chủ tịch UBND", "Công chức Tư pháp - Hộ tịch", "Giáo viên", ""]


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(rows: int, workdir: Path, choices: bool = False) -> dict:
    """Migrate, load the Lộc Bình units, write the two files of ``rows`` people."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cadres.choices import UnitKind
    from cadres.models import Ethnicity, Unit
    from cadres.units import LOC_BINH_UNITS, load_units

    if not Unit.objects.filter(code="188").exists():
        province = Unit.objects.create(name="Tỉnh Lạng Sơn", kind=UnitKind.PROVINCE, code="20")
        load_units(LOC_BINH_UNITS, root=province)
    units = list(Unit.objects.filter(kind__in=Unit.COMMUNE_KINDS))
    ethnic_ids = dict(Ethnicity.objects.values_list("code", "pk"))
    rng = random.Random(2025)
    project_file, stock_file = workdir / "cadres.csv", workdir / "cadres_stock.csv"
    today = date(2026, 1, 1)
    with (
        project_file.open("w", encoding="utf-8-sig", newline="") as project,
        stock_file.open("w", encoding="utf-8", newline="") as stock,
    ):
        ours, theirs = csv.writer(project), csv.writer(stock)
        ethnicity_header = "Thành phần dân tộc" if choices else "Dân tộc"
        ours.writerow(
            ["STT", "Họ và tên", "Ngày sinh", "Giới tính", ethnicity_header, "Số CCCD"]
            + ["Đối tượng", "Đơn vị công tác", "Chức vụ", "Điện thoại", "Ngày vào Đảng"]
            + ["Quê quán"]
        )
        theirs.writerow(
            ["full_name", "birth_date", "gender", "ethnicity", "cccd", "category", "unit"]
            + ["job_title", "phone", "party_join_date", "home_town"]
        )
        for number in range(1, rows + 1):
            gender = rng.choice(["male", "female"])
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN)}"
            born = today - timedelta(days=rng.randint(20 * 365, 58 * 365))
            code = rng.choice(list(ETHNICITY_VARIANTS))
            cccd = f"0{20 + number % 2:02d}{born.year % 100:02d}{number:07d}"[:12].rjust(12, "0")
            category = rng.randrange(len(CATEGORIES))
            unit = rng.choice(units)
            job = rng.choice(JOBS)
            phone = f"09{rng.randint(10_000_000, 99_999_999)}"
            party = born + timedelta(days=rng.randint(19 * 365, 30 * 365))
            party = party if party < today and rng.random() < 0.6 else None
            town = f"Xã {rng.choice(['Tú Đoạn', 'Khánh Xuân', 'Yên Khoái'])}, Lộc Bình, Lạng Sơn"
            ours.writerow(
                [
                    number,
                    name,
                    born.strftime("%-d/%-m/%Y"),
                    "Nam" if gender == "male" else "Nữ",
                    rng.choice(ETHNICITY_VARIANTS[code]),
                    cccd.lstrip("0") if number % 7 == 0 else cccd,  # Excel lost the zero
                    CATEGORIES[category],
                    f"UBND {unit.name}"
                    if choices and number % 10 == 0  # read through a saved alias
                    else unit.name
                    if number % 3
                    else unit.name.removeprefix("Xã "),  # without "Xã"
                    job,
                    phone,
                    party.strftime("%d/%m/%Y") if party else "",
                    town,
                ]
            )
            theirs.writerow(
                [
                    name,
                    born.isoformat(),
                    gender,
                    ethnic_ids[code],
                    cccd,
                    ["can_bo", "cong_chuc", "vien_chuc", "khong_chuyen_trach"][category],
                    unit.pk,
                    job,
                    phone,
                    party.isoformat() if party else "",
                    town,
                ]
            )
    if choices:
        save_choices(units, ours_headers(project_file))
    return {"project": str(project_file), "stock": str(stock_file)}


def ours_headers(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def save_choices(units, headers: list[str]) -> None:
    """What a user chose once in a preview of this layout: the column mapping and the units'
    other name."""
    from core.imports.engine import header_signature
    from core.imports.widgets import save_alias
    from core.models import ImportProfile
    from core.text import fold

    ImportProfile.objects.update_or_create(
        model="cadres.cadre",
        signature=header_signature(headers),
        defaults={"headers": headers, "mapping": {fold("Thành phần dân tộc"): "ethnicity"}},
    )
    for unit in units:
        save_alias(type(unit), f"UBND {unit.name}", unit)


def empty_register() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cadres_cadre CASCADE")
        cursor.execute("DELETE FROM cadres_importbatch")


def run_stock(path: str, rows: int) -> int:
    import tablib
    from import_export import resources

    from cadres.models import Cadre

    class StockCadreResource(resources.ModelResource):
        class Meta:
            model = Cadre
            import_id_fields = ["cccd"]

    with open(path, encoding="utf-8") as f:
        lines = [next(f) for _ in range(rows + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    result = StockCadreResource().import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(
            f"stock import failed: {result.invalid_rows[:1] or result.row_errors()[:1]}"
        )
    return len(dataset)


def run_project(path: str) -> int:
    from cadres.resources import CadreResource
    from core.imports.engine import read_file, run_import

    data = Path(path).read_bytes()
    res = CadreResource()
    report = run_import(res, read_file(data, path, res, limits=False), write=True)
    if report.rejected_count:
        raise SystemExit(f"project import rejected rows: {report.rejected[:3]}")
    del data
    return report.total


def run_copy(path: str) -> int:
    from django.db import connection, transaction

    columns = "full_name, birth_date, gender, ethnicity_id, cccd, category, unit_id, job_title, "
    columns += "phone, party_join_date, home_town"
    blank = [
        "other_names", "place_of_birth", "permanent_residence", "current_residence",
        "family_origin", "occupation_before", "recruiting_agency", "mass_organisation",
        "military_rank", "main_duty", "strengths", "party_position", "academic_title",
        "professional_major", "civil_service_rank", "civil_service_rank_code", "health",
        "blood_type", "honours", "war_invalid", "personal_history", "foreign_relations",
        "economic_situation", "notes", "email", "standing", "photo",
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE staging (full_name text, birth_date date, gender text, "
            "ethnicity_id bigint, cccd text, category text, unit_id bigint, job_title text, "
            "phone text, party_join_date date, home_town text) ON COMMIT DROP"
        )
        with (
            open(path, "rb") as f,
            cursor.copy(
                "COPY staging FROM STDIN WITH (FORMAT csv, HEADER true, "
                "FORCE_NOT_NULL (full_name, gender, cccd, category, job_title, phone, home_town))"
            ) as copy,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        updates = ", ".join(f"{c.strip()} = EXCLUDED.{c.strip()}" for c in columns.split(","))
        cursor.execute(
            f"INSERT INTO cadres_cadre ({columns}, {', '.join(blank)}, key_cadre, search_name, "
            "created_at, updated_at) "
            f"SELECT {columns}, {', '.join(repr('') for _ in blank)}, false, "
            "lower(unaccent(full_name)), now(), now() FROM staging "
            f"ON CONFLICT (cccd) DO UPDATE SET {updates}, updated_at = now()"
        )
        cursor.execute("SELECT count(*) FROM staging")
        return cursor.fetchone()[0]


def child(mode: str, files: dict, rows: int) -> None:
    """One measurement in this process; prints a JSON line."""
    setup_django()
    if mode != "project-again":
        empty_register()
    backend = backend_cpu()
    started = time.perf_counter()
    if mode == "stock":
        count = run_stock(files["stock"], rows)
    elif mode == "copy":
        count = run_copy(files["stock"])
    else:
        count = run_project(files["project"])
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "mode": mode,
        "rows": count,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "python_cpu": usage.ru_utime + usage.ru_stime,  # setup included: about 1 s
        "pg_cpu": backend_cpu() - backend,
        "load": os.getloadavg()[0],
    }
    print(json.dumps(result))


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (a server on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(mode: str, files: dict, rows: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--files", json.dumps(files)]
        + ["--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rate"] = result["rows"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--stock-rows", type=int, default=5_000)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run every path this many times, in turn, and keep each one's fastest run "
        "(on a machine shared with other jobs, the fastest run is the least disturbed)",
    )
    parser.add_argument(
        "--choices",
        action="store_true",
        help="a file read through a saved column mapping and unit aliases (see above)",
    )
    parser.add_argument("--child")
    parser.add_argument("--files")
    args = parser.parse_args()
    if args.child:
        child(args.child, json.loads(args.files), args.rows)
        return
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
    ensure_database(url)
    setup_django()
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    files = prepare(args.rows, workdir, choices=args.choices)
    results: dict[str, dict] = {}
    for _ in range(args.repeat):
        for mode in ("stock", "project", "project-again", "copy"):
            run = measure(mode, files, args.stock_rows if mode == "stock" else args.rows)
            if mode not in results or run["rate"] > results[mode]["rate"]:
                results[mode] = run
    labels = {
        "stock": "stock ModelResource (defaults)",
        "project": "this project's import",
        "project-again": "this project, re-import unchanged",
        "copy": "COPY + INSERT ... ON CONFLICT",
    }
    print(
        f"{'path':40} {'rows':>8} {'seconds':>9} {'rows/s':>9} {'peak MB':>8} "
        f"{'Python CPU s':>12} {'PG CPU s':>9} {'load':>5}"
    )
    for mode, r in results.items():
        print(
            f"{labels[mode]:40} {r['rows']:>8} {r['seconds']:>9.1f} {r['rate']:>9.0f} "
            f"{r['peak_mb']:>8.0f} {r['python_cpu']:>12.1f} {r['pg_cpu']:>9.1f} {r['load']:>5.1f}"
        )
    ours, stock, floor = results["project"], results["stock"], results["copy"]
    print(f"project / stock speed: {ours['rate'] / stock['rate']:.1f}x (target >= 10x)")
    print(f"COPY / project speed: {floor['rate'] / ours['rate']:.1f}x (target <= 3x)")
    again = results["project-again"]["rate"] / ours["rate"]
    print(f"re-import unchanged / first import speed: {again:.2f}")


if __name__ == "__main__":
    main()

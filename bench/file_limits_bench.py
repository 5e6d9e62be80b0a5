"""Crafted and oversized files (issue 16): peak memory and time, each in its own process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/file_limits \\
        .venv/bin/python bench/file_limits_bench.py [--only far-corner,zip-bomb,...]

The database must exist (`createdb -h 127.0.0.1 -U postgres file_limits`); it is migrated and
nothing is written to it (the command runs
with ``--dry-run``). For each file two paths are measured in a fresh process, so that the peak
(VmHWM, which includes Python and Django) is the path's own:

- admin: what the import page does with an upload, ``core.imports.engine.read_file`` with the
  admin's limits (size, IMPORT_MAX_ROWS); a refusal is the expected outcome for the big files;
- command: ``manage.py import_cadres FILE --dry-run``, which has no row limit and streams.

Target: every file peaks under 600 MB and no process dies (a refusal with a reason is fine).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import crafted_files  # noqa: E402

FILES = {
    "far-corner": (
        "far_corner.xlsx",
        lambda path: path.write_bytes(crafted_files.far_corner_xlsx()),
    ),
    "zip-bomb": ("zip_bomb.xlsx", lambda path: path.write_bytes(crafted_files.zip_bomb_xlsx())),
    "xlsx-300k": ("rows_300k.xlsx", lambda path: crafted_files.cadres_xlsx(path, 300_000)),
    "csv-900k": ("rows_900k.csv", lambda path: crafted_files.cadres_csv(path, 900_000)),
    "csv-19mb": ("wide_19mb.csv", lambda path: crafted_files.cadres_csv(path, 60_000, width=20)),
}


def child(path_kind: str, file: str) -> None:
    """One measurement in this process; prints a JSON line."""
    from bench._setup import setup_django

    setup_django()
    from django.core.management import call_command

    from cadres.resources import CadreResource
    from core.imports.engine import read_file

    started = time.perf_counter()
    try:
        if path_kind == "admin":
            table = read_file(Path(file).read_bytes(), Path(file).name, CadreResource())
            outcome = f"read {len(table.rows):,} rows"
        else:
            call_command("import_cadres", file, "--dry-run", stdout=sys.stderr)
            outcome = "read and checked every row"
    except Exception as error:  # a refusal is an outcome here, reported with its reason
        outcome = f"refused: {str(error)[:140]}"
    except SystemExit as exit:  # the command's exit status when rows were rejected
        outcome = f"exit {exit.code}, see the command's summary line"
    seconds = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "outcome": outcome}))


def peak_rss_mb() -> float:
    """This process's resident high-water mark (VmHWM). Not ru_maxrss: Linux carries that over
    from the parent across fork and exec, so a child would report the parent's peak."""
    status = Path("/proc/self/status").read_text()
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        / 1024
    )


def measure(path_kind: str, file: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", path_kind, str(file)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return {"seconds": 0, "peak_mb": 0, "outcome": f"PROCESS DIED (exit {done.returncode})"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FILES), help="comma-separated file names")
    parser.add_argument("--child", nargs=2, metavar=("PATH", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from bench._setup import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)  # the rows name "Tú Đoạn": checked, not refused
    print("| file | size | path | seconds | peak MB | outcome |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        for name in args.only.split(","):
            filename, build = FILES[name]
            path = Path(workdir) / filename
            build(path)
            size = f"{path.stat().st_size / 1_048_576:.1f} MB"
            for path_kind in ("admin", "command"):
                result = measure(path_kind, path)
                print(
                    f"| {name} | {size} | {path_kind} | {result['seconds']:.1f} "
                    f"| {result['peak_mb']:.0f} | {result['outcome']} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()

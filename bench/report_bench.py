"""Every registered report at scale: time, query count and the xlsx export, against 500 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python bench/report_bench.py --repeat 5

Run after ``bench/scale_data.py`` (with its training and planning rows). Each report of
``core.reports.all_reports()`` is computed as ``manage.py report`` computes it
(``Report.run(data, today)``, for a user who sees everything), in three cases: its default
filters (the year of ``--today`` up to that day), the three demo years 2022-2024, and those
years for one district (where the report has a unit filter). For each: median and p95 of
``--repeat`` cold runs after one warm-up (the cache of report figures emptied before each: the
figures computed), the p95 of as many warm runs (opened again: the figures read from that
cache), the SQL queries of one cold run and the slowest of them;
then the xlsx export of the 2022-2024 result, once. A report whose p95 is over the target has
its slowest queries printed with EXPLAIN ANALYZE. Prints figures, the target and ratios; it
passes or fails nothing.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup_django  # noqa: E402

setup_django()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cadres.choices import UnitKind  # noqa: E402
from cadres.models import Cadre, Unit  # noqa: E402
from core import reports  # noqa: E402
from core.reports import export  # noqa: E402

TARGET_MS = 500  # p95, issue 20 (issue 9 asked for 2 s)
YEARS = {"date_from": "2022-01-01", "date_to": "2024-12-31"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(report, data: dict, today: date):
    """What the screen and the command compute: the result and its table."""
    result = report.run(data, today=today)
    if not result.filterset.is_valid():
        raise SystemExit(f"{report.name} {data}: {result.filterset.errors.as_text()}")
    result.table()
    return result


def measure(report, data: dict, today: date, repeat: int) -> dict:
    """Cold runs (the cache of report figures emptied first: what the first user to open a
    report with these filters on a day waits) and warm runs (opened again, or exported after
    the screen: the figures cached, nothing written since)."""
    run(report, data, today)
    cold, warm = [], []
    for _ in range(repeat):
        cache.clear()
        started = time.perf_counter()
        run(report, data, today)
        cold.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        run(report, data, today)
        warm.append((time.perf_counter() - started) * 1000)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        result = run(report, data, today)
    captured = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    return {
        "median": statistics.median(cold),
        "p95": percentile(cold, 0.95),
        "warm": percentile(warm, 0.95),
        "queries": len(captured),
        "slowest": captured[:3],
        "rows": len(result.rows),
        "result": result,
    }


def cases(report, district: Unit) -> list[tuple[str, dict]]:
    filters = report.filterset_class.base_filters
    chosen = [("default", {}), ("2022-2024", dict(YEARS))]
    if "unit" in filters:
        chosen.append(("2022-2024, one district", YEARS | {"unit": district.pk}))
    return chosen


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date(2024, 12, 31),
        help="the day the reports are made (default: the last day of the generated years)",
    )
    parser.add_argument("--only", help="names of reports, comma-separated")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()

    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    chosen = set(args.only.split(",")) if args.only else None
    print(
        f"{Cadre.objects.count():,} cadres, {Unit.objects.count():,} units; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; repeat {args.repeat}; "
        f"today {args.today}; district {district}; times in ms, noisy on a shared machine"
    )
    print(
        f"{'report':30} {'case':26} {'median':>7} {'p95':>7} {'warm':>5} {'target':>6} "
        f"{'p95/tgt':>7} {'queries':>7} {'slowest':>7} {'rows':>5} {'xlsx':>6}"
    )
    over = []
    for report in reports.all_reports():
        if chosen and report.name not in chosen:
            continue
        for label, data in cases(report, district):
            figures = measure(report, data, args.today, args.repeat)
            xlsx = ""
            if label == "2022-2024":
                started = time.perf_counter()
                export.export(figures["result"], "xlsx")
                xlsx = f"{(time.perf_counter() - started) * 1000:6.0f}"
            slowest = float(figures["slowest"][0]["time"]) * 1000 if figures["slowest"] else 0
            print(
                f"{report.name:30} {label:26} {figures['median']:7.0f} {figures['p95']:7.0f} "
                f"{figures['warm']:5.0f} "
                f"{TARGET_MS:6d} {figures['p95'] / TARGET_MS:7.2f} {figures['queries']:7d} "
                f"{slowest:7.0f} {figures['rows']:5d} {xlsx:>6}",
                flush=True,
            )
            if figures["p95"] > TARGET_MS:
                over.append((report.name, label, figures["slowest"]))

    if args.no_explain:
        return
    for name, label, slowest in over:
        for query in slowest:
            if float(query["time"]) * 1000 < 100:
                continue
            print(f"\n-- {name} ({label}): {float(query['time']) * 1000:.0f} ms\n{query['sql']}")
            print(explain(query["sql"]))


if __name__ == "__main__":
    main()

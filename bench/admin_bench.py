"""The cadre admin at scale: response times and query counts, against the stock configuration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python bench/admin_bench.py --repeat 20

Run after ``bench/scale_data.py``. Requests go through Django's test client as a logged-in
superuser (the whole stack: middleware, admin views, templates). For each page: median and p95
of ``--repeat`` timed requests (after two warm-up requests) and the number of SQL queries of one
request. The stock admin (bench_urls.StockCadreAdmin) answers the same questions in the same run.
Prints figures, targets and ratios; it passes or fails nothing. Finally EXPLAIN ANALYZE of the
search and filter queries, to show which indexes answer them.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches  # noqa: E402

from cadres.choices import Category, UnitKind  # noqa: E402
from cadres.models import Cadre, Unit  # noqa: E402
from core import dashboard  # noqa: E402

settings.ROOT_URLCONF = "bench_urls"
clear_url_caches()

OURS = "/admin/cadres/cadre/"
STOCK = "/stock/cadres/cadre/"
NAME = "nong thanh hai"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(client: Client, url: str, params: dict, repeat: int, cold: bool = False) -> dict:
    """Wall and CPU time (this process: the whole Django side; PostgreSQL's CPU is not in it)
    of ``repeat`` requests; ``cold`` empties the cache before each (the dashboard's figures)."""
    for _ in range(2):
        response = client.get(url, params)
    if response.status_code != 200:
        return {"status": response.status_code}
    times, cpu = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return {
        "status": 200,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu": statistics.median(cpu),
        "queries": len(queries),
        "slowest_sql": max((float(q["time"]) * 1000 for q in queries.captured_queries), default=0),
    }


def explain(label: str, queryset) -> None:
    print(f"\n-- EXPLAIN ANALYZE: {label}")
    print(queryset.explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--stock-repeat", type=int, default=5)
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()

    user = get_user_model().objects.filter(username="bench").first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", password="bench-password-9")
    client = Client()
    client.force_login(user)

    cadres = Cadre.objects.count()
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("pk").first()
    record = Cadre.objects.order_by("pk")[cadres // 2 : cadres // 2 + 1].get()
    cccd_part = record.cccd[-7:]
    cases = [
        ("list: page 1", OURS, {}, 200, args.repeat),
        ("list: district subtree + category", OURS,
         {"unit": district.pk, "category": Category.CIVIL_SERVANT}, 200, args.repeat),
        ("list: deep page ?p=5000", OURS, {"p": 5000}, 200, args.repeat),
        (f"search: name '{NAME}'", OURS, {"q": NAME}, 300, args.repeat),
        (f"search: CCCD part '{cccd_part}'", OURS, {"q": cccd_part}, 300, args.repeat),
        ("change page with inlines", f"{OURS}{record.pk}/change/", {}, 200, args.repeat),
        ("index: figures cached (warm)", "/admin/", {}, 50, args.repeat),
        ("index: cache emptied (cold)", "/admin/", {}, 300, args.repeat, True),
        *(
            (f"  panel {item.name} (cold)", f"/admin/dashboard/{item.name}/", {}, 300,
             args.repeat, True)
            for item in dashboard.discover() if item.deferred and item.show is None
        ),
        ("report: ty-le-trinh-do (HTML)", "/admin/reports/ty-le-trinh-do/", {}, 500,
         args.repeat),
        ("stock: change page, stock inlines", f"{STOCK}{record.pk}/change/", {}, None,
         args.stock_repeat),
        ("stock: index (app list only)", "/stock/", {}, None, args.stock_repeat),
        ("stock: page 1", STOCK, {}, None, args.stock_repeat),
        ("stock: deep page ?p=5000", STOCK, {"p": 5000}, None, args.stock_repeat),
        (f"stock: search '{record.full_name}'", STOCK, {"q": record.full_name}, None,
         args.stock_repeat),
        (f"stock: search '{NAME}' (finds nothing)", STOCK, {"q": NAME}, None, args.stock_repeat),
    ]  # fmt: skip
    print(
        f"{cadres:,} cadres, {Unit.objects.count():,} units; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; repeat {args.repeat} "
        f"(stock {args.stock_repeat}); times in ms, noisy on a shared machine"
    )
    header = (
        f"{'page':48} {'median':>8} {'p95':>8} {'target':>7} {'p95/target':>10} {'queries':>8}"
        f" {'CPU ms':>7}"
    )
    print(header)
    results = {}
    for label, url, params, target, repeat, *cold in cases:
        result = measure(client, url, params, repeat, cold=bool(cold))
        results[label] = result
        if result["status"] != 200:
            print(f"{label:48} HTTP {result['status']}")
            continue
        ratio = f"{result['p95'] / target:.2f}" if target else "-"
        print(
            f"{label:48} {result['median']:8.0f} {result['p95']:8.0f} {target or '-':>7} "
            f"{ratio:>10} {result['queries']:8d} {result['cpu']:7.0f}",
            flush=True,
        )
    print("\nStock / ours (median):")
    for stock, ours in (
        ("stock: page 1", "list: page 1"),
        ("stock: deep page ?p=5000", "list: deep page ?p=5000"),
        (f"stock: search '{record.full_name}'", f"search: name '{NAME}'"),
        ("stock: change page, stock inlines", "change page with inlines"),
        ("stock: index (app list only)", "index: figures cached (warm)"),
    ):
        if results[stock].get("median") and results[ours].get("median"):
            print(f"  {stock:46} {results[stock]['median'] / results[ours]['median']:6.1f}x")

    if args.no_explain:
        return
    order = Cadre._meta.ordering
    explain(f"name search '{NAME}', page 1", Cadre.objects.search(NAME).order_by(*order)[:50])
    explain(
        f"name search '{NAME}', bounded count",
        Cadre.objects.search(NAME).order_by().values("pk")[:10001],
    )
    explain(f"CCCD search '{cccd_part}'", Cadre.objects.search(cccd_part).order_by(*order)[:50])
    explain(
        "district subtree + category, page 1",
        Cadre.objects.in_unit(district)
        .filter(category=Category.CIVIL_SERVANT)
        .select_related("ethnicity", "unit", "professional_level", "political_theory_level")
        .order_by(*order)[:50],
    )
    explain("deep page keys", Cadre.objects.order_by(*order).values("pk")[249950:250000])


if __name__ == "__main__":
    main()

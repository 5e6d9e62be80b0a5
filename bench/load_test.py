"""Load test: logged-in staff browsing, searching, opening and editing cadres on a real server.

    # 1. serve the 1M database (see README, "Triển khai"), e.g. on 127.0.0.1:8001, with the
    #    benchmarks' settings (bench/_setup.py: the sessions made here are signed with its key):
    #    collectstatic, then SECRET_KEY=benchmark-only-not-a-secret SECURE_SSL_REDIRECT=0
    #    ALLOWED_HOSTS=127.0.0.1 gunicorn config.wsgi --bind 127.0.0.1:8001 --workers 3 \
    #    --threads 4 --worker-class gthread
    # 2. then:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python bench/load_test.py --url http://127.0.0.1:8001 --users 10 50 100 \\
        --duration 60

A small thread-per-user generator on the standard library (http.client with keep-alive), not
locust: locust 2.47 would add 29 packages (gevent, pyzmq, Flask, socketio...) to the project's
single requirements file for one script. Each virtual user is a staff account with its own
session, created directly in the database beforehand (a browser login costs a PBKDF2 hash of
about a third of a second of server CPU; 100 of them would measure the login, not the work).
Each user loops: pick an action by weight, request it, think 0.5-2 s. Every level runs for
``--duration`` seconds (bounded in users and time) and prints throughput, median, p95 and
errors, overall and per action, and the CPU the server spent per request: the gunicorn workers'
and PostgreSQL's, read from /proc for the processes whose command line names them (run it on
the server's machine; a backend that exits during a level is not counted). Figures only, no
pass/fail.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import setup_django  # noqa: E402

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from cadres.choices import Category, Level  # noqa: E402
from cadres.models import Cadre, Unit  # noqa: E402

LIST = "/admin/cadres/cadre/"
NAMES = ["nong thanh hai", "nguyen van hung", "hoang thi lan", "tran minh", "ha thu trang",
         "luong van", "vi thi hoa", "pham duc long", "le ngoc", "trieu van thang"]  # fmt: skip
# The admin index (after login, and the way back to the menu) and the qualification shares
# report join the record work; the index's costly panels come as fragments after the page
# ("dashboard panel", one request each, as dashboard.js fetches them).
WEIGHTS = {"list": 22, "filtered list": 13, "name search": 18, "cccd search": 9,
           "open record": 22, "save edit": 5, "index": 8, "report": 3}  # fmt: skip
FRAGMENT = re.compile(r'data-fragment="([^"]+)"')
INLINES = ["appointments", "work_history", "qualifications", "salary_steps", "evaluations",
           "rewards", "disciplines", "family_relations"]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def server_cpu() -> dict[tuple[str, int], float]:
    """CPU seconds so far of each gunicorn and PostgreSQL process, by (kind, pid)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_bytes()
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = "postgres" if cmdline.startswith(b"postgres: ") else "gunicorn"
        if kind == "postgres" or b"gunicorn" in cmdline:
            found[(kind, int(stat.parent.name))] = (int(fields[11]) + int(fields[12])) / tick
    return found


def staff_sessions(count: int) -> list[str]:
    """Session keys of ``count`` staff superusers (created once, without a password hash)."""
    User = get_user_model()
    keys = []
    for n in range(count):
        user = User.objects.filter(username=f"load{n}").first()
        if user is None:
            user = User(username=f"load{n}", is_staff=True, is_superuser=True)
            user.set_unusable_password()
            user.save()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def edit_bodies(rng: random.Random, count: int) -> list[tuple[int, dict]]:
    """POST data of the cadre change form for ``count`` cadres, built from the admin's form."""
    model_admin = admin.site._registry[Cadre]
    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="load0")
    form_class = model_admin.get_form(request, obj=None, change=True)
    total = Cadre.objects.count()
    bodies = []
    for pk in rng.sample(range(1, total + 1), count):
        cadre = Cadre.objects.get(pk=pk)
        form = form_class(instance=cadre)
        data = {}
        for name, field in form.fields.items():
            value = form.initial.get(name)
            if value is None:
                continue
            data[name] = field.widget.format_value(value) if hasattr(value, "year") else value
        for field in ("birth_date", "recruitment_date", "work_start_date", "party_join_date",
                      "party_official_date", "cccd_issued_on"):  # fmt: skip
            value = getattr(cadre, field)
            if value:
                data[field] = value.strftime("%d/%m/%Y")
        for prefix in INLINES:
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        bodies.append((pk, data))
    return bodies


class User(threading.Thread):
    def __init__(self, host, port, session_key, plan, stop_at, results, seed):
        super().__init__(daemon=True)
        self.host, self.port = host, port
        self.csrf = secrets.token_hex(16)  # an unmasked 32-character secret: Django accepts it
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"
        self.plan, self.stop_at, self.results = plan, stop_at, results
        self.rng = random.Random(seed)
        self.connection = None
        self.body = b""

    def request(self, method, path, body=None):
        headers = {"Cookie": self.cookie, "Host": f"{self.host}:{self.port}"}
        if body is not None:
            body = urlencode({**body, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                self.body = response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    return 0
        return 0

    def run(self):
        actions, weights = list(WEIGHTS), list(WEIGHTS.values())
        plan, rng = self.plan, self.rng
        while time.monotonic() < self.stop_at:
            action = rng.choices(actions, weights)[0]
            method, body = "GET", None
            if action == "list":
                path = f"{LIST}?p={rng.randint(1, 200)}"
            elif action == "filtered list":
                query = {"unit": rng.choice(plan["communes"]), "category": rng.choice(plan["cats"])}
                path = f"{LIST}?{urlencode(query)}"
            elif action == "name search":
                path = f"{LIST}?{urlencode({'q': rng.choice(NAMES)})}"
            elif action == "cccd search":
                path = f"{LIST}?{urlencode({'q': f'{rng.randint(0, 999999):06d}'})}"
            elif action == "index":
                path = "/admin/"
            elif action == "report":
                path = "/admin/reports/ty-le-trinh-do/"
            elif action == "open record":
                path = f"{LIST}{rng.randint(1, plan['cadres'])}/change/"
            else:
                pk, data = rng.choice(plan["edits"])
                path, method = f"{LIST}{pk}/change/", "POST"
                body = {**data, "phone": f"09{rng.randint(10**7, 10**8 - 1)}"}
            started = time.perf_counter()
            status = self.request(method, path, body)
            elapsed = (time.perf_counter() - started) * 1000
            ok = status == 200 or (method == "POST" and status == 302)
            self.results.append((action, elapsed, ok, status))
            if action == "index" and ok:
                for url in FRAGMENT.findall(self.body.decode()):
                    started = time.perf_counter()
                    status = self.request("GET", url.replace("&amp;", "&"))
                    elapsed = (time.perf_counter() - started) * 1000
                    self.results.append(("dashboard panel", elapsed, status == 200, status))
            time.sleep(rng.uniform(0.5, 2.0))


def run_level(url, users, duration, sessions, plan) -> None:
    parts = urlsplit(url)
    results: list = []
    stop_at = time.monotonic() + duration
    threads = [
        User(parts.hostname, parts.port or 80, sessions[n], plan, stop_at, results, seed=n)
        for n in range(users)
    ]
    cpu_before = server_cpu()
    started = time.monotonic()
    for thread in threads:
        thread.start()
        time.sleep(min(0.05, duration / 20 / users))  # a short ramp-up
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    cpu_spent = defaultdict(float)
    for (kind, pid), seconds in server_cpu().items():
        cpu_spent[kind] += seconds - cpu_before.get((kind, pid), 0)
    times = [r[1] for r in results]
    errors = [r for r in results if not r[2]]
    statuses = sorted({r[3] for r in errors})
    print(
        f"\n{users} users, {wall:.0f} s: {len(results)} requests, {len(results) / wall:.1f} req/s, "
        f"median {statistics.median(times):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
        f"errors {len(errors)}{f' (status {statuses})' if statuses else ''}"
    )
    print(
        f"  server CPU per request: gunicorn {cpu_spent['gunicorn'] * 1000 / len(results):.0f} ms,"
        f" PostgreSQL {cpu_spent['postgres'] * 1000 / len(results):.0f} ms"
        f" ({cpu_spent['gunicorn'] + cpu_spent['postgres']:.1f} CPU s in {wall:.0f} s)"
    )
    by_action = defaultdict(list)
    for action, elapsed, _, _ in results:
        by_action[action].append(elapsed)
    for action in [*WEIGHTS, "dashboard panel"]:
        values = by_action.get(action, [])
        if values:
            print(
                f"  {action:14} {len(values):6d} req  median {statistics.median(values):6.0f} ms"
                f"  p95 {percentile(values, 0.95):6.0f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 100])
    parser.add_argument("--duration", type=int, default=60, help="seconds per level")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sessions = staff_sessions(max(args.users))
    plan = {
        "cadres": Cadre.objects.count(),
        "communes": list(
            Unit.objects.filter(level=Level.COMMUNE).values_list("pk", flat=True)[:500]
        ),
        "cats": list(Category.values),
        "edits": edit_bodies(rng, 200),
    }
    print(
        f"{plan['cadres']:,} cadres; server {args.url}; mix {WEIGHTS}; think time 0.5-2 s; "
        f"{args.duration} s per level; DEBUG={settings.DEBUG} here (the server has its own)"
    )
    for users in args.users:
        run_level(args.url, users, args.duration, sessions, plan)


if __name__ == "__main__":
    main()

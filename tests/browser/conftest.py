"""Browser tests: Playwright drives Debian's Chromium against the project served by live_server.

How to add a flow: a test in ``tests/browser/test_<flow>.py``, marked ``@pytest.mark.browser``,
that takes ``page`` (a fresh Chromium tab whose relative URLs go to the live server), builds its
data with the factories, calls ``log_in(user)`` to pass the real login form, asserts what the user
sees, and ends with ``screenshot(page)``, which saves ``tests/browser/screenshots/<test name>.png``
(``screenshot(page, "step")`` saves ``<test name>-step.png`` on the way). That folder is ignored
by git; the README's pictures in ``docs/screenshots/`` are refreshed only on demand, by
``python3 run.py screenshots`` (``README_SCREENSHOTS=1``): then a screenshot that README.md shows
is also written there.
"""

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
# The superuser fixture's password (tests/conftest.py).
PASSWORD = "Mật-khẩu-dài-123"
# Short enough that a broken flow fails quickly at a desk; on CI, where two test processes, the
# live server and Chromium share two cores with other jobs, a page has taken more than 10 s.
TIMEOUT_MS = 30_000 if os.environ.get("CI") == "true" else 10_000


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or os.environ.get("REQUIRE_BROWSER"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found: apt-get install -y chromium")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One headless Chromium per session; Playwright gives it a fresh temporary profile."""
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls here; the calls the tests make between browser steps are synchronous
    # and safe, so allow them while the browser lives.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_locale() -> str:
    """The browser's language; a test may parametrize it (``en-US`` for the date format)."""
    return "vi-VN"


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback, page_locale) -> Iterator:
    """A new tab in a new context (no cookies) against the live server and a fresh database.

    live_server makes the test transactional: the server thread must see the test's rows.
    Serialized rollback restores the reference data loaded by migrations (ethnicities,
    qualification levels) that the flush after each transactional test would otherwise remove.
    """
    # The flush after the previous transactional test also emptied the other apps' seeded lists
    # (programmes, institutions, repayment cases, commune duties, planning rule sets);
    # tests/conftest.py restores only cadres'.
    from importlib import import_module

    from django.apps import apps

    import_module("training.migrations.0002_seed_programmes_institutions_rules").load(apps, None)
    import_module("training.migrations.0008_seed_repayment_cases").load(apps, None)
    import_module("training.migrations.0015_seed_commune_duties").load(apps, None)
    import_module("planning.migrations.0002_seed_rule_sets").seed(apps, None)
    context = browser.new_context(
        base_url=live_server.url,
        locale=page_locale,
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def planned_secretary(db) -> SimpleNamespace:
    """A commune cadre in the pool for the commune's party secretary, a post that asks for
    trung cấp LLCT they do not hold (the training flows start from this gap)."""
    from tests.factories import CadreFactory, PositionFactory, UnitFactory, level
    from tests.planning.factories import (
        PlanningDecisionFactory,
        PlanningEntryFactory,
        PositionStandardFactory,
    )

    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    commune = UnitFactory(name="Xã Tú Đoạn", parent=district)
    secretary = PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=90),
        political_theory_level=level("LLCT_TRUNG_CAP"),
    ).position
    cadre = CadreFactory(
        full_name="Nông Văn Thắng",
        unit=commune,
        birth_date=date(1985, 3, 1),
        general_education=level("PT_12_12"),
    )
    PlanningEntryFactory(
        cadre=cadre,
        unit=commune,
        position=secretary,
        added_by=PlanningDecisionFactory(issued_on=date(2024, 6, 1)),
    )
    return SimpleNamespace(district=district, commune=commune, secretary=secretary, cadre=cadre)


@pytest.fixture
def log_in(page) -> Callable:
    """Log in through the real login form, as a user would."""

    def log_in(user, password: str = PASSWORD) -> None:
        page.goto("/admin/login/")
        page.get_by_label("Tên đăng nhập").fill(user.get_username())
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/admin/")

    return log_in


def shown_in_readme(name: str) -> bool:
    return f"docs/screenshots/{name}" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def screenshot(request) -> Callable:
    """Save the whole page as tests/browser/screenshots/<test name>[-<step>].png (ignored by
    git), and, with README_SCREENSHOTS=1, into docs/screenshots/ when the README shows it.
    Every flow calls it on its final page; ``step`` names an extra one on the way."""

    def screenshot(page, step: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{request.node.name}-{step}" if step else request.node.name
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        if os.environ.get("README_SCREENSHOTS") and shown_in_readme(path.name):
            README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (README_SCREENSHOTS / path.name).write_bytes(path.read_bytes())
        return path

    return screenshot


def page_width(page) -> int:
    """How wide the page's content is: more than the 1366 px window means a sideways scroll."""
    return page.evaluate("document.documentElement.scrollWidth")


def pick(page, field_id: str, text: str, option: str) -> None:
    """Choose in an admin autocomplete (select2): open it, type, click the option."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::span[1]").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option).first.click()

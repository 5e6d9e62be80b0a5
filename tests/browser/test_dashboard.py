"""The dashboard and the term matrix as the district's and a commune's staff see them on a
1366 px screen, on the demo district (the README's pictures)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cadres.models import Role, StaffAssignment, Unit
from cadres.roles import setup_roles
from planning.choices import TermLevel
from planning.models import PlanningTerm
from tests.browser.conftest import PASSWORD, page_width

pytestmark = pytest.mark.browser


def actor(django_user_model, username, role, unit=None):
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    StaffAssignment.objects.create(user=user, role=role, unit=unit)
    return user


def test_the_district_and_a_commune_see_their_dashboard_and_the_commune_its_pool(
    page, django_user_model, log_in, screenshot
):
    call_command("load_demo", stdout=io.StringIO())
    setup_roles()
    commune = Unit.objects.communes().active().order_by("name").first()
    specialist = actor(django_user_model, "chuyen_vien", Role.SPECIALIST)
    clerk = actor(django_user_model, "can_bo_xa", Role.COMMUNE, commune)

    log_in(specialist)
    expect(page.locator("div.dashboard .panel").first).to_be_visible()
    expect(page.locator("div.dashboard .loading")).to_have_count(0)
    assert page_width(page) <= 1366
    # A grid that uses the width: the first panels stand side by side, not in one column.
    first, second = (page.locator("div.dashboard > .panel").nth(i).bounding_box() for i in (0, 1))
    assert second["x"] > first["x"] + first["width"] - 1 and second["y"] == first["y"]
    screenshot(page, "district")

    page.context.clear_cookies()
    log_in(clerk)
    expect(page.locator("div.dashboard")).to_contain_text(commune.name)
    expect(page.locator("div.dashboard .loading")).to_have_count(0)
    assert page_width(page) <= 1366
    screenshot(page, "commune")

    term = PlanningTerm.objects.get(name="2025-2030", level=TermLevel.COMMUNE)
    page.goto(reverse("admin:planning_planningterm_change", args=[term.pk]))
    matrix = page.locator("table.pool-matrix")
    expect(matrix).to_contain_text(commune.name)
    assert page_width(page) <= 1366
    page.locator("#pool").scroll_into_view_if_needed()
    screenshot(page, "term")

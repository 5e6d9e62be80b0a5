from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cadres.choices import Gender
from planning.choices import EntryRole
from tests.browser.conftest import page_width
from tests.factories import CadreFactory, PositionFactory, UnitFactory, ethnicity, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.browser

PEOPLE = {
    "Xã Tú Đoạn": [
        ("Bí thư", "Hoàng Văn Đức", EntryRole.INCUMBENT, Gender.MALE, date(1971, 4, 2), "02"),
        ("Bí thư", "Lương Thị Mai", EntryRole.RESERVE, Gender.FEMALE, date(1995, 8, 9), "02"),
        ("Bí thư", "Nguyễn Văn Bình", EntryRole.RESERVE, Gender.MALE, date(1983, 1, 20), "01"),
        ("Chủ tịch", "Vi Văn Sơn", EntryRole.INCUMBENT, Gender.MALE, date(1975, 6, 30), "03"),
        ("Chủ tịch", "Hà Thị Lan", EntryRole.RESERVE, Gender.FEMALE, date(1986, 3, 3), "02"),
    ],
    "Xã Na Dương": [
        ("Bí thư", "Lăng Văn Tuấn", EntryRole.INCUMBENT, Gender.MALE, date(1968, 9, 1), "02"),
        ("Phó Bí thư", "Mã Thị Hoa", EntryRole.RESERVE, Gender.FEMALE, date(1988, 12, 5), "03"),
    ],
}


def test_a_planner_reads_the_pool_of_a_term_at_a_glance_on_its_page(
    page, superuser, log_in, screenshot
):
    positions = {
        "Bí thư": PositionStandardFactory(
            position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100),
            political_theory_level=level("LLCT_CAO_CAP"),
            state_management_level=level("QLNN_CHUYEN_VIEN_CHINH"),
        ).position,
        "Phó Bí thư": PositionFactory(title="Phó Bí thư Đảng ủy xã", is_key=True, rank=95),
        "Chủ tịch": PositionStandardFactory(
            position=PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=85),
            professional_level=level("CM_DAI_HOC"),
        ).position,
    }
    decision = PlanningDecisionFactory(number="125-QĐ/HU", issued_on=date(2024, 6, 1))
    for unit_name, people in PEOPLE.items():
        unit = UnitFactory(name=unit_name)
        for position, name, role, gender, born, ethnic in people:
            PlanningEntryFactory(
                added_by=decision,
                unit=unit,
                position=positions[position],
                role=role,
                cadre=CadreFactory(
                    full_name=name,
                    unit=unit,
                    gender=gender,
                    birth_date=born,
                    ethnicity=ethnicity(ethnic),
                ),
            )
    UnitFactory(name="Xã Khuất Xá")
    log_in(superuser)

    page.goto(reverse("admin:planning_planningterm_change", args=[decision.term_id]))
    matrix = page.locator("table.pool-matrix")
    row = matrix.locator("tr", has_text="Bí thư Đảng ủy xã").first
    expect(row).to_contain_text("Hoàng Văn Đức")
    expect(row).to_contain_text("thiếu: cao cấp LLCT")
    # Tú Đoạn has nobody for its deputy secretary, Na Dương nobody for its chair.
    expect(matrix.locator("tr.pool-gap")).to_have_count(2)
    expect(page.locator(".pool-without")).to_contain_text("Xã Khuất Xá")
    assert page_width(page) <= 1366
    page.locator("#pool").scroll_into_view_if_needed()
    screenshot(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng (xlsx, mẫu của tỉnh)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.locator("tr.pool-unit", has_text="Xã Na Dương").get_by_role("link", name="rà soát").click()
    expect(page.locator("h1")).to_contain_text("Rà soát quy hoạch hằng năm")
    expect(page.locator("#unit option[selected]")).to_have_text("Xã Na Dương")

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cadres.choices import Category, Gender, UnitKind
from tests.browser.conftest import page_width
from tests.factories import CadreFactory, QualificationFactory, UnitFactory, ethnicity, level

pytestmark = pytest.mark.browser

PEOPLE = [
    ("Hoàng Văn Đức", Gender.MALE, date(1971, 4, 2), Category.CADRE, "CM_DAI_HOC", "LLCT_CAO_CAP"),
    ("Lương Thị Mai", Gender.FEMALE, date(1995, 8, 9), Category.CIVIL_SERVANT, "CM_DAI_HOC", None),
    ("Nông Văn Bình", Gender.MALE, date(1983, 1, 20), Category.PART_TIME, "CM_TRUNG_CAP", None),
    ("Vi Thị Lan", Gender.FEMALE, date(1986, 3, 3), Category.PART_TIME, None, "LLCT_SO_CAP"),
    ("Lăng Văn Tuấn", Gender.MALE, date(1968, 9, 1), Category.CADRE, "CM_DAI_HOC", "LLCT_CAO_CAP"),
    ("Mã Thị Hoa", Gender.FEMALE, date(1990, 12, 5), Category.PUBLIC_EMPLOYEE, "CM_CAO_DANG", None),
    ("Hà Văn Sơn", Gender.MALE, date(1979, 6, 30), Category.PART_TIME, None, None),
    ("Chu Thị Thu", Gender.FEMALE, date(1975, 2, 14), Category.CIVIL_SERVANT, "CM_THAC_SI",
     "LLCT_TRUNG_CAP"),
]  # fmt: skip


def test_the_cadre_list_fits_a_1366_px_screen_with_short_labels_and_retirement_spans(
    page, superuser, log_in, screenshot
):
    units = [
        UnitFactory(name="Xã Tú Đoạn"),
        UnitFactory(name="Trường Phổ thông Dân tộc Nội trú Trung học cơ sở", kind=UnitKind.SCHOOL),
    ]
    for index, (name, gender, born, category, professional, political) in enumerate(PEOPLE):
        cadre = CadreFactory(
            full_name=name,
            gender=gender,
            birth_date=born,
            category=category,
            unit=units[index % 2],
            ethnicity=ethnicity(["02", "03", "01"][index % 3]),
        )
        for code in filter(None, [professional, political]):
            QualificationFactory(cadre=cadre, level=level(code))
    log_in(superuser)

    page.goto(reverse("admin:cadres_cadre_changelist"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(len(PEOPLE))
    part_time = rows.filter(has_text="Nông Văn Bình")
    expect(part_time).to_contain_text("Không chuyên trách")
    # One or two lines a row, where the full category label wrapped over five.
    assert part_time.bounding_box()["height"] < 80
    assert page_width(page) <= 1366
    # Every column in sight: the table is no wider than its box (no sideways scroll).
    assert page.evaluate(
        "document.querySelector('.results').scrollWidth"
        " <= document.querySelector('.results').clientWidth"
    )
    filters = page.locator("#changelist-filter")
    expect(filters).to_contain_text("Bởi năm nghỉ hưu")
    assert filters.locator("a[href*='retires=']").count() == 10
    screenshot(page)

    filters.get_by_role("link", name="2031–2035").click()
    expect(rows).to_have_count(2)  # born 1971 and 1975: retire in 2032 and 2035
    expect(filters.get_by_role("link", name="· 2033")).to_be_visible()

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cadres.models import Reward
from tests.factories import CadreFactory

pytestmark = pytest.mark.browser


def test_officer_finds_a_cadre_without_accents_adds_a_qualification_and_sees_the_level_change(
    page, superuser, cadre, log_in, screenshot
):
    CadreFactory(full_name="Nông Thị Hà", unit=cadre.unit)
    log_in(superuser)

    page.locator("#cadres-cadre").get_by_role("link", name="Hồ sơ cán bộ").click()
    page.locator("#searchbar").fill("nong thanh hai")
    page.get_by_role("button", name="Tìm kiếm").click()

    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    expect(page.locator("#changelist-filter")).to_contain_text("Bởi đơn vị")
    expect(page.get_by_text("Show counts")).to_have_count(0)  # no untranslated toggle
    results.get_by_role("link", name="Nông Thanh Hải").click()

    expect(page.get_by_role("heading", name="Nông Thanh Hải (17/05/1980)")).to_be_visible()
    expect(page.locator(".field-political_theory_level .readonly")).to_have_text("-")
    inline = page.locator("#qualifications-group")
    add_row = re.compile("Thêm một văn bằng, chứng chỉ", re.IGNORECASE)
    inline.get_by_role("button", name=add_row).click()
    row = inline.locator("tr.dynamic-qualifications").last
    row.locator("select[name$='-level']").select_option(label="Lý luận chính trị: Cao cấp")
    row.locator("input[name$='-institution']").fill("Học viện Chính trị khu vực I")
    row.locator("input[name$='-year_obtained']").fill("2022")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Nông Thanh Hải")
    level = page.locator(".field-political_theory_level")
    expect(level.locator("label")).to_have_text("Lý luận chính trị:")
    expect(level.locator(".readonly")).to_have_text("Cao cấp")
    # The record page links to nothing that leaves it or edits reference data by accident.
    expect(page.get_by_role("link", name="Xem trên trang web")).to_have_count(0)
    expect(page.locator("#delete_id_ethnicity, #change_id_ethnicity")).to_have_count(0)
    screenshot(page, "record")

    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lịch sử thay đổi: Nông Thanh Hải (17/05/1980)"
    )
    # The record's own versions (created, then saved by root) and, below, the 2C table rows.
    expect(page.locator("#change-history tbody tr")).to_have_count(2)
    entry = page.locator("#related-history tbody tr")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("root")
    expect(entry).to_contain_text("Lý luận chính trị: Cao cấp")
    expect(entry).to_contain_text("Tạo mới")
    screenshot(page)


def test_a_collapsed_table_opens_with_its_rows_takes_a_new_one_and_saves_with_the_page(
    page, superuser, cadre, log_in, screenshot
):
    Reward.objects.create(cadre=cadre, awarded_on=date(2023, 5, 19), form="Giấy khen Huyện ủy")
    log_in(superuser)
    page.goto(f"/admin/cadres/cadre/{cadre.pk}/change/")

    rewards = page.locator("#rewards-group")
    expect(rewards.locator("summary")).to_contain_text("Khen thưởng (1)")
    expect(page.locator("input[value='Giấy khen Huyện ủy']")).to_have_count(0)
    rewards.locator("summary").click()
    expect(page.locator("#rewards-group input[value='Giấy khen Huyện ủy']")).to_be_visible()
    page.locator("#rewards-group").get_by_role("button", name=re.compile("Thêm", re.I)).click()
    row = page.locator("#rewards-group tr.dynamic-rewards").last
    row.locator("input[name$='-awarded_on']").fill("02/09/2025")
    expect(row.locator(".datetimeshortcuts")).to_have_count(1)  # the admin's calendar
    row.locator("input[name$='-form']").fill("Bằng khen Tỉnh ủy")
    screenshot(page, "opened")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator("#rewards-group summary")).to_contain_text("Khen thưởng (2)")
    assert sorted(cadre.rewards.values_list("form", "awarded_on")) == [
        ("Bằng khen Tỉnh ủy", date(2025, 9, 2)),
        ("Giấy khen Huyện ủy", date(2023, 5, 19)),
    ]
    screenshot(page)

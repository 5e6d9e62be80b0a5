from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.cadres.report_data import build_district
from tests.factories import CadreFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page_locale", ["en-US"])
def test_dates_are_day_first_in_an_english_browser_on_records_and_report_filters(
    page, superuser, log_in, screenshot, page_locale
):
    build_district()
    cadre = CadreFactory(full_name="Nông Văn Tuấn", birth_date=date(1980, 5, 17))
    log_in(superuser)
    assert page.evaluate("navigator.language") == "en-US"

    page.goto(reverse("admin:cadres_cadre_change", args=[cadre.pk]))
    expect(page.locator("input[name=birth_date]")).to_have_value("17/05/1980")

    page.goto(reverse("reports:index"))
    page.get_by_role("link", name="Tỷ lệ", exact=False).first.click()
    date_to = page.locator("input[name=date_to]")
    expect(date_to).to_have_attribute("type", "text")
    # The admin's calendar: "Hôm nay" writes today day first, a picked day too.
    page.locator("input[name=date_to] ~ span a", has_text="Hôm nay").click()
    expect(date_to).to_have_value(f"{timezone.localdate():%d/%m/%Y}")
    date_to.fill("")
    page.locator("input[name=date_to] ~ span a:has(.date-icon)").click()
    calendar = page.locator(".calendarbox:visible")
    expect(calendar).to_contain_text("Tháng")
    calendar.get_by_role("link", name="15", exact=True).click()
    today = timezone.localdate()
    expect(date_to).to_have_value(f"15/{today:%m/%Y}")

    date_to.fill("30/06/2025")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#content-main")).to_contain_text("Tính đến ngày 30/06/2025")
    expect(page.locator("input[name=date_to]")).to_have_value("30/06/2025")
    screenshot(page)

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.cadres.report_data import build_district

pytestmark = pytest.mark.browser


def test_an_officer_follows_a_report_figure_to_its_records_and_downloads_the_files(
    page, superuser, log_in, screenshot
):
    people = build_district()
    log_in(superuser)

    page.goto(reverse("reports:index"))
    page.get_by_role("link", name="Tỷ lệ", exact=False).first.click()
    page.locator("input[name=date_to]").fill("30/06/2025")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page.locator("#content-main")).to_contain_text("Tính đến ngày 30/06/2025")
    row = page.locator(".report-table tbody tr", has_text="Công chức cấp huyện")
    figure = row.locator("a").first
    expect(figure).to_have_text("4")  # civil servants of the district on that day
    screenshot(page, "report")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    xlsx = download.value
    assert xlsx.suggested_filename.endswith(".xlsx")
    assert xlsx.path().read_bytes()[:2] == b"PK"

    figure.click()
    expect(page.locator("#result_list tbody tr")).to_have_count(4)  # the same four people

    page.goto(reverse("admin:cadres_cadre_change", args=[people["graduate"].pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="In 2C (PDF)").click()
    pdf = download.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert pdf.path().read_bytes()[:4] == b"%PDF"
    screenshot(page)

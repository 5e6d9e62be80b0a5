import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import pick
from tests.training.factories import NeedFactory, PlanFactory, PlanLineFactory

pytestmark = pytest.mark.browser


def test_an_officer_drafts_the_training_plan_dispatches_a_cadre_and_sees_readiness_change(
    page, superuser, planned_secretary, log_in, screenshot
):
    district, secretary = planned_secretary.district, planned_secretary.secretary
    cadre = planned_secretary.cadre
    NeedFactory(cadre=cadre, position=secretary)
    PlanLineFactory(plan=PlanFactory(unit=district, year=2025), quota=1, target=1)
    log_in(superuser)

    entries = reverse("admin:planning_planningentry_changelist")
    page.goto(entries)
    before = page.locator("#result_list tbody tr", has_text="Nông Văn Thắng")
    expect(before).to_contain_text("thiếu: trung cấp LLCT")

    page.goto(reverse("admin:training_trainingplan_changelist"))
    page.locator("#result_list tbody input.action-select").first.check()
    page.locator("select[name=action]").select_option(
        label="Lập dự thảo danh sách cử đi học từ nhu cầu đào tạo"
    )
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 suất trên giao")

    page.goto(reverse("admin:training_dispatch_add"))
    pick(page, "id_cadre", "nong van", "Nông Văn Thắng")
    pick(page, "id_programme", "trung cap", "Trung cấp lý luận chính trị")
    pick(page, "id_institution", "Hoàng Văn Thụ", "Trường Chính trị Hoàng Văn Thụ")
    page.locator("#id_decision_number").fill("125-QĐ/HU")
    page.locator("#id_decision_date").fill("15/08/2025")
    page.locator("#id_start_date").fill("01/09/2025")
    page.locator("#id_end_date").fill("01/05/2026")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.locator("#id_status").select_option(label="Đã tốt nghiệp")
    page.locator("#id_graduated_on").fill("10/05/2026")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".field-qualification .readonly")).not_to_have_text("-")

    page.goto(entries)
    after = page.locator("#result_list tbody tr", has_text="Nông Văn Thắng")
    expect(after).not_to_contain_text("thiếu: trung cấp LLCT")
    screenshot(page)

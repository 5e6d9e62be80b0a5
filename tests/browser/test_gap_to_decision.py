"""Issue 18's flow in the browser: a succession gap becomes a training need, the plan drafts
and approves the candidate, one decision sends them to study and is printed from its docx
template."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from tests.training.factories import PlanFactory, PlanLineFactory, institution
from training.models import Dispatch, TrainingNeed

pytestmark = pytest.mark.browser


def run_action(page, label: str, row_text: str) -> None:
    page.locator("#result_list tbody tr", has_text=row_text).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=label)
    page.locator("button[name=index]").click()


def test_a_gap_becomes_a_need_a_plan_a_decision_and_a_printed_dispatch_decision(
    page, superuser, planned_secretary, log_in, screenshot
):
    district, cadre = planned_secretary.district, planned_secretary.cadre
    year = timezone.localdate().year + 1
    plan = PlanFactory(unit=district, year=year)
    PlanLineFactory(plan=plan, quota=1, target=1, institution=institution())
    log_in(superuser)

    # The gap becomes a need, from the needs list (the yearly background run).
    page.goto(reverse("admin:training_trainingneed_changelist"))
    page.get_by_role("button", name="Cập nhật nhu cầu từ quy hoạch (chạy nền)").click()
    expect(page.locator(".messagelist")).to_contain_text("Cập nhật nhu cầu đào tạo từ quy hoạch")
    assert TrainingNeed.objects.filter(cadre=cadre, programme__code="TRUNG_CAP_LLCT").exists()
    page.goto(reverse("admin:training_trainingneed_changelist"))
    expect(page.locator("#result_list")).to_contain_text("Nông Văn Thắng")

    # The plan drafts its candidates from the needs, then is approved.
    page.goto(reverse("admin:training_trainingplan_changelist"))
    run_action(page, "Lập dự thảo danh sách cử đi học từ nhu cầu đào tạo", str(year))
    expect(page.locator(".messagelist")).to_contain_text("1 suất trên giao")
    run_action(page, "Phê duyệt kế hoạch (các đề xuất thành đã duyệt)", str(year))
    expect(page.locator(".messagelist")).to_contain_text("đã duyệt 1 người")

    # The approved candidate is sent to study by one decision.
    page.goto(reverse("admin:training_plancandidate_changelist") + f"?plan={plan.pk}")
    run_action(page, "Ra quyết định cử đi học cho những người đã duyệt được chọn", "Nông Văn")
    expect(page.locator("#content")).to_contain_text("Trung cấp lý luận chính trị")
    page.locator("#id_number").fill("215-QĐ/HU")
    page.locator("#id_issued_on").fill(f"15/08/{year}")
    page.locator("#id_signer").fill("Hoàng Văn Toàn")
    page.locator("#id_start_date").fill(f"01/09/{year}")
    page.locator("#id_end_date").fill(f"30/04/{year + 1}")
    screenshot(page, "decision-form")
    page.get_by_role("button", name="Ra quyết định và lập danh sách cử đi học").click()
    expect(page.locator(".messagelist")).to_contain_text("đã lập 1 lượt cử đi học")
    expect(page.locator("#content")).to_contain_text("Nông Văn Thắng")
    dispatch = Dispatch.objects.get(cadre=cadre)
    assert (dispatch.decision_number, dispatch.start_date) == ("215-QĐ/HU", date(year, 9, 1))

    # The decision prints from its Word template.
    with page.expect_download() as download:
        page.get_by_role("link", name="In quyết định (Word)").click()
    text = "\n".join(
        p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs
    )
    assert "215-QĐ/HU" in text
    screenshot(page)

"""What-if before a planning conference, in the browser: a planner adds a name to a commune's
pool, sees the women's share change and the rule the name would break if added for real."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cadres.choices import DisciplineForm, Gender
from cadres.models import Discipline
from tests.factories import AppointmentFactory, CadreFactory, PositionFactory, UnitFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory

pytestmark = pytest.mark.browser


def test_a_planner_adds_a_name_and_sees_the_share_change_and_the_rule_it_breaks(
    page, superuser, log_in, screenshot
):
    commune = UnitFactory(name="Xã Tú Đoạn")
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100)
    decision = PlanningDecisionFactory(number="125-QĐ/HU", issued_on=date(2024, 6, 1))
    for name, born in [("Hoàng Văn Đức", date(1972, 4, 2)), ("Nông Văn Hải", date(1980, 1, 9))]:
        PlanningEntryFactory(
            added_by=decision,
            unit=commune,
            position=secretary,
            cadre=CadreFactory(full_name=name, unit=commune, birth_date=born),
        )
    mai = CadreFactory(
        full_name="Lương Thị Mai", unit=commune, gender=Gender.FEMALE, birth_date=date(1990, 2, 1)
    )
    AppointmentFactory(cadre=mai, unit=commune, position__rank=1, start_date=date(2015, 1, 1))
    # A warning decided a month before the page's day (the what-if counts on today): in force.
    decided = timezone.localdate() - timedelta(days=30)
    Discipline.objects.create(cadre=mai, form=DisciplineForm.WARNING, decided_on=decided)

    log_in(superuser)
    page.goto(
        reverse("admin:planning_term_whatif", args=[decision.term.pk]) + f"?unit={commune.pk}"
    )
    totals = page.locator(".whatif-totals")
    expect(totals).to_contain_text("Sau thay đổi: 2 người · Nữ 0/2")

    page.locator("#new_cadre").select_option(label="Lương Thị Mai (1990)")
    page.locator("#new_position").select_option(label="Bí thư Đảng ủy xã")
    page.get_by_role("button", name="Tính lại").click()

    expect(page.locator(".whatif-added")).to_contain_text("Thêm Lương Thị Mai – Bí thư Đảng ủy xã")
    expect(totals).to_contain_text("Sau thay đổi: 3 người · Nữ 1/3")
    expect(totals).to_contain_text("Hiện nay: 2 người · Nữ 0/2")
    expect(page.locator(".whatif-refusals")).to_contain_text(
        "Không được thêm: Đang chịu kỷ luật cảnh cáo."
    )
    expect(page.locator(".whatif-warnings")).to_contain_text(
        "Lưu ý: Chưa có kết luận về tiêu chuẩn chính trị"
    )
    expect(page.locator(".pool-added")).to_have_text("Lương Thị Mai")
    screenshot(page)

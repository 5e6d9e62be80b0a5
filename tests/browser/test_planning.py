from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cadres.choices import DisciplineForm
from cadres.models import Discipline
from tests.factories import CadreFactory, PositionFactory, QualificationFactory, UnitFactory, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
    ServingCadreFactory,
)

pytestmark = pytest.mark.browser


def test_a_planner_sees_a_communes_plan_runs_the_annual_review_and_drafts_decisions(
    page, superuser, log_in, screenshot
):
    commune = UnitFactory(name="Xã Tú Đoạn")
    secretary = PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100),
        political_theory_level=level("LLCT_CAO_CAP"),
        state_management_level=level("QLNN_CHUYEN_VIEN_CHINH"),
    ).position
    chair = PositionStandardFactory(
        position=PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=85)
    ).position
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    planned = PlanningEntryFactory(
        cadre=CadreFactory(full_name="Hoàng Văn Đức", unit=commune),
        unit=commune,
        added_by=decision,
        position=secretary,
    )
    QualificationFactory(cadre=planned.cadre, level=level("LLCT_TRUNG_CAP"))
    disciplined = PlanningEntryFactory(
        cadre=CadreFactory(full_name="Vi Văn Sơn", unit=commune),
        unit=commune,
        added_by=decision,
        position=chair,
    )
    Discipline.objects.create(
        cadre=disciplined.cadre, form=DisciplineForm.WARNING, decided_on=date(2024, 9, 1)
    )
    ServingCadreFactory(unit=commune, full_name="Lương Thị Mai", birth_date=date(1988, 1, 1))
    log_in(superuser)

    entries = reverse("admin:planning_planningentry_changelist")
    page.goto(f"{entries}?term__id__exact={decision.term_id}&unit={commune.pk}")
    row = page.locator("#result_list tbody tr", has_text=planned.cadre.full_name)
    expect(row).to_contain_text("Trong 1-2 năm")
    expect(row).to_contain_text("thiếu: cao cấp LLCT; QLNN chuyên viên chính")
    screenshot(page, "plan")

    page.goto(
        reverse("admin:planning_term_review", args=[decision.term_id]) + f"?unit={commune.pk}"
    )
    removal = page.locator("tr", has_text=disciplined.cadre.full_name)
    expect(removal.locator("input[name=remove]")).to_be_checked()
    newcomer = page.locator("tr", has_text="Lương Thị Mai")
    newcomer.get_by_label("Chủ tịch UBND xã", exact=False).check()
    screenshot(page, "review")
    page.get_by_role("button", name="Lập dự thảo quyết định bổ sung và đưa ra").click()

    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Dự thảo")
    screenshot(page)

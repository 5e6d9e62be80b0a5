import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cadres.models import Cadre, WorkHistory
from planning.models import PlanningEntry
from tests.browser.conftest import pick
from tests.cadres.merger_data import communes_to_merge, record_succession
from tests.factories import UnitFactory

pytestmark = pytest.mark.browser


def test_an_administrator_records_a_merger_checks_the_proposal_and_confirms_it(
    page, superuser, log_in, screenshot
):
    new, (huu_khanh, tu_mich) = communes_to_merge(
        UnitFactory(name="Huyện Lộc Bình", kind="district")
    )
    record_succession(huu_khanh, new)  # the first old commune was recorded earlier
    log_in(superuser)

    page.goto(reverse("admin:cadres_unitsuccession_add"))
    pick(page, "id_predecessor", "Tú Mịch", "Xã Tú Mịch")
    pick(page, "id_successor", "Khánh Xuân", "Xã Khánh Xuân")
    page.locator("#id_effective_date").fill("01/07/2025")
    page.locator("#id_legal_basis").fill("NQ 1672/NQ-UBTVQH15")
    screenshot(page, "record")
    page.get_by_role("button", name="Lưu lại", exact=True).click()

    # Recording the succession opens the merger step: both old communes' records are proposed.
    page.wait_for_url("**/merger/")
    table = page.locator("table.merger-changes")
    expect(table).to_contain_text("Lương Thị Tú Mịch: Xã Tú Mịch → Xã Khánh Xuân")
    expect(table).to_contain_text("Hoàng Văn Hữu Khánh: Xã Hữu Khánh → Xã Khánh Xuân")
    expect(page.locator(".merger-conflicts")).to_contain_text("5 mục vướng quy định")
    expect(table.locator("tr.merger-conflict").first).to_contain_text("tối đa 3 người")
    expect(table.locator("tr.merger-blocked")).to_contain_text("đã có kế hoạch đào tạo năm 2025")
    screenshot(page, "proposal")

    page.get_by_role("button", name="Xác nhận chuyển sang Xã Khánh Xuân").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã chuyển 15 hồ sơ sang Xã Khánh Xuân")
    expect(page.locator(".merger")).to_contain_text("1 thay đổi")  # the plan left for a person
    assert Cadre.objects.filter(unit=new).count() == 4
    assert PlanningEntry.objects.filter(unit=new).count() == 4
    assert WorkHistory.objects.filter(organisation__startswith="Xã Khánh Xuân").count() == 4

    # The moved cadre's record shows the new unit and the merger in its work history.
    cadre = Cadre.objects.get(full_name="Lương Thị Tú Mịch")
    page.goto(reverse("admin:cadres_cadre_change", args=[cadre.pk]))
    expect(page.locator("body")).to_contain_text("Xã Khánh Xuân (sáp nhập từ Xã Tú Mịch)")
    screenshot(page)

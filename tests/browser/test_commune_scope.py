import pytest
from playwright.sync_api import expect

from cadres.models import Role, StaffAssignment
from cadres.roles import setup_roles
from tests.browser.conftest import PASSWORD
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.browser


def test_a_commune_user_sees_only_their_commune_and_a_guessed_url_is_not_found(
    page, django_user_model, log_in, screenshot
):
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    tu_doan = UnitFactory(name="Xã Tú Đoạn", parent=district)
    na_duong = UnitFactory(name="Xã Na Dương", parent=district)
    CadreFactory(full_name="Nông Văn An", unit=tu_doan)
    other = CadreFactory(full_name="Hoàng Thị Bình", unit=na_duong)
    setup_roles()
    user = django_user_model.objects.create_user("can_bo_tu_doan", password=PASSWORD)
    StaffAssignment.objects.create(user=user, role=Role.COMMUNE, unit=tu_doan)
    log_in(user)

    page.locator("#cadres-cadre").get_by_role("link", name="Hồ sơ cán bộ").click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Nông Văn An")
    expect(page.locator("#changelist-filter")).to_contain_text("Xã Tú Đoạn")
    expect(page.locator("#changelist-filter")).not_to_contain_text("Xã Na Dương")
    expect(page.locator("body")).not_to_contain_text("Hoàng Thị Bình")
    screenshot(page, "list")

    page.goto(f"/admin/cadres/cadre/{other.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("không tồn tại")
    expect(page.locator("body")).not_to_contain_text("Hoàng Thị Bình")
    response = page.goto(f"/admin/cadres/cadre/{other.pk}/history/")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Hoàng Thị Bình")
    page.goto(f"/admin/cadres/cadre/{other.pk}/change/")
    screenshot(page)

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pick
from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import AttendanceFactory

pytestmark = pytest.mark.browser


def test_an_officer_creates_a_class_adds_attendances_and_sees_the_totals(
    page, superuser, log_in, screenshot
):
    unit = UnitFactory(name="Xã Tú Đoạn")
    an = CadreFactory(full_name="Nông Văn An", unit=unit)
    AttendanceFactory(cadre=an)  # An already attended an earlier class: one more lượt, same person
    CadreFactory(full_name="Lương Thị Cúc", unit=unit)
    log_in(superuser)

    page.goto("/admin/training/course/add/")
    page.get_by_label("Tên lớp").fill("Lớp bồi dưỡng kết nạp Đảng khóa I")
    page.get_by_label("Nội dung").select_option(index=1)
    pick(page, "id_organiser", "Trung tâm", "Trung tâm Chính trị huyện Lộc Bình")
    page.locator("#id_start_date").fill("04/03/2024")
    page.locator("#id_end_date").fill("08/03/2024")
    pick(page, "id_attendances-0-cadre", "nong van", "Nông Văn An")
    pick(page, "id_attendances-1-cadre", "luong thi", "Lương Thị Cúc")
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Lớp bồi dưỡng kết nạp Đảng")

    page.goto("/admin/training/dispatch/totals/")
    expect(page.locator("#content h1")).to_have_text("Tổng hợp đào tạo, bồi dưỡng")
    expect(page.locator("#content")).to_contain_text("2 lớp, 3 lượt học viên, 2 người.")
    screenshot(page)

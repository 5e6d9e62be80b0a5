import pytest
from playwright.sync_api import expect

from cadres.choices import Category, UnitKind
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.browser

# What the admin index offers today, section by section; apps add their sections here as their
# admin pages land (planning, training, the reports dashboard).
ADMIN_SECTIONS = {
    "Hồ sơ cán bộ": ["Hồ sơ cán bộ", "Đơn vị", "Chức danh", "Danh mục trình độ"],
    "Xác thực và Ủy quyền": ["Người sử dụng", "Các nhóm"],
}


def test_officer_logs_in_through_the_vietnamese_form_and_sees_the_admin_sections(
    page, superuser, log_in, screenshot
):
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT)
    agency = UnitFactory(name="Văn phòng Huyện ủy", kind=UnitKind.AGENCY, parent=district)
    CadreFactory(unit=agency, category=Category.CIVIL_SERVANT)
    page.goto("/admin/")

    # Anonymous visitors are sent to a Vietnamese login form.
    expect(page).to_have_url("/admin/login/?next=/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()

    log_in(superuser)

    expect(page).to_have_title("Quản lý hồ sơ, quy hoạch và đào tạo cán bộ | Quy hoạch cán bộ")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quản lý hồ sơ, quy hoạch và đào tạo cán bộ"
    )
    expect(page.locator("#site-name")).to_have_text("Quy hoạch và đào tạo cán bộ")
    for section, models in ADMIN_SECTIONS.items():
        table = page.locator("#content-main table").filter(
            has=page.get_by_role("caption").filter(has_text=section)
        )
        expect(table).to_have_count(1)
        for model in models:
            expect(table.locator("th").get_by_role("link", name=model, exact=True)).to_be_visible()
    # The dashboard opens on the district at a glance: the qualification shares as a bar chart
    # against their targets (drawn as SVG on the server, nothing fetched from the network).
    chart = page.get_by_role("img", name="Tỷ lệ đạt chuẩn trình độ so với mục tiêu")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Công chức cấp huyện")
    # The admin's own stylesheet is served: the header has its coloured band.
    expect(page.locator("#header")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    screenshot(page)

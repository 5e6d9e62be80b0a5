import pytest
from playwright.sync_api import expect

from cadres.models import Cadre
from tests.factories import UnitFactory

pytestmark = pytest.mark.browser

HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Thành phần dân tộc,Đối tượng,Đơn vị công tác\n"
ROWS = [
    "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,UBND Tú Đoạn\n",
    "Hoàng Thị Lan,020190000001,01/02/1990,Nữ,Nùng,Cán bộ,UBND Tú Đoạn\n",
    "Lương Văn Minh,020088000002,20/11/1988,Nam,Nùng,Cán bộ,Xã Tú Đoạn\n",
]
FILE = {"name": "tu_doan.csv", "mimeType": "text/csv", "buffer": (HEADER + "".join(ROWS)).encode()}


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def test_an_officer_maps_a_column_and_reconciles_a_unit_in_the_preview(
    page, superuser, log_in, screenshot
):
    tu_doan = UnitFactory(name="Xã Tú Đoạn")
    log_in(superuser)
    page.goto("/admin/cadres/cadre/")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.locator("input[type=file]").set_input_files(FILE)
    page.get_by_role("button", name="Xem trước").click()

    counts = page.locator("#import-counts")
    expect(counts).to_contain_text("Thêm mới 0, cập nhật 0, không đổi 0, bị từ chối 3")
    # The to-do list: the one unknown value once, and the column the file seems to lack.
    todo = page.locator("#import-todo")
    expect(todo).to_contain_text("1 giá trị chưa khớp")
    expect(todo).to_contain_text("3 dòng: Dân tộc: Trường này không được để trắng.")
    expect(todo).to_contain_text("ghép một cột")
    values = page.locator("#import-values tbody tr")
    expect(values).to_have_count(1)
    expect(values.first).to_contain_text("UBND Tú Đoạn")
    expect(values.first).to_contain_text("2")

    page.get_by_label("Cột Thành phần dân tộc").select_option("ethnicity")
    page.get_by_label("Ghép UBND Tú Đoạn").select_option(str(tu_doan.pk))
    screenshot(page, "choices")
    page.get_by_role("button", name="Áp dụng các lựa chọn và xem trước lại").click()

    expect(counts).to_contain_text("Thêm mới 3, cập nhật 0, không đổi 0, bị từ chối 0")
    page.get_by_role("button", name="Xác nhận nhập 3 dòng").click()
    expect(page.locator(".messagelist .success")).to_contain_text("thêm 3")
    assert Cadre.objects.filter(unit=tu_doan, ethnicity__name="Nùng").count() == 2

    # The next file of this layout is read with the mapping and the unit's other name.
    page.goto("/admin/cadres/cadre/import/")
    page.locator("input[type=file]").set_input_files(FILE)
    page.get_by_role("button", name="Xem trước").click()
    expect(counts).to_contain_text("Thêm mới 0, cập nhật 0, không đổi 3, bị từ chối 0")
    screenshot(page)

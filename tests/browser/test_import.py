import pytest
from playwright.sync_api import expect

from tests.factories import UnitFactory

pytestmark = pytest.mark.browser

HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"
ROWS = [
    "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n",
    "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Tàyy,Cán bộ,Tú Đoạn\n",  # line 3: no such ethnicity
    "Lương Văn Minh,020088000002,20/11/1988,Nam,Nùng,Cán bộ,Tú Đoạn\n",
    "Vi Thị Hoa,020192000003,31/02/1992,Nữ,Nùng,Công chức,Tú Đoạn\n",  # line 5: no 31 February
]
FILE = {"name": "tu_doan.csv", "mimeType": "text/csv", "buffer": (HEADER + "".join(ROWS)).encode()}


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(page) -> None:
    page.goto("/admin/cadres/cadre/")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.locator("input[type=file]").set_input_files(FILE)
    page.get_by_role("button", name="Xem trước").click()


def test_an_officer_imports_a_commune_file_with_two_bad_rows_and_reimporting_changes_nothing(
    page, superuser, log_in, screenshot
):
    UnitFactory(name="Xã Tú Đoạn")
    log_in(superuser)

    upload(page)
    counts = page.locator("#import-counts")
    expect(counts).to_contain_text("Thêm mới 2, cập nhật 0, không đổi 0, bị từ chối 2")
    rejected = page.locator("table", has_text="Lý do").locator("tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text("3")
    expect(rejected.nth(0)).to_contain_text("Không có dân tộc “Tàyy”. Có phải: Tày?")
    expect(rejected.nth(1)).to_contain_text("5")
    expect(rejected.nth(1)).to_contain_text("Vi Thị Hoa")
    expect(rejected.nth(1).locator("td").first).to_have_text("5")
    expect(rejected.nth(0).locator("td").first).to_have_text("3")
    screenshot(page, "preview")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    fix = download.value.path().read_bytes().decode("utf-8-sig").splitlines()
    assert fix[0] == HEADER.strip() + ",Dòng trong tệp gốc,Lý do bị từ chối"
    assert [line.split(",")[0] for line in fix[1:]] == ["Hoàng Thị Lan", "Vi Thị Hoa"]

    page.get_by_role("button", name="Xác nhận nhập 2 dòng (bỏ qua 2 dòng bị từ chối)").click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        "Đã nhập tu_doan.csv: thêm 2, cập nhật 0, không đổi 0, bỏ qua 2 dòng bị từ chối."
    )
    page.goto("/admin/cadres/cadre/")
    names = page.locator("#result_list tbody tr")
    expect(names).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Nông Thanh Hải")
    expect(page.locator("#result_list")).to_contain_text("Lương Văn Minh")

    upload(page)
    expect(counts).to_contain_text("Thêm mới 0, cập nhật 0, không đổi 2, bị từ chối 2")
    expect(page.locator("#nothing-to-do")).to_contain_text("nhập lại sẽ không thay đổi gì")
    expect(page.get_by_role("button", name="Xác nhận", exact=False)).to_have_count(0)
    screenshot(page)

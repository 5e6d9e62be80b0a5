"""Importing cadre records from files: preview, write, undo (cadres.importing)."""

from datetime import date

import pytest

from cadres.importing import read_file, run_import
from cadres.models import Cadre
from cadres.resources import CadreResource
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def preview(data: bytes, *, wipe_empty: bool = False, name: str = "danh-sach.csv"):
    resource = CadreResource(wipe_empty=wipe_empty)
    return run_import(resource, read_file(data, name, resource), write=False)


def commit(data: bytes, *, wipe_empty: bool = False, name: str = "danh-sach.csv", **kwargs):
    resource = CadreResource(wipe_empty=wipe_empty)
    return run_import(resource, read_file(data, name, resource), write=True, **kwargs)


@pytest.fixture
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn", code="06250")


def test_a_new_file_previews_its_rows_as_new_and_writes_nothing(tu_doan):
    report = preview(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,xã Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn",
        )
    )
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 0"
    assert not Cadre.objects.exists()


def test_confirmed_import_writes_the_rows_with_resolved_values(tu_doan):
    report = commit(csv_bytes("Nông Thanh Hải,20085001234,17/05/1985,nam,TÀY,công chức,Tú Đoạn"))
    assert report.summary() == "new 1, updated 0, unchanged 0, rejected 0"
    cadre = Cadre.objects.get()
    assert cadre.cccd == "020085001234"
    assert cadre.birth_date == date(1985, 5, 17)
    assert cadre.ethnicity.name == "Tày"
    assert cadre.unit == tu_doan
    assert cadre.search_name == "nong thanh hai"
    assert cadre.retirement_date is not None

"""Export to CSV and xlsx: re-imports without change, never lets a spreadsheet evaluate a cell."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from cadres.models import Cadre, Religion
from cadres.resources import PROVINCE_LAYOUT, CadreResource
from core import exports
from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, QualificationFactory, UnitFactory, level

pytestmark = pytest.mark.django_db

TRIGGERS = ["=1+2", "+84912345678", "-2+3", "@SUM(A1)", "  =cmd", "\t=cmd", " \t+1"]


@pytest.fixture
def register():
    unit = UnitFactory(name="Xã Tú Đoạn", code="06250")
    full = CadreFactory(
        full_name="Nông Thanh Hải",
        unit=unit,
        other_names="Hải Nông",
        religion=Religion.objects.first(),
        cccd_issued_on=date(2021, 4, 1),
        phone="+84912345678",
        email="hai@example.vn",
        job_title="Bí thư Đảng ủy, kiêm Chủ tịch HĐND",
        party_join_date=date(2005, 1, 1),
        party_official_date=date(2006, 1, 1),
        general_education=level("PT_12_12"),
        salary_step=3,
        salary_coefficient=Decimal("3.66"),
        position_allowance=Decimal("0.30"),
        notes='=HYPERLINK("http://x")',
    )
    QualificationFactory(cadre=full)
    CadreFactory(full_name="Hoàng Thị Lan", gender="female", unit=unit)
    return Cadre.objects.all()


def reimport(data: bytes, name: str):
    resource = CadreResource()
    return run_import(resource, read_file(data, name, resource), write=False)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_plain_export_reimports_without_any_change(register, fmt):
    headers, rows = exports.rows_of(CadreResource(), CadreResource().get_queryset())
    data = exports.to_csv(headers, rows) if fmt == "csv" else exports.to_xlsx(headers, rows)
    report = reimport(data, f"export.{fmt}")
    assert report.summary() == "new 0, updated 0, unchanged 2, rejected 0"


def test_the_province_layout_has_title_rows_and_reimports_without_change(register, settings):
    resource = CadreResource()
    headers, rows = exports.province_rows(resource, resource.get_queryset(), PROVINCE_LAYOUT)
    titles = exports.province_title_rows("Danh sách cán bộ", "Xã Tú Đoạn", date(2026, 1, 5))
    data = exports.to_xlsx(headers, rows, titles)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == settings.ORGANISATION_NAME.upper()
    assert sheet["A4"].value == "Đơn vị: Xã Tú Đoạn"
    assert sheet["A5"].value == "Tính đến ngày 05/01/2026"
    assert [c.value for c in sheet[7]][:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    assert reimport(data, "mau-tinh.xlsx").summary() == "new 0, updated 0, unchanged 2, rejected 0"


@pytest.mark.parametrize("value", TRIGGERS)
def test_csv_export_escapes_every_formula_trigger(value):
    data = exports.to_csv(["Ghi chú"], [[value]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["Ghi chú"], ["'" + value]]


@pytest.mark.parametrize("value", TRIGGERS)
def test_xlsx_export_writes_every_formula_trigger_as_plain_text(value):
    data = exports.to_xlsx(["Ghi chú"], [[value]])
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A2"]
    assert (cell.data_type, cell.value) == ("s", value)


def test_plain_text_is_not_escaped():
    data = exports.to_csv(["a", "b"], [["Nông Thanh Hải", "0912-345"]])
    assert data.decode("utf-8-sig").splitlines()[1] == "Nông Thanh Hải,0912-345"


@pytest.mark.parametrize("value", ["=1+2", "+84912345678", "@SUM(A1)", "-2"])
def test_an_imported_formula_is_stored_as_text_and_survives_the_round_trip(register, value):
    cadre = register.get(full_name="Hoàng Thị Lan")
    headers = ["Số CCCD", "Ghi chú"]
    data = exports.to_csv(headers, [[cadre.cccd, value]])
    resource = CadreResource()
    run_import(resource, read_file(data, "x.csv", resource), write=True)
    cadre.refresh_from_db()
    assert cadre.notes == value

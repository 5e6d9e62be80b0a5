"""Every file of the corpus (tests/cadres/data/import/) previews and imports with the right
counts and messages."""

from datetime import date
from pathlib import Path

import pytest

from cadres.choices import Gender, UnitKind
from cadres.models import Ethnicity
from cadres.resources import CadreResource
from core.imports.engine import read_file, run_import
from core.imports.widgets import ImportRefused
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "import"
FILES = {
    # file: rows read
    "utf8.csv": 3,
    "utf8_bom.csv": 2,
    "utf16_tab.txt": 2,
    "cp1258_semicolon.csv": 4,
    "tcvn3.csv": 4,
    "vni.csv": 4,
    "nfd_spaces.csv": 2,
    "province_layout.xlsx": 4,
    "province_layout.xls": 4,
}

NO_GENDER = {"utf8_bom.csv", "nfd_spaces.csv"}


def preview(name: str):
    resource = CadreResource()
    data = (CORPUS / name).read_bytes()
    return run_import(resource, read_file(data, name, resource), write=False)


@pytest.fixture
def units():
    return {
        "tu_doan": UnitFactory(name="Xã Tú Đoạn"),
        "na_duong": UnitFactory(name="Thị trấn Na Dương", kind=UnitKind.TOWN),
    }


def by_name(name: str):
    return Ethnicity.objects.get(name=name)


@pytest.fixture
def on_record(units):
    """The four people of the corpus as the register already has them."""
    people = [
        ("Nông Thanh Hải", "020080001234", date(1980, 3, 15), "Tày", "tu_doan", "Bí thư Đảng ủy"),
        (
            "Hoàng Thị Lan",
            "020185004321",
            date(1985, 11, 2),
            "Nùng",
            "na_duong",
            "Phó Chủ tịch UBND",
        ),
        ("Lý Văn Đức", "020090001111", date(1990, 7, 9), "Kinh", "tu_doan", "Chủ tịch UBND"),
        (
            "Vi Thị Hường",
            "020188007777",
            date(1988, 6, 5),
            "Dao",
            "na_duong",
            "Văn phòng - Thống kê",
        ),
    ]
    return [
        CadreFactory(
            full_name=name,
            cccd=cccd,
            birth_date=born,
            gender=Gender.FEMALE if "Thị" in name else Gender.MALE,
            ethnicity=by_name(ethnic),
            unit=units[unit],
            job_title=job,
        )
        for name, cccd, born, ethnic, unit, job in people
    ]


# What the files say differently from the register (the corpus is not all consistent).
DIFFERENCES = {
    "utf8_bom.csv": {
        5: [
            ("Dân tộc", "Dao", "Nùng"),
            ("Đơn vị", "Thị trấn Na Dương", "Xã Tú Đoạn"),
            ("Chức vụ", "Văn phòng - Thống kê", "Phó Bí thư Đảng ủy"),
        ],
        6: [("Chức vụ", "Chủ tịch UBND", "Công chức Tư pháp, Hộ tịch")],
    },
    "province_layout.xlsx": {12: [("Ghi chú", "—", "Chuyển đến")]},
    "province_layout.xls": {12: [("Ghi chú", "—", "Chuyển đến")]},
}


@pytest.mark.parametrize("name", FILES)
def test_corpus_file_matches_everyone_on_record_and_reads_every_value(on_record, name):
    report = preview(name)
    assert (report.new, report.rejected_count) == (0, 0)
    assert {row.line: row.changes for row in report.changed} == DIFFERENCES.get(name, {})
    assert report.unchanged == FILES[name] - len(DIFFERENCES.get(name, {}))


@pytest.mark.parametrize("name", FILES)
def test_importing_a_corpus_file_twice_changes_nothing_the_second_time(on_record, name):
    resource = CadreResource()
    data = (CORPUS / name).read_bytes()
    first = run_import(resource, read_file(data, name, resource), write=True)
    assert first.written
    again = preview(name)
    assert (again.new, again.updated, again.unchanged) == (0, 0, FILES[name])


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_message():
    resource = CadreResource()
    data = (CORPUS / "not_a_spreadsheet.xlsx").read_bytes()
    with pytest.raises(ImportRefused, match="không phải CSV hoặc Excel"):
        read_file(data, "not_a_spreadsheet.xlsx", resource)

"""Tests for core.tabular: reading the CSV/Excel files communes and provinces send.

The corpus in tests/cadres/data/import/ is produced by its make_corpus.py (the old .xls with xlwt).
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from core import text
from core.tabular import (
    SourceRow,
    TableError,
    decode_legacy_vietnamese,
    encode_legacy_vietnamese,
    fold,
    normalise_cccd,
    normalise_text,
    parse_date,
    read_table,
    vietnamese_letters,
)

DATA = Path(__file__).parent.parent / "cadres" / "data" / "import"

ALIASES = {
    "full_name": ["Họ và tên", "Họ tên", "Họ, tên"],
    "birth_date": ["Ngày sinh", "Ngày, tháng, năm sinh"],
    "gender": ["Giới tính"],
    "ethnicity": ["Dân tộc"],
    "cccd": ["Số CCCD", "CCCD", "Số định danh cá nhân"],
    "unit": ["Đơn vị", "Đơn vị công tác"],
    "position": ["Chức vụ"],
    "professional_level": ["Trình độ chuyên môn"],
    "political_theory": ["Lý luận chính trị", "LLCT"],
}

HAI = "Nông Thanh Hải"
LAN = "Hoàng Thị Lan"
DUC = "Lý Văn Đức"
HUONG = "Vi Thị Hường"


def read(name: str):
    return read_table((DATA / name).read_bytes(), name, ALIASES)


def names(table) -> list[tuple[int, str]]:
    return [(row.line, row.values["full_name"]) for row in table.rows]


# --- Corpus files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter", "expected"),
    [
        ("utf8.csv", "utf-8", ",", [(2, HAI), (3, LAN), (6, DUC)]),
        ("utf8_bom.csv", "utf-8-sig", ",", [(5, HUONG), (6, DUC)]),
        ("utf16_tab.txt", "utf-16", "\t", [(2, HAI), (3, LAN)]),
        ("cp1258_semicolon.csv", "cp1258", ";", [(2, HAI), (3, LAN), (4, DUC), (5, HUONG)]),
        ("tcvn3.csv", "tcvn3", ",", [(2, HAI), (3, LAN), (4, DUC), (5, HUONG)]),
        ("vni.csv", "vni", ",", [(2, HAI), (3, LAN), (4, DUC), (5, HUONG)]),
        ("nfd_spaces.csv", "utf-8", ",", [(2, HAI), (3, LAN)]),
        ("province_layout.xlsx", "xlsx", None, [(9, HAI), (10, LAN), (12, DUC), (13, HUONG)]),
        ("province_layout.xls", "xls", None, [(9, HAI), (10, LAN), (12, DUC), (13, HUONG)]),
    ],
)
def test_each_corpus_file_gives_the_exact_names_lines_and_encoding(
    name, encoding, delimiter, expected
):
    table = read(name)
    assert table.encoding == encoding
    assert table.delimiter == delimiter
    assert names(table) == expected


@pytest.mark.parametrize(
    "name", ["cp1258_semicolon.csv", "tcvn3.csv", "vni.csv", "utf16_tab.txt", "utf8.csv"]
)
def test_the_first_record_is_decoded_identically_whatever_the_encoding(name):
    first = read(name).rows[0].values
    assert first["full_name"] == HAI
    assert first["ethnicity"] == "Tày"
    assert first["unit"] == "xã Tú Đoạn"
    assert first["position"] == "Bí thư Đảng ủy"
    assert first["cccd"] == "020080001234"
    assert parse_date(first["birth_date"]) == datetime.date(1980, 3, 15)
    assert all(unicodedata.is_normalized("NFC", v) for v in first.values())


def test_legacy_files_decode_every_column_including_the_headers():
    for name in ("tcvn3.csv", "vni.csv"):
        table = read(name)
        assert table.headers == [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số CCCD",
            "Đơn vị",
            "Chức vụ",
        ]
        assert [r.values["gender"] for r in table.rows] == ["Nam", "Nữ", "Nam", "Nữ"]
        assert [r.values["ethnicity"] for r in table.rows] == ["Tày", "Nùng", "Kinh", "Dao"]
        assert table.rows[1].values["unit"] == "Thị trấn Na Dương"
        assert table.rows[1].values["position"] == "Phó Chủ tịch UBND"
        assert table.rows[3].values["position"] == "Văn phòng - Thống kê"


def test_a_utf8_csv_keeps_every_value_and_the_line_of_a_multi_line_record():
    table = read("utf8.csv")
    assert table.columns == {
        "Họ và tên": "full_name",
        "Ngày sinh": "birth_date",
        "Giới tính": "gender",
        "Dân tộc": "ethnicity",
        "Số CCCD": "cccd",
        "Đơn vị": "unit",
        "Chức vụ": "position",
        "Trình độ chuyên môn": "professional_level",
        "Lý luận chính trị": "political_theory",
    }
    assert table.unknown_headers == ["STT"]
    assert table.rows[1] == SourceRow(
        3,
        {
            "full_name": LAN,
            "birth_date": "02/11/1985",
            "gender": "Nữ",
            "ethnicity": "Nùng",
            "cccd": "020185004321",
            "unit": "Thị trấn Na Dương",
            "position": "Phó Chủ tịch UBND",
            "professional_level": "Thạc sĩ",
            "political_theory": "Trung cấp",
        },
    )
    assert table.rows[2].values["cccd"] == "20090001111"
    assert normalise_cccd(table.rows[2].values["cccd"]) == "020090001111"


def test_title_rows_above_the_csv_header_are_skipped_and_quoted_commas_kept():
    table = read("utf8_bom.csv")
    assert table.headers[:3] == ["STT", "Họ tên", "Ngày, tháng, năm sinh"]
    assert table.rows[1].values["position"] == "Công chức Tư pháp, Hộ tịch"
    assert parse_date(table.rows[1].values["birth_date"]) == datetime.date(1990, 7, 9)


def test_semicolon_is_chosen_even_though_a_header_contains_a_comma():
    table = read("cp1258_semicolon.csv")
    assert table.columns["Họ, tên"] == "full_name"
    assert table.columns["Số định danh cá nhân"] == "cccd"
    assert [parse_date(r.values["birth_date"]) for r in table.rows[:2]] == [
        datetime.date(1980, 3, 15),
        datetime.date(1985, 11, 2),
    ]


def test_decomposed_text_and_odd_spaces_are_cleaned_in_headers_and_cells():
    table = read("nfd_spaces.csv")
    assert table.headers == ["STT", "Họ và tên", "Ngày sinh", "Dân tộc", "Số CCCD", "Đơn vị"]
    first, second = (row.values for row in table.rows)
    assert first == {
        "full_name": HAI,
        "birth_date": "15/03/1980",
        "ethnicity": "Tày",
        "cccd": "020 080 001 234",
        "unit": "xã Tú Đoạn",
    }
    assert second["full_name"] == LAN
    assert second["unit"] == "Thị trấn Na Dương"
    assert normalise_cccd(first["cccd"]) == "020080001234"


# --- Provincial Excel layout ------------------------------------------------------------


@pytest.mark.parametrize("name", ["province_layout.xlsx", "province_layout.xls"])
def test_province_workbook_headers_merge_two_rows_and_skip_the_notes_sheet(name):
    table = read(name)
    assert table.headers == [
        "STT",
        "Họ và tên",
        "Ngày, tháng, năm sinh",
        "Giới tính",
        "Dân tộc",
        "Số định danh cá nhân",
        "Đơn vị công tác",
        "Chức vụ",
        "Trình độ Chuyên môn",
        "Trình độ LLCT",
        "Ghi chú",
    ]
    assert table.columns["Trình độ Chuyên môn"] == "professional_level"  # "parent child"
    assert table.columns["Trình độ LLCT"] == "political_theory"  # child alone
    assert table.unknown_headers == ["STT", "Ghi chú"]


@pytest.mark.parametrize("name", ["province_layout.xlsx", "province_layout.xls"])
def test_province_workbook_cells_become_clean_text(name):
    rows = read(name).rows
    assert [r.values["birth_date"] for r in rows] == [
        "1980-03-15",  # real Excel date
        "31353",  # date stored as a bare serial number
        "09/07/1990",  # typed as text
        "1988-06-05",  # datetime at midnight
    ]
    assert [parse_date(r.values["birth_date"]) for r in rows] == [
        datetime.date(1980, 3, 15),
        datetime.date(1985, 11, 2),
        datetime.date(1990, 7, 9),
        datetime.date(1988, 6, 5),
    ]
    assert rows[1].values["cccd"] == "20185004321"  # typed as a number: zero lost
    assert normalise_cccd(rows[1].values["cccd"]) == "020185004321"
    assert rows[2].values["full_name"] == DUC  # extra spaces removed
    assert rows[3].values["professional_level"] == "Cao đẳng"
    assert rows[3].values["political_theory"] == "Sơ cấp"


def xlsx_bytes(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_typed_in_tcvn3_fonts_is_converted_to_unicode():
    data = xlsx_bytes(
        [
            ["DANH S¸CH C¸N Bé X· Tó §O¹N"],
            ["STT", "Hä vµ tªn", "Ngµy sinh", "D©n téc"],
            [1, "N«ng Thanh H¶i", datetime.date(1980, 3, 15), "Tµy"],
            [2, "Vi ThÞ H\xadêng", datetime.date(1988, 6, 5), "Nïng"],
        ]
    )
    table = read_table(data, "ds.xlsx", ALIASES)
    assert table.encoding == "xlsx+tcvn3"
    assert names(table) == [(3, HAI), (4, HUONG)]
    assert table.rows[1].values["ethnicity"] == "Nùng"


def test_an_xlsx_with_a_file_extension_of_csv_is_still_read_as_excel():
    data = xlsx_bytes([["Họ và tên", "Ngày sinh"], [HAI, "15/03/1980"]])
    table = read_table(data, "danh_sach.csv", ALIASES)
    assert table.encoding == "xlsx"
    assert names(table) == [(2, HAI)]


# --- Header, numbering and totals rows in CSV -----------------------------------------


def test_a_two_row_csv_header_carries_the_parent_over_its_sub_columns():
    text = (
        "STT,Họ và tên,Ngày sinh,Trình độ,,Ghi chú\n"
        ",,,Chuyên môn,Lý luận chính trị,\n"
        "(1),(2),(3),(4),(5),(6)\n"
        "1,Nông Thanh Hải,15/03/1980,Đại học,Cao cấp,\n"
    )
    table = read_table(text.encode(), "two_rows.csv", ALIASES)
    assert table.headers == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Trình độ Chuyên môn",
        "Trình độ Lý luận chính trị",
        "Ghi chú",
    ]
    assert table.rows == [
        SourceRow(
            4,
            {
                "full_name": HAI,
                "birth_date": "15/03/1980",
                "professional_level": "Đại học",
                "political_theory": "Cao cấp",
            },
        )
    ]


@pytest.mark.parametrize("numbers", ["1,2,3", "(1),(2),(3)", "A,B,1"])
def test_a_row_of_column_numbers_under_the_header_is_skipped(numbers):
    text = f"STT,Họ tên,Ngày sinh\n{numbers}\n1,{HAI},15/03/1980\n"
    assert names(read_table(text.encode(), "x.csv", ALIASES)) == [(3, HAI)]


@pytest.mark.parametrize("label", ["Tổng cộng", " TỔNG CỘNG: ", "Cộng", "Tổng số", "Tổng"])
def test_a_totals_row_is_removed(label):
    text = f"STT,Họ tên,Ngày sinh,Đơn vị\n1,{HAI},15/03/1980,xã Tú Đoạn\n{label},,,2 người\n"
    assert names(read_table(text.encode(), "x.csv", ALIASES)) == [(2, HAI)]


def test_a_person_whose_unit_starts_with_cong_is_not_mistaken_for_a_totals_row():
    text = "Họ tên,Đơn vị\nCông Văn Tú,Công an xã Tú Đoạn\n"
    table = read_table(text.encode(), "x.csv", ALIASES)
    assert names(table) == [(2, "Công Văn Tú")]


def test_headers_match_whatever_the_case_accents_punctuation_or_format_hint():
    text = "  HO VA TEN ,ngay   sinh (dd/mm/yyyy),SỐ CCCD:\nVi Thị Hường,05/06/1988,020188007777\n"
    table = read_table(text.encode(), "x.csv", ALIASES)
    assert table.columns == {
        "HO VA TEN": "full_name",
        "ngay sinh (dd/mm/yyyy)": "birth_date",
        "SỐ CCCD:": "cccd",
    }


def test_a_tab_separated_utf8_file_with_windows_line_endings_is_read():
    text = "Họ và tên\tNgày sinh\tCCCD\r\nLý Văn Đức\t09/07/1990\t020090001111\r\n"
    table = read_table(text.encode(), "x.txt", ALIASES)
    assert table.delimiter == "\t"
    assert table.rows[0].values == {
        "full_name": DUC,
        "birth_date": "09/07/1990",
        "cccd": "020090001111",
    }


@pytest.mark.parametrize(
    ("codec", "bom", "label"),
    [
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_utf16_big_endian_and_bom_less_files_are_read(codec, bom, label):
    text = "Họ và tên\tNgày sinh\r\nHoàng Thị Lan\t02/11/1985\r\n"
    table = read_table(bom + text.encode(codec), "x.txt", ALIASES)
    assert table.encoding == label
    assert names(table) == [(2, LAN)]


def test_duplicate_columns_keep_the_first_and_report_the_second_as_unknown():
    text = "Họ và tên,Họ tên,Ngày sinh\nVi Thị Hường,X,05/06/1988\n"
    table = read_table(text.encode(), "x.csv", ALIASES)
    assert table.columns == {"Họ và tên": "full_name", "Ngày sinh": "birth_date"}
    assert table.unknown_headers == ["Họ tên"]
    assert names(table) == [(2, HUONG)]


# --- Errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.csv", "trống"),
        (b"\xef\xbb\xbf\r\n", "bom_only.csv", "trống"),
        ((DATA / "not_a_spreadsheet.xlsx").read_bytes(), "not_a_spreadsheet.xlsx",
         "không phải CSV hoặc Excel"),
        (b"%PDF-1.4\n\x00\x01\x02\x03binary\x00\x00", "scan.pdf", "không phải CSV hoặc Excel"),
        (b"PK\x03\x04 this is not really a zip", "broken.xlsx", "không phải CSV hoặc Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "broken.xls",
         "không phải CSV hoặc Excel"),
        ("Ghi chú: không có bảng\nchỉ là văn bản\n".encode(), "notes.csv",
         "Không tìm thấy dòng tiêu đề"),
        (b"<html><body><table><tr><td>Ho ten</td></tr></table></body></html>", "export.xls",
         "HTML/XML"),
    ],
)  # fmt: skip
def test_unreadable_files_raise_a_vietnamese_table_error(data, filename, message):
    with pytest.raises(TableError, match=message) as caught:
        read_table(data, filename, ALIASES)
    assert filename in str(caught.value)


def test_a_header_with_a_single_known_column_is_not_enough():
    with pytest.raises(TableError, match="ít nhất 2 cột"):
        read_table("Họ và tên,Quê quán\nVi Thị Hường,Lạng Sơn\n".encode(), "x.csv", ALIASES)


def test_a_workbook_without_any_header_row_names_the_expected_columns():
    data = xlsx_bytes([["Báo cáo"], ["không có bảng"]])
    with pytest.raises(TableError, match="“Họ và tên”"):
        read_table(data, "x.xlsx", ALIASES)


# --- Legacy encodings -----------------------------------------------------------------


def test_there_are_134_vietnamese_letters_to_convert():
    letters = vietnamese_letters()
    assert len(letters) == len(set(letters)) == 134
    assert {"đ", "Đ", "ỵ", "Ỵ", "ặ", "Ữ"} <= set(letters)


def csv_with(text: str, encoding: str) -> bytes:
    header = encode_legacy_vietnamese("Họ và tên,Ngày sinh\r\n", encoding)
    return header + encode_legacy_vietnamese(f"{text},01/01/1990\r\n", encoding)


def test_every_vietnamese_letter_round_trips_through_a_vni_file():
    letters = vietnamese_letters()
    sample = " ".join(f"Kh{letter}n" for letter in letters)  # "Khán Khàn ..."
    table = read_table(csv_with(sample, "vni"), "vni.csv", ALIASES)
    assert table.encoding == "vni"
    assert table.rows[0].values["full_name"] == sample


def test_every_lower_case_letter_and_special_capital_round_trips_through_a_tcvn3_file():
    letters = vietnamese_letters()
    lower = [letter for letter in letters if letter.islower()]
    specials = ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"]
    sample = " ".join(f"kh{letter}n" for letter in lower + specials)
    table = read_table(csv_with(sample, "tcvn3"), "tcvn3.csv", ALIASES)
    assert table.encoding == "tcvn3"
    assert table.rows[0].values["full_name"] == sample


def test_tcvn3_capital_toned_letters_come_back_inside_capitalised_words():
    # TCVN3 has no code for them: .VnTimeH drew the lower-case codes as capitals.
    capitals = [letter for letter in vietnamese_letters() if letter.isupper()]
    sample = " ".join(f"NG{letter}NH" for letter in capitals)
    table = read_table(csv_with(sample, "tcvn3"), "tcvn3.csv", ALIASES)
    assert table.rows[0].values["full_name"] == sample


@pytest.mark.parametrize(
    ("garbage", "unicode"),
    [
        # TCVN3 (ABC), as seen in real files
        ("NguyÔn V¨n A", "Nguyễn Văn A"),
        ("Hoµng ThÞ Lan", "Hoàng Thị Lan"),
        ("Lý V¨n §øc", "Lý Văn Đức"),
        ("Vi ThÞ H\xadêng", "Vi Thị Hường"),
        ("Tæng céng", "Tổng cộng"),
        ("Sè CCCD cña «ng N«ng", "Số CCCD của ông Nông"),  # acronym stays, no upper-casing
        ("TR¦êNG §¹I HäC TH¦¥NG M¹I", "TRƯỜNG ĐẠI HỌC THƯƠNG MẠI"),
        ("§¶NG Bé TØNH L¹NG S¥N", "ĐẢNG BỘ TỈNH LẠNG SƠN"),
        ("Hµ NéI", "HÀ NỘI"),
        ("UBND x· Tó §o¹n", "UBND xã Tú Đoạn"),
        # VNI-Windows
        ("Nguyeãn Vaên A", "Nguyễn Văn A"),
        ("Vieät Nam", "Việt Nam"),
        ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
        ("ÑAÛNG BOÄ TÆNH LAÏNG SÔN", "ĐẢNG BỘ TỈNH LẠNG SƠN"),
        ("Mieàn Baéc", "Miền Bắc"),
        ("Myõ Lî", "Mỹ Lỵ"),
    ],
)
def test_decode_legacy_vietnamese_converts_known_tcvn3_and_vni_strings(garbage, unicode):
    assert decode_legacy_vietnamese(garbage) == unicode


@pytest.mark.parametrize(
    "text", ["Nông Thanh Hải", "Lý", "Tày", "Café à Paris", "CCCD 020080001234", ""]
)
def test_decode_legacy_vietnamese_leaves_unicode_and_ascii_alone(text):
    assert decode_legacy_vietnamese(text) == text


# --- Text helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Nông Thanh Hải", "Nông Thanh Hải"),
        ("  Lý   Văn\tĐức \n", "Lý Văn Đức"),
        (unicodedata.normalize("NFD", "Hoàng Thị Lan"), "Hoàng Thị Lan"),
        ("Vi\u00a0Thị\u200b Hường\ufeff", "Vi Thị Hường"),
        ("Xu\u200bân", "Xuân"),
        ("\u00d0ức", "Đức"),  # Icelandic eth typed for Đ
        ("Phó Chủ tịch\r\nUBND", "Phó Chủ tịch UBND"),
        ("", ""),
    ],
)
def test_normalise_text_gives_nfc_with_single_spaces(raw, clean):
    assert normalise_text(raw) == clean


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Họ và tên", "ho va ten"),
        ("Họ, tên", "ho ten"),
        ("Ngày, tháng,\nnăm sinh", "ngay thang nam sinh"),
        ("ĐƠN VỊ CÔNG TÁC", "don vi cong tac"),
        (unicodedata.normalize("NFD", "Số định danh"), "so dinh danh"),
        ("Số CCCD/CMND (12 số)", "so cccd cmnd 12 so"),
    ],
)
def test_fold_keeps_only_plain_letters_digits_and_single_spaces(raw, key):
    assert fold(raw) == key


def test_fold_once_folds_each_distinct_text_once(monkeypatch):
    folded = []

    def counting_fold(value):
        folded.append(value)
        return fold(value)

    monkeypatch.setattr(text, "fold", counting_fold)
    text.fold_once.cache_clear()
    names = ["Nông Văn Hải", "Lý Thị Lan", "NÔNG VĂN HẢI", "Hoàng Đức Quân"] * 50
    try:
        assert [text.fold_once(name) for name in names] == [fold(name) for name in names]
        assert folded == names[:4]
    finally:
        text.fold_once.cache_clear()


# --- Dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/1980", datetime.date(1980, 3, 15)),
        ("5/3/1980", datetime.date(1980, 3, 5)),
        ("05-03-1980", datetime.date(1980, 3, 5)),
        ("05.03.1980", datetime.date(1980, 3, 5)),
        ("1980-03-05", datetime.date(1980, 3, 5)),
        ("1980-03-05 00:00:00", datetime.date(1980, 3, 5)),
        ("12/01/1990", datetime.date(1990, 1, 12)),  # day first, never swapped
        ("Ngày 02 tháng 11 năm 1985", datetime.date(1985, 11, 2)),
        ("31353", datetime.date(1985, 11, 2)),
        ("31353.0", datetime.date(1985, 11, 2)),
        (31353, datetime.date(1985, 11, 2)),
        (31353.75, datetime.date(1985, 11, 2)),
        (datetime.date(1988, 6, 5), datetime.date(1988, 6, 5)),
        (datetime.datetime(1988, 6, 5, 13, 30), datetime.date(1988, 6, 5)),
    ],
)
def test_parse_date_accepts_day_first_text_excel_serials_and_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3/1990", datetime.date(1990, 3, 1)),
        ("03/1990", datetime.date(1990, 3, 1)),
        ("03-1990", datetime.date(1990, 3, 1)),
        ("15/03/1990", datetime.date(1990, 3, 15)),
    ],
)
def test_parse_date_with_month_year_allowed_takes_the_first_of_the_month(value, expected):
    assert parse_date(value, allow_month_year=True) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "message"),
    [
        ("31/02/1990", {}, "Ngày không hợp lệ: 31/02/1990 (dùng dạng dd/mm/yyyy)"),
        ("12/13/1990", {}, "Ngày không hợp lệ: 12/13/1990"),
        ("1990", {}, "chỉ có năm"),
        ("1990", {"allow_month_year": True}, "chỉ có năm"),
        ("03/1990", {}, "Không hiểu ngày: 03/1990"),
        ("13/1990", {"allow_month_year": True}, "Ngày không hợp lệ: 13/1990"),
        ("15/03/80", {}, "Năm phải đủ 4 chữ số"),
        ("15/03-1980", {}, "Không hiểu ngày"),
        ("hôm qua", {}, "Không hiểu ngày"),
        ("", {}, "Thiếu ngày"),
        ("123", {}, "không phải ngày Excel"),
        (99999, {}, "không phải ngày Excel"),
        ("01/01/1850", {}, "Ngày không hợp lệ"),
    ],
)
def test_parse_date_rejects_impossible_or_ambiguous_dates_in_vietnamese(value, kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_date(value, **kwargs)


def test_a_bare_year_is_rejected_even_when_month_and_year_are_allowed():
    with pytest.raises(ValueError) as caught:
        parse_date("1990", allow_month_year=True)
    assert "mm/yyyy" in str(caught.value)


# --- CCCD -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("020080001234", "020080001234"),
        ("20080001234", "020080001234"),
        (20080001234, "020080001234"),
        (20080001234.0, "020080001234"),
        ("20080001234.0", "020080001234"),
        (" 020 080 001 234 ", "020080001234"),
        ("020.080.001.234", "020080001234"),
        ("'020080001234", "020080001234"),
        ('="020080001234"', "020080001234"),
        (120080001234, "120080001234"),
    ],
)
def test_normalise_cccd_restores_the_lost_leading_zero(value, expected):
    assert normalise_cccd(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0200800012", "phải gồm đúng 12 chữ số"),
        ("0200800012345", "phải gồm đúng 12 chữ số"),
        ("02008000123A", "phải gồm đúng 12 chữ số"),
        ("", "phải gồm đúng 12 chữ số"),
        (2.5, "phải gồm đúng 12 chữ số"),
        ("2.00800E+10", "dạng số mũ"),
    ],
)
def test_normalise_cccd_rejects_anything_but_12_digits(value, message):
    with pytest.raises(ValueError, match=message):
        normalise_cccd(value)


# --- Size (speed is measured by bench/tabular_bench.py, not here) ---------------------


def test_a_100000_row_csv_keeps_every_row_and_its_line():
    header = "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Đơn vị,Chức vụ\n"
    body = "".join(
        f"{i},Nông Thanh Hải {i},15/03/1980,Nam,Tày,0200{i:08d},xã Tú Đoạn,Bí thư\n"
        for i in range(1, 100_001)
    )
    table = read_table((header + body).encode(), "big.csv", ALIASES)
    assert len(table.rows) == 100_000
    assert table.rows[-1] == SourceRow(
        100_001,
        {
            "full_name": "Nông Thanh Hải 100000",
            "birth_date": "15/03/1980",
            "gender": "Nam",
            "ethnicity": "Tày",
            "cccd": "020000100000",
            "unit": "xã Tú Đoạn",
            "position": "Bí thư",
        },
    )


def test_a_row_is_given_back_whole_with_the_columns_the_importer_does_not_know():
    text = (
        "STT,Họ và tên,Ghi chú,Ngày sinh,Họ và tên\n"
        "1,Nông Thanh Hải,  chờ   bổ sung ,15/03/1980,Hải\n"
        "2,Hoàng Thị Lan,,02/11/1985,Lan,thừa,\n"
    )
    table = read_table(text.encode(), "x.csv", ALIASES)
    first, second = table.rows
    assert table.cells(first) == [
        ("STT", "1"),
        ("Họ và tên", "Nông Thanh Hải"),
        ("Ghi chú", "chờ bổ sung"),
        ("Ngày sinh", "15/03/1980"),
        ("Họ và tên", "Hải"),  # a repeated header is not read, but kept
    ]
    assert table.cells(second)[-2:] == [("Họ và tên", "Lan"), ("", "thừa")]


@pytest.mark.parametrize(
    "written",
    ["15/03/1980 00:00:00", "15/03/1980 0:00", "15 / 03 / 1980", "15/03/1980.", "15 .03. 1980"],
)
def test_a_day_first_date_with_what_spreadsheets_and_typing_add_around_it(written):
    assert parse_date(written) == datetime.date(1980, 3, 15)


def test_a_month_first_export_with_a_12_hour_time_is_refused_not_misread():
    with pytest.raises(ValueError, match="Không hiểu ngày"):
        parse_date("3/5/1980 12:00 AM")

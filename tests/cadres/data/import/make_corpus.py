"""Generate the import test corpus (deterministic; the generated files are committed).

Run:  .venv/bin/python tests/cadres/data/import/make_corpus.py

The legacy-encoding files (TCVN3, VNI) are written from hand-typed byte strings, not
with core.tabular, so that the tests check the decoder against independent data.
No .xls file is generated: no installed package can write the BIFF format (xlwt is not
available), see the report in the test module.
"""

from __future__ import annotations

import datetime
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
CRLF = "\r\n"


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


# --- Plain Unicode CSV files ------------------------------------------------------------

UTF8 = (
    "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Đơn vị,Chức vụ,"
    "Trình độ chuyên môn,Lý luận chính trị\n"
    "1,Nông Thanh Hải,15/03/1980,Nam,Tày,020080001234,xã Tú Đoạn,Bí thư Đảng ủy,"
    "Đại học,Cao cấp\n"
    # A quoted field with an embedded newline: the record spans lines 3-4.
    '2,Hoàng Thị Lan,02/11/1985,Nữ,Nùng,020185004321,Thị trấn Na Dương,"Phó Chủ tịch\n'
    'UBND",Thạc sĩ,Trung cấp\n'
    ",,,,,,,,,\n"
    "3,Lý Văn Đức,1990-07-09,Nam,Kinh,20090001111,xã Tú Đoạn,Chủ tịch UBND,Đại học,"
    "Trung cấp\n"
    "Tổng cộng,,,,,,,,,\n"
)

# Title rows above the header (as Excel exports them), quoted headers with commas.
UTF8_BOM = (
    "ĐẢNG BỘ XÃ TÚ ĐOẠN,,,,,,\r\n"
    "DANH SÁCH CÁN BỘ DIỆN QUY HOẠCH,,,,,,\r\n"
    ",,,,,,\r\n"
    'STT,Họ tên,"Ngày, tháng, năm sinh",Dân tộc,CCCD,Đơn vị,Chức vụ\r\n'
    "1,Vi Thị Hường,05/06/1988,Nùng,020188007777,xã Tú Đoạn,Phó Bí thư Đảng ủy\r\n"
    '2,"Lý Văn Đức",9/7/1990,Kinh,020090001111,xã Tú Đoạn,"Công chức Tư pháp, Hộ tịch"\r\n'
)

UTF16_TAB = (
    "STT\tHọ và tên\tNgày sinh\tGiới tính\tDân tộc\tSố CCCD\tĐơn vị\tChức vụ\r\n"
    "1\tNông Thanh Hải\t15/03/1980\tNam\tTày\t020080001234\txã Tú Đoạn\tBí thư Đảng ủy\r\n"
    "2\tHoàng Thị Lan\t02/11/1985\tNữ\tNùng\t020185004321\tThị trấn Na Dương\t"
    "Phó Chủ tịch UBND\r\n"
)

CP1258 = (
    "STT;Họ, tên;Ngày sinh;Giới tính;Dân tộc;Số định danh cá nhân;Đơn vị;Chức vụ\r\n"
    "1;Nông Thanh Hải;15.03.1980;Nam;Tày;020080001234;xã Tú Đoạn;Bí thư Đảng ủy\r\n"
    "2;Hoàng Thị Lan;02-11-1985;Nữ;Nùng;020185004321;Thị trấn Na Dương;Phó Chủ tịch UBND\r\n"
    "3;Lý Văn Đức;09/07/1990;Nam;Kinh;020090001111;xã Tú Đoạn;Chủ tịch UBND\r\n"
    "4;Vi Thị Hường;05/06/1988;Nữ;Dao;020188007777;Thị trấn Na Dương;Văn phòng - Thống kê\r\n"
)

_CP1258_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Encode as Windows does: base letter (â, ơ, ...) then a combining tone byte."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = [m for m in decomposed if m in _CP1258_TONES]
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in tones))
        out += (base + "".join(tones)).encode("cp1258")
    return bytes(out)


# Decomposed (NFD) text with doubled, leading, trailing, non-breaking and zero-width spaces.
NFD_SPACES = unicodedata.normalize(
    "NFD",
    "STT,  Họ   và tên ,Ngày sinh,Dân\u00a0tộc,Số CCCD,Đơn vị\n"
    "1, Nông  Thanh\u00a0Hải ,15/03/1980,Tày\u200b, 020 080 001 234 ,xã  Tú Đoạn\n"
    "2,\u200bHoàng Thị\u2007 Lan\t,02/11/1985,Nùng,020185004321,\ufeffThị trấn Na Dương\n",
)


# --- Legacy 8-bit encodings (hand-typed: each character is the byte the font used) ------

# TCVN3 (ABC, .VnTime): "Họ và tên" is typed as "Hä vµ tªn"; \xad is ư.
TCVN3 = (
    "STT,Hä vµ tªn,Ngµy sinh,Giíi tÝnh,D©n téc,Sè CCCD,§¬n vÞ,Chøc vô\r\n"
    "1,N«ng Thanh H¶i,15/03/1980,Nam,Tµy,020080001234,x· Tó §o¹n,BÝ th\xad §¶ng ñy\r\n"
    "2,Hoµng ThÞ Lan,02/11/1985,N÷,Nïng,020185004321,ThÞ trÊn Na D\xad¬ng,Phã Chñ tÞch UBND\r\n"
    "3,Lý V¨n §øc,09/07/1990,Nam,Kinh,020090001111,x· Tó §o¹n,Chñ tÞch UBND\r\n"
    "4,Vi ThÞ H\xadêng,05/06/1988,N÷,Dao,020188007777,ThÞ trÊn Na D\xad¬ng,"
    "V¨n phßng - Thèng kª\r\n"
    "Tæng céng,,,,,,,\r\n"
)

# VNI-Windows: base letter + modifier byte ("Nguyễn" is "Nguyeãn").
VNI = (
    "STT,Hoï vaø teân,Ngaøy sinh,Giôùi tính,Daân toäc,Soá CCCD,Ñôn vò,Chöùc vuï\r\n"
    "1,Noâng Thanh Haûi,15/03/1980,Nam,Taøy,020080001234,xaõ Tuù Ñoaïn,Bí thö Ñaûng uûy\r\n"
    "2,Hoaøng Thò Lan,02/11/1985,Nöõ,Nuøng,020185004321,Thò traán Na Döông,"
    "Phoù Chuû tòch UBND\r\n"
    "3,Lyù Vaên Ñöùc,09/07/1990,Nam,Kinh,020090001111,xaõ Tuù Ñoaïn,Chuû tòch UBND\r\n"
    "4,Vi Thò Höôøng,05/06/1988,Nöõ,Dao,020188007777,Thò traán Na Döông,"
    "Vaên phoøng - Thoáng keâ\r\n"
    "Toång coäng,,,,,,,\r\n"
)


# --- Provincial Excel layout ---------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)


def excel_serial(day: datetime.date) -> int:
    return (day - EXCEL_EPOCH).days


def province_workbook() -> Workbook:
    book = Workbook()
    notes = book.active
    notes.title = "Hướng dẫn"
    notes["A1"] = "Hướng dẫn: điền danh sách ở trang tiếp theo, không đổi tên cột."
    sheet = book.create_sheet("Danh sách")
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    sheet["A1"] = "ĐẢNG BỘ TỈNH LẠNG SƠN"
    sheet.merge_cells("A1:D1")
    sheet["F1"] = "ĐẢNG CỘNG SẢN VIỆT NAM"
    sheet.merge_cells("F1:J1")
    sheet["A2"] = "HUYỆN ỦY LỘC BÌNH"
    sheet.merge_cells("A2:D2")
    sheet["A3"] = "DANH SÁCH CÁN BỘ DIỆN BAN THƯỜNG VỤ HUYỆN ỦY QUẢN LÝ"
    sheet.merge_cells("A3:J3")
    sheet["A4"] = "(Kèm theo Báo cáo số 12-BC/HU ngày 05/01/2025)"
    sheet.merge_cells("A4:J4")
    # Row 5 blank.  Rows 6-7: two header rows; vertical merges except "Trình độ".
    top = [
        "STT",
        "Họ và tên",
        "Ngày, tháng,\nnăm sinh",
        "Giới tính",
        "Dân tộc",
        "Số định danh cá nhân",
        "Đơn vị công tác",
        "Chức vụ",
        "Trình độ",
        None,
        "Ghi chú",
    ]
    for col, text in enumerate(top, 1):
        cell = sheet.cell(row=6, column=col, value=text)
        cell.font, cell.alignment = bold, centre
    for col in (1, 2, 3, 4, 5, 6, 7, 8, 11):
        sheet.merge_cells(start_row=6, start_column=col, end_row=7, end_column=col)
    sheet.merge_cells("I6:J6")
    sheet["I7"], sheet["J7"] = "Chuyên môn", "LLCT"
    for col in range(1, 12):  # row 8: column numbers
        sheet.cell(row=8, column=col, value=f"({col})").alignment = centre

    hai, lan = datetime.date(1980, 3, 15), datetime.date(1985, 11, 2)
    data = [
        # row 9: a real Excel date, CCCD typed as text
        (9, [1, "Nông Thanh Hải", hai, "Nam", "Tày", "020080001234", "xã Tú Đoạn",
             "Bí thư Đảng ủy", "Đại học", "Cao cấp", None]),
        # row 10: the date as a bare serial number, CCCD as a number (leading zero lost)
        (10, [2, "Hoàng Thị Lan", excel_serial(lan), "Nữ", "Nùng", 20185004321,
              "Thị trấn Na Dương", "Phó Chủ tịch UBND", "Thạc sĩ", "Trung cấp", None]),
        # row 11 blank; row 12: date typed as text, extra spaces
        (12, [3, "  Lý  Văn Đức ", "09/07/1990", "Nam", "Kinh", "020090001111",
              "xã Tú Đoạn", "Chủ tịch UBND", "Đại học", "Trung cấp", "Chuyển đến"]),
        # row 13: a datetime value, a float STT
        (13, [4.0, "Vi Thị Hường", datetime.datetime(1988, 6, 5), "Nữ", "Dao",
              "020188007777", "Thị trấn Na Dương", "Văn phòng - Thống kê", "Cao đẳng",
              "Sơ cấp", None]),
    ]  # fmt: skip
    for row, values in data:
        for col, value in enumerate(values, 1):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    sheet["A15"] = "Tổng cộng"
    sheet.merge_cells("A15:B15")
    sheet["C15"] = "4 người"
    return book


def main() -> None:
    write("utf8.csv", UTF8.encode("utf-8"))
    write("utf8_bom.csv", UTF8_BOM.encode("utf-8-sig"))
    write("utf16_tab.txt", UTF16_TAB.encode("utf-16"))  # BOM + little-endian
    write("cp1258_semicolon.csv", to_cp1258(CP1258))
    write("tcvn3.csv", TCVN3.encode("cp1252"))
    write("vni.csv", VNI.encode("cp1252"))
    write("nfd_spaces.csv", NFD_SPACES.encode("utf-8"))
    write("not_a_spreadsheet.xlsx", "Đây là ghi chú, không phải bảng tính.\n".encode())
    book = province_workbook()
    path = HERE / "province_layout.xlsx"
    book.save(path)
    _make_zip_deterministic(path)
    write("province_layout.xls", to_xls(book["Danh sách"]))


def to_xls(sheet) -> bytes:
    """The same sheet as an old Excel 97-2003 .xls (xlwt), with its merges and real dates."""
    import io

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    out = book.add_sheet(sheet.title)
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    merged = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges}
    covered = {
        (row, col)
        for r in sheet.merged_cells.ranges
        for row in range(r.min_row, r.max_row + 1)
        for col in range(r.min_col, r.max_col + 1)
    }
    for row in sheet.iter_rows():
        for cell in row:
            value, at = cell.value, (cell.row, cell.column)
            if value is None or (at in covered and at not in merged):
                continue
            style = date_style if isinstance(value, datetime.date) else xlwt.Style.default_style
            if at in merged:
                r = merged[at]
                out.write_merge(
                    r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1, value, style
                )
            else:
                out.write(cell.row - 1, cell.column - 1, value, style)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _make_zip_deterministic(path: Path) -> None:
    """openpyxl stamps the current time into docProps and zip entries: pin them."""
    import io
    import zipfile

    fixed = (2025, 1, 5, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _pin_timestamps(data)
            info = zipfile.ZipInfo(item.filename, date_time=fixed)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def _pin_timestamps(xml: bytes) -> bytes:
    import re

    return re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-05T00:00:00Z", xml)


if __name__ == "__main__":
    main()

"""Generate the history import corpus (deterministic; the generated files are committed).

Run:  .venv/bin/python tests/cadres/data/histories/make_histories.py

The people are those of tests/cadres/data/import/ (the tests put them on the register).
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent

# Qualifications as a commune types them: the 2C form's headers, "LLCT" for the track, months
# and years only, no year column (the end's year is the year obtained), a column of notes the
# importer does not know, one CCCD not on the register and one misspelt level.
QUALIFICATIONS_CSV = (
    "STT,Họ và tên,Số CCCD,Loại trình độ,Trình độ,Ghi chú của xã,Chuyên ngành đào tạo,"
    "Tên trường,Hình thức đào tạo,Từ tháng năm,Đến tháng năm\r\n"
    "1,Nông Thanh Hải,020080001234,Chuyên môn,Đại học,bản gốc,Luật,Trường Đại học Luật Hà Nội,"
    '"Tại chức, vừa làm vừa học",09/2002,06/2006\r\n'
    "2,Nông Thanh Hải,020080001234,LLCT,Cao cấp,,,Học viện Chính trị khu vực I,"
    '"Tại chức, vừa làm vừa học",03/2015,12/2016\r\n'
    "3,Hoàng Thị Lan,020185004321,Chuyên môn,Thạc sĩ,bản sao,Quản lý kinh tế,"
    "Học viện Chính trị quốc gia Hồ Chí Minh,Chính quy,09/2012,09/2014\r\n"
    "4,Hoàng Thị Lan,020185004321,LLCT,Trung cấp,,,Trường Chính trị Hoàng Văn Thụ,"
    '"Tại chức, vừa làm vừa học",2011-03-01,2012-01-15\r\n'
    "5,Lý Văn Đức,020090001111,Chuyên môn,Đại học,,Kinh tế nông nghiệp,"
    "Trường Đại học Nông Lâm Thái Nguyên,Chính quy,09/2008,06/2012\r\n"
    "6,Vi Thị Hường,020188007777,Quản lý nhà nước,Chuyên viên,,,"
    "Trường Chính trị Hoàng Văn Thụ,Bồi dưỡng ngắn hạn,04/2019,06/2019\r\n"
    "7,Lương Văn Tám,020075009999,Chuyên môn,Đại học,,Luật,,Chính quy,09/1995,06/1999\r\n"
    '8,Lý Văn Đức,020090001111,LLCT,Cao capp,,,,"Tại chức, vừa làm vừa học",03/2020,12/2021\r\n'
)


def qualifications_workbook() -> Workbook:
    """The province's layout: title rows, the 2C form's headers, a row of column numbers, real
    Excel dates and month/year texts, and the year in a column of its own."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Văn bằng"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet["A1"] = "ĐẢNG BỘ HUYỆN LỘC BÌNH"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "DANH SÁCH ĐÀO TẠO, BỒI DƯỠNG (VĂN BẰNG, CHỨNG CHỈ) CỦA CÁN BỘ"
    sheet.merge_cells("A2:K2")
    sheet["A3"] = "(Kèm theo Công văn số 45-CV/BTCHU ngày 10/02/2025)"
    sheet.merge_cells("A3:K3")
    headers = [
        "STT",
        "Họ và tên",
        "Số định danh cá nhân",
        "Loại trình độ",
        "Văn bằng, chứng chỉ, trình độ gì",
        "Chuyên ngành đào tạo, bồi dưỡng",
        "Tên trường",
        "Hình thức đào tạo",
        "Từ tháng, năm",
        "Đến tháng, năm",
        "Năm tốt nghiệp",
    ]
    for col, text in enumerate(headers, 1):
        cell = sheet.cell(row=5, column=col, value=text)
        cell.font, cell.alignment = bold, centre
    for col in range(1, len(headers) + 1):
        sheet.cell(row=6, column=col, value=f"({col})").alignment = centre
    data = [
        [1, "Nông Thanh Hải", "020080001234", "Tin học", "Chuẩn kỹ năng sử dụng CNTT cơ bản",
         None, "Trung tâm GDNN-GDTX huyện Lộc Bình", "Bồi dưỡng ngắn hạn",
         datetime.datetime(2018, 3, 1), datetime.datetime(2018, 5, 1), 2018],
        [2, "Hoàng Thị Lan", "020185004321", "Ngoại ngữ", "Bậc 3 (B1)", "Tiếng Anh",
         "Trường Đại học Ngoại ngữ - ĐHQG Hà Nội", "Bồi dưỡng ngắn hạn", "06/2017", "08/2017",
         2017],
        [3, "Lý Văn Đức", 20090001111, "Lý luận chính trị", "Trung cấp", None,
         "Trường Chính trị Hoàng Văn Thụ", "Tại chức, vừa làm vừa học", "03/2016", "01/2017",
         2017],
        [4, "Vi Thị Hường", "020188007777", "Chuyên môn", "Đại học", "Kế toán",
         "Trường Đại học Kinh tế và Quản trị kinh doanh", "Chính quy", "09/2006", "06/2010",
         2010],
    ]  # fmt: skip
    for row, values in enumerate(data, 7):
        for col, value in enumerate(values, 1):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "mm/yyyy"
    sheet["A12"] = "Tổng cộng"
    sheet["C12"] = "4 văn bằng"
    return book


# The work history of two people, with title rows above and one period still open.
WORK_HISTORY_CSV = (
    "ĐẢNG BỘ XÃ TÚ ĐOẠN,,,,,\r\n"
    "TÓM TẮT QUÁ TRÌNH CÔNG TÁC,,,,,\r\n"
    ",,,,,\r\n"
    "STT,Họ và tên,CCCD,Từ tháng năm,Đến tháng năm,Chức danh,Đơn vị\r\n"
    "1,Nông Thanh Hải,020080001234,07/2006,12/2010,Công chức Tư pháp - Hộ tịch,UBND xã Tú Đoạn\r\n"
    "2,Nông Thanh Hải,020080001234,01/2011,06/2015,Phó Chủ tịch UBND,UBND xã Tú Đoạn\r\n"
    "3,Nông Thanh Hải,020080001234,07/2015,,Bí thư Đảng ủy,Đảng ủy xã Tú Đoạn\r\n"
    "4,Lý Văn Đức,020090001111,08/2012,,Chủ tịch UBND,UBND xã Tú Đoạn\r\n"
)


def write_workbook(book: Workbook, name: str) -> None:
    """Saved with pinned timestamps (openpyxl stamps the current time), so reruns match."""
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-02-10T00:00:00Z", data)
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 2, 10, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    (HERE / name).write_bytes(out.getvalue())


def main() -> None:
    (HERE / "qualifications.csv").write_bytes(QUALIFICATIONS_CSV.encode("utf-8-sig"))
    write_workbook(qualifications_workbook(), "qualifications.xlsx")
    (HERE / "work_history.csv").write_bytes(WORK_HISTORY_CSV.encode("utf-8"))


if __name__ == "__main__":
    main()

"""Files built to attack the importer (issue 16), made in the test that needs them.

Written straight as bytes (the sheet XML by hand, the CSV line by line), not through openpyxl:
a 300,000-row workbook takes seconds this way. The benchmark (bench/file_limits_bench.py) builds
its files with these same functions.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

HEADER = [
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Đối tượng",
    "Đơn vị công tác",
]
SURNAMES = ["Nông", "Hoàng", "Lý", "Vi", "Lương", "Hứa", "Chu", "Nguyễn", "Trần", "Lộc", "Mã"]
GIVEN = ["Thanh Hải", "Thị Lan", "Văn Đức", "Thị Hường", "Minh Tuấn", "Thu Hoa", "Đức Quân"]


def person(number: int, unit: str = "Tú Đoạn") -> list[str]:
    """A valid row of HEADER for the n-th person (distinct CCCD)."""
    name = f"{SURNAMES[number % len(SURNAMES)]} {GIVEN[number % len(GIVEN)]}"
    born = f"{number % 28 + 1}/{number % 12 + 1}/{1970 + number % 30}"
    gender = "Nữ" if "Thị" in name else "Nam"
    return [name, f"0{number:011d}", born, gender, "Tày", "Công chức", unit]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _column(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _row_xml(number: int, cells: list[str]) -> str:
    inner = "".join(
        f'<c r="{_column(col)}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
        for col, text in enumerate(cells, 1)
        if text
    )
    return f'<row r="{number}">{inner}</row>'


def write_xlsx(
    target: BinaryIO | str | Path,
    rows: Iterator[list[str]],
    *,
    dimension: str | None = None,
    extra_xml: str = "",
    level: int = 1,
) -> None:
    """A one-sheet workbook: ``rows`` from row 1, then ``extra_xml`` inside sheetData."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_OPEN.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            batch: list[str] = []
            for number, cells in enumerate(rows, 1):
                batch.append(_row_xml(number, cells))
                if len(batch) == 2000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + extra_xml + "</sheetData></worksheet>").encode())


def far_corner_xlsx(*, declared: bool = True) -> bytes:
    """The 1.7 KB file of issue 16: a header row and one cell at XFD1048576 (the last cell of
    a sheet), which a reader building the sheet as a rectangle allocates 512 GB for. With
    ``declared`` the sheet's dimension says so too; without, it claims A1:B2."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    buffer = io.BytesIO()
    write_xlsx(
        buffer,
        iter([HEADER]),
        dimension="A1:XFD1048576" if declared else "A1:B2",
        extra_xml=far,
    )
    return buffer.getvalue()


def cadres_xlsx(target: BinaryIO | str | Path, rows: int) -> None:
    write_xlsx(target, (HEADER if n == 0 else person(n) for n in range(rows + 1)))


def cadres_csv(target: str | Path, rows: int, *, width: int = 0) -> None:
    """A UTF-8 CSV of ``rows`` people; ``width`` pads each row with filler columns."""
    filler = [f"Ghi chú {i}" for i in range(width)]
    with open(target, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER + filler)
        pad = ["x" * 12] * width
        for number in range(1, rows + 1):
            writer.writerow(person(number) + pad)


def cadres_csv_bytes(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number in range(1, rows + 1):
        writer.writerow(person(number))
    return out.getvalue().encode()


def zip_bomb_xlsx(megabytes: int = 64) -> bytes:
    """A workbook whose sheet inflates ~1000 times (whitespace inside the sheet XML)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, iter([HEADER]), extra_xml=" " * (megabytes << 20), level=9)
    return buffer.getvalue()


_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table>'
    "</office:spreadsheet></office:body></office:document-content>"
)


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(text: str = "", repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if not text:
        return f"<table:table-cell{repeated}/>"
    return (
        f'<table:table-cell{repeated} office:value-type="string"><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def ods_row(cells: list[str], repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(cells)}</table:table-row>"


def write_ods(rows: list[str]) -> bytes:
    """An OpenDocument spreadsheet of ``rows`` (``ods_row``), as LibreOffice lays it out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        book.writestr("content.xml", _ODS_CONTENT.format(rows="".join(rows)))
    return buffer.getvalue()


def far_corner_ods() -> bytes:
    """A header, then one value 1,048,000 rows down: 1.7 KB asking for a rectangle of 8 million
    cells (calamine builds it whole)."""
    header = ods_row([ods_cell(text) for text in HEADER])
    return write_ods(
        [
            header,
            ods_row([ods_cell()], repeat=1_048_000),
            ods_row([ods_cell(repeat=7), ods_cell("x")]),
        ]
    )

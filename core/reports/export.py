"""Exports of a report :class:`~core.reports.Result`: xlsx in the province's layout, CSV that
Excel opens (UTF-8 with BOM) and JSON for scheduled runs. All three write ``Result.table()``,
the rows shown on screen."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.reports import Result

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
FORMULA_PREFIXES = ("=", "+", "-", "@")


def escape_formula(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (also after leading spaces, tabs or line
    breaks) gets a leading apostrophe; numbers are left alone."""
    if isinstance(value, str) and value.lstrip(" \t\r\n").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def place_and_date(on: date) -> str:
    return f"{settings.REPORT_PLACE}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"


def export(result: Result, fmt: str) -> bytes:
    return {"xlsx": to_xlsx, "csv": to_csv, "json": to_json}[fmt](result)


def filename(result: Result, fmt: str) -> str:
    return f"{result.report.name}_{result.period[1]:%Y%m%d}.{fmt}"


def to_csv(result: Result) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape_formula(c.header) for c in result.columns])
    for line in result.table():
        writer.writerow(["" if v is None else escape_formula(v) for v in line])
    # The BOM makes Excel read the file as UTF-8 (Vietnamese diacritics).
    return buffer.getvalue().encode("utf-8-sig")


def to_json(result: Result) -> bytes:
    keys = [c.key for c in result.columns]
    start, end = result.period
    document = {
        "report": result.report.name,
        "title": result.report.title,
        "organisation": settings.ORGANISATION_NAME,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "filters": result.filterset.describe(),
        "columns": [{"key": c.key, "header": c.header} for c in result.columns],
        "rows": [dict(zip(keys, line, strict=True)) for line in result.table()],
        "has_totals": result.totals is not None,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str).encode()


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def to_xlsx(result: Result) -> bytes:
    """Title block (organisation, "ĐẢNG CỘNG SẢN VIỆT NAM"), title, period, filters, the table
    with a header row and a totals row, then place, date and the signature block."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    width = max(len(result.columns), 4)
    half = width // 2
    start, end = result.period

    def merged(row: int, first: int, last: int, text: str, **font) -> None:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell = sheet.cell(row=row, column=first, value=escape_formula(text))
        cell.font = Font(**font)
        cell.alignment = CENTER

    merged(1, 1, half, settings.ORGANISATION_NAME.upper(), bold=True)
    merged(1, half + 1, width, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline="single")
    merged(2, 1, half, "*")
    merged(4, 1, width, result.report.title.upper(), bold=True, size=14)
    merged(5, 1, width, result.report.period_text(start, end), italic=True)
    row = 6
    described = result.filterset.describe()
    if described:
        merged(row, 1, width, "; ".join(described), italic=True)
        row += 1

    header_row = row + 1
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(result.columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=escape_formula(column.header))
        cell.font, cell.alignment, cell.border, cell.fill = Font(bold=True), CENTER, BOX, fill
        sheet.column_dimensions[get_column_letter(index)].width = (
            60 if column.kind == "text" and index == 1 else 18
        )
    lines = result.table()
    for offset, line in enumerate(lines, start=1):
        is_total = result.totals is not None and offset == len(lines)
        for index, (column, value) in enumerate(zip(result.columns, line, strict=True), start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=escape_formula(value))
            cell.border = BOX
            cell.font = Font(bold=is_total)
            if column.kind == "text":
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            else:
                cell.alignment = CENTER
                cell.number_format = {"percent": "0.0", "money": "#,##0"}.get(column.kind, "0")

    row = header_row + len(lines) + 2
    for note in [result.report.description] if result.report.description else []:
        merged(row, 1, width, f"Ghi chú: {note}", italic=True, size=9)
        sheet.row_dimensions[row].height = 45
        row += 2
    merged(row, half + 1, width, place_and_date(result.issued_on), italic=True)
    # "Nơi nhận" (recipients) sits on the left, level with the signature block.
    left = ["Nơi nhận:", "- Lưu: VT."]
    for index, line in enumerate(settings.REPORT_SIGNATURE):
        row += 1
        merged(row, half + 1, width, line, bold=True)
        if index < len(left):
            cell = sheet.cell(row=row, column=1, value=left[index])
            cell.font = Font(bold=index == 0, italic=index == 0, size=11 if index == 0 else 9)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = f"{header_row}:{header_row}"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

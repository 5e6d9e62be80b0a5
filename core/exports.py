"""Writing resources to CSV and xlsx: a plain layout that imports back unchanged, and the
province's list layout (title rows, unit, date, Vietnamese headers).

A spreadsheet evaluates a cell that begins with ``=``, ``+``, ``-`` or ``@``, even after spaces
or a tab (CSV injection). django-import-export's own setting escapes only ``=``, so every text
cell goes through :func:`escape_formula` here. In CSV the escape is a leading apostrophe (the
importer removes it again); in xlsx the cell is written as a string, which Excel never evaluates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.imports.resources import BulkModelResource
from core.imports.widgets import FORMULA_TRIGGERS
from core.masking import mask_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def is_formula_like(value: str) -> bool:
    return value.lstrip(" \t")[:1] in FORMULA_TRIGGERS and value.strip() != ""


def escape_formula(value):
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def mask_name(field) -> str:
    """The field name masking goes by: a resource field may say it shows a masked one
    (``mask_as``: a planning row's cadre is exported as the CCCD)."""
    return getattr(field, "mask_as", None) or field.attribute or ""


def rows_of(
    resource: BulkModelResource, queryset, columns: list[str] | None = None, user=None
) -> tuple[list[str], Iterable[list[str]]]:
    """Headers and rows; with ``user``, every cell as :func:`core.masking.mask_for` lets
    that user see it (what an inspector sees on screen is what they can take away)."""
    fields = (
        [resource.fields[name] for name in columns] if columns else resource.get_export_fields()
    )
    headers = [str(f.column_name) for f in fields]

    def generate():
        for obj in resource.iter_queryset(queryset):
            row = [resource.export_field(f, obj) for f in fields]
            if user is not None:
                row = [mask_for(user, mask_name(f), v) for f, v in zip(fields, row, strict=True)]
            yield row

    return headers, generate()


def to_csv(headers: list[str], rows: Iterable[list[str]]) -> bytes:
    """UTF-8 with BOM (Excel opens it with the right accents), comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([escape_formula(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text_cell(sheet, value, font=None):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store it as a formula; force a plain string cell.
        cell.data_type = "s"
    if font:
        cell.font = font
    return cell


def to_xlsx(
    headers: list[str], rows: Iterable[list[str]], title_rows: list[str] | None = None
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    bold = Font(bold=True)
    for title in title_rows or []:
        sheet.append([_text_cell(sheet, title, bold)] if title else [])
    sheet.append([_text_cell(sheet, header, bold) for header in headers])
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def province_rows(
    resource: BulkModelResource, queryset, columns: list[str], user=None
) -> tuple[list[str], Iterable[list]]:
    headers, rows = rows_of(resource, queryset, columns, user=user)

    def numbered():
        for number, row in enumerate(rows, start=1):
            yield [number, *row]

    return ["STT", *headers], numbered()


def province_title_rows(title: str, unit_name: str, on: date) -> list[str]:
    return [
        settings.ORGANISATION_NAME.upper(),
        "",
        title.upper(),
        f"Đơn vị: {unit_name}",
        f"Tính đến ngày {on:%d/%m/%Y}",
        "",
    ]

"""The year's figures of party-member development, on screen and as xlsx: coverage of villages
and schools per commune with the change since an earlier date, admissions against targets,
people overdue for a step. Each figure carries the URL of the admin list behind it."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils.http import urlencode
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cadres.models import Unit
from party.choices import Coverage
from party.coverage import coverage_by_commune
from party.models import AdmissionCandidate, AdmissionTarget


@dataclass(frozen=True)
class Figure:
    value: Any
    url: str = ""

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


def admin_url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(f"admin:party_{name}_changelist") + (f"?{query}" if query else "")


def percent_text(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") if whole else "—"


def year_end(year: int, today: date) -> date:
    """The day a year's figures are taken: 31 December, or today for the running year."""
    return min(date(year, 12, 31), today)


def coverage_table(on: date, since: date, user) -> list[dict[str, Any]]:
    """One row per commune then the totals: for each coverage its count on ``since``, on
    ``on`` and the change, the counts on ``on`` linking to the list of those units. Only the
    units ``user`` may see are counted."""
    rows = []
    for row in coverage_by_commune(on, since=since, units=Unit.objects.visible_to(user)):
        line: dict[str, Any] = {
            "name": row.name,
            "total": row.total,
            "is_total": not row.commune_id,
        }
        for coverage in Coverage.values:
            line[f"{coverage}_since"] = row.counts_since[coverage]
            line[coverage] = Figure(
                row.counts[coverage],
                admin_url(
                    "coveredunit", on=on.isoformat(), coverage=coverage, commune=row.commune_id
                ),
            )
            line[f"{coverage}_change"] = row.change(coverage)
        rows.append(line)
    return rows


def admissions_table(year: int, user) -> list[dict[str, Any]]:
    """Targets of ``year`` per unit with the admissions decided in the unit and below it; the
    total counts every admission of the year in the units ``user`` may see."""
    targets = AdmissionTarget.objects.filter(year=year, unit__in=Unit.objects.visible_to(user))
    candidates = AdmissionCandidate.objects.filter(unit__in=Unit.objects.visible_to(user))
    rows = [
        {
            "name": target.unit.name,
            "target": target.target,
            "admitted": Figure(
                target.admitted,
                admin_url("admissioncandidate", admitted_year=year, commune=target.unit_id),
            ),
            "share": percent_text(target.admitted, target.target),
            "is_total": False,
        }
        for target in targets.with_admitted().select_related("unit").order_by("unit__path")
    ]
    target_total = targets.aggregate(n=Sum("target"))["n"] or 0
    admitted_total = candidates.admitted_in(year).count()
    rows.append(
        {
            "name": "Toàn huyện",
            "target": target_total,
            "admitted": Figure(admitted_total, admin_url("admissioncandidate", admitted_year=year)),
            "share": percent_text(admitted_total, target_total),
            "is_total": True,
        }
    )
    return rows


def overdue_figures(on: date, user) -> list[tuple[str, Figure]]:
    candidates = AdmissionCandidate.objects.filter(unit__in=Unit.objects.visible_to(user))
    return [
        (
            "Hết thời hạn dự bị, chưa được công nhận chính thức",
            Figure(
                candidates.probation_overdue(on).count(),
                admin_url("admissioncandidate", on=on.isoformat(), overdue="probation"),
            ),
        ),
        (
            "Đã kết nạp nhưng chưa học lớp nhận thức về Đảng trước khi kết nạp",
            Figure(
                candidates.admitted_without_candidate_class(on).count(),
                admin_url("admissioncandidate", on=on.isoformat(), overdue="candidate_class"),
            ),
        ),
    ]


# --- xlsx in the province's layout --------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def place_and_date(on: date) -> str:
    place = getattr(settings, "REPORT_PLACE", "Lộc Bình")
    return f"{place}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"


def _merged(sheet, row: int, first: int, last: int, text: str, **font) -> None:
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=text)
    cell.font = Font(**font)
    cell.alignment = CENTER


def _sheet(
    book: Workbook,
    title: str,
    heading: str,
    period: str,
    headers: list[str],
    lines: list[tuple[list[Any], bool]],
    issued_on: date,
    notes: list[str] = (),
):
    """Title block, title, period, header row, rows (totals bold), notes, place, date and the
    signature block: the layout of the province's report forms."""
    sheet = book.create_sheet(title)
    width = len(headers)
    half = width // 2
    _merged(sheet, 1, 1, half, settings.ORGANISATION_NAME.upper(), bold=True)
    _merged(sheet, 1, half + 1, width, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, underline="single")
    _merged(sheet, 2, 1, half, "*")
    _merged(sheet, 4, 1, width, heading.upper(), bold=True, size=14)
    _merged(sheet, 5, 1, width, period, italic=True)
    header_row = 7
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=index, value=header)
        cell.font, cell.alignment, cell.border, cell.fill = (
            Font(bold=True),
            CENTER,
            BOX,
            HEADER_FILL,
        )
        sheet.column_dimensions[get_column_letter(index)].width = 36 if index == 2 else 13
    sheet.column_dimensions["A"].width = 6
    for offset, (values, is_total) in enumerate(lines, start=1):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=value)
            cell.border = BOX
            cell.font = Font(bold=is_total)
            cell.alignment = Alignment(vertical="center", wrap_text=True) if index == 2 else CENTER
    row = header_row + len(lines) + 2
    for note in notes:
        _merged(sheet, row, 1, width, note, italic=True, size=9)
        row += 1
    row += 1
    _merged(sheet, row, half + 1, width, place_and_date(issued_on), italic=True)
    signature = getattr(settings, "REPORT_SIGNATURE", ["TM. BAN THƯỜNG VỤ", "TRƯỞNG BAN TỔ CHỨC"])
    for line in signature:
        row += 1
        _merged(sheet, row, half + 1, width, line, bold=True)
    _merged(sheet, row + 4, 1, half, "Nơi nhận:", bold=True, italic=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return sheet


def value(item: Any) -> Any:
    return item.value if isinstance(item, Figure) else item


def year_workbook(year: int, today: date, user) -> bytes:
    """The year's figures: coverage at the year's end against the previous year's end, and
    admissions against targets, with the overdue counts as notes."""
    on, since = year_end(year, today), date(year - 1, 12, 31)
    book = Workbook()
    book.remove(book.active)
    coverage_lines = []
    for number, row in enumerate(coverage_table(on, since, user), start=1):
        cells = [
            row[f"{c}{suffix}"] for c in Coverage.values for suffix in ("_since", "", "_change")
        ]
        coverage_lines.append(
            (
                [None if row["is_total"] else number, row["name"], row["total"]] + cells,
                row["is_total"],
            )
        )
    headers = ["STT", "Xã, thị trấn", "Tổng số thôn, trường"]
    for coverage in Coverage:
        headers += [
            f"{coverage.label}: {since:%d/%m/%Y}",
            f"{coverage.label}: {on:%d/%m/%Y}",
            "Tăng (+), giảm (-)",
        ]
    _sheet(
        book,
        "Thôn, trường học",
        "Tình hình thôn, trường học chưa có đảng viên, chưa có chi bộ",
        f"Tính đến ngày {on:%d/%m/%Y}, so với ngày {since:%d/%m/%Y}",
        headers,
        [([value(v) for v in line], total) for line, total in coverage_lines],
        today,
        notes=[
            "Ghi chú: thôn, trường học sinh hoạt trong chi bộ ghép được tính cho mọi đơn vị "
            "chi bộ đó phục vụ; số đảng viên theo báo cáo định kỳ gần nhất và người được kết "
            "nạp sau kỳ báo cáo."
        ],
    )
    admission_lines = [
        (
            [None if row["is_total"] else number, row["name"], row["target"]]
            + [value(row["admitted"]), row["share"]],
            row["is_total"],
        )
        for number, row in enumerate(admissions_table(year, user), start=1)
    ]
    _sheet(
        book,
        "Kết nạp đảng viên",
        f"Kết quả kết nạp đảng viên năm {year}",
        f"Từ ngày 01/01/{year} đến ngày {on:%d/%m/%Y}",
        ["STT", "Đơn vị", "Chỉ tiêu", "Đã kết nạp", "Tỷ lệ (%)"],
        admission_lines,
        today,
        notes=[f"{label}: {figure.value} người." for label, figure in overdue_figures(on, user)],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, QuerySet
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Unit
from cadres.reports import CadreReport
from core import reports
from core.reports import export
from tests.cadres.report_data import AFTER, build_district
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

SHARES = "ty-le-trinh-do"


class CadresPerUnitReport(CadreReport):
    """The smallest report with a totals row: what a second-round report looks like."""

    name = "thu-so-can-bo"
    title = "Số cán bộ theo đơn vị"
    columns = [
        reports.Column("unit", "Đơn vị", kind="text"),
        reports.Column("cadres", "Số cán bộ", total=True),
    ]

    def queryset(self) -> QuerySet:
        return Unit.objects.all()

    def rows(self, filterset, on):
        units = Unit.objects.annotate(n=Count("cadres")).filter(n__gt=0).order_by("name")
        return [
            {
                "unit": unit.name,
                "cadres": reports.Cell(
                    unit.n, reports.admin_list_url("cadres_cadre", {"unit": unit.pk})
                ),
            }
            for unit in units
        ]


@pytest.fixture
def per_unit_report():
    reports.register(CadresPerUnitReport)
    yield reports.get(CadresPerUnitReport.name)
    reports._registry.pop(CadresPerUnitReport.name)


@pytest.fixture
def hostile_units():
    """Unit names a spreadsheet would run as formulas."""
    for name, people in (("=HYPERLINK(1)", 2), ("  +1+1", 1), ("\t@SUM(A1)", 3)):
        unit = UnitFactory(name=name)
        for _ in range(people):
            CadreFactory(unit=unit)


def sheet_text(content: bytes) -> list[list]:
    """The sheet's rows without their empty trailing cells."""
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    return rows


def test_the_xlsx_export_has_the_provinces_title_block_table_and_signature(
    per_unit_report, hostile_units
):
    result = per_unit_report.run({"date_from": "2025-01-01", "date_to": "2025-06-30"}, AFTER)
    rows = sheet_text(export.to_xlsx(result))
    assert rows[0][0] == settings.ORGANISATION_NAME.upper()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in rows[0]
    assert rows[3][0] == "SỐ CÁN BỘ THEO ĐƠN VỊ"
    assert rows[4][0] == "Từ ngày 01/01/2025 đến ngày 30/06/2025"
    header = rows.index(["Đơn vị", "Số cán bộ"])
    assert rows[header + 1 : header + 5] == [
        ["'\t@SUM(A1)", 3],
        ["'  +1+1", 1],
        ["'=HYPERLINK(1)", 2],
        ["Tổng cộng", 6],
    ]
    dated = next(i for i, row in enumerate(rows) if "Lộc Bình, ngày 30 tháng 06 năm 2025" in row)
    assert rows[dated + 1 : dated + 3] == [
        ["Nơi nhận:", None, "TM. BAN THƯỜNG VỤ"],
        ["- Lưu: VT.", None, "TRƯỞNG BAN TỔ CHỨC"],
    ]


def test_the_shares_xlsx_states_the_date_the_filters_and_each_denominator():
    build_district()
    commune = Unit.objects.get(code="9991")
    result = reports.get(SHARES).run({"date_to": "2025-06-30", "unit": commune.pk}, AFTER)
    rows = sheet_text(export.to_xlsx(result))
    assert rows[4][0] == "Tính đến ngày 30/06/2025"
    assert rows[5][0] == "Đơn vị: Xã Tú Đoạn"
    key_cadres = [row[1:] for row in rows if row and str(row[0]).startswith("Cán bộ chủ")]
    assert key_cadres == [["cán bộ giữ chức danh chủ chốt cấp xã", 3, 2, 66.7, 65]]


def test_the_csv_export_opens_in_excel_and_escapes_formulas(per_unit_report, hostile_units):
    content = export.to_csv(per_unit_report.run({}, AFTER))
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines == [
        ["Đơn vị", "Số cán bộ"],
        ["'\t@SUM(A1)", "3"],
        ["'  +1+1", "1"],
        ["'=HYPERLINK(1)", "2"],
        ["Tổng cộng", "6"],
    ]


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+2", "'=1+2"),
        ("-2", "'-2"),
        (" \t@x", "' \t@x"),
        ("+", "'+"),
        ("Xã A", "Xã A"),
        (-2, -2),
    ],
)
def test_formula_like_text_is_escaped_and_numbers_are_not(value, escaped):
    assert export.escape_formula(value) == escaped


def test_the_download_links_export_what_the_screen_shows(admin_client, per_unit_report):
    CadreFactory(unit=UnitFactory(name="Xã Mẫu Sơn"))
    url = reverse("reports:detail", args=[per_unit_report.name])
    screen = admin_client.get(url).content.decode()
    assert "Xã Mẫu Sơn" in screen and "Tổng cộng" in screen
    response = admin_client.get(url, {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="thu-so-can-bo_')
    assert "Xã Mẫu Sơn,1" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_the_report_command_writes_each_format(tmp_path, fmt):
    build_district()
    output = tmp_path / f"out.{fmt}"
    call_command(
        "report", SHARES, "--from", "2025-01-01", "--to", "2025-06-30", "--unit", "9991",
        "--format", fmt, "--output", str(output),
    )  # fmt: skip
    content = output.read_bytes()
    if fmt == "xlsx":
        rows = sheet_text(content)
        assert rows[5][0] == "Đơn vị: Xã Tú Đoạn"
        assert ["cán bộ giữ chức danh chủ chốt cấp xã", 3, 2] in [row[1:4] for row in rows]
    elif fmt == "csv":
        lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert lines[2][:4] == [
            "Cán bộ chủ chốt cấp xã có trình độ lý luận chính trị từ trung cấp trở lên",
            "cán bộ giữ chức danh chủ chốt cấp xã",
            "3",
            "2",
        ]
    else:
        document = json.loads(content)
        assert (document["from"], document["to"]) == ("2025-01-01", "2025-06-30")
        assert [(r["numerator"], r["denominator"]) for r in document["rows"]] == [
            (0, 0), (2, 3), (1, 2)
        ]  # fmt: skip


def test_the_report_command_rejects_an_unknown_unit():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        call_command("report", SHARES, "--unit", "khong-co", "--format", "csv")


def test_the_report_command_lists_the_reports_and_prints_csv_without_an_output_file():
    listing, printed = io.StringIO(), io.StringIO()
    call_command("report", "--list", stdout=listing)
    assert f"{SHARES}\tTỷ lệ cán bộ, công chức đạt chuẩn trình độ" in listing.getvalue()
    call_command("report", SHARES, "--format", "csv", stdout=printed)
    assert printed.getvalue().lstrip("\ufeff").startswith("Chỉ tiêu,Đối tượng tính (mẫu số)")

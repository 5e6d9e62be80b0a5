"""Files are checked before they are parsed and read in bounded memory (issue 16, item 1).

The crafted files are built here (tests/crafted_files.py). The old reader built an .xlsx sheet
as a rectangle: given the far-corner file it aborted the whole process, pytest included, so
these tests passing at all is part of what they show.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cadres.models import Cadre
from core import tabular, workbooks
from core.tabular import TableError, TooManyRows, open_table, read_table
from tests import crafted_files as crafted
from tests.factories import UnitFactory

DATA = crafted.HEADER
ALIASES = {
    "full_name": ["Họ và tên"],
    "cccd": ["Số CCCD"],
    "birth_date": ["Ngày sinh"],
    "unit": ["Đơn vị công tác"],
}
IMPORT = reverse("admin:cadres_cadre_import")


def xlsx(rows, **kwargs) -> bytes:
    buffer = io.BytesIO()
    crafted.write_xlsx(buffer, iter(rows), **kwargs)
    return buffer.getvalue()


# --- Refused before anything is allocated -----------------------------------------------------


@pytest.mark.parametrize("declared", [True, False])
def test_a_workbook_with_one_cell_at_the_far_corner_is_refused_with_the_cell_named(declared):
    data = crafted.far_corner_xlsx(declared=declared)
    assert len(data) < 2000
    with pytest.raises(TableError, match="XFD1048576 nằm ngoài giới hạn") as refused:
        read_table(data, "ds.xlsx", ALIASES)
    assert "tối đa 256 cột" in str(refused.value)


def test_a_cell_past_the_column_limit_counts_even_without_a_reference():
    far = '<row r="2">' + '<c t="inlineStr"><is><t>x</t></is></c>' * 300 + "</row>"
    data = xlsx([DATA], extra_xml=far)
    with pytest.raises(TableError, match="IW2"):
        read_table(data, "ds.xlsx", ALIASES)


def test_empty_formatted_cells_far_right_are_ignored_not_refused():
    styled = '<row r="3"><c r="A3" t="inlineStr"><is><t>Lý Văn Đức</t></is></c>'
    styled += '<c r="B3" t="inlineStr"><is><t>020085001234</t></is></c><c r="XFD3" s="1"/></row>'
    table = read_table(xlsx([DATA, crafted.person(1)], extra_xml=styled), "ds.xlsx", ALIASES)
    assert [row.values["full_name"] for row in table.rows] == [crafted.person(1)[0], "Lý Văn Đức"]


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_it_is_inflated():
    data = crafted.zip_bomb_xlsx(megabytes=16)
    assert len(data) < 100_000
    with pytest.raises(TableError, match="bom nén"):
        read_table(data, "ds.xlsx", ALIASES)


def test_a_zip_announcing_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ZIP_ENTRIES", 10)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for number in range(11):
            book.writestr(f"part{number}.xml", "<x/>")
    with pytest.raises(TableError, match="quá nhiều thành phần"):
        read_table(buffer.getvalue(), "ds.xlsx", ALIASES)


def test_a_row_too_large_to_hold_is_refused_before_it_is_parsed(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_ROW_BYTES", 10_000)
    wide = '<row r="2">' + "<c/>" * 5000 + "</row>"
    with pytest.raises(TableError, match="một dòng của bảng tính chiếm"):
        read_table(xlsx([DATA], extra_xml=wide), "ds.xlsx", ALIASES)


def test_a_million_merged_ranges_are_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_MERGED", 10)
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(3, 20))
    sheet = xlsx([DATA, crafted.person(1)])
    with zipfile.ZipFile(io.BytesIO(sheet)) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    name = "xl/worksheets/sheet1.xml"
    parts[name] = parts[name].replace(
        b"</worksheet>", f"<mergeCells>{merges}</mergeCells></worksheet>".encode()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for part, content in parts.items():
            book.writestr(part, content)
    with pytest.raises(TableError, match="vùng ô gộp"):
        read_table(buffer.getvalue(), "ds.xlsx", ALIASES)


def test_an_xls_whose_cells_span_too_large_a_rectangle_is_refused():
    book = xlwt.Workbook()
    sheet = book.add_sheet("DS")
    for col, label in enumerate(DATA):
        sheet.write(0, col, label)
    sheet.write(65535, 200, "x")  # 65,536 rows x 201 columns: 13 million cells for calamine
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TableError, match="65536 dòng × 201 cột"):
        read_table(buffer.getvalue(), "ds.xls", ALIASES)


def test_an_xls_with_a_cell_past_the_column_limit_is_refused(monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_COLUMNS", 20)
    book = xlwt.Workbook()
    sheet = book.add_sheet("DS")
    for col, label in enumerate(DATA):
        sheet.write(0, col, label)
    sheet.write(1, 30, "x")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TableError, match="AE2 nằm ngoài giới hạn"):
        read_table(buffer.getvalue(), "ds.xls", ALIASES)


def test_a_csv_row_with_data_past_the_column_limit_is_refused_but_trailing_commas_are_not():
    ok = ",".join(DATA) + "\n" + ",".join(crafted.person(1)) + "," * 400 + "\n"
    assert len(read_table(ok.encode(), "ds.csv", ALIASES).rows) == 1
    bad = ok + ",".join(crafted.person(2)) + "," * 400 + "x\n"
    with pytest.raises(TableError, match="Dòng 3 có dữ liệu ở cột thứ 407"):
        read_table(bad.encode(), "ds.csv", ALIASES)


# --- Read as a stream, stopped at the limit ---------------------------------------------------


def test_reading_stops_at_the_first_row_past_the_limit_without_reading_further():
    # Row 200 would refuse the whole file; with a limit of 2 rows it is never read (the first
    # 100 rows are read at once: the header and the encoding are found there).
    rows = [DATA, *(crafted.person(n) for n in range(1, 199))]
    far = '<row r="200"><c r="XFD200" t="inlineStr"><is><t>x</t></is></c></row>'
    data = xlsx(rows, extra_xml=far)
    with pytest.raises(TooManyRows, match="hơn 2 dòng"):
        read_table(data, "ds.xlsx", ALIASES, max_rows=2)
    csv = "\n".join([",".join(row) for row in rows] + ["," * 300 + "x"]).encode()
    with pytest.raises(TooManyRows):
        read_table(csv, "ds.csv", ALIASES, max_rows=2)


def test_open_table_gives_the_header_at_once_and_the_rows_as_they_are_read():
    far = '<row r="200"><c r="XFD200" t="inlineStr"><is><t>x</t></is></c></row>'
    rows = [DATA, *(crafted.person(n) for n in range(1, 199))]
    table = open_table(xlsx(rows, extra_xml=far), "ds.xlsx", ALIASES)
    assert table.headers == DATA
    read = iter(table.rows)
    assert [next(read).values["cccd"] for _ in range(198)][-1] == "000000000198"
    with pytest.raises(TableError, match="XFD200"):
        next(read)


CORPUS = ["utf8.csv", "utf8_bom.csv", "utf16_tab.txt", "cp1258_semicolon.csv", "tcvn3.csv"]


@pytest.mark.parametrize("name", [*CORPUS, "vni.csv", "nfd_spaces.csv"])
def test_a_csv_read_in_tiny_pieces_gives_the_same_table_as_read_whole(monkeypatch, name):
    from tests.core.test_tabular import ALIASES as FULL
    from tests.core.test_tabular import DATA as CORPUS_DIR

    data = (CORPUS_DIR / name).read_bytes()
    whole = read_table(data, name, FULL)
    monkeypatch.setattr(tabular, "_CHUNK", 3)
    with (CORPUS_DIR / name).open("rb") as file:
        pieces = open_table(file, name, FULL)
        rows = list(pieces.rows)
    assert (pieces.encoding, pieces.delimiter, pieces.headers) == (
        whole.encoding,
        whole.delimiter,
        whole.headers,
    )
    assert rows == whole.rows


# --- Through the import page and the command -------------------------------------------------


@pytest.fixture
def tu_doan(db):
    return UnitFactory(name="Xã Tú Đoạn")


def upload(client, data: bytes, name: str):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.django_db
def test_the_import_page_refuses_the_far_corner_workbook_with_its_reason(admin_client):
    response = upload(admin_client, crafted.far_corner_xlsx(), "ds.xlsx")
    assert response.status_code == 200
    assert "XFD1048576 nằm ngoài giới hạn" in response.content.decode()
    assert "report" not in response.context


@pytest.mark.django_db
def test_the_command_refuses_the_far_corner_workbook_with_its_reason(tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(crafted.far_corner_xlsx(declared=False))
    with pytest.raises(CommandError, match="XFD1048576 nằm ngoài giới hạn"):
        call_command("import_cadres", str(path))


@pytest.mark.django_db
def test_the_command_refuses_a_cell_found_late_in_the_file_and_writes_nothing(tmp_path, tu_doan):
    path = tmp_path / "ds.xlsx"
    rows = [DATA, *(crafted.person(n) for n in range(1, 2501))]
    far = '<row r="3000"><c r="XFD3000" t="inlineStr"><is><t>x</t></is></c></row>'
    path.write_bytes(xlsx(rows, extra_xml=far))
    with pytest.raises(CommandError, match="XFD3000"):
        call_command("import_cadres", str(path))
    assert not Cadre.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_a_file_in_chunks_and_counts_every_row(tmp_path, tu_doan, capsys):
    path = tmp_path / "ds.xlsx"
    crafted.cadres_xlsx(path, 4500)  # three chunks of the engine
    call_command("import_cadres", str(path))
    assert capsys.readouterr().out.strip().endswith("new 4500, updated 0, unchanged 0, rejected 0")
    assert Cadre.objects.count() == 4500


# --- The files of issue 16 at full size (slow: -m "not heavy" skips them locally) -------------


@pytest.mark.heavy
@pytest.mark.django_db
def test_the_import_page_refuses_a_300000_row_workbook_at_the_row_limit(admin_client, settings):
    buffer = io.BytesIO()
    crafted.cadres_xlsx(buffer, 300_000)
    settings.IMPORT_MAX_BYTES = 64 << 20
    response = upload(admin_client, buffer.getvalue(), "ds.xlsx")
    assert f"Tệp có hơn {settings.IMPORT_MAX_ROWS} dòng" in response.content.decode()


@pytest.mark.heavy
@pytest.mark.django_db
def test_the_import_page_refuses_a_900000_row_csv_at_the_row_limit(admin_client, settings):
    data = crafted.cadres_csv_bytes(900_000)
    settings.IMPORT_MAX_BYTES = len(data) + 1
    response = upload(admin_client, data, "ds.csv")
    assert f"Tệp có hơn {settings.IMPORT_MAX_ROWS} dòng" in response.content.decode()


@pytest.mark.heavy
@pytest.mark.parametrize("rows", [300_000])
def test_a_300000_row_workbook_streams_every_row(tmp_path, rows):
    path = tmp_path / "ds.xlsx"
    crafted.cadres_xlsx(path, rows)
    with path.open("rb") as file:
        table = open_table(file, path.name, ALIASES)
        count = last = 0
        for row in table.rows:
            count, last = count + 1, row.line
    assert (count, last) == (rows, rows + 1)


@pytest.mark.heavy
def test_a_900000_row_csv_streams_every_row(tmp_path):
    path = tmp_path / "ds.csv"
    crafted.cadres_csv(path, 900_000)
    with path.open("rb") as file:
        table = open_table(file, path.name, ALIASES)
        count = sum(1 for _ in table.rows)
    assert count == 900_000


# --- .ods ----------------------------------------------------------------------------------------


def test_an_ods_with_a_value_at_the_far_corner_is_refused_before_it_is_read():
    with pytest.raises(TableError, match="quá lớn để đọc dạng .ods"):
        read_table(crafted.far_corner_ods(), "ds.ods", ALIASES)


def test_an_ods_as_libreoffice_writes_it_with_its_unused_area_repeated_is_read():
    rows = [
        crafted.ods_row([crafted.ods_cell(t) for t in DATA] + [crafted.ods_cell(repeat=1000)]),
        crafted.ods_row([crafted.ods_cell(t) for t in crafted.person(1)]),
        crafted.ods_row([crafted.ods_cell(repeat=1024)], repeat=1_048_574),
    ]
    table = read_table(crafted.write_ods(rows), "ds.ods", ALIASES)
    assert len(table.rows) == 1


def test_an_ods_zip_bomb_is_refused_by_its_compression_ratio():
    padding = crafted.ods_row([crafted.ods_cell("x" * 64)] * 1) * 200_000
    with pytest.raises(TableError, match="nén"):
        read_table(crafted.write_ods([padding]), "ds.ods", ALIASES)

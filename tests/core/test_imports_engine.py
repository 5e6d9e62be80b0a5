"""The import engine's handling of files as communes send them (core.imports.engine, widgets):
numbers that lost zeros, lines under the table, names like formulas, dates in the future,
every fault of a row, bad cells that must not crash, reasons as a to-do list, unknown reference
values reconciled once per distinct value, and remembered aliases."""

import contextlib
import gc
import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from import_export.fields import Field

from cadres.models import Cadre, Ethnicity, Religion
from cadres.resources import CadreResource
from core import tabular
from core.imports import widgets
from core.imports.engine import (
    FewerCollections,
    fewer_collections,
    read_file,
    related_setter,
    run_import,
)
from core.imports.widgets import LookupWidget, save_alias
from core.pgcopy import analyse_grown
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"


@pytest.fixture(autouse=True)
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn")


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def preview(data: bytes, resource=None, name="ds.csv", **kwargs):
    resource = resource or CadreResource()
    return run_import(resource, read_file(data, name, resource), write=False, **kwargs)


def commit(data: bytes, resource=None, name="ds.csv", **kwargs):
    resource = resource or CadreResource()
    return run_import(resource, read_file(data, name, resource), write=True, **kwargs)


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Cells and rows as files write them ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("20085001234", "020085001234"),  # one zero lost (Lạng Sơn, 020)
        ("1085001234", "001085001234"),  # two zeros lost (Hà Nội, 001)
        ("4185001234", "004185001234"),  # two zeros lost (Cao Bằng, 004)
        (20085001234.0, "020085001234"),
    ],
)
def test_a_cccd_that_lost_its_leading_zeros_in_a_number_cell_is_padded(written, read):
    assert tabular.normalise_cccd(written) == read


def test_ten_digits_that_no_province_code_explains_stay_refused():
    with pytest.raises(ValueError, match="12 chữ số"):
        tabular.normalise_cccd("9085001234")


def test_a_provincial_xlsx_with_number_cccds_a_title_totals_and_signatures_goes_in():
    data = xlsx(
        [
            ["DANH SÁCH CÁN BỘ XÃ TÚ ĐOẠN NĂM 2024"],
            [],
            [
                "STT",
                "Họ và tên",
                "Số CCCD",
                "Ngày sinh",
                "Giới tính",
                "Dân tộc",
                "Đối tượng",
                "Đơn vị công tác",
            ],
            [1, "Nông Văn Hà", 1085001234, "17/05/1985", "Nam", "Tày", "Công chức", "Tú Đoạn"],
            [2, "Lý Thị Mai", 20190001111, "02/11/1990", "Nữ", "Nùng", "Cán bộ", "Tú Đoạn"],
            [3, "Vi Văn Sơn", 20190001112, "31/02/1990", "Nam", "Tày", "Cán bộ", "Tú Đoạn"],
            ["Tổng cộng", "3 người"],
            [],
            ["", "Người lập biểu", "", "", "", "Lộc Bình, ngày 15 tháng 3 năm 2024"],
            ["", "(Ký, ghi rõ họ tên)", "", "", "", "TM. Đảng ủy"],
            ["Ghi chú: danh sách gồm cán bộ đương chức."],
            ["", "Hoàng Văn Lập", "", "", "", "Nông Văn Ký"],
        ]
    )
    report = preview(data, name="ds.xlsx")
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 1"
    rejected = report.rejected[0]
    # Labelled by the person, reasons prefixed by the column, not by the sheet's title.
    assert rejected.label == "Vi Văn Sơn"
    assert rejected.errors == ["Ngày sinh: Ngày không hợp lệ: 31/02/1990 (dùng dạng dd/mm/yyyy)"]
    commit(data, name="ds.xlsx", skip_rejected=True)
    assert Cadre.objects.filter(cccd="001085001234").exists()


def test_a_title_line_above_a_csv_table_does_not_become_part_of_the_column_names():
    data = csv_bytes(
        "Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Khác,Tú Đoạn",
        header="DANH SÁCH CÁN BỘ CÔNG CHỨC XÃ TÚ ĐOẠN,,,,,,\n" + HEADER,
    )
    report = preview(data)
    assert report.rejected[0].errors[0].startswith("Đối tượng: Không có đối tượng “Khác”")


def test_a_name_written_like_a_formula_is_refused_and_notes_keep_such_text():
    header = HEADER.strip() + ",Ghi chú\n"
    report = preview(
        csv_bytes(
            '"=HYPERLINK(""http://x"")",020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn,',
            "Lý Thị Mai,020190001111,02/11/1990,Nữ,Nùng,Cán bộ,Tú Đoạn,=chuyển công tác",
            header=header,
        )
    )
    assert "như một công thức bảng tính" in report.rejected[0].errors[0]
    assert report.new == 1


@pytest.mark.parametrize("column", ["Ngày sinh", "Ngày vào Đảng"])
def test_a_date_that_cannot_be_in_the_future_is_refused(column):
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    header = "Họ và tên,Số CCCD,Giới tính,Đơn vị công tác,Đối tượng,Ngày sinh,Ngày vào Đảng\n"
    born, joined = ("17/05/1985", tomorrow) if column == "Ngày vào Đảng" else (tomorrow, "")
    row = f"Nông Văn Hà,020085001234,Nam,Tú Đoạn,Công chức,{born},{joined}"
    report = preview(csv_bytes(row, header=header))
    assert f"{column}: {tomorrow} là ngày trong tương lai." in report.rejected[0].errors


def test_every_fault_of_a_row_is_reported_not_only_the_first():
    header = HEADER.strip() + ",Ngày vào Đảng,Ngày chính thức\n"
    row = "Nông Văn Hà,020085001234,17/05/1985,Nữ giới,Tàyy,Công chức,Tú Đoạn,01/01/2010,01/01/2009"
    errors = preview(csv_bytes(row, header=header)).rejected[0].errors
    assert any(e.startswith("Giới tính: Không có giới tính") for e in errors)
    assert any(e.startswith("Dân tộc: Không có dân tộc “Tàyy”") for e in errors)
    assert "Ngày chính thức: Ngày chính thức phải sau ngày vào Đảng." in errors
    assert len(errors) == 3


def test_a_birth_date_given_as_a_year_alone_is_the_first_of_january_and_flagged():
    report = commit(csv_bytes("Nông Văn Hà,020085001234,1975,Nam,Tày,Công chức,Tú Đoạn"))
    assert Cadre.objects.get().birth_date == date(1975, 1, 1)
    assert report.rows[0].notes == ["Ngày sinh: chỉ ghi năm 1975, đọc là 01/01/1975"]
    assert "chỉ ghi năm" in report.note_groups()[0].reason


def test_a_widget_that_fails_on_a_bad_cell_rejects_the_row_instead_of_crashing(monkeypatch):
    def broken(self, value, row=None, **kwargs):
        return value.no_such_attribute

    monkeypatch.setattr(widgets.TextWidget, "clean", broken)
    report = preview(
        csv_bytes("Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn"),
    )
    assert report.rejected_count == 1
    assert "AttributeError" in report.rejected[0].errors[0]
    assert report.rejected[0].errors[0].startswith("Họ và tên: không đọc được giá trị")


def test_a_row_rule_that_crashes_becomes_a_reason(monkeypatch):
    def broken(self, instance, on):
        raise TypeError("boom")

    monkeypatch.setattr(CadreResource, "rule_errors", broken)
    report = preview(csv_bytes("Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn"))
    assert "TypeError" in report.rejected[0].errors[0]


# --- The preview as a to-do list --------------------------------------------------------------


def test_repeated_reasons_collapse_to_one_line_with_the_row_count_and_the_fix():
    rows = [f"Người {n},0200850012{n:02d},17/05/1985,Nam,Tày,,Tú Đoạn" for n in range(30)]
    rows += ["Lý Thị Mai,020190001111,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn"]
    header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"
    report = preview(csv_bytes(*rows, header=header), resource=CadreResource(wipe_empty=True))
    problems = report.problems()
    assert len(problems) == 1
    assert problems[0].rows == 30
    assert problems[0].lines[:3] == [2, 3, 4]
    assert problems[0].fix


# --- Reconciling values once --------------------------------------------------------------------


def test_unknown_values_are_grouped_once_per_distinct_value_with_the_closest_known_ones():
    rows = [f"Người {n},0200850012{n:02d},17/05/1985,Nam,Tàyy,Công chức,Tú Đoạn" for n in range(5)]
    rows += [
        f"Người {n},0200850013{n:02d},17/05/1985,Nam,Tày,Công chức,Tú Doạn xã" for n in range(3)
    ]
    report = preview(csv_bytes(*rows))
    groups = {(g.header, g.value): g for g in report.unknown_values()}
    assert groups[("Dân tộc", "Tàyy")].rows == 5
    assert [name for _, name in groups[("Dân tộc", "Tàyy")].suggestions][0] == "Tày"
    assert groups[("Đơn vị công tác", "Tú Doạn xã")].rows == 3
    assert groups[("Đơn vị công tác", "Tú Doạn xã")].creatable is False
    # The reconcile table lists them: the to-do list does not repeat them row by row.
    assert report.problems() == []


def test_a_value_mapped_once_is_read_so_in_the_next_file(tu_doan):
    save_alias(Ethnicity, "Tày (Thổ)", Ethnicity.objects.get(name="Tày"))
    report = commit(
        csv_bytes("Nông Văn Hà,020085001234,17/05/1985,Nam,TÀY (thổ),Công chức,Tú Đoạn")
    )
    assert report.new == 1
    assert Cadre.objects.get().ethnicity.name == "Tày"


def test_a_unit_mapped_once_is_read_so_in_the_next_file(tu_doan):
    from cadres.models import Unit

    save_alias(Unit, "UBND xã Tú Đoạn cũ", tu_doan)
    report = commit(
        csv_bytes("Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Công chức,UBND xã Tú Đoạn cũ")
    )
    assert report.new == 1
    assert Cadre.objects.get().unit == tu_doan


class CreatingReligions(CadreResource):
    """A resource that marks religions safe to create from a file (for the test)."""

    religion = Field(
        attribute="religion",
        column_name="Tôn giáo",
        widget=LookupWidget(
            Religion,
            "tôn giáo",
            lambda r: [r.name, r.code],
            create=lambda text: Religion(name=text, code=text.upper()[:30]),
        ),
    )


def test_values_marked_safe_are_created_only_when_asked_and_not_on_a_dry_run():
    header = HEADER.strip() + ",Tôn giáo\n"
    rows = [
        f"Người {n},0200850012{n:02d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn,Tin Lành X"
        for n in range(3)
    ]
    data = csv_bytes(*rows, header=header)
    assert preview(data, CreatingReligions()).unknown_values()[0].creatable
    assert preview(data, CreatingReligions(), create=True).new == 3
    assert not Religion.objects.filter(name="Tin Lành X").exists()  # a preview keeps nothing
    report = commit(data, CreatingReligions(), create={"religion": ["tin lanh x"]})
    assert report.created == [("Tôn giáo", "Tin Lành X")]
    assert Religion.objects.filter(name="Tin Lành X").count() == 1
    assert Cadre.objects.filter(religion__name="Tin Lành X").count() == 3


def test_reading_a_reference_column_costs_per_distinct_value_not_per_row(monkeypatch):
    calls = []
    real = widgets.fold

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(widgets, "fold", counting)
    rows = [f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn" for n in range(300)]
    preview(csv_bytes(*rows))
    # Once to index the known names, once for the column's one distinct text.
    assert calls.count("Tày") <= 2
    assert calls.count("Công chức") == 1
    assert len(calls) < 300


def test_a_text_column_is_normalised_once_per_distinct_text_up_to_a_limit(monkeypatch):
    calls = []
    real = widgets.unescape_formula

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(widgets, "unescape_formula", counting)
    monkeypatch.setattr(widgets.TextWidget, "LIMIT", 2)
    header = HEADER.rstrip("\n") + ",Quê quán\n"
    towns = ["Xã Tú Đoạn", "Xã Khánh Xuân", "Xã Yên Khoái"]
    rows = [
        f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn,{towns[n % 3]}"
        for n in range(30)
    ]
    commit(csv_bytes(*rows, header=header))
    # The first two towns once each; the third, past the limit, on each of its 10 rows.
    assert [calls.count(town) for town in towns] == [1, 1, 10]
    assert set(Cadre.objects.values_list("home_town", flat=True)) == set(towns)


def test_a_date_column_is_parsed_once_per_distinct_text_and_checked_on_every_row(monkeypatch):
    calls = []
    real = tabular.parse_date

    def counting(value, **kwargs):
        calls.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(tabular, "parse_date", counting)
    monkeypatch.setattr(widgets.DateWidget, "LIMIT", 4)
    # A year alone is remembered with its remark; a day in the future with the day only.
    rows = [f"Người năm {n},0200851{n:05d},1980,Nam,Tày,Công chức,Tú Đoạn" for n in range(3)]
    future = (timezone.localdate() + timedelta(days=400)).strftime("%d/%m/%Y")
    rows += [f"Người sau {n},0200852{n:05d},{future},Nam,Tày,Công chức,Tú Đoạn" for n in range(2)]
    days = ["17/05/1985", "02/09/1990", "30/04/1975"]
    rows += [f"Người {n},0200850{n:05d},{days[n % 3]},Nam,Tày,Công chức,Tú Đoạn" for n in range(30)]
    report = commit(csv_bytes(*rows), skip_rejected=True)
    # 1980, the future day and the first two days once each; the third day, past the limit,
    # on each of its 10 rows.
    assert [calls.count(day) for day in days] == [1, 1, 10]
    assert calls.count(future) == 1
    born = sorted(Cadre.objects.values_list("birth_date", flat=True))
    assert born == sorted(
        [date(1985, 5, 17), date(1990, 9, 2), date(1975, 4, 30)] * 10 + [date(1980, 1, 1)] * 3
    )
    assert [len(row.notes) for row in report.noted] == [1, 1, 1]
    assert report.rejected_count == 2
    assert report.rejected[0].errors == report.rejected[1].errors
    assert "là ngày trong tương lai" in report.rejected[0].errors[0]


def test_the_command_applies_saved_aliases_and_ends_with_the_counts(tmp_path, capsys):
    save_alias(Ethnicity, "Thổ", Ethnicity.objects.get(name="Tày"))
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes("Nông Văn Hà,020085001234,1975,Nam,Thổ,Công chức,Tú Đoạn"))
    call_command("import_cadres", str(path), "--dry-run")
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "new 1, updated 0, unchanged 0, rejected 0"
    assert "line 2 (note): Ngày sinh: chỉ ghi năm 1975" in out[0]
    assert not Cadre.objects.exists()


# --- Cost per distinct value, memory bounded whatever the file --------------------------------


def test_a_resolved_row_is_set_on_a_new_or_stored_record_as_djangos_descriptor_sets_it(tu_doan):
    # The import sets each resolved key itself, without the descriptor's checks.
    set_related = related_setter(Cadre)
    stored = CadreFactory(unit=UnitFactory(), ethnicity=Ethnicity.objects.get(code="02"))
    kinh = Ethnicity.objects.get(code="01")

    def state(cadre: Cadre):
        return (
            {k: v for k, v in cadre.__dict__.items() if k != "_state"},
            cadre._state.db,
            cadre._state.fields_cache,
        )

    for make in (Cadre, lambda: Cadre.objects.get(pk=stored.pk)):
        for name, value in [("unit", tu_doan), ("ethnicity", kinh), ("religion", None)]:
            ours, djangos = make(), make()
            field = Cadre._meta.get_field(name)
            set_related(ours, field, value)
            setattr(djangos, name, value)
            assert state(ours) == state(djangos)
            assert getattr(ours, name) is value


def test_a_field_checks_a_value_once_per_import_and_refuses_it_on_every_row(monkeypatch):
    field = Cadre._meta.get_field("phone")
    checked = []
    real = type(field).clean

    def counting(self, value, instance):
        if self is field:
            checked.append(value)
        return real(self, value, instance)

    monkeypatch.setattr(type(field), "clean", counting)
    header = HEADER.rstrip("\n") + ",Điện thoại\n"
    rows = [
        f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn,0912345678"
        for n in range(50)
    ]
    too_long = "0912 345 678 / 0205 3812 345"
    rows += [
        f"Người {n},0200851{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn,{too_long}"
        for n in range(2)
    ]
    report = preview(csv_bytes(*rows, header=header))
    assert checked.count("0912345678") == 1
    assert report.new == 50
    assert [row.line for row in report.rejected] == [52, 53]
    assert report.rejected[0].errors == report.rejected[1].errors
    assert report.rejected[0].errors[0].startswith("Điện thoại:")


def test_a_title_is_matched_to_a_position_and_a_category_once_per_import(monkeypatch):
    from cadres import resources

    calls = []
    real = resources.title_key

    def counting(title, level):
        calls.append(title)
        return real(title, level)

    monkeypatch.setattr(resources, "title_key", counting)
    header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đơn vị công tác,Chức vụ\n"
    rows = [
        f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Tú Đoạn,Chủ tịch UBND" for n in range(100)
    ]
    report = preview(csv_bytes(*rows, header=header))
    assert report.new == 100
    assert calls.count("Chủ tịch UBND") == 1


def test_an_import_runs_with_fewer_collections_and_gives_the_threshold_back(monkeypatch):
    before = gc.get_threshold()
    during = []
    read = CadreResource.clean_row

    def noting(self, *args):
        during.append(gc.get_threshold())
        return read(self, *args)

    monkeypatch.setattr(CadreResource, "clean_row", noting)
    report = commit(csv_bytes("Lý Thị Mai,020190001111,02/11/1990,Nữ,Nùng,Cán bộ,Tú Đoạn"))
    assert report.new == 1
    assert during == [(FewerCollections.THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before


def test_imports_overlapping_in_threads_leave_the_threshold_as_they_found_it():
    before = gc.get_threshold()
    fewer_collections.__enter__()  # one import starts
    fewer_collections.__enter__()  # another starts meanwhile
    fewer_collections.__exit__(None, None, None)  # the first ends
    assert gc.get_threshold()[0] == FewerCollections.THRESHOLD
    with pytest.raises(ValueError), contextlib.ExitStack() as stack:
        stack.push(fewer_collections)  # the other fails: it ends with the error
        raise ValueError
    assert gc.get_threshold() == before


def test_the_report_keeps_the_rejected_rows_and_counts_the_others(monkeypatch):
    from core.imports import engine

    monkeypatch.setattr(engine, "PREVIEW_ROWS", 3)
    rows = [f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn" for n in range(10)]
    rows.append("Người lỗi,020085099999,17/05/2999,Nam,Tày,Công chức,Tú Đoạn")
    report = commit(csv_bytes(*rows), skip_rejected=True)
    assert [row.status for row in report.rows] == ["new"] * 3 + ["rejected"]
    assert (report.new, report.rejected_count, report.total) == (10, 1, 11)
    assert len(report.created_ids) == 10  # undo still knows every row written
    assert Cadre.objects.count() == 10


# --- Matching rows to the register, chunk by chunk ---------------------------------------------

CHUNKED = [
    "Người 1,020085000001,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
    "Người 2,020085000002,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
    "Người 3,020085000003,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
    "Người 1 lặp,020085000001,17/05/2999,Nam,Tày,,Tú Đoạn",  # a later chunk repeats line 2
    "Người 4,020085000004,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
]


def outcomes(report) -> list[tuple]:
    return [(row.line, row.status, row.errors) for row in report.rows]


@pytest.mark.parametrize("register_empty", [True, False])
def test_a_first_import_and_an_import_beside_other_cadres_read_the_rows_alike(
    monkeypatch, register_empty
):
    monkeypatch.setattr("core.imports.engine.CHUNK", 2)
    if not register_empty:
        CadreFactory()
    report = commit(csv_bytes(*CHUNKED), skip_rejected=True)
    assert outcomes(report) == [
        (2, "new", []),
        (3, "new", []),
        (4, "new", []),
        (
            5,
            "rejected",
            [
                "Ngày sinh: Ngày không hợp lệ: 17/05/2999 (dùng dạng dd/mm/yyyy)",
                "Số CCCD 020085000001 trùng với dòng 2 của tệp.",
                # Checked as the row its key names, written by the first chunk.
                "Đối tượng: Trường này không được để trắng.",
            ],
        ),
        (6, "new", []),
    ]
    assert Cadre.objects.filter(cccd__startswith="0200850").count() == 4


def test_an_import_into_an_empty_register_looks_no_row_up(monkeypatch):
    monkeypatch.setattr("core.imports.engine.CHUNK", 2)
    rows = [r for r in CHUNKED if "lặp" not in r]
    with CaptureQueriesContext(connection) as queries:
        report = commit(csv_bytes(*rows))
    assert report.new == 4
    assert not [q["sql"] for q in queries if '"cadres_cadre"."cccd" IN' in q["sql"]]


def test_a_file_imported_again_is_matched_in_every_chunk_and_changes_nothing(monkeypatch):
    monkeypatch.setattr("core.imports.engine.CHUNK", 2)
    rows = [r for r in CHUNKED if "lặp" not in r]
    commit(csv_bytes(*rows))
    stored = list(Cadre.objects.order_by("pk").values())
    with CaptureQueriesContext(connection) as queries:
        report = commit(csv_bytes(*rows))
    assert (report.new, report.updated, report.unchanged) == (0, 0, 4)
    assert list(Cadre.objects.order_by("pk").values()) == stored
    # Each chunk of two rows looked its two up: the record and what a later list may move.
    lookups = [q["sql"] for q in queries if '"cadres_cadre"."cccd" IN' in q["sql"]]
    assert len(lookups) == 2 * 2


def test_a_row_written_by_another_import_meanwhile_refuses_the_file_and_writes_nothing(
    monkeypatch,
):
    # Another import commits Người 3 after this one found the register empty (and so looks
    # no row up): writing it again breaks the CCCD's uniqueness.
    theirs = CadreFactory(full_name="Người 3 của lần nhập kia", cccd="020085000003")
    monkeypatch.setattr(Cadre._base_manager, "exists", lambda: False)
    rows = [r for r in CHUNKED if "lặp" not in r]
    with pytest.raises(widgets.ImportRefused, match="vừa được ghi bởi một lần nhập khác"):
        commit(csv_bytes(*rows))
    assert list(Cadre.objects.values_list("pk", "full_name")) == [(theirs.pk, theirs.full_name)]


def reltuples(model) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def analyses(callbacks) -> list:
    return [c for c in callbacks if getattr(c, "func", None) is analyse_grown]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_a_table_an_import_grew_is_analysed_once_the_import_commits(
    django_capture_on_commit_callbacks,
):
    # A planner believing the table empty hashes all of it for each chunk of a re-import.
    rows = [f"Người {n},0200850{n:05d},17/05/1985,Nam,Tày,Công chức,Tú Đoạn" for n in range(100)]
    with django_capture_on_commit_callbacks() as callbacks:
        preview(csv_bytes(*rows))
    assert not analyses(callbacks)
    before = reltuples(Cadre)
    with django_capture_on_commit_callbacks() as callbacks:
        commit(csv_bytes(*rows[:30]))  # fewer rows than autovacuum waits for
        commit(csv_bytes(*rows[30:]))
        assert reltuples(Cadre) == before  # not inside the import's transaction
    first, second = analyses(callbacks)
    first()
    assert reltuples(Cadre) == before
    second()
    assert reltuples(Cadre) == 100

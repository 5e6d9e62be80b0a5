"""Importing cadre records from files: preview, write, undo (core.imports.engine)."""

import hashlib
import os
import stat
from datetime import date, timedelta

import pytest
import tablib
from django.core.management import call_command
from django.utils import timezone

from cadres.models import Cadre, Unit, UnitSuccession
from cadres.resources import CadreResource
from cadres.units import UnitResolver
from core.imports.batches import finish_batch, private_dir, start_batch, store_upload, undo_batch
from core.imports.engine import read_file, run_import
from core.imports.widgets import ImportRefused
from core.models import ImportBatch
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def preview(data: bytes, *, wipe_empty: bool = False, name: str = "danh-sach.csv"):
    resource = CadreResource(wipe_empty=wipe_empty)
    return run_import(resource, read_file(data, name, resource), write=False)


def commit(data: bytes, *, wipe_empty: bool = False, name: str = "danh-sach.csv", **kwargs):
    resource = CadreResource(wipe_empty=wipe_empty)
    return run_import(resource, read_file(data, name, resource), write=True, **kwargs)


@pytest.fixture
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn", code="06250")


def test_a_new_file_previews_its_rows_as_new_and_writes_nothing(tu_doan):
    report = preview(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,xã Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn",
        )
    )
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 0"
    assert not Cadre.objects.exists()


def test_confirmed_import_writes_the_rows_with_resolved_values(tu_doan):
    report = commit(csv_bytes("Nông Thanh Hải,20085001234,17/05/1985,nam,TÀY,công chức,Tú Đoạn"))
    assert report.summary() == "new 1, updated 0, unchanged 0, rejected 0"
    cadre = Cadre.objects.get()
    assert cadre.cccd == "020085001234"
    assert cadre.birth_date == date(1985, 5, 17)
    assert cadre.ethnicity.name == "Tày"
    assert cadre.unit == tu_doan
    assert cadre.search_name == "nong thanh hai"
    assert cadre.retirement_date is not None


def test_a_repeated_cccd_is_refused_at_the_repeated_row_only(tu_doan):
    report = preview(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
        )
    )
    assert report.summary() == "new 1, updated 0, unchanged 0, rejected 1"
    assert report.rejected[0].line == 3
    assert report.rejected[0].errors == ["Số CCCD 020085001234 trùng với dòng 2 của tệp."]


def test_an_unknown_ethnicity_is_rejected_with_the_closest_known_names(tu_doan):
    report = preview(csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tàyy,Công chức,Tú Đoạn"))
    (row,) = report.rejected
    assert row.line == 2
    assert row.errors == ["Dân tộc: Không có dân tộc “Tàyy”. Có phải: Tày?"]


def test_an_unknown_unit_is_rejected_with_the_closest_known_names(tu_doan):
    report = preview(csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Doanh"))
    assert report.rejected[0].errors == [
        "Đơn vị công tác: Không có đơn vị “Tú Doanh”. Có phải: Xã Tú Đoạn?"
    ]


def test_a_pre_merger_unit_name_resolves_to_the_unit_that_took_it_over(tu_doan):
    old = UnitFactory(name="Xã Đông Quan", valid_to=date(2025, 6, 30))
    UnitSuccession.objects.create(
        predecessor=old, successor=tu_doan, effective_date=date(2025, 7, 1)
    )
    commit(csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Đông Quan"))
    assert Cadre.objects.get().unit == tu_doan
    assert UnitResolver(on=date(2026, 1, 1)).resolve("xã Đông Quan") == Unit.objects.resolve(
        "xã Đông Quan", on=date(2026, 1, 1)
    )


def test_bad_values_reject_the_row_with_its_line_and_a_vietnamese_reason(tu_doan):
    report = preview(
        csv_bytes(
            "Nông Thanh Hải,020085001234,31/02/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Hoàng Thị Lan,12AB,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn",
            "Lý Văn Đức,020090001111,1/2/1990,Nam,Kinh,Giám đốc,Tú Đoạn",
        )
    )
    assert [row.line for row in report.rejected] == [2, 3, 4]
    assert report.rejected[0].errors[0].startswith("Ngày sinh: ")
    assert report.rejected[1].errors[0].startswith("Số CCCD: ")
    assert report.rejected[2].errors[0].startswith("Đối tượng: Không có đối tượng “Giám đốc”")


def test_a_rule_of_the_model_rejects_the_row(tu_doan):
    header = HEADER.replace("\n", ",Ngày vào Đảng\n")
    report = preview(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn,1/1/1995",
            header=header,
        )
    )
    assert report.rejected[0].errors == ["Ngày vào Đảng: Ngày vào Đảng phải từ khi đủ 18 tuổi."]


def test_an_empty_cell_keeps_the_stored_value_unless_wiping_was_chosen(tu_doan):
    CadreFactory(cccd="020085001234", unit=tu_doan, phone="0912345678")
    header = "Số CCCD,Điện thoại\n"
    report = commit(csv_bytes("020085001234,", header=header))
    assert report.summary() == "new 0, updated 0, unchanged 1, rejected 0"
    assert Cadre.objects.get().phone == "0912345678"
    report = commit(csv_bytes("020085001234,", header=header), wipe_empty=True)
    assert report.updated == 1
    assert report.changed[0].changes == [("Điện thoại", "0912345678", "—")]
    assert Cadre.objects.get().phone == ""


def test_a_changed_row_lists_each_changed_field_old_and_new(tu_doan):
    CadreFactory(cccd="020085001234", full_name="Nông Thanh Hải", unit=tu_doan)
    report = preview(csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn"))
    assert report.changed[0].changes == [("Ngày sinh", "17/05/1980", "17/05/1985")]


def test_with_a_rejected_row_the_command_path_writes_nothing(tu_doan):
    report = commit(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Không rõ,Cán bộ,Tú Đoạn",
        )
    )
    assert not report.written
    assert not Cadre.objects.exists()


def test_skipping_rejected_rows_writes_the_others(tu_doan):
    report = commit(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Không rõ,Cán bộ,Tú Đoạn",
        ),
        skip_rejected=True,
    )
    assert report.written
    assert list(Cadre.objects.values_list("cccd", flat=True)) == ["020085001234"]


def test_the_stock_row_loop_and_the_bulk_path_give_the_same_records(tu_doan):
    data = csv_bytes(
        "Nông Thanh Hải,20085001234,17/05/1985,nam,TÀY,công chức,Tú Đoạn",
        "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Nùng,Cán bộ,xã Tú Đoạn",
    )
    commit(data)
    fast = list(Cadre.objects.order_by("cccd").values())
    Cadre.objects.all().delete()
    resource = CadreResource()
    table = read_file(data, "x.csv", resource)
    names = {key: resource.fields[key].column_name for key in table.columns.values()}
    dataset = tablib.Dataset(headers=list(names.values()))
    for row in table.rows:
        dataset.append([row.values.get(key, "") for key in names])
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    slow = list(Cadre.objects.order_by("cccd").values())
    ignore = {"id", "created_at", "updated_at"}
    assert [{k: v for k, v in r.items() if k not in ignore} for r in slow] == [
        {k: v for k, v in r.items() if k not in ignore} for r in fast
    ]


# --- Limits ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportRefused, match="Tệp quá lớn"):
        read_file(b"not even a table" * 10, "x.csv", CadreResource())


def test_a_file_over_the_row_limit_is_refused(settings, tu_doan):
    settings.IMPORT_MAX_ROWS = 1
    data = csv_bytes(
        "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
        "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn",
    )
    with pytest.raises(ImportRefused, match="tối đa 1 dòng"):
        read_file(data, "x.csv", CadreResource())


def test_a_file_without_the_cccd_column_is_refused():
    with pytest.raises(ImportRefused, match="Số CCCD"):
        read_file("Họ và tên,Ngày sinh\nA,1/1/1990\n".encode(), "x.csv", CadreResource())


# --- The log and undo -----------------------------------------------------------------------


def logged_import(data: bytes, user=None):
    resource = CadreResource()
    table = read_file(data, "x.csv", resource)
    batch = start_batch(resource, data, "x.csv", user, run_import(resource, table, write=False))
    finish_batch(batch, run_import(resource, table, write=True))
    return batch


def test_an_import_is_logged_with_its_counts_and_checksum(tu_doan):
    data = csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn")
    batch = logged_import(data)
    assert (batch.status, batch.new, batch.updated, batch.rejected) == ("done", 1, 0, 0)
    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    assert batch.stored_file == ""


def test_undo_deletes_created_rows_and_restores_changed_ones(tu_doan):
    kept = CadreFactory(cccd="020190000001", full_name="Hoàng Thị Lan", unit=tu_doan)
    batch = logged_import(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Nùng,Cán bộ,Tú Đoạn",
        )
    )
    assert undo_batch(batch) == []
    assert list(Cadre.objects.values_list("pk", flat=True)) == [kept.pk]
    kept_now = Cadre.objects.get()
    assert (kept_now.birth_date, kept_now.ethnicity_id) == (kept.birth_date, kept.ethnicity_id)
    assert kept_now.retirement_date == kept.retirement_date
    batch.refresh_from_db()
    assert batch.status == "undone"


def test_undo_is_refused_once_a_record_was_changed_since(tu_doan):
    batch = logged_import(
        csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn")
    )
    cadre = Cadre.objects.get()
    cadre.phone = "0912"
    cadre.save()
    assert undo_batch(batch) == ["1 hồ sơ đã được sửa sau lần nhập này."]
    assert Cadre.objects.exists()


# --- The stored upload and its cleanup ------------------------------------------------------


def test_the_stored_upload_is_readable_only_by_the_server(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    name = store_upload(b"data")
    assert stat.S_IMODE(os.stat(private_dir()).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(private_dir() / name).st_mode) == 0o600


def test_cleanup_removes_abandoned_previews_and_keeps_recent_ones(tmp_path, settings, tu_doan):
    settings.MEDIA_ROOT = tmp_path
    data = csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn")
    resource = CadreResource()
    report = run_import(resource, read_file(data, "x.csv", resource), write=False)
    old = start_batch(resource, data, "old.csv", None, report)
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    recent = start_batch(resource, data, "recent.csv", None, report)
    call_command("cleanup_imports")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.stored_file) == ("abandoned", "")
    assert recent.status == "preview"
    assert sorted(p.name for p in private_dir().iterdir()) == [recent.stored_file]


# --- The command ----------------------------------------------------------------------------


def test_the_command_prints_rejected_lines_and_counts_and_fails(tmp_path, tu_doan, capsys):
    path = tmp_path / "ds.csv"
    path.write_bytes(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn",
            "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Tàyy,Cán bộ,Tú Đoạn",
        )
    )
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_cadres", str(path))
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.splitlines() == [
        "line 3: Dân tộc: Không có dân tộc “Tàyy”. Có phải: Tày?",
        "new 1, updated 0, unchanged 0, rejected 1",
    ]
    assert not Cadre.objects.exists()


def test_the_command_writes_a_clean_file_and_dry_run_does_not(tmp_path, tu_doan, capsys):
    path = tmp_path / "ds.csv"
    path.write_bytes(csv_bytes("Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn"))
    call_command("import_cadres", str(path), "--dry-run")
    assert not Cadre.objects.exists()
    call_command("import_cadres", str(path))
    assert Cadre.objects.count() == 1
    call_command("import_cadres", str(path))
    assert capsys.readouterr().out.splitlines() == [
        "new 1, updated 0, unchanged 0, rejected 0",
        "new 1, updated 0, unchanged 0, rejected 0",
        "new 0, updated 0, unchanged 1, rejected 0",
    ]


def test_undo_takes_back_the_levels_posts_and_periods_a_register_added_to_stored_cadres(tu_doan):
    from cadres.choices import Level
    from cadres.models import Appointment, Position, Qualification, WorkHistory

    Position.objects.create(title="Chủ tịch UBND xã", level=Level.COMMUNE, is_key=True)
    elsewhere = UnitFactory(name="Xã Na Dương")
    hai = CadreFactory(
        cccd="020085001234",
        full_name="Nông Thanh Hải",
        unit=elsewhere,
        work_start_date=date(2015, 1, 1),
    )
    header = HEADER.strip() + ",Chức vụ,Trình độ chuyên môn\n"
    batch = logged_import(
        csv_bytes(
            "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Cán bộ,Tú Đoạn,Chủ tịch UBND,Đại học",
            header=header,
        )
    )
    hai.refresh_from_db()
    assert hai.professional_level.code == "CM_DAI_HOC"
    assert (Qualification.objects.count(), Appointment.objects.count()) == (1, 1)
    assert WorkHistory.objects.filter(organisation="Xã Na Dương").count() == 1

    assert undo_batch(batch) == []
    hai.refresh_from_db()
    assert hai.unit == elsewhere
    assert hai.professional_level is None
    assert not Qualification.objects.exists()
    assert not Appointment.objects.exists()
    assert not WorkHistory.objects.exists()

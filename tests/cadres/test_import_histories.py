"""Importing the histories of the 2C form (qualifications, work history) keyed by CCCD, on the
same machinery as the cadre import: preview, write, re-import, levels, log and undo."""

from datetime import date
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cadres.choices import Gender
from cadres.models import Cadre, Ethnicity, Qualification, WorkHistory
from cadres.resources import QualificationResource, WorkHistoryResource
from core.imports.batches import finish_batch, start_batch, undo_batch
from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, QualificationFactory, UnitFactory, level

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "data" / "histories"
HEADER = "Số CCCD,Họ và tên,Loại trình độ,Trình độ,Chuyên ngành,Năm tốt nghiệp\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def run(data: bytes, resource_class=QualificationResource, name="x.csv", write=False, **kwargs):
    resource = resource_class()
    return run_import(resource, read_file(data, name, resource), write=write, **kwargs)


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture
def people():
    """The four people of the corpus on the register (as in tests/cadres/data/import/)."""
    tu_doan, na_duong = UnitFactory(name="Xã Tú Đoạn"), UnitFactory(name="Thị trấn Na Dương")
    rows = [
        ("Nông Thanh Hải", "020080001234", date(1980, 3, 15), tu_doan),
        ("Hoàng Thị Lan", "020185004321", date(1985, 11, 2), na_duong),
        ("Lý Văn Đức", "020090001111", date(1990, 7, 9), tu_doan),
        ("Vi Thị Hường", "020188007777", date(1988, 6, 5), na_duong),
    ]
    return {
        cccd: CadreFactory(
            full_name=name,
            cccd=cccd,
            birth_date=born,
            gender=Gender.FEMALE if "Thị" in name else Gender.MALE,
            ethnicity=Ethnicity.objects.get(name="Tày"),
            unit=unit,
        )
        for name, cccd, born, unit in rows
    }


HAI, LAN, DUC, HUONG = "020080001234", "020185004321", "020090001111", "020188007777"


# --- Qualifications: the corpus ---------------------------------------------------------------


def test_the_qualifications_csv_previews_new_rows_and_rejects_two_with_lines_and_reasons(people):
    report = run(corpus("qualifications.csv"), name="qualifications.csv")
    assert report.summary() == "new 6, updated 0, unchanged 0, rejected 2"
    assert {row.line: row.errors for row in report.rejected} == {
        8: [
            "Số CCCD: Không có cán bộ có số CCCD “020075009999” trong hồ sơ cán bộ; "
            "hãy nhập hồ sơ của người này trước."
        ],
        9: [
            "Trình độ: Không có trình độ “Lý luận chính trị: Cao capp”. Có phải: "
            "Lý luận chính trị: Cao cấp, Lý luận chính trị: Sơ cấp, Lý luận chính trị: Trung cấp?"
        ],
    }
    assert report.unknown_headers == ["STT", "Ghi chú của xã"]
    assert not Qualification.objects.exists()


def test_the_qualifications_csv_reads_tracks_months_and_the_year_from_the_end(people):
    run(corpus("qualifications.csv"), write=True, skip_rejected=True)
    hai = list(people[HAI].qualifications.order_by("year_obtained"))
    assert [(q.level.code, q.year_obtained) for q in hai] == [
        ("CM_DAI_HOC", 2006),
        ("LLCT_CAO_CAP", 2016),
    ]
    assert (hai[0].major, hai[0].mode) == ("Luật", "in_service")
    assert (hai[0].start_date, hai[0].end_date) == (date(2002, 9, 1), date(2006, 6, 1))
    lan_llct = people[LAN].qualifications.get(level__code="LLCT_TRUNG_CAP")
    assert lan_llct.end_date == date(2012, 1, 15)
    assert people[HUONG].qualifications.get().level.code == "QLNN_CHUYEN_VIEN"


def test_the_qualifications_workbook_with_title_rows_imports_and_reimports_unchanged(people):
    first = run(corpus("qualifications.xlsx"), name="qualifications.xlsx", write=True)
    assert first.summary() == "new 4, updated 0, unchanged 0, rejected 0"
    assert [row.line for row in first.rows] == [7, 8, 9, 10]
    assert people[LAN].qualifications.get().level.code == "NN_BAC3"
    assert people[DUC].qualifications.get().year_obtained == 2017
    assert people[HAI].qualifications.get().start_date == date(2018, 3, 1)
    again = run(corpus("qualifications.xlsx"), name="qualifications.xlsx", write=True)
    assert again.summary() == "new 0, updated 0, unchanged 4, rejected 0"
    assert Qualification.objects.count() == 4


def test_reimporting_the_csv_changes_nothing_and_a_corrected_major_updates_the_row(people):
    run(corpus("qualifications.csv"), write=True, skip_rejected=True)
    again = run(corpus("qualifications.csv"))
    assert again.summary() == "new 0, updated 0, unchanged 6, rejected 2"
    fixed = corpus("qualifications.csv").replace("Luật,Trường".encode(), "Luật học,Trường".encode())
    report = run(fixed, write=True, skip_rejected=True)
    assert report.summary() == "new 0, updated 1, unchanged 5, rejected 2"
    assert report.changed[0].changes == [("Chuyên ngành đào tạo", "Luật", "Luật học")]
    assert report.changed[0].label == "Nông Thanh Hải"
    assert people[HAI].qualifications.get(level__code="CM_DAI_HOC").major == "Luật học"


# --- Qualifications: rules and messages -----------------------------------------------------


def test_a_level_shared_by_two_tracks_needs_its_track(people):
    report = run(csv_bytes(f"{HAI},,,Trung cấp,,2010"))
    assert report.rejected[0].errors == [
        "Trình độ: “Trung cấp” có ở nhiều loại trình độ (Chuyên môn, Lý luận chính trị); "
        "hãy ghi cột Loại trình độ."
    ]
    assert run(csv_bytes(f"{HAI},,,Cao cấp,,2010")).new == 1  # only political theory has it


def test_a_row_without_cccd_level_or_year_is_rejected_naming_what_is_missing(people):
    report = run(csv_bytes(",,Chuyên môn,Đại học,,2010", f"{HAI},,Chuyên môn,Đại học,,"))
    assert [row.errors for row in report.rejected] == [
        ["Phải ghi đủ Số CCCD, Trình độ, Năm tốt nghiệp."],
        ["Phải ghi đủ Số CCCD, Trình độ, Năm tốt nghiệp."],
    ]


def test_the_same_degree_twice_in_a_file_is_rejected_at_the_second_line(people):
    report = run(csv_bytes(f"{HAI},,CM,Đại học,Luật,2006", f"{HAI},,CM,Đại học,Luật,2006"))
    assert report.rejected[0].line == 3
    assert report.rejected[0].errors == [
        "Văn bằng này (cùng Số CCCD, Trình độ, Năm tốt nghiệp) trùng với dòng 2 của tệp."
    ]


def test_the_models_rule_rejects_a_degree_before_the_birth_year(people):
    report = run(csv_bytes(f"{HAI},,Chuyên môn,Đại học,,1975"))
    assert report.rejected[0].errors == ["Năm tốt nghiệp: Năm cấp bằng phải sau năm sinh."]


def test_a_qualification_import_recomputes_the_cadres_levels_in_bulk(
    people, django_assert_max_num_queries
):
    hai = people[HAI]
    assert hai.political_theory_level is None
    data = csv_bytes(
        *(f"{cadre.cccd},,Chuyên môn,Đại học,Luật,2010" for cadre in people.values()),
        f"{HAI},,LLCT,Cao cấp,,2016",
        f"{HAI},,Chuyên môn,Thạc sĩ,Quản lý công,2018",
    )
    resource = QualificationResource()
    table = read_file(data, "x.csv", resource)
    # Reading levels and cadres, matching, writing rows and history, and the levels: a fixed
    # number of queries, not one per row.
    with django_assert_max_num_queries(20):
        report = run_import(resource, table, write=True)
    assert report.new == 6
    hai.refresh_from_db()
    assert hai.political_theory_level.code == "LLCT_CAO_CAP"
    assert (hai.professional_level.code, hai.professional_major) == ("CM_THAC_SI", "Quản lý công")
    assert Cadre.objects.get(cccd=LAN).professional_level.code == "CM_DAI_HOC"


# --- The log and undo -----------------------------------------------------------------------


def logged(data: bytes, resource_class=QualificationResource, user=None):
    resource = resource_class()
    table = read_file(data, "x.csv", resource)
    preview = run_import(resource, table, write=False, user=user)
    batch = start_batch(resource, data, "x.csv", user, preview)
    finish_batch(batch, run_import(resource, table, write=True, user=user))
    return batch


def test_undo_of_a_qualification_import_removes_and_restores_rows_and_the_levels(people, superuser):
    hai = people[HAI]
    kept = QualificationFactory(cadre=hai, level=level("CM_DAI_HOC"), year_obtained=2006)
    hai.refresh_current_levels()
    batch = logged(
        csv_bytes(f"{HAI},,Chuyên môn,Đại học,Luật,2006", f"{HAI},,LLCT,Cao cấp,,2016"),
        user=superuser,
    )
    assert (batch.new, batch.updated) == (1, 1)
    hai.refresh_from_db()
    assert (hai.political_theory_level.code, hai.professional_major) == ("LLCT_CAO_CAP", "Luật")

    assert undo_batch(batch, user=superuser) == []
    assert list(hai.qualifications.values_list("pk", "major")) == [(kept.pk, "")]
    hai.refresh_from_db()
    assert (hai.political_theory_level, hai.professional_major) == (None, "")
    history = Qualification.history.order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history][-2:] == [
        ("-", superuser),
        ("~", superuser),
    ]


def test_the_work_history_csv_with_title_rows_imports_then_undo_removes_it(people):
    batch = logged(corpus("work_history.csv"), WorkHistoryResource)
    assert (batch.new, batch.rejected) == (4, 0)
    periods = list(people[HAI].work_history.values_list("start_date", "end_date"))
    assert periods == [
        (date(2006, 7, 1), date(2010, 12, 1)),
        (date(2011, 1, 1), date(2015, 6, 1)),
        (date(2015, 7, 1), None),
    ]
    again = run(corpus("work_history.csv"), WorkHistoryResource)
    assert again.summary() == "new 0, updated 0, unchanged 4, rejected 0"
    assert undo_batch(batch) == []
    assert not WorkHistory.objects.exists()


def test_work_history_matches_on_the_start_month_and_checks_the_period(people):
    WorkHistory.objects.create(
        cadre=people[DUC],
        start_date=date(2012, 8, 1),
        position_title="Phó Chủ tịch UBND",
        organisation="UBND xã Tú Đoạn",
    )
    header = "Số CCCD,Từ tháng năm,Đến tháng năm,Chức danh,Đơn vị\n"
    report = run(
        csv_bytes(
            f"{DUC},08/2012,,Chủ tịch UBND,UBND xã Tú Đoạn",
            f"{DUC},05/2010,04/2009,Cán bộ,UBND xã Tú Đoạn",
            header=header,
        ),
        WorkHistoryResource,
    )
    assert report.changed[0].changes == [("Chức danh", "Phó Chủ tịch UBND", "Chủ tịch UBND")]
    assert report.rejected[0].errors == ["Đến tháng năm: Ngày kết thúc phải sau ngày bắt đầu."]


# --- The command ----------------------------------------------------------------------------


def test_the_command_imports_qualifications_all_or_nothing(tmp_path, people, capsys):
    path = tmp_path / "vb.csv"
    path.write_bytes(corpus("qualifications.csv"))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_cadres", str(path), "--kind", "qualifications")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("line 8: Số CCCD: Không có cán bộ có số CCCD “020075009999”")
    assert out[1].startswith("line 9: Trình độ: Không có trình độ")
    assert out[2] == "new 6, updated 0, unchanged 0, rejected 2"
    assert not Qualification.objects.exists()


def test_the_command_imports_a_work_history_file(tmp_path, people, capsys):
    path = tmp_path / "qtct.csv"
    path.write_bytes(corpus("work_history.csv"))
    call_command("import_cadres", str(path), "--kind", "work_history")
    call_command("import_cadres", str(path), "--kind", "work_history")
    assert capsys.readouterr().out.splitlines() == [
        "new 4, updated 0, unchanged 0, rejected 0",
        "new 0, updated 0, unchanged 4, rejected 0",
    ]


# --- The admin --------------------------------------------------------------------------------


def test_the_qualification_list_imports_a_file_and_its_rejected_rows_keep_every_column(
    admin_client, people, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    changelist = reverse("admin:cadres_qualification_changelist")
    url = reverse("admin:cadres_qualification_import")
    assert url in admin_client.get(changelist).content.decode()
    file = SimpleUploadedFile("vb.csv", corpus("qualifications.csv"), content_type="text/csv")
    response = admin_client.post(url, {"file": file})
    assert response.context["report"].summary() == "new 6, updated 0, unchanged 0, rejected 2"
    assert "Lương Văn Tám" in response.content.decode()  # the name the file gives the row
    batch = response.context["batch"]

    rejected = reverse("admin:core_importbatch_rejected", args=[batch.pk, "csv"])
    lines = admin_client.get(rejected).content.decode("utf-8-sig").splitlines()
    original = corpus("qualifications.csv").decode("utf-8-sig").splitlines()
    assert lines[0] == original[0] + ",Dòng trong tệp gốc,Lý do bị từ chối"
    assert lines[1].startswith(original[7] + ",8,Số CCCD: Không có cán bộ")

    admin_client.post(reverse("admin:cadres_qualification_import_confirm", args=[batch.pk]))
    assert Qualification.objects.count() == 6
    page = admin_client.get(changelist, {"q": "nong hai"}).content.decode()
    assert "Học viện Chính trị khu vực I" in page and "Hoàng Thị Lan" not in page


def test_deleting_qualifications_from_the_list_recomputes_the_levels(admin_client, people):
    hai = people[HAI]
    chosen = QualificationFactory(cadre=hai, level=level("LLCT_CAO_CAP"), year_obtained=2016)
    hai.refresh_current_levels()
    admin_client.post(
        reverse("admin:cadres_qualification_changelist"),
        {"action": "delete_selected", "_selected_action": [chosen.pk], "post": "yes"},
    )
    hai.refresh_from_db()
    assert not Qualification.objects.exists()
    assert hai.political_theory_level is None


# --- The row-by-row path (django-import-export's import_data) gives the same rows -------------

QUALIFICATIONS = csv_bytes(
    f"{HAI},Nông Thanh Hải,Chuyên môn,Đại học,Luật học,2006,",
    f"{HAI},Nông Thanh Hải,LLCT,Trung cấp,,,12/2012",
    f"{LAN},Hoàng Thị Lan,QLNN,Chuyên viên,,2015,",
    header="Số CCCD,Họ và tên,Loại trình độ,Trình độ,Chuyên ngành,Năm tốt nghiệp,Đến tháng năm\n",
)
WORK_HISTORY = csv_bytes(
    f"{DUC},08/2012,,Chủ tịch UBND,UBND xã Tú Đoạn",
    f"{DUC},05/2010,07/2012,Cán bộ,UBND xã Tú Đoạn",
    header="Số CCCD,Từ tháng năm,Đến tháng năm,Chức danh,Đơn vị\n",
)


def stored_qualifications(people):
    """Two degrees of one cadre: matched on the CCCD alone, a row would hit the wrong one."""
    QualificationFactory(cadre=people[HAI], level=level("CM_DAI_HOC"), year_obtained=2006)
    QualificationFactory(cadre=people[HAI], level=level("LLCT_CAO_CAP"), year_obtained=2016)


def stored_work_history(people):
    for start, title in [(date(2006, 1, 1), "Công chức"), (date(2012, 8, 1), "Phó Chủ tịch UBND")]:
        WorkHistory.objects.create(
            cadre=people[DUC], start_date=start, position_title=title, organisation="UBND xã"
        )


def rows_of(model) -> list[dict]:
    ignore = {"id", "created_at", "updated_at"}
    rows = model.objects.order_by("cadre__cccd", "start_date", "pk").values()
    levels = Cadre.objects.order_by("cccd").values(
        "cccd", "professional_level", "political_theory_level", "state_management_level"
    )
    return [{k: v for k, v in row.items() if k not in ignore} for row in rows] + list(levels)


def import_row_by_row(data: bytes, resource_class):
    """The file through the stock loop, with the columns named as the resource names them."""
    resource = resource_class()
    table = read_file(data, "x.csv", resource)
    names = {key: resource.fields[key].column_name for key in table.columns.values()}
    dataset = tablib.Dataset(headers=list(names.values()))
    for row in table.rows:
        dataset.append([row.values.get(key, "") for key in names])
    # All or nothing, as the command imports.
    return resource_class().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)


@pytest.mark.parametrize(
    ("resource_class", "data", "before"),
    [
        (QualificationResource, QUALIFICATIONS, stored_qualifications),
        (WorkHistoryResource, WORK_HISTORY, stored_work_history),
    ],
)
def test_the_row_by_row_path_and_the_bulk_path_store_the_same_rows(
    people, resource_class, data, before
):
    model = resource_class._meta.model
    before(people)
    report = run(data, resource_class, write=True)
    assert (report.rejected_count, report.updated) == (0, 1)  # one stored row matched
    fast = rows_of(model)
    model.objects.all().delete()
    before(people)
    result = import_row_by_row(data, resource_class)
    assert not result.has_errors() and not result.has_validation_errors()
    assert rows_of(model) == fast


def test_the_row_by_row_path_refuses_a_row_missing_its_year_or_repeating_one(people):
    missing = import_row_by_row(csv_bytes(f"{HAI},,Chuyên môn,Đại học,,"), QualificationResource)
    assert [row.error.messages for row in missing.invalid_rows] == [
        ["Phải ghi đủ Số CCCD, Trình độ, Năm tốt nghiệp."]
    ]
    twice = import_row_by_row(
        csv_bytes(f"{HAI},,CM,Đại học,Luật,2006", f"{HAI},,CM,Đại học,Luật,2006"),
        QualificationResource,
    )
    assert [row.error.messages for row in twice.invalid_rows] == [
        ["Văn bằng này (cùng Số CCCD, Trình độ, Năm tốt nghiệp) trùng với dòng 2 của tệp."]
    ]
    assert not Qualification.objects.exists()

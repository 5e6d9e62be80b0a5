"""A register as communes and the district keep it: no category column (the position decides
it), level columns, the position held, a key-position mark and incumbent / reserve status."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cadres.categories import category_of_position
from cadres.choices import Category, Level, Standing, UnitKind
from cadres.models import Appointment, Cadre, Position, Qualification
from cadres.resources import CadreResource, QualificationResource
from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "register"


def load(name: str, write: bool = True, **options):
    resource = CadreResource(**options)
    data = (DATA / name).read_bytes()
    # As the admin's confirm: the rows that are right are written, the others listed.
    return run_import(resource, read_file(data, name, resource), write=write, skip_rejected=True)


@pytest.fixture
def tu_doan():
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, code="183")
    commune = UnitFactory(name="Xã Tú Đoạn", code="06250", parent=district)
    PositionFactory(
        title="Bí thư Đảng ủy xã", level=Level.COMMUNE, is_key=True, category=Category.CADRE
    )
    PositionFactory(
        title="Chủ tịch UBND xã", level=Level.COMMUNE, is_key=True, category=Category.CADRE
    )
    PositionFactory(
        title="Công chức Tư pháp - Hộ tịch", level=Level.COMMUNE, category=Category.CIVIL_SERVANT
    )
    # A district position of the same wording must not be taken for the commune's.
    PositionFactory(title="Bí thư Đảng ủy", level=Level.DISTRICT, category=Category.CADRE)
    return commune


@pytest.mark.parametrize(
    ("title", "level", "category"),
    [
        ("Bí thư Đảng ủy xã", Level.COMMUNE, Category.CADRE),
        ("Phó Chủ tịch HĐND xã", Level.COMMUNE, Category.CADRE),
        ("Chủ tịch Ủy ban MTTQ xã", Level.COMMUNE, Category.CADRE),
        ("Bí thư Đoàn xã", Level.COMMUNE, Category.CADRE),
        ("Chủ tịch Hội Cựu chiến binh xã", Level.COMMUNE, Category.CADRE),
        ("Chỉ huy trưởng Ban Chỉ huy quân sự xã", Level.COMMUNE, Category.CIVIL_SERVANT),
        ("Công chức Văn phòng - Thống kê", Level.COMMUNE, Category.CIVIL_SERVANT),
        ("Địa chính - Nông nghiệp - Môi trường", Level.COMMUNE, Category.CIVIL_SERVANT),
        ("Phó Chủ tịch Hội Phụ nữ xã", Level.COMMUNE, Category.PART_TIME),
        ("Trưởng thôn Nà Pàn", Level.COMMUNE, Category.PART_TIME),
        ("Bí thư chi bộ thôn", Level.VILLAGE, Category.PART_TIME),
        ("Chủ tịch UBND huyện", Level.DISTRICT, Category.CADRE),
        ("Trưởng phòng Nội vụ", Level.DISTRICT, Category.CIVIL_SERVANT),
        ("Chuyên viên", Level.DISTRICT, Category.CIVIL_SERVANT),
        ("Nhân viên hợp đồng", Level.COMMUNE, ""),
    ],
)
def test_the_law_gives_the_category_of_a_position(title, level, category):
    assert category_of_position(title, level) == category


def test_the_data_migration_seeds_the_category_of_existing_positions_and_keeps_chosen_ones():
    from importlib import import_module

    from django.apps import apps

    seed = import_module("cadres.migrations.0012_seed_position_category").seed
    secretary = Position.objects.create(title="Bí thư Đảng ủy xã", level=Level.COMMUNE)
    chosen = Position.objects.create(
        title="Chủ tịch UBND xã", level=Level.COMMUNE, category=Category.CIVIL_SERVANT
    )
    seed(apps, None)
    secretary.refresh_from_db()
    chosen.refresh_from_db()
    assert secretary.category == Category.CADRE
    assert chosen.category == Category.CIVIL_SERVANT


def test_a_commune_list_without_a_category_column_takes_it_from_the_position(tu_doan):
    report = load("tu_doan_2023.csv")
    # The hired hand's post decides nothing: only that row is refused, with what to do.
    assert report.summary() == "new 4, updated 0, unchanged 0, rejected 1"
    (rejected,) = report.rejected
    assert rejected.label == "Hà Văn Khánh"
    assert "Nhân viên hợp đồng" in rejected.errors[0]
    assert "--category" in rejected.errors[0]
    categories = dict(Cadre.objects.values_list("full_name", "category"))
    assert categories == {
        "Nông Văn Bình": Category.CADRE,
        "Hoàng Thị Lan": Category.CADRE,
        "Lăng Văn Tú": Category.CIVIL_SERVANT,
        # No such position is stored: the law's table reads the title.
        "Vy Thị Hoa": Category.PART_TIME,
    }


def test_a_category_chosen_for_the_file_decides_the_rows_nothing_else_decides(tu_doan):
    report = load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    assert report.rejected_count == 0
    assert Cadre.objects.get(full_name="Hà Văn Khánh").category == Category.PART_TIME
    # The position still wins over the file-wide choice.
    assert Cadre.objects.get(full_name="Nông Văn Bình").category == Category.CADRE


def test_the_category_never_overwrites_a_stored_record_when_the_file_has_no_column(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    Cadre.objects.filter(full_name="Lăng Văn Tú").update(category=Category.PUBLIC_EMPLOYEE)
    report = load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    assert report.rejected_count == 0
    assert Cadre.objects.get(full_name="Lăng Văn Tú").category == Category.PUBLIC_EMPLOYEE


def test_level_columns_become_qualification_rows_and_the_current_levels(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    lan = Cadre.objects.get(full_name="Hoàng Thị Lan")
    assert lan.professional_level.code == "CM_DAI_HOC"
    assert lan.professional_major == "Luật"
    assert lan.political_theory_level.code == "LLCT_TRUNG_CAP"
    assert lan.state_management_level.code == "QLNN_CHUYEN_VIEN"
    assert lan.it_level.code == "CNTT_CO_BAN"
    assert lan.foreign_language_level.code == "NN_BAC3"
    binh = Cadre.objects.get(full_name="Nông Văn Bình")
    assert sorted(binh.qualifications.values_list("level__code", flat=True)) == [
        "CM_DAI_HOC",
        "LLCT_CAO_CAP",
        "NN_B",
        "QLNN_CHUYEN_VIEN_CHINH",
        "TH_B",
    ]
    assert binh.professional_major == "Xây dựng Đảng"
    # The register does not say when: the year stays unknown, and the level counts at any date.
    assert not Qualification.objects.exclude(year_obtained=None).exists()
    assert Cadre.objects.qualified_on(binh.political_theory_level, date(2010, 1, 1)).exists()


def test_reimporting_the_register_adds_no_second_qualification_or_appointment(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    counts = Qualification.objects.count(), Appointment.objects.count()
    Cadre.objects.filter(full_name="Nông Văn Bình").update(phone="0912000000")  # a change
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    assert (Qualification.objects.count(), Appointment.objects.count()) == counts


def test_a_qualification_history_gives_the_register_s_level_its_year(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    data = (
        "Số CCCD,Loại trình độ,Trình độ,Năm tốt nghiệp\n"
        "020075001111,LLCT,Cao cấp,2012\n"
        "020075001111,LLCT,Trung cấp,2006\n"
    ).encode()
    resource = QualificationResource()
    report = run_import(resource, read_file(data, "qt.csv", resource), write=True)
    assert report.summary() == "new 1, updated 1, unchanged 0, rejected 0"
    binh = Cadre.objects.get(full_name="Nông Văn Bình")
    years = dict(
        binh.qualifications.filter(level__track="political_theory").values_list(
            "level__code", "year_obtained"
        )
    )
    assert years == {"LLCT_CAO_CAP": 2012, "LLCT_TRUNG_CAP": 2006}


def test_the_position_held_becomes_the_current_appointment_of_the_unit_s_level(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    binh = Cadre.objects.get(full_name="Nông Văn Bình")
    (appointment,) = binh.appointments.all()
    assert appointment.position.title == "Bí thư Đảng ủy xã"
    assert appointment.unit == tu_doan
    assert appointment.end_date is None
    assert Cadre.objects.holding_key_position(Level.COMMUNE, date.today()).count() == 2
    # Titles matching no stored position are kept as the written post, without appointment.
    hoa = Cadre.objects.get(full_name="Vy Thị Hoa")
    assert hoa.job_title == "Phó Chủ tịch Hội Nông dân"
    assert not hoa.appointments.exists()


def test_the_key_mark_and_the_incumbent_or_reserve_status_are_kept(tu_doan):
    load("tu_doan_2023.csv", default_category=Category.PART_TIME)
    kept = {c.full_name: (c.key_cadre, c.standing) for c in Cadre.objects.all()}
    assert kept["Nông Văn Bình"] == (True, Standing.INCUMBENT)
    assert kept["Lăng Văn Tú"] == (False, Standing.RESERVE)
    assert kept["Hà Văn Khánh"] == (False, "")


def test_a_district_register_s_category_column_under_another_header_is_recognised():
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, code="183")
    UnitFactory(name="Văn phòng Huyện ủy", kind=UnitKind.AGENCY, parent=district)
    UnitFactory(name="Phòng Nội vụ", kind=UnitKind.AGENCY, parent=district)
    report = load("district_agencies.csv")
    assert report.columns["Phân loại"] == "category"
    assert report.summary() == "new 3, updated 0, unchanged 0, rejected 0"
    assert dict(Cadre.objects.values_list("full_name", "category")) == {
        "Triệu Văn An": Category.CADRE,
        "Lương Thị Bích": Category.CIVIL_SERVANT,
        "Mã Văn Cường": Category.PUBLIC_EMPLOYEE,
    }
    assert Cadre.objects.get(full_name="Triệu Văn An").professional_level.code == "CM_THAC_SI"


def test_the_command_takes_a_category_for_the_file(tu_doan, capsys):
    path = DATA / "tu_doan_2023.csv"
    with pytest.raises(SystemExit):
        call_command("import_cadres", str(path), "--dry-run")
    assert "rejected 1" in capsys.readouterr().out
    call_command("import_cadres", str(path), "--category", "Không chuyên trách")
    assert "new 5, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    assert Cadre.objects.get(full_name="Hà Văn Khánh").category == Category.PART_TIME


# The official list layout (a commune's "Mẫu 1"): the unit is the title, not a column, and the
# birth date stands under "Nam" or under "Nữ" below one "Ngày, tháng, năm sinh" header.


def test_the_nam_and_nu_columns_give_the_birth_date_and_the_gender(tu_doan):
    report = load("mau_son_2026.csv", default_unit=str(tu_doan.pk))
    assert (report.new, report.rejected_count) == (2, 1)
    man, woman = Cadre.objects.get(cccd="020080001111"), Cadre.objects.get(cccd="020190002222")
    assert (man.gender, man.birth_date) == ("male", date(1980, 3, 12))
    assert (woman.gender, woman.birth_date) == ("female", date(1990, 11, 5))
    assert man.unit == woman.unit == tu_doan
    assert (man.category, woman.category) == (Category.CADRE, Category.CIVIL_SERVANT)
    assert woman.political_theory_level.code == "LLCT_SO_CAP"
    [refused] = report.rejected
    assert refused.label == "Nông Văn Tài"
    assert "ghi ngày sinh ở cả cột Nam và cột Nữ; chỉ ghi ở một cột" in refused.errors[0]


def test_merged_header_cells_of_a_workbook_read_the_same(tu_doan, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["UBND XÃ TÚ ĐOẠN"])
    sheet.append(["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc", "Số CCCD"])
    sheet.append([None, None, "Nam", "Nữ"])
    sheet.merge_cells("C2:D2")
    sheet.append([1, "Lương Thị Mai", None, "05/11/1990", "Nùng", "020190002222"])
    data = io.BytesIO()
    book.save(data)
    resource = CadreResource(default_unit=str(tu_doan.pk), default_category=Category.CADRE)
    table = read_file(data.getvalue(), "mau_son.xlsx", resource)
    report = run_import(resource, table, write=True)
    assert report.new == 1
    assert Cadre.objects.get(cccd="020190002222").gender == "female"


def test_a_list_without_a_unit_column_asks_for_the_unit_of_the_file_and_writes_nothing(tu_doan):
    report = load("mau_son_2026.csv")
    assert report.new == 0 and report.rejected_count == 3
    for row in report.rejected:
        assert any("hãy chọn đơn vị cho cả tệp" in reason for reason in row.errors)
    assert not Cadre.objects.exists()


def test_the_unit_chosen_for_the_file_never_moves_a_stored_cadre(tu_doan):
    elsewhere = UnitFactory(name="Xã Na Dương")
    stored = CadreFactory(cccd="020080001111", unit=elsewhere)
    load("mau_son_2026.csv", default_unit=str(tu_doan.pk))
    stored.refresh_from_db()
    assert stored.unit == elsewhere


def test_the_command_takes_a_unit_for_the_file(tu_doan, capsys):
    path = DATA / "mau_son_2026.csv"
    with pytest.raises(CommandError, match="--unit: Không có đơn vị “Xã Không Có”"):
        call_command("import_cadres", str(path), "--unit", "Xã Không Có")
    with pytest.raises(SystemExit):  # the row with a date under both columns
        call_command("import_cadres", str(path), "--unit", "Tú Đoạn")
    assert "rejected 1" in capsys.readouterr().out
    assert not Cadre.objects.exists()

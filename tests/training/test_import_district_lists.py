"""Lists as a district keeps them. ``--create-missing`` creates the safe kinds (institutions,
programmes, positions) a list names and nobody knows yet, keeps them as known values for the
next file, and without the flag the rows naming them are rejected; units and cadres are never
created. And the faults the 2009-2012 corpus (tests/data/district_2009_2012) found."""

from datetime import date

import pytest
from django.core.management import call_command

from cadres.choices import Level, StudyMode
from cadres.models import Appointment, Position, Unit
from tests.factories import CadreFactory
from tests.training.factories import CourseFactory
from training.choices import InstitutionKind, PoolRole, ProgrammeTrack
from training.models import Attendance, Dispatch, Institution, Programme, Trainee

pytestmark = pytest.mark.django_db

DISPATCHES = (
    "STT,Họ và tên,Số CCCD,Loại hình đào tạo,Nơi học,Số QĐ,Ngày nhập học,Ngày kết thúc\n"
    "1,Nông Thanh Hải,020085001234,Bồi dưỡng kỹ năng số cho cán bộ cơ sở,"
    "Trường Đại học Sư phạm Hà Nội 2,15-QĐ/HU,01/09/2010,30/11/2010\n"
)
APPOINTMENTS = (
    "STT,Họ và tên,Số CCCD,Chức vụ,Đơn vị,Từ tháng năm\n"
    "1,Nông Thanh Hải,020085001234,Phó Trưởng Công an xã,Xã Tú Đoạn,01/2010\n"
)


def run(tmp_path, kind: str, content: str, *flags: str, command="import_training"):
    path = tmp_path / "list.csv"
    path.write_text(content, encoding="utf-8")
    args = [kind, str(path)] if command == "import_training" else [str(path), "--kind", kind]
    call_command(command, *args, *flags)


def test_unknown_institution_and_programme_reject_their_rows_without_the_flag(
    cadre, tmp_path, capsys
):
    with pytest.raises(SystemExit):
        run(tmp_path, "dispatches", DISPATCHES)
    out = capsys.readouterr().out
    assert "Không có chương trình “Bồi dưỡng kỹ năng số cho cán bộ cơ sở”" in out
    assert "Không có cơ sở đào tạo “Trường Đại học Sư phạm Hà Nội 2”" in out
    assert not Dispatch.objects.exists()
    assert not Institution.objects.filter(name__startswith="Trường Đại học Sư phạm").exists()


def test_create_missing_creates_them_once_and_the_next_file_finds_them(cadre, tmp_path, capsys):
    run(tmp_path, "dispatches", DISPATCHES, "--create-missing")
    out = capsys.readouterr().out
    assert "created Nơi học: Trường Đại học Sư phạm Hà Nội 2" in out
    school = Institution.objects.get(name="Trường Đại học Sư phạm Hà Nội 2")
    assert school.kind == InstitutionKind.UNIVERSITY  # from the words of its name
    course = Programme.objects.get(name="Bồi dưỡng kỹ năng số cho cán bộ cơ sở")
    assert (course.track, course.grants_level) == (ProgrammeTrack.REFRESHER, None)
    dispatch = Dispatch.objects.get()
    assert (dispatch.institution, dispatch.programme) == (school, course)
    # Saved as known values: the same list again, without the flag, changes nothing.
    run(tmp_path, "dispatches", DISPATCHES)
    assert capsys.readouterr().out.strip().endswith("new 0, updated 0, unchanged 1, rejected 0")
    assert Institution.objects.filter(name=school.name).count() == 1


def test_a_training_type_naming_a_level_creates_a_programme_granting_it(cadre, tmp_path):
    Programme.objects.filter(code="THAC_SI").delete()
    run(
        tmp_path,
        "dispatches",
        DISPATCHES.replace(",Bồi dưỡng kỹ năng số cho cán bộ cơ sở,", ",Thạc sĩ,"),
        "--create-missing",
    )
    created = Dispatch.objects.get().programme
    assert (created.name, created.grants_level.code) == ("Thạc sĩ", "CM_THAC_SI")
    assert created.track == ProgrammeTrack.PROFESSIONAL


def test_an_unknown_position_is_created_at_the_unit_s_level_only_with_the_flag(
    cadre, tmp_path, capsys
):
    with pytest.raises(SystemExit):
        run(tmp_path, "appointments", APPOINTMENTS, command="import_cadres")
    assert "Không có chức danh “Phó Trưởng Công an xã”" in capsys.readouterr().out
    assert not Position.objects.filter(title="Phó Trưởng Công an xã").exists()

    run(tmp_path, "appointments", APPOINTMENTS, "--create-missing", command="import_cadres")
    position = Position.objects.get(title="Phó Trưởng Công an xã")
    assert position.level == Level.COMMUNE
    appointment = Appointment.objects.get()
    assert (appointment.position, appointment.start_date) == (position, date(2010, 1, 1))


def test_units_and_cadres_are_never_created(cadre, tmp_path, capsys):
    units = Unit.objects.count()
    with pytest.raises(SystemExit):
        run(
            tmp_path,
            "appointments",
            APPOINTMENTS.replace("020085001234", "020085009999").replace("Tú Đoạn", "Mới Lập"),
            "--create-missing",
            command="import_cadres",
        )
    assert "rejected 1" in capsys.readouterr().out
    assert Unit.objects.count() == units
    assert CadreFactory._meta.model.objects.count() == 1


def test_a_dispatch_list_states_incumbent_or_reserve_per_row(cadre, tmp_path):
    other = CadreFactory(cccd="020190000222", unit=cadre.unit)
    rows = DISPATCHES.replace("Ngày kết thúc\n", "Ngày kết thúc,Đương chức/Dự nguồn\n")
    rows = rows.replace("30/11/2010\n", "30/11/2010,Đương chức\n")
    rows += rows.splitlines()[1].replace("020085001234", other.cccd).replace("Đương chức", "DN")
    run(tmp_path, "dispatches", rows + "\n", "--create-missing")
    roles = dict(Dispatch.objects.values_list("cadre__cccd", "pool_role"))
    assert roles == {cadre.cccd: PoolRole.INCUMBENT, other.cccd: PoolRole.RESERVE}


def test_a_programme_is_found_under_a_shorter_form_of_its_name(cadre, tmp_path):
    # The seeded "Trung cấp quân sự cơ sở (Trường Quân sự tỉnh)", as a commune list writes it.
    short = DISPATCHES.replace(
        ",Bồi dưỡng kỹ năng số cho cán bộ cơ sở,", ",Trung cấp quân sự cơ sở,"
    ).replace("Trường Đại học Sư phạm Hà Nội 2", "Trường Quân sự tỉnh Lạng Sơn")
    run(tmp_path, "dispatches", short)
    assert Dispatch.objects.get().programme.code == "QS_TRUNG_CAP"


def test_a_totals_line_in_the_class_code_column_is_under_the_table_not_a_row(cadre, tmp_path):
    CourseFactory(code="BD-2010-01")
    content = (
        "STT,Mã lớp,Họ và tên,Ngày sinh,CCCD,Đơn vị\n"
        "1,BD-2010-01,Nông Thanh Hải,,020085001234,\n"
        ",Tổng số: 1 lượt học viên,,,,\n"
        ",GIÁM ĐỐC,,,,\n"
    )
    run(tmp_path, "attendances", content)
    assert Attendance.objects.count() == 1


def test_an_attendee_s_unit_is_read_as_named_on_the_day_of_the_class(
    tmp_path, old_commune, commune_a
):
    # Khuất Xá was merged into Tú Đoạn in 2025: a 2010 class list names the commune of 2010.
    cuc = CadreFactory(full_name="Lương Thị Cúc", birth_date=date(1980, 5, 17), unit=old_commune)
    CourseFactory(code="BD-2010-02", start_date=date(2010, 5, 3), end_date=date(2010, 5, 7))
    content = (
        "STT,Mã lớp,Họ và tên,Ngày sinh,CCCD,Đơn vị\n"
        "1,BD-2010-02,Lương Thị Cúc,17/05/1980,,Khuất Xá\n"
    )
    run(tmp_path, "attendances", content)
    assert Attendance.objects.get().cadre == cuc
    assert not Trainee.objects.exists()


def test_a_qualification_history_writes_the_study_mode_by_its_common_word(cadre, tmp_path):
    content = (
        "STT,Họ và tên,Số CCCD,Loại trình độ,Trình độ,Tên trường,Hình thức đào tạo,"
        "Từ tháng năm,Đến tháng năm\n"
        "1,Nông Thanh Hải,020085001234,Chuyên môn,Đại học,Trường Đại học Luật Hà Nội,"
        "Tại chức,09/2002,06/2006\n"
    )
    run(tmp_path, "qualifications", content, command="import_cadres")
    assert cadre.qualifications.get().mode == StudyMode.IN_SERVICE


def test_a_payment_takes_the_policy_s_rate_and_without_an_amount_is_paid_what_it_computes(
    cadre, tmp_path
):
    from decimal import Decimal

    from tests.training.factories import DispatchFactory, PolicyFactory, programme
    from training.choices import RateBasis
    from training.models import SupportPayment, SupportRate

    DispatchFactory(cadre=cadre, decision_number="125-QĐ/HU")  # trung cấp LLCT, 8 months
    policy = PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    SupportRate.objects.create(policy=policy, basis=RateBasis.PER_COURSE, amount=900_000)
    monthly = SupportRate.objects.create(
        policy=policy,
        basis=RateBasis.PER_MONTH,
        programme_track=ProgrammeTrack.POLITICAL_THEORY,
        grants_level=programme("TRUNG_CAP_LLCT").grants_level,
        amount=500_000,
    )
    content = (
        "STT,Họ và tên,Số CCCD,Nội dung chi,Số QĐ cử đi học,Số tiền,Ngày chi,Số phiếu chi\n"
        "1,Nông Thanh Hải,020085001234,Hỗ trợ đào tạo cán bộ,125-QĐ/HU,,20/09/2023,PC-1\n"
        "2,Nông Thanh Hải,020085001234,Hỗ trợ đào tạo cán bộ,125-QĐ/HU,3.000.000,"
        "20/10/2023,PC-2\n"
    )
    run(tmp_path, "payments", content)
    first, second = SupportPayment.objects.order_by("voucher")
    # The most particular rate: per month of trung cấp LLCT, 8 months of study.
    assert (first.rate, first.computed_amount, first.amount) == (
        monthly,
        Decimal(4_000_000),
        Decimal(4_000_000),
    )
    # The list's own figure is kept; the rate's stays beside it for audit.
    assert (second.rate, second.computed_amount, second.amount) == (
        monthly,
        Decimal(4_000_000),
        Decimal(3_000_000),
    )

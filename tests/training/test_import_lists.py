"""Training lists as communes and the centre write them: a training type for the programme, the
school under a longer name, a decision without its date, a class by its code, attendees without
CCCD, money with cents, payments keyed by voucher, and no crash on any bad cell."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, UnitFactory
from tests.training.factories import (
    CourseFactory,
    DispatchFactory,
    PolicyFactory,
    TraineeFactory,
    institution,
    programme,
)
from training.models import Attendance, Dispatch, SupportPayment, Trainee
from training.resources import (
    AttendanceResource,
    DispatchResource,
    MoneyWidget,
    SupportPaymentResource,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "lists"


def load(resource, name: str, write: bool = True, content: bytes | None = None):
    data = content if content is not None else (DATA / name).read_bytes()
    return run_import(resource, read_file(data, name, resource), write=write, skip_rejected=True)


@pytest.fixture
def mai(commune):
    return CadreFactory(full_name="Lộc Thị Mai", cccd="020190000222", unit=commune)


def test_a_commune_dispatch_list_names_programmes_by_training_type_and_keeps_bare_numbers(
    cadre, mai
):
    report = load(DispatchResource(), "cu_di_hoc_xa.csv")
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 1"
    hai = Dispatch.objects.get(cadre=cadre)
    assert hai.programme == programme("TRUNG_CAP_LLCT")
    # "… tỉnh Lạng Sơn" is the one stored school whose name it contains.
    assert hai.institution == institution()
    assert hai.decision_number == "125-QĐ/HU"
    assert hai.decision_date is None
    assert Dispatch.objects.get(cadre=mai).programme == programme("DAI_HOC")
    # No programme grants a bachelor of political theory: the row says so, nothing is guessed.
    (rejected,) = report.rejected
    assert rejected.line == 6
    assert "Cử nhân chính trị" in rejected.errors[0]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("10.000.000", Decimal(10_000_000)),
        ("10.000.000,00", Decimal(10_000_000)),
        ("10,000,000.00", Decimal(10_000_000)),
        ("10000000", Decimal(10_000_000)),
        ("10.000.000 đ", Decimal(10_000_000)),
        (10000000.0, Decimal(10_000_000)),
        ("2.500.000,50", Decimal("2500000.50")),
        ("1,5 triệu", Decimal(1_500_000)),
        ("2 tr", Decimal(2_000_000)),
        ("500 nghìn đồng", Decimal(500_000)),
    ],
)
def test_money_is_read_as_accountants_write_it(written, amount):
    assert MoneyWidget().clean(written) == amount


@pytest.fixture
def classes(commune):
    CourseFactory(name="Bồi dưỡng cấp ủy viên", code="BD-2022-07", start_date=date(2022, 5, 9))
    CourseFactory(name="Bồi dưỡng cấp ủy viên", code="BD-2022-08", start_date=date(2022, 6, 6))
    other = UnitFactory(name="Xã Khuất Xá")
    TraineeFactory(full_name="Lý Văn Trùng", birth_date=date(1990, 1, 1), unit=commune)
    TraineeFactory(full_name="Lý Văn Trùng", birth_date=date(1990, 1, 1), unit=other)


def test_attendees_without_cccd_are_found_by_name_birth_date_and_unit_and_never_guessed(
    cadre, classes
):
    report = load(AttendanceResource(), "hoc_vien_theo_ma_lop.csv")
    assert report.summary() == "new 4, updated 0, unchanged 0, rejected 1"
    # The cadre on the register, twice, by name and birth date (with and without a unit).
    assert Attendance.objects.filter(cadre=cadre).count() == 2
    # A new person named on two rows is one trainee with two attendances.
    (new,) = Trainee.objects.filter(full_name="Hoàng Văn Mới")
    assert new.attendances.count() == 2
    assert {a.course.code for a in new.attendances.all()} == {"BD-2022-07", "BD-2022-08"}
    # Two trainees answer "Lý Văn Trùng, 01/01/1990": the row asks, naming both.
    (rejected,) = report.rejected
    assert rejected.line == 7
    assert "có 2 người “Lý Văn Trùng”" in rejected.errors[0]
    assert "Xã Tú Đoạn" in rejected.errors[0] and "Xã Khuất Xá" in rejected.errors[0]


def test_an_ambiguous_attendee_is_taken_once_the_row_gives_the_unit(cadre, classes):
    content = "Mã lớp,Họ và tên,Ngày sinh,Đơn vị\nBD-2022-08,Lý Văn Trùng,01/01/1990,Khuất Xá\n"
    report = load(AttendanceResource(), "x.csv", content=content.encode())
    assert report.summary() == "new 1, updated 0, unchanged 0, rejected 0"
    assert Attendance.objects.get().trainee.unit.name == "Xã Khuất Xá"


def test_payment_lines_are_keyed_by_voucher_so_two_on_one_day_are_two_payments(cadre):
    PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    DispatchFactory(cadre=cadre, decision_number="125-QĐ/HU")
    report = load(SupportPaymentResource(), "chi_ho_tro_ke_toan.csv")
    assert report.summary() == "new 3, updated 0, unchanged 0, rejected 0"
    amounts = sorted(SupportPayment.objects.values_list("voucher", "amount"))
    assert amounts == [
        ("PC-101", Decimal(10_000_000)),
        ("PC-102", Decimal(2_500_000)),
        ("PC-140", Decimal(1_500_000)),
    ]
    again = load(SupportPaymentResource(), "chi_ho_tro_ke_toan.csv")
    assert again.summary() == "new 0, updated 0, unchanged 3, rejected 0"


GARBAGE = ["@@@", "31/02/2020", "=1+1", "0000", "x" * 300]


@pytest.mark.parametrize(
    ("resource_class", "name"),
    [
        (DispatchResource, "cu_di_hoc_xa.csv"),
        (AttendanceResource, "hoc_vien_theo_ma_lop.csv"),
        (SupportPaymentResource, "chi_ho_tro_ke_toan.csv"),
    ],
)
def test_every_bad_cell_of_every_training_list_is_a_reason_never_a_crash(
    resource_class, name, cadre, mai, classes
):
    PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    DispatchFactory(cadre=cadre, decision_number="125-QĐ/HU")
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, line in enumerate(lines) if line.startswith("STT"))
    row = lines[header_at + 1].split(",")
    for column in range(1, len(row)):
        for garbage in GARBAGE:
            cells = list(row)
            cells[column] = garbage
            content = "\n".join([lines[header_at], ",".join(cells)]).encode()
            report = load(resource_class(), name, write=False, content=content)
            assert len(report.rows) == 1
            outcome = report.rows[0]
            assert outcome.status != "rejected" or outcome.errors, (column, garbage)


def test_a_decision_with_its_date_in_one_cell_and_the_study_period_in_another(cadre, mai):
    """ "Quyết định số 15-QĐ/ĐU ngày 02/8/2023" and "08/2023 - 05/2024" under "Thời gian học";
    the school shortened ("ĐH Thái Nguyên")."""
    report = load(DispatchResource(), "de_nghi_cu_di_hoc_xa.csv")
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 0"
    hai = Dispatch.objects.get(cadre=cadre)
    assert (hai.decision_number, hai.decision_date) == ("15-QĐ/ĐU", date(2023, 8, 2))
    # Sent in August by a decision of 2 August: not before it; ends at the end of May.
    assert (hai.start_date, hai.end_date) == (date(2023, 8, 2), date(2024, 5, 31))
    mai_sent = Dispatch.objects.get(cadre=mai)
    assert (mai_sent.decision_number, mai_sent.decision_date) == ("16-QĐ/ĐU", None)
    assert (mai_sent.start_date, mai_sent.end_date) == (date(2023, 9, 1), date(2027, 6, 30))
    assert mai_sent.institution == institution("Đại học Thái Nguyên")
    again = load(DispatchResource(), "de_nghi_cu_di_hoc_xa.csv")
    assert again.summary() == "new 0, updated 0, unchanged 2, rejected 0"


def test_an_attendance_list_with_the_birth_date_under_nam_or_nu(cadre, classes):
    content = (
        "STT,Mã lớp,Họ và tên,Ngày tháng năm sinh,,Đơn vị\n"
        ",,,Nam,Nữ,\n"
        "1,BD-2022-07,Nông Thanh Hải,17/05/1980,,Xã Tú Đoạn\n"
        "2,BD-2022-07,Hoàng Thị Mới,,12/03/2001,Xã Tú Đoạn\n"
        "3,BD-2022-08,Hoàng Thị Mới,12/03/2001,12/03/2001,Xã Tú Đoạn\n"
    )
    report = load(AttendanceResource(), "hoc_vien.csv", content=content.encode())
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 1"
    assert Attendance.objects.filter(cadre=cadre).count() == 1
    assert Trainee.objects.get(full_name="Hoàng Thị Mới").birth_date == date(2001, 3, 12)
    (rejected,) = report.rejected
    assert "ghi ngày sinh ở cả cột Nam và cột Nữ" in " ".join(rejected.errors)


def test_a_dispatch_list_without_cccd_names_each_cadre_by_name_and_birth_date(cadre, commune):
    """A commune's list of people sent to study, in the official layout, without CCCDs: each
    row is the one cadre of that name and birth date, never a guess between two."""
    cadre.birth_date = date(1985, 5, 17)
    cadre.save()
    other = UnitFactory(name="Xã Na Dương")
    for unit in (commune, other):  # two of one name and birth date: the unit tells them apart
        CadreFactory(full_name="Lộc Văn Đôi", birth_date=date(1990, 2, 2), unit=unit)
    content = (
        "STT,Họ và tên,Ngày tháng năm sinh,,Đơn vị,Hệ đào tạo,Nơi đào tạo,Số QĐ,Thời gian học\n"
        ",,Nam,Nữ,,,,,\n"
        "1,Nông Thanh Hải,17/05/1985,,,Trung cấp LLCT,Trường Chính trị Hoàng Văn Thụ,31-QĐ/HU,"
        "09/2023 - 05/2024\n"
        "2,Lộc Văn Đôi,02/02/1990,,Xã Na Dương,Đại học,Đại học Thái Nguyên,32-QĐ/HU,"
        "09/2023 - 06/2027\n"
        "3,Lộc Văn Đôi,02/02/1990,,,Đại học,Đại học Thái Nguyên,33-QĐ/HU,09/2023 - 06/2027\n"
        "4,Người Lạ,01/01/1991,,,Đại học,Đại học Thái Nguyên,34-QĐ/HU,09/2023 - 06/2027\n"
        "5,,,01/01/1991,,Đại học,Đại học Thái Nguyên,35-QĐ/HU,09/2023 - 06/2027\n"
    )
    report = load(DispatchResource(), "cu_di_hoc.csv", content=content.encode())
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 3"
    assert Dispatch.objects.get(decision_number="31-QĐ/HU").cadre == cadre
    assert Dispatch.objects.get(decision_number="32-QĐ/HU").cadre.unit == other
    ambiguous, unknown, nobody = report.rejected
    assert "có 2 cán bộ “Lộc Văn Đôi” sinh ngày 02/02/1990" in ambiguous.errors[0]
    assert "hồ sơ không có cán bộ “Người Lạ”" in unknown.errors[0]
    assert "Phải ghi Số CCCD (hoặc họ tên và ngày sinh)" in nobody.errors[0]

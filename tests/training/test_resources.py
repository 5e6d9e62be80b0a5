"""Training lists in and out of the admin: dispatches, a class's attendance list and support
payments, with the guarantees of the cadre import (preview, reasons with line numbers, re-import
changes nothing, round trip, scope)."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cadres.models import Role, StaffAssignment
from core.imports.engine import read_file, run_import
from tests.factories import AppointmentFactory, CadreFactory, UnitFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    PolicyFactory,
    TraineeFactory,
    programme,
)
from training.choices import DispatchStatus, PolicyKind
from training.models import (
    Attendance,
    Course,
    Dispatch,
    Institution,
    Programme,
    SupportPayment,
    SupportPolicy,
    Trainee,
)
from training.resources import AttendanceResource, DispatchResource, SupportPaymentResource

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def mai(commune):
    return CadreFactory(full_name="Lộc Thị Mai", cccd="020190000222", unit=commune)


@pytest.fixture
def course():
    return CourseFactory(name="Lớp nhận thức về Đảng khóa 1", start_date=date(2024, 3, 4))


@pytest.fixture
def policies():
    training = PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    attraction = PolicyFactory(name="Thu hút người có trình độ cao", kind=PolicyKind.ATTRACTION)
    return training, attraction


def upload(client, model: str, name: str, content: bytes | None = None):
    content = content if content is not None else (DATA / name).read_bytes()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(reverse(f"admin:training_{model}_import"), {"file": file})


def confirm(client, model: str, response):
    batch = response.context["batch"]
    return client.post(reverse(f"admin:training_{model}_import_confirm", args=[batch.pk]))


def reasons(report) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in report.rejected}


def export(client, model: str, layout: str) -> bytes:
    response = client.get(reverse(f"admin:training_{model}_export", args=[layout]))
    assert response.status_code == 200
    return response.content


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def round_trips(client, model: str) -> None:
    """Both exports import back with every row unchanged, and export the same again."""
    for layout, name in [("csv", "ds.csv"), ("xlsx", "ds.xlsx")]:
        content = export(client, model, layout)
        report = upload(client, model, name, content).context["report"]
        assert report.rejected_count == 0, reasons(report)
        assert report.new == report.updated == 0
        assert report.unchanged > 0
        assert export(client, model, layout) == content or layout == "xlsx"
    first = xlsx_rows(export(client, model, "xlsx"))
    assert xlsx_rows(export(client, model, "xlsx")) == first


def commune_user(django_user_model, unit):
    user = django_user_model.objects.create_user("can_bo_xa", password="Mật-khẩu-dài-456")
    StaffAssignment.objects.create(user=user, role=Role.COMMUNE, unit=unit)
    return django_user_model.objects.get(pk=user.pk)


def run(resource, content: str, user, write: bool = False):
    table = read_file(content.encode(), "ds.csv", resource)
    return run_import(resource, table, write=write, skip_rejected=True, user=user)


# --- Dispatches -------------------------------------------------------------------------------


def test_a_dispatch_list_is_previewed_with_reasons_then_written_and_again_changes_nothing(
    admin_client, cadre, mai
):
    response = upload(admin_client, "dispatch", "cu_di_hoc.csv")
    report = response.context["report"]
    assert (report.new, report.rejected_count) == (2, 3)
    assert not Dispatch.objects.exists()
    refused = reasons(report)
    assert "Không có cán bộ có số CCCD “020085009999”" in refused[4]
    assert "Có phải: Trung cấp lý luận chính trị, " in refused[5]
    assert refused[6].startswith("Ngày quyết định: Quyết định cử đi học phải có trước")

    confirm(admin_client, "dispatch", response)
    hai = Dispatch.objects.get(cadre=cadre)
    assert (hai.programme.code, hai.decision_number, hai.signer) == (
        "TRUNG_CAP_LLCT",
        "125-QĐ/HU",
        "Hoàng Văn Bình",
    )
    assert hai.months_to_serve == 16  # derived as the admin form does: 8 months × 2
    assert hai.qualification is not None  # graduated: written into the record
    assert Dispatch.objects.get(cadre=mai).status == DispatchStatus.STUDYING

    again = upload(admin_client, "dispatch", "cu_di_hoc.csv").context["report"]
    assert (again.new, again.updated, again.unchanged, again.rejected_count) == (0, 0, 2, 3)


def test_an_exported_dispatch_list_imports_back_unchanged(admin_client, cadre, mai):
    DispatchFactory(cadre=cadre, signer="Hoàng Văn Bình", result="Giỏi")
    DispatchFactory(cadre=mai, programme=programme("CAO_CAP_LLCT"), decision_number="7-QĐ/TU")
    round_trips(admin_client, "dispatch")


def test_a_commune_users_dispatch_list_naming_another_communes_cadre_has_that_row_refused(
    django_user_model, cadre
):
    other = CadreFactory(cccd="020085000777", unit=UnitFactory(name="Xã Na Dương"))
    user = commune_user(django_user_model, cadre.unit)
    header = "Số CCCD,Chương trình,Cơ sở đào tạo,Số quyết định,Ngày quyết định,"
    header += "Ngày nhập học,Ngày kết thúc\n"
    line = ",TRUNG_CAP_LLCT,Trường Chính trị Hoàng Văn Thụ,{},15/08/2023,01/09/2023,01/05/2024\n"
    content = header + cadre.cccd + line.format("1-QĐ") + other.cccd + line.format("2-QĐ")
    report = run(DispatchResource(), content, user, write=True)
    assert report.new == 1
    assert "không có quyền nhập dòng này vào đơn vị của mình" in reasons(report)[3]
    assert list(Dispatch.objects.values_list("cadre__cccd", flat=True)) == [cadre.cccd]


# --- Attendances ------------------------------------------------------------------------------


def test_a_class_list_adds_cadres_known_trainees_and_new_trainees_once(admin_client, cadre, course):
    known = TraineeFactory(full_name="Hoàng Thị Có", birth_date=date(1999, 6, 5), unit=cadre.unit)
    response = upload(admin_client, "attendance", "danh_sach_hoc_vien.csv")
    report = response.context["report"]
    assert (report.new, report.rejected_count) == (3, 3)
    refused = reasons(report)
    assert "Không có lớp “Lớp nhận thức về Đảng khoá 9”" in refused[5]
    assert "Có phải: Lớp nhận thức về Đảng khóa 1" in refused[5]
    assert refused[6].startswith("Ngày sinh: chưa ghi")
    assert "trùng với dòng 3 của tệp" in refused[7]
    assert not Attendance.objects.exists() and not Trainee.objects.exclude(pk=known.pk).exists()

    logged = confirm(admin_client, "attendance", response)
    assert "không hoàn tác được" in admin_client.get(logged.url).content.decode()
    new = Trainee.objects.get(full_name="Lộc Văn Mới")
    assert (new.birth_date, new.unit) == (date(2001, 3, 12), cadre.unit)
    people = {(a.cadre, a.trainee, a.result) for a in course.attendances.all()}
    assert people == {(cadre, None, "fair"), (None, new, "passed"), (None, known, "good")}

    again = upload(admin_client, "attendance", "danh_sach_hoc_vien.csv").context["report"]
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert Trainee.objects.count() == 2


def test_an_exported_class_list_imports_back_unchanged(admin_client, cadre, course):
    AttendanceFactory(course=course, cadre=cadre, certificate="CN-01")
    AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory(unit=cadre.unit))
    round_trips(admin_client, "attendance")


def test_a_class_page_links_to_its_attendance_list_with_import_and_export(admin_client, course):
    AttendanceFactory(course=course)
    AttendanceFactory()  # of another class
    page = admin_client.get(reverse("admin:training_course_changelist")).content.decode()
    url = reverse("admin:training_attendance_changelist") + f"?course__id__exact={course.pk}"
    assert url in page
    listed = admin_client.get(url)
    assert listed.context["cl"].result_count == 1
    assert reverse("admin:training_attendance_import") in listed.content.decode()


def test_a_commune_users_class_list_naming_another_communes_people_has_those_rows_refused(
    django_user_model, cadre, course
):
    elsewhere = UnitFactory(name="Xã Na Dương")
    other = CadreFactory(cccd="020085000777", unit=elsewhere)
    user = commune_user(django_user_model, cadre.unit)
    content = (
        "Lớp,Họ và tên,Ngày sinh,Số CCCD,Đơn vị\n"
        f"{course.name},,,{cadre.cccd},\n"
        f"{course.name},,,{other.cccd},\n"
        f"{course.name},Người Xã Khác,01/01/2000,,Xã Na Dương\n"
    )
    report = run(AttendanceResource(), content, user, write=True)
    assert report.new == 1
    assert "không có quyền nhập dòng này vào đơn vị của mình" in reasons(report)[3]
    assert "không có quyền nhập dòng này vào đơn vị của mình" in reasons(report)[4]
    assert list(course.attendances.values_list("cadre", flat=True)) == [cadre.pk]
    assert not Trainee.objects.exists()


# --- Payments -----------------------------------------------------------------------------------


@pytest.fixture
def paid_for(cadre, mai, course):
    dispatch = DispatchFactory(cadre=cadre, decision_number="125-QĐ/HU")
    attendance = AttendanceFactory(course=course, cadre=cadre)
    return dispatch, attendance


def test_a_payment_list_names_dispatches_attendances_and_attraction_cadres(
    admin_client, paid_for, policies, mai
):
    dispatch, attendance = paid_for
    response = upload(admin_client, "supportpayment", "chi_ho_tro.csv")
    report = response.context["report"]
    assert (report.new, report.rejected_count) == (3, 2)
    refused = reasons(report)
    assert refused[5].startswith("Số CCCD: Chỉ chính sách thu hút mới chi thẳng cho cán bộ")
    assert "theo quyết định “152-QĐ/HU”. Có phải: 125-QĐ/HU?" in refused[6]

    logged = confirm(admin_client, "supportpayment", response)
    assert admin_client.get(logged.url).context["undo_problems"] == []
    payments = {(p.dispatch, p.attendance, p.cadre, p.amount) for p in SupportPayment.objects.all()}
    assert payments == {
        (dispatch, None, None, 3_000_000),
        (None, attendance, None, 200_000),
        (None, None, mai, 50_000_000),
    }

    again = upload(admin_client, "supportpayment", "chi_ho_tro.csv").context["report"]
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_an_exported_payment_list_imports_back_unchanged(admin_client, paid_for, policies, mai):
    dispatch, attendance = paid_for
    training, attraction = policies
    SupportPayment.objects.create(
        policy=training, dispatch=dispatch, amount=3, paid_on=date(2024, 1, 1)
    )
    SupportPayment.objects.create(
        policy=training, attendance=attendance, amount=2, paid_on=date(2024, 3, 8), voucher="X"
    )
    SupportPayment.objects.create(policy=attraction, cadre=mai, amount=5, paid_on=date(2024, 1, 2))
    round_trips(admin_client, "supportpayment")


def test_a_commune_users_payment_list_naming_another_communes_cadre_has_that_row_refused(
    django_user_model, cadre, policies
):
    training, attraction = policies
    other = CadreFactory(cccd="020085000777", unit=UnitFactory(name="Xã Na Dương"))
    user = commune_user(django_user_model, cadre.unit)
    content = (
        "Số CCCD,Chính sách,Số tiền (đồng),Ngày chi\n"
        f"{cadre.cccd},{attraction.name},1000,15/01/2024\n"
        f"{other.cccd},{attraction.name},1000,15/01/2024\n"
    )
    report = run(SupportPaymentResource(), content, user, write=True)
    assert report.new == 1
    assert "không có quyền nhập dòng này vào đơn vị của mình" in reasons(report)[3]
    assert list(SupportPayment.objects.values_list("cadre", flat=True)) == [cadre.pk]


def test_large_lists_are_previewed_and_written_in_a_few_queries(
    commune, course, django_assert_max_num_queries
):
    cadres = CadreFactory.create_batch(100, unit=commune)
    policy = PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    dispatches = ["Số CCCD,Chương trình,Cơ sở đào tạo,Số quyết định,Ngày quyết định,"]
    dispatches[0] += "Ngày nhập học,Ngày kết thúc"
    attendances = ["Lớp,Họ và tên,Ngày sinh,Số CCCD,Đơn vị"]
    payments = ["Số CCCD,Chính sách,Số quyết định cử đi học,Lớp,Số tiền (đồng),Ngày chi"]
    for i, cadre in enumerate(cadres):
        dispatches.append(
            f"{cadre.cccd},TRUNG_CAP_LLCT,Trường Chính trị Hoàng Văn Thụ,{i}-QĐ,"
            "15/08/2023,01/09/2023,01/05/2024"
        )
        attendances.append(f"{course.name},,,{cadre.cccd},")
        attendances.append(f"{course.name},Học Viên {i},01/01/2000,,{commune.name}")
        payments.append(f"{cadre.cccd},{policy.name},{i}-QĐ,,1.000.000,01/10/2023")
        payments.append(f"{cadre.cccd},{policy.name},,{course.name},200.000,01/10/2023")
    # Content types are cached for the life of the process; a test run alone starts cold.
    ContentType.objects.get_for_models(Programme, Institution, SupportPolicy, Course)
    for resource_class, lines in [
        (DispatchResource, dispatches),
        (AttendanceResource, attendances),
        (SupportPaymentResource, payments),
    ]:
        content = "\n".join(lines)
        # 13: the dispatch list reads the commitment rules too (the retirement rule needs them).
        with django_assert_max_num_queries(13):
            assert run(resource_class(), content, None).rejected_count == 0
        with django_assert_max_num_queries(60):  # bulk inserts, their history, follow-ups
            assert run(resource_class(), content, None, write=True).new == len(lines) - 1


def test_a_changed_row_also_writes_the_unit_derived_for_a_dispatch_that_had_none(
    admin_client, cadre
):
    dispatch = DispatchFactory(cadre=cadre, result="Khá")
    Dispatch.objects.filter(pk=dispatch.pk).update(unit=None)  # sent before any history
    AppointmentFactory(cadre=cadre, start_date=date(2020, 1, 1))  # recorded since
    content = export(admin_client, "dispatch", "csv").decode("utf-8-sig")
    assert content.count("Khá") == 1
    changed = content.replace("Khá", "Giỏi").encode("utf-8-sig")
    response = upload(admin_client, "dispatch", "ds.csv", changed)
    assert response.context["report"].updated == 1
    confirm(admin_client, "dispatch", response)
    dispatch.refresh_from_db()
    assert (dispatch.result, dispatch.unit) == ("Giỏi", cadre.unit)

"""Import and export of training lists: people sent to study (cử đi học), the attendance list of
a class (danh sách học viên) and support payments (chi hỗ trợ), through the cadre importer
(``core.imports.engine.run_import``: preview, reasons with line numbers, one transaction).

Rows are matched on natural keys, never on database ids:
- a dispatch: the cadre (by CCCD) and the decision number (one decision sends a cadre once);
- an attendance: the class and the person, a cadre by CCCD or a trainee off the cadre register
  by CCCD, else by name and birth date; a person found nowhere becomes a new trainee (name,
  birth date and unit required);
- a payment: whom it is for (the cadre's dispatch named by its decision number, the person's
  attendance of a class, or for an attraction policy the cadre alone), the policy and the date.

A commune user may only write rows of people of their commune (``scope_unit_id``). Exports write
every key column as it reads back, so an exported list imports unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from import_export.fields import Field

from cadres.models import Cadre
from cadres.resources import UnitWidget, day, shown, text
from core import tabular
from core.audit import bulk_create_with_history
from core.imports.resources import BulkModelResource
from core.imports.widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    TextWidget,
    is_empty,
    suggestion_text,
)
from core.text import fold
from planning.resources import CadreByCccdWidget, NamedWidget
from training import needs, services
from training.choices import AttendanceResult, DispatchMode, DispatchStatus
from training.models import (
    Attendance,
    Course,
    Dispatch,
    Institution,
    Programme,
    ServiceCommitmentRule,
    SupportPayment,
    SupportPolicy,
    Trainee,
)
from training.models.dispatches import planning_roles

SCOPE_REFUSAL = (
    "Người này thuộc đơn vị khác: bạn không có quyền ghi danh sách của đơn vị đó; "
    "dòng không được ghi."
)
CCCD_ALIASES = ["CCCD", "Số căn cước công dân", "Số căn cước", "Số CMND/CCCD", "Số định danh"]


# --- Widgets ----------------------------------------------------------------------------------


class CadreWidget(CadreByCccdWidget):
    """A cadre by CCCD, written in any of the ways files write it (lost leading zero too);
    the resource loads the cadres of a chunk of rows at once (``People.prefetch``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.people = People()

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        cccd = tabular.normalise_cccd(value)
        cadre = self.people.cadre(cccd)
        if cadre is None:
            raise ValueError(f"Không có cán bộ có số CCCD “{cccd}”.")
        return cadre

    def by_pk(self, pk):
        return next((c for c in self.people.cadres.values() if c and c.pk == pk), None)


class CccdTextWidget(TextWidget):
    """A CCCD read as text; the resource decides whose it is (cadre or trainee)."""

    def clean(self, value, row=None, **kwargs):
        return "" if is_empty(value) else tabular.normalise_cccd(value)

    def by_pk(self, pk):
        return None


class ReferenceWidget(TextWidget):
    """A cell naming a related row the resource resolves with the other cells of the row."""

    def by_pk(self, pk):
        return None


class MoneyWidget(DecimalWidget):
    """Whole đồng as written in payment lists: "3000000", "3.000.000", "3,000,000 đ"."""

    THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = re.sub(r"(?i)\s|vn[dđ]|đồng|đ$", "", str(value).strip())
        if self.THOUSANDS.match(text):
            text = re.sub(r"[.,]", "", text)
        return super().clean(text, row, **kwargs)


class CourseWidget(NamedWidget):
    """A class by "name (start date)" as exported, or by its name alone when no other class
    has that name."""

    def __init__(self, **kwargs):
        super().__init__(Course, "lớp", lambda c: [str(c), c.name], **kwargs)
        self.ambiguous: set[str] = set()

    def index(self):
        if self._index is None:
            courses = list(Course.objects.all())
            counts: dict[str, int] = {}
            for course in courses:
                counts[fold(course.name)] = counts.get(fold(course.name), 0) + 1
            self.ambiguous = {name for name, n in counts.items() if n > 1}
            self._index = {}
            for course in courses:
                self._index[fold(str(course))] = course
                if fold(course.name) not in self.ambiguous:
                    self._index[fold(course.name)] = course
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        index = self.index()
        if fold(str(value)) in self.ambiguous and fold(str(value)) not in index:
            raise ValueError(
                f"Có nhiều lớp tên “{value}”; ghi kèm ngày khai giảng, "
                f"ví dụ “{str(value).strip()} (04/03/2024)”."
            )
        return super().clean(value, row, **kwargs)


def cccd_field(attribute: str = "cadre") -> Field:
    field = Field(attribute=attribute, column_name="Số CCCD", widget=CccdTextWidget())
    field.mask_as = "cccd"
    return field


def listed(attribute: str, column: str) -> Field:
    """Exported by a ``dehydrate_`` method, ignored on import."""
    return Field(attribute=None, column_name=column, readonly=True)


# --- Finding people ----------------------------------------------------------------------------


class People:
    """Cadres by CCCD (one query per CCCD, remembered) and trainees by CCCD or by name and
    birth date (all loaded once), for one import. New trainees of the file are kept here so
    that several rows naming the same new person make one trainee."""

    def __init__(self):
        self.cadres: dict[str, Cadre | None] = {}
        self._trainees: list[Trainee] | None = None
        self.new: dict[tuple, Trainee] = {}
        self.units = UnitWidget()
        self.dates = DateWidget()

    def prefetch(self, rows, names: Iterable[str] = ("cadre",)) -> None:
        """The cadres of every CCCD in ``rows`` (cells ``names``) in one query."""
        wanted = set()
        for row in rows:
            for name in names:
                try:
                    cccd = tabular.normalise_cccd(row.values.get(name) or "")
                except ValueError:
                    continue
                if cccd and cccd not in self.cadres:
                    wanted.add(cccd)
        if not wanted:
            return
        found = Cadre.objects.select_related("unit").filter(cccd__in=wanted)
        self.cadres.update(dict.fromkeys(wanted))
        self.cadres.update({cadre.cccd: cadre for cadre in found})

    def cadre(self, cccd: str) -> Cadre | None:
        if cccd not in self.cadres:
            self.cadres[cccd] = Cadre.objects.select_related("unit").filter(cccd=cccd).first()
        return self.cadres[cccd]

    def trainees(self) -> list[Trainee]:
        if self._trainees is None:
            self._trainees = list(Trainee.objects.select_related("cadre", "unit"))
        return self._trainees

    def trainee_by_cccd(self, cccd: str) -> Trainee | None:
        return next((t for t in self.trainees() if t.cccd == cccd), None)

    def trainees_named(self, name: str, born: date) -> list[Trainee]:
        key = fold(name)
        return [t for t in self.trainees() if fold(t.full_name) == key and t.birth_date == born]


def person_errors(
    people: People, cccd: str, name: str, row: dict[str, str], headers: dict[str, str]
) -> tuple[Cadre | Trainee | None, list[str]]:
    """The person a row names: a cadre by CCCD, else a trainee by CCCD, else by name and
    birth date, else a new (unsaved) trainee from name, birth date, unit and CCCD."""
    cccd_header = headers.get("cadre", "Số CCCD")
    name_header = headers.get("trainee", "Họ và tên")
    if cccd:
        found = people.cadre(cccd) or people.trainee_by_cccd(cccd)
        if found is not None:
            return found, []
    if not name:
        if cccd:
            return None, [
                f"{cccd_header}: không có cán bộ hay học viên có số CCCD “{cccd}”; "
                f"để thêm học viên mới, ghi {name_header}, ngày sinh và đơn vị."
            ]
        return None, [f"{cccd_header}: chưa ghi số CCCD (cán bộ) hoặc họ tên (học viên)."]
    errors = []
    born = unit = None
    born_header = headers.get("birth_date", "Ngày sinh")
    unit_header = headers.get("unit", "Đơn vị")
    try:
        born = people.dates.clean(row.get("birth_date", ""))
    except ValueError as error:
        errors.append(f"{born_header}: {error}")
    if errors:
        return None, errors
    if born is not None and not cccd:
        named = people.trainees_named(name, born)
        if len(named) > 1:
            return None, [
                f"{name_header}: có {len(named)} học viên “{name}” cùng ngày sinh; "
                "ghi số CCCD để phân biệt."
            ]
        if named:
            return named[0], []
    key = ("cccd", cccd) if cccd else ("name", fold(name), born)
    if key in people.new:
        return people.new[key], []
    if born is None:
        errors.append(f"{born_header}: chưa ghi (cần để nhận ra học viên mới “{name}”).")
    try:
        unit = people.units.clean(row.get("unit", ""))
    except ValueError as error:
        errors.append(f"{unit_header}: {error}")
    else:
        if unit is None:
            errors.append(f"{unit_header}: chưa ghi (cần để thêm học viên mới “{name}”).")
    if errors:
        return None, errors
    trainee = Trainee(full_name=name, birth_date=born, unit=unit, cccd=cccd)
    try:
        # The unit was found in the database, and a CCCD of a stored trainee found that trainee.
        trainee.full_clean(exclude=["cadre", "unit"], validate_constraints=False)
    except ValidationError as error:
        messages = [m for found in error.message_dict.values() for m in found]
        return None, [f"{name_header}: {message}" for message in messages]
    people.new[key] = trainee
    return trainee, []


def person_of(attendance: Attendance) -> Cadre | Trainee:
    return attendance.cadre or attendance.trainee


def unit_id_of(person: Cadre | Trainee | None) -> int | None:
    return None if person is None else person.unit_id


# --- Dispatches ---------------------------------------------------------------------------------


class DispatchResource(BulkModelResource):
    cadre = Field(attribute="cadre", column_name="Số CCCD", widget=CadreWidget())
    full_name = shown("cadre__full_name", "Họ và tên")
    unit = shown("cadre__unit__name", "Đơn vị")
    programme = Field(
        attribute="programme",
        column_name="Chương trình",
        widget=NamedWidget(Programme, "chương trình", lambda p: [p.name, p.code]),
    )
    institution = Field(
        attribute="institution",
        column_name="Cơ sở đào tạo",
        widget=NamedWidget(Institution, "cơ sở đào tạo", lambda i: [i.name, i.short_name]),
    )
    major = text("major", "Chuyên ngành")
    mode = Field(
        attribute="mode",
        column_name="Hình thức",
        widget=ChoiceWidget(DispatchMode.choices, "hình thức học"),
    )
    decision_number = text("decision_number", "Số quyết định")
    decision_date = day("decision_date", "Ngày quyết định")
    signer = text("signer", "Người ký")
    start_date = day("start_date", "Ngày nhập học")
    end_date = day("end_date", "Ngày kết thúc")
    status = Field(
        attribute="status",
        column_name="Trạng thái",
        widget=ChoiceWidget(DispatchStatus.choices, "trạng thái"),
    )
    graduated_on = day("graduated_on", "Ngày tốt nghiệp")
    result = text("result", "Kết quả, xếp loại")
    certificate = text("certificate", "Số văn bằng, chứng chỉ")

    aliases = {
        "cadre": CCCD_ALIASES,
        "programme": ["Chương trình đào tạo", "Trình độ đào tạo", "Mã chương trình"],
        "institution": ["Cơ sở đào tạo", "Nơi học", "Trường"],
        "decision_number": ["Số QĐ", "Số quyết định cử đi học", "Quyết định"],
        "decision_date": ["Ngày QĐ", "Ngày ký quyết định"],
        "start_date": ["Từ ngày", "Ngày bắt đầu"],
        "end_date": ["Đến ngày", "Ngày kết thúc dự kiến"],
        "result": ["Kết quả", "Xếp loại"],
        "certificate": ["Số văn bằng", "Số bằng"],
    }
    derived_fields = ["months_to_serve"]
    label_field = "cadre"
    scope_field = "cadre__unit"

    class Meta(BulkModelResource.Meta):
        model = Dispatch
        import_id_fields = ["cadre"]
        fields = [
            "cadre",
            "full_name",
            "unit",
            "programme",
            "institution",
            "major",
            "mode",
            "decision_number",
            "decision_date",
            "signer",
            "start_date",
            "end_date",
            "status",
            "graduated_on",
            "result",
            "certificate",
        ]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["cadre"].mask_as = "cccd"

    def get_queryset(self):
        return Dispatch.objects.select_related("cadre__unit", "programme", "institution")

    def key_fields(self) -> list[str]:
        return ["cadre", "decision_number"]

    def row_key(self, values: dict):
        cadre, number = values.get("cadre"), values.get("decision_number")
        return (cadre.pk, number) if cadre and number else ""

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return f"Phải ghi {headers.get('cadre', 'Số CCCD')} và số quyết định cử đi học."

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Cán bộ và số quyết định này"

    def existing_rows(self, keys: list) -> dict:
        if not keys:
            return {}
        wanted = set(keys)
        rows = self.get_queryset().filter(cadre_id__in={key[0] for key in keys})
        return {
            (d.cadre_id, d.decision_number): d
            for d in rows
            if (d.cadre_id, d.decision_number) in wanted
        }

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return SCOPE_REFUSAL

    def prepare_chunk(self, rows) -> None:
        self.fields["cadre"].widget.people.prefetch(rows)
        self.rules = list(ServiceCommitmentRule.objects.all())

    def rule_errors(self, instance: Dispatch, on: date) -> dict[str, list[str]]:
        # The commitment (which the retirement rule reads) from the rules loaded per chunk.
        instance.derive_fields(self.rules)
        return super().rule_errors(instance, on)

    def before_write(self, to_create: list, to_update: list) -> None:
        dispatches = [*to_create, *to_update]
        by_day: dict[date, set[int]] = {}
        for dispatch in dispatches:
            if not dispatch.pool_role and dispatch.decision_date:
                by_day.setdefault(dispatch.decision_date, set()).add(dispatch.cadre_id)
        # Incumbent or reserve on each decision date: one query per date of the chunk.
        roles = {day: planning_roles(ids, day) for day, ids in by_day.items()}
        for dispatch in dispatches:
            dispatch.derive_fields(self.rules, roles.get(dispatch.decision_date, {}))

    # Recording a graduate's qualification and closing needs are not taken back by an undo.
    can_undo = False
    no_undo_reason = (
        "Danh sách cử đi học đã ghi văn bằng và cập nhật nhu cầu đào tạo theo từng quyết định "
        "nên không hoàn tác cả lần nhập được; hãy sửa từng quyết định."
    )

    def after_write(self, instances: list) -> None:
        # As on the admin form: a graduated dispatch writes the qualification into the record,
        # and the cadre's needs for the programme follow the dispatch.
        services.record_dispatch_graduations(instances)
        needs.follow_dispatches({d.cadre_id for d in instances})


# --- Attendances ----------------------------------------------------------------------------------


class AttendanceResource(BulkModelResource):
    course = Field(attribute="course", column_name="Lớp", widget=CourseWidget())
    trainee = Field(attribute="trainee", column_name="Họ và tên", widget=ReferenceWidget())
    birth_date = listed("birth_date", "Ngày sinh")
    cadre = cccd_field()
    unit = listed("unit", "Đơn vị")
    result = Field(
        attribute="result",
        column_name="Kết quả",
        widget=ChoiceWidget(AttendanceResult.choices, "kết quả"),
    )
    certificate = text("certificate", "Số giấy chứng nhận")

    aliases = {
        "course": ["Tên lớp", "Lớp bồi dưỡng"],
        "trainee": ["Họ tên", "Họ, tên", "Học viên"],
        "cadre": CCCD_ALIASES,
        "result": ["Xếp loại", "Kết quả học tập"],
        "certificate": ["Số chứng nhận", "Số giấy CN"],
    }
    # Read to find or add a trainee; not fields of an attendance.
    person_aliases = {
        "birth_date": ["Ngày sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Năm sinh"],
        "unit": ["Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Xã, thị trấn"],
    }
    label_field = "trainee"
    scope_field = "cadre__unit"

    class Meta(BulkModelResource.Meta):
        model = Attendance
        import_id_fields = ["course"]
        fields = ["course", "trainee", "birth_date", "cadre", "unit", "result", "certificate"]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.people = People()

    def get_queryset(self):
        return Attendance.objects.select_related("course", "cadre__unit", "trainee__unit")

    def header_aliases(self) -> dict[str, list[str]]:
        return {**super().header_aliases(), **self.person_aliases}

    def prepare_chunk(self, rows) -> None:
        self.people.prefetch(rows)

    def dehydrate_cadre(self, attendance: Attendance) -> str:
        return person_of(attendance).cccd

    def dehydrate_trainee(self, attendance: Attendance) -> str:
        return person_of(attendance).full_name

    def dehydrate_birth_date(self, attendance: Attendance) -> str:
        return DateWidget().render(person_of(attendance).birth_date)

    def dehydrate_unit(self, attendance: Attendance) -> str:
        unit = person_of(attendance).unit
        return unit.name if unit else ""

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        cccd, name = values.pop("cadre", "") or "", values.pop("trainee", "") or ""
        person, errors = person_errors(self.people, cccd, name, row, headers)
        if isinstance(person, Trainee) and person.cadre_id:
            person = person.cadre  # a trainee linked to a cadre: the attendance names the cadre
        if isinstance(person, Cadre):
            if "cadre" not in headers:
                return [f"Tệp cần cột “Số CCCD” để ghi cán bộ {person.full_name}."]
            values["cadre"] = person
        elif isinstance(person, Trainee):
            values["trainee"] = person
            if "cadre" in headers:
                values["cadre"] = None
        return errors

    def key_fields(self) -> list[str]:
        return ["course", "cadre", "trainee", "birth_date", "unit"]

    def row_key(self, values: dict):
        course, cadre, trainee = values.get("course"), values.get("cadre"), values.get("trainee")
        if course is None:
            return ""
        if cadre is not None:
            return (course.pk, "cadre", cadre.pk)
        if trainee is not None:
            return (course.pk, "trainee", trainee.pk or id(trainee))
        return ""

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return f"Phải ghi {headers.get('course', 'Lớp')} và người học."

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Người này trong lớp này"

    def existing_rows(self, keys: list) -> dict:
        cadres = {key[2] for key in keys if key[1] == "cadre"}
        trainees = {key[2] for key in keys if key[1] == "trainee"}
        if not keys:
            return {}
        rows = (
            Attendance.objects.select_related("course", "cadre", "trainee")
            .filter(course_id__in={key[0] for key in keys})
            .filter(Q(cadre_id__in=cadres) | Q(trainee_id__in=trainees, cadre__isnull=True))
        )
        found = {}
        for attendance in rows:
            if attendance.cadre_id:
                found[(attendance.course_id, "cadre", attendance.cadre_id)] = attendance
            else:
                found[(attendance.course_id, "trainee", attendance.trainee_id)] = attendance
        return found

    def rule_errors(self, instance: Attendance, on: date) -> dict[str, list[str]]:
        # The rule of Attendance.clean(), for a trainee not saved yet (added by this file).
        if instance.cadre is None and instance.trainee is None:
            return {"cadre": ["Chọn cán bộ hoặc học viên."]}
        return {}

    def scope_unit_id(self, instance: Attendance) -> int | None:
        return unit_id_of(person_of(instance))

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return SCOPE_REFUSAL

    def before_write(self, to_create: list, to_update: list) -> None:
        # New trainees of the file, each once (several rows may name the same new person).
        new = {id(a.trainee): a.trainee for a in to_create if a.trainee and a.trainee.pk is None}
        # Both backends return the new ids from a bulk insert, which the attendances then take.
        bulk_create_with_history(list(new.values()), Trainee, batch_size=1000)

    def after_write(self, instances: list) -> None:
        # As on the admin page: a passed attendance of a class granting a level (sơ cấp
        # political theory) writes the level into the cadre's record; an undo takes it back.
        services.follow_attendances(instances)


# --- Payments ----------------------------------------------------------------------------------


class SupportPaymentResource(BulkModelResource):
    cadre = cccd_field()
    full_name = listed("full_name", "Họ và tên")
    policy = Field(
        attribute="policy",
        column_name="Chính sách",
        widget=NamedWidget(SupportPolicy, "chính sách", lambda p: [p.name]),
    )
    dispatch = Field(
        attribute="dispatch", column_name="Số quyết định cử đi học", widget=ReferenceWidget()
    )
    attendance = Field(attribute="attendance", column_name="Lớp", widget=ReferenceWidget())
    amount = Field(attribute="amount", column_name="Số tiền (đồng)", widget=MoneyWidget())
    paid_on = day("paid_on", "Ngày chi")
    voucher = text("voucher", "Số chứng từ")
    note = text("note", "Ghi chú")

    aliases = {
        "cadre": CCCD_ALIASES,
        "policy": ["Chính sách hỗ trợ", "Nội dung chi"],
        "dispatch": ["Quyết định cử đi học", "Số QĐ cử đi học"],
        "attendance": ["Lớp bồi dưỡng", "Tên lớp"],
        "amount": ["Số tiền", "Thành tiền", "Số tiền (VNĐ)"],
        "paid_on": ["Ngày", "Ngày chi trả"],
        "voucher": ["Chứng từ", "Số phiếu chi"],
    }
    label_field = "cadre"
    scope_field = "cadre__unit"

    class Meta(BulkModelResource.Meta):
        model = SupportPayment
        import_id_fields = ["cadre"]
        fields = [
            "cadre",
            "full_name",
            "policy",
            "dispatch",
            "attendance",
            "amount",
            "paid_on",
            "voucher",
            "note",
        ]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.people = People()
        self.courses = CourseWidget()

    def get_queryset(self):
        return SupportPayment.objects.select_related(
            "policy",
            "cadre__unit",
            "dispatch__cadre__unit",
            "attendance__course",
            "attendance__cadre__unit",
            "attendance__trainee__unit",
        )

    @staticmethod
    def payee(payment: SupportPayment) -> Cadre | Trainee | None:
        if payment.dispatch_id:
            return payment.dispatch.cadre
        if payment.attendance_id:
            return person_of(payment.attendance)
        return payment.cadre

    def dehydrate_cadre(self, payment: SupportPayment) -> str:
        return self.payee(payment).cccd

    def dehydrate_full_name(self, payment: SupportPayment) -> str:
        return self.payee(payment).full_name

    def dehydrate_dispatch(self, payment: SupportPayment) -> str:
        return payment.dispatch.decision_number if payment.dispatch_id else ""

    def dehydrate_attendance(self, payment: SupportPayment) -> str:
        return str(payment.attendance.course) if payment.attendance_id else ""

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        cccd = values.pop("cadre", "") or ""
        number = values.pop("dispatch", "") or ""
        course_text = values.pop("attendance", "") or ""
        cccd_header = headers.get("cadre", "Số CCCD")
        if not cccd:
            return [f"{cccd_header}: chưa ghi."]
        person = self.people.cadre(cccd) or self.people.trainee_by_cccd(cccd)
        if person is None:
            return [f"{cccd_header}: không có cán bộ hay học viên có số CCCD “{cccd}”."]
        target = {"dispatch": None, "attendance": None, "cadre": None}
        if number:
            target["dispatch"], error = self.dispatch_of(person, number, headers)
        elif course_text:
            target["attendance"], error = self.attendance_of(person, course_text, headers)
        elif isinstance(person, Cadre):
            target["cadre"], error = person, ""
        else:
            error = (
                f"{cccd_header}: {person.full_name} chưa có hồ sơ cán bộ; ghi lớp bồi dưỡng "
                "mà khoản chi này hỗ trợ."
            )
        if error:
            return [error]
        for name, value in target.items():
            if name in headers:
                values[name] = value
            elif value is not None:
                return [f"Tệp cần cột “{self.fields[name].column_name}”."]
        return []

    def prepare_chunk(self, rows) -> None:
        """The people of the chunk, their dispatches and their attendances: a few queries."""
        self.people.prefetch(rows)
        cadres = {c.pk for c in self.people.cadres.values() if c is not None}
        trainees = {t.pk for t in self.people.trainees() if t.cccd}
        self.dispatches: dict[int, list[Dispatch]] = {}
        for dispatch in Dispatch.objects.select_related("cadre__unit").filter(cadre__in=cadres):
            self.dispatches.setdefault(dispatch.cadre_id, []).append(dispatch)
        self.attendances: dict[tuple, Attendance] = {}
        for attendance in Attendance.objects.select_related(
            "course", "cadre__unit", "trainee__unit"
        ).filter(Q(cadre__in=cadres) | Q(trainee__in=trainees)):
            if attendance.cadre_id:
                self.attendances[(attendance.course_id, "cadre", attendance.cadre_id)] = attendance
            if attendance.trainee_id:
                key = (attendance.course_id, "trainee", attendance.trainee_id)
                self.attendances[key] = attendance

    def dispatch_of(self, person, number: str, headers: dict[str, str]):
        header = headers["dispatch"]
        dispatches = self.dispatches.get(person.pk, []) if isinstance(person, Cadre) else []
        found = next((d for d in dispatches if fold(d.decision_number) == fold(number)), None)
        if found is None:
            known = {fold(d.decision_number): d.decision_number for d in dispatches}
            return None, (
                f"{header}: {person.full_name} không có lượt cử đi học theo quyết định "
                f"“{number}”.{suggestion_text(number, known)}"
            )
        return found, ""

    def attendance_of(self, person, course_text: str, headers: dict[str, str]):
        header = headers["attendance"]
        try:
            course = self.courses.clean(course_text)
        except ValueError as error:
            return None, f"{header}: {error}"
        kind = "cadre" if isinstance(person, Cadre) else "trainee"
        found = self.attendances.get((course.pk, kind, person.pk))
        if found is None:
            return None, f"{header}: {person.full_name} không có trong danh sách lớp “{course}”."
        return found, ""

    def key_fields(self) -> list[str]:
        return ["cadre", "dispatch", "attendance", "policy", "paid_on"]

    @staticmethod
    def target_key(values) -> tuple | None:
        for name in ("dispatch", "attendance", "cadre"):
            value = values.get(name) if isinstance(values, dict) else getattr(values, name)
            if value is not None:
                return (name, value.pk)
        return None

    def row_key(self, values: dict):
        target, policy, paid_on = (
            self.target_key(values),
            values.get("policy"),
            values.get("paid_on"),
        )
        if target is None or policy is None or paid_on is None:
            return ""
        return (*target, policy.pk, paid_on)

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return "Phải ghi đủ số CCCD, chính sách và ngày chi."

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Khoản chi cho người này, theo chính sách này, ngày này"

    def existing_rows(self, keys: list) -> dict:
        if not keys:
            return {}
        ids = {name: {key[1] for key in keys if key[0] == name} for name in self.TARGETS}
        rows = self.get_queryset().filter(
            Q(dispatch_id__in=ids["dispatch"])
            | Q(attendance_id__in=ids["attendance"])
            | Q(cadre_id__in=ids["cadre"])
        )
        wanted = set(keys)
        found = {}
        for payment in rows:
            key = (*self.target_key(payment), payment.policy_id, payment.paid_on)
            if key in wanted:
                found[key] = payment
        return found

    TARGETS = ("dispatch", "attendance", "cadre")

    def scope_unit_id(self, instance: SupportPayment) -> int | None:
        return unit_id_of(self.payee(instance))

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return SCOPE_REFUSAL

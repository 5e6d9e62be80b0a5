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

import calendar
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from import_export.fields import Field

from cadres.choices import Track
from cadres.models import Cadre, QualificationLevel, Unit
from cadres.resources import (
    LEVEL_NOISE,
    SHORT_LEVELS,
    SPLIT_ALIASES,
    STANDING_SYNONYMS,
    CadreResource,
    CadreWidget,
    LevelWidget,
    MarkWidget,
    SynonymChoiceWidget,
    UnitWidget,
    day,
    gender_split_errors,
    read_gender_split,
    shown,
    text,
)
from core import tabular
from core.audit import bulk_create_with_history
from core.imports.engine import NOT_YOURS
from core.imports.resources import BulkModelResource
from core.imports.widgets import (
    CCCD_HEADERS,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    NamedWidget,
    NameWidget,
    TextWidget,
    is_empty,
    suggestion_text,
)
from core.text import expand_abbreviations, fold
from training import needs, services
from training.choices import (
    AttendanceResult,
    CourseTopic,
    DispatchMode,
    DispatchStatus,
    InstitutionKind,
    PolicyKind,
    PoolRole,
    ProgrammeTrack,
)
from training.models import (
    Attendance,
    Course,
    Dispatch,
    Institution,
    Programme,
    ServiceCommitmentRule,
    SupportPayment,
    SupportPolicy,
    SupportRate,
    Trainee,
)
from training.models.dispatches import planning_roles

SCOPE_REFUSAL = capfirst(NOT_YOURS)


# --- Widgets ----------------------------------------------------------------------------------


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


class PersonNameWidget(NameWidget):
    """A trainee's name, which the resource resolves with the other cells of the row."""

    def by_pk(self, pk):
        return None


class MoneyWidget(DecimalWidget):
    """Đồng as written in payment lists: "3000000", "3.000.000", "3,000,000 đ", with the
    cents accounting software adds, "10.000.000,00" or "10,000,000.00", and in words of
    millions or thousands: "1,5 triệu", "2 tr", "500 nghìn"."""

    THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
    DOTTED = re.compile(r"^\d{1,3}(\.\d{3})*,\d{1,2}$")  # 10.000.000,00
    COMMAED = re.compile(r"^\d{1,3}(,\d{3})*\.\d{1,2}$")  # 10,000,000.00
    IN_WORDS = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)(?P<unit>triệu|tr|nghìn|ngàn|k)$", re.I)
    MULTIPLIERS = {"triệu": 1_000_000, "tr": 1_000_000, "nghìn": 1_000, "ngàn": 1_000, "k": 1_000}

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, int | float):
            value = str(value)
        text = re.sub(r"(?i)\s|vn[dđ]|đồng|đ$", "", str(value).strip())
        if words := self.IN_WORDS.match(text):
            number = Decimal(words["number"].replace(",", "."))
            amount = number * self.MULTIPLIERS[words["unit"].lower()]
        else:
            if self.THOUSANDS.match(text):
                text = re.sub(r"[.,]", "", text)
            elif self.DOTTED.match(text):
                text = text.replace(".", "").replace(",", ".")
            elif self.COMMAED.match(text):
                text = text.replace(",", "")
            amount = super().clean(text, row, **kwargs)
        # "10.000.000,00" is whole đồng: stored without the zero cents.
        return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


class CourseWidget(NamedWidget):
    """A class by "name (start date)" as exported, or by its name alone when no other class
    has that name."""

    def __init__(self, **kwargs):
        super().__init__(Course, "lớp", lambda c: [str(c), c.name, c.code], **kwargs)
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
            # A class's code ("BD-2022-07") names it alone, before any name.
            for course in courses:
                if course.code:
                    self._index[fold(course.code)] = course
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


# Words that name a track in a training type ("Trung cấp LLCT", "Bồi dưỡng QLNN chuyên viên").
TRACK_WORDS = [
    (Track.POLITICAL_THEORY, ("ly luan chinh tri", "llct", "chinh tri")),
    (Track.STATE_MANAGEMENT, ("quan ly nha nuoc", "qlnn")),
    (Track.IT, ("tin hoc", "cntt")),
    (Track.FOREIGN_LANGUAGE, ("ngoai ngu", "tieng anh")),
]


def level_of_training_type(written: str, levels: dict) -> QualificationLevel | None:
    """The level a training type or level names ("Đại học", "Trung cấp LLCT", "TC chính trị",
    "QLNN chuyên viên chính"); a type naming no track is a professional level."""
    key = f" {fold(written)} "
    track = Track.PROFESSIONAL
    for candidate, words in TRACK_WORDS:
        found = [word for word in words if f" {word} " in key]
        if found:
            track = candidate
            for word in found:
                key = key.replace(f" {word} ", " ")
            break
    # Exactly a level (no major after it): "Trung cấp lý luận chánh trị" is a typo to report,
    # not a professional "Trung cấp" in the major "lý luận chánh trị".
    key = " ".join(key.split())
    while (shorter := LEVEL_NOISE.sub("", key)) != key:
        key = shorter
    table = SHORT_LEVELS.get(track, {})
    code = table.get(key)
    if code is None and track != Track.PROFESSIONAL:
        # "Trung cấp LLCT - hành chính": a level of a named track, then more words.
        code = next(
            (table[k] for k in sorted(table, key=len, reverse=True) if key.startswith(f"{k} ")),
            None,
        )
    return levels.get(code) if code else None


class ContainingNameWidget(NamedWidget):
    """A related row by one of its names, or by a longer or shorter form of exactly one of
    them ("Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn" for "Trường Chính trị Hoàng Văn
    Thụ"); names shorter than a few words are never matched this way."""

    MIN_LENGTH = 12

    def resolve(self, text: str):
        key = expand_abbreviations(fold(text))  # "ĐH Luật Hà Nội"
        if key in self.index():
            return self.index()[key]
        if len(key) < self.MIN_LENGTH:
            return None
        found = {
            obj.pk: obj
            for name, obj in self.index().items()
            if len(name) >= self.MIN_LENGTH and (name in key or key in name)
        }
        return next(iter(found.values())) if len(found) == 1 else None


class ProgrammeWidget(ContainingNameWidget):
    """A programme by its name or code, by a longer or shorter form of one name ("Trung cấp
    quân sự cơ sở" for "Trung cấp quân sự cơ sở (Trường Quân sự tỉnh)"), or by the training
    type or level a list writes in its place: "Đại học" is the one programme of that track
    granting that level."""

    def __init__(self, **kwargs):
        super().__init__(
            Programme,
            "chương trình",
            lambda p: [p.name, p.code],
            create=self.new_programme,
            **kwargs,
        )
        self._levels: dict | None = None

    def resolve(self, text: str) -> Programme | None:
        return super().resolve(text) or self.by_training_type(text)

    def level_of(self, written: str) -> QualificationLevel | None:
        if self._levels is None:
            self._levels = {level.code: level for level in QualificationLevel.objects.all()}
        return level_of_training_type(written, self._levels)

    def new_programme(self, name: str) -> Programme:
        """A programme named as the file writes it (``--create-missing``, or "create" in the
        preview): the level and track its name announces, else a refresher course."""
        level = self.level_of(name)
        return Programme(
            code=programme_code(name),
            name=name,
            track=level.track if level else ProgrammeTrack.REFRESHER,
            grants_level=level,
            is_degree=level is not None,
            typical_months=12,
            note="Tạo khi nhập danh sách từ tệp: hãy kiểm tra thời gian học, điều kiện cử đi học.",
        )

    def by_training_type(self, written: str) -> Programme | None:
        level = self.level_of(written)
        if level is None:
            return None
        granting = [
            p
            for p in set(self.index().values())
            if p.grants_level_id == level.pk and p.track == level.track
        ]
        return granting[0] if len(granting) == 1 else None


def institution_widget() -> ContainingNameWidget:
    """A school or centre by name; one no list knows yet is created with the kind its name
    announces (``--create-missing``, or "create" in the preview)."""
    return ContainingNameWidget(
        Institution,
        "cơ sở đào tạo",
        lambda i: [i.name, i.short_name],
        create=lambda name: Institution(name=name, kind=institution_kind_of_name(name)),
    )


def cccd_field(attribute: str = "cadre") -> Field:
    field = Field(attribute=attribute, column_name="Số CCCD", widget=CccdTextWidget())
    field.mask_as = "cccd"
    return field


def listed(attribute: str, column: str) -> Field:
    """Exported by a ``dehydrate_`` method, ignored on import."""
    return Field(attribute=None, column_name=column, readonly=True)


# --- Finding people ----------------------------------------------------------------------------


class People:
    """Cadres by CCCD (one query per CCCD, remembered) or by name and birth date (one query
    per chunk), and trainees by CCCD or by name and birth date (all loaded once), for one
    import. New trainees of the file are kept here so that several rows naming the same new
    person (same name, birth date and unit) make one trainee."""

    def __init__(self, cadre_widget: CadreWidget | None = None):
        # A resource's own CCCD widget, where it has one: the cadres it loads are not loaded twice.
        self.cadre_widget = cadre_widget or CadreWidget()
        self.cadres_named: dict[tuple[str, date], list[Cadre]] = {}
        self._trainees: list[Trainee] | None = None
        self.new: dict[tuple, Trainee] = {}
        self.units = UnitWidget()
        self.dates = DateWidget()

    @property
    def cadres(self) -> dict[str, Cadre | None]:
        return self.cadre_widget.loaded

    def prefetch(self, rows, names: Iterable[str] = ("cadre",), name_column: str = "") -> None:
        """The cadres of every CCCD in ``rows`` (cells ``names``) in one query; with
        ``name_column``, also the cadres named like the rows without a CCCD, by birth date."""
        self.cadre_widget.load(row.values.get(name) or "" for row in rows for name in names)
        named = set()
        for row in rows:
            written = (row.values.get(name_column) or "").strip() if name_column else ""
            if written and not any((row.values.get(n) or "").strip() for n in names):
                try:
                    born = self.dates.clean(row.values.get("birth_date", ""))
                except ValueError:
                    continue
                if born is not None and (fold(written), born) not in self.cadres_named:
                    named.add((fold(written), born))
        if named:
            self.cadres_named.update(dict.fromkeys(named, []))
            found = Cadre.objects.select_related("unit").filter(
                search_name__in={key for key, _ in named}, birth_date__in={b for _, b in named}
            )
            for cadre in found:
                key = (fold(cadre.full_name), cadre.birth_date)
                if key in named:
                    self.cadres_named[key] = [*self.cadres_named[key], cadre]

    def cadre(self, cccd: str) -> Cadre | None:
        return self.cadre_widget.find(cccd)

    def trainees(self) -> list[Trainee]:
        if self._trainees is None:
            self._trainees = list(Trainee.objects.select_related("cadre__unit", "unit"))
        return self._trainees

    def trainee_by_cccd(self, cccd: str) -> Trainee | None:
        return next((t for t in self.trainees() if t.cccd == cccd), None)

    def trainees_named(self, name: str, born: date) -> list[Trainee]:
        key = fold(name)
        return [t for t in self.trainees() if fold(t.full_name) == key and t.birth_date == born]

    def named(self, name: str, born: date, unit: Unit | None) -> list[Cadre | Trainee]:
        """Everyone on the register or among the trainees with this name and birth date (in
        ``unit`` or under it when given); a trainee linked to a cadre is that cadre."""
        key = (fold(name), born)
        if key not in self.cadres_named:
            self.cadres_named[key] = [
                c
                for c in Cadre.objects.select_related("unit").filter(
                    search_name=key[0], birth_date=born
                )
                if fold(c.full_name) == key[0]
            ]
        found: dict[tuple, Cadre | Trainee] = {("cadre", c.pk): c for c in self.cadres_named[key]}
        for trainee in self.trainees_named(name, born):
            person = trainee.cadre or trainee
            found.setdefault((type(person).__name__, person.pk), person)
        people = list(found.values())
        if unit is not None:
            people = [p for p in people if p.unit is not None and p.unit.path.startswith(unit.path)]
        return people


# The columns that name a person without a CCCD; not fields of the rows that read them.
PERSON_ALIASES = {
    "birth_date": ["Ngày sinh", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Năm sinh"],
    "unit": ["Đơn vị", "Đơn vị công tác", "Cơ quan, đơn vị", "Xã, thị trấn"],
    **SPLIT_ALIASES,  # the birth date under "Nam" or "Nữ"
}


class PersonColumnsMixin:
    """A list whose rows may name their person by name, birth date and unit (:class:`People`)
    instead of a CCCD: those columns are recognised, and a birth date under "Nam" or "Nữ" is
    the row's birth date."""

    person_aliases = PERSON_ALIASES

    def header_aliases(self) -> dict[str, list[str]]:
        return {**super().header_aliases(), **self.person_aliases}

    def read_people(self, rows, name_column: str) -> None:
        for row in rows:
            row.values.update(read_gender_split(row.values))
        self.people.prefetch(rows, name_column=name_column)


def describe(person: Cadre | Trainee) -> str:
    """A candidate as the preview lists it: name, birth date, unit, and the end of the CCCD."""
    parts = [f"{person.birth_date:%d/%m/%Y}" if person.birth_date else "", ""]
    parts[1] = person.unit.name if person.unit_id else ""
    kind = "cán bộ" if isinstance(person, Cadre) else "học viên"
    if person.cccd:
        parts.append(f"CCCD …{person.cccd[-4:]}")
    return f"{person.full_name} ({kind}, {', '.join(p for p in parts if p)})"


def person_errors(
    people: People,
    cccd: str,
    name: str,
    row: dict[str, str],
    headers: dict[str, str],
    on: date | None = None,
) -> tuple[Cadre | Trainee | None, list[str]]:
    """The person a row names (the unit as named on ``on``, the day of the class: a 2012 list
    names 2012's communes): a cadre by CCCD, else a trainee by CCCD, else the one person on
    the register or among the trainees with this name and birth date (and unit, when the row
    gives one), else a new (unsaved) trainee from name, birth date, unit and CCCD. Two people
    answering the description are never guessed between: the row is refused naming both."""
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
    try:
        unit = people.units.clean(row.get("unit", ""), on=on)
    except ValueError as error:
        errors.append(f"{unit_header}: {error}")
    if errors:
        return None, errors
    if born is not None and not cccd:
        named = people.named(name, born, unit)
        if len(named) > 1:
            return None, [
                f"{name_header}: có {len(named)} người “{name}” sinh ngày {born:%d/%m/%Y}"
                f"{f' ở {unit.name}' if unit else ''}: "
                f"{'; '.join(describe(p) for p in named)}. Ghi số CCCD"
                f"{'' if unit else ' hoặc đơn vị'} để chọn đúng người."
            ]
        if named:
            return named[0], []
    key = ("cccd", cccd) if cccd else ("name", fold(name), born, unit.pk if unit else None)
    if key in people.new:
        return people.new[key], []
    if born is None:
        errors.append(f"{born_header}: chưa ghi (cần để nhận ra học viên mới “{name}”).")
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


# "Quyết định số 15-QĐ/ĐU ngày 02/3/2026", "Số 15-QĐ/ĐU, ngày 02/3/2026", "15-QĐ/ĐU".
DECISION_WRITTEN = re.compile(
    r"(?:quyết định\s*)?(?:số\s*)?(?P<number>\S+?)"
    r"(?:[\s,;]*ngày\s*(?P<date>\d{1,2}/\d{1,2}/\d{4}))?",
    re.IGNORECASE,
)
# "03/2026 - 02/2027", "Từ 01/9/2026 đến 30/6/2030".
STUDY_PERIOD = re.compile(
    r"(?:từ\s*)?(?P<start>\d{1,2}/(?:\d{1,2}/)?\d{4})\s*(?:-|–|đến)\s*"
    r"(?P<end>\d{1,2}/(?:\d{1,2}/)?\d{4})",
    re.IGNORECASE,
)


def month_or_day(text: str, last_day: bool) -> str:
    """A day as written, or a month ("02/2027") as its first or last day, as dd/mm/yyyy."""
    if text.count("/") == 2:
        return text
    month, year = (int(part) for part in text.split("/"))
    day = calendar.monthrange(year, month)[1] if last_day and 1 <= month <= 12 else 1
    return f"{day:02d}/{month:02d}/{year}"


def not_before_decision(values: dict[str, str]) -> str:
    """A start written as a month only, in the month the decision was signed: the decision's
    day (the first of the month would come before the decision sending the person)."""
    try:
        start = tabular.parse_date(values["start_date"])
        decided = tabular.parse_date(values.get("decision_date", ""))
    except ValueError:
        return values["start_date"]  # the date's own column reports it
    same_month = (decided.year, decided.month) == (start.year, start.month)
    return values["decision_date"] if same_month and decided > start else values["start_date"]


class DispatchResource(PersonColumnsMixin, BulkModelResource):
    cadre = Field(attribute="cadre", column_name="Số CCCD", widget=CadreWidget())
    full_name = shown("cadre__full_name", "Họ và tên")
    unit = shown("cadre__unit__name", "Đơn vị")
    programme = Field(attribute="programme", column_name="Chương trình", widget=ProgrammeWidget())
    institution = Field(
        attribute="institution",
        column_name="Cơ sở đào tạo",
        widget=institution_widget(),
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
    graduated_on = Field(
        attribute="graduated_on", column_name="Ngày tốt nghiệp", widget=DateWidget(past=True)
    )
    result = text("result", "Kết quả, xếp loại")
    certificate = text("certificate", "Số văn bằng, chứng chỉ")
    # As the list states it when sending; empty: read from the planning on the decision date.
    pool_role = Field(
        attribute="pool_role",
        column_name="Đương chức/Dự nguồn",
        widget=SynonymChoiceWidget(PoolRole.choices, "loại", STANDING_SYNONYMS),
    )

    aliases = {
        "cadre": CCCD_HEADERS,
        "pool_role": CadreResource.aliases["standing"],
        "programme": [
            "Chương trình đào tạo",
            "Trình độ đào tạo",
            "Mã chương trình",
            "Loại hình đào tạo",
            "Hệ đào tạo",
            "Trình độ",
            "Bậc đào tạo",
            "Loại hình",
        ],
        "institution": [
            "Cơ sở đào tạo",
            "Nơi học",
            "Trường",
            "Nơi đào tạo",
            "Trường, cơ sở đào tạo",
            "Tên trường",
        ],
        "decision_number": [
            "Số QĐ",
            "Số quyết định cử đi học",
            "Quyết định",
            "QĐ cử đi học",
            "Quyết định cử đi học",
            "Quyết định số",
            "Số, ngày quyết định",
            "Số và ngày quyết định",
            "Số, ngày QĐ",
        ],
        "decision_date": ["Ngày QĐ", "Ngày ký quyết định"],
        "start_date": ["Từ ngày", "Ngày bắt đầu"],
        "end_date": ["Đến ngày", "Ngày kết thúc dự kiến"],
        # Both dates in one cell ("09/2026 - 06/2030"): prepare_row.
        "study_period": ["Thời gian học", "Thời gian đào tạo", "Thời gian học tập", "Thời gian"],
        "result": ["Kết quả", "Xếp loại"],
        "certificate": ["Số văn bằng", "Số bằng"],
    }
    derived_fields = ["months_to_serve", "unit_id", "pool_role", "commitment_ends_on"]
    label_field = "cadre"
    context_columns = ["study_period"]
    # A commune's list may name its people without CCCD: by name and birth date (and unit).
    person_aliases = {"full_name": ["Họ và tên", "Họ tên", "Họ, tên"], **PERSON_ALIASES}

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
            "pool_role",
        ]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["cadre"].mask_as = "cccd"
        self.people = People(self.fields["cadre"].widget)

    def get_queryset(self):
        return Dispatch.objects.select_related("cadre__unit", "programme", "institution")

    KEY = ("cadre", "decision_number")

    def implied_columns(self, present: set[str]) -> list[str]:
        # Filled by prepare_row from a decision written with its date, or a period column.
        return [
            *(["decision_date"] if "decision_number" in present else []),
            *(["start_date", "end_date"] if "study_period" in present else []),
            *(["cadre"] if "full_name" in present else []),  # found by name: clean_row
        ]

    def prepare_row(self, values: dict[str, str]) -> dict[str, str]:
        """ "Quyết định số 15-QĐ/ĐU ngày 02/3/2026" is a number and a date; "03/2026 - 02/2027"
        under "Thời gian học" is the first month and the last (to its last day)."""
        values = dict(values)
        written = DECISION_WRITTEN.fullmatch(values.get("decision_number", "").strip())
        if written:
            values["decision_number"] = written["number"]
            if written["date"] and not values.get("decision_date", "").strip():
                values["decision_date"] = written["date"]
        period = STUDY_PERIOD.fullmatch(values.get("study_period", "").strip())
        if period:
            for name, text, last_day in (
                ("start_date", period["start"], False),
                ("end_date", period["end"], True),
            ):
                if not values.get(name, "").strip():
                    values[name] = month_or_day(text, last_day)
            if period["start"].count("/") == 1:
                values["start_date"] = not_before_decision(values)
        return values

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return (
            f"Phải ghi {headers.get('cadre', 'Số CCCD')} (hoặc họ tên và ngày sinh) và số quyết "
            "định cử đi học."
        )

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Cán bộ và số quyết định này"

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return SCOPE_REFUSAL

    def prepare_chunk(self, rows) -> None:
        super().prepare_chunk(rows)
        self.read_people(rows, name_column="full_name")
        self.rules = list(ServiceCommitmentRule.objects.all())

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        """A row without a CCCD names its cadre by name and birth date (and unit, where two
        share both): exactly one cadre on the register, never a guess."""
        name = (row.get("full_name") or "").strip()
        if values.get("cadre") is not None or (row.get("cadre") or "").strip() or not name:
            return []
        cccd_header = headers.get("cadre", "Số CCCD")
        born_header = headers.get("birth_date", "Ngày sinh")
        try:
            born = self.people.dates.clean(row.get("birth_date", ""))
            unit = self.people.units.clean(row.get("unit", ""))
        except ValueError as error:
            return [f"{cccd_header}: chưa ghi, và không tìm được “{name}” theo tên: {error}"]
        if born is None:
            return [f"{cccd_header}: chưa ghi; để tìm cán bộ “{name}” theo tên, ghi {born_header}."]
        found = [p for p in self.people.named(name, born, unit) if isinstance(p, Cadre)]
        if len(found) == 1:
            values["cadre"] = found[0]
            return []
        where = f" ở {unit.name}" if unit else ""
        if not found:
            return [
                f"{cccd_header}: chưa ghi, và hồ sơ không có cán bộ “{name}” sinh ngày "
                f"{born:%d/%m/%Y}{where}; hãy ghi số CCCD."
            ]
        return [
            f"{cccd_header}: chưa ghi, và có {len(found)} cán bộ “{name}” sinh ngày "
            f"{born:%d/%m/%Y}{where}: {'; '.join(describe(p) for p in found)}; hãy ghi số CCCD."
        ]

    def rule_errors(self, instance: Dispatch, on: date) -> dict[str, list[str]]:
        # The commitment (which the retirement rule reads) from the rules loaded per chunk.
        instance.derive_fields(self.rules, pool=False)  # roles: once per chunk, before_write
        return super().rule_errors(instance, on)

    def before_write(self, to_create: list, to_update: list) -> None:
        dispatches = [*to_create, *to_update]
        by_day: dict[date, set[int]] = {}
        for dispatch in dispatches:
            if dispatch.sent_on and not (dispatch.pool_role and dispatch.unit_id):
                by_day.setdefault(dispatch.sent_on, set()).add(dispatch.cadre_id)
        # Incumbent or reserve, and the unit, on each decision date: a few queries per date.
        roles = {day: planning_roles(ids, day) for day, ids in by_day.items()}
        units = {day: Cadre.objects.filter(pk__in=ids).units_on(day) for day, ids in by_day.items()}
        for dispatch in dispatches:
            day = dispatch.sent_on
            dispatch.derive_fields(self.rules, roles.get(day, {}), units=units.get(day, {}))

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


class AttendanceResource(PersonColumnsMixin, BulkModelResource):
    course = Field(attribute="course", column_name="Lớp", widget=CourseWidget())
    trainee = Field(attribute="trainee", column_name="Họ và tên", widget=PersonNameWidget())
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
        "course": ["Tên lớp", "Lớp bồi dưỡng", "Mã lớp", "Ký hiệu lớp", "Lớp học"],
        "trainee": ["Họ tên", "Họ, tên", "Học viên"],
        "cadre": CCCD_HEADERS,
        "result": ["Xếp loại", "Kết quả học tập"],
        "certificate": ["Số chứng nhận", "Số giấy CN"],
    }
    label_field = "trainee"

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

    def prepare_chunk(self, rows) -> None:
        self.read_people(rows, name_column="trainee")

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
        course = values.get("course")
        on = course.start_date if isinstance(course, Course) else None
        person, errors = person_errors(self.people, cccd, name, row, headers, on)
        errors += gender_split_errors(row, headers.get("birth_date", "Ngày sinh"))
        if isinstance(person, Trainee) and person.cadre_id:
            person = person.cadre  # a trainee linked to a cadre: the attendance names the cadre
        if isinstance(person, Cadre):
            values["cadre"] = person
        elif isinstance(person, Trainee):
            values["trainee"] = person
            values["cadre"] = None
        return errors

    def implied_columns(self, present: set[str]) -> list[str]:
        # A list without CCCDs may still name a cadre (by name and birth date), and one without
        # names a trainee (by CCCD): the person's two columns are always written.
        return ["cadre", "trainee"]

    def key_fields(self) -> list[str]:
        return ["course", "cadre", "trainee", "birth_date", "unit"]

    def row_key(self, values: dict):
        course, cadre, trainee = values.get("course"), values.get("cadre"), values.get("trainee")
        if isinstance(cadre, str) or isinstance(trainee, str):
            # A bad cell stopped the row before its person was found: it is rejected for that
            # cell, and its key is its own (no "missing" or "repeated" message of its own).
            return ("unresolved", id(values))
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
        "cadre": CCCD_HEADERS,
        "policy": ["Chính sách hỗ trợ", "Nội dung chi"],
        "dispatch": ["Quyết định cử đi học", "Số QĐ cử đi học"],
        "attendance": ["Lớp bồi dưỡng", "Tên lớp", "Mã lớp", "Ký hiệu lớp"],
        "amount": ["Số tiền", "Thành tiền", "Số tiền (VNĐ)"],
        "paid_on": ["Ngày", "Ngày chi trả"],
        "voucher": ["Chứng từ", "Số phiếu chi", "Phiếu chi số", "Số CT", "Số chứng từ chi"],
    }
    label_field = "cadre"

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
        dispatches = Dispatch.objects.select_related("cadre__unit", "programme")
        for dispatch in dispatches.filter(cadre__in=cadres):
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
        return ["cadre", "dispatch", "attendance", "policy", "paid_on", "voucher"]

    @staticmethod
    def target_key(values) -> tuple | None:
        for name in ("dispatch", "attendance", "cadre"):
            value = values.get(name) if isinstance(values, dict) else getattr(values, name)
            if isinstance(value, str):
                return None if not value else ("unresolved", id(values))
            if value is not None:
                return (name, value.pk)
        return None

    def row_key(self, values: dict):
        """Whom, which policy, which day and which voucher: one voucher may pay several people
        (one line each), and one person may be paid twice on a day on two vouchers."""
        target, policy, paid_on = (
            self.target_key(values),
            values.get("policy"),
            values.get("paid_on"),
        )
        if target is not None and target[0] == "unresolved":
            return target  # a bad cell stopped the row: rejected for it alone
        if target is None or policy is None or paid_on is None:
            return ""
        return (*target, policy.pk, paid_on, fold(values.get("voucher") or ""))

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return "Phải ghi đủ số CCCD, chính sách và ngày chi."

    def key_text(self, key, headers: dict[str, str]) -> str:
        if key[-1]:
            return "Khoản chi cho người này, theo chính sách này, cùng số chứng từ"
        return "Khoản chi cho người này, theo chính sách này, ngày này (không ghi số chứng từ)"

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
            key = (
                *self.target_key(payment),
                payment.policy_id,
                payment.paid_on,
                fold(payment.voucher),
            )
            if key in wanted:
                found[key] = payment
        return found

    TARGETS = ("dispatch", "attendance", "cadre")

    # The rate chosen for a row, the amount it computes (kept for audit) and, where the list
    # gives no amount, the amount paid (SupportPayment.derive_fields).
    derived_fields = ["rate_id", "quantity", "computed_amount", "amount"]

    def rule_errors(self, instance: SupportPayment, on: date) -> dict[str, list[str]]:
        if instance.rate_id is None and instance.policy_id is not None:
            instance.rate = self.rate_for(instance)
            if instance.rate is not None:
                instance.derive_fields()
        return super().rule_errors(instance, on)

    def rate_for(self, payment: SupportPayment) -> SupportRate | None:
        """The policy's one rate for what is paid: of the rates naming the programme's track
        and level, or either, or neither, the most particular; none where two are as
        particular (the amount must then be written)."""
        if not hasattr(self, "_rates"):
            self._rates: dict[int, list[SupportRate]] = {}
            for rate in SupportRate.objects.all():
                self._rates.setdefault(rate.policy_id, []).append(rate)
        programme = payment.dispatch.programme if payment.dispatch_id else None
        fitting = [
            rate
            for rate in self._rates.get(payment.policy_id, [])
            if rate.programme_track in ("", programme and programme.track)
            and rate.grants_level_id in (None, programme and programme.grants_level_id)
        ]
        if not fitting:
            return None
        particular = max(bool(r.programme_track) + bool(r.grants_level_id) for r in fitting)
        best = [
            r for r in fitting if bool(r.programme_track) + bool(r.grants_level_id) == particular
        ]
        return best[0] if len(best) == 1 else None

    def scope_unit_id(self, instance: SupportPayment) -> int | None:
        return unit_id_of(self.payee(instance))

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return SCOPE_REFUSAL


# --- Reference lists: classes, institutions, programmes, policies -------------------------------

TOPIC_WORDS = [
    ("kiem tra", CourseTopic.INSPECTION),
    ("tuyen giao", CourseTopic.PROPAGANDA),
    ("dan van", CourseTopic.MASS_MOBILISATION),
    ("quan ly nha nuoc", CourseTopic.STATE_MANAGEMENT),
    ("lanh dao", CourseTopic.LEADERSHIP),
    ("cap uy", CourseTopic.COMMITTEE_MEMBERS),
    ("bi thu chi bo", CourseTopic.COMMITTEE_MEMBERS),
    ("nhan thuc ve dang", CourseTopic.PARTY_ADMISSION),
    ("cam tinh", CourseTopic.PARTY_ADMISSION),
    ("dang vien moi", CourseTopic.NEW_PARTY_MEMBERS),
    ("nghi quyet", CourseTopic.RESOLUTIONS),
    ("so cap", CourseTopic.ELEMENTARY_THEORY),
]


def topic_of_name(name: str) -> str:
    """The topic a class's name announces ("Bồi dưỡng nghiệp vụ công tác dân vận"), else other."""
    key = f" {fold(name)} "
    return next((topic for word, topic in TOPIC_WORDS if f" {word} " in key), CourseTopic.OTHER)


INSTITUTION_WORDS = [
    ("hoc vien", InstitutionKind.NATIONAL_ACADEMY),
    ("trung tam chinh tri", InstitutionKind.DISTRICT_CENTRE),
    ("trung tam boi duong chinh tri", InstitutionKind.DISTRICT_CENTRE),
    ("truong chinh tri", InstitutionKind.PROVINCIAL_POLITICAL_SCHOOL),
    ("quan su", InstitutionKind.PROVINCIAL_MILITARY_SCHOOL),
    ("cong an", InstitutionKind.POLICE_SCHOOL),
    ("canh sat", InstitutionKind.POLICE_SCHOOL),
    ("dai hoc", InstitutionKind.UNIVERSITY),
    ("cao dang", InstitutionKind.UNIVERSITY),
    ("trung cap", InstitutionKind.VOCATIONAL),
]


def institution_kind_of_name(name: str) -> str:
    key = f" {fold(name)} "
    return next((kind for word, kind in INSTITUTION_WORDS if f" {word} " in key), "")


class CourseResource(BulkModelResource):
    """The classes of the district's political training centre (and others), keyed by their
    code when the list gives one, else by name and start date. The topic, when not written,
    is read from the name; the organiser, when not written, is the district's centre."""

    code = text("code", "Mã lớp")
    name = text("name", "Tên lớp")
    topic = Field(
        attribute="topic",
        column_name="Nội dung",
        widget=ChoiceWidget(CourseTopic.choices, "nội dung bồi dưỡng"),
    )
    organiser = Field(
        attribute="organiser",
        column_name="Đơn vị tổ chức",
        widget=institution_widget(),
    )
    programme = Field(attribute="programme", column_name="Chương trình", widget=ProgrammeWidget())
    start_date = day("start_date", "Từ ngày")
    end_date = day("end_date", "Đến ngày")
    place = text("place", "Địa điểm")

    aliases = {
        "code": ["Ký hiệu lớp", "Mã", "Số hiệu lớp"],
        "name": ["Lớp", "Tên lớp bồi dưỡng", "Lớp bồi dưỡng", "Tên lớp học"],
        "topic": ["Nội dung bồi dưỡng", "Chuyên đề", "Loại lớp"],
        "organiser": ["Cơ sở đào tạo", "Nơi tổ chức", "Đơn vị mở lớp"],
        "start_date": ["Ngày khai giảng", "Ngày bắt đầu", "Từ"],
        "end_date": ["Ngày bế giảng", "Ngày kết thúc", "Đến"],
        "place": ["Nơi học", "Địa điểm học"],
    }
    label_field = "name"
    # Course.derive_fields(): the programme of a sơ cấp political-theory class.
    derived_fields = ["programme_id"]

    class Meta(BulkModelResource.Meta):
        model = Course
        import_id_fields = ["name"]
        fields = ["code", "name", "topic", "organiser", "programme", "start_date", "end_date"]
        fields += ["place"]
        export_order = fields

    def get_queryset(self):
        return Course.objects.select_related("organiser", "programme")

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["topic", "organiser"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        if not values.get("topic") and not (row.get("topic") or "").strip():
            values["topic"] = topic_of_name(values.get("name") or "")
        if values.get("organiser") is None and not (row.get("organiser") or "").strip():
            centres = [
                i
                for i in set(self.fields["organiser"].widget.index().values())
                if i.kind == InstitutionKind.DISTRICT_CENTRE
            ]
            if len(centres) != 1:
                return [f"{headers.get('organiser', 'Đơn vị tổ chức')}: chưa ghi."]
            values["organiser"] = centres[0]
        return []

    def row_key(self, values: dict):
        if values.get("code"):
            return ("code", fold(values["code"]))
        if values.get("name") and values.get("start_date"):
            return ("name", fold(values["name"]), values["start_date"])
        return ""

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return "Phải ghi mã lớp, hoặc tên lớp và ngày khai giảng."

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Lớp này"

    def rule_errors(self, instance: Course, on: date) -> dict[str, list[str]]:
        # The rule of the table's check constraint, as a reason instead of a failed write.
        if instance.start_date and instance.end_date and instance.end_date < instance.start_date:
            return {"end_date": ["Ngày kết thúc phải sau ngày bắt đầu."]}
        return {}

    def existing_rows(self, keys: list) -> dict:
        wanted = set(keys)
        found = {}
        for course in self.get_queryset():
            for key in (
                ("code", fold(course.code)),
                ("name", fold(course.name), course.start_date),
            ):
                if key in wanted and (key[0] == "name" or course.code):
                    found.setdefault(key, course)
        return found


class InstitutionResource(BulkModelResource):
    """Schools and centres by name; the kind, when not written, from the name's words."""

    name = text("name", "Tên cơ sở đào tạo")
    short_name = text("short_name", "Tên viết tắt")
    kind = Field(
        attribute="kind",
        column_name="Loại",
        widget=ChoiceWidget(InstitutionKind.choices, "loại cơ sở đào tạo"),
    )
    place = text("place", "Địa điểm")

    aliases = {
        "name": ["Tên trường", "Cơ sở đào tạo", "Trường", "Tên cơ sở", "Tên"],
        "short_name": ["Viết tắt", "Tên tắt"],
        "kind": ["Loại cơ sở", "Loại trường"],
        "place": ["Địa chỉ", "Nơi đặt trụ sở"],
    }
    label_field = "name"

    class Meta(BulkModelResource.Meta):
        model = Institution
        import_id_fields = ["name"]
        fields = ["name", "short_name", "kind", "place"]
        export_order = fields

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["kind"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        if not values.get("kind") and not (row.get("kind") or "").strip():
            kind = institution_kind_of_name(values.get("name") or "")
            if not kind and values.get("name") not in self.stored_names():
                return [f"{headers.get('kind', 'Loại')}: chưa ghi, tên trường không cho biết."]
            if kind:
                values["kind"] = kind
        return []

    def stored_names(self) -> set[str]:
        if not hasattr(self, "_stored"):
            self._stored = set(Institution.objects.values_list("name", flat=True))
        return self._stored


def programme_code(name: str) -> str:
    """A code for a programme a list names without one: its folded name in capitals."""
    return re.sub(r"[^A-Z0-9]+", "_", fold(name).upper()).strip("_")[:40]


class ProgrammeResource(BulkModelResource):
    """Programmes by code (made from the name when the list has none); the level granted and
    the track, when not written, from the name ("Trung cấp lý luận chính trị")."""

    code = text("code", "Mã")
    name = text("name", "Tên chương trình")
    track = Field(
        attribute="track",
        column_name="Lĩnh vực",
        widget=ChoiceWidget(ProgrammeTrack.choices, "lĩnh vực"),
    )
    grants_level = Field(
        attribute="grants_level", column_name="Trình độ được cấp", widget=LevelWidget()
    )
    typical_months = Field(
        attribute="typical_months", column_name="Thời gian học (tháng)", widget=IntegerWidget()
    )
    is_degree = Field(attribute="is_degree", column_name="Cấp văn bằng", widget=MarkWidget())
    max_age_at_dispatch = Field(
        attribute="max_age_at_dispatch",
        column_name="Tuổi tối đa khi cử đi học",
        widget=IntegerWidget(),
    )
    note = text("note", "Căn cứ, ghi chú")

    aliases = {
        "code": ["Mã chương trình"],
        "name": ["Chương trình", "Tên chương trình đào tạo", "Chương trình đào tạo, bồi dưỡng"],
        "track": ["Loại", "Lĩnh vực đào tạo"],
        "grants_level": ["Trình độ", "Văn bằng, chứng chỉ"],
        "typical_months": ["Thời gian học", "Thời gian đào tạo (tháng)", "Số tháng"],
        "is_degree": ["Đào tạo cấp văn bằng", "Văn bằng"],
        "max_age_at_dispatch": ["Tuổi tối đa", "Độ tuổi tối đa"],
        "note": ["Ghi chú", "Căn cứ"],
    }
    label_field = "name"

    class Meta(BulkModelResource.Meta):
        model = Programme
        # A list must name its programmes; the code is matched on (made from the name if none).
        import_id_fields = ["name"]
        fields = ["code", "name", "track", "grants_level", "typical_months", "is_degree"]
        fields += ["max_age_at_dispatch", "note"]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._levels: dict | None = None

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["code", "track", "grants_level"]

    def key_fields(self) -> list[str]:
        return ["code", "name"]

    def row_key(self, values: dict):
        return values.get("code") or ""

    def key_text(self, key, headers: dict[str, str]) -> str:
        return f"Chương trình mã {key}"

    def existing_rows(self, keys: list) -> dict:
        return {p.code: p for p in Programme.objects.filter(code__in=keys)}

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        name = values.get("name") or ""
        if not values.get("code") and name:
            values["code"] = programme_code(name)
        if not (row.get("grants_level") or "").strip() and values.get("grants_level") is None:
            if self._levels is None:
                self._levels = {lvl.code: lvl for lvl in QualificationLevel.objects.all()}
            level = level_of_training_type(name, self._levels)
            if level is not None:
                values["grants_level"] = level
            else:
                values.pop("grants_level", None)
        if not values.get("track") and not (row.get("track") or "").strip():
            level = values.get("grants_level")
            values["track"] = level.track if level is not None else ProgrammeTrack.REFRESHER
        return []

    def rule_errors(self, instance: Programme, on: date) -> dict[str, list[str]]:
        try:
            instance.clean()
        except ValidationError as error:
            return error.message_dict
        return {}


class SupportPolicyResource(BulkModelResource):
    """Support policies by name, with the resolution that sets them and their dates."""

    name = text("name", "Tên chính sách")
    kind = Field(
        attribute="kind",
        column_name="Loại chính sách",
        widget=ChoiceWidget(PolicyKind.choices, "loại chính sách"),
    )
    legal_basis = text("legal_basis", "Căn cứ")
    valid_from = day("valid_from", "Hiệu lực từ ngày")
    valid_to = day("valid_to", "Hiệu lực đến ngày")

    aliases = {
        "name": ["Chính sách", "Chính sách hỗ trợ", "Nội dung chính sách", "Tên"],
        "kind": ["Loại"],
        "legal_basis": ["Căn cứ (nghị quyết, quyết định)", "Văn bản", "Nghị quyết", "Số văn bản"],
        "valid_from": ["Từ ngày", "Ngày hiệu lực", "Có hiệu lực từ"],
        "valid_to": ["Đến ngày", "Hết hiệu lực", "Hết hiệu lực ngày"],
    }
    label_field = "name"

    class Meta(BulkModelResource.Meta):
        model = SupportPolicy
        import_id_fields = ["name"]
        fields = ["name", "kind", "legal_basis", "valid_from", "valid_to"]
        export_order = fields

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["kind"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        if not values.get("kind") and not (row.get("kind") or "").strip():
            name = f" {fold(values.get('name') or '')} "
            values["kind"] = PolicyKind.ATTRACTION if " thu hut " in name else PolicyKind.TRAINING
        return []

    def rule_errors(self, instance: SupportPolicy, on: date) -> dict[str, list[str]]:
        if instance.valid_from and instance.valid_to and instance.valid_to < instance.valid_from:
            return {"valid_to": ["Ngày hết hiệu lực phải sau ngày có hiệu lực."]}
        return {}

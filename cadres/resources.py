"""Import and export of cadre records (django-import-export resources).

Column names are the Vietnamese headers of the province's lists; ``aliases`` lists the other
spellings found in communes' files. Related rows are found by name or code, never by key.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from import_export import widgets
from import_export.fields import Field

from cadres.choices import Category, Gender, StudyMode, Track
from cadres.models import (
    Cadre,
    Ethnicity,
    Qualification,
    QualificationLevel,
    Religion,
    Unit,
    WorkHistory,
    cadre_date_errors,
)
from cadres.units import UnitResolver
from core import tabular
from core.imports.resources import BulkModelResource
from core.imports.widgets import (
    CCCD_HEADERS,
    CccdWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    KeyedWidget,
    LookupWidget,
    NameWidget,
    Reconcilable,
    TextWidget,
    UnknownValue,
    alias_index,
    close_matches,
    is_empty,
    suggestion_text,
)
from core.text import fold, fold_unit_name


def text(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=TextWidget())


def day(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=DateWidget())


def shown(attribute: str, column: str) -> Field:
    """Exported for reading only (derived values); ignored on import."""
    return Field(attribute=attribute, column_name=column, readonly=True)


def ethnicity_names(ethnicity: Ethnicity) -> list[str]:
    return [ethnicity.name, ethnicity.code, *ethnicity.other_names.split(";")]


def level_names(level: QualificationLevel) -> list[str]:
    # "12/12" is also written "12/12 phổ thông", "Lớp 12", "12".
    names = [level.label, level.code, f"{level.label} phổ thông"]
    if "/" in level.label:
        grade = level.label.split("/")[0]
        names += [f"Lớp {grade}"]
        if level.label.split("/")[0] == level.label.split("/")[1]:
            names.append(grade)
    return names


class UnitWidget(Reconcilable, widgets.Widget):
    """A unit by code or name, old or new: merged units resolve to their successor; a name
    chosen for a unit in an import preview (``ValueAlias``) too. Never created from a file."""

    model = Unit

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._resolver: UnitResolver | None = None
        self._aliases: dict[str, int] | None = None
        self.made = []

    @property
    def resolver(self) -> UnitResolver:
        if self._resolver is None:
            self._resolver = UnitResolver(on=timezone.localdate())
        return self._resolver

    def aliases(self) -> dict[str, int]:
        if self._aliases is None:
            self._aliases = alias_index(Unit)
        return self._aliases

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value)
        unit = self.resolver.resolve(text)
        if unit is None:
            pk = self.aliases().get(fold(text))
            unit = self.resolver.units.get(pk) if pk else None
            if unit is not None:
                unit = self.resolver.follow(unit)
        if unit is None:
            suggestions = self.closest(text)
            hint = ", ".join(name for _, name in suggestions)
            raise UnknownValue(
                f"Không có đơn vị “{value}”." + (f" Có phải: {hint}?" if hint else ""),
                text,
                suggestions,
            )
        return unit

    def closest(self, text: str) -> list[tuple[int, str]]:
        known = {u.name_key: u for u in self.resolver.units.values()}
        close = close_matches(fold_unit_name(text), list(known))
        return list(dict.fromkeys((known[key].pk, known[key].name) for key in close))

    def remember(self, text: str, obj) -> None:
        self.aliases()[fold(text)] = obj.pk

    def options(self) -> list[tuple[int, str]]:
        return sorted(
            ((u.pk, u.name) for u in self.resolver.units.values() if u.is_active(self.resolver.on)),
            key=lambda o: fold(o[1]),
        )

    def by_pk(self, pk) -> Unit | None:
        return self.resolver.units.get(pk)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class CadreResource(BulkModelResource):
    cccd = Field(attribute="cccd", column_name="Số CCCD", widget=CccdWidget())
    full_name = Field(attribute="full_name", column_name="Họ và tên", widget=NameWidget())
    other_names = Field(attribute="other_names", column_name="Tên gọi khác", widget=NameWidget())
    gender = Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceWidget(Gender.choices, "giới tính"),
    )
    birth_date = Field(
        attribute="birth_date",
        column_name="Ngày sinh",
        widget=DateWidget(past=True, year_alone=True),
    )
    ethnicity = Field(
        attribute="ethnicity",
        column_name="Dân tộc",
        widget=LookupWidget(Ethnicity, "dân tộc", ethnicity_names),
    )
    religion = Field(
        attribute="religion",
        column_name="Tôn giáo",
        widget=LookupWidget(Religion, "tôn giáo", lambda r: [r.name, r.code]),
    )
    place_of_birth = text("place_of_birth", "Nơi sinh")
    home_town = text("home_town", "Quê quán")
    permanent_residence = text("permanent_residence", "Nơi đăng ký thường trú")
    current_residence = text("current_residence", "Nơi ở hiện nay")
    cccd_issued_on = day("cccd_issued_on", "Ngày cấp CCCD")
    phone = text("phone", "Điện thoại")
    email = text("email", "Thư điện tử")
    category = Field(
        attribute="category",
        column_name="Đối tượng",
        widget=ChoiceWidget(Category.choices, "đối tượng"),
    )
    unit = Field(attribute="unit", column_name="Đơn vị công tác", widget=UnitWidget())
    job_title = text("job_title", "Chức vụ, chức danh")
    recruitment_date = day("recruitment_date", "Ngày tuyển dụng")
    work_start_date = day("work_start_date", "Ngày vào cơ quan hiện nay")
    party_join_date = Field(
        attribute="party_join_date", column_name="Ngày vào Đảng", widget=DateWidget(past=True)
    )
    party_official_date = Field(
        attribute="party_official_date", column_name="Ngày chính thức", widget=DateWidget(past=True)
    )
    party_position = text("party_position", "Chức vụ Đảng")
    general_education = Field(
        attribute="general_education",
        column_name="Giáo dục phổ thông",
        widget=LookupWidget(
            QualificationLevel,
            "trình độ giáo dục phổ thông",
            level_names,
            queryset=lambda: QualificationLevel.objects.filter(track=Track.GENERAL_EDUCATION),
        ),
    )
    academic_title = text("academic_title", "Học hàm")
    civil_service_rank = text("civil_service_rank", "Ngạch")
    civil_service_rank_code = text("civil_service_rank_code", "Mã ngạch")
    salary_step = Field(attribute="salary_step", column_name="Bậc lương", widget=IntegerWidget())
    salary_coefficient = Field(
        attribute="salary_coefficient", column_name="Hệ số lương", widget=DecimalWidget()
    )
    salary_since = day("salary_since", "Ngày hưởng lương")
    position_allowance = Field(
        attribute="position_allowance", column_name="Phụ cấp chức vụ", widget=DecimalWidget()
    )
    notes = text("notes", "Ghi chú")
    # Derived from the qualification history: exported to be read, never imported.
    professional_level = shown("professional_level__label", "Trình độ chuyên môn")
    professional_major = shown("professional_major", "Chuyên ngành")
    political_theory_level = shown("political_theory_level__label", "Lý luận chính trị")
    state_management_level = shown("state_management_level__label", "Quản lý nhà nước")
    retirement_date = Field(
        attribute="retirement_date",
        column_name="Ngày nghỉ hưu",
        readonly=True,
        widget=DateWidget(),
    )

    aliases = {
        "cccd": CCCD_HEADERS,
        "full_name": ["Họ tên", "Họ, tên", "Họ và tên khai sinh"],
        "gender": ["Giới", "Nam/Nữ", "Nam, nữ"],
        "birth_date": ["Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "Năm sinh"],
        "ethnicity": ["Dân tộc (thành phần)"],
        "unit": ["Đơn vị", "Cơ quan, đơn vị", "Nơi công tác", "Xã, thị trấn"],
        "category": ["Đối tượng (CB/CC/VC)", "Loại cán bộ"],
        "job_title": ["Chức vụ", "Chức danh", "Chức vụ hiện nay"],
        "cccd_issued_on": ["Ngày cấp"],
        "party_join_date": ["Ngày vào Đảng CSVN", "Ngày vào đảng"],
        "party_official_date": ["Ngày chính thức vào Đảng"],
        "general_education": ["Trình độ GDPT", "Trình độ văn hóa", "GDPT"],
        "phone": ["Số điện thoại", "SĐT"],
        "email": ["Email"],
    }
    derived_fields = ["search_name", "retirement_date"]
    label_field = "full_name"
    scope_field = "unit"

    class Meta(BulkModelResource.Meta):
        model = Cadre
        import_id_fields = ["cccd"]
        fields = [
            "cccd",
            "full_name",
            "other_names",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "place_of_birth",
            "home_town",
            "permanent_residence",
            "current_residence",
            "cccd_issued_on",
            "phone",
            "email",
            "category",
            "unit",
            "job_title",
            "recruitment_date",
            "work_start_date",
            "party_join_date",
            "party_official_date",
            "party_position",
            "general_education",
            "academic_title",
            "civil_service_rank",
            "civil_service_rank_code",
            "salary_step",
            "salary_coefficient",
            "salary_since",
            "position_allowance",
            "notes",
            "professional_level",
            "professional_major",
            "political_theory_level",
            "state_management_level",
            "retirement_date",
        ]
        export_order = fields

    def get_queryset(self):
        return Cadre.objects.select_related(
            "ethnicity",
            "religion",
            "unit",
            "general_education",
            "professional_level",
            "political_theory_level",
            "state_management_level",
        )

    def rule_errors(self, instance: Cadre, on: date) -> dict[str, list[str]]:
        """The rules of ``Cadre.clean()``, through the same function (no query)."""
        return {name: [message] for name, message in cadre_date_errors(instance, on).items()}


# Columns of the province's list layout (after "STT"), in its order.
PROVINCE_LAYOUT = [
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "cccd",
    "unit",
    "job_title",
    "category",
    "general_education",
    "professional_level",
    "professional_major",
    "political_theory_level",
    "state_management_level",
    "party_join_date",
    "party_official_date",
    "retirement_date",
]


# --- Histories of the 2C form, keyed by the cadre's CCCD -------------------------------------


class CadreWidget(KeyedWidget):
    """The cadre on the register with a CCCD: the one widget by which every app's importer
    names a cadre. ``run_import`` loads the cadres a chunk of rows names in one query; the CCCD
    is read as files write it (a number that lost its leading zeros, with spaces or dots)."""

    def __init__(self, **kwargs):
        super().__init__(Cadre, "cccd", tabular.normalise_cccd, select_related=["unit"], **kwargs)

    def missing(self, key: str) -> str:
        return (
            f"Không có cán bộ có số CCCD “{key}” trong hồ sơ cán bộ; "
            "hãy nhập hồ sơ của người này trước."
        )


# Names a file may give a track in (its label always works).
TRACK_NAMES = {
    Track.GENERAL_EDUCATION: ["GDPT", "Văn hóa", "Trình độ văn hóa"],
    Track.PROFESSIONAL: ["Trình độ chuyên môn", "Chuyên môn nghiệp vụ", "CMNV", "CM"],
    Track.POLITICAL_THEORY: ["LLCT", "Chính trị", "Trình độ lý luận chính trị"],
    Track.STATE_MANAGEMENT: ["QLNN", "Trình độ quản lý nhà nước"],
    Track.DEFENCE_SECURITY: ["QP-AN", "QPAN", "Quốc phòng an ninh", "Quốc phòng và an ninh"],
    Track.IT: ["Tin học", "CNTT", "Công nghệ thông tin"],
    Track.FOREIGN_LANGUAGE: ["Ngoại ngữ", "Tiếng Anh"],
}
TRACK_BY_NAME = {
    fold(name): code
    for code, label in Track.choices
    for name in [label, code, *TRACK_NAMES.get(code, [])]
}


class LevelWidget(LookupWidget):
    """A qualification level written "track: level" (``QualificationResource.prepare_row`` joins
    the two columns), by its code, or by its label alone when no other track has that label
    ("Cao cấp" is political theory; "Trung cấp" needs its track)."""

    def __init__(self, **kwargs):
        super().__init__(QualificationLevel, "trình độ", self.level_names, **kwargs)
        self.ambiguous: dict[str, list[str]] = {}

    @staticmethod
    def level_names(level: QualificationLevel) -> list[str]:
        track = level.get_track_display()
        return [level.code, *(f"{track}: {name}" for name in LevelWidget.bare_names(level))]

    @staticmethod
    def bare_names(level: QualificationLevel) -> list[str]:
        """Also without the label's note in brackets ("Chuyên viên (và tương đương)" is written
        "Chuyên viên"), and the CEFR name of a language level ("Bậc 3 (B1)": "B1")."""
        names = level_names(level)
        short = re.sub(r"\s*\([^)]*\)", "", level.label).strip()
        if short != level.label:
            names.append(short)
        names += re.findall(r"\(([ABC][12])\)", level.label)
        return names

    def index(self) -> dict[str, QualificationLevel]:
        if self._index is None:
            super().index()
            bare: dict[str, list[QualificationLevel]] = {}
            for level in QualificationLevel.objects.all():
                for name in self.bare_names(level):
                    found = bare.setdefault(fold(name), [])
                    if level not in found:
                        found.append(level)
            for key, levels in bare.items():
                if len(levels) == 1:
                    self._index.setdefault(key, levels[0])
                else:
                    levels.sort(key=lambda level: Track.values.index(level.track))
                    self.ambiguous[key] = [level.get_track_display() for level in levels]
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        key = fold(str(value))
        found = self.index().get(key)
        if found is not None:
            return found
        if key in self.ambiguous:
            tracks = ", ".join(self.ambiguous[key])
            raise ValueError(
                f"“{value}” có ở nhiều loại trình độ ({tracks}); hãy ghi cột Loại trình độ."
            )
        known = {
            fold(f"{level.get_track_display()}: {level.label}"): (
                f"{level.get_track_display()}: {level.label}"
            )
            for level in set(self.index().values())
        }
        raise ValueError(f"Không có trình độ “{value}”.{suggestion_text(value, known)}")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.label


def month(attribute: str, column: str) -> Field:
    """A date of a history: the 2C form writes the month and year ("09/2010")."""
    return Field(attribute=attribute, column_name=column, widget=DateWidget(month_year=True))


class CadreHistoryResource(BulkModelResource):
    """A table of the 2C form imported as a list of rows, each naming its cadre by the CCCD
    (the person must be on the register). A row is matched to a stored one on ``KEY``, the
    cadre plus what tells the cadre's rows apart; a commune user may write rows of the cadres
    of their own units only. The name is read for the preview and never imported."""

    cadre = Field(attribute="cadre", column_name="Số CCCD", widget=CadreWidget())
    full_name = shown("cadre__full_name", "Họ và tên")

    context_columns = ["full_name"]
    scope_field = "cadre__unit"
    KEY = ("cadre",)

    CCCD_ALIASES = CCCD_HEADERS

    class Meta(BulkModelResource.Meta):
        import_id_fields = ["cadre"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["cadre"].mask_as = "cccd"
        self.seen_keys: dict[tuple, int] = {}
        self.row_number = 0

    def row_label(self, source: tabular.SourceRow, values: dict) -> str:
        cadre = values.get("cadre")
        return source.values.get("full_name") or (cadre.full_name if cadre else "")

    def scope_unit_id(self, instance) -> int | None:
        return instance.cadre.unit_id if instance.cadre_id else None

    def scope_refusal(self, headers: dict[str, str]) -> str:
        return (
            f"{headers['cadre']}: cán bộ thuộc đơn vị khác, bạn không có quyền ghi; "
            "dòng không được ghi."
        )

    # The stock row loop (Resource.import_data) reads a row as run_import does: its cells
    # combined by prepare_row() (a level with its track, the year from the end date), matched
    # on KEY (not on the CCCD alone, ``import_id_fields``), a row lacking part of its key or
    # repeating an earlier one refused.
    def before_import(self, dataset, **kwargs):
        self.seen_keys, self.row_number = {}, 0

    def before_import_row(self, row, **kwargs):
        self.row_number = kwargs.get("row_number", 0) + 1  # the header is line 1
        columns = {name: str(self.fields[name].column_name) for name in self.header_aliases()}
        for name in self.implied_columns({name for name, c in columns.items() if c in row}):
            row.setdefault(columns[name], "")
        texts = {
            name: "" if row[column] is None else str(row[column])
            for name, column in columns.items()
            if column in row
        }
        for name, value in self.prepare_row(texts).items():
            if name in texts and value != texts[name]:
                row[columns[name]] = value

    def get_instance(self, instance_loader, row):
        params = {}
        for name in self.KEY:
            key_field = self.fields[name]
            value = key_field.clean(row) if key_field.column_name in row else None
            if value is None or value == "":
                raise ValidationError(self.missing_key_text({}))
            params[key_field.attribute] = value
        key = tuple(v.pk if isinstance(v, models.Model) else v for v in params.values())
        if key in self.seen_keys:
            line = self.seen_keys[key]
            raise ValidationError(f"{self.key_text(key, {})} trùng với dòng {line} của tệp.")
        self.seen_keys[key] = self.row_number
        return self.get_queryset().filter(**params).order_by("pk").first()


class QualificationResource(CadreHistoryResource):
    """Degrees and certificates ("Đào tạo, bồi dưỡng" of the 2C form), one row per degree.

    Natural key: cadre (CCCD), level (track and level) and year obtained; a cadre has one
    degree of a level in a year, and a corrected major, school or date updates the row (a
    corrected year or level adds a row: delete the wrong one on the cadre's page). The year may
    be left out when the end date ("Đến tháng, năm") is given: it is the end date's year. After
    a write the cadre's current levels (``Cadre.refresh_current_levels``) are recomputed in
    bulk, as saving one row on the cadre's page does."""

    track = Field(
        attribute="level__track",
        column_name="Loại trình độ",
        widget=ChoiceWidget(Track.choices, "loại trình độ"),
        readonly=True,
    )
    level = Field(attribute="level", column_name="Trình độ", widget=LevelWidget())
    major = text("major", "Chuyên ngành")
    institution = text("institution", "Tên trường, cơ sở đào tạo")
    mode = Field(
        attribute="mode",
        column_name="Hình thức đào tạo",
        widget=ChoiceWidget(StudyMode.choices, "hình thức đào tạo"),
    )
    start_date = month("start_date", "Từ tháng, năm")
    end_date = month("end_date", "Đến tháng, năm")
    year_obtained = Field(
        attribute="year_obtained", column_name="Năm tốt nghiệp", widget=IntegerWidget()
    )
    certificate = text("certificate", "Văn bằng, chứng chỉ")

    aliases = {
        "cadre": CadreHistoryResource.CCCD_ALIASES,
        "full_name": ["Họ tên", "Họ, tên"],
        "track": ["Loại", "Loại văn bằng", "Lĩnh vực"],
        "level": ["Trình độ đào tạo", "Trình độ gì", "Văn bằng, chứng chỉ, trình độ gì"],
        "major": ["Chuyên ngành đào tạo", "Chuyên ngành đào tạo, bồi dưỡng", "Ngành học"],
        "institution": ["Tên trường", "Cơ sở đào tạo", "Nơi đào tạo", "Trường"],
        "mode": ["Hình thức", "Hình thức đào tạo, bồi dưỡng", "Loại hình đào tạo"],
        "start_date": ["Từ tháng năm", "Từ ngày", "Từ", "Bắt đầu"],
        "end_date": ["Đến tháng năm", "Đến ngày", "Đến", "Kết thúc"],
        "year_obtained": ["Năm tốt nghiệp, cấp bằng", "Năm cấp bằng", "Năm cấp", "Năm"],
        "certificate": ["Văn bằng", "Chứng chỉ", "Số hiệu văn bằng"],
    }
    context_columns = ["full_name", "track"]
    KEY = ("cadre", "level", "year_obtained")
    key_noun = "Văn bằng này"

    class Meta(CadreHistoryResource.Meta):
        model = Qualification
        fields = [
            "cadre",
            "full_name",
            "track",
            "level",
            "major",
            "institution",
            "mode",
            "start_date",
            "end_date",
            "year_obtained",
            "certificate",
        ]
        export_order = fields

    def get_queryset(self):
        return Qualification.objects.select_related("cadre", "level")

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["year_obtained"] if "end_date" in present else []

    def prepare_row(self, values: dict[str, str]) -> dict[str, str]:
        values = dict(values)
        track, level = values.get("track", "").strip(), values.get("level", "").strip()
        if track and level:
            code = TRACK_BY_NAME.get(fold(track))
            values["level"] = f"{Track(code).label if code else track}: {level}"
        if not values.get("year_obtained", "").strip() and values.get("end_date", "").strip():
            try:
                ended = tabular.parse_date(values["end_date"], allow_month_year=True)
            except ValueError:
                pass  # the end date's column reports it
            else:
                values["year_obtained"] = str(ended.year)
        return values

    def after_write(self, instances: list) -> None:
        Cadre.objects.filter(
            pk__in={instance.cadre_id for instance in instances}
        ).refresh_current_levels()


class WorkHistoryResource(CadreHistoryResource):
    """The work history ("Tóm tắt quá trình công tác" of the 2C form), one row per period.

    Natural key: cadre (CCCD) and start month; the 2C form writes one line per period (a
    concurrent post goes on the same line), so a corrected post, unit or end updates the row."""

    start_date = month("start_date", "Từ tháng, năm")
    end_date = month("end_date", "Đến tháng, năm")
    position_title = text("position_title", "Chức danh, chức vụ")
    organisation = text("organisation", "Đơn vị công tác")

    aliases = {
        "cadre": CadreHistoryResource.CCCD_ALIASES,
        "full_name": ["Họ tên", "Họ, tên"],
        "start_date": ["Từ tháng năm", "Từ ngày", "Từ", "Bắt đầu"],
        "end_date": ["Đến tháng năm", "Đến ngày", "Đến", "Kết thúc"],
        "position_title": ["Chức danh", "Chức vụ", "Chức vụ, chức danh"],
        "organisation": ["Đơn vị", "Cơ quan, đơn vị", "Nơi công tác", "Cơ quan công tác"],
    }
    KEY = ("cadre", "start_date")
    key_noun = "Giai đoạn công tác này"

    class Meta(CadreHistoryResource.Meta):
        model = WorkHistory
        fields = [
            "cadre",
            "full_name",
            "start_date",
            "end_date",
            "position_title",
            "organisation",
        ]
        export_order = fields

    def get_queryset(self):
        return WorkHistory.objects.select_related("cadre")


# What ``import_cadres --kind`` imports.
IMPORT_KINDS = {
    "cadres": CadreResource,
    "qualifications": QualificationResource,
    "work_history": WorkHistoryResource,
}

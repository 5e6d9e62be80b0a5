"""Import and export of cadre records (django-import-export resources).

Column names are the Vietnamese headers of the province's lists; ``aliases`` lists the other
spellings found in communes' files. Related rows are found by name or code, never by key.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from import_export import widgets
from import_export.fields import Field

from cadres.categories import category_of_position
from cadres.choices import Category, Gender, Level, Standing, StudyMode, Track, UnitKind
from cadres.models import (
    DERIVED_LEVEL_FIELDS,
    Appointment,
    Cadre,
    Ethnicity,
    Period,
    Position,
    Qualification,
    QualificationLevel,
    Religion,
    Unit,
    WorkHistory,
    cadre_date_errors,
)
from cadres.units import UnitResolver
from core import tabular
from core.audit import bulk_create_with_history
from core.imports.engine import NOT_YOURS
from core.imports.resources import BulkModelResource, matching
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

    def __init__(self, on: date | None = None, **kwargs):
        super().__init__(**kwargs)
        self._resolver: UnitResolver | None = None
        self._aliases: dict[str, int] | None = None
        self._unknown: dict[str, list[tuple[int, str]]] = {}
        self.made = []
        # The day the file describes: an old list names the units of its time.
        self.on = on

    @property
    def resolver(self) -> UnitResolver:
        if self._resolver is None:
            self._resolver = UnitResolver(on=self.on or timezone.localdate())
        return self._resolver

    def aliases(self) -> dict[str, int]:
        if self._aliases is None:
            self._aliases = alias_index(Unit)
        return self._aliases

    def clean(self, value, row=None, on: date | None = None, **kwargs):
        """``on``: the day the row is about (the units of that day, mergers followed to it)."""
        if is_empty(value):
            return None
        text = str(value)
        unit = self.resolver.resolve(text, on=on)
        if unit is None:
            pk = self.aliases().get(fold(text))
            unit = self.resolver.units.get(pk) if pk else None
            if unit is not None:
                unit = self.resolver.follow(unit, on)
        if unit is None:
            several = self.resolver.matching(text, on=on)
            if len(several) > 1:
                raise UnknownValue(
                    f"Có {len(several)} đơn vị tên “{value}”: "
                    + "; ".join(f"“{self.render(u)}”" for u in several)
                    + ". Ghi tên đơn vị như một trong các cách trên, hoặc chọn một.",
                    text,
                    [(u.pk, self.described(u)) for u in several],
                )
            # The closest names of a text not found, worked out once per distinct text.
            if text not in self._unknown:
                self._unknown[text] = self.closest(text)
            suggestions = self._unknown[text]
            hint = ", ".join(name for _, name in suggestions)
            raise UnknownValue(
                f"Không có đơn vị “{value}”." + (f" Có phải: {hint}?" if hint else ""),
                text,
                suggestions,
            )
        return unit

    def parent_name(self, unit: Unit) -> str:
        parent = self.resolver.units.get(unit.parent_id)
        return parent.name if parent else ""

    def described(self, unit: Unit) -> str:
        """A unit with the unit it belongs to and its code (its number here when it has none),
        as a file may write it: "Thôn Nà Sla Bó (Xã Lộc Bình, mã 123)" (villages of one name
        may share a commune after a merger)."""
        code = unit.code or unit.pk
        return f"{unit.name} ({', '.join(filter(None, [self.parent_name(unit), f'mã {code}']))})"

    def closest(self, text: str) -> list[tuple[int, str]]:
        known = {u.name_key: u for u in self.resolver.units.values()}
        close = close_matches(fold_unit_name(text), list(known))
        return list(dict.fromkeys((known[key].pk, known[key].name) for key in close))

    def remember(self, text: str, obj) -> None:
        self.aliases()[fold(text)] = obj.pk
        self._unknown.pop(text, None)

    def options(self) -> list[tuple[int, str]]:
        return sorted(
            ((u.pk, u.name) for u in self.resolver.units.values() if u.is_active(self.resolver.on)),
            key=lambda o: fold(o[1]),
        )

    def by_pk(self, pk) -> Unit | None:
        return self.resolver.units.get(pk)

    def render(self, value, obj=None, **kwargs):
        """The unit's name, with the unit it belongs to where the name alone is not one unit
        ("Thôn Nà Sla Kéo (Xã Mẫu Sơn)"): an exported list imports back to the same units."""
        if value is None:
            return ""
        if len(self.resolver.matching(value.name)) <= 1:
            return value.name
        qualified = f"{value.name} ({self.parent_name(value)})"
        return qualified if len(self.resolver.matching(qualified)) <= 1 else self.described(value)


# Level columns of a register (exported from the record's current levels) and their tracks.
LEVEL_TRACKS = {
    field: track for track, field in DERIVED_LEVEL_FIELDS.items() if track != Track.DEFENCE_SECURITY
}
LEVEL_COLUMNS = list(LEVEL_TRACKS)


# How registers write levels in their level columns, by track (folded, codes of
# cadres/data/qualification_levels.csv). A professional cell may add the major after the level
# ("ĐH Luật", "Đại học kinh tế nông nghiệp").
SHORT_LEVELS: dict[str, dict[str, str]] = {
    Track.PROFESSIONAL: {
        "sc": "CM_SO_CAP",
        "so cap": "CM_SO_CAP",
        "tc": "CM_TRUNG_CAP",
        "trung cap": "CM_TRUNG_CAP",
        "cd": "CM_CAO_DANG",
        "cao dang": "CM_CAO_DANG",
        "dh": "CM_DAI_HOC",
        "dai hoc": "CM_DAI_HOC",
        "cu nhan": "CM_DAI_HOC",
        "ky su": "CM_DAI_HOC",
        "bac si": "CM_DAI_HOC",
        "ths": "CM_THAC_SI",
        "thac si": "CM_THAC_SI",
        "ts": "CM_TIEN_SI",
        "tien si": "CM_TIEN_SI",
    },
    Track.POLITICAL_THEORY: {
        "sc": "LLCT_SO_CAP",
        "so cap": "LLCT_SO_CAP",
        "tc": "LLCT_TRUNG_CAP",
        "trung cap": "LLCT_TRUNG_CAP",
        "cc": "LLCT_CAO_CAP",
        "cao cap": "LLCT_CAO_CAP",
        "cn": "LLCT_CU_NHAN",
        "cu nhan": "LLCT_CU_NHAN",
    },
    Track.STATE_MANAGEMENT: {
        "cv": "QLNN_CHUYEN_VIEN",
        "chuyen vien": "QLNN_CHUYEN_VIEN",
        "cvc": "QLNN_CHUYEN_VIEN_CHINH",
        "chuyen vien chinh": "QLNN_CHUYEN_VIEN_CHINH",
        "cvcc": "QLNN_CHUYEN_VIEN_CAO_CAP",
        "chuyen vien cao cap": "QLNN_CHUYEN_VIEN_CAO_CAP",
    },
    Track.IT: {
        "a": "TH_A",
        "b": "TH_B",
        "c": "TH_C",
        "co ban": "CNTT_CO_BAN",
        "ud cntt co ban": "CNTT_CO_BAN",
        "nang cao": "CNTT_NANG_CAO",
        "trung cap": "TH_TRUNG_CAP",
    },
    Track.FOREIGN_LANGUAGE: {
        "a": "NN_A",
        "b": "NN_B",
        "c": "NN_C",
        **{f"bac {n}": f"NN_BAC{n}" for n in range(1, 7)},
        **{cefr: f"NN_BAC{n}" for n, cefr in enumerate(["a1", "a2", "b1", "b2", "c1", "c2"], 1)},
        "dai hoc": "NN_DAI_HOC",
    },
}
# Words before the level that say only what the column already says.
LEVEL_NOISE = re.compile(
    r"^(trinh do|dao tao|boi duong|he|chung chi|tieng anh|anh van|tieng trung|tieng phap|"
    r"tieng nga|tin hoc|ngoai ngu|llct|qlnn|cntt)\s+"
)


def register_level(
    track: str, written: str, levels: dict[str, QualificationLevel]
) -> tuple[QualificationLevel | None, str]:
    """The level (and, for a professional level, the major after it) that a register's level
    column means by ``written``; ``(None, "")`` when it is not one of the short forms."""
    key = fold(written)
    while (shorter := LEVEL_NOISE.sub("", key)) != key:
        key = shorter
    table = SHORT_LEVELS.get(track, {})
    if key in table:
        return levels.get(table[key]), ""
    if track == Track.PROFESSIONAL:
        for short in sorted(table, key=len, reverse=True):
            if key.startswith(f"{short} "):
                # The major keeps the file's own spelling: drop as many words as the level had.
                major = written.strip().split(None, len(short.split()))[-1]
                return levels.get(table[short]), major
    return None, ""


class SynonymChoiceWidget(ChoiceWidget):
    """A choice also read from the short forms lists use ("CB", "ĐC", "DN")."""

    def __init__(self, choices, noun: str, synonyms: dict[str, list[str]], **kwargs):
        super().__init__(choices, noun, **kwargs)
        for code, names in synonyms.items():
            for name in names:
                self.by_key[fold(name)] = code


CATEGORY_SYNONYMS = {
    Category.CADRE: ["CB", "Cán bộ chuyên trách", "Cán bộ cấp xã"],
    Category.CIVIL_SERVANT: ["CC", "Công chức cấp xã", "CCCX"],
    Category.PUBLIC_EMPLOYEE: ["VC"],
    Category.PART_TIME: ["KCT", "Không chuyên trách", "Người hoạt động KCT", "HĐKCT"],
}
# The 2C form and the lists write a mode by one of its words.
STUDY_MODE_SYNONYMS = {
    StudyMode.FULL_TIME: ["Tập trung", "Chính qui", "CQ"],
    StudyMode.IN_SERVICE: ["Tại chức", "Vừa làm vừa học", "VLVH", "Không tập trung"],
    StudyMode.DISTANCE: ["Đào tạo từ xa"],
    StudyMode.SHORT_COURSE: ["Bồi dưỡng", "Ngắn hạn"],
}
STANDING_SYNONYMS = {
    Standing.INCUMBENT: ["ĐC", "Đương nhiệm", "Đang giữ chức vụ"],
    Standing.RESERVE: ["DN", "Nguồn", "Quy hoạch", "Dự nguồn quy hoạch"],
}


class MarkWidget(widgets.Widget):
    """A tick column ("x", "có", "1", "✓"); "0", "không" or "-" clear it."""

    YES = {"x", "co", "1", "v", "yes", "true", "dung", "chu chot"}
    NO = {"0", "khong", "no", "false", ""}

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value).strip()
        if text in ("✓", "✔", "☑"):
            return True
        key = fold(text)
        if key in self.YES:
            return True
        if key in self.NO or text == "-":
            return False
        raise ValueError(f"“{value}”: ghi “x” nếu có, để trống nếu không.")

    def render(self, value, obj=None, **kwargs):
        return "x" if value else ""


# Abbreviations of position titles, expanded before comparing (folded).
TITLE_WORDS = [
    ("uy ban nhan dan", "ubnd"),
    ("hoi dong nhan dan", "hdnd"),
    ("uy ban mat tran to quoc viet nam", "mttq"),
    ("uy ban mat tran to quoc", "mttq"),
    ("mat tran to quoc", "mttq"),
    ("uy ban mttq", "mttq"),
    ("ubmttq", "mttq"),
    ("hoi lien hiep phu nu", "hoi phu nu"),
    ("hoi lhpn", "hoi phu nu"),
    ("hoi ccb", "hoi cuu chien binh"),
    ("hoi nd", "hoi nong dan"),
    ("doan tncs ho chi minh", "doan"),
    ("doan thanh nien", "doan"),
    ("dang uy", "du"),
    ("cong chuc", ""),
]
LEVEL_WORDS = {
    Level.COMMUNE: ("xa", "thi tran", "phuong"),
    Level.DISTRICT: ("huyen",),
    Level.PROVINCE: ("tinh",),
}


def title_key(title: str, level: str) -> str:
    """A position title reduced to compare files' spellings with the stored one: abbreviations
    expanded the same way, the level's own word at the end dropped ("Chủ tịch UBND xã")."""
    key = f" {fold(title)} "
    for long, short in TITLE_WORDS:
        key = key.replace(f" {long} ", f" {short} " if short else " ")
    key = " ".join(key.split())
    for word in LEVEL_WORDS.get(level, ()):
        if key.endswith(f" {word}"):
            key = key[: -len(word) - 1]
    return key


class PositionFinder:
    """Positions by title within a level, loaded once per import: a commune file's "Chủ tịch
    UBND" is the commune level's "Chủ tịch UBND xã"."""

    def __init__(self):
        self._index: dict[tuple[str, str], Position] | None = None
        self._found: dict[tuple[str, str], Position | None] = {}  # (level, title as written)

    def index(self) -> dict[tuple[str, str], Position]:
        if self._index is None:
            self._index = {}
            for position in Position.objects.all():
                self._index.setdefault(
                    (position.level, title_key(position.title, position.level)), position
                )
        return self._index

    def find(self, title: str, unit: Unit | None) -> Position | None:
        if is_empty(title) or unit is None:
            return None
        written = (unit.level, title)
        if written not in self._found:
            self._found[written] = self.index().get((unit.level, title_key(title, unit.level)))
        return self._found[written]


class PositionWidget(Reconcilable, TextWidget):
    """A position title, which the resource finds within the level of the row's unit
    (:meth:`find`). A title no level knows is an unknown value the preview groups; where the
    import may create it (``--create-missing``, or "create" in the preview) it is created at
    the level of the row's unit, with the category the law's table reads in its title."""

    model = Position

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.finder = PositionFinder()
        self.made = []
        self.create = lambda title: Position(title=title)

    def known(self, title: str) -> bool:
        index = self.finder.index()
        return fold(title) in self.aliases() or any(
            (level, title_key(title, level)) in index for level in Level.values
        )

    def aliases(self) -> dict[str, Position]:
        if not hasattr(self, "_aliases"):
            by_pk = {p.pk: p for p in self.finder.index().values()}
            self._aliases = {
                key: by_pk[pk] for key, pk in alias_index(Position).items() if pk in by_pk
            }
        return self._aliases

    def clean(self, value, row=None, **kwargs):
        title = super().clean(value, row, **kwargs)
        if title and not self.known(title) and not self.may_make(title):
            suggestions = [(p.pk, str(p)) for p in self.closest(title)]
            hint = ", ".join(name for _, name in suggestions)
            raise UnknownValue(
                f"Không có chức danh “{title}”." + (f" Có phải: {hint}?" if hint else ""),
                title,
                suggestions,
                creatable=True,
            )
        return title

    def closest(self, title: str) -> list[Position]:
        by_title = {fold(p.title): p for p in self.finder.index().values()}
        return [by_title[key] for key in close_matches(title, by_title)]

    def find(self, title: str, unit: Unit | None) -> Position | None:
        """The position ``title`` names at ``unit``'s level (or by a saved alias), created
        there when the import may create it."""
        found = self.finder.find(title, unit) or self.aliases().get(fold(title))
        if found is None and unit is not None and self.may_make(title):
            position = Position(
                title=title, level=unit.level, category=category_of_position(title, unit.level)
            )
            found = self.save_created(title, position)
        return found

    def remember(self, text: str, obj: Position) -> None:
        self.aliases()[fold(text)] = obj
        self.finder.index().setdefault((obj.level, title_key(obj.title, obj.level)), obj)

    def by_pk(self, pk) -> Position | None:
        return next((p for p in self.finder.index().values() if p.pk == pk), None)

    def options(self) -> list[tuple[int, str]]:
        positions = {p.pk: p for p in self.finder.index().values()}
        return sorted(((pk, str(p)) for pk, p in positions.items()), key=lambda o: fold(o[1]))


def category_from_position(position: Position | None) -> str:
    """The category a position gives its holder: as set on the position (editable), else as
    the law's table (cadres.categories) reads its title."""
    if position is None:
        return ""
    return position.category or category_of_position(position.title, position.level)


# The official lists' two columns under one birth-date header, and under one gender header:
# key -> (the gender a value there gives, the sub-header).
BIRTH_DATE_PARENTS = ["Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Ngày sinh", "Năm sinh"]
BIRTH_DATE_BY_GENDER = {
    "birth_date_male": (Gender.MALE, "Nam"),
    "birth_date_female": (Gender.FEMALE, "Nữ"),
}
GENDER_MARKS = {"gender_male": (Gender.MALE, "Nam"), "gender_female": (Gender.FEMALE, "Nữ")}
SPLITS = ((BIRTH_DATE_BY_GENDER, "ngày sinh"), (GENDER_MARKS, "dấu"))
# Their header aliases: the parent and the sub-header together, as a two-row header reads.
SPLIT_ALIASES = {
    split: [f"{parent} {label}" for parent in parents]
    for parents, by_gender in (
        (BIRTH_DATE_PARENTS, BIRTH_DATE_BY_GENDER),
        (["Giới tính"], GENDER_MARKS),
    )
    for split, (_, label) in by_gender.items()
}


def read_gender_split(values: dict[str, str]) -> dict[str, str]:
    """A birth date written in the "Nam" or the "Nữ" column is the birth date and says the
    gender; so does a mark in one of two "Giới tính" columns. Both written: the gender is left
    out (:func:`gender_split_errors` says why)."""
    for by_gender, _ in SPLITS:
        written = [(key, values[key].strip()) for key in by_gender if values.get(key, "").strip()]
        if not written:
            continue
        values = dict(values)
        if len(written) == 1 and not values.get("gender", "").strip():
            values["gender"] = by_gender[written[0][0]][0].label
        if by_gender is BIRTH_DATE_BY_GENDER and not values.get("birth_date", "").strip():
            values["birth_date"] = written[0][1]
    return values


def gender_split_errors(row: dict[str, str], header: str) -> list[str]:
    errors = []
    for by_gender, noun in SPLITS:
        both = [by_gender[key][1] for key in by_gender if (row.get(key) or "").strip()]
        if len(both) > 1:
            errors.append(
                f"{header}: ghi {noun} ở cả cột {' và cột '.join(both)}; chỉ ghi ở một cột."
            )
    return errors


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
        widget=SynonymChoiceWidget(Category.choices, "đối tượng", CATEGORY_SYNONYMS),
    )
    unit = Field(attribute="unit", column_name="Đơn vị công tác", widget=UnitWidget())
    job_title = text("job_title", "Chức vụ, chức danh")
    standing = Field(
        attribute="standing",
        column_name="Đương chức/Dự nguồn",
        widget=SynonymChoiceWidget(Standing.choices, "loại", STANDING_SYNONYMS),
    )
    key_cadre = Field(attribute="key_cadre", column_name="Chủ chốt", widget=MarkWidget())
    appointed_on = Field(
        attribute=None, column_name="Ngày bổ nhiệm", widget=DateWidget(), readonly=True
    )
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
    it_level = shown("it_level__label", "Tin học")
    foreign_language_level = shown("foreign_language_level__label", "Ngoại ngữ")
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
        # The official lists' layout: the birth date written under "Nam" or under "Nữ" (two
        # columns under one "Ngày, tháng, năm sinh" header), or a mark under "Giới tính".
        **SPLIT_ALIASES,
        "ethnicity": ["Dân tộc (thành phần)"],
        "unit": ["Đơn vị", "Cơ quan, đơn vị", "Nơi công tác", "Xã, thị trấn"],
        "category": [
            "Đối tượng (CB/CC/VC)",
            "Loại cán bộ",
            "Loại CB, CC",
            "Loại CB/CC",
            "CB/CC/VC",
            "CB, CC, VC",
            "Cán bộ/Công chức",
            "Cán bộ, công chức",
            "Phân loại",
            "Phân loại cán bộ",
            "Loại đối tượng",
            "Đối tượng cán bộ",
            "Diện",
        ],
        "job_title": [
            "Chức vụ",
            "Chức danh",
            "Chức vụ hiện nay",
            "Chức vụ, chức danh hiện nay",
            "Chức danh, chức vụ",
            "Chức vụ hiện tại",
        ],
        "standing": [
            "Đương chức / Dự nguồn",
            "Đương chức, dự nguồn",
            "ĐC/DN",
            "Tình trạng",
            "Đương chức hay dự nguồn",
        ],
        "key_cadre": ["Cán bộ chủ chốt", "CB chủ chốt", "Chủ chốt (x)", "Thuộc diện chủ chốt"],
        "appointed_on": ["Ngày bổ nhiệm, bầu cử", "Ngày giữ chức vụ", "Ngày được bầu"],
        "professional_level": [
            "Chuyên môn",
            "Trình độ CM",
            "Trình độ chuyên môn nghiệp vụ",
            "Chuyên môn nghiệp vụ",
            "CMNV",
        ],
        "professional_major": ["Chuyên ngành đào tạo", "Ngành"],
        "political_theory_level": [
            "LLCT",
            "Trình độ LLCT",
            "Trình độ lý luận chính trị",
            "Chính trị",
        ],
        "state_management_level": ["QLNN", "Trình độ QLNN", "Trình độ quản lý nhà nước"],
        "it_level": ["Trình độ tin học", "Tin học (trình độ)"],
        "foreign_language_level": ["Trình độ ngoại ngữ", "Ngoại ngữ (trình độ)"],
        "cccd_issued_on": ["Ngày cấp"],
        "work_start_date": [
            "Ngày vào cơ quan",
            "Ngày về cơ quan",
            "Ngày về đơn vị",
            "Ngày vào cơ quan, đơn vị hiện nay",
        ],
        "recruitment_date": ["Ngày được tuyển dụng", "Ngày tuyển dụng lần đầu"],
        "party_join_date": ["Ngày vào Đảng CSVN", "Ngày vào đảng"],
        "party_official_date": ["Ngày chính thức vào Đảng"],
        "general_education": ["Trình độ GDPT", "Trình độ văn hóa", "GDPT"],
        "phone": ["Số điện thoại", "SĐT"],
        "email": ["Email"],
    }
    derived_fields = ["search_name", "retirement_date"]
    label_field = "full_name"
    # Offered in the import preview: the category of rows that neither write one nor hold a
    # position deciding it (the command's --category).
    file_defaults = {"default_category": "category", "default_unit": "unit"}
    # Read to keep what the list says beyond the record's own fields: the levels become
    # qualification rows, the position an appointment (after_write); and the columns giving the
    # birth date and gender together (prepare_row).
    context_columns = [
        "appointed_on",
        *LEVEL_COLUMNS,
        "professional_major",
        *SPLIT_ALIASES,
    ]

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
            "standing",
            "key_cadre",
            "appointed_on",
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
            "it_level",
            "foreign_language_level",
            "retirement_date",
        ]
        export_order = fields

    def __init__(
        self,
        default_category: str = "",
        default_unit: str = "",
        on: date | None = None,
        **kwargs,
    ):
        """``default_category``: the category of the rows that neither write one nor hold a
        position deciding it (chosen for the whole file). ``default_unit``: the id of the unit
        of new rows that write none (a commune's list, whose unit is its title). ``on``: the
        day the list describes (units resolved on it, the appointment's start when the row
        gives none)."""
        super().__init__(**kwargs)
        self.default_category = default_category
        self.split = False  # the file gives the birth date and gender together (implied_columns)
        self.default_unit = (
            self.fields["unit"].widget.by_pk(int(default_unit))
            if str(default_unit).isdigit()
            else None
        )
        self.on = on
        self.positions = PositionFinder()
        self.levels = LevelWidget()
        self._level_codes: dict[str, QualificationLevel] | None = None
        self.stored_cccds: set[str] = set()
        # What a row's title and unit level, or its level column's text, decide: once per import.
        self._categories: dict[tuple[str, str], str] = {}
        self._register_levels: dict[tuple[str, str], tuple[QualificationLevel | None, str]] = {}
        # cccd -> what after_write adds to the record
        self.pending: dict[str, dict] = {}
        if on is not None:
            self.fields["unit"].widget.on = on

    def level_codes(self) -> dict[str, QualificationLevel]:
        if self._level_codes is None:
            self._level_codes = {level.code: level for level in QualificationLevel.objects.all()}
        return self._level_codes

    def implied_columns(self, present: set[str]) -> list[str]:
        # Category and unit: filled by clean_row from the position or the file-wide choices;
        # birth date and gender: by prepare_row from the columns that give both.
        # (Called once per import, with the file's columns: rows of other files skip the split.)
        self.split = bool(present & set(SPLIT_ALIASES))
        return ["category", "unit", *(["birth_date", "gender"] if self.split else [])]

    def prepare_row(self, values: dict[str, str]) -> dict[str, str]:
        return read_gender_split(values) if self.split else values

    def prepare_chunk(self, rows: list[tabular.SourceRow]) -> None:
        texts = set()
        for row in rows:
            with contextlib.suppress(ValueError):
                texts.add(tabular.normalise_cccd(row.values.get("cccd") or ""))
        # What a later list may move: the unit, post and dates each stored cadre had.
        keys = self.may_be_stored(sorted(texts))
        found = matching(Cadre, "cccd", keys).values_list(
            "cccd", "unit_id", "unit__name", "job_title", "work_start_date", "recruitment_date"
        )
        self.stored = {row[0]: row[1:] for row in found} if keys else {}
        self.stored_cccds = set(self.stored)
        self.pending = {}  # after_write took the previous chunk's

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        errors: list[str] = []
        unit = values.get("unit")
        title = values.get("job_title") or row.get("job_title", "")
        position = self.positions.find(title, unit)
        cccd = values.get("cccd") or ""
        stored = cccd in self.stored_cccds
        for implied in ("category", "unit"):
            if implied not in row:
                # Not a column of the file (implied_columns): never wipes the stored value.
                values.pop(implied, None)
        unit_missing = False
        if "unit" not in row and not stored and cccd:
            if self.default_unit is not None:
                values["unit"] = unit = self.default_unit
                position = self.positions.find(title, unit)
            else:
                unit_missing = True
                errors.append(
                    f"{headers.get('unit', 'Đơn vị công tác')}: tệp không có cột đơn vị; hãy "
                    "chọn đơn vị cho cả tệp (lệnh: --unit) hoặc ghi cột Đơn vị."
                )
        if self.split:
            errors += gender_split_errors(row, headers.get("gender", "Giới tính"))
        if not values.get("category") and not stored:
            category = self.implied_category(title, unit, position)
            if category:
                values["category"] = category
            elif unit_missing:  # the position, and so the category, is known with the unit
                errors.append(
                    f"{headers.get('category', 'Đối tượng')}: chưa ghi; suy ra từ chức danh khi "
                    "đã chọn đơn vị."
                )
            else:
                named = (
                    f"chức danh “{title}” không cho biết đối tượng"
                    if title
                    else "không ghi chức danh"
                )
                errors.append(
                    f"{headers.get('category', 'Đối tượng')}: chưa ghi, và {named}; hãy chọn "
                    "đối tượng cho cả tệp (lệnh: --category) hoặc ghi cột Đối tượng."
                )
        levels, major = [], (row.get("professional_major") or "").strip()
        for name in LEVEL_COLUMNS:
            written = (row.get(name) or "").strip()
            if not written or written in ("-", "0", "Không", "không"):
                continue
            track = LEVEL_TRACKS[name]
            level, written_major = self.register_level(track, written)
            if level is None:
                try:
                    level = self.levels.clean(f"{Track(track).label}: {written}")
                except ValueError as error:
                    errors.append(f"{headers.get(name, name)}: {error}")
                    continue
            levels.append(level)
            major = major or written_major
        appointed = None
        if row.get("appointed_on", "").strip():
            try:
                appointed = tabular.parse_date(row["appointed_on"], allow_month_year=True)
            except ValueError as error:
                errors.append(f"{headers.get('appointed_on', 'Ngày bổ nhiệm')}: {error}")
        if cccd and not errors:
            self.pending[cccd] = {
                "position": position,
                "unit": unit,
                "appointed": appointed,
                "levels": levels,
                "major": major,
            }
        return errors

    def implied_category(self, title: str, unit: Unit | None, position: Position | None) -> str:
        """The category of a row that writes none: the position's, the title's, the file's."""
        key = (title, unit.level if unit else "")
        if key not in self._categories:
            self._categories[key] = (
                category_from_position(position)
                or (category_of_position(title, unit.level) if title and unit else "")
                or self.default_category
            )
        return self._categories[key]

    def register_level(self, track: str, written: str) -> tuple[QualificationLevel | None, str]:
        key = (track, written)
        if key not in self._register_levels:
            self._register_levels[key] = register_level(track, written, self.level_codes())
        return self._register_levels[key]

    def after_write(self, instances: list) -> None:
        """What the list says beyond the record: each level a qualification row (of unknown
        year, unless the cadre has that level already), the position held the current
        appointment (unless the cadre holds it already)."""
        cadres = [c for c in instances if c.cccd in self.pending]
        if not cadres:
            # An undo (its qualifications removed): the levels follow what is left.
            Cadre.objects.filter(pk__in=[c.pk for c in instances]).refresh_current_levels()
            return
        # Only a cadre stored before this chunk holds levels or posts already.
        ids = [c.pk for c in cadres if c.cccd in self.stored]
        held_levels = set(
            Qualification.objects.filter(cadre_id__in=ids).values_list("cadre_id", "level_id")
            if ids
            else ()
        )
        on = self.on or timezone.localdate()
        held_posts = set(
            Appointment.objects.filter(cadre_id__in=ids)
            .active(on)
            .values_list("cadre_id", "position_id")
            if ids
            else ()
        )
        qualifications, appointments = [], []
        for cadre in cadres:
            pending = self.pending[cadre.cccd]
            for level in pending["levels"]:
                if (cadre.pk, level.pk) in held_levels:
                    continue
                held_levels.add((cadre.pk, level.pk))
                major = pending["major"] if level.track == Track.PROFESSIONAL else ""
                qualifications.append(
                    Qualification(cadre=cadre, level=level, year_obtained=None, major=major)
                )
            position = pending["position"]
            if position is not None and (cadre.pk, position.pk) not in held_posts:
                start = (
                    pending["appointed"] or cadre.work_start_date or cadre.recruitment_date or on
                )
                appointments.append(
                    Appointment(
                        cadre=cadre,
                        position=position,
                        unit=pending["unit"] or cadre.unit,
                        start_date=start,
                    )
                )
        periods = self.earlier_posts(cadres, on)
        if periods:
            self.alongside += bulk_create_with_history(periods, WorkHistory, batch_size=1000)
        if qualifications:
            self.alongside += bulk_create_with_history(
                qualifications, Qualification, batch_size=1000
            )
            Cadre.objects.filter(
                pk__in={q.cadre_id for q in qualifications}
            ).refresh_current_levels()
        if appointments:
            self.alongside += bulk_create_with_history(appointments, Appointment, batch_size=1000)

    def earlier_posts(self, cadres: list[Cadre], on: date) -> list[WorkHistory]:
        """A cadre this list moves to another unit keeps the unit (and post) held before as a
        period of the work history, ending the day before the list's date, unless one with
        that start is recorded; nothing is guessed when the old start is unknown."""
        periods = []
        for cadre in cadres:
            if cadre.cccd not in self.stored:
                continue
            unit_id, unit_name, title, started, recruited = self.stored[cadre.cccd]
            start = started or recruited
            if unit_id == cadre.unit_id or start is None or start >= on:
                continue
            periods.append(
                WorkHistory(
                    cadre=cadre,
                    start_date=start,
                    end_date=on - timedelta(days=1),
                    position_title=title or "Cán bộ, công chức",
                    organisation=unit_name,
                )
            )
        if periods:
            recorded = set(
                WorkHistory.objects.filter(cadre__in=[p.cadre for p in periods]).values_list(
                    "cadre_id", "start_date"
                )
            )
            periods = [p for p in periods if (p.cadre.pk, p.start_date) not in recorded]
        return periods

    def get_queryset(self):
        return Cadre.objects.select_related(
            "ethnicity",
            "religion",
            "unit",
            "general_education",
            "professional_level",
            "political_theory_level",
            "state_management_level",
            "it_level",
            "foreign_language_level",
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
        return f"{headers['cadre']}: {NOT_YOURS}"

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
        widget=SynonymChoiceWidget(StudyMode.choices, "hình thức đào tạo", STUDY_MODE_SYNONYMS),
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

    def existing_rows(self, keys: list) -> dict:
        """Stored rows by (cadre, level, year); a level a register gave without its year
        (``year_obtained`` empty) is the row a history line of that cadre and level updates."""
        found = super().existing_rows(keys)
        missing = {
            (cadre, level): key for key in keys if key not in found for cadre, level, _ in [key]
        }
        if missing:
            undated = Qualification.objects.select_related("cadre", "level").filter(
                cadre_id__in={cadre for cadre, _ in missing}, year_obtained__isnull=True
            )
            for row in undated.order_by("pk"):
                key = missing.pop((row.cadre_id, row.level_id), None)
                if key is not None:
                    found[key] = row
        return found

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


# --- Units, positions and appointments -------------------------------------------------------

UNIT_KIND_SYNONYMS = {
    UnitKind.PROVINCE: ["Tỉnh"],
    UnitKind.DISTRICT: ["Huyện", "Thị xã"],
    UnitKind.AGENCY: ["Cơ quan", "Ban", "Phòng", "Ngành", "Đoàn thể", "Cơ quan, đơn vị"],
    UnitKind.COMMUNE: ["Xã"],
    UnitKind.TOWN: ["Thị trấn"],
    UnitKind.WARD: ["Phường"],
    UnitKind.VILLAGE: ["Thôn", "Bản", "Khu phố", "Tổ dân phố", "Khối"],
    UnitKind.SCHOOL: ["Trường", "Trường học"],
}
# The kind a unit's name announces by its first word(s), folded; anything else is an agency.
KIND_OF_NAME = [
    ("thi tran", UnitKind.TOWN),
    ("thi xa", UnitKind.DISTRICT),
    ("xa", UnitKind.COMMUNE),
    ("phuong", UnitKind.WARD),
    ("huyen", UnitKind.DISTRICT),
    ("tinh", UnitKind.PROVINCE),
    ("thon", UnitKind.VILLAGE),
    ("khu pho", UnitKind.VILLAGE),
    ("to dan pho", UnitKind.VILLAGE),
    ("truong", UnitKind.SCHOOL),
]


def kind_of_name(name: str) -> str:
    # "Bản" (a village) folds like "Ban" (a party committee's department): told by the accent.
    if name.strip().lower().startswith("bản "):
        return UnitKind.VILLAGE
    key = f"{fold(name)} "
    return next(
        (kind for word, kind in KIND_OF_NAME if key.startswith(f"{word} ")), UnitKind.AGENCY
    )


class ParentWidget(TextWidget):
    """The parent's name as written; UnitResource resolves it with the units of the file."""

    def __init__(self, units: UnitWidget, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def by_pk(self, pk):
        return self.units.by_pk(pk)


class UnitResource(BulkModelResource):
    """A list of units, each with its parent: the district's agencies (party, state and mass
    organisations have no GSO code), villages, schools. A row is the unit with that name under
    that parent (names repeat across communes: "Thôn Nà Pàn"); the parent is a stored unit or
    one of the rows above it in the file. The kind, when not written, comes from the name's
    first word ("Xã", "Thôn", "Trường"), else an agency. Rows are written one by one in the
    file's order (each unit's tree path needs its parent's), so a unit list cannot be undone
    as a whole."""

    name = text("name", "Tên đơn vị")
    kind = Field(
        attribute="kind",
        column_name="Loại đơn vị",
        widget=SynonymChoiceWidget(UnitKind.choices, "loại đơn vị", UNIT_KIND_SYNONYMS),
    )
    code = text("code", "Mã đơn vị")
    parent = Field(attribute="parent", column_name="Đơn vị cấp trên", widget=TextWidget())
    valid_from = day("valid_from", "Hiệu lực từ ngày")
    valid_to = day("valid_to", "Hiệu lực đến ngày")
    note = text("note", "Ghi chú")

    aliases = {
        "name": ["Đơn vị", "Tên cơ quan, đơn vị", "Cơ quan, đơn vị", "Tên cơ quan", "Tên"],
        "kind": ["Loại", "Loại hình", "Loại cơ quan"],
        "code": ["Mã", "Mã ĐVHC", "Mã đơn vị hành chính", "Mã số"],
        "parent": ["Trực thuộc", "Cấp trên", "Thuộc", "Đơn vị chủ quản", "Cơ quan cấp trên"],
        "valid_from": ["Thành lập ngày", "Ngày thành lập", "Từ ngày"],
        "valid_to": ["Giải thể ngày", "Ngày giải thể", "Đến ngày", "Ngày sáp nhập"],
    }
    derived_fields = ["name_key", "level"]
    label_field = "name"
    can_undo = False
    no_undo_reason = (
        "Danh sách đơn vị được ghi từng đơn vị theo thứ tự trong tệp (đơn vị cấp dưới cần đơn "
        "vị cấp trên); hãy sửa hoặc xóa từng đơn vị."
    )

    class Meta(BulkModelResource.Meta):
        model = Unit
        import_id_fields = ["name"]
        fields = ["name", "kind", "code", "parent", "valid_from", "valid_to", "note"]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.units = UnitWidget()
        self.fields["parent"].widget = ParentWidget(self.units)
        # Units of this file by folded name: placeholders until written, then the saved ones.
        self.new_units: dict[str, Unit] = {}
        self.saved: dict[str, Unit] = {}

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def dehydrate_parent(self, unit: Unit) -> str:
        return unit.parent.name if unit.parent_id else ""

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["kind", "parent"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        name = values.get("name") or ""
        written = values.pop("parent", "") or ""
        parent = None
        if written:
            # A unit of this file (above this row), else a stored one as named on its date.
            parent = self.new_units.get(fold(written)) or self.new_units.get(
                fold_unit_name(written)
            )
            if parent is None:
                try:
                    parent = self.units.clean(written, on=values.get("valid_from"))
                except ValueError as error:
                    return [f"{headers.get('parent', 'Đơn vị cấp trên')}: {error}"]
        values["parent"] = parent
        stored = None
        if parent is None or parent.pk is not None:
            stored = Unit.objects.filter(
                name_key=fold_unit_name(name), parent_id=parent.pk if parent else None
            ).first()
        if not values.get("kind"):
            # Not written: a new unit's kind is what its name announces; a stored one keeps its.
            values["kind"] = stored.kind if stored else kind_of_name(name)
        if stored is None:
            # Stands for this row's unit as the parent of rows below it until it is saved.
            placeholder = Unit(name=name, kind=values["kind"], parent=parent)
            placeholder.derive_fields()
            self.new_units.setdefault(fold(name), placeholder)
            self.new_units.setdefault(placeholder.name_key, placeholder)
        return []

    def row_key(self, values: dict):
        name = values.get("name")
        if not name:
            return ""
        parent = values.get("parent")
        return (fold_unit_name(name), (parent.pk or id(parent)) if parent else None)

    def missing_key_text(self, headers: dict[str, str]) -> str:
        return f"{headers.get('name', 'Tên đơn vị')}: chưa ghi."

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Đơn vị này (cùng tên, cùng đơn vị cấp trên)"

    def existing_rows(self, keys: list) -> dict:
        wanted = set(keys)
        found = {}
        for unit in Unit.objects.filter(name_key__in={key[0] for key in keys}).order_by("pk"):
            key = (unit.name_key, unit.parent_id)
            if key in wanted:
                found.setdefault(key, unit)
        return found

    def rule_errors(self, instance: Unit, on: date) -> dict[str, list[str]]:
        instance.derive_fields()
        if instance.valid_from and instance.valid_to and instance.valid_to < instance.valid_from:
            return {"valid_to": ["Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."]}
        return {}

    def before_write(self, to_create: list, to_update: list) -> None:
        # In the file's order a parent comes before its units; each save derives the path. A
        # parent from this file is its row's placeholder until then: swapped for the unit saved.
        for unit in to_create:
            parent = unit.parent
            if parent is not None and parent.pk is None:
                unit.parent = self.saved[fold(parent.name)]
            unit.save()
            self.saved.setdefault(fold(unit.name), unit)
            self.new_units[fold(unit.name)] = unit
            self.new_units[unit.name_key] = unit
        to_create.clear()


class PositionResource(BulkModelResource):
    """The positions (chức danh) of each level, with whether they are key posts and the
    category of their holders (empty: as the law's table reads the title)."""

    title = text("title", "Chức danh")
    level = Field(
        attribute="level",
        column_name="Cấp",
        widget=SynonymChoiceWidget(
            Level.choices,
            "cấp",
            {
                Level.PROVINCE: ["Tỉnh"],
                Level.DISTRICT: ["Huyện"],
                Level.COMMUNE: ["Xã", "Cơ sở"],
                Level.VILLAGE: ["Thôn"],
            },
        ),
    )
    is_key = Field(attribute="is_key", column_name="Chủ chốt", widget=MarkWidget())
    rank = Field(attribute="rank", column_name="Thứ bậc", widget=IntegerWidget())
    category = Field(
        attribute="category",
        column_name="Đối tượng",
        widget=SynonymChoiceWidget(Category.choices, "đối tượng", CATEGORY_SYNONYMS),
    )
    unit_kinds = text("unit_kinds", "Loại đơn vị áp dụng")

    aliases = {
        "title": ["Tên chức danh", "Chức vụ", "Chức danh, chức vụ"],
        "level": ["Cấp chức danh"],
        "is_key": ["Chức danh chủ chốt", "Chủ chốt (x)"],
        "rank": ["Thứ tự", "Bậc"],
        "category": CadreResource.aliases["category"],
    }
    label_field = "title"

    class Meta(BulkModelResource.Meta):
        model = Position
        import_id_fields = ["title"]
        fields = ["title", "level", "is_key", "rank", "category", "unit_kinds"]
        export_order = fields

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["level", "category"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        title = values.get("title") or ""
        if not values.get("level"):
            key = f" {fold(title)} "
            found = [
                lvl for lvl, words in LEVEL_WORDS.items() if any(f" {w} " in key for w in words)
            ]
            if len(found) != 1:
                return [f"{headers.get('level', 'Cấp')}: chưa ghi (xã, huyện hay tỉnh?)."]
            values["level"] = found[0]
        if "category" not in row:
            values.pop("category", None)
        return []

    def row_key(self, values: dict):
        title, level = values.get("title"), values.get("level")
        return (title_key(title, level), level) if title and level else ""

    def key_text(self, key, headers: dict[str, str]) -> str:
        return "Chức danh này ở cấp này"

    def existing_rows(self, keys: list) -> dict:
        wanted = set(keys)
        return {
            key: position
            for position in Position.objects.all()
            if (key := (title_key(position.title, position.level), position.level)) in wanted
        }

    def rule_errors(self, instance: Position, on: date) -> dict[str, list[str]]:
        if not instance.category and instance.pk is None:
            instance.category = category_of_position(instance.title, instance.level)
        try:
            instance.clean()
        except ValidationError as error:
            return error.message_dict
        return {}


class AppointmentResource(CadreHistoryResource):
    """Who held which position where, and when ("Quá trình giữ chức vụ"); the position by its
    title within the unit's level ("Chủ tịch UBND" in a commune is "Chủ tịch UBND xã"), the unit
    as it was named on the start date (an old list names the units of its time). Natural key:
    cadre, position and start date."""

    position = Field(attribute="position", column_name="Chức danh", widget=PositionWidget())
    unit = Field(attribute="unit", column_name="Đơn vị", widget=TextWidget())
    start_date = month("start_date", "Từ ngày")
    end_date = month("end_date", "Đến ngày")
    concurrent = Field(attribute="concurrent", column_name="Kiêm nhiệm", widget=MarkWidget())
    decision_number = text("decision_number", "Số quyết định")
    decision_date = day("decision_date", "Ngày quyết định")

    aliases = {
        "cadre": CadreHistoryResource.CCCD_ALIASES,
        "full_name": ["Họ tên", "Họ, tên"],
        "position": ["Chức vụ", "Chức danh, chức vụ", "Chức vụ, chức danh"],
        "unit": ["Đơn vị công tác", "Cơ quan, đơn vị", "Nơi công tác"],
        "start_date": ["Từ tháng, năm", "Ngày bổ nhiệm", "Ngày bầu", "Bắt đầu", "Từ"],
        "end_date": ["Đến tháng, năm", "Kết thúc", "Đến", "Ngày thôi giữ chức vụ"],
        "decision_number": ["Số QĐ", "Quyết định"],
        "decision_date": ["Ngày QĐ", "Ngày ký quyết định"],
    }
    KEY = ("cadre", "position", "start_date")
    key_noun = "Lần giữ chức vụ này"

    class Meta(CadreHistoryResource.Meta):
        model = Appointment
        fields = [
            "cadre",
            "full_name",
            "position",
            "unit",
            "start_date",
            "end_date",
            "concurrent",
            "decision_number",
            "decision_date",
        ]
        export_order = fields

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.units = UnitWidget()

    def get_queryset(self):
        return Appointment.objects.select_related("cadre__unit", "position", "unit")

    def dehydrate_position(self, appointment: Appointment) -> str:
        return appointment.position.title

    def dehydrate_unit(self, appointment: Appointment) -> str:
        return appointment.unit.name

    def implied_columns(self, present: set[str]) -> list[str]:
        return ["unit"]

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        cadre, start = values.get("cadre"), values.get("start_date")
        title, written = values.pop("position", "") or "", values.pop("unit", "") or ""
        unit = cadre.unit if cadre is not None else None
        if written:
            try:
                unit = self.units.clean(written, on=start)
            except ValueError as error:
                return [f"{headers.get('unit', 'Đơn vị')}: {error}"]
        if not title:
            return []  # the key's check says the position is missing
        position = self.fields["position"].widget.find(title, unit)
        if position is None:
            level = unit.get_level_display().lower() if unit else ""
            return [
                f"{headers.get('position', 'Chức danh')}: không có chức danh “{title}” ở "
                f"{level or 'cấp của đơn vị'}; hãy thêm chức danh (danh sách chức danh) trước."
            ]
        values["position"], values["unit"] = position, unit
        return []

    def rule_errors(self, instance: Appointment, on: date) -> dict[str, list[str]]:
        try:
            Period.clean(instance)
        except ValidationError as error:
            return error.message_dict
        return {}


# What ``import_cadres --kind`` imports.
IMPORT_KINDS = {
    "cadres": CadreResource,
    "qualifications": QualificationResource,
    "work_history": WorkHistoryResource,
    "units": UnitResource,
    "positions": PositionResource,
    "appointments": AppointmentResource,
}

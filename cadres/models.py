"""Organisation units, positions, cadres and the histories of the 2C CV form."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from simple_history import register as register_history

from cadres import retirement
from cadres.choices import (
    LEVEL_OF_KIND,
    Category,
    DisciplineForm,
    EvaluationResult,
    FamilySide,
    Gender,
    ImportStatus,
    JobKind,
    JobStatus,
    Level,
    StudyMode,
    Track,
    UnitKind,
)
from cadres.text import fold, fold_unit_name


class TrackedModel(models.Model):
    """When a row was created and last changed; inherited by every record of the project."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        abstract = True


# --- Reference data -----------------------------------------------------------------------


class Ethnicity(models.Model):
    """One of the 54 official ethnic groups (codes of Quyết định 121-TCTK/PPCĐ, 1979)."""

    KINH_CODE = "01"

    code = models.CharField("mã", max_length=4, unique=True)
    name = models.CharField("tên dân tộc", max_length=100, unique=True)
    other_names = models.CharField(
        "tên gọi khác", max_length=255, blank=True, help_text="Cách nhau bởi dấu chấm phẩy."
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "dân tộc"
        verbose_name_plural = "dân tộc"

    def __str__(self) -> str:
        return self.name

    @property
    def is_minority(self) -> bool:
        return self.code != self.KINH_CODE


class Religion(models.Model):
    code = models.CharField("mã", max_length=30, unique=True)
    name = models.CharField("tên tôn giáo", max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tôn giáo"
        verbose_name_plural = "tôn giáo"

    def __str__(self) -> str:
        return self.name


class QualificationLevel(models.Model):
    """A level inside one track (professional, political theory, ...), ordered by ``rank``."""

    track = models.CharField("loại trình độ", max_length=30, choices=Track.choices)
    code = models.CharField("mã", max_length=40, unique=True)
    label = models.CharField("tên trình độ", max_length=150)
    rank = models.PositiveSmallIntegerField(
        "thứ bậc", help_text="Số lớn hơn là trình độ cao hơn, chỉ so sánh trong cùng một loại."
    )

    class Meta:
        ordering = ["track", "rank"]
        verbose_name = "trình độ"
        verbose_name_plural = "danh mục trình độ"

    def __str__(self) -> str:
        return self.label


# --- Organisation ---------------------------------------------------------------------------


class UnitQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> UnitQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def descendants_of(self, unit: Unit, include_self: bool = True) -> UnitQuerySet:
        descendants = self.filter(path__startswith=unit.path)
        return descendants if include_self else descendants.exclude(pk=unit.pk)

    def communes(self) -> UnitQuerySet:
        return self.filter(level=Level.COMMUNE, kind__in=Unit.COMMUNE_KINDS)

    def visible_to(self, user) -> UnitQuerySet:
        """The units a user may see and pick: the one place where access by unit is decided
        (see :func:`visible_unit_paths`)."""
        return self.filter(unit_scope(user, ""))

    def resolve(self, text: str, on: date | None = None) -> Unit | None:
        """The unit now standing for ``text`` (a code or a name, old or new, with or without
        "xã"/"thị trấn"): a unit that was merged resolves to its successor."""
        text = text.strip()
        if not text:
            return None
        on = on or timezone.localdate()
        matches = list(self.filter(Q(code=text) | Q(name_key=fold_unit_name(text))))
        if not matches:
            return self.resolve_by_address(text, on)
        # Prefer a unit valid on the day, then the most recent one (codes are reused over time).
        matches.sort(key=lambda u: (u.is_active(on), u.valid_from or date.min), reverse=True)
        return matches[0].successor_on(on)

    def resolve_by_address(self, text: str, on: date) -> Unit | None:
        """Fallback for an old commune name this tree does not hold: ask the national
        conversion table (vietnamadminunits) within each district of the tree."""
        from cadres.units import successor_code_by_address

        for district in self.filter(kind=UnitKind.DISTRICT).select_related("parent"):
            province = district.parent.name if district.parent_id else ""
            code = successor_code_by_address(text, district.name, province)
            if code:
                return self.filter(code=code).active(on).first()
        return None


class Unit(TrackedModel):
    """A node of the organisation tree: the top (district or province), agencies, communes,
    villages, schools. Units are never deleted when merged: ``valid_to`` closes them and a
    :class:`UnitSuccession` points to the unit that took them over."""

    COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.TOWN, UnitKind.WARD)

    name = models.CharField("tên đơn vị", max_length=255)
    kind = models.CharField("loại đơn vị", max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        "mã đơn vị hành chính",
        max_length=20,
        blank=True,
        db_index=True,
        help_text="Mã của Tổng cục Thống kê nếu có. Mã có thể được dùng lại sau khi sáp nhập.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    level = models.CharField(
        "cấp", max_length=20, choices=Level.choices, editable=False, db_index=True
    )
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    # Derived: materialised path of primary keys ("1/5/23/") for subtree queries by index.
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_dates_in_order",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = fold_unit_name(self.name)
        self.level = LEVEL_OF_KIND.get(self.kind) or (
            self.parent.level if self.parent_id else Level.DISTRICT
        )
        super().save(*args, **kwargs)
        self._refresh_path()

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_unit_change", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "-"):
            raise ValidationError(
                {"parent": "Đơn vị cấp trên không thể là chính nó hoặc cấp dưới."}
            )

    def _refresh_path(self) -> None:
        old_path = self.path
        self.path = f"{self.parent.path if self.parent_id else ''}{self.pk}/"
        self.depth = self.path.count("/") - 1
        if self.path == old_path:
            return
        Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        if old_path:
            for child in self.children.all():
                child._refresh_path()

    def is_active(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    @property
    def closed_suffix(self) -> str:
        """ " (đến 30/06/2025)" for a unit that no longer exists, for lists of units."""
        return f" (đến {self.valid_to:%d/%m/%Y})" if self.valid_to else ""

    def ancestors(self) -> list[Unit]:
        ids = [int(pk) for pk in self.path.split("/") if pk][:-1]
        by_id = Unit.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def successor_on(self, on: date) -> Unit:
        """Follow mergers forward until a unit that is still valid on ``on``."""
        unit, seen = self, {self.pk}
        while not unit.is_active(on):
            succession = (
                unit.successions.select_related("successor").order_by("-effective_date").first()
            )
            if succession is None or succession.successor_id in seen:
                break
            unit = succession.successor
            seen.add(unit.pk)
        return unit


class UnitSuccession(models.Model):
    """A merger or split: ``predecessor`` went (wholly or partly) into ``successor``."""

    predecessor = models.ForeignKey(
        Unit, verbose_name="đơn vị cũ", on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        Unit, verbose_name="đơn vị mới", on_delete=models.CASCADE, related_name="predecessions"
    )
    effective_date = models.DateField("ngày hiệu lực")
    legal_basis = models.CharField("căn cứ (nghị quyết)", max_length=255, blank=True)

    class Meta:
        ordering = ["effective_date"]
        verbose_name = "sáp nhập đơn vị"
        verbose_name_plural = "lịch sử sáp nhập đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="%(app_label)s_%(class)s_unique_pair",
                violation_error_message="Việc sáp nhập này đã được ghi.",
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="%(app_label)s_%(class)s_not_into_itself",
                violation_error_message="Một đơn vị không thể sáp nhập vào chính nó.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class Position(TrackedModel):
    """A position title (chức danh) such as "Bí thư Đảng ủy xã"."""

    title = models.CharField("chức danh", max_length=255)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    is_key = models.BooleanField("chủ chốt", default=False)
    rank = models.PositiveSmallIntegerField(
        "thứ bậc",
        default=0,
        help_text="Số lớn hơn là chức danh cao hơn; dùng để kiểm tra quy hoạch lên chức cao hơn.",
    )
    unit_kinds = models.CharField(
        "loại đơn vị áp dụng",
        max_length=255,
        blank=True,
        help_text="Các loại đơn vị có chức danh này, cách nhau bởi dấu phẩy (ví dụ: commune,town).",
    )
    units = models.ManyToManyField(
        Unit, verbose_name="đơn vị cụ thể", blank=True, related_name="positions"
    )

    class Meta:
        ordering = ["level", "-rank", "title"]
        verbose_name = "chức danh"
        verbose_name_plural = "chức danh"
        constraints = [
            models.UniqueConstraint(
                fields=["title", "level"],
                name="%(app_label)s_%(class)s_unique_title_per_level",
                violation_error_message="Chức danh này đã có ở cấp này.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = set(self.kind_list) - set(UnitKind.values)
        if unknown:
            raise ValidationError(
                {"unit_kinds": f"Loại đơn vị không có: {', '.join(sorted(unknown))}."}
            )

    @property
    def kind_list(self) -> list[str]:
        return [kind.strip() for kind in self.unit_kinds.split(",") if kind.strip()]


# --- Cadres ---------------------------------------------------------------------------------


cccd_validator = RegexValidator(r"^\d{12}$", "Số CCCD phải gồm đúng 12 chữ số (giữ cả số 0 ở đầu).")

# Current level per track, derived from the qualification history.
DERIVED_LEVEL_FIELDS = {
    Track.PROFESSIONAL: "professional_level",
    Track.POLITICAL_THEORY: "political_theory_level",
    Track.STATE_MANAGEMENT: "state_management_level",
    Track.DEFENCE_SECURITY: "defence_security_level",
    Track.IT: "it_level",
    Track.FOREIGN_LANGUAGE: "foreign_language_level",
}
# Every level a cadre record holds: the typed general education and the derived ones.
LEVEL_FIELDS = ["general_education", *DERIVED_LEVEL_FIELDS.values()]


def level_field(track: str | None, verbose_name: str, **kwargs) -> models.ForeignKey:
    """An optional link to a qualification level, of one track when ``track`` is given; used by
    the cadre's levels, the positions' standards and the training programmes alike."""
    if track:
        kwargs.setdefault("limit_choices_to", {"track": track})
    return models.ForeignKey(
        QualificationLevel,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


class CadreQuerySet(models.QuerySet):
    # Up to this many units (a district: about 1,300 at province scale) a subtree is passed as a
    # list of ids: the query stays on one table, so PostgreSQL answers MIN/MAX (the admin's date
    # hierarchy) and ordered pages from an index instead of joining every cadre to its unit.
    SUBTREE_ID_LIST_LIMIT = 5000

    def in_unit(self, unit: Unit, descendants: bool = True) -> CadreQuerySet:
        if not descendants:
            return self.filter(unit=unit)
        ids = list(
            Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)[
                : self.SUBTREE_ID_LIST_LIMIT + 1
            ]
        )
        if len(ids) <= self.SUBTREE_ID_LIST_LIMIT:
            return self.filter(unit_id__in=ids)
        return self.filter(unit__path__startswith=unit.path)

    def visible_to(self, user) -> CadreQuerySet:
        """The cadres a user may see: those of the units :meth:`UnitQuerySet.visible_to` gives."""
        return self.filter(unit_scope(user, "unit"))

    def women(self) -> CadreQuerySet:
        return self.filter(gender=Gender.FEMALE)

    def ethnic_minority(self) -> CadreQuerySet:
        return self.exclude(ethnicity__code=Ethnicity.KINH_CODE)

    def born_after(self, day: date) -> CadreQuerySet:
        return self.filter(birth_date__gt=day)

    def retiring_between(self, start: date, end: date) -> CadreQuerySet:
        return self.filter(retirement_date__range=(start, end))

    def dates(self, field_name: str, kind: str, order: str = "ASC"):
        """Years for the admin's date hierarchy from the MIN and MAX of the (indexed) date, two
        index lookups, instead of Django's DISTINCT over every cadre (a full scan at 1M rows).
        A year in the range without any cadre still appears; its page is simply empty."""
        if kind != "year":
            return super().dates(field_name, kind, order)
        # Bounds of the whole table (two index probes), also under filters: over a filtered set
        # MIN/MAX would read every matching row (0.7 s for a district at 1M cadres).
        everything = self.model._default_manager.using(self.db)
        bounds = everything.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return []
        years = [date(year, 1, 1) for year in range(bounds["first"].year, bounds["last"].year + 1)]
        return years if order == "ASC" else years[::-1]

    def employed_on(self, on: date) -> CadreQuerySet:
        return self.filter(employed_on_q(on))

    def qualified_on(self, level: QualificationLevel, on: date) -> CadreQuerySet:
        return self.filter(qualified_on_q(level, on))

    def holding_key_position(self, level: str, on: date) -> CadreQuerySet:
        return self.filter(key_position_q(level, on))

    def search(self, term: str, cccd: bool = True) -> CadreQuerySet:
        """Accent- and case-free search on names; digits search the CCCD. On PostgreSQL both
        columns carry trigram indexes, so ``LIKE '%…%'`` does not scan the table. With
        ``cccd=False`` (users who see CCCDs masked) digits find nobody."""
        queryset = self
        for word in fold(term).split():
            if word.isdigit() and not cccd:
                return queryset.none()
            if word.isdigit():
                queryset = queryset.filter(cccd__contains=word)
            else:
                queryset = queryset.filter(search_name__contains=word)
        return queryset

    # The list's order (full name, then id) for search results, written as an expression that
    # the (full_name, id) index cannot serve. Otherwise PostgreSQL may walk that index filtering
    # every row until 50 match: cheap if matches were spread evenly, but a name search matches a
    # surname, and a surname's cadres sit together in name order. "luong van" at 1M cadres: 1.3 s
    # walking the index up to the L block, 28 ms taking the 2,479 matches from the trigram index
    # and sorting them (bench/RESULTS.md).
    SEARCH_ORDERING = [Concat("full_name", Value("")).asc(), "id"]

    def refresh_current_levels(self, chunk: int = 5000) -> None:
        """Recompute the derived levels of every cadre here, in a few queries per chunk."""
        ids = list(self.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            rows = Qualification.objects.filter(cadre_id__in=part).select_related("level")
            by_cadre: dict[int, list[Qualification]] = {pk: [] for pk in part}
            for qualification in rows:
                by_cadre[qualification.cadre_id].append(qualification)
            # Few distinct combinations of levels exist, so one UPDATE per combination is far
            # cheaper than bulk_update's CASE over every row.
            groups: dict[tuple, list[int]] = {}
            for pk, found in by_cadre.items():
                values = current_levels(found)
                key = tuple((k, getattr(v, "pk", v)) for k, v in values.items())
                groups.setdefault(key, []).append(pk)
            for key, pks in groups.items():
                values = {k if k == "professional_major" else f"{k}_id": v for k, v in key}
                Cadre.objects.filter(pk__in=pks).update(**values)


# Conditions on a cadre at a date, as Q objects so that reports can count several of them in one
# aggregate (Count(filter=...)) and the admin list filters apply the very same conditions.


def employed_on_q(on: date) -> Q:
    """In post on ``on``. The record keeps only the current unit and category (no unit history),
    so a cadre counts in the current unit from the day he or she joined it (``work_start_date``,
    else ``recruitment_date``; neither known: always) until the statutory retirement date."""
    return (
        Q(work_start_date__lte=on)
        | Q(work_start_date__isnull=True, recruitment_date__lte=on)
        | Q(work_start_date__isnull=True, recruitment_date__isnull=True)
    ) & (Q(retirement_date__isnull=True) | Q(retirement_date__gt=on))


def qualified_on_q(level: QualificationLevel, on: date) -> Q:
    """Holds, on ``on``, a qualification of ``level``'s track at that level or higher."""
    held = Qualification.objects.obtained_by(on).filter(
        cadre=OuterRef("pk"), level__track=level.track, level__rank__gte=level.rank
    )
    return Q(Exists(held))


def key_position_q(level: str, on: date) -> Q:
    """Holds, on ``on``, an appointment to a key position (chủ chốt) of ``level``."""
    # An uncorrelated IN: PostgreSQL hashes the few holders once, where a correlated EXISTS
    # was probed once per cadre (about 1.5 s of the shares report at 1M cadres).
    held = Appointment.objects.active(on).filter(position__is_key=True, position__level=level)
    return Q(pk__in=held.values("cadre_id"))


class Cadre(TrackedModel):
    """A person on the register, with the fields of the 2C CV forms (2C/TCTW-98, 2C-BNV/2008)."""

    # 1. Identity
    full_name = models.CharField("họ và tên", max_length=150)
    other_names = models.CharField("tên gọi khác", max_length=150, blank=True)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    place_of_birth = models.CharField("nơi sinh", max_length=255, blank=True)
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    permanent_residence = models.CharField("nơi đăng ký thường trú", max_length=255, blank=True)
    current_residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    ethnicity = models.ForeignKey(
        Ethnicity, verbose_name="dân tộc", on_delete=models.PROTECT, related_name="cadres"
    )
    religion = models.ForeignKey(
        Religion,
        verbose_name="tôn giáo",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
    )
    cccd = models.CharField(
        "số CCCD",
        max_length=12,
        unique=True,
        validators=[cccd_validator],
        error_messages={"unique": "Số CCCD này đã có trong hồ sơ của người khác."},
    )
    cccd_issued_on = models.DateField("ngày cấp CCCD", null=True, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    family_origin = models.CharField("thành phần gia đình xuất thân", max_length=100, blank=True)
    occupation_before = models.CharField(
        "nghề nghiệp trước khi được tuyển dụng", max_length=255, blank=True
    )

    # 2. Work
    category = models.CharField("đối tượng", max_length=30, choices=Category.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị công tác", on_delete=models.PROTECT, related_name="cadres"
    )
    job_title = models.CharField(
        "chức vụ, chức danh hiện tại (ghi trên 2C)", max_length=255, blank=True
    )
    recruitment_date = models.DateField("ngày được tuyển dụng", null=True, blank=True)
    recruiting_agency = models.CharField("cơ quan tuyển dụng", max_length=255, blank=True)
    work_start_date = models.DateField("ngày vào cơ quan hiện nay", null=True, blank=True)
    revolution_date = models.DateField("ngày tham gia cách mạng", null=True, blank=True)
    mass_organisation = models.CharField(
        "tham gia tổ chức chính trị - xã hội", max_length=255, blank=True
    )
    enlisted_on = models.DateField("ngày nhập ngũ", null=True, blank=True)
    discharged_on = models.DateField("ngày xuất ngũ", null=True, blank=True)
    military_rank = models.CharField("quân hàm cao nhất", max_length=100, blank=True)
    main_duty = models.TextField("công việc chính được giao", blank=True)
    strengths = models.CharField("sở trường công tác", max_length=255, blank=True)

    # 3. Party
    party_join_date = models.DateField("ngày vào Đảng", null=True, blank=True)
    party_official_date = models.DateField("ngày chính thức", null=True, blank=True)
    party_position = models.CharField("chức vụ Đảng", max_length=255, blank=True)

    # 4. Education and training (current levels are derived from the qualification history)
    general_education = level_field(Track.GENERAL_EDUCATION, "giáo dục phổ thông")
    academic_title = models.CharField("học hàm", max_length=100, blank=True)
    professional_level = level_field(Track.PROFESSIONAL, "chuyên môn", editable=False)
    professional_major = models.CharField(
        "chuyên ngành", max_length=255, blank=True, editable=False
    )
    political_theory_level = level_field(
        Track.POLITICAL_THEORY, "lý luận chính trị", editable=False
    )
    state_management_level = level_field(Track.STATE_MANAGEMENT, "quản lý nhà nước", editable=False)
    defence_security_level = level_field(
        Track.DEFENCE_SECURITY, "quốc phòng - an ninh", editable=False
    )
    it_level = level_field(Track.IT, "tin học", editable=False)
    foreign_language_level = level_field(Track.FOREIGN_LANGUAGE, "ngoại ngữ", editable=False)

    # 5. Rank and salary (the history is in SalaryStep; these are the current values)
    civil_service_rank = models.CharField("ngạch công chức, viên chức", max_length=150, blank=True)
    civil_service_rank_code = models.CharField("mã ngạch", max_length=20, blank=True)
    salary_step = models.PositiveSmallIntegerField("bậc lương", null=True, blank=True)
    salary_coefficient = models.DecimalField(
        "hệ số lương", max_digits=5, decimal_places=2, null=True, blank=True
    )
    salary_since = models.DateField("ngày hưởng", null=True, blank=True)
    position_allowance = models.DecimalField(
        "phụ cấp chức vụ", max_digits=5, decimal_places=2, null=True, blank=True
    )

    # 6. Health, honours, background
    health = models.CharField("tình trạng sức khỏe", max_length=100, blank=True)
    height_cm = models.PositiveSmallIntegerField("chiều cao (cm)", null=True, blank=True)
    weight_kg = models.PositiveSmallIntegerField("cân nặng (kg)", null=True, blank=True)
    blood_type = models.CharField("nhóm máu", max_length=5, blank=True)
    honours = models.CharField("danh hiệu được phong tặng", max_length=255, blank=True)
    war_invalid = models.CharField(
        "thương binh hạng / gia đình chính sách", max_length=150, blank=True
    )
    personal_history = models.TextField(
        "đặc điểm lịch sử bản thân",
        blank=True,
        help_text="Bị bắt, bị tù, làm việc trong chế độ cũ... (mẫu 2C).",
    )
    foreign_relations = models.TextField("quan hệ với nước ngoài", blank=True)
    economic_situation = models.TextField("hoàn cảnh kinh tế gia đình", blank=True)
    notes = models.TextField("ghi chú", blank=True)

    # Derived
    retirement_date = models.DateField(
        "ngày nghỉ hưu theo luật", editable=False, null=True, db_index=True
    )
    search_name = models.CharField(max_length=320, editable=False)

    objects = CadreQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = "cán bộ"
        verbose_name_plural = "hồ sơ cán bộ"
        # Checked through IMPORT_EXPORT_IMPORT/EXPORT_PERMISSION_CODE (cadres.import_admin).
        permissions = [
            ("import_cadre", "Được nhập hồ sơ cán bộ từ tệp"),
            ("export_cadre", "Được xuất hồ sơ cán bộ ra tệp"),
        ]
        indexes = [
            models.Index(fields=["unit", "full_name"], name="cadres_cadre_unit_name"),
            # Matches the ordering: the first page and deep pages read the index in order.
            models.Index(fields=["full_name", "id"], name="cadres_cadre_name_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_official_date__isnull=True)
                | Q(
                    party_join_date__isnull=False,
                    party_official_date__gt=models.F("party_join_date"),
                ),
                name="%(app_label)s_%(class)s_party_dates_in_order",
                violation_error_message="Ngày chính thức phải sau ngày vào Đảng.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_date:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("admin:cadres_cadre_change", args=[self.pk])

    def clean(self) -> None:
        errors = cadre_date_errors(self, on=timezone.localdate())
        if errors:
            raise ValidationError(errors)

    def derive_fields(self) -> None:
        """Fill the stored derived fields; bulk writers call it since bulk_create skips save()."""
        self.search_name = fold(f"{self.full_name} {self.other_names}")
        self.retirement_date = (
            retirement.retirement_date(self.gender, self.birth_date)
            if self.birth_date and self.gender
            else None
        )

    # Derived values, computed on a given day.
    def age_on(self, on: date) -> int:
        return retirement.age_on(self.birth_date, on)

    def party_years_on(self, on: date) -> int | None:
        if self.party_join_date is None:
            return None
        return retirement.age_on(self.party_join_date, on)

    def current_appointments(self, on: date) -> list[Appointment]:
        appointments = self.appointments.select_related("position", "unit")  # str() names both
        return [a for a in appointments if a.is_active(on)]

    def refresh_current_levels(self) -> None:
        """Set each derived level to the highest one reached in the qualification history."""
        values = current_levels(Qualification.objects.filter(cadre=self).select_related("level"))
        for field, value in values.items():
            setattr(self, field, value)
        Cadre.objects.filter(pk=self.pk).update(**values)


def current_levels(qualifications) -> dict:
    """The highest level reached per track (and the major of the highest professional one)."""
    best: dict[str, Qualification] = {}
    for qualification in qualifications:
        current = best.get(qualification.level.track)
        if current is None or qualification.level.rank > current.level.rank:
            best[qualification.level.track] = qualification
    values: dict = {
        field: best[track].level if track in best else None
        for track, field in DERIVED_LEVEL_FIELDS.items()
    }
    professional = best.get(Track.PROFESSIONAL)
    values["professional_major"] = professional.major if professional else ""
    return values


def cadre_date_errors(cadre: Cadre, on: date) -> dict[str, str]:
    """Plausibility and order of a cadre's own dates; Vietnamese messages keyed by field."""
    errors: dict[str, str] = {}
    born = cadre.birth_date
    if born is None:
        return errors
    if born > on or retirement.age_on(born, on) > 100:
        errors["birth_date"] = (
            "Ngày sinh không hợp lý (phải trong vòng 100 năm qua và không ở tương lai)."
        )
        return errors
    # Điều lệ Đảng: admission from 18 years of age.
    if cadre.party_join_date and retirement.age_on(born, cadre.party_join_date) < 18:
        errors["party_join_date"] = "Ngày vào Đảng phải từ khi đủ 18 tuổi."
    if cadre.party_official_date and not cadre.party_join_date:
        errors["party_join_date"] = "Có ngày chính thức thì phải có ngày vào Đảng."
    elif cadre.party_official_date and cadre.party_official_date <= cadre.party_join_date:
        errors["party_official_date"] = "Ngày chính thức phải sau ngày vào Đảng."
    for field in ("recruitment_date", "work_start_date", "revolution_date", "enlisted_on"):
        value = getattr(cadre, field)
        if value and retirement.age_on(born, value) < 15:
            errors[field] = "Ngày này phải sau khi đủ 15 tuổi."
        elif value and value > on:
            errors[field] = "Ngày này không được ở tương lai."
    if cadre.discharged_on and cadre.enlisted_on and cadre.discharged_on < cadre.enlisted_on:
        errors["discharged_on"] = "Ngày xuất ngũ phải sau ngày nhập ngũ."
    return errors


# --- Histories ------------------------------------------------------------------------------


class CadreRecord(TrackedModel):
    """A row of one of the repeating tables of the 2C form."""

    cadre = models.ForeignKey(Cadre, verbose_name="cán bộ", on_delete=models.CASCADE)

    class Meta:
        abstract = True


class Period(models.Model):
    """From/to dates; an open end means "until now"."""

    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})

    def is_active(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class AppointmentQuerySet(models.QuerySet):
    def active(self, on: date) -> AppointmentQuerySet:
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Appointment(CadreRecord, Period):
    position = models.ForeignKey(Position, verbose_name="chức danh", on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT)
    concurrent = models.BooleanField("kiêm nhiệm", default=False)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        default_related_name = "appointments"
        verbose_name = "bổ nhiệm, bầu cử"
        verbose_name_plural = "quá trình giữ chức vụ"

    def __str__(self) -> str:
        return f"{self.position} – {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.cadre_id and self.position_id and self.start_date and self.overlapping().exists():
            raise ValidationError(
                {"start_date": "Đã có một lần giữ chức danh này trùng thời gian."}
            )

    def overlapping(self) -> models.QuerySet[Appointment]:
        """Other appointments of the same cadre to the same position whose periods overlap."""
        others = Appointment.objects.filter(cadre_id=self.cadre_id, position_id=self.position_id)
        others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.exclude(pk=self.pk)


class WorkHistory(CadreRecord, Period):
    position_title = models.CharField("chức danh, chức vụ", max_length=255)
    organisation = models.CharField("đơn vị công tác", max_length=255)

    class Meta:
        ordering = ["start_date"]
        default_related_name = "work_history"
        verbose_name = "quá trình công tác"
        verbose_name_plural = "tóm tắt quá trình công tác"
        permissions = [
            ("import_workhistory", "Được nhập quá trình công tác từ tệp"),
            ("export_workhistory", "Được xuất quá trình công tác ra tệp"),
        ]

    def __str__(self) -> str:
        return f"{self.position_title}, {self.organisation}"


class QualificationQuerySet(models.QuerySet):
    def obtained_by(self, on: date) -> QualificationQuerySet:
        """Obtained on or before ``on``: by ``end_date`` when recorded; otherwise only the year is
        known, and the qualification counts from the last day of ``year_obtained``."""
        last_full_year = on.year if (on.month, on.day) == (12, 31) else on.year - 1
        return self.filter(
            Q(end_date__lte=on) | Q(end_date__isnull=True, year_obtained__lte=last_full_year)
        )


class Qualification(CadreRecord):
    """A degree or certificate obtained; the cadre's current level per track follows from these."""

    level = models.ForeignKey(QualificationLevel, verbose_name="trình độ", on_delete=models.PROTECT)
    major = models.CharField("chuyên ngành", max_length=255, blank=True)
    institution = models.CharField("tên trường, cơ sở đào tạo", max_length=255, blank=True)
    mode = models.CharField("hình thức", max_length=20, choices=StudyMode.choices, blank=True)
    start_date = models.DateField("từ ngày", null=True, blank=True)
    end_date = models.DateField("đến ngày", null=True, blank=True)
    year_obtained = models.PositiveSmallIntegerField("năm tốt nghiệp, cấp bằng")
    certificate = models.CharField("văn bằng, chứng chỉ", max_length=255, blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["year_obtained"]
        default_related_name = "qualifications"
        verbose_name = "văn bằng, chứng chỉ"
        verbose_name_plural = "đào tạo, bồi dưỡng (văn bằng, chứng chỉ)"
        permissions = [
            ("import_qualification", "Được nhập văn bằng, chứng chỉ từ tệp"),
            ("export_qualification", "Được xuất văn bằng, chứng chỉ ra tệp"),
        ]

    def __str__(self) -> str:
        return f"{self.level.get_track_display()}: {self.level}"

    # The cadre's current levels are a denormalised summary of these rows (they feed list
    # filters and planning readiness), so every write here keeps them in step at once.
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.cadre.refresh_current_levels()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.cadre.refresh_current_levels()
        return result

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})
        if self.cadre_id and self.year_obtained and self.year_obtained < self.cadre.birth_date.year:
            raise ValidationError({"year_obtained": "Năm cấp bằng phải sau năm sinh."})


class SalaryStep(CadreRecord):
    effective_date = models.DateField("từ ngày")
    rank_name = models.CharField("ngạch", max_length=150, blank=True)
    rank_code = models.CharField("mã ngạch", max_length=20, blank=True)
    step = models.PositiveSmallIntegerField("bậc", null=True, blank=True)
    coefficient = models.DecimalField("hệ số", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["effective_date"]
        default_related_name = "salary_steps"
        verbose_name = "diễn biến lương"
        verbose_name_plural = "quá trình lương"

    def __str__(self) -> str:
        return f"{self.effective_date:%m/%Y}: {self.coefficient}"


class Evaluation(CadreRecord):
    year = models.PositiveSmallIntegerField("năm")
    result = models.CharField("kết quả", max_length=20, choices=EvaluationResult.choices)

    class Meta:
        ordering = ["-year"]
        default_related_name = "evaluations"
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "kết quả đánh giá, xếp loại hằng năm"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message="Năm này đã có kết quả đánh giá.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_result_display()}"


class Reward(CadreRecord):
    awarded_on = models.DateField("ngày")
    form = models.CharField("hình thức khen thưởng", max_length=255)
    issuer = models.CharField("cấp quyết định", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)

    class Meta:
        ordering = ["-awarded_on"]
        default_related_name = "rewards"
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"

    def __str__(self) -> str:
        return self.form


class Discipline(CadreRecord):
    """A disciplinary measure with its period: once ``effective_until`` has passed it no longer
    bars planning (Quy định 377-QĐ/TW's exceptions for expired discipline)."""

    form = models.CharField("hình thức kỷ luật", max_length=20, choices=DisciplineForm.choices)
    decided_on = models.DateField("ngày quyết định")
    effective_until = models.DateField(
        "hết thời hạn ngày", null=True, blank=True, help_text="Để trống nếu chưa có thời hạn."
    )
    reason = models.TextField("lý do", blank=True)
    issuer = models.CharField("cấp quyết định", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        default_related_name = "disciplines"
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.decided_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.decided_on and self.effective_until and self.effective_until < self.decided_on:
            raise ValidationError(
                {"effective_until": "Ngày hết thời hạn phải sau ngày quyết định."}
            )

    def in_force(self, on: date) -> bool:
        return self.decided_on <= on and (
            self.effective_until is None or self.effective_until >= on
        )


class FamilyRelation(CadreRecord):
    side = models.CharField(
        "thuộc", max_length=10, choices=FamilySide.choices, default=FamilySide.OWN
    )
    relation = models.CharField("quan hệ", max_length=50)
    full_name = models.CharField("họ và tên", max_length=150)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=255, blank=True)
    residence = models.CharField("nơi ở", max_length=255, blank=True)
    party_member = models.BooleanField("đảng viên", default=False)
    notes = models.TextField("quê quán, đơn vị công tác, lịch sử chính trị", blank=True)

    class Meta:
        ordering = ["side", "id"]
        default_related_name = "family_relations"
        verbose_name = "quan hệ gia đình"
        verbose_name_plural = "quan hệ gia đình"

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"


# --- Access and audit -----------------------------------------------------------------------


class Role(models.TextChoices):
    """What a user may do; the permissions of each role are computed in :mod:`cadres.roles`."""

    ADMINISTRATOR = "administrator", "Quản trị Ban Tổ chức huyện"
    SPECIALIST = "specialist", "Chuyên viên Ban Tổ chức huyện"
    COMMUNE = "commune", "Cán bộ xã"
    INSPECTOR = "inspector", "Thanh tra, kiểm tra của tỉnh"


# Roles that see every unit of the district; a commune user sees only their own units.
DISTRICT_WIDE_ROLES = (Role.ADMINISTRATOR, Role.SPECIALIST, Role.INSPECTOR)


class StaffAssignment(TrackedModel):
    """A user's role, and for commune staff the unit whose cadres they keep. A user may hold
    several assignments (a commune officer covering two communes); the widest one wins."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="staff_assignments",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị phụ trách",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
        help_text="Bắt buộc với cán bộ xã: chỉ xem và sửa được cán bộ của đơn vị này "
        "(và các đơn vị đã sáp nhập vào nó).",
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = "phân công người dùng"
        verbose_name_plural = "phân công người dùng"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="%(app_label)s_%(class)s_unique_assignment",
                violation_error_message="Người dùng này đã được phân công như vậy.",
            ),
            models.CheckConstraint(
                condition=~Q(role="commune") | Q(unit__isnull=False),
                name="%(app_label)s_%(class)s_commune_needs_unit",
                violation_error_message="Cán bộ xã phải được gắn với một đơn vị.",
            ),
        ]

    def __str__(self) -> str:
        where = f" – {self.unit}" if self.unit_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"


class ExportLog(models.Model):
    """One export or report download: who took which data out, and how many rows."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name="người dùng",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    what = models.CharField("dữ liệu", max_length=255)
    count = models.PositiveIntegerField("số dòng", default=0)
    path = models.CharField("địa chỉ", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "nhật ký xuất dữ liệu"
        verbose_name_plural = "nhật ký xuất dữ liệu"

    def __str__(self) -> str:
        return f"{self.user} – {self.what} ({self.count}) {self.at:%d/%m/%Y %H:%M}"


def visible_unit_paths(user) -> list[str] | None:
    """The tree paths a user may see under, or ``None`` for the whole district.

    A commune user sees each assigned unit, everything under it, and every unit that was merged
    into it (their cadres' records follow the commune that took the old one over). Someone with
    no assignment sees nothing. Cached on the user object for the length of a request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_visible_unit_paths", False)
    if cached is not False:
        return cached
    assignments = list(StaffAssignment.objects.filter(user=user).values_list("role", "unit_id"))
    if any(role in DISTRICT_WIDE_ROLES for role, _ in assignments):
        paths = None
    else:
        unit_ids = {unit_id for role, unit_id in assignments if role == Role.COMMUNE and unit_id}
        frontier = set(unit_ids)
        while frontier:
            found = set(
                UnitSuccession.objects.filter(successor_id__in=frontier).values_list(
                    "predecessor_id", flat=True
                )
            )
            frontier = found - unit_ids
            unit_ids |= frontier
        paths = sorted(Unit.objects.filter(pk__in=unit_ids).values_list("path", flat=True))
    user._visible_unit_paths = paths
    return paths


def unit_scope(user, unit_lookup: str) -> Q:
    """A filter keeping the rows whose unit (reached through ``unit_lookup``, e.g. ``"unit"``,
    ``"cadre__unit"``, or ``""`` for units themselves) the user may see."""
    paths = visible_unit_paths(user)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    field = f"{unit_lookup}__path__startswith" if unit_lookup else "path__startswith"
    scope = Q()
    for path in paths:
        scope |= Q(**{field: path})
    return scope


def role_of(user) -> str | None:
    """The widest role a user holds (superusers count as administrators)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    cached = getattr(user, "_role", False)
    if cached is False:
        roles = set(StaffAssignment.objects.filter(user=user).values_list("role", flat=True))
        cached = user._role = next((role for role in Role.values if role in roles), None)
    return cached


# Audit: every save and delete through the ORM's instance methods (admin, import, commands)
# writes a historical row with who, when and every field; the admin shows the differences.
# bulk_create/bulk_update/QuerySet.update bypass it: see cadres/audit.py.
for _model, _excluded in [
    (Unit, ["path", "depth", "name_key"]),
    (Position, []),
    (Cadre, ["search_name"]),
    (Appointment, []),
    (WorkHistory, []),
    (Qualification, []),
    (SalaryStep, []),
    (Evaluation, []),
    (Reward, []),
    (Discipline, []),
    (FamilyRelation, []),
    (StaffAssignment, []),
]:
    register_history(_model, excluded_fields=_excluded, cascade_delete_history=False)


# --- Import log -----------------------------------------------------------------------------


class ImportBatch(models.Model):
    """One uploaded file: previewed, then imported as a whole (and undoable while nothing has
    changed the records since), or abandoned. ``undo`` keeps what restoring needs: the ids of
    created rows and the previous values of changed ones."""

    model = models.CharField("dữ liệu", max_length=100, help_text="app_label.model")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    imported_at = models.DateTimeField("nhập lúc", null=True, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    wipe_empty = models.BooleanField("ô trống xóa giá trị cũ", default=False)
    new = models.PositiveIntegerField("thêm mới", default=0)
    updated = models.PositiveIntegerField("cập nhật", default=0)
    unchanged = models.PositiveIntegerField("không đổi", default=0)
    rejected = models.PositiveIntegerField("bị từ chối", default=0)
    # The uploaded file between preview and confirm (a private file name, see cadres.importing).
    stored_file = models.CharField(max_length=100, blank=True, editable=False)
    rejected_rows = models.JSONField(default=list, blank=True, editable=False)
    undo = models.JSONField(default=dict, blank=True, editable=False)
    undone_at = models.DateTimeField("hoàn tác lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "nhật ký nhập dữ liệu"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"


class BackgroundJob(models.Model):
    """An import or export run by the task worker (``cadres.tasks``): who asked, how far it
    got (rows done of total, written as it goes) and its outcome: the counts of an import,
    the file of an export (kept private, downloadable only by the user who asked), or the
    error. ``attempt`` grows with each retry; a task of an earlier attempt does nothing."""

    kind = models.CharField("loại", max_length=10, choices=JobKind.choices)
    title = models.CharField("nội dung", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("tổng số dòng", default=0)
    rows_done = models.PositiveIntegerField("số dòng đã xử lý", default=0)
    attempt = models.PositiveSmallIntegerField("lần chạy", default=1)
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("cập nhật tiến độ lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="lần nhập",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    # Export: which admin list, its filters (the query string) and the layout.
    params = models.JSONField(default=dict, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    result_file = models.CharField(max_length=100, blank=True, editable=False)
    result_name = models.CharField("tệp kết quả", max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền (nhập, xuất lớn)"

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    def may_retry(self, now) -> bool:
        """Failed, or still marked running/queued with no sign of life for
        BACKGROUND_JOB_STALE_MINUTES (its worker died: the import's transaction rolled back);
        an import only while its upload is kept (``cleanup_imports`` gives it up later)."""
        if self.import_batch_id is not None and self.import_batch.status != ImportStatus.QUEUED:
            return False
        if self.status == JobStatus.FAILED:
            return True
        last = self.last_seen()
        stale = timedelta(minutes=settings.BACKGROUND_JOB_STALE_MINUTES)
        return self.is_active and last is not None and now - last > stale

    def last_seen(self):
        """When the job last showed life: it failed, reported progress, started or was queued."""
        return self.finished_at or self.heartbeat_at or self.started_at or self.created_at

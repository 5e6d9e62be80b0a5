"""The cadre record: the identity and current-level fields of the 2C form."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, router
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone

from cadres import retirement
from cadres.choices import (
    Category,
    Gender,
    Standing,
    Track,
)
from cadres.models.histories import (
    Appointment,
    Qualification,
    WorkHistory,
    obtained_on_expression,
)
from cadres.models.reference import (
    Ethnicity,
    QualificationLevel,
    Religion,
    RetirementAge,
    retirement_dates,
)
from cadres.models.units import Unit, UnitResolver, UnitScopedQuerySet
from core import dashboard
from core.models import TrackedModel
from core.text import fold, fold_once

# --- Cadres ---------------------------------------------------------------------------------


cccd_validator = RegexValidator(r"^\d{12}$", "Số CCCD phải gồm đúng 12 chữ số (giữ cả số 0 ở đầu).")
# Django compiles a validator's pattern on first use and reaches it through a lazy proxy on
# every call (5 µs, about 2% of an imported row); compiled here, it is the same check.
cccd_validator.regex = re.compile(cccd_validator.regex.pattern)

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


def since_field(track_name: str) -> models.DateField:
    return models.DateField(f"ngày đạt trình độ {track_name} hiện tại", null=True, editable=False)


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


class CadreQuerySet(UnitScopedQuerySet):
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

    def women(self) -> CadreQuerySet:
        return self.filter(gender=Gender.FEMALE)

    def ethnic_minority(self) -> CadreQuerySet:
        return self.exclude(ethnicity__code=Ethnicity.KINH_CODE)

    def born_after(self, day: date) -> CadreQuerySet:
        return self.filter(birth_date__gt=day)

    def retiring_between(self, start: date, end: date) -> CadreQuerySet:
        return self.filter(retirement_date__range=(start, end))

    def employed_on(self, on: date) -> CadreQuerySet:
        return self.filter(employed_on_q(on))

    def qualified_on(self, level: QualificationLevel, on: date) -> CadreQuerySet:
        return self.filter(qualified_on_q(level, on))

    def holding_key_position(self, level: str, on: date) -> CadreQuerySet:
        return self.filter(key_position_q(level, on))

    def units_on(self, on: date) -> dict[int, int | None]:
        """The unit each cadre here worked in on ``on``, as ``{cadre id: unit id}``: the unit
        of an appointment held that day (the main post before a concurrent one), else the
        organisation of the work-history row of that day resolved as a unit on that day (its
        text up to the first comma: "Xã Tú Đoạn, huyện Lộc Bình"), else the current unit. A
        report for a past period counts people where they were then. Three queries, and the unit
        tree only when a work-history row is read."""
        units = dict(self.values_list("pk", "unit_id"))
        held = Appointment.objects.filter(cadre_id__in=list(units)).active(on)
        found = dict(held.order_by("-concurrent", "start_date").values_list("cadre_id", "unit_id"))
        rows = WorkHistory.objects.filter(cadre_id__in=set(units) - set(found))
        rows = rows.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
        resolver = None  # the whole unit tree, loaded only when a row needs it
        for cadre_id, organisation in rows.order_by("start_date").values_list(
            "cadre_id", "organisation"
        ):
            resolver = resolver or UnitResolver(on)
            unit = resolver.resolve(organisation.split(",")[0], on)
            if unit is not None:
                found[cadre_id] = unit.pk
        return {**units, **found}

    # Records missing a part of the 2C form, for the commune's to-do list (the dashboard) and
    # the cadre list's "missing" filter: one definition, two readers.
    def without_qualifications(self) -> CadreQuerySet:
        return self.exclude(Exists(Qualification.objects.filter(cadre=OuterRef("pk"))))

    def without_work_history(self) -> CadreQuerySet:
        return self.exclude(Exists(WorkHistory.objects.filter(cadre=OuterRef("pk"))))

    def without_evaluation(self, year: int) -> CadreQuerySet:
        """No annual evaluation (đánh giá, xếp loại) recorded for ``year``."""
        from cadres.models.histories import Evaluation

        return self.exclude(Exists(Evaluation.objects.filter(cadre=OuterRef("pk"), year=year)))

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
                key = tuple(
                    (k, getattr(v, "pk", v)) for k, v in values.items() if not k.endswith("_since")
                )
                groups.setdefault(key, []).append(pk)
            for key, pks in groups.items():
                values = {k if k == "professional_major" else f"{k}_id": v for k, v in key}
                Cadre.objects.filter(pk__in=pks).update(**values)
            Cadre.objects.filter(pk__in=part).refresh_level_dates()

    def refresh_level_dates(self) -> int:
        """Set the ``*_since`` days from the qualification history, in one UPDATE (the days
        differ from cadre to cadre, unlike the levels)."""
        return self.update(**level_date_subqueries(Qualification.objects.all()))

    def refresh_retirement_dates(self) -> int:
        """Recompute the statutory retirement date of every cadre here from the schedule in the
        table (after an administrator corrects it): one UPDATE per gender and month of birth,
        which all share one date, and the cached figures counting retirements are counted
        again. Returns the number of groups updated."""
        dashboard.changed(self.model._meta.app_label, using=router.db_for_write(self.model))
        schedule = RetirementAge.objects.schedule()
        groups = (
            self.filter(birth_date__isnull=False)
            .exclude(gender="")
            .annotate(year=ExtractYear("birth_date"), month=ExtractMonth("birth_date"))
            .values_list("gender", "year", "month")
            .distinct()
            .order_by()
        )
        count = 0
        for gender, year, month in list(groups):
            retires = retirement.retirement_date(gender, date(year, month, 1), schedule)
            self.filter(gender=gender, birth_date__year=year, birth_date__month=month).exclude(
                retirement_date=retires
            ).update(retirement_date=retires)
            count += 1
        return count


def level_date_subqueries(qualifications: models.QuerySet) -> dict[str, Subquery]:
    """``<level field>_since`` per derived level: the earliest day a qualification of the
    cadre's current level counts from (also used by the migration that added the columns)."""
    return {
        f"{field}_since": Subquery(
            qualifications.filter(cadre=OuterRef("pk"), level=OuterRef(field))
            .annotate(day=obtained_on_expression())
            .order_by("day")
            .values("day")[:1]
        )
        for field in DERIVED_LEVEL_FIELDS.values()
    }


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
    """Holds, on ``on``, a qualification of ``level``'s track at that level or higher.

    First from the cadre row: a current level high enough, obtained by ``on``, proves it (the
    derived level is the highest of the history, its day the earliest of that level). Only
    the others are looked up in the history: at 1M cadres the shares probed the history of
    160,000 people (about 1 s); now of the few thousand the row cannot settle."""
    held = Qualification.objects.obtained_by(on).filter(
        cadre=OuterRef("pk"), level__track=level.track, level__rank__gte=level.rank
    )
    field = DERIVED_LEVEL_FIELDS.get(level.track)
    if field is None:
        return Q(Exists(held))
    reached = QualificationLevel.objects.filter(track=level.track, rank__gte=level.rank)
    return Q(**{f"{field}__in": reached, f"{field}_since__lte": on}) | Q(Exists(held))


def key_position_q(level: str, on: date) -> Q:
    """Holds, on ``on``, an appointment to a key position (chủ chốt) of ``level``."""
    # An uncorrelated IN: PostgreSQL hashes the few holders once, where a correlated EXISTS
    # was probed once per cadre (about 1.5 s of the shares report at 1M cadres).
    held = Appointment.objects.active(on).filter(position__is_key=True, position__level=level)
    return Q(pk__in=held.values("cadre_id"))


class Cadre(TrackedModel):
    """A person on the register, with the fields of the 2C CV forms (2C/TCTW-98, 2C-BNV/2008)."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

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
    standing = models.CharField(
        "đương chức / dự nguồn",
        max_length=20,
        choices=Standing.choices,
        blank=True,
        help_text="Như danh sách cán bộ của huyện ghi (cán bộ đương chức và dự nguồn).",
    )
    key_cadre = models.BooleanField(
        "cán bộ chủ chốt (theo danh sách)",
        default=False,
        help_text="Đánh dấu trong danh sách của đơn vị; chức danh chủ chốt đang giữ thì xem ở "
        "quá trình giữ chức vụ.",
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
    # The day each current level was obtained (the earliest qualification of that level): with
    # it, "qualified on a day" is mostly answered from the cadre row (``qualified_on_q``).
    professional_level_since = since_field("chuyên môn")
    political_theory_level_since = since_field("lý luận chính trị")
    state_management_level_since = since_field("quản lý nhà nước")
    defence_security_level_since = since_field("quốc phòng - an ninh")
    it_level_since = since_field("tin học")
    foreign_language_level_since = since_field("ngoại ngữ")

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
    photo = models.ImageField(
        "ảnh 4x6",
        upload_to="cadres/photos/",
        blank=True,
        help_text="In vào ô ảnh của sơ yếu lý lịch 2C.",
    )

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
            # The qualification shares (report and dashboard) count a category in the units of a
            # level: on PostgreSQL an index-only scan of the columns they read, not of 1M rows.
            models.Index(
                fields=["category", "unit"],
                include=[
                    "id",
                    "work_start_date",
                    "recruitment_date",
                    "retirement_date",
                    "professional_level",
                    "professional_level_since",
                    "political_theory_level",
                    "political_theory_level_since",
                ],
                name="cadres_cadre_population",
            ),  # fmt: skip
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
        self.search_name = fold_once(f"{self.full_name} {self.other_names}")
        self.retirement_date = (
            retirement_dates().of(self.gender, self.birth_date)
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
    """The highest level reached per track (and the major of the highest professional one), and
    the day each was first obtained."""
    qualifications = list(qualifications)
    best: dict[str, Qualification] = {}
    for qualification in qualifications:
        current = best.get(qualification.level.track)
        if current is None or qualification.level.rank > current.level.rank:
            best[qualification.level.track] = qualification
    values: dict = {
        field: best[track].level if track in best else None
        for track, field in DERIVED_LEVEL_FIELDS.items()
    }
    for track, field in DERIVED_LEVEL_FIELDS.items():
        days = [
            q.obtained_on
            for q in qualifications
            if track in best and q.level_id == best[track].level_id and q.obtained_on
        ]
        values[f"{field}_since"] = min(days, default=None)
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

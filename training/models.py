"""Training: programmes and institutions, schemes and annual plans, needs, people sent to study,
classes of the political training centre with their attendances, service commitments and money.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from cadres.choices import Category, Track
from cadres.models import (
    Cadre,
    Position,
    Qualification,
    QualificationLevel,
    TrackedModel,
    Unit,
    cccd_validator,
)
from cadres.retirement import months_between
from training import commitment
from training.choices import (
    AttendanceResult,
    CandidateStatus,
    CourseTopic,
    DispatchMode,
    DispatchStatus,
    InstitutionKind,
    NeedClass,
    NeedClosure,
    NeedSource,
    NeedStatus,
    PlanStatus,
    ProgrammeTrack,
    RateBasis,
    Seat,
)

MONEY = {"max_digits": 14, "decimal_places": 0}


def level_fk(verbose_name: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        QualificationLevel,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )


# --- Reference data -----------------------------------------------------------------------


class Institution(TrackedModel):
    name = models.CharField("tên cơ sở đào tạo", max_length=255, unique=True)
    short_name = models.CharField("tên viết tắt", max_length=50, blank=True)
    kind = models.CharField("loại", max_length=40, choices=InstitutionKind.choices)
    place = models.CharField("địa điểm", max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "cơ sở đào tạo"
        verbose_name_plural = "cơ sở đào tạo"

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet):
    def reaching(self, level: QualificationLevel) -> ProgrammeQuerySet:
        """Programmes that grant ``level`` or a higher level of its track, lowest first."""
        return self.filter(
            grants_level__track=level.track, grants_level__rank__gte=level.rank
        ).order_by("grants_level__rank", "typical_months", "code")


class Programme(TrackedModel):
    """A programme a cadre can be sent to, with its eligibility limits as data."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên chương trình", max_length=255)
    track = models.CharField("lĩnh vực", max_length=30, choices=ProgrammeTrack.choices)
    grants_level = level_fk(
        "trình độ được cấp",
        help_text="Để trống với các lớp bồi dưỡng không cấp văn bằng, chứng chỉ trình độ.",
    )
    typical_months = models.PositiveSmallIntegerField(
        "thời gian học thường (tháng)", validators=[MinValueValidator(1)]
    )
    is_degree = models.BooleanField(
        "đào tạo cấp văn bằng",
        default=True,
        help_text="Người được cử đi đào tạo cấp văn bằng phải cam kết phục vụ sau khi học.",
    )
    max_age_at_dispatch = models.PositiveSmallIntegerField(
        "tuổi tối đa khi cử đi học", null=True, blank=True
    )
    min_general_education = level_fk(
        "trình độ phổ thông tối thiểu", limit_choices_to={"track": Track.GENERAL_EDUCATION}
    )
    prerequisite_level = level_fk("trình độ phải có trước")
    allowed_categories = models.CharField(
        "đối tượng được cử",
        max_length=255,
        blank=True,
        help_text="Để trống nếu mọi đối tượng; nếu không, các mã cách nhau bởi dấu phẩy "
        "(can_bo, cong_chuc, vien_chuc, khong_chuyen_trach).",
    )
    note = models.TextField("căn cứ, ghi chú", blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["track", "code"]
        verbose_name = "chương trình đào tạo"
        verbose_name_plural = "chương trình đào tạo, bồi dưỡng"

    def __str__(self) -> str:
        return self.name

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in self.allowed_categories.split(",") if c.strip()]

    def clean(self) -> None:
        unknown = set(self.category_list) - set(Category.values)
        if unknown:
            raise ValidationError(
                {"allowed_categories": f"Đối tượng không có: {', '.join(sorted(unknown))}."}
            )
        if self.track == ProgrammeTrack.REFRESHER and self.grants_level_id:
            raise ValidationError(
                {"grants_level": "Lớp bồi dưỡng không cấp trình độ; để trống ô này."}
            )


# --- Schemes and annual plans -------------------------------------------------------------


class TrainingScheme(TrackedModel):
    """A multi-year scheme (đề án), e.g. the district's 2021-2025 training scheme."""

    name = models.CharField("tên đề án", max_length=255)
    unit = models.ForeignKey(Unit, verbose_name="cấp ban hành", on_delete=models.PROTECT)
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = "đề án đào tạo"
        verbose_name_plural = "đề án đào tạo"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="%(app_label)s_%(class)s_years_in_order",
                violation_error_message="Năm kết thúc phải từ năm bắt đầu trở đi.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}-{self.end_year})"


class SchemeTarget(models.Model):
    scheme = models.ForeignKey(
        TrainingScheme, verbose_name="đề án", on_delete=models.CASCADE, related_name="targets"
    )
    programme = models.ForeignKey(Programme, verbose_name="chương trình", on_delete=models.PROTECT)
    target = models.PositiveIntegerField("chỉ tiêu cả đề án")

    class Meta:
        verbose_name = "chỉ tiêu đề án"
        verbose_name_plural = "chỉ tiêu theo chương trình"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "programme"],
                name="%(app_label)s_%(class)s_one_per_programme",
                violation_error_message="Chương trình này đã có chỉ tiêu trong đề án.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.target}"


class TrainingPlan(TrackedModel):
    """The annual training plan of a unit. Drafted from the open needs, edited and approved by
    people; nothing is sent anywhere automatically."""

    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT)
    scheme = models.ForeignKey(
        TrainingScheme,
        verbose_name="thuộc đề án",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    dispatch_on = models.DateField(
        "ngày dự kiến cử đi học",
        blank=True,
        help_text="Tuổi khi cử đi học được tính vào ngày này; để trống là ngày 01/9 của năm.",
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision_number = models.CharField("số quyết định phê duyệt", max_length=50, blank=True)
    approved_on = models.DateField("ngày phê duyệt", null=True, blank=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        verbose_name = "kế hoạch đào tạo năm"
        verbose_name_plural = "kế hoạch đào tạo năm"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="%(app_label)s_%(class)s_one_per_unit_and_year",
                violation_error_message="Đơn vị này đã có kế hoạch đào tạo của năm này.",
            ),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch đào tạo năm {self.year} – {self.unit}"

    def save(self, *args, **kwargs) -> None:
        if self.dispatch_on is None and self.year:
            self.dispatch_on = date(self.year, 9, 1)
        super().save(*args, **kwargs)

    def approve(self, on: date) -> int:
        """Approve the plan: proposed candidates become approved and their needs planned.
        Returns how many candidates were approved."""
        with transaction.atomic():
            candidates = PlanCandidate.objects.filter(
                line__plan=self, status__in=[CandidateStatus.PROPOSED, CandidateStatus.APPROVED]
            )
            approved = candidates.update(status=CandidateStatus.APPROVED)
            TrainingNeed.objects.filter(
                plan_candidates__in=candidates.filter(status=CandidateStatus.APPROVED),
                status=NeedStatus.OPEN,
            ).update(status=NeedStatus.PLANNED)
            self.status = PlanStatus.APPROVED
            self.approved_on = self.approved_on or on
            self.save(update_fields=["status", "approved_on", "updated_at"])
        return approved


class PlanLineQuerySet(models.QuerySet):
    def with_filled(self) -> PlanLineQuerySet:
        taken = [CandidateStatus.PROPOSED, CandidateStatus.APPROVED]
        return self.annotate(
            quota_filled=Count(
                "candidates",
                filter=Q(candidates__seat=Seat.QUOTA, candidates__status__in=taken),
            ),
            filled=Count("candidates", filter=Q(candidates__status__in=taken)),
        )

    def unfilled_quota(self) -> PlanLineQuerySet:
        """Lines where the quota handed down from above is not filled: the passive selection
        the district wants to end."""
        return self.with_filled().filter(quota__gt=models.F("quota_filled"))


class PlanLine(models.Model):
    plan = models.ForeignKey(
        TrainingPlan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="lines"
    )
    programme = models.ForeignKey(Programme, verbose_name="chương trình", on_delete=models.PROTECT)
    quota = models.PositiveIntegerField(
        "chỉ tiêu trên giao", default=0, help_text="Số suất cấp trên giao; được xếp người trước."
    )
    target = models.PositiveIntegerField(
        "chỉ tiêu kế hoạch",
        default=0,
        help_text="Tổng số người dự kiến cử, kể cả chỉ tiêu trên giao.",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="cơ sở đào tạo dự kiến",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )

    objects = PlanLineQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "programme__track", "programme__code"]
        verbose_name = "dòng kế hoạch"
        verbose_name_plural = "chỉ tiêu theo chương trình"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "programme"],
                name="%(app_label)s_%(class)s_one_per_programme",
                violation_error_message="Chương trình này đã có trong kế hoạch.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} – {self.programme}"

    @property
    def capacity(self) -> int:
        return max(self.target, self.quota)


class PlanCandidate(models.Model):
    """A cadre proposed on a plan line, with the draft's reasons; the user edits the status."""

    line = models.ForeignKey(
        PlanLine, verbose_name="dòng kế hoạch", on_delete=models.CASCADE, related_name="candidates"
    )
    cadre = models.ForeignKey(Cadre, verbose_name="cán bộ", on_delete=models.CASCADE)
    need = models.ForeignKey(
        "TrainingNeed",
        verbose_name="nhu cầu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_candidates",
    )
    order = models.PositiveSmallIntegerField("thứ tự ưu tiên", default=0)
    seat = models.CharField("suất", max_length=10, choices=Seat.choices, default=Seat.NONE)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=CandidateStatus.choices,
        default=CandidateStatus.PROPOSED,
    )
    reasons = models.TextField("lý do xếp hạng, điều kiện", blank=True)

    class Meta:
        ordering = ["line", "order"]
        verbose_name = "người được đề xuất"
        verbose_name_plural = "người được đề xuất cử đi học"
        constraints = [
            models.UniqueConstraint(
                fields=["line", "cadre"],
                name="%(app_label)s_%(class)s_once_per_line",
                violation_error_message="Cán bộ này đã có trong dòng kế hoạch.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} – {self.line.programme}"


# --- Needs --------------------------------------------------------------------------------


class TrainingNeedQuerySet(models.QuerySet):
    def open(self) -> TrainingNeedQuerySet:
        return self.filter(status=NeedStatus.OPEN)

    def from_gaps(self) -> TrainingNeedQuerySet:
        return self.filter(source=NeedSource.PLANNING_GAP)

    def in_unit(self, unit: Unit) -> TrainingNeedQuerySet:
        return self.filter(cadre__unit__path__startswith=unit.path)

    def without_plan(self, year: int) -> TrainingNeedQuerySet:
        """Open needs nobody has put on a plan of ``year`` (rejected proposals do not count)."""
        on_plan = PlanCandidate.objects.filter(line__plan__year=year).exclude(
            status=CandidateStatus.REJECTED
        )
        return self.open().exclude(pk__in=on_plan.filter(need__isnull=False).values("need"))

    def sync_from_gaps(self, gaps, on: date):
        from training.needs import sync_from_gaps

        return sync_from_gaps(gaps, on)


class TrainingNeed(TrackedModel):
    cadre = models.ForeignKey(
        Cadre, verbose_name="cán bộ", on_delete=models.CASCADE, related_name="training_needs"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="chương trình",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Để trống nếu chưa có chương trình đạt trình độ cần có.",
    )
    required_level = level_fk("trình độ cần đạt")
    position = models.ForeignKey(
        Position,
        verbose_name="chức danh quy hoạch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("lý do")
    source = models.CharField("nguồn", max_length=20, choices=NeedSource.choices)
    priority = models.PositiveSmallIntegerField(
        "mức ưu tiên", default=3, help_text="1 là cao nhất, 5 là thấp nhất."
    )
    classification = models.CharField(
        "phân loại", max_length=20, choices=NeedClass.choices, default=NeedClass.TERM
    )
    due = models.DateField("cần đạt trước ngày", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    closed_on = models.DateField("ngày đóng", null=True, blank=True)
    closure = models.CharField("lý do đóng", max_length=20, choices=NeedClosure.choices, blank=True)
    # The planning gap a need comes from (planning.PlanningEntry and the track): plain values,
    # not foreign keys, since training is migrated independently of planning.
    gap_entry_id = models.PositiveIntegerField("mã dòng quy hoạch", null=True, blank=True)
    gap_track = models.CharField("loại trình độ thiếu", max_length=30, blank=True)

    objects = TrainingNeedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "priority", "due", "id"]
        verbose_name = "nhu cầu đào tạo"
        verbose_name_plural = "nhu cầu đào tạo"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "gap_entry_id", "gap_track"],
                condition=Q(source=NeedSource.PLANNING_GAP),
                name="%(app_label)s_%(class)s_one_per_gap",
                violation_error_message="Nhu cầu từ chỗ thiếu tiêu chuẩn này đã có.",
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=5),
                name="%(app_label)s_%(class)s_priority_range",
                violation_error_message="Mức ưu tiên từ 1 đến 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name}: {self.programme or self.required_level or self.reason}"

    def close(self, on: date, closure: str) -> None:
        self.status, self.closed_on, self.closure = NeedStatus.CLOSED, on, closure


# --- Dispatches ---------------------------------------------------------------------------


class DispatchQuerySet(models.QuerySet):
    def started_in(self, year: int) -> DispatchQuerySet:
        return self.filter(start_date__year=year)

    def by_programme(self) -> list[dict]:
        """Dispatches per programme and the level it grants, counted in the database."""
        return list(
            self.values("programme__code", "programme__name", "programme__grants_level__label")
            .annotate(count=Count("id"))
            .order_by("programme__code")
        )

    def by_unit_level(self) -> dict[str, int]:
        """Dispatches of district-level and commune-level cadres (by the cadre's unit)."""
        rows = self.values("cadre__unit__level").annotate(count=Count("id")).order_by()
        return {row["cadre__unit__level"]: row["count"] for row in rows}


class Dispatch(TrackedModel):
    """A decision sending a cadre to study (Quyết định cử đi học) and how it ended."""

    cadre = models.ForeignKey(
        Cadre, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="dispatches"
    )
    programme = models.ForeignKey(Programme, verbose_name="chương trình", on_delete=models.PROTECT)
    institution = models.ForeignKey(
        Institution, verbose_name="cơ sở đào tạo", on_delete=models.PROTECT
    )
    need = models.ForeignKey(
        TrainingNeed,
        verbose_name="theo nhu cầu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dispatches",
    )
    decision_number = models.CharField("số quyết định", max_length=50)
    decision_date = models.DateField("ngày quyết định")
    signer = models.CharField("người ký", max_length=150, blank=True)
    major = models.CharField("chuyên ngành", max_length=255, blank=True)
    mode = models.CharField(
        "hình thức", max_length=20, choices=DispatchMode.choices, default=DispatchMode.IN_SERVICE
    )
    start_date = models.DateField("ngày nhập học")
    end_date = models.DateField("ngày kết thúc dự kiến")
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=DispatchStatus.choices,
        default=DispatchStatus.PLANNED,
    )
    graduated_on = models.DateField("ngày tốt nghiệp", null=True, blank=True)
    result = models.CharField("kết quả, xếp loại", max_length=100, blank=True)
    certificate = models.CharField("số văn bằng, chứng chỉ", max_length=100, blank=True)
    months_to_serve = models.PositiveSmallIntegerField(
        "số tháng cam kết phục vụ",
        null=True,
        blank=True,
        help_text="Để trống để tính theo quy định cam kết phục vụ đang có hiệu lực.",
    )
    qualification = models.OneToOneField(
        Qualification,
        verbose_name="văn bằng đã ghi vào hồ sơ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="dispatch",
    )

    objects = DispatchQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date", "id"]
        verbose_name = "cử đi học"
        verbose_name_plural = "cử đi học"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày kết thúc phải sau ngày nhập học.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name} – {self.programme}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "Ngày kết thúc phải sau ngày nhập học."
        if self.status == DispatchStatus.GRADUATED and not self.graduated_on:
            errors["graduated_on"] = "Đã tốt nghiệp thì phải có ngày tốt nghiệp."
        if self.decision_date and self.start_date and self.decision_date > self.start_date:
            errors["decision_date"] = "Quyết định cử đi học phải có trước ngày nhập học."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.months_to_serve is None and self.start_date and self.end_date:
            self.months_to_serve = self.committed_months()
        super().save(*args, **kwargs)

    @property
    def study_months(self) -> int:
        return max(months_between(self.start_date, self.end_date), 1)

    def committed_months(self) -> int | None:
        if not self.programme.is_degree:
            return None
        rule = ServiceCommitmentRule.objects.in_force(self.start_date).first()
        if rule is None:
            return None
        return commitment.months_to_serve(self.study_months, rule.multiplier, rule.min_months)

    def record_qualification(self) -> Qualification | None:
        """Once the dispatch is graduated, write the qualification into the cadre's record
        (once: a second call changes nothing); the cadre's current level follows at once."""
        if self.status != DispatchStatus.GRADUATED or self.programme.grants_level_id is None:
            return None
        if self.qualification_id:
            return self.qualification
        graduated = self.graduated_on or self.end_date
        with transaction.atomic():
            qualification = Qualification.objects.create(
                cadre=self.cadre,
                level_id=self.programme.grants_level_id,
                major=self.major,
                institution=self.institution.name,
                mode=self.study_mode,
                start_date=self.start_date,
                end_date=graduated,
                year_obtained=graduated.year,
                certificate=self.certificate,
            )
            self.qualification = qualification
            Dispatch.objects.filter(pk=self.pk).update(qualification=qualification)
            TrainingNeed.objects.filter(
                cadre_id=self.cadre_id, programme_id=self.programme_id
            ).exclude(status=NeedStatus.CLOSED).update(
                status=NeedStatus.CLOSED, closed_on=graduated, closure=NeedClosure.TRAINED
            )
        return qualification

    @property
    def study_mode(self) -> str:
        return "full_time" if self.mode == DispatchMode.FULL_TIME else "in_service"

    def cost(self) -> Decimal:
        """Support paid for this dispatch: the cost a trainee who leaves early repays."""
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


# --- Classes of the political training centre ---------------------------------------------


class CourseQuerySet(models.QuerySet):
    def in_year(self, year: int) -> CourseQuerySet:
        return self.filter(start_date__year=year)


class Course(TrackedModel):
    """A class (lớp bồi dưỡng), mostly of the district political training centre."""

    name = models.CharField("tên lớp", max_length=255)
    topic = models.CharField("nội dung", max_length=30, choices=CourseTopic.choices)
    organiser = models.ForeignKey(
        Institution, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="chương trình",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Nếu lớp cấp chứng chỉ trình độ (ví dụ sơ cấp lý luận chính trị).",
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    place = models.CharField("địa điểm", max_length=255, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "lớp bồi dưỡng"
        verbose_name_plural = "lớp bồi dưỡng"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d/%m/%Y})"


class Trainee(TrackedModel):
    """A person who attends classes without being on the cadre register (party-admission
    candidates, village cell secretaries). Linking to a cadre later keeps every attendance."""

    full_name = models.CharField("họ và tên", max_length=150)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, null=True, blank=True
    )
    cccd = models.CharField("số CCCD", max_length=12, blank=True, validators=[cccd_validator])
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="đã có hồ sơ cán bộ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee_records",
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = "học viên ngoài danh sách cán bộ"
        verbose_name_plural = "học viên ngoài danh sách cán bộ"
        constraints = [
            models.UniqueConstraint(
                fields=["cccd"],
                condition=~Q(cccd=""),
                name="%(app_label)s_%(class)s_unique_cccd",
                violation_error_message="Số CCCD này đã có ở một học viên khác.",
            ),
        ]

    def __str__(self) -> str:
        born = f" ({self.birth_date:%d/%m/%Y})" if self.birth_date else ""
        return f"{self.full_name}{born}"

    def link_to(self, cadre: Cadre) -> None:
        """Record that this person is now ``cadre``: the attendances name the cadre as well and
        keep the trainee they were entered under. A class the person was entered in twice
        (once by name, once as the cadre) keeps one attendance: one person, one lượt."""
        with transaction.atomic():
            self.cadre = cadre
            self.save(update_fields=["cadre", "updated_at"])
            attendances = Attendance.objects.filter(trainee=self)
            attendances.filter(
                course__in=Attendance.objects.filter(cadre=cadre, trainee__isnull=True).values(
                    "course"
                )
            ).delete()
            attendances.update(cadre=cadre)


class AttendanceQuerySet(models.QuerySet):
    def totals(self) -> dict[str, int]:
        """Attendances (lượt: one person at one class), distinct people and classes, in one
        query. A trainee linked to a cadre has the cadre on every attendance, so counts once."""
        return self.aggregate(
            attendances=Count("id"),
            people=Count("cadre", distinct=True)
            + Count("trainee", distinct=True, filter=Q(cadre__isnull=True)),
            courses=Count("course", distinct=True),
        )


class Attendance(models.Model):
    course = models.ForeignKey(
        Course, verbose_name="lớp", on_delete=models.CASCADE, related_name="attendances"
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="cán bộ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    trainee = models.ForeignKey(
        Trainee,
        verbose_name="học viên (chưa có hồ sơ)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    result = models.CharField(
        "kết quả", max_length=20, choices=AttendanceResult.choices, default=AttendanceResult.PASSED
    )
    certificate = models.CharField("số giấy chứng nhận", max_length=50, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["course", "id"]
        verbose_name = "lượt học viên"
        verbose_name_plural = "danh sách học viên"
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(trainee__isnull=False),
                name="%(app_label)s_%(class)s_names_a_person",
                violation_error_message="Chọn cán bộ hoặc học viên.",
            ),
            models.UniqueConstraint(
                fields=["course", "cadre"],
                name="%(app_label)s_%(class)s_cadre_once_per_course",
                violation_error_message="Cán bộ này đã có trong danh sách lớp.",
            ),
            models.UniqueConstraint(
                fields=["course", "trainee"],
                name="%(app_label)s_%(class)s_trainee_once_per_course",
                violation_error_message="Học viên này đã có trong danh sách lớp.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre or self.trainee} – {self.course.name}"

    def clean(self) -> None:
        if not self.cadre_id and not self.trainee_id:
            raise ValidationError({"cadre": "Chọn cán bộ hoặc học viên."})


# --- Commitments and money ----------------------------------------------------------------


class ServiceCommitmentRuleQuerySet(models.QuerySet):
    def in_force(self, on: date) -> ServiceCommitmentRuleQuerySet:
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class ServiceCommitmentRule(models.Model):
    """How long a trainee must serve after degree study and what leaving early costs."""

    name = models.CharField("tên quy định", max_length=255)
    legal_basis = models.CharField("căn cứ (nghị định)", max_length=255)
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    multiplier = models.DecimalField(
        "số lần thời gian học", max_digits=4, decimal_places=2, default=Decimal(2)
    )
    min_months = models.PositiveSmallIntegerField("tối thiểu (tháng)", default=0)
    formula = models.CharField(
        "cách tính bồi hoàn",
        max_length=255,
        default="chi phí × (số tháng cam kết − số tháng đã phục vụ) / số tháng cam kết",
    )

    objects = ServiceCommitmentRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "quy định cam kết phục vụ"
        verbose_name_plural = "quy định cam kết phục vụ, bồi hoàn"

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"


class SupportPolicyQuerySet(models.QuerySet):
    def in_force(self, on: date) -> SupportPolicyQuerySet:
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class SupportPolicy(models.Model):
    """A support policy, e.g. the province's resolution on support for trainees."""

    name = models.CharField("tên chính sách", max_length=255)
    legal_basis = models.CharField("căn cứ (nghị quyết, quyết định)", max_length=255)
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)

    objects = SupportPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "chính sách hỗ trợ"
        verbose_name_plural = "chính sách hỗ trợ"

    def __str__(self) -> str:
        return self.name


class SupportRate(models.Model):
    policy = models.ForeignKey(
        SupportPolicy, verbose_name="chính sách", on_delete=models.CASCADE, related_name="rates"
    )
    basis = models.CharField("hình thức hỗ trợ", max_length=20, choices=RateBasis.choices)
    programme_track = models.CharField(
        "áp dụng cho lĩnh vực", max_length=30, choices=ProgrammeTrack.choices, blank=True
    )
    grants_level = level_fk("áp dụng cho trình độ")
    amount = models.DecimalField("mức (đồng)", **MONEY)

    class Meta:
        ordering = ["policy", "basis", "id"]
        verbose_name = "mức hỗ trợ"
        verbose_name_plural = "mức hỗ trợ"

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.amount:,.0f} đ".replace(",", ".")


class SupportPaymentQuerySet(models.QuerySet):
    def by_policy_and_year(self) -> list[dict]:
        """Money paid per policy and calendar year, summed in the database."""
        return list(
            self.annotate(year=ExtractYear("paid_on"))
            .values("policy__name", "year")
            .annotate(total=Sum("amount"), payments=Count("id"))
            .order_by("year", "policy__name")
        )


class SupportPayment(TrackedModel):
    policy = models.ForeignKey(SupportPolicy, verbose_name="chính sách", on_delete=models.PROTECT)
    rate = models.ForeignKey(
        SupportRate, verbose_name="mức", on_delete=models.PROTECT, null=True, blank=True
    )
    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name="cử đi học",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    attendance = models.ForeignKey(
        Attendance,
        verbose_name="lượt học lớp bồi dưỡng",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    amount = models.DecimalField("số tiền (đồng)", validators=[MinValueValidator(0)], **MONEY)
    paid_on = models.DateField("ngày chi")
    voucher = models.CharField("số chứng từ", max_length=50, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = SupportPaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "id"]
        verbose_name = "khoản chi hỗ trợ"
        verbose_name_plural = "chi hỗ trợ đào tạo"
        constraints = [
            models.CheckConstraint(
                condition=Q(dispatch__isnull=False, attendance__isnull=True)
                | Q(dispatch__isnull=True, attendance__isnull=False),
                name="%(app_label)s_%(class)s_for_one_thing",
                violation_error_message="Khoản chi phải gắn với một lượt cử đi học "
                "hoặc một lượt học lớp bồi dưỡng (chỉ một).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:,.0f} đ ({self.paid_on:%d/%m/%Y})".replace(",", ".")

    def clean(self) -> None:
        if bool(self.dispatch_id) == bool(self.attendance_id):
            raise ValidationError(
                {"dispatch": "Chọn một lượt cử đi học hoặc một lượt học lớp bồi dưỡng (chỉ một)."}
            )
        if self.rate_id and self.policy_id and self.rate.policy_id != self.policy_id:
            raise ValidationError({"rate": "Mức hỗ trợ này thuộc chính sách khác."})


class Reimbursement(TrackedModel):
    """What a trainee who left before the end of the commitment owes, by the rule in force
    when the study began. The amount is derived from the other fields of the row."""

    dispatch = models.OneToOneField(
        Dispatch, verbose_name="cử đi học", on_delete=models.PROTECT, related_name="reimbursement"
    )
    rule = models.ForeignKey(
        ServiceCommitmentRule, verbose_name="theo quy định", on_delete=models.PROTECT
    )
    left_on = models.DateField("ngày thôi việc, chuyển công tác")
    cost = models.DecimalField("chi phí đào tạo (đồng)", **MONEY)
    months_committed = models.PositiveSmallIntegerField("số tháng cam kết")
    months_served = models.PositiveSmallIntegerField("số tháng đã phục vụ")
    amount = models.DecimalField("số tiền phải bồi hoàn (đồng)", editable=False, **MONEY)
    decision_number = models.CharField("số quyết định bồi hoàn", max_length=50, blank=True)
    repaid_on = models.DateField("ngày đã nộp", null=True, blank=True)

    class Meta:
        ordering = ["-left_on"]
        verbose_name = "bồi hoàn chi phí đào tạo"
        verbose_name_plural = "bồi hoàn chi phí đào tạo"

    def __str__(self) -> str:
        return f"{self.dispatch.cadre.full_name}: {self.amount:,.0f} đ".replace(",", ".")

    def save(self, *args, **kwargs) -> None:
        self.amount = commitment.repayment(self.cost, self.months_committed, self.months_served)
        super().save(*args, **kwargs)

    @classmethod
    def work_out(cls, dispatch: Dispatch, left_on: date) -> Reimbursement:
        """An unsaved reimbursement for ``dispatch`` if the trainee left on ``left_on``; the
        commitment runs from the end of the study."""
        rule = ServiceCommitmentRule.objects.in_force(dispatch.start_date).first()
        if rule is None:
            raise ValidationError("Không có quy định cam kết phục vụ có hiệu lực khi cử đi học.")
        committed = dispatch.months_to_serve or commitment.months_to_serve(
            dispatch.study_months, rule.multiplier, rule.min_months
        )
        served_from = dispatch.graduated_on or dispatch.end_date
        reimbursement = cls(
            dispatch=dispatch,
            rule=rule,
            left_on=left_on,
            cost=dispatch.cost(),
            months_committed=committed,
            months_served=max(months_between(served_from, left_on), 0),
        )
        reimbursement.amount = commitment.repayment(
            reimbursement.cost, committed, reimbursement.months_served
        )
        return reimbursement

"""Multi-year schemes and annual plans with their lines and proposed candidates."""

from __future__ import annotations

from datetime import date

from django.db import models, transaction
from django.db.models import Count, Q

from cadres.models import Cadre, Unit, UnitScopedQuerySet
from core.audit import update_with_history
from core.models import TrackedModel
from training.choices import (
    CandidateStatus,
    NeedStatus,
    PlanStatus,
    Seat,
)
from training.models.reference import Institution, Programme

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

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

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

    objects = UnitScopedQuerySet.as_manager()

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
        from training.models.needs import TrainingNeed  # needs reads plans, not back

        with transaction.atomic():
            candidates = PlanCandidate.objects.filter(
                line__plan=self, status__in=[CandidateStatus.PROPOSED, CandidateStatus.APPROVED]
            )
            approved = candidates.count()
            # Only the proposals change: the approved ones get no empty history version.
            update_with_history(
                candidates.filter(status=CandidateStatus.PROPOSED),
                status=CandidateStatus.APPROVED,
            )
            update_with_history(
                TrainingNeed.objects.filter(
                    pk__in=candidates.filter(status=CandidateStatus.APPROVED).values("need"),
                    status=NeedStatus.OPEN,
                ),
                status=NeedStatus.PLANNED,
            )
            self.status = PlanStatus.APPROVED
            self.approved_on = self.approved_on or on
            self.save(update_fields=["status", "approved_on", "updated_at"])
        return approved


class PlanLineQuerySet(UnitScopedQuerySet):
    def with_filled(self) -> PlanLineQuerySet:
        taken = [CandidateStatus.PROPOSED, CandidateStatus.APPROVED, CandidateStatus.DISPATCHED]
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
    unit_path = "plan__unit"  # how a row reaches its unit: visible_to(user)
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
    quota_issuer = models.CharField("cấp giao chỉ tiêu", max_length=255, blank=True)
    quota_decision_number = models.CharField("số văn bản giao chỉ tiêu", max_length=50, blank=True)
    quota_decision_date = models.DateField("ngày văn bản giao chỉ tiêu", null=True, blank=True)

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


class QuotaShare(models.Model):
    """Part of a line's quota handed on to one commune (or agency): its people are seated on
    these places first when the plan is drafted."""

    unit_path = "line__plan__unit"  # how a row reaches its unit: visible_to(user)

    line = models.ForeignKey(
        PlanLine, verbose_name="dòng kế hoạch", on_delete=models.CASCADE, related_name="shares"
    )
    unit = models.ForeignKey(Unit, verbose_name="xã, đơn vị", on_delete=models.PROTECT)
    seats = models.PositiveIntegerField("số suất")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["line", "unit__name"]
        verbose_name = "phân bổ chỉ tiêu"
        verbose_name_plural = "phân bổ chỉ tiêu trên giao cho các xã, đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["line", "unit"],
                name="%(app_label)s_%(class)s_once_per_unit",
                violation_error_message="Đơn vị này đã được phân bổ chỉ tiêu của dòng này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.seats}"


def shares_errors(quota: int, seats: list[int]) -> list[str]:
    """The communes' shares may not add up to more than the quota handed down."""
    total = sum(seats)
    if total > quota:
        return [f"Tổng số suất phân bổ ({total}) vượt chỉ tiêu trên giao ({quota})."]
    return []


class PlanCandidate(models.Model):
    """A cadre proposed on a plan line, with the draft's reasons; the user edits the status."""

    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)

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

    objects = UnitScopedQuerySet.as_manager()

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

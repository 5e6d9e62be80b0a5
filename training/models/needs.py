"""Training needs: from the planning gaps, agencies' proposals and own requests."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from cadres.models import Cadre, Position, Unit, UnitScopedQuerySet, level_field
from core.models import TrackedModel
from training.choices import (
    CandidateStatus,
    NeedClass,
    NeedClosure,
    NeedSource,
    NeedStatus,
)
from training.models.plans import PlanCandidate
from training.models.reference import Programme

# --- Needs --------------------------------------------------------------------------------


class TrainingNeedQuerySet(UnitScopedQuerySet):
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


class TrainingNeed(TrackedModel):
    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)
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
    required_level = level_field(None, "trình độ cần đạt")
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

"""Rotation (luân chuyển) of planned cadres."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cadres.models import Cadre, Position, Unit, UnitScopedQuerySet
from core.models import TrackedModel

# --- Rotation -------------------------------------------------------------------------------


class RotationQuerySet(UnitScopedQuerySet):
    def ending_within(self, days: int, on: date) -> RotationQuerySet:
        """Rotations still running whose planned end falls within ``days`` after ``on``."""
        return self.filter(
            actual_end__isnull=True, planned_end__gte=on, planned_end__lte=on + timedelta(days)
        )


class Rotation(TrackedModel):
    """Luân chuyển: a cadre sent to another post or unit for training in practice."""

    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)

    cadre = models.ForeignKey(
        Cadre, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="rotations"
    )
    from_unit = models.ForeignKey(
        Unit, verbose_name="từ đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    from_position = models.ForeignKey(
        Position,
        verbose_name="từ chức danh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Unit, verbose_name="đến đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    to_position = models.ForeignKey(
        Position,
        verbose_name="đến chức danh",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_number = models.CharField("số quyết định", max_length=50)
    decision_date = models.DateField("ngày quyết định")
    planned_start = models.DateField("bắt đầu (dự kiến)")
    planned_end = models.DateField("kết thúc (dự kiến)")
    actual_start = models.DateField("bắt đầu (thực tế)", null=True, blank=True)
    actual_end = models.DateField("kết thúc (thực tế)", null=True, blank=True)
    purpose = models.TextField("mục đích", blank=True)

    objects = RotationQuerySet.as_manager()

    class Meta:
        ordering = ["planned_end"]
        verbose_name = "luân chuyển"
        verbose_name_plural = "luân chuyển cán bộ"
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=F("planned_start")),
                name="%(app_label)s_%(class)s_planned_dates_in_order",
                violation_error_message="Ngày kết thúc dự kiến phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name}: {self.from_unit} → {self.to_unit}"

    def clean(self) -> None:
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            raise ValidationError({"actual_end": "Ngày kết thúc phải sau ngày bắt đầu."})

"""Rotation (luân chuyển) of planned cadres."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q

from cadres.models import Appointment, Cadre, Position, Unit, UnitScopedQuerySet, WorkHistory
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
    entry = models.ForeignKey(
        "planning.PlanningEntry",
        verbose_name="chức danh quy hoạch được chuẩn bị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rotations",
        help_text="Luân chuyển để rèn luyện cho chức danh quy hoạch này (Quy định 65-QĐ/TW).",
    )

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
        if self.entry_id and self.cadre_id and self.entry.cadre_id != self.cadre_id:
            raise ValidationError({"entry": "Chức danh quy hoạch này là của người khác."})
        if self.entry_id and self.entry.is_removed:
            raise ValidationError({"entry": "Người này đã được đưa ra khỏi quy hoạch đó."})

    @transaction.atomic
    def complete(self, on: date) -> tuple[Appointment | None, WorkHistory]:
        """End the rotation on ``on`` and write what it leaves on the record: the post held
        during it (an appointment, when the rotation names one) and the work history line."""
        if self.actual_end is not None:
            raise ValidationError("Luân chuyển này đã kết thúc.")
        start = self.actual_start or self.planned_start
        if on < start:
            raise ValidationError({"actual_end": "Ngày kết thúc phải sau ngày bắt đầu."})
        self.actual_start, self.actual_end = start, on
        self.full_clean()
        self.save()
        appointment = None
        if self.to_position_id:
            appointment = Appointment(
                cadre=self.cadre,
                position=self.to_position,
                unit=self.to_unit,
                start_date=start,
                end_date=on,
                decision_number=self.decision_number,
                decision_date=self.decision_date,
            )
            appointment.full_clean()
            appointment.save()
        title = self.to_position.title if self.to_position_id else "Luân chuyển"
        work = WorkHistory.objects.create(
            cadre=self.cadre,
            start_date=start,
            end_date=on,
            position_title=f"{title} (luân chuyển theo {self.decision_number})",
            organisation=str(self.to_unit),
        )
        return appointment, work

"""Service-commitment rules: how long a trainee serves afterwards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q


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

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

"""Service-commitment rules: how long a trainee serves afterwards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q

from training import commitment
from training.choices import RepaymentCase, RepaymentMethod


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

    def repayment_for(self, case: str) -> RepaymentRule | None:
        return next((r for r in self.repayments.all() if r.case == case), None)


class RepaymentRule(models.Model):
    """How one case repays under a commitment rule, with the article it comes from: all of the
    cost for a trainee who withdrew or failed, the unserved share for a graduate who left
    early (Nghị định 101/2017/NĐ-CP điều 7-8). Editable when a new decree changes them."""

    rule = models.ForeignKey(
        ServiceCommitmentRule,
        verbose_name="quy định cam kết",
        on_delete=models.CASCADE,
        related_name="repayments",
    )
    case = models.CharField("trường hợp", max_length=30, choices=RepaymentCase.choices)
    method = models.CharField("cách bồi hoàn", max_length=20, choices=RepaymentMethod.choices)
    share = models.DecimalField("tỷ lệ (%)", max_digits=5, decimal_places=2, default=Decimal(100))
    source = models.CharField("căn cứ (điều, khoản)", max_length=255)

    class Meta:
        ordering = ["rule", "case"]
        verbose_name = "trường hợp bồi hoàn"
        verbose_name_plural = "các trường hợp bồi hoàn"
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "case"],
                name="%(app_label)s_%(class)s_one_per_case",
                violation_error_message="Trường hợp này đã có trong quy định.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_display()}: {self.get_method_display().lower()}"

    def amount(self, cost: Decimal, committed: int, served: int) -> Decimal:
        return commitment.owed(self.method, self.share, cost, committed, served)

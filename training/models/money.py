"""Support policies, their rates and payments, and reimbursements by those who leave early."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from cadres.models import Cadre, UnitScopedQuerySet, level_field
from cadres.retirement import months_between
from core.models import TrackedModel
from training import commitment
from training.choices import (
    PolicyKind,
    ProgrammeTrack,
    RateBasis,
)
from training.models.base import MONEY
from training.models.commitments import ServiceCommitmentRule
from training.models.courses import Attendance
from training.models.dispatches import Dispatch


class SupportPolicyQuerySet(models.QuerySet):
    def in_force(self, on: date) -> SupportPolicyQuerySet:
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class SupportPolicy(models.Model):
    """A support policy, e.g. the province's resolution on support for trainees."""

    name = models.CharField("tên chính sách", max_length=255)
    kind = models.CharField(
        "loại chính sách", max_length=20, choices=PolicyKind.choices, default=PolicyKind.TRAINING
    )
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
    grants_level = level_field(None, "áp dụng cho trình độ")
    amount = models.DecimalField("mức (đồng)", **MONEY)

    class Meta:
        ordering = ["policy", "basis", "id"]
        verbose_name = "mức hỗ trợ"
        verbose_name_plural = "mức hỗ trợ"

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.amount:,.0f} đ".replace(",", ".")


class SupportPaymentQuerySet(UnitScopedQuerySet):
    def by_policy_and_year(self) -> list[dict]:
        """Money paid per policy and calendar year, summed in the database."""
        return list(
            self.annotate(year=ExtractYear("paid_on"))
            .values("policy__name", "year")
            .annotate(total=Sum("amount"), payments=Count("id"))
            .order_by("year", "policy__name")
        )


class SupportPayment(TrackedModel):
    unit_path = (
        "dispatch__cadre__unit",
        "attendance__cadre__unit",
        "attendance__trainee__unit",
        "cadre__unit",
    )  # how a row reaches its unit: visible_to(user)
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
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="cán bộ được thu hút",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attraction_payments",
        help_text="Chỉ với chính sách thu hút: khoản chi không gắn với việc học.",
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
                condition=Q(dispatch__isnull=False, attendance__isnull=True, cadre__isnull=True)
                | Q(dispatch__isnull=True, attendance__isnull=False, cadre__isnull=True)
                | Q(dispatch__isnull=True, attendance__isnull=True, cadre__isnull=False),
                name="%(app_label)s_%(class)s_for_one_thing",
                violation_error_message="Khoản chi phải gắn với một lượt cử đi học, một lượt "
                "học lớp bồi dưỡng, hoặc (chính sách thu hút) một cán bộ; chỉ một.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:,.0f} đ ({self.paid_on:%d/%m/%Y})".replace(",", ".")

    @property
    def payee_name(self) -> str:
        if self.dispatch_id:
            return self.dispatch.cadre.full_name
        if self.attendance_id:
            attendance = self.attendance
            return attendance.cadre.full_name if attendance.cadre_id else str(attendance.trainee)
        return self.cadre.full_name

    def clean(self) -> None:
        attraction = self.policy_id is not None and self.policy.kind == PolicyKind.ATTRACTION
        if attraction:
            if self.dispatch_id or self.attendance_id or not self.cadre_id:
                raise ValidationError(
                    {
                        "cadre": "Chính sách thu hút chi cho một cán bộ: chọn cán bộ, "
                        "không chọn lượt cử đi học hay lớp bồi dưỡng."
                    }
                )
        elif self.cadre_id:
            raise ValidationError(
                {
                    "cadre": "Chỉ chính sách thu hút mới chi thẳng cho cán bộ; khoản hỗ trợ "
                    "đào tạo phải gắn với một lượt cử đi học hoặc một lượt học lớp bồi dưỡng."
                }
            )
        elif bool(self.dispatch_id) == bool(self.attendance_id):
            raise ValidationError(
                {"dispatch": "Chọn một lượt cử đi học hoặc một lượt học lớp bồi dưỡng (chỉ một)."}
            )
        if self.rate_id and self.policy_id and self.rate.policy_id != self.policy_id:
            raise ValidationError({"rate": "Mức hỗ trợ này thuộc chính sách khác."})


class Reimbursement(TrackedModel):
    """What a trainee who left before the end of the commitment owes, by the rule in force
    when the study began. The amount is derived from the other fields of the row."""

    unit_path = "dispatch__cadre__unit"  # how a row reaches its unit: visible_to(user)

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

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-left_on"]
        verbose_name = "bồi hoàn chi phí đào tạo"
        verbose_name_plural = "bồi hoàn chi phí đào tạo"

    def __str__(self) -> str:
        return f"{self.dispatch.cadre.full_name}: {self.amount:,.0f} đ".replace(",", ".")

    def save(self, *args, **kwargs) -> None:
        self.amount = commitment.repayment(self.cost, self.months_committed, self.months_served)
        super().save(*args, **kwargs)

    def fill_in(self) -> None:
        """Rule, cost and months from the dispatch and the leave date, as ``work_out`` gives
        them; ``save()`` then derives the amount. Raises ValidationError without a rule."""
        worked = Reimbursement.work_out(self.dispatch, self.left_on)
        self.rule = worked.rule
        self.cost, self.amount = worked.cost, worked.amount
        self.months_committed, self.months_served = worked.months_committed, worked.months_served

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

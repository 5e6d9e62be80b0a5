"""Support policies, their rates and payments, and reimbursements by those who leave early."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from cadres.models import Cadre, Unit, UnitScopedQuerySet, level_field
from cadres.retirement import months_between
from core.models import TrackedModel
from training import commitment
from training.choices import (
    DispatchStatus,
    PolicyKind,
    ProgrammeTrack,
    RateBasis,
    RepaymentCase,
)
from training.models.base import MONEY
from training.models.commitments import RepaymentRule, ServiceCommitmentRule
from training.models.courses import Attendance, Course
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
        permissions = [
            ("import_supportpolicy", "Được nhập danh sách chính sách hỗ trợ từ tệp"),
            ("export_supportpolicy", "Được xuất danh sách chính sách hỗ trợ ra tệp"),
        ]

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
    quantity = models.DecimalField(
        "số tháng, ngày",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Để trống để tính theo thời gian học (mức theo tháng, theo ngày).",
    )
    computed_amount = models.DecimalField(
        "số tiền tính theo mức (đồng)", null=True, blank=True, editable=False, **MONEY
    )
    amount = models.DecimalField(
        "số tiền (đồng)",
        validators=[MinValueValidator(0)],
        blank=True,
        help_text="Để trống để lấy số tiền tính theo mức; sửa được, số tính theo mức vẫn giữ.",
        **MONEY,
    )
    paid_on = models.DateField("ngày chi")
    voucher = models.CharField("số chứng từ", max_length=50, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = SupportPaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "id"]
        verbose_name = "khoản chi hỗ trợ"
        verbose_name_plural = "chi hỗ trợ đào tạo"
        permissions = [
            ("import_supportpayment", "Được nhập danh sách chi hỗ trợ từ tệp"),
            ("export_supportpayment", "Được xuất danh sách chi hỗ trợ ra tệp"),
        ]
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

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        """The amount the rate gives (rate × months or days of the study, or the rate once),
        kept for audit; the amount paid is that figure unless the officer typed another."""
        if self.rate_id is None:
            return
        if self.quantity is None:
            start, end = self.study_period()
            self.quantity = commitment.rate_quantity(self.rate.basis, start, end)
        self.computed_amount = (self.rate.amount * self.quantity).quantize(Decimal(1))
        if self.amount is None:
            self.amount = self.computed_amount

    def study_period(self) -> tuple[date | None, date | None]:
        if self.dispatch_id:
            return self.dispatch.start_date, self.dispatch.end_date
        if self.attendance_id:
            course = self.attendance.course
            return course.start_date, course.end_date
        return None, None

    @property
    def differs_from_rate(self) -> bool:
        return self.computed_amount is not None and self.amount != self.computed_amount

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
        if self.amount is None and self.rate_id is None:
            raise ValidationError({"amount": "Ghi số tiền, hoặc chọn mức hỗ trợ để tự tính."})


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
    repayment_rule = models.ForeignKey(
        RepaymentRule,
        verbose_name="trường hợp bồi hoàn",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
        self.amount = self.owed()
        super().save(*args, **kwargs)

    def owed(self) -> Decimal:
        """By the case's rule; a row from before the cases were data repays pro rata."""
        if self.repayment_rule_id:
            return self.repayment_rule.amount(self.cost, self.months_committed, self.months_served)
        return commitment.repayment(self.cost, self.months_committed, self.months_served)

    def fill_in(self) -> None:
        """Rule, cost and months from the dispatch and the leave date, as ``work_out`` gives
        them; ``save()`` then derives the amount. Raises ValidationError without a rule."""
        worked = Reimbursement.work_out(self.dispatch, self.left_on)
        self.rule, self.repayment_rule = worked.rule, worked.repayment_rule
        self.cost, self.amount = worked.cost, worked.amount
        self.months_committed, self.months_served = worked.months_committed, worked.months_served

    @classmethod
    def work_out(cls, dispatch: Dispatch, left_on: date) -> Reimbursement:
        """An unsaved reimbursement for ``dispatch`` if the trainee left on ``left_on``, by the
        rule in force when the study began and the case its outcome makes (graduated and left
        early, failed, withdrew, left while studying); the commitment runs from the end of the
        study. Raises ValidationError when no rule covers it."""
        rule = (
            ServiceCommitmentRule.objects.in_force(dispatch.start_date)
            .prefetch_related("repayments")
            .first()
        )
        if rule is None:
            raise ValidationError("Không có quy định cam kết phục vụ có hiệu lực khi cử đi học.")
        case = repayment_case(dispatch, left_on)
        repayment_rule = rule.repayment_for(case)
        if repayment_rule is None:
            raise ValidationError(
                f"Quy định “{rule}” chưa ghi cách bồi hoàn cho trường hợp: "
                f"{RepaymentCase(case).label.lower()}."
            )
        committed = dispatch.months_to_serve or commitment.months_to_serve(
            dispatch.study_months, rule.multiplier, rule.min_months
        )
        served = 0
        if case == RepaymentCase.LEFT_AFTER_GRADUATION:
            served = max(months_between(dispatch.graduated_on or dispatch.end_date, left_on), 0)
        reimbursement = cls(
            dispatch=dispatch,
            rule=rule,
            repayment_rule=repayment_rule,
            left_on=left_on,
            cost=dispatch.cost(),
            months_committed=committed,
            months_served=served,
        )
        reimbursement.amount = reimbursement.owed()
        return reimbursement


def repayment_case(dispatch: Dispatch, left_on: date) -> str:
    """The case of Nghị định 101/2017/NĐ-CP điều 7 khoản 1 a dispatch's outcome makes."""
    if dispatch.status == DispatchStatus.FAILED:
        return RepaymentCase.FAILED
    if dispatch.status == DispatchStatus.WITHDRAWN:
        return RepaymentCase.WITHDRAWN
    if dispatch.status == DispatchStatus.GRADUATED:
        return RepaymentCase.LEFT_AFTER_GRADUATION
    if left_on <= dispatch.end_date:
        return RepaymentCase.LEFT_DURING_STUDY
    return RepaymentCase.LEFT_AFTER_GRADUATION


class CourseCost(TrackedModel):
    """A cost of running a class that is paid to nobody in particular (hall, lecturers,
    materials): recorded against the class, counted in the money spent under its policy."""

    course = models.ForeignKey(
        Course, verbose_name="lớp", on_delete=models.PROTECT, related_name="costs"
    )
    policy = models.ForeignKey(
        SupportPolicy,
        verbose_name="nguồn kinh phí (chính sách)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    item = models.CharField("nội dung chi", max_length=255)
    amount = models.DecimalField("số tiền (đồng)", validators=[MinValueValidator(0)], **MONEY)
    paid_on = models.DateField("ngày chi")
    voucher = models.CharField("số chứng từ", max_length=50, blank=True)

    class Meta:
        ordering = ["-paid_on", "id"]
        verbose_name = "chi phí tổ chức lớp"
        verbose_name_plural = "chi phí tổ chức lớp"

    def __str__(self) -> str:
        return f"{self.item}: {self.amount:,.0f} đ".replace(",", ".")


class BudgetAllocationQuerySet(UnitScopedQuerySet):
    def against_spending(self, year: int) -> list[dict]:
        """Each allocation of ``year`` beside what was spent under its policy (and in its unit,
        when the allocation names one) that year: support paid and class running costs."""
        rows = []
        allocations = self.filter(year=year).select_related("policy", "unit")
        for allocation in allocations:
            spent = allocation.spent()
            rows.append(
                {"allocation": allocation, "spent": spent, "left": allocation.amount - spent}
            )
        return rows


class BudgetAllocation(TrackedModel):
    """Money allocated for a year (dự toán) under a policy, for the whole district or one unit."""

    # A district-wide allocation (no unit) is seen by those who see the whole district.
    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    year = models.PositiveSmallIntegerField("năm")
    policy = models.ForeignKey(SupportPolicy, verbose_name="chính sách", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Để trống nếu là dự toán chung của huyện.",
    )
    amount = models.DecimalField("số tiền được giao (đồng)", **MONEY)
    decision_number = models.CharField("số quyết định giao dự toán", max_length=50, blank=True)

    objects = BudgetAllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "policy", "unit"]
        verbose_name = "dự toán kinh phí"
        verbose_name_plural = "dự toán kinh phí đào tạo theo năm"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "policy", "unit"],
                name="%(app_label)s_%(class)s_once_per_year_policy_unit",
                violation_error_message="Chính sách này đã có dự toán của đơn vị trong năm.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.policy} – {self.unit or 'toàn huyện'}"

    def spent(self) -> Decimal:
        """Support paid and class costs under the policy in the year (in the unit, with what is
        under it, when one is named: the payee's unit when sent, or the class's trainee)."""
        payments = SupportPayment.objects.filter(policy=self.policy, paid_on__year=self.year)
        costs = CourseCost.objects.filter(policy=self.policy, paid_on__year=self.year)
        if self.unit_id:
            path = self.unit.path
            payments = payments.filter(
                Q(dispatch__unit__path__startswith=path)
                | Q(attendance__cadre__unit__path__startswith=path)
                | Q(attendance__trainee__unit__path__startswith=path)
                | Q(cadre__unit__path__startswith=path)
            )
            costs = costs.none()  # a class's running costs belong to no one unit
        paid = payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        return paid + (costs.aggregate(total=Sum("amount"))["total"] or Decimal(0))


class Departure(TrackedModel):
    """A cadre leaving the service the district pays training for: a transfer out, a
    resignation, a retirement. Entered here, it lists the commitments the person still owes and
    works out the repayment of each (``Reimbursement.work_out``) for a transfer or a resignation;
    a retirement at the statutory age repays nothing (Nghị định 101/2017/NĐ-CP điều 7 names
    leaving the job, not retiring) and is only shown."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Chuyển công tác ra ngoài"
        RESIGNATION = "resignation", "Thôi việc, nghỉ việc"
        RETIREMENT = "retirement", "Nghỉ hưu"

    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)

    cadre = models.ForeignKey(
        Cadre, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="departures"
    )
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices)
    left_on = models.DateField("từ ngày")
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-left_on"]
        verbose_name = "chuyển công tác, thôi việc, nghỉ hưu"
        verbose_name_plural = "chuyển công tác, thôi việc, nghỉ hưu (đối chiếu cam kết)"

    def __str__(self) -> str:
        return f"{self.cadre.full_name}: {self.get_kind_display().lower()} {self.left_on:%d/%m/%Y}"

    def owed_dispatches(self) -> list[Dispatch]:
        """The person's dispatches still under commitment, or under way, on the leave date."""
        return list(
            Dispatch.objects.filter(cadre_id=self.cadre_id, reimbursement__isnull=True)
            .filter(
                Q(commitment_ends_on__gt=self.left_on)
                | Q(status__in=[DispatchStatus.PLANNED, DispatchStatus.STUDYING])
            )
            .select_related("programme")
        )

    def warnings(self) -> list[str]:
        return [
            f"{self.cadre.full_name} đang trong thời gian cam kết phục vụ sau khi học "
            f"{d.programme} (đến {d.commitment_ends_on:%d/%m/%Y})."
            if d.commitment_ends_on
            else f"{self.cadre.full_name} đang được cử đi học {d.programme}."
            for d in self.owed_dispatches()
        ]

    def work_out_repayments(self) -> list[Reimbursement]:
        """Save the repayment of each owed dispatch (none for a retirement)."""
        if self.kind == self.Kind.RETIREMENT:
            return []
        made = []
        for dispatch in self.owed_dispatches():
            reimbursement = Reimbursement.work_out(dispatch, self.left_on)
            reimbursement.save()
            made.append(reimbursement)
        return made

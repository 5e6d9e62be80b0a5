"""Cadres sent to study (cử đi học) and how it ended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum

from cadres.models import Cadre, Qualification, UnitScopedQuerySet
from cadres.retirement import months_between
from core.audit import update_with_history
from core.models import TrackedModel
from training import commitment
from training.choices import (
    DispatchMode,
    DispatchStatus,
    NeedClosure,
    NeedStatus,
)
from training.models.commitments import ServiceCommitmentRule
from training.models.needs import TrainingNeed
from training.models.reference import Institution, Programme

# --- Dispatches ---------------------------------------------------------------------------


class DispatchQuerySet(UnitScopedQuerySet):
    def started_in(self, year: int) -> DispatchQuerySet:
        return self.filter(start_date__year=year)

    def late(self, on: date) -> DispatchQuerySet:
        """Past their planned end on ``on`` and still "planned" or "studying": the result (or
        the withdrawal) is owed to the record."""
        return self.filter(
            end_date__lt=on, status__in=[DispatchStatus.PLANNED, DispatchStatus.STUDYING]
        )

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

    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)

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
    decision_date = models.DateField(
        "ngày quyết định",
        null=True,
        blank=True,
        help_text="Để trống nếu danh sách chỉ ghi số quyết định.",
    )
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

    def derive_fields(self, rules: list[ServiceCommitmentRule] | None = None) -> None:
        """Months to serve by the rule in force, unless given (the importer calls this too)."""
        if self.months_to_serve is None and self.start_date and self.end_date:
            self.months_to_serve = self.committed_months(rules)

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    @property
    def study_months(self) -> int:
        return max(months_between(self.start_date, self.end_date), 1)

    def committed_months(self, rules: list[ServiceCommitmentRule] | None = None) -> int | None:
        """Months to serve by the rule in force when the study began (looked up among
        ``rules``, all of them newest first, when an importer has loaded them)."""
        if not self.programme.is_degree:
            return None
        if rules is None:
            rule = ServiceCommitmentRule.objects.in_force(self.start_date).first()
        else:
            rule = next((r for r in rules if r.is_in_force(self.start_date)), None)
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
            self.save(update_fields=["qualification"])  # a save, so the history records it
            update_with_history(
                TrainingNeed.objects.filter(
                    cadre_id=self.cadre_id, programme_id=self.programme_id
                ).exclude(status=NeedStatus.CLOSED),
                status=NeedStatus.CLOSED,
                closed_on=graduated,
                closure=NeedClosure.TRAINED,
            )
        return qualification

    @property
    def study_mode(self) -> str:
        return "full_time" if self.mode == DispatchMode.FULL_TIME else "in_service"

    def cost(self) -> Decimal:
        """Support paid for this dispatch: the cost a trainee who leaves early repays."""
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)

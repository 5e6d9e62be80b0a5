"""Cadres sent to study (cử đi học) and how it ended."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q, Sum

from cadres.models import Cadre, Qualification, Unit, UnitScopedQuerySet
from core.models import TrackedModel
from planning.choices import DecisionStatus, EntryRole
from planning.models import PlanningEntry
from training import commitment
from training.choices import (
    DispatchMode,
    DispatchStatus,
    PoolRole,
)
from training.eligibility import Verdict, dispatch_verdict
from training.models.commitments import ServiceCommitmentRule
from training.models.needs import TrainingNeed
from training.models.reference import Institution, Programme

# --- Dispatches ---------------------------------------------------------------------------


def planning_roles(cadre_ids: Iterable[int], on: date) -> dict[int, str]:
    """Incumbent or reserve in the confirmed planning on ``on``, per cadre (incumbent wins
    when a cadre is both, for different positions). One query."""
    entries = (
        PlanningEntry.objects.filter(
            cadre_id__in=list(cadre_ids),
            added_by__status=DecisionStatus.CONFIRMED,
            added_by__issued_on__lte=on,
        )
        .exclude(removed_by__status=DecisionStatus.CONFIRMED, removed_on__lte=on)
        .values_list("cadre_id", "role")
    )
    roles: dict[int, str] = {}
    for cadre_id, role in entries:
        if roles.get(cadre_id) != PoolRole.INCUMBENT:
            roles[cadre_id] = (
                PoolRole.INCUMBENT if role == EntryRole.INCUMBENT else PoolRole.RESERVE
            )
    return roles


DECIDED = (DispatchStatus.PLANNED, DispatchStatus.STUDYING)


class DispatchQuerySet(UnitScopedQuerySet):
    def started_in(self, year: int) -> DispatchQuerySet:
        return self.filter(start_date__year=year)

    def under_commitment(self, on: date) -> DispatchQuerySet:
        """Who still owes service on ``on``: graduated, the committed months not over, and no
        repayment recorded (the commitment ledger)."""
        return self.filter(
            status=DispatchStatus.GRADUATED, commitment_ends_on__gt=on, reimbursement__isnull=True
        )

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
        """Dispatches of district-level and commune-level cadres (by their unit when sent)."""
        rows = self.values("unit__level").annotate(count=Count("id")).order_by()
        return {row["unit__level"]: row["count"] for row in rows}


class DispatchDecision(TrackedModel):
    """One decision (Quyết định cử đi học) sending several cadres to the same course: the
    approved candidates of a plan line become its dispatches in one batch, and the decision and
    the school's summary list (danh sách trích ngang) are printed from it."""

    number = models.CharField("số quyết định", max_length=50, unique=True)
    issued_on = models.DateField("ngày quyết định")
    signer = models.CharField("người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=150, blank=True)
    issuer = models.CharField(
        "cơ quan ban hành", max_length=255, blank=True, default="Ban Thường vụ Huyện ủy"
    )
    programme = models.ForeignKey(Programme, verbose_name="chương trình", on_delete=models.PROTECT)
    institution = models.ForeignKey(
        Institution, verbose_name="cơ sở đào tạo", on_delete=models.PROTECT
    )
    start_date = models.DateField("ngày nhập học")
    end_date = models.DateField("ngày kết thúc dự kiến")
    mode = models.CharField(
        "hình thức", max_length=20, choices=DispatchMode.choices, default=DispatchMode.IN_SERVICE
    )

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = "quyết định cử đi học"
        verbose_name_plural = "quyết định cử đi học"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày kết thúc phải sau ngày nhập học.",
            ),
        ]

    def __str__(self) -> str:
        return f"Quyết định {self.number} ngày {self.issued_on:%d/%m/%Y}"


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
    decision = models.ForeignKey(
        DispatchDecision,
        verbose_name="theo quyết định chung",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị khi cử đi học",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống để lấy đơn vị cán bộ công tác vào ngày quyết định (theo quá trình "
        "giữ chức vụ, quá trình công tác); báo cáo một kỳ đã qua đếm người theo đơn vị này, "
        "không theo đơn vị sau khi chuyển công tác.",
    )
    pool_role = models.CharField(
        "đương chức / dự nguồn khi cử",
        max_length=20,
        choices=PoolRole.choices,
        blank=True,
        help_text="Như danh sách cử đi học ghi; khi lập từ kế hoạch, lấy theo quy hoạch "
        "vào ngày quyết định.",
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
    commitment_ends_on = models.DateField(
        "hết thời gian cam kết phục vụ", null=True, blank=True, editable=False
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
        permissions = [
            ("import_dispatch", "Được nhập danh sách cử đi học từ tệp"),
            ("export_dispatch", "Được xuất danh sách cử đi học ra tệp"),
        ]
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
        if not errors and self.status in DECIDED and self.decision_changed():
            refusals = self.verdict().refusals
            if refusals:
                errors["cadre"] = refusals
        if errors:
            raise ValidationError(errors)

    # What eligibility is judged on: a dispatch is judged when it is decided (created, or its
    # person, programme or dates changed), not again at each later edit of its outcome.
    DECISION_FIELDS = ("cadre_id", "programme_id", "decision_date", "end_date")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._decided = instance.decision_values()
        return instance

    def decision_values(self) -> tuple:
        # From __dict__: a field deferred by .only() is not loaded just to be remembered.
        return tuple(self.__dict__.get(f) for f in self.DECISION_FIELDS)

    def decision_changed(self) -> bool:
        return getattr(self, "_decided", None) != self.decision_values()

    def verdict(self) -> Verdict:
        """The programme's eligibility rules for this dispatch, on the decision date. A refusal
        stops a dispatch that is decided or under way; a record of study that already ended is
        a fact, kept with its warnings (the district's lists of past years load as they are)."""
        sent_on = self.sent_on
        if not (self.cadre_id and self.programme_id and sent_on and self.end_date):
            return Verdict()
        months = self.months_to_serve
        if months is None and self.start_date:
            months = self.committed_months()
        return dispatch_verdict(self.cadre, self.programme, sent_on, self.end_date, months)

    def commitment_end(self) -> date | None:
        """The day the committed service ends: counted from graduation (or the end of study)."""
        if self.status != DispatchStatus.GRADUATED or not self.months_to_serve:
            return None
        return commitment.add_months(self.graduated_on or self.end_date, self.months_to_serve)

    @property
    def sent_on(self) -> date | None:
        """The decision date, or the start of study when a list gave the number only."""
        return self.decision_date or self.start_date

    def derive_fields(
        self,
        rules: list[ServiceCommitmentRule] | None = None,
        roles: dict[int, str] | None = None,
        pool: bool = True,
        units: dict[int, int | None] | None = None,
    ) -> None:
        """Months to serve by the rule in force, unless given; the unit the cadre worked in on
        the decision date (``Cadre.objects.units_on``: appointments, then work history), and
        incumbent or reserve in the planning on that date, unless the list states it (the
        importer calls this too, with the rules, units and roles of a chunk loaded)."""
        if pool and self.unit_id is None and self.cadre_id and self.sent_on:
            if units is None:
                units = Cadre.objects.filter(pk=self.cadre_id).units_on(self.sent_on)
            self.unit_id = units.get(self.cadre_id)
        # Looked up once: the importer gives the roles of a chunk, then the engine calls again.
        looked_up = getattr(self, "_pool_looked_up", False)
        if pool and not looked_up and not self.pool_role and self.cadre_id and self.sent_on:
            if roles is None:
                roles = planning_roles([self.cadre_id], self.sent_on)
            self.pool_role = roles.get(self.cadre_id, "")
            self._pool_looked_up = True
        if self.months_to_serve is None and self.start_date and self.end_date:
            self.months_to_serve = self.committed_months(rules)
        self.commitment_ends_on = self.commitment_end()

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    @property
    def study_months(self) -> int:
        return commitment.study_months(self.start_date, self.end_date)

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

    def cost(self) -> Decimal:
        """Support paid for this dispatch: the cost a trainee who leaves early repays."""
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)

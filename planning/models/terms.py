"""Planning terms and the decisions that approve, add to or remove from the pool."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cadres.choices import Level, UnitKind
from cadres.models import Unit, UnitScopedQuerySet
from core.models import TrackedModel
from planning import rules
from planning.choices import (
    DecisionKind,
    DecisionStatus,
    TermKind,
    TermLevel,
)
from planning.models.rulesets import RuleSet

# --- Terms and decisions --------------------------------------------------------------------


class PlanningTerm(TrackedModel):
    name = models.CharField("nhiệm kỳ", max_length=20, help_text="Ví dụ: 2025-2030")
    start_date = models.DateField("bắt đầu")
    end_date = models.DateField("kết thúc")
    level = models.CharField("cấp", max_length=20, choices=TermLevel.choices)
    kind = models.CharField(
        "loại quy hoạch", max_length=30, choices=TermKind.choices, default=TermKind.LEADERSHIP
    )

    class Meta:
        ordering = ["-start_date", "level", "kind"]
        verbose_name = "nhiệm kỳ quy hoạch"
        verbose_name_plural = "nhiệm kỳ quy hoạch"
        constraints = [
            models.UniqueConstraint(
                fields=["name", "level", "kind"],
                name="%(app_label)s_%(class)s_unique_name_level_kind",
                violation_error_message="Nhiệm kỳ quy hoạch này đã có.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.get_level_display()} – {self.get_kind_display()}"

    def planning_units(self) -> models.QuerySet[Unit]:
        """The units this term plans for: every commune for a commune term, the district (or
        province) for a district term."""
        if self.level == Level.COMMUNE:
            return Unit.objects.communes()
        return Unit.objects.filter(kind__in=[UnitKind.DISTRICT, UnitKind.PROVINCE])


class PlanningDecisionQuerySet(UnitScopedQuerySet):
    def drafts(self) -> PlanningDecisionQuerySet:
        return self.filter(status=DecisionStatus.DRAFT)

    def confirmed(self) -> PlanningDecisionQuerySet:
        return self.filter(status=DecisionStatus.CONFIRMED)


class PlanningDecision(TrackedModel):
    """The only way entries enter or leave the pool: an approval, an annual addition or a
    removal. Drafts (made by the annual review) take effect once confirmed."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)
    # A decision without a unit is the whole district's: every commune attaches its entries to
    # it (its page lists each user's own people only, through scoped inlines).
    shared_without_unit = True

    number = models.CharField("số quyết định", max_length=50)
    issued_on = models.DateField("ngày quyết định")
    issuer = models.CharField("cơ quan ban hành", max_length=255)
    kind = models.CharField("loại quyết định", max_length=20, choices=DecisionKind.choices)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.CONFIRMED,
    )
    term = models.ForeignKey(
        PlanningTerm,
        verbose_name="nhiệm kỳ quy hoạch",
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planning_decisions",
    )
    attachment = models.FileField("tệp đính kèm", upload_to="planning/decisions/", blank=True)
    note = models.TextField("ghi chú", blank=True)

    objects = PlanningDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = "quyết định quy hoạch"
        verbose_name_plural = "quyết định quy hoạch"

    def __str__(self) -> str:
        draft = " (dự thảo)" if self.is_draft else ""
        return f"{self.number} ngày {self.issued_on:%d/%m/%Y}{draft}"

    @property
    def is_draft(self) -> bool:
        return self.status == DecisionStatus.DRAFT

    @property
    def adds(self) -> bool:
        return self.kind in (DecisionKind.APPROVAL, DecisionKind.ADDITION)

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.term_id and self.issued_on:
            found = rules.decision_date_errors(
                self.issued_on, self.term.start_date, self.term.end_date
            )
            if found:
                errors["issued_on"] = found
        if self.unit_id and self.issued_on and not self.unit.is_active(self.issued_on):
            errors["unit"] = [f"{self.unit} không tồn tại ngày {self.issued_on:%d/%m/%Y}."]
        if self.unit_id and self.term_id and self.unit.level != self.term.level:
            errors.setdefault("unit", []).append(
                f"{self.unit} không thuộc {self.term.get_level_display().lower()}."
            )
        if errors:
            raise ValidationError(errors)

    def rule_set(self) -> RuleSet:
        """The rule set in force on the decision's date applies to it."""
        return RuleSet.objects.applying_on(self.issued_on)

    def ballot_errors(self, entries=None) -> list[str]:
        """Why the people this decision adds (or ``entries``, being added to it) may not be
        approved yet: a failed or out-of-order voting step (planning.rules.ballot_errors)."""
        if not self.adds:
            return []
        if entries is None:
            if not self.pk:
                return []
            entries = list(self.added_entries.select_related("cadre", "position"))
        rounds = self.term.rounds.filter(unit_id__in={e.unit_id for e in entries})
        ballots = [b for r in rounds.prefetch_related("ballots") for b in r.ballots.all()]
        return rules.ballot_errors(entries, ballots, self.rule_set())

    def confirm(self) -> None:
        """Issue a draft; refused while its voting rounds fail (see :meth:`ballot_errors`)."""
        errors = self.ballot_errors()
        if errors:
            raise ValidationError(errors)
        self.status = DecisionStatus.CONFIRMED
        self.save(update_fields=["status", "updated_at"])

    def discard(self) -> None:
        """Drop a draft: its added entries go, the entries it would remove stay."""
        if not self.is_draft:
            raise ValidationError("Chỉ hủy được quyết định đang dự thảo.")
        # One save per entry (a draft names a few), so each entry's history records the change.
        for entry in self.removed_entries.all():
            entry.removed_by, entry.removed_on, entry.removal_reason = None, None, ""
            entry.save(update_fields=["removed_by", "removed_on", "removal_reason"])
        self.added_entries.all().delete()
        self.delete()

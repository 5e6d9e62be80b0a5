"""Who is planned for which position: the entries of the pool."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from cadres.models import Cadre, Position, Unit, UnitScopedQuerySet
from core.models import TrackedModel
from planning import rules
from planning.choices import (
    DecisionKind,
    DecisionStatus,
    EntryRole,
    RemovalReason,
)
from planning.models.terms import PlanningDecision, PlanningTerm

# --- Entries --------------------------------------------------------------------------------


# Everything readiness and gaps read about an entry, joined in its one query.
WITH_LEVELS = [
    "term",
    "unit",
    "position__standard__professional_level",
    "position__standard__political_theory_level",
    "position__standard__state_management_level",
    "position__standard__general_education",
    "cadre__ethnicity",
    "cadre__unit",
    "cadre__professional_level",
    "cadre__political_theory_level",
    "cadre__state_management_level",
    "cadre__general_education",
    "added_by",
    "removed_by",
]


class PlanningEntryQuerySet(UnitScopedQuerySet):
    def current(self) -> PlanningEntryQuerySet:
        """Entries not removed nor marked for removal (what the limits count)."""
        return self.filter(removed_by__isnull=True)

    def active(self, on: date) -> PlanningEntryQuerySet:
        """Entries in the pool on ``on``: added by a confirmed decision by then and not removed
        by a confirmed decision by then."""
        return self.filter(
            added_by__status=DecisionStatus.CONFIRMED, added_by__issued_on__lte=on
        ).exclude(removed_by__status=DecisionStatus.CONFIRMED, removed_on__lte=on)

    def in_unit(self, unit: Unit, descendants: bool = False) -> PlanningEntryQuerySet:
        if descendants:
            return self.filter(unit__path__startswith=unit.path)
        return self.filter(unit=unit)

    def for_term(self, term: PlanningTerm) -> PlanningEntryQuerySet:
        return self.filter(term=term)

    def retiring_within_term(self) -> PlanningEntryQuerySet:
        """Entries whose cadre reaches retirement age before the end of the planned term."""
        return self.filter(cadre__retirement_date__lte=F("term__end_date"))

    def with_levels(self) -> PlanningEntryQuerySet:
        """Everything readiness and gaps read, joined in the one query."""
        return self.select_related(*WITH_LEVELS)


class PlanningEntry(TrackedModel):
    """One cadre planned for one position of one unit in one term."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    term = models.ForeignKey(
        PlanningTerm, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="entries"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="planning_entries"
    )
    position = models.ForeignKey(
        Position,
        verbose_name="chức danh quy hoạch",
        on_delete=models.PROTECT,
        related_name="planning_entries",
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="planning_entries"
    )
    role = models.CharField(
        "đương chức / dự nguồn", max_length=20, choices=EntryRole.choices, default=EntryRole.RESERVE
    )
    # Derived by clean() from the pool's own history (rules.planned_in_an_earlier_term).
    first_time = models.BooleanField("quy hoạch lần đầu", default=True, editable=False)
    political_standard_on = models.DateField(
        "ngày kết luận tiêu chuẩn chính trị",
        null=True,
        blank=True,
        help_text="Kết luận của cấp ủy về tiêu chuẩn chính trị (Quy định 58-QĐ/TW); để trống "
        "thì danh sách cảnh báo.",
    )
    added_by = models.ForeignKey(
        PlanningDecision,
        verbose_name="quyết định phê duyệt, bổ sung",
        on_delete=models.PROTECT,
        related_name="added_entries",
        limit_choices_to={"kind__in": [DecisionKind.APPROVAL, DecisionKind.ADDITION]},
    )
    removed_by = models.ForeignKey(
        PlanningDecision,
        verbose_name="quyết định đưa ra khỏi quy hoạch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="removed_entries",
        limit_choices_to={"kind": DecisionKind.REMOVAL},
    )
    removed_on = models.DateField("ngày đưa ra", null=True, blank=True)
    removal_reason = models.CharField(
        "lý do đưa ra", max_length=20, choices=RemovalReason.choices, blank=True
    )
    removal_note = models.TextField("ghi chú lý do", blank=True)

    objects = PlanningEntryQuerySet.as_manager()

    class Meta:
        ordering = ["term", "unit", "position", "role", "cadre__full_name"]
        verbose_name = "người trong quy hoạch"
        verbose_name_plural = "danh sách quy hoạch"
        constraints = [
            models.UniqueConstraint(
                fields=["term", "unit", "position", "cadre"],
                condition=Q(removed_by__isnull=True),
                name="%(app_label)s_%(class)s_once_per_position",
                violation_error_message="Cán bộ này đã được quy hoạch vào chức danh này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name} – {self.position} ({self.term.name})"

    @property
    def is_removed(self) -> bool:
        return self.removed_by_id is not None

    def clean(self) -> None:
        errors = self.decision_errors()
        errors.update(self.removal_errors())
        if errors:
            raise ValidationError(errors)
        hard = self.rule_errors()
        if hard:
            raise ValidationError(hard)

    def is_complete(self) -> bool:
        return bool(
            self.term_id
            and self.unit_id
            and self.position_id
            and self.cadre_id
            and self.added_by_id
        )

    def rule_errors(self, batch=(), **records) -> dict[str, list[str]]:
        """The planning rules (planning/rules.py) on the decision's date, with ``batch`` the
        other entries written in the same go (see :func:`planning.rules.limit_errors`); derives
        ``first_time`` first. ``records``: the cadre's appointments, disciplines, evaluations
        when already loaded. Locks the position and person rows (:func:`rules.lock_for_limits`)
        so the limits hold against concurrent writers."""
        if self.is_removed or not self.is_complete():
            return {}
        self.first_time = not rules.planned_in_an_earlier_term(self)
        rules.lock_for_limits([self])
        return rules.hard_rule_errors(self, self.added_by.rule_set(), batch, **records)

    def proposal_messages(self, on: date, rule_set) -> tuple[list[str], list[str]]:
        """What adding this person for this post on ``on`` would meet, before any decision:
        the refusals ``clean()`` would raise about the person (:func:`rules.person_errors`;
        the limits are the caller's to count) and the warnings the planning list would show
        (an appointment too close, the last evaluations, the political standard). Derives
        ``first_time`` first, as :meth:`rule_errors` does."""
        self.first_time = not rules.planned_in_an_earlier_term(self)
        cadre = self.cadre
        appointments = list(cadre.appointments.select_related("position"))
        evaluations = list(cadre.evaluations.all())
        errors = rules.person_errors(
            self, rule_set, on, appointments, cadre.disciplines.all(), evaluations
        )
        refusals = [message for messages in errors.values() for message in messages]
        warnings = [
            *rules.appointment_interval_warnings(on, appointments, rule_set),
            *rules.standing_warnings(self, rule_set, on, evaluations),
        ]
        return refusals, warnings

    def decision_errors(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if self.added_by_id and not self.added_by.adds:
            errors["added_by"] = ["Phải là quyết định phê duyệt hoặc bổ sung quy hoạch."]
        if self.added_by_id and self.term_id and self.added_by.term_id != self.term_id:
            errors.setdefault("added_by", []).append("Quyết định thuộc nhiệm kỳ quy hoạch khác.")
        return errors

    def removal_errors(self) -> dict[str, list[str]]:
        if not (self.removed_by_id or self.removed_on or self.removal_reason):
            return {}
        errors: dict[str, list[str]] = {}
        if not self.removed_by_id:
            errors["removed_by"] = ["Chỉ đưa ra khỏi quy hoạch bằng một quyết định."]
        elif self.removed_by.kind != DecisionKind.REMOVAL:
            errors["removed_by"] = ["Phải là quyết định đưa ra khỏi quy hoạch."]
        if not self.removal_reason:
            errors["removal_reason"] = ["Chọn lý do đưa ra khỏi quy hoạch."]
        if not self.removed_on:
            errors["removed_on"] = ["Nhập ngày đưa ra khỏi quy hoạch."]
        elif self.added_by_id and self.removed_on < self.added_by.issued_on:
            errors["removed_on"] = ["Ngày đưa ra phải sau ngày được quy hoạch."]
        return errors

    def remove(self, decision: PlanningDecision, reason: str, note: str = "") -> None:
        """Mark for removal by ``decision`` (effective once the decision is confirmed)."""
        self.removed_by = decision
        self.removed_on = decision.issued_on
        self.removal_reason = reason
        self.removal_note = note
        self.full_clean()
        self.save()

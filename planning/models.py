"""The cadre planning pool (quy hoạch): rule sets, position standards, terms, decisions, entries,
ballots and rotations. The rules that count other rows live in :mod:`planning.rules`."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history import register as register_history

from cadres.choices import Level, Track, UnitKind
from cadres.models import Cadre, Position, QualificationLevel, Unit, level_field
from core.models import TrackedModel
from planning.choices import (
    BallotStep,
    DecisionKind,
    DecisionStatus,
    EntryRole,
    RemovalReason,
    TermKind,
    TermLevel,
)

# Typical duration in months of the training that lifts a cadre to a level, by level code. Used to
# tell "ready within 1-2 years" from "later"; editable per rule set until training programmes
# carry their own durations.
DEFAULT_TRAINING_MONTHS = {
    "PT_9_12": 24,
    "PT_12_12": 36,
    "CM_TRUNG_CAP": 24,
    "CM_CAO_DANG": 36,
    "CM_DAI_HOC": 48,
    "CM_THAC_SI": 24,
    "CM_TIEN_SI": 48,
    "LLCT_SO_CAP": 3,
    "LLCT_TRUNG_CAP": 12,
    "LLCT_CAO_CAP": 18,
    "LLCT_CU_NHAN": 48,
    "QLNN_CHUYEN_VIEN": 2,
    "QLNN_CHUYEN_VIEN_CHINH": 3,
    "QLNN_CHUYEN_VIEN_CAO_CAP": 3,
}
UNKNOWN_TRAINING_MONTHS = 24


def default_training_months() -> dict[str, int]:
    return dict(DEFAULT_TRAINING_MONTHS)


# --- Rule sets and standards ----------------------------------------------------------------


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, on: date) -> RuleSet | None:
        """The rule set valid on ``on`` (the most recent one if validity periods overlap)."""
        return (
            self.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )

    def applying_on(self, on: date) -> RuleSet:
        """The rule set in force on ``on``, or the defaults (an unsaved rule set) before the
        first one recorded, so that old decisions are still checked against something."""
        return self.in_force(on) or RuleSet(name="Mặc định", valid_from=on)


class RuleSet(TrackedModel):
    """The numbers of one planning regulation (50-QĐ/TW, 377-QĐ/TW, a province's rules)."""

    name = models.CharField("tên bộ quy định", max_length=150, unique=True)
    regulation = models.CharField("văn bản", max_length=255, help_text="Ví dụ: Quy định 50-QĐ/TW")
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    candidates_per_position = models.PositiveSmallIntegerField(
        "số người quy hoạch tối đa cho một chức danh", default=3
    )
    positions_per_person = models.PositiveSmallIntegerField(
        "số chức danh tối đa của một người cùng cấp", default=3
    )
    only_higher_position = models.BooleanField(
        "chỉ quy hoạch chức danh cao hơn chức danh hiện giữ", default=True
    )
    full_term_months = models.PositiveSmallIntegerField(
        "số tháng công tác tối thiểu khi quy hoạch lần đầu",
        default=60,
        help_text="Tính từ ngày bắt đầu nhiệm kỳ quy hoạch đến ngày nghỉ hưu theo luật.",
    )
    young_age_commune = models.PositiveSmallIntegerField(
        "tuổi trẻ cấp xã (dưới)",
        default=35,
        help_text="Quy định Trung ương không nêu cho cấp xã; mặc định dưới 35 theo hướng dẫn "
        "của nhiều tỉnh, sửa theo quy định của địa phương.",
    )
    young_age_district = models.PositiveSmallIntegerField("tuổi trẻ cấp huyện (dưới)", default=40)
    young_age_province = models.PositiveSmallIntegerField("tuổi trẻ cấp tỉnh (dưới)", default=40)
    young_age_central = models.PositiveSmallIntegerField(
        "tuổi trẻ cấp Trung ương (dưới)", default=45
    )
    target_women_percent = models.DecimalField(
        "tỷ lệ nữ tối thiểu (%)", max_digits=5, decimal_places=2, default=25
    )
    target_young_percent = models.DecimalField(
        "tỷ lệ cán bộ trẻ tối thiểu (%)", max_digits=5, decimal_places=2, default=15
    )
    target_minority_percent = models.DecimalField(
        "tỷ lệ dân tộc thiểu số tối thiểu (%)",
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text="Phù hợp với đặc điểm địa phương; 0 là không đặt chỉ tiêu.",
    )
    remove_on_age = models.BooleanField("đưa ra khi quá tuổi", default=True)
    remove_on_discipline = models.BooleanField("đưa ra khi bị kỷ luật", default=True)
    remove_on_failed_evaluation = models.BooleanField(
        "đưa ra khi không hoàn thành nhiệm vụ", default=True
    )
    expired_discipline_allowed = models.BooleanField(
        "được quy hoạch khi kỷ luật đã hết thời hạn",
        default=False,
        help_text="Nếu không, kỷ luật đã hết hạn vẫn cản trong số tháng dưới đây.",
    )
    discipline_bar_months = models.PositiveSmallIntegerField(
        "số tháng kỷ luật còn cản quy hoạch sau khi quyết định", default=12
    )
    appointment_interval_months = models.PositiveSmallIntegerField(
        "khoảng cách tối thiểu giữa quy hoạch và bổ nhiệm (tháng)",
        default=6,
        help_text="Cảnh báo khi quy hoạch và đề xuất bổ nhiệm cùng một người gần nhau hơn.",
    )
    training_months = models.JSONField(
        "thời gian đào tạo điển hình (tháng) theo mã trình độ", default=default_training_months
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "bộ quy định quy hoạch"
        verbose_name_plural = "bộ quy định quy hoạch"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_dates_in_order",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def young_age(self, level: str) -> int:
        return {
            Level.COMMUNE: self.young_age_commune,
            Level.DISTRICT: self.young_age_district,
            Level.PROVINCE: self.young_age_province,
        }.get(level, self.young_age_central)

    def months_to_train(self, level: QualificationLevel) -> int:
        return int(self.training_months.get(level.code, UNKNOWN_TRAINING_MONTHS))


# The tracks a position standard sets a level for, with the field on both the standard and the
# cadre (the cadre's is derived from the qualification history).
STANDARD_LEVEL_FIELDS = {
    Track.PROFESSIONAL: "professional_level",
    Track.POLITICAL_THEORY: "political_theory_level",
    Track.STATE_MANAGEMENT: "state_management_level",
    Track.GENERAL_EDUCATION: "general_education",
}


class PositionStandard(TrackedModel):
    """What a position requires (tiêu chuẩn chức danh); data an administrator edits."""

    position = models.OneToOneField(
        Position, verbose_name="chức danh", on_delete=models.CASCADE, related_name="standard"
    )
    professional_level = level_field(Track.PROFESSIONAL, "chuyên môn tối thiểu")
    political_theory_level = level_field(Track.POLITICAL_THEORY, "lý luận chính trị tối thiểu")
    state_management_level = level_field(Track.STATE_MANAGEMENT, "quản lý nhà nước tối thiểu")
    general_education = level_field(Track.GENERAL_EDUCATION, "giáo dục phổ thông tối thiểu")
    min_party_years = models.PositiveSmallIntegerField(
        "số năm tuổi Đảng tối thiểu", null=True, blank=True
    )
    max_age_first_planned = models.PositiveSmallIntegerField(
        "tuổi tối đa khi quy hoạch lần đầu", null=True, blank=True
    )
    other_requirements = models.TextField("tiêu chuẩn khác", blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = "tiêu chuẩn chức danh"
        verbose_name_plural = "tiêu chuẩn chức danh"

    def __str__(self) -> str:
        return f"Tiêu chuẩn {self.position}"

    def required_levels(self) -> dict[str, QualificationLevel]:
        """Required level per track, only for the tracks this standard sets."""
        levels = {track: getattr(self, field) for track, field in STANDARD_LEVEL_FIELDS.items()}
        return {track: level for track, level in levels.items() if level is not None}


class PlannedPosition(Position):
    """A position seen from planning: its standards beside its candidates."""

    class Meta:
        proxy = True
        verbose_name = "chức danh quy hoạch"
        verbose_name_plural = "chức danh và tiêu chuẩn"


class SuccessionGap(Unit):
    """A unit seen from planning: the list behind the count of key positions without anyone
    planned (see ``planning.readiness.units_without_candidate``)."""

    class Meta:
        proxy = True
        verbose_name = "đơn vị chưa có người quy hoạch"
        verbose_name_plural = "đơn vị có chức danh chưa có người quy hoạch"


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


class PlanningDecisionQuerySet(models.QuerySet):
    def drafts(self) -> PlanningDecisionQuerySet:
        return self.filter(status=DecisionStatus.DRAFT)

    def confirmed(self) -> PlanningDecisionQuerySet:
        return self.filter(status=DecisionStatus.CONFIRMED)


class PlanningDecision(TrackedModel):
    """The only way entries enter or leave the pool: an approval, an annual addition or a
    removal. Drafts (made by the annual review) take effect once confirmed."""

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

    def rule_set(self) -> RuleSet:
        """The rule set in force on the decision's date applies to it."""
        return RuleSet.objects.applying_on(self.issued_on)

    def confirm(self) -> None:
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


class PlanningEntryQuerySet(models.QuerySet):
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
    first_time = models.BooleanField("quy hoạch lần đầu", default=True)
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
        from planning import rules

        errors: dict[str, list[str]] = {}
        if self.added_by_id and not self.added_by.adds:
            errors["added_by"] = ["Phải là quyết định phê duyệt hoặc bổ sung quy hoạch."]
        if self.added_by_id and self.term_id and self.added_by.term_id != self.term_id:
            errors.setdefault("added_by", []).append("Quyết định thuộc nhiệm kỳ quy hoạch khác.")
        errors.update(self.removal_errors())
        if errors:
            raise ValidationError(errors)
        if self.is_removed or not (
            self.term_id
            and self.unit_id
            and self.position_id
            and self.cadre_id
            and self.added_by_id
        ):
            return
        hard = rules.hard_rule_errors(self, self.added_by.rule_set())
        if hard:
            raise ValidationError(hard)

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


# --- Ballots --------------------------------------------------------------------------------


class VotingRound(TrackedModel):
    """One planning round of a unit for a term, voted in the steps of :class:`BallotStep`."""

    term = models.ForeignKey(
        PlanningTerm, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="rounds"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["-year", "unit"]
        verbose_name = "đợt giới thiệu quy hoạch"
        verbose_name_plural = "đợt giới thiệu quy hoạch (bỏ phiếu)"

    def __str__(self) -> str:
        return f"{self.unit} – {self.term.name} – năm {self.year}"

    def outcome(self) -> list[tuple[Cadre, Position, list[tuple[str, bool]]]]:
        """Per candidate and position, each step held with whether it was passed, in order."""
        rows: dict[tuple[int, int], tuple[Cadre, Position, list[tuple[str, bool]]]] = {}
        ballots = self.ballots.select_related("cadre", "position").order_by("step", "pk")
        for ballot in ballots:
            key = (ballot.cadre_id, ballot.position_id)
            rows.setdefault(key, (ballot.cadre, ballot.position, []))[2].append(
                (ballot.get_step_display(), ballot.passed)
            )
        return list(rows.values())

    def passed_every_step(self) -> list[tuple[Cadre, Position]]:
        return [(c, p) for c, p, steps in self.outcome() if all(ok for _, ok in steps)]


class BallotQuerySet(models.QuerySet):
    def passed(self) -> BallotQuerySet:
        """More than half of the valid ballots in favour."""
        return self.alias(twice_for=F("votes_for") * 2).filter(twice_for__gt=F("valid"))


class Ballot(models.Model):
    """The count for one candidate at one step of a round."""

    round = models.ForeignKey(
        VotingRound, verbose_name="đợt", on_delete=models.CASCADE, related_name="ballots"
    )
    step = models.PositiveSmallIntegerField("bước", choices=BallotStep.choices)
    cadre = models.ForeignKey(
        Cadre, verbose_name="người được giới thiệu", on_delete=models.PROTECT, related_name="+"
    )
    position = models.ForeignKey(
        Position, verbose_name="chức danh", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("ngày họp")
    summoned = models.PositiveIntegerField("số được triệu tập")
    present = models.PositiveIntegerField("số có mặt")
    issued = models.PositiveIntegerField("số phiếu phát ra")
    returned = models.PositiveIntegerField("số phiếu thu về")
    valid = models.PositiveIntegerField("số phiếu hợp lệ")
    votes_for = models.PositiveIntegerField("số phiếu đồng ý")
    votes_against = models.PositiveIntegerField("số phiếu không đồng ý", default=0)

    objects = BallotQuerySet.as_manager()

    class Meta:
        ordering = ["round", "step", "position", "-votes_for"]
        verbose_name = "kết quả phiếu"
        verbose_name_plural = "kết quả phiếu"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "step", "cadre", "position"],
                name="%(app_label)s_%(class)s_once_per_step",
                violation_error_message="Người này đã có kết quả ở bước này.",
            ),
            models.CheckConstraint(
                condition=Q(present__lte=F("summoned"))
                & Q(returned__lte=F("issued"))
                & Q(valid__lte=F("returned")),
                name="%(app_label)s_%(class)s_counts_in_order",
                violation_error_message="Số có mặt, phiếu thu về, phiếu hợp lệ không được vượt "
                "số triệu tập, phát ra, thu về.",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__lte=F("valid") - F("votes_against")),
                name="%(app_label)s_%(class)s_votes_within_valid",
                violation_error_message="Số đồng ý và không đồng ý vượt số phiếu hợp lệ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name}: {self.votes_for}/{self.valid}"

    @property
    def passed(self) -> bool:
        return self.votes_for * 2 > self.valid


# --- Rotation -------------------------------------------------------------------------------


class RotationQuerySet(models.QuerySet):
    def ending_within(self, days: int, on: date) -> RotationQuerySet:
        """Rotations still running whose planned end falls within ``days`` after ``on``."""
        return self.filter(
            actual_end__isnull=True, planned_end__gte=on, planned_end__lte=on + timedelta(days)
        )


class Rotation(TrackedModel):
    """Luân chuyển: a cadre sent to another post or unit for training in practice."""

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


# --- Change history --------------------------------------------------------------------------
# Who changed what and when, shown on each record's history page (as for the cadres app).

for _model in (
    RuleSet,
    PositionStandard,
    PlanningTerm,
    PlanningDecision,
    PlanningEntry,
    VotingRound,
    Ballot,
    Rotation,
):
    register_history(_model, cascade_delete_history=False)

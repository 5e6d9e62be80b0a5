"""Voting rounds and ballots of the planning conference."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from cadres.models import Cadre, Position, Unit, UnitScopedQuerySet
from core.models import TrackedModel
from planning.choices import (
    BallotStep,
)
from planning.models.terms import PlanningTerm

# --- Ballots --------------------------------------------------------------------------------


class VotingRound(TrackedModel):
    """One planning round of a unit for a term, voted in the steps of :class:`BallotStep`."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    term = models.ForeignKey(
        PlanningTerm, verbose_name="nhiệm kỳ", on_delete=models.PROTECT, related_name="rounds"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm rà soát")
    note = models.TextField("ghi chú", blank=True)

    objects = UnitScopedQuerySet.as_manager()

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

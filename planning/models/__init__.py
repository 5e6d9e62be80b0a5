"""The cadre planning pool (quy hoạch): rule sets and position standards, terms and decisions,
entries, ballots and rotations. The rules that count other rows live in :mod:`planning.rules`."""

from simple_history import register as register_history

from planning.models.ballots import (
    Ballot,
    BallotQuerySet,
    VotingRound,
)
from planning.models.entries import (
    WITH_LEVELS,
    PlanningEntry,
    PlanningEntryQuerySet,
)
from planning.models.rotations import (
    Rotation,
    RotationQuerySet,
)
from planning.models.rulesets import (
    DEFAULT_TRAINING_MONTHS,
    STANDARD_LEVEL_FIELDS,
    UNKNOWN_TRAINING_MONTHS,
    PlannedPosition,
    PositionStandard,
    RuleSet,
    RuleSetQuerySet,
    SuccessionGap,
    default_training_months,
)
from planning.models.terms import (
    PlanningDecision,
    PlanningDecisionQuerySet,
    PlanningTerm,
)

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


__all__ = [
    "Ballot",
    "BallotQuerySet",
    "DEFAULT_TRAINING_MONTHS",
    "PlannedPosition",
    "PlanningDecision",
    "PlanningDecisionQuerySet",
    "PlanningEntry",
    "PlanningEntryQuerySet",
    "PlanningTerm",
    "PositionStandard",
    "Rotation",
    "RotationQuerySet",
    "RuleSet",
    "RuleSetQuerySet",
    "STANDARD_LEVEL_FIELDS",
    "SuccessionGap",
    "UNKNOWN_TRAINING_MONTHS",
    "VotingRound",
    "WITH_LEVELS",
    "default_training_months",
]

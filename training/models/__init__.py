"""Training: programmes and institutions, schemes and annual plans, needs, people sent to study,
classes of the political training centre with their attendances, service commitments and money.
"""

from training.models.commitments import ServiceCommitmentRule
from training.models.courses import Attendance, Course, CourseQuerySet, Trainee
from training.models.dispatches import Dispatch, DispatchQuerySet
from training.models.money import Reimbursement, SupportPayment, SupportPolicy, SupportRate
from training.models.needs import TrainingNeed, TrainingNeedQuerySet
from training.models.plans import (
    PlanCandidate,
    PlanLine,
    SchemeTarget,
    TrainingPlan,
    TrainingScheme,
)
from training.models.reference import Institution, Programme

__all__ = [
    "Attendance",
    "Course",
    "CourseQuerySet",
    "Dispatch",
    "DispatchQuerySet",
    "Institution",
    "PlanCandidate",
    "PlanLine",
    "Programme",
    "Reimbursement",
    "SchemeTarget",
    "ServiceCommitmentRule",
    "SupportPayment",
    "SupportPolicy",
    "SupportRate",
    "Trainee",
    "TrainingNeed",
    "TrainingNeedQuerySet",
    "TrainingPlan",
    "TrainingScheme",
]

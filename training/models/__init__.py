"""Training: programmes and institutions, schemes and annual plans, needs, people sent to study,
classes of the political training centre with their attendances, service commitments and money.
"""

from simple_history import register as register_history

from training.models.commitments import RepaymentRule, ServiceCommitmentRule
from training.models.courses import Attendance, Course, CourseQuerySet, Trainee
from training.models.dispatches import Dispatch, DispatchDecision, DispatchQuerySet
from training.models.money import (
    BudgetAllocation,
    CourseCost,
    Departure,
    Reimbursement,
    SupportPayment,
    SupportPolicy,
    SupportRate,
)
from training.models.needs import TrainingNeed, TrainingNeedQuerySet
from training.models.plans import (
    PlanCandidate,
    PlanLine,
    QuotaShare,
    SchemeTarget,
    TrainingPlan,
    TrainingScheme,
)
from training.models.reference import Institution, Programme
from training.models.scorecard import CommuneDuty, DutyReport
from training.models.templates import PrintTemplate

# Who changed what and when, shown on each record's history page (as for the cadres app).
for _model in (
    Institution,
    Programme,
    ServiceCommitmentRule,
    RepaymentRule,
    SupportPolicy,
    SupportRate,
    TrainingScheme,
    SchemeTarget,
    TrainingPlan,
    PlanLine,
    QuotaShare,
    PlanCandidate,
    TrainingNeed,
    DispatchDecision,
    Dispatch,
    PrintTemplate,
    Reimbursement,
    SupportPayment,
    CourseCost,
    BudgetAllocation,
    Departure,
    CommuneDuty,
    DutyReport,
    Course,
    Trainee,
    Attendance,
):
    register_history(_model, cascade_delete_history=False)

__all__ = [
    "CommuneDuty",
    "DutyReport",
    "BudgetAllocation",
    "CourseCost",
    "Departure",
    "Attendance",
    "Course",
    "CourseQuerySet",
    "Dispatch",
    "DispatchDecision",
    "DispatchQuerySet",
    "Institution",
    "PlanCandidate",
    "PlanLine",
    "PrintTemplate",
    "Programme",
    "QuotaShare",
    "Reimbursement",
    "RepaymentRule",
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

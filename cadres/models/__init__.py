"""The cadre register: reference data, the organisation tree and positions, cadres and the
histories of the 2C CV form, and who may see which units."""

from simple_history import register as register_history

from cadres.models.access import DISTRICT_WIDE_ROLES, Role, StaffAssignment, role_of
from cadres.models.cadres import (
    DERIVED_LEVEL_FIELDS,
    LEVEL_FIELDS,
    Cadre,
    CadreQuerySet,
    cadre_date_errors,
    cccd_validator,
    current_levels,
    employed_on_q,
    key_position_q,
    level_field,
    qualified_on_q,
)
from cadres.models.histories import (
    Appointment,
    CadreRecord,
    Discipline,
    Evaluation,
    FamilyRelation,
    Period,
    Qualification,
    Reward,
    SalaryStep,
    WorkHistory,
    party_post_errors,
)
from cadres.models.reference import (
    CvTemplate,
    Ethnicity,
    QualificationLevel,
    Religion,
    RetirementAge,
)
from cadres.models.units import (
    Position,
    Unit,
    UnitQuerySet,
    UnitScopedQuerySet,
    UnitSuccession,
    visible_unit_paths,
)

# Audit: every save and delete through the ORM's instance methods (admin, import, commands)
# writes a historical row with who, when and every field; the admin shows the differences.
# bulk_create/bulk_update/QuerySet.update bypass it: see cadres/audit.py.
for _model, _excluded in [
    (Unit, ["path", "depth", "name_key"]),
    (Position, []),
    (Cadre, ["search_name"]),
    (Appointment, []),
    (WorkHistory, []),
    (Qualification, []),
    (SalaryStep, []),
    (Evaluation, []),
    (Reward, []),
    (Discipline, []),
    (FamilyRelation, []),
    (StaffAssignment, []),
    (RetirementAge, []),
]:
    register_history(_model, excluded_fields=_excluded, cascade_delete_history=False)

__all__ = [
    "DERIVED_LEVEL_FIELDS",
    "DISTRICT_WIDE_ROLES",
    "LEVEL_FIELDS",
    "Appointment",
    "Cadre",
    "CadreQuerySet",
    "CadreRecord",
    "Discipline",
    "Ethnicity",
    "Evaluation",
    "FamilyRelation",
    "Period",
    "Position",
    "Qualification",
    "QualificationLevel",
    "Religion",
    "RetirementAge",
    "CvTemplate",
    "Reward",
    "Role",
    "SalaryStep",
    "StaffAssignment",
    "Unit",
    "UnitQuerySet",
    "UnitScopedQuerySet",
    "UnitSuccession",
    "WorkHistory",
    "cadre_date_errors",
    "cccd_validator",
    "current_levels",
    "employed_on_q",
    "key_position_q",
    "party_post_errors",
    "level_field",
    "qualified_on_q",
    "role_of",
    "visible_unit_paths",
]

"""The four roles as Django groups, their permissions computed from app labels.

Permissions are computed, not listed: every model of the record apps (``RECORD_APPS``) is
records work, except the few models in ``REFERENCE_MODELS`` (rules, standards, reference data,
the organisation tree), which only administrators change. Running ``manage.py setup_roles``
again after a new app or model lands grants its permissions to the right roles.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from cadres.models import Role, StaffAssignment

RECORD_APPS = ("core", "cadres", "planning", "training", "party")

# "app_label.model_name" of rules and reference data: administrators only (others may view).
REFERENCE_MODELS = frozenset(
    {
        "cadres.ethnicity",
        "cadres.religion",
        "cadres.qualificationlevel",
        "cadres.position",
        "cadres.unit",
        "cadres.unitsuccession",
        "cadres.staffassignment",
        "core.exportlog",
        "planning.ruleset",
        "party.admissiontarget",
        "planning.positionstandard",
        "training.supportpolicy",
        "training.supportrate",
        "training.programme",
        "training.institution",
        "training.servicecommitmentrule",
    }
)
# Planning and training records of their own units, scoped like cadres: commune staff may look.
# Decisions, votes, rotations and dispatches are the district's to make.
COMMUNE_VIEW_MODELS = frozenset(
    {
        "planning.planningterm",  # its page shows the commune's own pool (planning.pool)
        "planning.planningdecision",
        "planning.votinground",
        "planning.rotation",
        "training.dispatch",
        "training.course",  # the classes to enter attendances in
    }
)
# What commune staff propose and keep for their own cadres: planning entries, training needs,
# and the people (party-admission candidates among them) they send to classes. Not deleted.
COMMUNE_EDIT_MODELS = frozenset(
    {
        "planning.planningentry",
        "training.trainingneed",
        "training.trainee",
        "training.attendance",
    }
)
# The cadre record itself and the tables of its 2C form: what commune staff keep.
COMMUNE_MODELS = frozenset(
    {
        "cadres.cadre",
        "cadres.appointment",
        "cadres.workhistory",
        "cadres.qualification",
        "cadres.salarystep",
        "cadres.evaluation",
        "cadres.reward",
        "cadres.discipline",
        "cadres.familyrelation",
        # Party-member development of the commune's villages and schools.
        "party.partycell",
        "party.cellmembershipreport",
        "party.coveredunit",
        "party.admissioncandidate",
    }
)
# Permissions outside the record apps that administrators need to manage accounts.
ADMINISTRATOR_EXTRA = ("auth.view_user", "auth.add_user", "auth.change_user", "auth.view_group")

GROUP_NAMES = {
    Role.ADMINISTRATOR: "Quản trị Ban Tổ chức huyện",
    Role.SPECIALIST: "Chuyên viên Ban Tổ chức huyện",
    Role.COMMUNE: "Cán bộ xã",
    Role.INSPECTOR: "Thanh tra, kiểm tra của tỉnh",
}

WRITE_ACTIONS = ("add", "change", "delete", "import")


def _action_and_model(permission: Permission) -> tuple[str, str]:
    action, _, _ = permission.codename.partition("_")
    label = f"{permission.content_type.app_label}.{permission.content_type.model}"
    return action, label


def _is_history(label: str) -> bool:
    return label.split(".")[1].startswith("historical")


def role_allows(role: str, permission: Permission) -> bool:
    """Whether ``role`` gets ``permission`` (actions: view, add, change, delete, and the
    import/export permissions django-import-export checks when they exist)."""
    action, label = _action_and_model(permission)
    if permission.codename == "view_personal_data":  # core.masking: the inspector sees masks
        return role != Role.INSPECTOR
    if permission.content_type.app_label not in RECORD_APPS:
        return role == Role.ADMINISTRATOR and f"auth.{permission.codename}" in ADMINISTRATOR_EXTRA
    if _is_history(label):  # written by the history library, never by hand
        return action == "view" and role != Role.COMMUNE
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.INSPECTOR:
        return action in ("view", "export") and label != "cadres.staffassignment"
    if role == Role.SPECIALIST:
        if label in REFERENCE_MODELS:
            return action == "view" and label != "cadres.staffassignment"
        return True
    # Commune staff: their cadres' records; the tree and positions to pick from.
    if label in COMMUNE_MODELS:
        return action != "delete" or label != "cadres.cadre"
    if label in COMMUNE_EDIT_MODELS:
        return action in ("view", "add", "change")
    if label in COMMUNE_VIEW_MODELS:
        return action == "view"
    return action == "view" and label in {"cadres.unit", "cadres.position"} | {
        f"cadres.{name}" for name in ("ethnicity", "religion", "qualificationlevel")
    }


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create or update the four groups; returns the number of permissions of each."""
    permissions = list(
        Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=(*RECORD_APPS, "auth")
        )
    )
    counts = {}
    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        granted = [p for p in permissions if role_allows(role, p)]
        group.permissions.set(granted)
        counts[name] = len(granted)
    for user in {a.user for a in StaffAssignment.objects.select_related("user")}:
        sync_groups(user)
    return counts


def sync_groups(user) -> None:
    """Put the user in exactly the groups of their assignments, and let them into the admin."""
    roles = set(StaffAssignment.objects.filter(user=user).values_list("role", flat=True))
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES.values()}
    user.groups.remove(*[groups[GROUP_NAMES[r]] for r in GROUP_NAMES if r not in roles])
    user.groups.add(*[groups[GROUP_NAMES[r]] for r in roles])
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])

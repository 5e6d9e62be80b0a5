"""The four roles as Django groups, their permissions computed from app labels.

Permissions are computed, not listed here: each app declares on its AppConfig which of its
models are reference data (``reference_models``: administrators change them, others may view),
what commune staff keep in full (``commune_models``), propose and keep without deleting
(``commune_edit_models``) or only look at (``commune_view_models``); every other model of an app
declaring any of these is records work for district staff. ``manage.py migrate`` brings the
groups up to date once every app's permissions exist (:func:`update_after_migrate`), so a new
app or model's permissions go to the right roles on deployment; ``manage.py setup_roles`` does
the same by hand. A user's groups follow their assignments on every path that writes one
(admin, shell, import): :func:`connect_signals`.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models.signals import post_delete, post_migrate, post_save

from cadres.models import Role, StaffAssignment

DECLARATIONS = (
    "superuser_models",
    "reference_models",
    "commune_models",
    "commune_edit_models",
    "commune_view_models",
)


def declared(attribute: str) -> frozenset[str]:
    """``app_label.model_name`` of the models every app declares under ``attribute``."""
    return frozenset(
        f"{config.label}.{name}"
        for config in apps.get_app_configs()
        for name in getattr(config, attribute, ())
    )


def record_apps() -> tuple[str, ...]:
    """The apps whose models the roles cover: those declaring their role permissions."""
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if any(hasattr(config, attribute) for attribute in DECLARATIONS)
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
    if label in declared("superuser_models"):
        return False
    if permission.content_type.app_label not in record_apps():
        return role == Role.ADMINISTRATOR and f"auth.{permission.codename}" in ADMINISTRATOR_EXTRA
    if _is_history(label):  # written by the history library, never by hand
        return action == "view" and role != Role.COMMUNE
    if role == Role.ADMINISTRATOR:
        return True
    if role == Role.INSPECTOR:
        return action in ("view", "export") and label != "cadres.staffassignment"
    if role == Role.SPECIALIST:
        if label in declared("reference_models"):
            return action == "view" and label != "cadres.staffassignment"
        return True
    # Commune staff: their cadres' records; the tree and positions to pick from.
    if label in declared("commune_models"):
        return action != "delete" or label != "cadres.cadre"
    if label in declared("commune_edit_models"):
        return action in ("view", "add", "change", "import")
    if label in declared("commune_view_models"):
        return action == "view"
    return action == "view" and label in {"cadres.unit", "cadres.position"} | {
        f"cadres.{name}" for name in ("ethnicity", "religion", "qualificationlevel")
    }


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create or update the four groups; returns the number of permissions of each."""
    permissions = list(
        Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=(*record_apps(), "auth")
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


def connect_signals() -> None:
    """Called from CadresConfig.ready."""
    post_save.connect(_assignment_written, sender=StaffAssignment, dispatch_uid="roles-save")
    post_delete.connect(_assignment_written, sender=StaffAssignment, dispatch_uid="roles-delete")
    post_migrate.connect(update_after_migrate, dispatch_uid="roles-migrate")


def _assignment_written(sender, instance: StaffAssignment, raw=False, **kwargs) -> None:
    if not raw:  # a fixture being loaded: its users and groups come as they are
        sync_groups(instance.user)


def update_after_migrate(sender, app_config, using, plan=None, verbosity=1, **kwargs) -> None:
    """After ``migrate`` (``plan`` is given; a test database's flush passes none), once the last
    app's permissions exist, and only if the database is at the latest migrations: migrated
    back to an older state, the tables may not match the models."""
    if plan is None or app_config is not _last_migrated_app():
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    counts = setup_roles()
    if verbosity >= 2:
        print(f"Roles updated: {counts}")


def _last_migrated_app():
    """post_migrate is sent once per app with a models module, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if config.models_module][-1]

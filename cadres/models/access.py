"""Who may see which units: roles and staff assignments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from core.models import TrackedModel

# --- Access and audit -----------------------------------------------------------------------


class Role(models.TextChoices):
    """What a user may do; the permissions of each role are computed in :mod:`cadres.roles`."""

    ADMINISTRATOR = "administrator", "Quản trị Ban Tổ chức huyện"
    SPECIALIST = "specialist", "Chuyên viên Ban Tổ chức huyện"
    COMMUNE = "commune", "Cán bộ xã"
    INSPECTOR = "inspector", "Thanh tra, kiểm tra của tỉnh"


# Roles that see every unit of the district; a commune user sees only their own units.
DISTRICT_WIDE_ROLES = (Role.ADMINISTRATOR, Role.SPECIALIST, Role.INSPECTOR)


class StaffAssignment(TrackedModel):
    """A user's role, and for commune staff the unit whose cadres they keep. A user may hold
    several assignments (a commune officer covering two communes); the widest one wins."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="staff_assignments",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "cadres.Unit",
        verbose_name="đơn vị phụ trách",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_assignments",
        help_text="Bắt buộc với cán bộ xã: chỉ xem và sửa được cán bộ của đơn vị này "
        "(và các đơn vị đã sáp nhập vào nó).",
    )

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = "phân công người dùng"
        verbose_name_plural = "phân công người dùng"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                name="%(app_label)s_%(class)s_unique_assignment",
                violation_error_message="Người dùng này đã được phân công như vậy.",
            ),
            models.CheckConstraint(
                condition=~Q(role="commune") | Q(unit__isnull=False),
                name="%(app_label)s_%(class)s_commune_needs_unit",
                violation_error_message="Cán bộ xã phải được gắn với một đơn vị.",
            ),
        ]

    def __str__(self) -> str:
        where = f" – {self.unit}" if self.unit_id else ""
        return f"{self.user}: {self.get_role_display()}{where}"


def role_of(user) -> str | None:
    """The widest role a user holds (superusers count as administrators)."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    cached = getattr(user, "_role", False)
    if cached is False:
        roles = set(StaffAssignment.objects.filter(user=user).values_list("role", flat=True))
        cached = user._role = next((role for role in Role.values if role in roles), None)
    return cached

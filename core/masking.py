"""Personal data hidden from roles that do not need it (CCCD and party details).

The admin lists and pages call :func:`mask_for`; exporters call it on every cell, so what an
inspector sees on screen is what they can take away.
"""

from __future__ import annotations

from typing import Any

MASKED_FIELDS = frozenset(
    {"cccd", "cccd_issued_on", "party_join_date", "party_official_date", "party_position"}
)
# Who keeps these records sees them in full: the permission is granted to roles by the app that
# defines them (cadres.roles); the read-only inspector does not hold it.
UNMASKED_PERMISSION = "core.view_personal_data"
MASK = "***"


def sees_unmasked(user) -> bool:
    return user is not None and user.has_perm(UNMASKED_PERMISSION)


def mask_value(field: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    if field == "cccd":  # the last four digits are enough to tell two people apart on a list
        text = str(value)
        return "*" * (len(text) - 4) + text[-4:]
    return MASK


def mask_for(user, field: str, value: Any) -> Any:
    """``value`` of ``field`` as ``user`` may see it: unchanged, or masked."""
    if field not in MASKED_FIELDS or sees_unmasked(user):
        return value
    return mask_value(field, value)


class MaskedCadreFieldsMixin:
    """CadreAdmin: masked users get read-only masked stand-ins of the masked fields on the
    change page and a masked CCCD column in the list."""

    def get_list_display(self, request):
        column = "cccd" if sees_unmasked(request.user) else "masked_cccd"
        return [*super().get_list_display(request), column]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_unmasked(request.user):
            return fieldsets
        return [(name, {**opts, "fields": _masked(opts["fields"])}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if sees_unmasked(request.user):
            return readonly
        return readonly + [f"masked_{field}" for field in sorted(MASKED_FIELDS)]

    def _masked(self, obj, field: str):
        return mask_value(field, getattr(obj, field)) or "—"

    def masked_cccd(self, obj):
        return self._masked(obj, "cccd")

    def masked_cccd_issued_on(self, obj):
        return self._masked(obj, "cccd_issued_on")

    def masked_party_join_date(self, obj):
        return self._masked(obj, "party_join_date")

    def masked_party_official_date(self, obj):
        return self._masked(obj, "party_official_date")

    def masked_party_position(self, obj):
        return self._masked(obj, "party_position")

    masked_cccd.short_description = "số CCCD"
    masked_cccd_issued_on.short_description = "ngày cấp CCCD"
    masked_party_join_date.short_description = "ngày vào Đảng"
    masked_party_official_date.short_description = "ngày chính thức"
    masked_party_position.short_description = "chức vụ Đảng"


def _masked(fields):
    """Replace masked field names (also inside tuples of one line) by their stand-ins."""
    out = []
    for item in fields:
        if isinstance(item, (tuple, list)):
            out.append(tuple(_masked(item)))
        else:
            out.append(f"masked_{item}" if item in MASKED_FIELDS else item)
    return out

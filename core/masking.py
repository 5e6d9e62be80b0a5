"""Personal data hidden from roles that do not need it (CCCD and party details).

One place says which fields are masked (:data:`MASKED_LABELS`) and every output obeys it: the
admin pages through :class:`MaskedFieldsMixin` (every scoped ModelAdmin has it), exporters call
:func:`mask_for` on every cell, the 2C CV masks its lines and its file name, so what an
inspector sees on screen is what they can take away.
"""

from __future__ import annotations

from typing import Any

# The masked fields, by name, wherever they are: a cadre's CCCD and party details, a trainee's
# CCCD, an admission candidate's party dates (admitted, end of probation, made official). Each
# with the label its stand-in column has on a masked user's pages.
MASKED_LABELS = {
    "cccd": "số CCCD",
    "cccd_issued_on": "ngày cấp CCCD",
    "party_join_date": "ngày vào Đảng",
    "party_official_date": "ngày chính thức",
    "party_position": "chức vụ Đảng",
    "admitted_on": "ngày kết nạp",
    "probation_ends_on": "hết thời gian dự bị",
    "official_on": "ngày công nhận chính thức",
}
MASKED_FIELDS = frozenset(MASKED_LABELS)
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


class MaskedRecord:
    """A read-only view of ``record`` whose masked fields read masked: what a document built
    from it (the 2C CV, its file name) shows a masked user."""

    def __init__(self, record):
        self._record = record

    def __getattr__(self, name: str):
        value = getattr(self._record, name)
        return mask_value(name, value) if name in MASKED_FIELDS else value


def shows_masked(lookup: str) -> bool:
    """Whether a search or list lookup (``"=cadre__cccd"``, ``"trainee__cccd__exact"``)
    reads a masked field."""
    return any(part in MASKED_FIELDS for part in lookup.lstrip("^=@").split("__"))


class MaskedFieldsMixin:
    """A ModelAdmin whose masked fields a masked user sees as read-only masked stand-ins
    (``masked_<field>``) in the list and on the change page, and cannot search by."""

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return names if sees_unmasked(request.user) else _masked(names)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if sees_unmasked(request.user) else _masked(fields)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_unmasked(request.user):
            return fieldsets
        return [(name, {**opts, "fields": _masked(opts["fields"])}) for name, opts in fieldsets]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if sees_unmasked(request.user):
            return readonly
        own = {field.name for field in self.model._meta.get_fields()} & MASKED_FIELDS
        return readonly + [f"masked_{field}" for field in sorted(own)]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if sees_unmasked(request.user):
            return fields
        return [lookup for lookup in fields if not shows_masked(lookup)]


def _stand_in(field: str):
    def stand_in(self, obj):
        return mask_value(field, getattr(obj, field, None)) or "—"

    stand_in.__name__ = f"masked_{field}"
    stand_in.short_description = MASKED_LABELS[field]
    return stand_in


for _field in MASKED_FIELDS:
    setattr(MaskedFieldsMixin, f"masked_{_field}", _stand_in(_field))


def _masked(fields):
    """Replace masked field names (also inside tuples of one line) by their stand-ins, once."""
    out = []
    for item in fields:
        if isinstance(item, (tuple, list)):
            item = tuple(_masked(item))
        elif item in MASKED_FIELDS:
            item = f"masked_{item}"
        if item not in out:
            out.append(item)
    return out

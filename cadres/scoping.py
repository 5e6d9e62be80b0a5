"""Admin side of access by unit: every entry point of a ModelAdmin goes through
``get_queryset``, so narrowing it with the model's ``visible_to(user)`` (the model declares its
``unit_path``, see :class:`cadres.models.UnitScopedQuerySet`) scopes the changelist, the change,
delete and history pages (another unit's record is "not found"), actions and the autocomplete
JSON. Foreign-key choices are narrowed the same way.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import BadRequest
from django.db import models
from django.http import Http404

from cadres.models import Unit, visible_unit_paths
from core.masking import MaskedFieldsMixin


def visible(queryset: models.QuerySet, user) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may see when its model belongs to a unit;
    unchanged for shared reference data (courses, programmes, positions)."""
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset


OUT_OF_SCOPE = "Đơn vị đã chọn (mã {value}) nằm ngoài phạm vi bạn được xem; yêu cầu bị từ chối."
NOT_A_UNIT = "Mã đơn vị “{value}” không hợp lệ (phải là một số); yêu cầu bị từ chối."


def chosen_unit(user, value, units=None) -> Unit | None:
    """The unit a request filters on (``?unit=``), among ``units`` (default: all the user may
    see); ``None`` when no unit is asked for. A unit the user may not choose, or a malformed
    value, is refused with a reason (400), never dropped silently."""
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise BadRequest(NOT_A_UNIT.format(value=value))
    units = Unit.objects.visible_to(user) if units is None else units
    unit = units.filter(pk=value).first()
    if unit is None:
        raise BadRequest(OUT_OF_SCOPE.format(value=value))
    return unit


def unit_allowed(user, unit: Unit | int | None) -> bool:
    """Whether ``user`` may write rows of ``unit`` (the importer refuses rows that fail it)."""
    if unit is None:
        return visible_unit_paths(user) is None
    pk = unit.pk if isinstance(unit, Unit) else unit
    return Unit.objects.visible_to(user).filter(pk=pk).exists()


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices narrowed with the related model's own
    ``visible_to(user)`` (units, cadres, planning decisions, training needs, trainees): a commune
    user can neither pick nor post the id of another commune's row. Works on ModelAdmins and
    inlines alike."""

    def _scope_choices(self, db_field, request, kwargs) -> None:
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        kwargs["queryset"] = visible(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInlineMixin(ScopedChoicesMixin):
    """An inline whose rows are scoped like its model's own admin (a course's attendances: a
    commune user sees and edits only their commune's people on the class page)."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)


class ScopedAdminMixin(MaskedFieldsMixin, ScopedChoicesMixin):
    """Put first in the bases of a ModelAdmin of a model that declares its ``unit_path``: the
    admin shows each user what ``Model.objects.visible_to(user)`` gives, with the masked fields
    masked for users who may not see them (:mod:`core.masking`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A row saved without its unit would drop out of a commune user's own scope.
        form = super().get_form(request, obj, change, **kwargs)
        path = self.model.unit_path
        field = form.base_fields.get(path.split("__")[0]) if isinstance(path, str) else None
        if field is not None and visible_unit_paths(request.user) is not None:
            field.required = True
        return form

    # django-simple-history's history pages fall back to the history table when the object is
    # not in get_queryset (to show deleted rows): keep that for users who see everything only.
    def _check_history_scope(self, request, object_id) -> None:
        if visible_unit_paths(request.user) is None:
            return
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("Không tìm thấy hồ sơ.")

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def export_unit_name(self, request) -> str:
        """The unit the list is filtered on (``?unit=``), for the title rows of an export; a
        unit outside the user's scope is refused, never titled over the user's own rows."""
        unit = chosen_unit(request.user, request.GET.get("unit"))
        return unit.name if unit else "Toàn bộ"


class ReadOnlyAdminMixin:
    """For lists the system writes or computes (the export log, units by coverage or by
    planning gap): shown to whoever may view them, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

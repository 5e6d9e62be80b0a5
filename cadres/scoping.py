"""Admin side of access by unit: every entry point of a ModelAdmin goes through
``get_queryset``, so filtering it with :func:`cadres.models.unit_scope` scopes the changelist,
the change, delete and history pages (another unit's record is "not found"), actions and the
autocomplete JSON. Foreign-key choices are narrowed the same way.

Planning and training admins reuse it by naming the path from their model to a unit::

    class PlanningEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
        scope_field = "cadre__unit"
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import Http404

from cadres.models import Unit, unit_scope, visible_unit_paths


def scope_queryset(queryset: models.QuerySet, user, scope_field: str | None) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may see; ``scope_field`` is the lookup from the
    model to a unit (``""`` for units themselves, ``None`` for unscoped reference data)."""
    if scope_field is None:
        return queryset
    return queryset.filter(unit_scope(user, scope_field))


def unit_allowed(user, unit: Unit | int | None) -> bool:
    """Whether ``user`` may write rows of ``unit`` (the importer refuses rows that fail it)."""
    if unit is None:
        return visible_unit_paths(user) is None
    pk = unit.pk if isinstance(unit, Unit) else unit
    return Unit.objects.visible_to(user).filter(pk=pk).exists()


def visible_in_admin(admin_site, queryset: models.QuerySet, request) -> models.QuerySet:
    """``queryset`` narrowed to the rows ``request.user`` sees in the model's own admin, for
    models scoped only there (by a ``ScopedAdminMixin``): decisions, needs, trainees."""
    if visible_unit_paths(request.user) is None:
        return queryset
    own = admin_site._registry.get(queryset.model)
    if not isinstance(own, ScopedAdminMixin):
        return queryset  # shared reference data (courses, programmes, positions)
    return queryset.filter(pk__in=own.get_queryset(request).values("pk"))


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices narrowed with the related model's own
    ``visible_to(user)`` (units, cadres), or else to what the user sees in the related model's
    scoped admin (planning decisions, training needs, trainees): a commune user can neither pick
    nor post the id of another commune's row. Works on ModelAdmins and inlines alike."""

    def _scope_choices(self, db_field, request, kwargs) -> None:
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        if hasattr(queryset, "visible_to"):
            kwargs["queryset"] = queryset.visible_to(request.user)
        else:
            kwargs["queryset"] = visible_in_admin(self.admin_site, queryset, request)

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
        return visible_in_admin(self.admin_site, super().get_queryset(request), request)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Put first in the bases of a ModelAdmin; set ``scope_field`` to the lookup from the model
    to a unit (``"unit"``, ``"cadre__unit"``, ``""`` for Unit)."""

    scope_field: str | None = None
    # Rows without a unit are the whole district's (a district-wide planning decision): shown
    # to everyone when this is on, otherwise to district staff only.
    shared_without_unit = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.shared_without_unit and visible_unit_paths(request.user) is not None:
            unitless = models.Q(**{f"{self.scope_field}__isnull": True})
            return queryset.filter(unit_scope(request.user, self.scope_field) | unitless)
        return scope_queryset(queryset, request.user, self.scope_field)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # A row saved without its unit would drop out of a commune user's own scope.
        form = super().get_form(request, obj, change, **kwargs)
        field = form.base_fields.get((self.scope_field or "").split("__")[0])
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
        """The unit the list is filtered on (``?unit=``), for the title rows of an export."""
        unit_id = request.GET.get("unit", "")
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
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

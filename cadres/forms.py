"""Forms shared by the admins."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.utils import timezone


class OptimisticLockForm(forms.ModelForm):
    """Refuses to save over a change someone else saved after this form was opened.

    The form carries the record's ``updated_at`` as loaded; on save the row is read again (and
    locked on PostgreSQL until the admin's transaction ends) and compared.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.initial["loaded_version"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        current = (
            model._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if current is not None and cleaned.get("loaded_version") != current.isoformat():
            raise forms.ValidationError(
                "Hồ sơ này vừa được người khác sửa lúc %(at)s, sau khi anh/chị mở trang. "
                "Hãy mở lại hồ sơ để xem thay đổi đó rồi sửa lại; thay đổi của anh/chị "
                "chưa được lưu.",
                code="stale",
                params={"at": timezone.localtime(current).strftime("%H:%M:%S %d/%m/%Y")},
            )
        return cleaned


class OptimisticLockAdminMixin:
    """Give a ModelAdmin of a TrackedModel the optimistic lock (put before ModelAdmin)."""

    form = OptimisticLockForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], "loaded_version"]})
        return fieldsets


class KnownObjectsAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that takes its chosen object from ``known`` (filled once for a
    whole inline formset by :func:`prefill_autocomplete`) instead of one query per form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.known: dict[str, models.Model] = {}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        default = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for key in sorted(selected):
            option = self.create_option(name, key, label(self.known[key]), True, len(default[1]))
            default[1].append(option)
        return [default]


def prefill_autocomplete(form_class, rows: models.QuerySet) -> None:
    """Give each :class:`KnownObjectsAutocompleteSelect` of ``form_class`` the objects that
    ``rows`` point to, read through the field's own (scoped) queryset: one query per field."""
    for name, field in form_class.base_fields.items():
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, KnownObjectsAutocompleteSelect):
            chosen = field.queryset.filter(pk__in=rows.values(f"{name}_id"))
            # Forms deep-copy their fields, but a widget's copy shares this dict.
            widget.known = {str(obj.pk): obj for obj in chosen}


def cache_choices(request, owner, field: forms.ModelChoiceField) -> None:
    """Read the options of a plain select once per request and admin class: otherwise every
    inline form re-reads them (one query per qualification row for the level select).
    Validation on save still checks the value against the queryset."""
    widget = getattr(field.widget, "widget", field.widget)
    if not isinstance(widget, forms.Select) or widget.allow_multiple_selected:
        return
    if isinstance(widget, AutocompleteSelect):
        return
    cache = request.__dict__.setdefault("_cached_choices", {})
    key = (type(owner), str(field.queryset.query))
    if key not in cache:
        cache[key] = list(iter(field.choices))  # iter(): no COUNT query for a length hint
    field.choices = cache[key]
    widget.choices = field.choices

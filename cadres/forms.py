"""Forms shared by the admins."""

from django import forms
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

"""core.renderers.FormRenderer writes the HTML Django's templates would, for every context."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.forms.renderers import DjangoTemplates
from django.forms.utils import ErrorList
from django.utils.safestring import mark_safe

from core.renderers import FormRenderer

VALUES = [None, "", 0, 12, Decimal("2.34"), "Nông \"Văn\" <A> & 'B'", mark_safe("<b>safe</b>"),
          date(2024, 3, 1), True, ["x"]]  # fmt: skip
ATTRS = [{}, {"class": "vTextField", "maxlength": 150}, {"required": True, "disabled": False},
         {"placeholder": 'say "hi" <now>', "data-x": mark_safe("<i>")}]  # fmt: skip
WIDGETS = [forms.TextInput, forms.HiddenInput, forms.NumberInput, forms.EmailInput,
           forms.URLInput, forms.PasswordInput, forms.DateInput, forms.CheckboxInput,
           forms.FileInput, forms.ClearableFileInput, forms.Select, forms.Textarea,
           admin_widgets.AdminTextInputWidget, admin_widgets.AdminDateWidget]  # fmt: skip


def both(render):
    return render(FormRenderer()), render(DjangoTemplates())


@pytest.mark.parametrize("widget_class", WIDGETS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_a_widget_is_rendered_as_django_renders_it(widget_class, value, attrs):
    widget = widget_class(attrs=attrs)
    ours, django = both(lambda renderer: widget.render("full_name", value, renderer=renderer))
    assert ours == django


@pytest.mark.parametrize("label", ["Họ và tên", "  Ngày <sinh>  ", mark_safe("<b>CCCD</b>"), ""])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize("attrs", [None, {"class": "required"}, {"hidden": True, "x": False}])
def test_a_label_is_rendered_as_django_renders_it(label, auto_id, attrs):
    def label_tag(renderer):
        form = forms.Form(auto_id=auto_id, renderer=renderer)
        form.fields["name"] = forms.CharField(label=label)
        return form["name"].label_tag(attrs=attrs)

    ours, django = both(label_tag)
    assert ours == django


@pytest.mark.parametrize("errors", [[], ["Ngày sinh không hợp lệ.", "Thiếu <tên>"]])
def test_an_error_list_is_rendered_as_django_renders_it(errors):
    ours, django = both(lambda renderer: str(ErrorList(errors, renderer=renderer)))
    assert ours == django
    assert (
        ErrorList(errors, renderer=FormRenderer()).as_ul()
        == ErrorList(errors, renderer=DjangoTemplates()).as_ul()
    )


def test_the_project_renders_forms_with_it():
    assert isinstance(forms.Form().renderer, FormRenderer)

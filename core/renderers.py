"""The form renderer: Django's templates, less three that pages render by the hundred.

A cadre's record page renders about 150 widgets and labels, each through a template (an
``<input>`` through three: its own, ``input.html`` and ``attrs.html``), and an error list for
every field, empty but rendered all the same: about a third of the page's CPU. The input (and
the admin's date field around it), the label and the empty error list are plain enough to
write here; every other template (selects, other admin widgets, a list with errors) is
Django's. ``tests/core/test_renderers.py`` renders the same contexts both ways and compares
the HTML."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
# Django's widget templates that are only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number",
        "password", "search", "tel", "text", "time", "url",
    )
)  # fmt: skip
ADMIN_DATE_TEMPLATE = "admin/widgets/date.html"  # the input in a paragraph
LABEL_TEMPLATE = "django/forms/label.html"
ERROR_LIST_TEMPLATES = frozenset(
    {"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"}
)


def formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: kept as it is when marked safe, escaped otherwise."""
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def attributes(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html`` and ``django/forms/attrs.html``."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def input_tag(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else f' value="{formatted(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}"'
        f' name="{conditional_escape(widget["name"])}"{value}{attributes(widget["attrs"])}>'
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return mark_safe(input_tag(context["widget"]))
        if template_name == ADMIN_DATE_TEMPLATE:
            # The included templates' last line breaks stay in Django's output.
            return mark_safe(f'<p class="date">\n  {input_tag(context["widget"])}\n\n\n</p>')
        if template_name == LABEL_TEMPLATE:
            label = conditional_escape(context["label"])
            if not context["use_tag"]:
                return mark_safe(label.strip())  # Django strips what a template gives
            tag = conditional_escape(context["tag"])
            return mark_safe(f"<{tag}{attributes(context['attrs'])}>{label}</{tag}>")
        if template_name in ERROR_LIST_TEMPLATES and not context["errors"]:
            return ""
        return super().render(template_name, context, request)

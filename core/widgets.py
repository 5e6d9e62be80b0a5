"""Form widgets of the admin.

``PlainSelect``: Django's ``Select`` includes ``select_option.html`` once per option; a report's
unit filter at province scale has 2,777 options, about 100 ms of CPU per page
(bench/RESULTS.md). The same markup built in Python costs a few milliseconds.
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PickFileWidget(AdminFileWidget):
    """The admin's file input with Vietnamese text: the browser draws its own file input in the
    browser's language ("Choose File", "No file chosen"), so the input is hidden behind a label
    that says "Chọn tệp…" and the name of the chosen file."""

    template_name = "admin/core/widgets/file_input.html"

    class Media:
        js = ["js/file-input.js"]


class PlainSelect(forms.Select):
    """A single-choice select (no option groups) rendered in Python, same HTML as Django's."""

    def render(self, name, value, attrs=None, renderer=None):
        # Not get_context(): it iterates the choices too (a second query for a model's).
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in ((self.format_value_key(v), label) for v, label in self.choices)
            ),
        )
        attributes = format_html_join("", ' {}="{}"', self.build_attrs(self.attrs, attrs).items())
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

    @staticmethod
    def format_value_key(value) -> str:
        value = getattr(value, "value", value)  # ModelChoiceIteratorValue
        return "" if value is None else str(value)

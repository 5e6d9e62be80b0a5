"""Widgets: how one cell of a file reads into one value (and back), with Vietnamese reasons."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.db import models
from import_export import widgets

from core import tabular
from core.text import fold

CHUNK = 2000
# A spreadsheet evaluates a cell that begins with one of these, even after spaces or a tab.
FORMULA_TRIGGERS = ("=", "+", "-", "@")


class ImportRefused(ValueError):
    """The whole file is refused (too big, unreadable, a required column missing)."""


# --- Widgets: one cell <-> one value ---------------------------------------------------------


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unescape_formula(text: str) -> str:
    """Undo the apostrophe our CSV export puts before a formula-like text."""
    if text.startswith("'") and text[1:].lstrip(" \t")[:1] in FORMULA_TRIGGERS and text[1:]:
        return text[1:]
    return text


class TextWidget(widgets.Widget):
    """Plain text, stored as written (never evaluated)."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        return unescape_formula(tabular.normalise_text(str(value)))


class DateWidget(widgets.Widget):
    """A day-first date; with ``month_year`` also "05/2010" (the 2C form's histories give the
    month and year only), read as the first of the month."""

    def __init__(self, month_year: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.month_year = month_year

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        return tabular.parse_date(value, allow_month_year=self.month_year)

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class CccdWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        return tabular.normalise_cccd(value)


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"“{value}” không phải là số nguyên.") from None
        if number != number.to_integral_value():
            raise ValueError(f"“{value}” không phải là số nguyên.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalWidget(widgets.Widget):
    """Decimals written with a comma (Vietnamese) or a point."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value).strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"“{value}” không phải là số.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def suggestion_text(value: str, known: dict[str, str]) -> str:
    """ " Có phải: A, B?" with the closest known names (compared folded), or nothing."""
    close = difflib.get_close_matches(fold(value), list(known), n=3, cutoff=0.6)
    names = list(dict.fromkeys(known[key] for key in close))
    return f" Có phải: {', '.join(names)}?" if names else ""


class ChoiceWidget(widgets.Widget):
    """A choice written as its Vietnamese label ("Nữ", "nu", "Công chức") or its code."""

    def __init__(self, choices, noun: str, **kwargs):
        super().__init__(**kwargs)
        self.noun = noun
        self.labels = dict(choices)
        self.by_key = {}
        for code, label in self.labels.items():
            self.by_key[fold(str(label))] = code
            self.by_key[fold(code)] = code

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        code = self.by_key.get(fold(str(value)))
        if code is None:
            known = {fold(str(label)): str(label) for label in self.labels.values()}
            raise ValueError(f"Không có {self.noun} “{value}”.{suggestion_text(value, known)}")
        return code

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class LookupWidget(widgets.Widget):
    """A related row found by any of its names (folded), loaded once per import: no query per
    row. ``names(obj)`` gives the names a file may use for ``obj``."""

    def __init__(
        self,
        model: type[models.Model],
        noun: str,
        names: Callable[[models.Model], Iterable[str]],
        queryset: Callable[[], Iterable[models.Model]] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.model, self.noun, self.names = model, noun, names
        self.queryset = queryset or (lambda: model.objects.all())
        self._index: dict[str, models.Model] | None = None

    def index(self) -> dict[str, models.Model]:
        if self._index is None:
            self._index = {}
            for obj in self.queryset():
                for name in self.names(obj):
                    if name:
                        self._index.setdefault(fold(name), obj)
        return self._index

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        found = self.index().get(fold(str(value)))
        if found is None:
            known = {key: str(obj) for key, obj in self.index().items()}
            raise ValueError(f"Không có {self.noun} “{value}”.{suggestion_text(value, known)}")
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def by_pk(self, pk) -> models.Model | None:
        return {obj.pk: obj for obj in self.index().values()}.get(pk)

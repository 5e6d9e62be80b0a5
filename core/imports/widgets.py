"""Widgets: how one cell of a file reads into one value (and back), with Vietnamese reasons."""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from import_export import widgets

from core import tabular
from core.text import fold

CHUNK = 2000
# Every header a file may give the citizen identity number under (one list for every importer).
CCCD_HEADERS = [
    "Số CCCD",
    "CCCD",
    "Số căn cước công dân",
    "Số căn cước",
    "Căn cước công dân",
    "Số định danh cá nhân",
    "Số định danh",
    "Số CMND/CCCD",
    "CMND/CCCD",
    "Số CCCD/CMND",
    "CCCD/CMND",
    "Số CMND",
]
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


class NotedWidget(widgets.Widget):
    """A widget that may accept a cell with a remark for the preview (a birth date given as a
    year alone): ``notes`` collects them; the engine takes them after each cell."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.notes: list[str] = []

    def take_notes(self) -> list[str]:
        notes, self.notes = self.notes, []
        return notes


class ReadOnce:
    """A widget whose reading of a cell depends on the cell's text alone (not on the row, the
    day or what the import created): each distinct text is read once, up to ``LIMIT`` texts
    (a column of a few names, places or days repeats them on every row; a column of distinct
    values costs its reading and no memory). Only what :meth:`once` is given is remembered:
    a check against the day or a remark for the row is the caller's, on every row."""

    LIMIT = 4096

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._read: dict[str, object] = {}

    def once(self, text: str, read: Callable[[str], object]):
        """``read(text)``, worked out on the first row giving ``text``; it may raise (a text
        that does not read is read again on each row, for its reason)."""
        found = self._read.get(text)
        if found is None:
            found = read(text)
            if len(self._read) < self.LIMIT:
                self._read[text] = found
        return found


def _plain_text(text: str) -> str:
    return unescape_formula(tabular.normalise_text(text))


class TextWidget(ReadOnce, widgets.Widget):
    """Plain text, stored as written (never evaluated): notes keep a leading "=" verbatim, and
    exports escape it (core.exports.escape_formula). Normalised once per distinct text."""

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        return self.once(str(value), _plain_text)


class NameWidget(TextWidget):
    """A person's or a body's name: never begins like a spreadsheet formula (a name "=HYPERLINK(…)"
    is a formula pasted by mistake or an injection attempt, and no name starts so)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text.lstrip(" \t")[:1] in FORMULA_TRIGGERS:
            raise ValueError(
                f"“{text[:40]}” bắt đầu bằng “{text.lstrip()[0]}” như một công thức bảng tính, "
                "không phải một cái tên; hãy ghi tên bằng chữ."
            )
        return text


_YEAR = re.compile(r"\d{4}(\.0)?")


class DateWidget(ReadOnce, NotedWidget):
    """A day-first date; with ``month_year`` also "05/2010" (the 2C form's histories give the
    month and year only), read as the first of the month. ``past``: a date that cannot be in
    the future (birth, party admission, graduation). ``year_alone``: "1975" is read as
    01/01/1975, the rule retirement records use for a birth date without day and month, and
    the row is flagged. Each distinct text is parsed once (a birth-date column repeats days);
    the future is checked and the remark made on every row."""

    # The days of 45 years of births fit (a text and its day: about 200 bytes each).
    LIMIT = 16384

    def __init__(
        self, month_year: bool = False, past: bool = False, year_alone: bool = False, **kwargs
    ):
        super().__init__(**kwargs)
        self.month_year, self.past, self.year_alone = month_year, past, year_alone
        self._today, self._asked = date.min, -1e9

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        if isinstance(value, str):
            found, note = self.once(value, self.read)
        else:
            found, note = self.read(value)
        if note:
            self.notes.append(note)
        if self.past and found > self.today():
            raise ValueError(f"{found:%d/%m/%Y} là ngày trong tương lai.")
        return found

    def read(self, value) -> tuple[date, str]:
        """The day a cell gives and the remark it calls for ("" for none)."""
        if self.year_alone and isinstance(value, str) and _YEAR.fullmatch(value.strip()):
            year = int(value.strip()[:4])
            if not 1900 <= year <= 2100:
                raise ValueError(f"Năm không hợp lệ: {value}.")
            return date(year, 1, 1), f"chỉ ghi năm {year}, đọc là 01/01/{year}"
        return tabular.parse_date(value, allow_month_year=self.month_year), ""

    def today(self) -> date:
        # Asked once a minute, not once per row.
        now = time.monotonic()
        if now - self._asked > 60:
            self._today, self._asked = timezone.localdate(), now
        return self._today

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class CccdWidget(widgets.Widget):
    """A CCCD as text: spaces and dots dropped, leading zeros a number cell lost restored."""

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


def close_matches(value: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Keys of ``known`` (folded) closest to ``value``: by similarity, and those containing it
    or contained in it (a school under a longer or shorter name)."""
    key = fold(value)
    known = list(known)
    close = difflib.get_close_matches(key, known, n=n, cutoff=0.6)
    if len(close) < n and len(key) >= 4:
        words = set(key.split())
        ranked = sorted(
            (
                k
                for k in known
                if k not in close and (key in k or k in key or words <= set(k.split()))
            ),
            key=lambda k: abs(len(k) - len(key)),
        )
        close += ranked[: n - len(close)]
    return close


def suggestion_text(value: str, known: dict[str, str]) -> str:
    """ " Có phải: A, B?" with the closest known names (compared folded), or nothing."""
    names = list(dict.fromkeys(known[key] for key in close_matches(value, known)))
    return f" Có phải: {', '.join(names)}?" if names else ""


class UnknownValue(ValueError):
    """A cell naming a reference value nobody knows (yet): the preview groups these by value,
    offers the ``suggestions`` ((pk, name) of the closest known ones) and, where ``creatable``,
    to create it. The message is the same as before, for the command line and the stock loop."""

    def __init__(self, message: str, value: str, suggestions=(), creatable: bool = False):
        super().__init__(message)
        self.value, self.key = value, fold(value)
        self.suggestions = list(suggestions)
        self.creatable = creatable


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
        self._read: dict[str, str] = {}

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return ""
        text = str(value)
        # Per distinct text, not per row: a column of 100,000 "Nam"/"Nữ" folds two texts.
        if text in self._read:
            return self._read[text]
        code = self.by_key.get(fold(text))
        if code is None:
            known = {fold(str(label)): str(label) for label in self.labels.values()}
            raise ValueError(f"Không có {self.noun} “{value}”.{suggestion_text(text, known)}")
        self._read[text] = code
        return code

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


def alias_index(model: type[models.Model]) -> dict[str, int]:
    """Folded text -> id of ``model``'s row, as chosen in earlier import previews."""
    from core.models import ValueAlias

    return dict(ValueAlias.objects.of_model(model).values_list("key", "object_id"))


def save_alias(model: type[models.Model], text: str, obj: models.Model, user=None) -> None:
    """Remember that files write ``obj`` as ``text`` (one meaning per spelling: a new choice
    replaces an old one)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import ValueAlias

    ValueAlias.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(model),
        key=fold(text)[:255],
        defaults={"object_id": obj.pk, "text": text[:255], "user": user},
    )


class Reconcilable:
    """What the preview needs of a widget naming reference rows: the rows a value may be
    mapped to (``options``), one row by id (``by_pk``), and, where the resource marks it safe,
    creating the value (``create``: text -> unsaved row; never for units or cadres)."""

    model: type[models.Model]
    create: Callable[[str], models.Model] | None = None
    # Folded values the import may create (True: any), set by run_import; the texts created.
    may_create: set[str] | bool = False
    made: list[str]

    def options(self) -> list[tuple[int, str]]:
        raise NotImplementedError

    def by_pk(self, pk) -> models.Model | None:
        raise NotImplementedError

    def remember(self, text: str, obj: models.Model) -> None:
        """Read ``text`` as ``obj`` from now on in this import."""
        raise NotImplementedError

    def may_make(self, text: str) -> bool:
        """Whether this import may create the value ``text`` names."""
        key = fold(text)
        if self.create is None or not key:
            return False
        return self.may_create is True or key in self.may_create

    def created(self, text: str) -> models.Model | None:
        """The row for ``text``, created (saved) when this import may create it."""
        if not self.may_make(text):
            return None
        return self.save_created(text, self.create(text.strip()))

    def save_created(self, text: str, obj: models.Model) -> models.Model:
        """Check and save ``obj`` made for ``text``; read ``text`` as it from now on."""
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise ValueError(f"Không tạo được “{text}”: {' '.join(error.messages)}") from None
        obj.save()
        self.remember(text, obj)
        self.made.append(text.strip())
        return obj


class LookupWidget(Reconcilable, widgets.Widget):
    """A related row found by any of its names (folded) or a saved alias (``ValueAlias``),
    loaded once per import: no query per row, and each distinct text is folded and looked up
    once. ``names(obj)`` gives the names a file may use for ``obj``; ``create`` (text ->
    unsaved row) marks the value safe to create from a file."""

    def __init__(
        self,
        model: type[models.Model],
        noun: str,
        names: Callable[[models.Model], Iterable[str]],
        queryset: Callable[[], Iterable[models.Model]] | None = None,
        create: Callable[[str], models.Model] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.model, self.noun, self.names = model, noun, names
        self.queryset = queryset or (lambda: model.objects.all())
        self.create = create
        self.may_create = False
        self.made = []
        self._index: dict[str, models.Model] | None = None
        self._by_pk: dict | None = None
        self._read: dict[str, models.Model] = {}
        self._unknown: dict[str, tuple[str, list]] = {}

    def index(self) -> dict[str, models.Model]:
        if self._index is None:
            self._index = {}
            for obj in self.queryset():
                for name in self.names(obj):
                    if name:
                        self._index.setdefault(fold(name), obj)
            self.add_aliases(self._index)
        return self._index

    def add_aliases(self, index: dict[str, models.Model]) -> None:
        by_pk = {obj.pk: obj for obj in index.values()}
        for key, pk in alias_index(self.model).items():
            if pk in by_pk:
                index.setdefault(key, by_pk[pk])

    def remember(self, text: str, obj: models.Model) -> None:
        self.index()[fold(text)] = obj
        self._read.pop(text, None)
        self._unknown.pop(text, None)
        self._by_pk = None

    def unknown(self, value) -> UnknownValue:
        known = {key: str(obj) for key, obj in self.index().items()}
        close = close_matches(str(value), known)
        suggestions = list(dict.fromkeys((self.index()[k].pk, str(self.index()[k])) for k in close))
        hint = ", ".join(name for _, name in suggestions)
        return UnknownValue(
            f"Không có {self.noun} “{value}”." + (f" Có phải: {hint}?" if hint else ""),
            str(value),
            suggestions,
            creatable=self.create is not None,
        )

    def resolve(self, text: str) -> models.Model | None:
        """A further way to find the row a text names, tried after the names and aliases (a
        training type for a programme, a longer name of a school); may raise ValueError."""
        return None

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        text = str(value)
        # Each distinct text is looked up once per import, found or not (the suggestions of
        # an unknown one compare it with every known name).
        found = self._read.get(text)
        if found is not None:
            return found
        if text in self._unknown:
            message, suggestions = self._unknown[text]
            raise UnknownValue(message, text, suggestions, creatable=self.create is not None)
        found = self.index().get(fold(text)) or self.resolve(text) or self.created(text)
        if found is None:
            error = self.unknown(value)
            self._unknown[text] = (str(error), error.suggestions)
            raise error
        self._read[text] = found
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def by_pk(self, pk) -> models.Model | None:
        if self._by_pk is None:
            self._by_pk = {obj.pk: obj for obj in self.index().values()}
        return self._by_pk.get(pk)

    def options(self) -> list[tuple[int, str]]:
        objs = {obj.pk: obj for obj in self.index().values()}
        return sorted(((pk, str(obj)) for pk, obj in objs.items()), key=lambda o: fold(o[1]))


class NamedWidget(LookupWidget):
    """Written out as the first of the names it reads back (a position's title, a decision's
    number), so an exported list imports back unchanged."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else next(iter(self.names(value)), str(value))


class KeyedWidget(widgets.Widget):
    """A row found by one exact key (a cadre by CCCD) among many: the rows a chunk of the file
    names are loaded in one query (:meth:`load`, called by ``run_import`` for every column
    whose widget has it), never the whole table; a key not loaded is looked up on its own (the
    stock row loop)."""

    def __init__(
        self,
        model: type[models.Model],
        attr: str,
        normalise: Callable[[str], str],
        select_related: Iterable[str] = (),
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.model, self.attr, self.normalise = model, attr, normalise
        self.select_related = list(select_related)
        self.loaded: dict[str, models.Model | None] = {}
        self._by_pk: dict = {}

    def queryset(self) -> models.QuerySet:
        return self.model.objects.select_related(*self.select_related)

    def load(self, texts: Iterable[str]) -> None:
        from core.imports.resources import matching

        wanted = set()
        for text in texts:
            if is_empty(text):
                continue
            try:
                wanted.add(self.normalise(text))
            except ValueError:
                continue  # clean() rejects it with the reason
        wanted -= set(self.loaded)
        if not wanted:
            return
        self.loaded.update(dict.fromkeys(wanted))
        rows = matching(self.model, self.attr, sorted(wanted), self.queryset())
        for obj in rows:
            self.loaded[getattr(obj, self.attr)] = obj
            self._by_pk[obj.pk] = obj

    def find(self, key: str) -> models.Model | None:
        if key not in self.loaded:
            obj = self.queryset().filter(**{self.attr: key}).first()
            self.loaded[key] = obj
            if obj is not None:
                self._by_pk[obj.pk] = obj
        return self.loaded[key]

    def missing(self, key: str) -> str:
        return f"Không có “{key}”."

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        key = self.normalise(str(value) if not isinstance(value, int | float) else value)
        found = self.find(key)
        if found is None:
            raise ValueError(self.missing(key))
        return found

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else getattr(value, self.attr)

    def by_pk(self, pk) -> models.Model | None:
        return self._by_pk.get(pk)

"""Import machinery shared by every importable model (cadres now, planning and training later).

A resource (``cadres.resources``) is a django-import-export ``ModelResource`` built on
:class:`BulkModelResource`: its fields and widgets say how each column reads and writes. Files
are read by ``cadres.tabular.read_table`` (any encoding, delimiter, Excel layout) and the rows run
through :func:`run_import`, which validates the whole batch with the same widgets and rules as the
stock row-by-row loop (``Resource.import_data``, kept working and tested to agree), with a few
queries per thousand rows instead of several per row, and writes in bulk inside one transaction.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.text import capfirst
from import_export import resources, widgets

from cadres import tabular
from cadres.audit import acting_as, bulk_create_with_history, bulk_update_with_history
from cadres.choices import ImportStatus, JobStatus
from cadres.models import BackgroundJob, ImportBatch, Unit, UnitSuccession, visible_unit_paths
from cadres.text import fold, fold_unit_name

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


class UnitResolver:
    """``Unit.objects.resolve`` for a whole file: every unit and merger loaded once, then each
    name or code (old or new, with or without "xã") resolved in memory to the unit standing for
    it on ``on``."""

    def __init__(self, on: date):
        self.on = on
        self.units = {unit.pk: unit for unit in Unit.objects.all()}
        self.by_key: dict[str, list[Unit]] = {}
        for unit in self.units.values():
            self.by_key.setdefault(unit.name_key, []).append(unit)
            if unit.code:
                self.by_key.setdefault(f"#{unit.code}", []).append(unit)
        self.successor: dict[int, int] = {}
        for succession in UnitSuccession.objects.order_by("effective_date"):
            # The latest merger wins, as in Unit.successor_on.
            self.successor[succession.predecessor_id] = succession.successor_id
        self.cache: dict[str, Unit | None] = {}

    def resolve(self, text: str) -> Unit | None:
        text = text.strip()
        if text not in self.cache:
            matches = self.by_key.get(f"#{text}", []) + self.by_key.get(fold_unit_name(text), [])
            if not matches:
                self.cache[text] = None
            else:
                matches.sort(
                    key=lambda u: (u.is_active(self.on), u.valid_from or date.min), reverse=True
                )
                self.cache[text] = self.follow(matches[0])
        return self.cache[text]

    def follow(self, unit: Unit) -> Unit:
        seen = {unit.pk}
        while not unit.is_active(self.on) and unit.pk in self.successor:
            next_pk = self.successor[unit.pk]
            if next_pk in seen:
                break
            unit = self.units[next_pk]
            seen.add(unit.pk)
        return unit

    def suggestions(self, text: str) -> str:
        known = {key: units[0].name for key, units in self.by_key.items() if key[:1] != "#"}
        close = difflib.get_close_matches(fold_unit_name(text), list(known), n=3, cutoff=0.6)
        names = list(dict.fromkeys(known[key] for key in close))
        return f" Có phải: {', '.join(names)}?" if names else ""


class UnitWidget(widgets.Widget):
    """A unit by code or name, old or new: merged units resolve to their successor."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._resolver: UnitResolver | None = None

    @property
    def resolver(self) -> UnitResolver:
        if self._resolver is None:
            self._resolver = UnitResolver(on=timezone.localdate())
        return self._resolver

    def clean(self, value, row=None, **kwargs):
        if is_empty(value):
            return None
        unit = self.resolver.resolve(str(value))
        if unit is None:
            raise ValueError(f"Không có đơn vị “{value}”.{self.resolver.suggestions(str(value))}")
        return unit

    def by_pk(self, pk) -> Unit | None:
        return self.resolver.units.get(pk)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


# --- Resources --------------------------------------------------------------------------------


class BulkModelResource(resources.ModelResource):
    """Base of this project's resources: Vietnamese column names, header variants in
    ``aliases``, rules checked (``clean_model_instances``), and an empty cell that leaves the
    stored value alone unless the import was asked to wipe (``wipe_empty``)."""

    # attribute -> further header spellings accepted on import (the column name always is).
    aliases: dict[str, list[str]] = {}
    # Columns read by prepare_row() (or shown in the preview) that set no field of the model
    # themselves: their names are recognised, so they are not reported as unknown columns.
    context_columns: list[str] = []
    # Fields a model computes in derive_fields(): written along with the changed ones.
    derived_fields: list[str] = []
    # What identifies a row to a person reading the preview (e.g. the full name).
    label_field: str | None = None
    # The model's foreign key to the unit that decides who may write a row (``None``: unscoped).
    scope_field: str | None = None

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _RESOURCE_CLASSES.append(cls)

    def __init__(self, wipe_empty: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.wipe_empty = wipe_empty

    # The stock row loop (Resource.import_data) goes through these two.
    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if field.column_name in row and is_empty(row[field.column_name]) and not self.wipe_empty:
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        if hasattr(instance, "derive_fields"):
            instance.derive_fields()

    # Used by run_import.
    def import_columns(self) -> dict[str, object]:
        """attribute -> Field, for every field a file may set."""
        return {
            name: f
            for name, f in self.fields.items()
            if f.attribute and not f.readonly and "__" not in f.attribute
        }

    def header_aliases(self) -> dict[str, list[str]]:
        names = [*self.import_columns(), *self.context_columns]
        return {
            name: [str(self.fields[name].column_name), *self.aliases.get(name, [])]
            for name in names
        }

    # Hooks of run_import, for resources whose rows are more than one column per field.
    def prepare_chunk(self, rows: list[tabular.SourceRow]) -> None:
        """Load in one go what the rows of a chunk refer to (e.g. the cadres by CCCD)."""

    def implied_columns(self, present: set[str]) -> list[str]:
        """Columns prepare_row() fills from others when the file lacks them."""
        return []

    def prepare_row(self, values: dict[str, str]) -> dict[str, str]:
        """The row's texts by column key before the widgets read them; a subclass may combine
        columns (a level read together with its track)."""
        return values

    def row_label(self, source: tabular.SourceRow, values: dict) -> str:
        """What names the row in the preview (the person's name)."""
        return source.values.get(self.label_field or "", "")

    def after_write(self, instances: list) -> None:
        """Called in the import's (or the undo's) transaction with the rows written, created or
        changed, or removed by an undo: for summaries other rows keep of these (bulk writes
        skip ``save()`` and ``delete()``)."""

    # False where a write has follow-ups that an undo cannot take back; the reason says so.
    can_undo = True
    no_undo_reason = ""

    def id_field(self) -> str:
        return self._meta.import_id_fields[0]

    # How run_import matches a row to a stored one: by the id field, or where a subclass names
    # them in KEY by several columns (planning entries: cadre, position, unit, term), a row
    # being then "key_noun" in messages.
    KEY: tuple[str, ...] = ()
    key_noun = "Dòng này"

    def key_fields(self) -> list[str]:
        return list(self.KEY) or [self.id_field()]

    def row_key(self, values: dict):
        if not self.KEY:
            return values.get(self.id_field()) or ""
        parts = [values.get(name) for name in self.KEY]
        if any(part is None for part in parts):
            return ""
        return tuple(part.pk if isinstance(part, models.Model) else part for part in parts)

    def key_names(self, headers: dict[str, str]) -> str:
        return ", ".join(headers.get(name, str(self.fields[name].column_name)) for name in self.KEY)

    def missing_key_text(self, headers: dict[str, str]) -> str:
        if not self.KEY:
            return f"{headers[self.id_field()]}: chưa ghi."
        return f"Phải ghi đủ {self.key_names(headers)}."

    def key_text(self, key, headers: dict[str, str]) -> str:
        if not self.KEY:
            return f"{headers[self.id_field()]} {key}"
        return f"{self.key_noun} (cùng {self.key_names(headers)})"

    def existing_rows(self, keys: list) -> dict:
        attr = self.fields[self.id_field()].attribute
        return {getattr(obj, attr): obj for obj in matching(self._meta.model, attr, keys)}

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        """Combine cells into values after each widget read its own (a training attendance's
        person from CCCD, name, birth date and unit); returns further errors."""
        return []

    def scope_unit_id(self, instance) -> int | None:
        """The unit deciding who may write ``instance``: ``scope_field`` may be a path
        (``"cadre__unit"``); related rows are expected loaded (resolved or select_related)."""
        *steps, last = self.scope_field.split("__")
        for step in steps:
            instance = getattr(instance, step, None)
            if instance is None:
                return None
        return getattr(instance, instance._meta.get_field(last).attname)

    def scope_refusal(self, headers: dict[str, str]) -> str:
        name = self.scope_field.split("__")[0]
        verbose = self._meta.model._meta.get_field(name).verbose_name
        return (
            f"{capfirst(str(verbose))}: bạn không có quyền ghi hồ sơ vào đơn vị này; "
            "dòng không được ghi."
        )

    def before_write(self, to_create: list, to_update: list) -> None:
        """Called once per chunk just before writing (e.g. to save rows the new ones point to)."""

    def rule_errors(self, instance, on: date) -> dict[str, list[str]]:
        """The model's own rules (``clean()``); a subclass may call batch rule functions."""
        try:
            instance.clean()
        except ValidationError as error:
            return error.message_dict
        return {}


_RESOURCE_CLASSES: list[type[BulkModelResource]] = []


def resource_class_for(model: type[models.Model]) -> type[BulkModelResource] | None:
    """The resource importing ``model`` (the undo of an import runs its ``after_write``)."""
    return next((cls for cls in _RESOURCE_CLASSES if cls._meta.model is model), None)


# --- Running an import -------------------------------------------------------------------------


@dataclass
class RowOutcome:
    line: int
    status: str  # new, changed, unchanged, rejected
    label: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # column, old, new
    errors: list[str] = field(default_factory=list)
    # Every cell of a rejected row as read, (header, text) in the file's order.
    cells: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    headers: list[str]
    columns: dict[str, str]
    unknown_headers: list[str]
    rows: list[RowOutcome] = field(default_factory=list)
    written: bool = False
    created_ids: list = field(default_factory=list)
    previous: dict = field(default_factory=dict)  # pk -> {attname: previous value as JSON}
    seconds: float = 0.0
    stamp: datetime | None = None

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rejected_count(self) -> int:
        return self.count("rejected")

    @property
    def rejected(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.status == "rejected"]

    @property
    def changed(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.status == "changed"]

    def summary(self) -> str:
        return (
            f"new {self.new}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {self.rejected_count}"
        )


def to_json(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_json(model_field: models.Field, value):
    return None if value is None else model_field.to_python(value)


class _Rollback(Exception):
    pass


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            f"Tệp quá lớn ({size / 1_048_576:.1f} MB); tối đa {limit / 1_048_576:.0f} MB. "
            "Hãy chia tệp thành nhiều phần."
        )


def read_file(
    data: bytes, filename: str, resource: BulkModelResource, limits: bool = True
) -> tabular.Table:
    """The file as a table, refused early when over the limits or lacking the key column."""
    if limits:
        check_size(len(data))
    try:
        table = tabular.read_table(data, filename, resource.header_aliases())
    except tabular.TableError as error:
        raise ImportRefused(str(error)) from error
    if limits and len(table.rows) > settings.IMPORT_MAX_ROWS:
        raise ImportRefused(
            f"Tệp có {len(table.rows)} dòng; tối đa {settings.IMPORT_MAX_ROWS} dòng mỗi lần nhập. "
            "Hãy chia tệp thành nhiều phần hoặc dùng lệnh import_cadres."
        )
    id_field = resource.id_field()
    if id_field not in table.columns.values():
        name = resource.fields[id_field].column_name
        raise ImportRefused(f"Tệp không có cột “{name}” (dùng để nhận ra từng người).")
    return table


def run_import(
    resource: BulkModelResource,
    table: tabular.Table,
    *,
    write: bool,
    skip_rejected: bool = False,
    progress: Callable[[int], None] | None = None,
    user=None,
) -> ImportReport:
    """Validate every row; when ``write``, save all new and changed rows in one transaction.
    With rejected rows nothing is written unless ``skip_rejected`` (then the others are).
    With ``user``, a row naming a record of a unit the user may not see, or putting one into
    such a unit, is refused (resource's ``scope_field``), and history rows name the user."""
    started = time.monotonic()
    report = ImportReport(table.headers, table.columns, table.unknown_headers)
    try:
        with transaction.atomic():
            with acting_as(user) if user is not None else contextlib.nullcontext():
                _run(resource, table, report, write, progress, user)
            if write and report.rejected_count and not skip_rejected:
                raise _Rollback
            report.written = write
    except _Rollback:
        report.created_ids, report.previous = [], {}
    report.seconds = time.monotonic() - started
    return report


def allowed_units(user) -> set[int] | None:
    """Ids of the units ``user`` may write rows of; ``None`` for all (no user: a command)."""
    if user is None or visible_unit_paths(user) is None:
        return None
    return set(Unit.objects.visible_to(user).values_list("pk", flat=True))


def _run(resource, table, report, write, progress, user=None) -> None:
    model = resource._meta.model
    opts = model._meta
    # table.columns maps each header of the file to the key it was recognised as.
    headers = {key: header for header, key in table.columns.items()}
    for name in resource.implied_columns(set(headers)):
        headers.setdefault(name, str(resource.fields[name].column_name))
    columns = {name: f for name, f in resource.import_columns().items() if name in headers}
    model_fields = {name: opts.get_field(f.attribute) for name, f in columns.items()}
    id_name = resource.id_field()
    foreign = [f.name for f in opts.concrete_fields if f.is_relation]
    # Field validators run on what the file sets, and on a new row also on what must be set;
    # the rest of a stored row is as valid as it was.
    in_file = {f.attribute for f in columns.values()}
    exclude_existing = {f.name for f in opts.concrete_fields if f.name not in in_file} | {*foreign}
    exclude_new = {f.name for f in opts.concrete_fields if f.blank and f.name not in in_file}
    exclude_new |= {*foreign}
    required_foreign = [f for f in opts.concrete_fields if f.is_relation and not f.null]
    on = timezone.localdate()
    seen: dict[str, int] = {}
    stamp = timezone.now()
    has_updated_at = any(f.name == "updated_at" for f in opts.concrete_fields)
    allowed = allowed_units(user) if resource.scope_field else None
    has_history = hasattr(model, "history")
    new_instance = instance_maker(model)

    for start in range(0, len(table.rows), CHUNK):
        rows = table.rows[start : start + CHUNK]
        resource.prepare_chunk(rows)
        parsed: list[tuple[tabular.SourceRow, dict, list[str], str]] = []
        for source in rows:
            values, errors = {}, []
            texts = resource.prepare_row(source.values)
            for name, f in columns.items():
                text = texts.get(name, "")
                if is_empty(text) and not resource.wipe_empty and name != id_name:
                    continue
                try:
                    values[name] = f.widget.clean(text)
                except (ValueError, ValidationError) as error:
                    message = error.messages[0] if isinstance(error, ValidationError) else error
                    errors.append(f"{headers[name]}: {message}")
            if not errors:
                errors.extend(resource.clean_row(values, source.values, headers))
            key = resource.row_key(values)
            key_headers = [headers[name] for name in resource.key_fields() if name in headers]
            if not key and not any(e.startswith(h) for h in key_headers for e in errors):
                errors.append(resource.missing_key_text(headers))
            elif key in seen:
                errors.append(
                    f"{resource.key_text(key, headers)} trùng với dòng {seen[key]} của tệp."
                )
            elif key:
                seen[key] = source.line
            parsed.append((source, values, errors, key))

        keys = [key for _, _, errors, key in parsed if key and not errors]
        existing = resource.existing_rows(keys)
        to_create, to_update, update_fields = [], [], set()
        for source, values, errors, key in parsed:
            outcome = RowOutcome(line=source.line, status="rejected")
            report.rows.append(outcome)
            instance = existing.get(key) if not errors else None
            is_new = instance is None
            if (
                allowed is not None
                and not is_new
                and resource.scope_unit_id(instance) not in allowed
            ):
                errors.append(
                    f"{resource.key_text(key, headers)}: hồ sơ thuộc đơn vị khác, "
                    "bạn không có quyền sửa; dòng không được ghi."
                )
                instance, is_new = None, True
            if is_new:
                instance = new_instance()
            for name, value in values.items():
                if errors:
                    break
                model_field = model_fields[name]
                old = getattr(instance, model_field.attname)
                new = value.pk if model_field.is_relation and value is not None else value
                if new is None and not model_field.null and not model_field.is_relation:
                    new = ""
                if is_new or old != new:
                    setattr(instance, model_field.attname, new)
                    if model_field.is_relation:
                        # Keep the resolved object so str() and rules need no query.
                        setattr(instance, model_field.name, value)
                    if not is_new:
                        widget = columns[name].widget
                        outcome.changes.append(
                            (
                                headers[name],
                                _display(model_field, old, widget),
                                _display(model_field, value, widget),
                            )
                        )
                        report.previous.setdefault(instance.pk, {})[model_field.attname] = to_json(
                            old
                        )
            if (
                not errors
                and allowed is not None
                and resource.scope_unit_id(instance) is not None
                and resource.scope_unit_id(instance) not in allowed
            ):
                errors.append(resource.scope_refusal(headers))
            if not errors:
                errors.extend(
                    _validate(
                        resource,
                        instance,
                        is_new,
                        exclude_new if is_new else exclude_existing,
                        required_foreign,
                        on,
                        headers,
                        columns,
                    )
                )
            outcome.label = resource.row_label(source, values)
            if errors:
                outcome.errors = errors
                outcome.cells = table.cells(source)
                if not is_new:
                    report.previous.pop(instance.pk, None)
                continue
            if is_new:
                outcome.status = "new"
                to_create.append(instance)
            elif outcome.changes:
                outcome.status = "changed"
                to_update.append(instance)
                update_fields.update(model_fields[n].attname for n in values)
            else:
                outcome.status = "unchanged"
        if write:
            resource.before_write(to_create, to_update)
            for instance in to_create + to_update:
                if hasattr(instance, "derive_fields"):
                    instance.derive_fields()
                if has_updated_at:
                    instance.updated_at = stamp
            if has_history:
                created = bulk_create_with_history(
                    to_create, model, batch_size=1000, default_user=user
                )
            else:
                created = model.objects.bulk_create(to_create, batch_size=1000)
            report.created_ids.extend(obj.pk for obj in created)
            if to_update:
                names = {f.attname for f in opts.concrete_fields}
                fields = (update_fields | set(resource.derived_fields)) & names
                fields = [opts.get_field(n).name if n.endswith("_id") else n for n in fields]
                if has_updated_at:
                    fields.append("updated_at")
                if has_history:
                    bulk_update_with_history(
                        to_update, model, fields, batch_size=1000, default_user=user
                    )
                else:
                    model.objects.bulk_update(to_update, fields, batch_size=1000)
            if to_create or to_update:
                resource.after_write(to_create + to_update)
        if progress:
            progress(len(rows))
    # Every row written has updated_at <= this moment; a later edit of one of them is after it.
    report.stamp = timezone.now()


def instance_maker(model: type[models.Model]):
    """A function making new, unsaved instances of ``model``: a copy of one instance's default
    values, skipping Model.__init__'s per-field work (a fifth of validating a large file). Only
    where that is the same thing: no callable default (which must be called for each row) and
    no pre_init/post_init receivers."""
    if (
        any(f.has_default() and callable(f.default) for f in model._meta.concrete_fields)
        or signals.pre_init.has_listeners(model)
        or signals.post_init.has_listeners(model)
    ):
        return model
    defaults = {k: v for k, v in model().__dict__.items() if k != "_state"}

    def new_instance() -> models.Model:
        instance = model.__new__(model)
        instance.__dict__.update(defaults)
        instance._state = ModelState()
        return instance

    return new_instance


def matching(model: type[models.Model], attr: str, keys: list[str]) -> models.QuerySet:
    """Rows whose ``attr`` is one of ``keys``. On PostgreSQL the keys go as one array: with a
    trigram index on the column (cccd has one, for search) the planner takes seconds for an
    ``IN (...)`` list of a few hundred literals (10 s for 200), and milliseconds for this."""
    if connection.vendor == "postgresql":
        return model.objects.filter(**{f"{attr}__in": RawSQL("SELECT unnest(%s::text[])", [keys])})
    return model.objects.filter(**{f"{attr}__in": keys})


def _display(model_field, value, widget) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        if isinstance(value, models.Model):
            return str(value)
        return str(widget.by_pk(value) or value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _validate(resource, instance, is_new, exclude, required_foreign, on, headers, columns):
    """The model's field validators and rules, without the per-row queries of full_clean()
    (related rows were resolved from the database already; the id is matched, not checked)."""
    by_field = {f.attribute: headers[name] for name, f in columns.items()}
    messages: dict[str, list[str]] = {}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as error:
        messages.update(error.message_dict)
    if is_new:
        for f in required_foreign:
            if getattr(instance, f.attname) is None:
                messages.setdefault(f.name, []).append(str(f.error_messages["blank"]))
    if not messages:
        for name, found in resource.rule_errors(instance, on).items():
            messages.setdefault(name, []).extend(found if isinstance(found, list) else [found])
    errors = []
    for name, found in messages.items():
        verbose = by_field.get(name) or (
            capfirst(str(instance._meta.get_field(name).verbose_name)) if name != "__all__" else ""
        )
        for message in found:
            errors.append(f"{verbose}: {message}" if verbose else message)
    return errors


# --- The log, the stored upload, undo, cleanup ------------------------------------------------


def private_dir(name: str = "imports-private") -> Path:
    """Uploads waiting for confirmation (and finished exports) hold personal data: a directory
    only the server's user can read (0700), files 0600, under MEDIA_ROOT but never served
    (random names)."""
    path = Path(settings.MEDIA_ROOT) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def store_private(data: bytes, directory: Path) -> str:
    """Write ``data`` to a new file of random name, mode 0600, in ``directory``; its name."""
    name = secrets.token_hex(16)
    fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return name


def store_upload(data: bytes) -> str:
    return store_private(data, private_dir())


def load_upload(batch: ImportBatch) -> bytes:
    if not batch.stored_file:
        raise ImportRefused("Tệp tải lên không còn được lưu; hãy tải lên lại.")
    try:
        data = (private_dir() / batch.stored_file).read_bytes()
    except FileNotFoundError:
        raise ImportRefused("Tệp tải lên không còn được lưu; hãy tải lên lại.") from None
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise ImportRefused("Tệp lưu tạm đã bị thay đổi; hãy tải lên lại.")
    return data


def discard_upload(batch: ImportBatch) -> None:
    if batch.stored_file:
        (private_dir() / batch.stored_file).unlink(missing_ok=True)
        batch.stored_file = ""


def model_label(resource: BulkModelResource) -> str:
    return resource._meta.model._meta.label_lower


def start_batch(
    resource: BulkModelResource, data: bytes, file_name: str, user, report: ImportReport
) -> ImportBatch:
    """Log a previewed upload and keep its file for the confirm step."""
    batch = ImportBatch(
        model=model_label(resource),
        user=user,
        file_name=Path(file_name).name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        wipe_empty=resource.wipe_empty,
    )
    _count(batch, report)
    batch.stored_file = store_upload(data)
    batch.save()
    return batch


def _count(batch: ImportBatch, report: ImportReport) -> None:
    batch.new, batch.updated = report.new, report.updated
    batch.unchanged, batch.rejected = report.unchanged, report.rejected_count
    batch.rejected_rows = [
        # Pairs, not a dict: jsonb does not keep the order of keys (the file's column order).
        {"line": row.line, "errors": row.errors, "cells": row.cells}
        for row in report.rejected
    ]


ALREADY_CONFIRMED = (
    "Lần nhập này đã được xác nhận (bấm hai lần hoặc mở ở hai thẻ); dữ liệu không được ghi "
    "thêm lần nữa."
)
UPLOAD_GIVEN_UP = (
    "Tệp tải lên của lần nhập này đã được xóa vì quá hạn (không xác nhận hoặc không chạy lại "
    "kịp); hãy tải tệp lên lại."
)


def take_preview(batch: ImportBatch, status: str) -> bool:
    """Move ``batch`` out of "preview" in one ``UPDATE ... WHERE status = 'preview'``; False if
    it had left it already. Of two confirms of one preview (a double click, two tabs) only the
    first gets True: on PostgreSQL the second waits on the row's lock until the first commits,
    then matches no row; SQLite has one writer at a time. Inside the import's transaction, a
    failed import puts the batch back in preview."""
    taken = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=status
    )
    if taken:
        batch.status = status
    return bool(taken)


def finish_batch(batch: ImportBatch, report: ImportReport) -> None:
    """Record a written import and what undoing it needs; the stored file is removed."""
    _count(batch, report)
    batch.status = ImportStatus.DONE
    batch.imported_at = report.stamp
    batch.undo = {"created": report.created_ids, "previous": report.previous}
    discard_upload(batch)
    batch.save()


def earlier_import(batch: ImportBatch) -> ImportBatch | None:
    """The last import of the very same file, if any."""
    return (
        ImportBatch.objects.filter(sha256=batch.sha256, model=batch.model, status=ImportStatus.DONE)
        .exclude(pk=batch.pk)
        .order_by("-imported_at")
        .first()
    )


def undo_problems(batch: ImportBatch) -> list[str]:
    """Why ``batch`` cannot be undone (empty when it can)."""
    if batch.status != ImportStatus.DONE:
        return ["Chỉ hoàn tác được một lần nhập đã thực hiện."]
    model = _model_of(batch)
    resource_class = resource_class_for(model)
    if resource_class is not None and not resource_class.can_undo:
        return [resource_class.no_undo_reason]
    if not any(f.name == "updated_at" for f in model._meta.concrete_fields):
        # Without the time of each row's last change, later edits would be silently lost.
        return ["Danh sách này không ghi thời điểm sửa từng dòng nên không hoàn tác được."]
    created, previous = batch.undo.get("created", []), batch.undo.get("previous", {})
    ids = list(created) + [int(pk) for pk in previous]
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", "updated_at"))
    problems = []
    missing = len(ids) - len(found)
    if missing:
        problems.append(f"{missing} hồ sơ của lần nhập này đã bị xóa.")
    touched = sum(1 for stamp in found.values() if stamp > batch.imported_at)
    if touched:
        problems.append(f"{touched} hồ sơ đã được sửa sau lần nhập này.")
    return problems


def _model_of(batch: ImportBatch) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(batch.model)


@transaction.atomic
def undo_batch(batch: ImportBatch, user=None) -> list[str]:
    """Delete the rows the import created and restore the previous values of those it
    changed; returns the reasons it cannot (nothing is done then). Every row deleted or
    restored gets a history row naming ``user`` (who undid it)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    problems = undo_problems(batch)
    if problems:
        return problems
    with acting_as(user) if user is not None else contextlib.nullcontext():
        return _undo(batch, user)


def _undo(batch: ImportBatch, user) -> list[str]:
    model = _model_of(batch)
    opts = model._meta
    previous = {int(pk): values for pk, values in batch.undo.get("previous", {}).items()}
    created = model.objects.filter(pk__in=batch.undo.get("created", []))
    # The history library records each deletion (post_delete), naming the acting user.
    removed = list(created)
    try:
        with transaction.atomic():
            created.delete()
    except models.ProtectedError:
        return ["Có hồ sơ do lần nhập này tạo đã được dùng ở nơi khác (quy hoạch, đào tạo...)."]
    instances = list(model.objects.filter(pk__in=previous))
    fields: set[str] = set()
    now = timezone.now()
    for instance in instances:
        for attname, value in previous[instance.pk].items():
            model_field = next(f for f in opts.concrete_fields if f.attname == attname)
            setattr(instance, attname, from_json(model_field, value))
            fields.add(model_field.name)
        if hasattr(instance, "derive_fields"):
            instance.derive_fields()
        instance.updated_at = now
    if instances:
        derived = {f.name for f in opts.concrete_fields if not f.editable and not f.primary_key}
        derived -= {"created_at"}
        fields = sorted(fields | derived)
        if hasattr(model, "history"):
            bulk_update_with_history(
                instances,
                model,
                fields,
                batch_size=1000,
                default_user=user,
                default_change_reason=f"Hoàn tác lần nhập {batch.file_name}"[:100],
            )
        else:
            model.objects.bulk_update(instances, fields, batch_size=1000)
    resource_class = resource_class_for(model)
    if resource_class is not None and (removed or instances):
        resource_class().after_write(removed + instances)
    batch.status = ImportStatus.UNDONE
    batch.undone_at = now
    batch.save(update_fields=["status", "undone_at"])
    return []


def given_up(batch: ImportBatch, cutoff: datetime) -> bool:
    """A batch queued for a background import whose job failed, or stopped showing life,
    before ``cutoff`` (or that never got its job): nobody retried it in time."""
    jobs = list(batch.jobs.all())
    if not jobs:
        return batch.created_at < cutoff
    return all(
        job.status != JobStatus.DONE and job.last_seen() is not None and job.last_seen() < cutoff
        for job in jobs
    )


def give_up_jobs(batch: ImportBatch, now: datetime) -> None:
    """Its jobs say why they end here (one that stopped showing life stops showing "running");
    a worker picking one up later finds it failed and does nothing."""
    for job in batch.jobs.all():
        if job.status != JobStatus.DONE:
            BackgroundJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
                status=JobStatus.FAILED,
                finished_at=job.finished_at or now,
                error=UPLOAD_GIVEN_UP + given_up_cause(job.error),
            )


def given_up_cause(error: str) -> str:
    cause = error.removesuffix(" Có thể chạy lại.")  # no longer true
    return f" (Lần chạy trước: {cause})" if cause else ""


def cleanup_imports(now: datetime | None = None) -> int:
    """Delete the uploads nobody will import any more, after IMPORT_PREVIEW_MAX_AGE_MINUTES:
    those of abandoned previews, of background imports that failed or stopped and were not
    retried in that time (their jobs cannot be retried afterwards), and stray files; returns
    how many files were removed. The upload of a queued, running or retryable import is kept."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_PREVIEW_MAX_AGE_MINUTES)
    removed = 0
    previews = ImportBatch.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
    queued = ImportBatch.objects.filter(status=ImportStatus.QUEUED, created_at__lt=cutoff)
    stale = [*previews, *(b for b in queued.prefetch_related("jobs") if given_up(b, cutoff))]
    for batch in stale:
        # Conditional, like a confirm: a preview confirmed meanwhile is left alone.
        taken = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
            status=ImportStatus.ABANDONED, stored_file="", rejected_rows=[]
        )
        if not taken:
            continue
        if batch.stored_file and (private_dir() / batch.stored_file).exists():
            removed += 1
        discard_upload(batch)
        if batch.status == ImportStatus.QUEUED:
            give_up_jobs(batch, now)
    kept = set(
        ImportBatch.objects.filter(status__in=[ImportStatus.PREVIEW, ImportStatus.QUEUED])
        .exclude(stored_file="")
        .values_list("stored_file", flat=True)
    )
    for path in private_dir().iterdir():
        too_old = datetime.fromtimestamp(path.stat().st_mtime, tz=now.tzinfo) < cutoff
        if path.name not in kept and too_old:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

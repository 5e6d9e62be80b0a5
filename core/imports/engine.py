"""Import machinery shared by every importable model (cadres now, planning and training later).

A resource (``cadres.resources``) is a django-import-export ``ModelResource`` built on
:class:`BulkModelResource`: its fields and widgets say how each column reads and writes. Files
are read by ``core.tabular.read_table`` (any encoding, delimiter, Excel layout) and the rows run
through :func:`run_import`, which validates the whole batch with the same widgets and rules as the
stock row-by-row loop (``Resource.import_data``, kept working and tested to agree), with a few
queries per thousand rows instead of several per row, and writes in bulk inside one transaction.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.text import capfirst

from core import dashboard, tabular
from core.audit import acting_as, bulk_create_with_history, bulk_update_with_history
from core.imports.resources import BulkModelResource
from core.imports.widgets import CHUNK, ImportRefused, is_empty

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
    such a unit, is refused (the model's ``unit_path``), and history rows name the user."""
    started = time.monotonic()
    report = ImportReport(table.headers, table.columns, table.unknown_headers)
    try:
        with transaction.atomic():
            with acting_as(user) if user is not None else contextlib.nullcontext():
                _run(resource, table, report, write, progress, user)
            if write and report.rejected_count and not skip_rejected:
                raise _Rollback
            report.written = write
            if write:  # bulk writes send no signals: the dashboard's figures count again
                dashboard.changed(resource._meta.model._meta.app_label)
    except _Rollback:
        report.created_ids, report.previous = [], {}
    report.seconds = time.monotonic() - started
    return report


def allowed_units(resource: BulkModelResource, user) -> set[int] | None:
    """Ids of the units ``user`` may write rows of; ``None`` for all (no user: a command).
    The unit model, reached through the model's ``unit_path``, answers for its tree."""
    if user is None:
        return None
    model = resource._meta.model
    for name in filter(None, resource.scope_path().split("__")):
        model = model._meta.get_field(name).related_model
    return model._default_manager.ids_visible_to(user)


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
    allowed = allowed_units(resource, user) if resource.scope_path() is not None else None
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

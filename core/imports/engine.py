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
import gc
import hashlib
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, router, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.text import capfirst

from core import dashboard, tabular
from core.audit import acting_as, bulk_create_with_history, bulk_update_with_history
from core.imports.resources import BulkModelResource
from core.imports.widgets import (
    CHUNK,
    ImportRefused,
    NotedWidget,
    Reconcilable,
    UnknownValue,
)
from core.pgcopy import analyse_grown
from core.text import fold

logger = logging.getLogger(__name__)

# --- Running an import -------------------------------------------------------------------------


# Rows of one status the preview lists (changed rows); the report keeps no more of them.
PREVIEW_ROWS = 200


@dataclass
class RowOutcome:
    line: int
    status: str  # new, changed, unchanged, rejected
    label: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # column, old, new
    errors: list[str] = field(default_factory=list)
    # Every cell of a rejected row as read, (header, text) in the file's order.
    cells: list[tuple[str, str]] = field(default_factory=list)
    # Remarks on a row taken in (a birth date given as a year alone).
    notes: list[str] = field(default_factory=list)


@dataclass
class UnknownGroup:
    """One distinct unknown reference value of one column: how many rows name it, where, and
    the closest known values; the preview offers one choice for all of them."""

    name: str  # column key
    header: str
    value: str  # as first written
    key: str  # folded
    suggestions: list[tuple[int, str]]
    creatable: bool
    rows: int = 0
    lines: list[int] = field(default_factory=list)


@dataclass
class Problem:
    """Rows sharing one reason (quoted values aside): one line of the preview's to-do list."""

    reason: str  # the first row's message
    rows: int
    lines: list[int]
    examples: list[str]  # distinct quoted values, a few
    fix: str = ""


_QUOTED = re.compile(r"“[^”]*”")
_FIXES = [
    (
        re.compile(r"chưa ghi|phải ghi|thiếu|để trắng|để trống", re.I),
        "ghi giá trị vào tệp, hoặc ghép một cột của tệp với trường này ở bảng các cột bên trên",
    ),
    (re.compile(r"tương lai"), "sửa ngày trong tệp (ngày này chưa thể xảy ra)"),
    (re.compile(r"công thức"), "ghi tên bằng chữ, không bắt đầu bằng =, +, - hoặc @"),
    (re.compile(r"trùng với dòng"), "bỏ dòng lặp lại trong tệp"),
    (re.compile(r"quyền"), "bỏ dòng này khỏi tệp, hoặc nhờ Ban Tổ chức nhập"),
]
# A row whose record (found by its key) the user may not write: said without telling where the
# record is, so an import cannot be used to learn another commune's people.
NOT_YOURS = "bạn không có quyền nhập dòng này vào đơn vị của mình; dòng không được ghi."
WRITTEN_MEANWHILE = (
    "Trong lúc nhập, một số dòng của tệp vừa được ghi bởi một lần nhập khác. Chưa dòng nào "
    "được ghi; hãy xem trước lại tệp rồi nhập lại."
)


def fix_for(reason: str) -> str:
    return next((fix for pattern, fix in _FIXES if pattern.search(reason)), "")


def header_signature(labels: list[str]) -> str:
    """The layout of a file: the set of its (folded) headers, as a short hash."""
    keys = sorted({fold(label) for label in labels if label and fold(label)})
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


@dataclass
class ImportReport:
    headers: list[str]
    columns: dict[str, str]
    unknown_headers: list[str]
    rows: list[RowOutcome] = field(default_factory=list)
    # (column key, folded value) -> the rows naming a reference value not known
    unknown: dict[tuple[str, str], UnknownGroup] = field(default_factory=dict)
    created: list[tuple[str, str]] = field(default_factory=list)  # (header, value) created
    written: bool = False
    created_ids: list = field(default_factory=list)
    previous: dict = field(default_factory=dict)  # pk -> {attname: previous value as JSON}
    alongside: list = field(default_factory=list)  # (model label, pk) after_write created
    seconds: float = 0.0
    stamp: datetime | None = None
    # False (the command): only the rejected and noted rows are kept, without their cells, and
    # nothing for undo. Either way the rows past the first PREVIEW_ROWS of each other status
    # are counted in ``settled``, so memory does not grow with the file.
    keep_rows: bool = True
    settled: Counter = field(default_factory=Counter)
    # model -> rows this import created in its table (its own and after_write's)
    grown: Counter = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return self.settled[status] + sum(1 for row in self.rows if row.status == status)

    @property
    def total(self) -> int:
        return sum(self.settled.values()) + len(self.rows)

    def settle(self) -> None:
        """After each chunk: keep every rejected or noted row (the preview and the log list
        them) and the first PREVIEW_ROWS of each other status (the preview shows as many
        changed rows); count the others."""
        limit = PREVIEW_ROWS if self.keep_rows else 0
        kept, shown = [], Counter()
        for row in self.rows:
            if row.status == "rejected" or row.notes:
                if not self.keep_rows:
                    row.cells = []
                kept.append(row)
            elif shown[row.status] < limit:
                shown[row.status] += 1
                kept.append(row)
            else:
                self.settled[row.status] += 1
        self.rows = kept
        if not self.keep_rows:
            self.created_ids.clear()
            self.previous.clear()
            self.alongside.clear()

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

    @property
    def noted(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.notes and row.status != "rejected"]

    def unknown_values(self) -> list[UnknownGroup]:
        """The values to reconcile, by column then by how many rows name them."""
        return sorted(self.unknown.values(), key=lambda g: (g.header, -g.rows, g.key))

    def problems(self, skip_unknown: bool = True) -> list[Problem]:
        """The reasons of the rejected rows as a to-do list: rows with the same reason (the
        quoted values aside) are one line with their count; an unknown reference value, which
        the reconcile table lists on its own, is left out with ``skip_unknown``."""
        unknown = {(g.header, g.value) for g in self.unknown.values()} if skip_unknown else set()
        groups: dict[str, Problem] = {}
        for row in self.rejected:
            for reason in row.errors:
                if unknown and any(
                    reason.startswith(f"{header}:") and f"“{value}”" in reason
                    for header, value in unknown
                ):
                    continue
                shape = _QUOTED.sub("“…”", reason)
                problem = groups.get(shape)
                if problem is None:
                    problem = groups[shape] = Problem(reason, 0, [], [], fix_for(reason))
                problem.rows += 1
                if len(problem.lines) < 10:
                    problem.lines.append(row.line)
                for quoted in _QUOTED.findall(reason)[:1]:
                    if quoted not in problem.examples and len(problem.examples) < 5:
                        problem.examples.append(quoted)
        return sorted(groups.values(), key=lambda p: -p.rows)

    def note_groups(self) -> list[Problem]:
        """Remarks on rows taken in, grouped like the problems."""
        groups: dict[str, Problem] = {}
        for row in self.noted:
            for note in row.notes:
                shape = re.sub(r"\d+", "#", _QUOTED.sub("“…”", note))
                problem = groups.setdefault(shape, Problem(note, 0, [], []))
                problem.rows += 1
                if len(problem.lines) < 10:
                    problem.lines.append(row.line)
        return sorted(groups.values(), key=lambda p: -p.rows)

    def column_map(self, resource: BulkModelResource) -> list[tuple[str, str, str]]:
        """(header, column key or "", what it was matched to) for every column of the file."""
        names = {name: str(v[0]) for name, v in resource.header_aliases().items() if v}
        return [
            (header, self.columns.get(header, ""), names.get(self.columns.get(header, ""), ""))
            for header in self.headers
            if header
        ]


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


def saved_profile(resource: BulkModelResource) -> Callable[[list[str]], dict[str, str] | None]:
    """The column mapping remembered for a file's set of headers (``ImportProfile``), if any."""
    from core.models import ImportProfile

    label = resource._meta.model._meta.label_lower

    def lookup(labels: list[str]) -> dict[str, str] | None:
        profile = ImportProfile.objects.filter(
            model=label, signature=header_signature(labels)
        ).first()
        return profile.mapping if profile else None

    return lookup


def read_file(
    data: bytes,
    filename: str,
    resource: BulkModelResource,
    limits: bool = True,
    mapping: dict[str, str] | None = None,
    require_key: bool = True,
) -> tabular.Table:
    """The file as a table, refused early when over the limits or lacking the key column.
    Its columns are matched by ``mapping`` (folded header -> column key, "" not used) where
    given, else by the profile saved for its set of headers, then by the header aliases.

    Reading stops at the first row past IMPORT_MAX_ROWS (core.tabular checks an Excel file's
    cells and zip before parsing it), so no file costs more than the limit allows."""
    if limits:
        check_size(len(data))
    limit = settings.IMPORT_MAX_ROWS if limits else None
    try:
        table = tabular.read_table(
            data,
            filename,
            resource.header_aliases(),
            mapping if mapping is not None else saved_profile(resource),
            max_rows=limit,
        )
    except tabular.TooManyRows:
        raise ImportRefused(
            f"Tệp có hơn {limit} dòng; tối đa {limit} dòng mỗi lần nhập. "
            "Hãy chia tệp thành nhiều phần hoặc dùng lệnh import_cadres."
        ) from None
    except tabular.TableError as error:
        raise ImportRefused(str(error)) from error
    _check_key_column(table, resource, require_key)
    return table


def stream_file(source: BinaryIO, filename: str, resource: BulkModelResource) -> tabular.Table:
    """The file as a table whose rows are read as run_import consumes them (the command: no
    limit, memory flat whatever the size). A problem found further in the file raises
    ImportRefused from the loop, inside run_import's transaction: nothing is written."""
    try:
        table = tabular.open_table(
            source, filename, resource.header_aliases(), saved_profile(resource)
        )
    except tabular.TableError as error:
        raise ImportRefused(str(error)) from error
    _check_key_column(table, resource, True)
    table.rows = _refused_on_error(table.rows)
    return table


def _refused_on_error(rows: Iterable[tabular.SourceRow]) -> Iterator[tabular.SourceRow]:
    try:
        yield from rows
    except tabular.TableError as error:
        raise ImportRefused(str(error)) from error


def _check_key_column(table: tabular.Table, resource: BulkModelResource, require_key: bool) -> None:
    id_field = resource.id_field()
    present = set(table.columns.values())
    # The preview shows a file lacking it with its columns, for mapping one by hand; a column
    # the resource fills from others (a cadre found by name and birth date) is not lacking.
    if require_key and id_field not in present | set(resource.implied_columns(present)):
        name = resource.fields[id_field].column_name
        raise ImportRefused(f"Tệp không có cột “{name}” (dùng để nhận ra từng người).")


def run_import(
    resource: BulkModelResource,
    table: tabular.Table,
    *,
    write: bool,
    skip_rejected: bool = False,
    progress: Callable[[int], None] | None = None,
    user=None,
    create: bool | dict[str, list[str]] = False,
    keep_rows: bool = True,
) -> ImportReport:
    """Validate every row; when ``write``, save all new and changed rows in one transaction.
    With rejected rows nothing is written unless ``skip_rejected`` (then the others are).
    With ``user``, a row naming a record of a unit the user may not see, or putting one into
    such a unit, is refused (the model's ``unit_path``), and history rows name the user.
    ``create``: unknown reference values to create where the resource marks that safe: True
    for all (``--create-missing``), or per column key the folded values chosen in a preview.
    Without ``write`` nothing is kept, values created included.

    ``table.rows`` may be an iterator (``stream_file``): it is read a chunk at a time; with
    ``keep_rows`` off the report keeps only the rejected rows (see ImportReport)."""
    started = time.monotonic()
    report = ImportReport(table.headers, table.columns, table.unknown_headers, keep_rows=keep_rows)
    try:
        with transaction.atomic(), fewer_collections:
            with acting_as(user) if user is not None else contextlib.nullcontext():
                _run(resource, table, report, write, progress, user, create)
            if not write or (report.rejected_count and not skip_rejected):
                raise _Rollback
            report.written = True
            # Bulk writes send no signals: the dashboard's figures count again.
            dashboard.changed(resource._meta.model._meta.app_label)
            # Once the rows are committed (the caller may hold the transaction), the tables
            # they grew get their statistics now rather than at autovacuum's next round.
            transaction.on_commit(partial(analyse_grown, dict(report.grown)), robust=True)
    except _Rollback:
        report.created_ids, report.previous, report.alongside = [], {}, []
    except IntegrityError as error:
        # Someone else wrote a row of this file meanwhile: another import of the same people
        # committed while this one ran (a register empty at the start is not looked up again).
        raise ImportRefused(WRITTEN_MEANWHILE) from error
    report.seconds = time.monotonic() - started
    return report


class FewerCollections:
    """Python's cycle collector runs every 700 new objects and scans the young ones, which in
    an import are the chunk's rows, instances and values, again and again: a quarter of the
    CPU of a 20,000-row import. Inside this context it runs every ``THRESHOLD`` new objects
    (the rows' values are freed as before, by their reference counts; cycles a little later).
    The threshold is the process's: imports running at once in threads set it by the first
    to start and restore it by the last to end."""

    THRESHOLD = 50_000

    def __init__(self):
        self.lock = threading.Lock()
        self.running = 0
        self.saved = gc.get_threshold()

    def __enter__(self) -> None:
        with self.lock:
            if not self.running:
                self.saved = gc.get_threshold()
                gc.set_threshold(max(self.THRESHOLD, self.saved[0]), *self.saved[1:])
            self.running += 1

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.running -= 1
            if not self.running:
                gc.set_threshold(*self.saved)


fewer_collections = FewerCollections()


def allowed_units(resource: BulkModelResource, user) -> set[int] | None:
    """Ids of the units ``user`` may write rows of; ``None`` for all (no user: a command).
    The unit model, reached through the model's ``unit_path``, answers for its tree."""
    if user is None:
        return None
    model = resource._meta.model
    for name in filter(None, resource.scope_path().split("__")):
        model = model._meta.get_field(name).related_model
    return model._default_manager.ids_visible_to(user)


def crash_reason(header: str, text: str, error: Exception) -> str:
    """A bug met on a bad cell becomes the row's reason (and a log line), never a crash."""
    logger.warning("import: %s on %r (%s)", type(error).__name__, text, header, exc_info=error)
    cell = f" “{text[:60]}”" if text else ""
    where = f"{header}: " if header else ""
    return f"{where}không đọc được giá trị{cell} ({type(error).__name__}); hãy kiểm tra ô này."


# What the lines under a table begin with: totals, signatures, the place and date of signing.
_FOOTER_WORDS = re.compile(
    r"^(tong|cong|nguoi lap|lap bieu|ghi chu|xac nhan|thu truong|giam doc|truong ban|t/m|tm |"
    r"ke toan|thu quy|ngay \d)"
)


def is_footer(resource: BulkModelResource, values: dict[str, str]) -> bool:
    """A line under the table (notes, totals, signatures the reader did not recognise): at
    most two cells filled, and no key cell or only words of such lines ("Tổng số: 57 lớp" in
    the class code's column)."""
    filled = [v for v in values.values() if v]
    if len(filled) > 2:
        return False
    keys = [values.get(name) for name in resource.key_fields() if values.get(name)]
    return not keys or all(_FOOTER_WORDS.match(fold(text)) for text in filled)


def footer_start(resource: BulkModelResource, rows: list[tabular.SourceRow]) -> int:
    """Index of the first row of the trailing lines under the table (:func:`is_footer`)."""
    end = len(rows)
    while end and is_footer(resource, rows[end - 1].values):
        end -= 1
    return end


def _cell_readers(resource, columns, headers, id_name) -> list[tuple]:
    """What :func:`_read_cells` asks of each column, worked out once per import: its key, its
    widget's ``clean``, its header, whether an empty cell is read (else left out), whether its
    widget makes remarks."""
    return [
        (
            name,
            f.widget.clean,
            headers[name],
            resource.wipe_empty or name == id_name,
            f.widget if isinstance(f.widget, NotedWidget) else None,
        )
        for name, f in columns.items()
    ]


def _read_cells(readers, texts, report, line) -> tuple:
    """Every cell of a row through its widget: the values, the reasons (all of them), the
    headers that failed, the remarks."""
    values, errors, failed, notes = {}, [], set(), []
    for name, clean, header, read_empty, noted in readers:
        text = texts.get(name, "")
        # is_empty(), spelled out: a call per cell is a tenth of reading the cells.
        if not read_empty and (text is None or (isinstance(text, str) and not text.strip())):
            continue
        try:
            values[name] = clean(text)
        except UnknownValue as error:
            errors.append(f"{header}: {error}")
            failed.add(header)
            group = report.unknown.get((name, error.key))
            if group is None:
                group = report.unknown[(name, error.key)] = UnknownGroup(
                    name,
                    header,
                    error.value,
                    error.key,
                    error.suggestions,
                    error.creatable,
                )
            group.rows += 1
            if len(group.lines) < 10:
                group.lines.append(line)
        except (ValueError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else error
            errors.append(f"{header}: {message}")
            failed.add(header)
        except DatabaseError:
            raise
        except Exception as error:
            errors.append(crash_reason(header, str(text), error))
            failed.add(header)
        if noted is not None and noted.notes:
            notes.extend(f"{header}: {note}" for note in noted.take_notes())
    return values, errors, failed, notes


def _later(errors: list[str], failed: set[str], found: list[str]) -> None:
    """Add the reasons found by a later step, except on a column whose cell failed already."""
    errors.extend(e for e in found if not any(e.startswith(f"{h}:") for h in failed))


def _run(resource, table, report, write, progress, user=None, create=False) -> None:
    model = resource._meta.model
    opts = model._meta
    # table.columns maps each header of the file to the key it was recognised as.
    headers = {key: header for header, key in table.columns.items()}
    for name in resource.implied_columns(set(headers)):
        headers.setdefault(name, str(resource.fields[name].column_name))
    columns = {name: f for name, f in resource.import_columns().items() if name in headers}
    # For the messages about a key column the file lacks (the preview maps one by hand).
    key_headers = {
        name: str(resource.fields[name].column_name)
        for name in resource.key_fields()
        if name in resource.fields
    }
    key_headers.update(headers)
    model_fields = {name: opts.get_field(f.attribute) for name, f in columns.items()}
    # A model field's header, for the reasons the model's checks give by field.
    by_field = {f.attribute: headers[name] for name, f in columns.items()}
    readers = _cell_readers(resource, columns, headers, resource.id_field())
    foreign = [f.name for f in opts.concrete_fields if f.is_relation]
    # Field validators run on what the file sets, and on a new row also on what must be set;
    # the rest of a stored row is as valid as it was.
    in_file = {f.attribute for f in columns.values()}
    exclude_existing = frozenset(
        {f.name for f in opts.concrete_fields if f.name not in in_file} | {*foreign}
    )
    exclude_new = frozenset(
        {f.name for f in opts.concrete_fields if f.blank and f.name not in in_file} | {*foreign}
    )
    required_foreign = [f for f in opts.concrete_fields if f.is_relation and not f.null]
    on = timezone.localdate()
    seen: dict[str, int] = {}
    stamp = timezone.now()
    has_updated_at = any(f.name == "updated_at" for f in opts.concrete_fields)
    allowed = allowed_units(resource, user) if resource.scope_path() is not None else None
    has_history = hasattr(model, "history")
    new_instance = instance_maker(model)
    set_related = related_setter(model)
    checks = FieldChecks(model)
    # A table empty as the import began holds only the rows this import writes (see
    # BulkModelResource.may_be_stored).
    resource.empty_at_start, resource.written_keys = None, set()
    # Widgets loading what a chunk names in one query (a cadre by CCCD), and those naming
    # reference values that may be created.
    loading = {name: f.widget for name, f in columns.items() if hasattr(f.widget, "load")}
    for name, f in columns.items():
        if isinstance(f.widget, Reconcilable):
            f.widget.may_create = True if create is True else set((create or {}).get(name, []))
            f.widget.made = []
    if isinstance(table.rows, list):
        source_rows = table.rows[: footer_start(resource, table.rows)]
    else:  # stream_file: read a chunk at a time
        source_rows = _without_footer(resource, table.rows)

    for rows in _chunks(source_rows, CHUNK):
        for name, widget in loading.items():
            widget.load(row.values.get(name, "") for row in rows)
        resource.prepare_chunk(rows)
        parsed: list[tuple[tabular.SourceRow, dict, list[str], str, set, list]] = []
        for source in rows:
            try:
                texts = resource.prepare_row(source.values)
            except DatabaseError:
                raise
            except Exception as error:
                texts = source.values
                prepare_error = [crash_reason("", "", error)]
            else:
                prepare_error = []
            values, errors, failed, notes = _read_cells(readers, texts, report, source.line)
            errors = prepare_error + errors
            try:
                found = resource.clean_row(values, source.values, headers)
            except DatabaseError:
                raise
            except Exception as error:
                found = [] if errors else [crash_reason("", "", error)]
            _later(errors, failed, found)
            try:
                key = resource.row_key(values)
            except Exception:
                key = ""
            in_key = [headers[name] for name in resource.key_fields() if name in headers]
            if not key and not any(e.startswith(h) for h in in_key for e in errors):
                errors.append(resource.missing_key_text(key_headers))
                failed.update(in_key)  # said once, not again as "required" per column
            elif key in seen:
                errors.append(
                    f"{resource.key_text(key, headers)} trùng với dòng {seen[key]} của tệp."
                )
            elif key:
                seen[key] = source.line
            parsed.append((source, values, errors, key, failed, notes))

        keys = [key for _, _, _, key, _, _ in parsed if key]
        existing = resource.existing_rows(keys)
        to_create, to_update, update_fields, new_keys = [], [], set(), []
        for source, values, errors, key, failed, notes in parsed:
            outcome = RowOutcome(line=source.line, status="rejected", notes=notes)
            report.rows.append(outcome)
            matched = existing.get(key) if key else None
            if errors:
                # A column with a reason already gets no second one from the model's checks.
                failed.update(
                    h for h in headers.values() if any(e.startswith(f"{h}:") for e in errors)
                )
                # Checked on a copy, so that every fault is reported, never written.
                _later(
                    errors,
                    failed,
                    _faults(
                        resource,
                        new_instance(),
                        values,
                        model_fields,
                        matched is None,
                        exclude_new if matched is None else exclude_existing,
                        required_foreign,
                        on,
                        by_field,
                        checks,
                    ),
                )
                outcome.label = _label(resource, source, values)
                outcome.errors = errors
                outcome.cells = table.cells(source)
                continue
            instance, is_new = matched, matched is None
            if (
                allowed is not None
                and not is_new
                and resource.scope_unit_id(instance) not in allowed
            ):
                errors.append(f"{resource.key_text(key, headers)}: {NOT_YOURS}")
                instance, is_new = None, True
            if is_new:
                instance = new_instance()
            for name, value in values.items() if not errors else ():
                model_field = model_fields[name]
                new = value.pk if model_field.is_relation and value is not None else value
                if new is None and not model_field.null and not model_field.is_relation:
                    new = ""
                old = None if is_new else getattr(instance, model_field.attname)
                if is_new or old != new:
                    if model_field.is_relation:
                        # Keep the resolved object so str() and rules need no query.
                        set_related(instance, model_field, value)
                    else:
                        setattr(instance, model_field.attname, new)
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
                        by_field,
                        checks,
                    )
                )
            outcome.label = _label(resource, source, values)
            if errors:
                outcome.errors = errors
                outcome.cells = table.cells(source)
                if not is_new:
                    report.previous.pop(instance.pk, None)
                continue
            if is_new:
                outcome.status = "new"
                to_create.append(instance)
                new_keys.append(key)
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
            report.grown[model] += len(created)
            if resource.empty_at_start:
                resource.written_keys.update(new_keys)
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
                report.alongside.extend(
                    (obj._meta.label_lower, obj.pk) for obj in resource.alongside
                )
                report.grown.update(type(obj) for obj in resource.alongside)
                resource.alongside.clear()
        report.settle()
        if progress:
            progress(len(rows))
    for name, f in columns.items():
        if isinstance(f.widget, Reconcilable):
            report.created.extend((headers[name], text) for text in f.widget.made)
    # Every row written has updated_at <= this moment; a later edit of one of them is after it.
    report.stamp = timezone.now()


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` rows (a list is sliced; an iterator is read a chunk at a time)."""
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def _without_footer(
    resource: BulkModelResource, rows: Iterable[tabular.SourceRow]
) -> Iterator[tabular.SourceRow]:
    """footer_start for rows read as a stream: rows that look like lines under the table are
    held back until a row of the table follows them, and dropped at the end of the file."""
    held: list[tabular.SourceRow] = []
    for row in rows:
        if not is_footer(resource, row.values):
            yield from held
            held = []
            yield row
        else:
            held.append(row)


def _label(resource, source, values) -> str:
    try:
        return resource.row_label(source, values)
    except Exception:
        return ""


def _faults(
    resource,
    instance,
    values,
    model_fields,
    is_new,
    exclude,
    required_foreign,
    on,
    by_field,
    checks,
) -> list[str]:
    """The field and rule faults of a row that has others already (its cells that were read
    set on a new instance): all of a row's faults are reported at once."""
    for name, value in values.items():
        model_field = model_fields.get(name)
        if model_field is None:
            continue
        new = value.pk if model_field.is_relation and value is not None else value
        if new is None and not model_field.null and not model_field.is_relation:
            new = ""
        setattr(instance, model_field.attname, new)
        if model_field.is_relation:
            setattr(instance, model_field.name, value)
    try:
        return _validate(
            resource,
            instance,
            is_new,
            exclude,
            required_foreign,
            on,
            by_field,
            checks,
            rules_always=True,
        )
    except DatabaseError:
        raise
    except Exception:
        return []  # a rule that needs the failed cells: their reasons are given already


class FieldChecks:
    """``Model.clean_fields`` with each field's check of a value made once per import: a
    field's conversion and validators depend on the value alone (a foreign key's check, which
    queries, is not cached), so a value found valid is valid again and one refused is refused
    with the same messages. Up to ``LIMIT`` values per field are remembered: a column of
    distinct values (names, CCCDs) costs its checks and no memory."""

    LIMIT = 4096
    CACHED_TYPES = (str, int, bool, date, datetime, type(None))  # Decimal: "1.0" != "1.00"

    def __init__(self, model: type[models.Model]):
        self.fields = [f for f in model._meta.fields if not f.generated]
        self.seen: dict[str, dict] = {f.name: {} for f in self.fields}
        # exclude -> the fields checked, with what each row asks of them
        self.checked: dict[frozenset[str], list[tuple]] = {}

    def clean(self, instance: models.Model, exclude: frozenset[str]) -> None:
        checked = self.checked.get(exclude)
        if checked is None:
            checked = self.checked[exclude] = [
                (f, f.attname, f.blank, f.empty_values, not f.is_relation, self.seen[f.name])
                for f in self.fields
                if f.name not in exclude
            ]
        cached_types, limit = self.CACHED_TYPES, self.LIMIT
        errors = {}
        for f, attname, blank, empty, plain, seen in checked:
            raw = getattr(instance, attname)
            if blank and raw in empty:
                continue
            kind = type(raw)
            cacheable = plain and kind in cached_types
            known = seen.get((kind, raw)) if cacheable else None
            if known is None:
                try:
                    known = (True, f.clean(raw, instance))
                except ValidationError as error:
                    known = (False, error.error_list)
                if cacheable and len(seen) < limit:
                    seen[(kind, raw)] = known
            valid, result = known
            if not valid:
                errors[f.name] = result
            elif result is not raw:  # else setting it changes nothing
                setattr(instance, attname, result)
        if errors:
            raise ValidationError(errors)


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


def related_setter(
    model: type[models.Model],
) -> Callable[[models.Model, models.Field, object], None]:
    """A function doing ``setattr(instance, field.name, value)`` on instances of ``model``, that
    sets the key and the cached row itself (what Django's descriptor ends up doing: 4.5 µs
    saved per key and row) where the descriptor's checks cannot fail: a many-to-one key, a row
    of its model stored in the database ``model`` is written to, an instance new or of that
    database (a relation within one database, which Django's router and ours allow, and the
    instance's database the one the descriptor would give it). Anything else goes through
    the descriptor."""
    db = router.db_for_write(model)
    direct = {
        f.name: (f.attname, f.cache_name, f.related_model, f.target_field.attname)
        for f in model._meta.concrete_fields
        if f.many_to_one
    }

    def set_related(instance: models.Model, field: models.Field, value) -> None:
        key = direct.get(field.name)
        state = instance._state
        if (
            key is None
            or value is None
            or value.__class__ is not key[2]
            or value._state.db != db
            or state.db not in (None, db)
        ):
            setattr(instance, field.name, value)
            return
        attname, cache_name, _, target = key
        state.db = db
        instance.__dict__[attname] = getattr(value, target)
        state.fields_cache[cache_name] = value

    return set_related


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


def _validate(
    resource,
    instance,
    is_new,
    exclude,
    required_foreign,
    on,
    by_field,
    checks,
    rules_always=True,
):
    """The model's field validators and rules, without the per-row queries of full_clean()
    (related rows were resolved from the database already; the id is matched, not checked).
    The rules run on a row whose fields passed, or on every row with ``rules_always``."""
    messages: dict[str, list[str]] = {}
    try:
        checks.clean(instance, exclude)
    except ValidationError as error:
        messages.update(error.message_dict)
    if is_new:
        for f in required_foreign:
            if getattr(instance, f.attname) is None:
                messages.setdefault(f.name, []).append(str(f.error_messages["blank"]))
    if not messages or rules_always:
        try:
            rules = resource.rule_errors(instance, on)
        except DatabaseError:
            raise
        except Exception as error:
            # A rule reading a field that failed: that field's reason is given already.
            rules = {} if messages else {"__all__": [crash_reason("", "", error)]}
        for name, found in rules.items():
            messages.setdefault(name, []).extend(found if isinstance(found, list) else [found])
    errors = []
    for name, found in messages.items():
        verbose = by_field.get(name) or (
            capfirst(str(instance._meta.get_field(name).verbose_name)) if name != "__all__" else ""
        )
        for message in found:
            errors.append(f"{verbose}: {message}" if verbose else message)
    return errors

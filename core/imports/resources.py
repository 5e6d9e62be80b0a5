"""The resource base of every importable model: column names, aliases, keys and rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.text import capfirst
from import_export import resources

from core import tabular
from core.imports.widgets import is_empty

# --- Resources --------------------------------------------------------------------------------


class BulkModelResource(resources.ModelResource):
    """Base of this project's resources: Vietnamese column names, header variants in
    ``aliases``, rules checked (``clean_model_instances``), and an empty cell that leaves the
    stored value alone unless the import was asked to wipe (``wipe_empty``)."""

    # attribute -> further header spellings accepted on import (the column name always is).
    aliases: dict[str, list[str]] = {}
    # Columns read by prepare_row() (or shown in the preview) that set no field of the model
    # themselves: their names are recognised, so they are not reported as unknown columns. A
    # column that is not a field of the resource (never exported) is named by its first alias.
    context_columns: list[str] = []
    # Fields a model computes in derive_fields(), by attribute name (`unit_id` for a foreign
    # key): written along with the changed ones.
    derived_fields: list[str] = []
    # What identifies a row to a person reading the preview (e.g. the full name).
    label_field: str | None = None
    # Values chosen for a whole file in the preview (or on the command line): constructor
    # argument -> the column whose choices are offered (``{"default_category": "category"}``).
    file_defaults: dict[str, str] = {}

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
        # Rows after_write() created besides the model's own (a register's qualifications):
        # an undo of the import deletes them.
        self.alongside: list[models.Model] = []

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
            if name in self.fields
            else self.aliases[name]
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
        """What names the row in the preview: the person's name as the file writes it, else
        the name of the row ``label_field`` resolved to (a cadre found by CCCD), else that
        cell's text."""
        named = source.values.get("full_name")
        if named:
            return named
        found = values.get(self.label_field or "")
        if isinstance(found, models.Model):
            return getattr(found, "full_name", None) or str(found)
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
        if any(part is None or part == "" for part in parts):
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

    # Per import (run_import resets them): whether the model's table was empty as the import
    # began, asked by the first lookup (before anything is written), then the keys written.
    empty_at_start: bool | None = None
    written_keys: set | None = None

    def may_be_stored(self, keys: Iterable) -> list:
        """The keys among ``keys`` a stored row may have: all, or on a table empty as the
        import began only those of rows it wrote (none, unless a later chunk repeats a key),
        so a first import looks nothing up. For matching by the exact key only."""
        if self.written_keys is None:  # not in run_import
            return list(keys)
        if self.empty_at_start is None:
            self.empty_at_start = not self._meta.model._base_manager.exists()
        if not self.empty_at_start:
            return list(keys)
        return [key for key in keys if key in self.written_keys]

    def existing_rows(self, keys: list) -> dict:
        """Stored rows by key: by the id field, or by ``KEY`` (rows narrowed on its first
        column in one query, matched on the whole key; of two stored rows with one key the
        first entered)."""
        if not self.KEY:
            attr = self.fields[self.id_field()].attribute
            keys = self.may_be_stored(keys)
            found = matching(self._meta.model, attr, keys) if keys else []
            return {getattr(obj, attr): obj for obj in found}
        if not keys:
            return {}
        opts = self._meta.model._meta
        attnames = [opts.get_field(self.fields[name].attribute).attname for name in self.KEY]
        wanted = set(keys)
        found: dict = {}
        rows = self.get_queryset().filter(**{f"{attnames[0]}__in": {key[0] for key in keys}})
        for row in rows.order_by("pk"):
            key = tuple(getattr(row, attname) for attname in attnames)
            if key in wanted:
                found.setdefault(key, row)
        return found

    def clean_row(self, values: dict, row: dict[str, str], headers: dict[str, str]) -> list[str]:
        """Combine cells into values after each widget read its own (a training attendance's
        person from CCCD, name, birth date and unit); returns further errors."""
        return []

    @classmethod
    def scope_path(cls) -> str | None:
        """The lookup from the model to the unit deciding who may write a row: the model's own
        ``unit_path`` (its first, when a row reaches units by several), ``None`` for a model
        that belongs to no unit."""
        path = getattr(cls._meta.model, "unit_path", None)
        return path if path is None or isinstance(path, str) else path[0]

    def scope_unit_id(self, instance) -> int | None:
        """The unit deciding who may write ``instance``, reached through :meth:`scope_path`;
        related rows are expected loaded (resolved or select_related)."""
        path = self.scope_path()
        if not path:
            return instance.pk
        *steps, last = path.split("__")
        for step in steps:
            instance = getattr(instance, step, None)
            if instance is None:
                return None
        return getattr(instance, instance._meta.get_field(last).attname)

    def scope_refusal(self, headers: dict[str, str]) -> str:
        name = self.scope_path().split("__")[0]
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


def matching(
    model: type[models.Model], attr: str, keys: list[str], queryset: models.QuerySet | None = None
) -> models.QuerySet:
    """Rows whose ``attr`` is one of ``keys``. On PostgreSQL the keys go as one array: with a
    trigram index on the column (cccd has one, for search) the planner takes seconds for an
    ``IN (...)`` list of a few hundred literals (10 s for 200), and milliseconds for this."""
    queryset = model.objects.all() if queryset is None else queryset
    if connection.vendor == "postgresql":
        return queryset.filter(**{f"{attr}__in": RawSQL("SELECT unnest(%s::text[])", [keys])})
    return queryset.filter(**{f"{attr}__in": keys})

"""Bulk inserts through PostgreSQL's COPY, for imports of tens of thousands of rows.

``bulk_create`` on PostgreSQL sends each batch as one ``INSERT ... SELECT unnest(...)`` whose
arrays psycopg builds in Python: at 100,000 cadres with their history rows that was three
quarters of an import's time. COPY streams the rows instead. Primary keys are drawn from the
table's sequence first, so the objects come back with their ids as ``bulk_create`` gives them.
"""

from __future__ import annotations

from django.db import connections, models
from django.utils import timezone

from core import dashboard

# Field types whose Python value psycopg writes as is (str, int, bool, date, datetime,
# Decimal, None); any other field goes through its get_db_prep_save().
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.DateField,  # DateTimeField too
    models.IntegerField,  # the small/big/positive and auto variants too
    models.BooleanField,
    models.DecimalField,
    models.ForeignKey,
)


def copy_values(model: type[models.Model], rows: list[list], using: str) -> list[int]:
    """COPY ``rows`` (values in the order of ``model``'s concrete fields, ready for the
    database) into its table; the primary key's slot is filled from the table's sequence.
    Returns the new primary keys in the order of the rows."""
    if not rows:
        return []
    connection = connections[using]
    opts = model._meta
    fields = opts.concrete_fields
    pk_index = fields.index(opts.pk)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    dashboard.changed(opts.app_label, using=using)  # COPY sends no signals
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [opts.db_table, opts.pk.column, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        # Django's exceptions, as its own cursor raises them (a duplicate key: IntegrityError).
        copying = cursor.cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN")
        with connection.wrap_database_errors, copying as copy:
            for row, pk in zip(rows, ids, strict=True):
                row[pk_index] = pk
                copy.write_row(row)
    return ids


def copy_insert(model: type[models.Model], objs: list[models.Model], using: str) -> list[list]:
    """INSERT ``objs`` (new, unsaved) into ``model``'s table with one COPY; sets their pk.
    Returns the rows as written (the values of the concrete fields, in their order)."""
    connection = connections[using]
    fields = model._meta.concrete_fields
    # A timestamp set on insert (auto_now, auto_now_add) is this moment, once for all rows.
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
    ]
    # A plain field without auto_now is written as its attribute holds it (pre_save would only
    # read the attribute, get_db_prep_save change nothing); the others as a save writes them.
    as_held = [
        f.attname in stamped
        or (
            isinstance(f, PLAIN_FIELDS)
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        )
        for f in fields
    ]
    rows = []
    for obj in objs:
        # As bulk_create does: a foreign key set to an object saved since (a new trainee of
        # the same import) takes that object's pk, else the row would go in with NULL.
        obj._prepare_related_fields_for_save(operation_name="copy_insert")
        for attname in stamped:
            setattr(obj, attname, now)
        values = obj.__dict__
        rows.append(
            [
                values[f.attname] if held else f.get_db_prep_save(f.pre_save(obj, True), connection)
                for f, held in zip(fields, as_held, strict=True)
            ]
        )
    for obj, pk in zip(objs, copy_values(model, rows, using), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return rows

"""Bulk inserts through PostgreSQL's COPY, for imports of tens of thousands of rows.

``bulk_create`` on PostgreSQL sends each batch as one ``INSERT ... SELECT unnest(...)`` whose
arrays psycopg builds in Python: at 100,000 cadres with their history rows that was three
quarters of an import's time. COPY streams the rows instead. Primary keys are drawn from the
table's sequence first, so the objects come back with their ids as ``bulk_create`` gives them.
"""

from __future__ import annotations

import operator

from django.db import connections, models, router
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


def copy_values(
    model: type[models.Model], rows: list[list], using: str, fields: list | None = None
) -> list[int]:
    """COPY ``rows`` (values in the order of ``fields``, by default ``model``'s concrete
    fields, ready for the database) into its table; the primary key's slot is filled from the
    table's sequence. Returns the new primary keys in the order of the rows."""
    if not rows:
        return []
    connection = connections[using]
    opts = model._meta
    fields = opts.concrete_fields if fields is None else fields
    pk_index = fields.index(opts.pk)
    dated = [at for at, f in enumerate(fields) if isinstance(f, models.DateField)]
    texts: dict[int, tuple[object, str]] = {}
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
                for at in dated:
                    if row[at] is not None:
                        row[at] = _as_text(row[at], texts)
                copy.write_row(row)
    return ids


def _as_text(value, texts: dict[int, tuple[object, str]]) -> str:
    """A date or datetime as psycopg writes it to COPY (``str()``: tested), worked out once per
    object: psycopg takes 5.6 µs for an aware datetime and 1.5 µs for a date, and an imported
    cadre and its history row hold five datetimes (one moment, the same object) and a few
    dates (one object per distinct text read). ``texts`` keeps each object with its text, so
    that its id is not reused during the COPY."""
    found = texts.get(id(value))
    if found is None:
        found = texts[id(value)] = (value, str(value))
    return found[1]


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
    # read the attribute, get_db_prep_save change nothing): every attribute is taken at once,
    # then the others are replaced by what a save writes, except a file field holding a name
    # (a str, not a file to store: what a save writes is that name).
    take = operator.itemgetter(*[f.attname for f in fields])
    prepared = [
        (at, f, isinstance(f, models.FileField))
        for at, f in enumerate(fields)
        if f.attname not in stamped
        and not (
            isinstance(f, PLAIN_FIELDS)
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        )
    ]
    relations = _relations(model)
    rows = []
    for obj in objs:
        # As bulk_create does: a foreign key set to an object saved since (a new trainee of
        # the same import) takes that object's pk, else the row would go in with NULL.
        if relations is None or _related_unsettled(obj, relations):
            obj._prepare_related_fields_for_save(operation_name="copy_insert")
        for attname in stamped:
            setattr(obj, attname, now)
        row = list(take(obj.__dict__))
        for at, f, named in prepared:
            if not (named and type(row[at]) is str):
                row[at] = f.get_db_prep_save(f.pre_save(obj, True), connection)
        rows.append(row)
    for obj, pk in zip(objs, copy_values(model, rows, using), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return rows


def _relations(model: type[models.Model]) -> list[tuple] | None:
    """What :func:`_related_unsettled` reads of each foreign key of ``model``; ``None`` for a
    model with generic relations (Model._prepare_related_fields_for_save checks every row)."""
    opts = model._meta
    if any(f.is_relation for f in opts.private_fields):
        return None
    return [
        (f.cache_name, f.attname, f.target_field.attname, f.empty_values)
        for f in opts.concrete_fields
        if f.is_relation
    ]


def _related_unsettled(obj: models.Model, relations: list[tuple]) -> bool:
    """Whether ``Model._prepare_related_fields_for_save`` has anything to do on ``obj``: a
    related object assigned to it that is unsaved, or saved (or changed) since, its key not
    yet the foreign key's value. Most rows of an import name stored rows, set with their
    ids: the check costs a dictionary lookup per foreign key instead of a walk of every
    field through the field API."""
    cached = obj._state.fields_cache
    if not cached:
        return False
    values = obj.__dict__
    for name, attname, target, empty in relations:
        related = cached.get(name)
        if related and (
            not related._is_pk_set()
            or values[attname] in empty
            or getattr(related, target) != values[attname]
        ):
            return True
    return False


def analyse_grown(grown: dict[type[models.Model], int]) -> None:
    """ANALYZE each table ``grown`` (model -> rows just written into it) grew by as many rows
    as make autovacuum analyse a table, now rather than at its next round (a minute or more
    away). An import written in bulk, then another of the same people (the file corrected
    and imported again): the planner of the second, believing the table still empty, hashed
    the whole table to look up each chunk's 2,000 keys (0.2 s per lookup at 100,000 cadres),
    where the unique index finds them in 10 ms. Only the primary key and the foreign keys
    are analysed (what later imports look rows up by; any column tells the table's size):
    0.14 s instead of 1 s for 100,000 cadres, and autovacuum, whose count an ANALYZE of some
    columns leaves as it is, still analyses every column later. Called once the rows are
    committed: with statistics counting rows not committed, the planner may choose a
    column's trigram index before its pending list is merged (seconds per lookup)."""
    for model, rows in grown.items():
        connection = connections[router.db_for_write(model)]
        if connection.vendor != "postgresql" or not rows:
            continue
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT %s > current_setting('autovacuum_analyze_threshold')::float"
                " + current_setting('autovacuum_analyze_scale_factor')::float"
                " * greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                [rows, table],
            )
            if cursor.fetchone()[0]:
                columns = [
                    quote(f.column)
                    for f in model._meta.concrete_fields
                    if f.primary_key or f.is_relation
                ]
                cursor.execute(f"ANALYZE {table} ({', '.join(columns)})")

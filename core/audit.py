"""Who changed what: history rows (django-simple-history) and the export log.

Saves and deletes of single objects are recorded by the history library whatever the caller:
the admin (the request's user, through HistoryRequestMiddleware), an import through
django-import-export's row-by-row path, or a command (wrap it in :func:`acting_as`). Bulk
writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``) bypass model signals and so the
history: bulk writers must use :func:`bulk_create_with_history` /
:func:`bulk_update_with_history` / :func:`update_with_history` below, inside :func:`acting_as`
to name the user. ``QuerySet.delete`` is recorded: with the history's delete signal connected,
Django deletes row by row through the signals.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.apps import apps
from django.db import connections, router, transaction
from django.utils import timezone
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from core import dashboard
from core.models import ExportLog
from core.pgcopy import copy_insert, copy_values

__all__ = [
    "acting_as",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "log_export",
    "record_first_versions",
    "update_with_history",
]


@contextmanager
def acting_as(user) -> Iterator[None]:
    """Record ``user`` on every history row written inside the block, for commands and
    background imports that have no request."""
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


def bulk_create_with_history(objs: list, model: type, batch_size=None, default_user=None) -> list:
    """simple-history's ``bulk_create_with_history``; on PostgreSQL both the rows and their
    history rows go in by COPY (:mod:`core.pgcopy`), the same rows as the library writes.
    Either way the dashboard's and reports' cached figures of the app are counted again."""
    using = router.db_for_write(model)
    if connections[using].vendor != "postgresql":
        dashboard.changed(model._meta.app_label, using=using)  # bulk_create sends no signals
        return history_utils.bulk_create_with_history(
            objs, model, batch_size=batch_size, default_user=default_user
        )
    history = history_utils.get_history_manager_for_model(model).model
    with transaction.atomic(using=using, savepoint=False):
        rows = copy_insert(model, objs, using)
        # The history rows by value: the tracked fields as saved (taken from the rows just
        # copied in one step: the history's columns are listed in that order), then the
        # history's own key, who, when and "+" (created), as simple-history's
        # bulk_history_create has them.
        position = {f.attname: at for at, f in enumerate(model._meta.concrete_fields)}
        tracked = [f.attname for f in history.tracked_fields]
        by_attname = {f.attname: f for f in history._meta.concrete_fields}
        others = [f for f in history._meta.concrete_fields if f.attname not in tracked]
        user = default_user or history.get_default_history_user(None)
        extras = {
            "history_date": timezone.now(),
            "history_change_reason": "",
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
        }
        take = operator.itemgetter(*[position[attname] for attname in tracked])
        tail = [extras.get(f.attname) for f in others]
        copy_values(
            history,
            [[*take(row), *tail] for row in rows],
            using,
            [by_attname[attname] for attname in tracked] + others,
        )
    return objs


def update_with_history(queryset, **values) -> int:
    """``queryset.update(**values)`` leaving a "~" history row per row (the acting user's), for
    the domain flows that change a few hundred rows at most: the rows are read, then written
    in one bulk update. ``updated_at`` is set as a save would, and the cached figures of the
    app are counted again as after a save. Returns how many rows changed."""
    model = queryset.model
    rows = list(queryset)
    if not rows:
        return 0
    dashboard.changed(model._meta.app_label, using=router.db_for_write(model))
    fields = list(values)
    if "updated_at" not in values and any(
        f.name == "updated_at" for f in model._meta.concrete_fields
    ):
        values["updated_at"] = timezone.now()
        fields.append("updated_at")
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
    bulk_update_with_history(rows, model, fields, batch_size=1000)
    return len(rows)


def tracked_models() -> list[type]:
    """Every model whose changes are kept in a history table."""
    return [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


def record_first_versions(models: list[type], reason: str = "", chunk: int = 5000) -> int:
    """Give every row of ``models`` that has no history yet its first version (a "+" row,
    the acting user's), as if it had been saved one by one: for rows written in bulk without
    their history (the demo data, reference rows of data migrations). Returns how many."""
    written = 0
    for model in models:
        history = history_utils.get_history_manager_for_model(model)
        pk = model._meta.pk.attname
        missing = list(
            model._default_manager.exclude(**{f"{pk}__in": history.values(pk)})
            .order_by(pk)
            .values_list(pk, flat=True)
        )
        for start in range(0, len(missing), chunk):
            rows = model._default_manager.filter(**{f"{pk}__in": missing[start : start + chunk]})
            history.bulk_history_create(list(rows), batch_size=1000, default_change_reason=reason)
        written += len(missing)
    return written


def log_export(user, what: str, count: int, request=None) -> ExportLog:
    """Record that ``user`` took ``count`` rows of ``what`` out (an export or a report)."""
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        what=what[:255],
        count=count,
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )


def related_history(parent, models_and_keys: list[tuple[type, str]], limit: int = 200) -> list:
    """History of the rows that hang off ``parent`` (a cadre's 2C tables), newest first, each
    with its field changes against the row's previous version: one query per table."""
    entries = []
    for model, key in models_and_keys:
        rows = list(
            model.history.filter(**{key: parent.pk})
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        previous = None
        for row in rows:
            changes = []
            if previous is not None and previous.id == row.id:
                delta = row.diff_against(previous, foreign_keys_are_objs=False)
                for change in delta.changes:
                    label = model._meta.get_field(change.field).verbose_name
                    changes.append({"field": label, "old": change.old, "new": change.new})
            entries.append(
                {
                    "table": model._meta.verbose_name,
                    "row": str(row.instance) if row.history_type != "-" else f"#{row.id}",
                    "record": row,
                    "changes": changes,
                }
            )
            previous = row
    entries.sort(key=lambda e: e["record"].history_date, reverse=True)
    return entries[:limit]

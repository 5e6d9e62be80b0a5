"""Who changed what: history rows (django-simple-history) and the export log.

Saves and deletes of single objects are recorded by the history library whatever the caller:
the admin (the request's user, through HistoryRequestMiddleware), an import through
django-import-export's row-by-row path, or a command (wrap it in :func:`acting_as`). Bulk
writes (``bulk_create``, ``bulk_update``, ``QuerySet.update``/``delete``) bypass model signals
and so the history: bulk writers must use :func:`bulk_create_with_history` /
:func:`bulk_update_with_history` below, inside :func:`acting_as` to name the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cadres.models import ExportLog

__all__ = [
    "acting_as",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "log_export",
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


def log_export(user, what: str, count: int, request=None) -> ExportLog:
    """Record that ``user`` took ``count`` rows of ``what`` out (an export or a report)."""
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        what=what[:255],
        count=count,
        path=request.get_full_path()[:500] if request is not None else "",
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
    )

"""Send reads to a PostgreSQL replica when one is configured (``DATABASE_REPLICA_URL``).

Writes always go to ``default`` (the primary). So do reads inside a transaction on the primary,
which is where the admin's add and change views run (``transaction.atomic``): a form validates
and saves against what it has just read, never against a replica that may lag behind. The
tables behind logging in (sessions, users, permissions, content types) and the admin's own log
stay on the primary too, so that a user who has just logged in is not logged out by a lagging
replica. Without a replica the router has no opinion and Django uses ``default``.

Two guards keep the replica from showing stale or no pages:

- read-your-writes (:class:`ReadYourWritesMiddleware`): after a user's write, the primary's WAL
  position is kept in their session, and their pages read the primary until the replica has
  replayed up to it;
- a replica that does not answer is left alone for ``REPLICA_RETRY_SECONDS`` and every read goes
  to the primary meanwhile: the application keeps working without it.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "auth", "contenttypes", "admin"}
REPLICA_RETRY_SECONDS = 30
SESSION_KEY = "_primary_wal_position"

# Set for the length of a request whose user has written what the replica has not replayed yet.
reading_primary: ContextVar[bool] = ContextVar("reading_primary", default=False)
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_usable() -> bool:
    """Whether the replica answers; a failure benches it for REPLICA_RETRY_SECONDS."""
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        return False
    return True


def primary_wal_position() -> str | None:
    if connections["default"].vendor != "postgresql":
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replica_has_replayed(position: str) -> bool:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        return False


class ReadYourWritesMiddleware:
    """After a write (any unsafe request), the user's next pages read the primary until the
    replica has caught up with it. Put after the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if not replica_configured() or session is None:
            return self.get_response(request)
        token = None
        position = session.get(SESSION_KEY)
        if position and replica_has_replayed(position):
            del session[SESSION_KEY]
        elif position:
            token = reading_primary.set(True)
        try:
            response = self.get_response(request)
        finally:
            if token is not None:
                reading_primary.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            written = primary_wal_position()
            if written:
                session[SESSION_KEY] = written
        return response


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        if connections["default"].in_atomic_block or reading_primary.get():
            return "default"
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects of a row come from where the row came
        return REPLICA if replica_usable() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica is migrated by replication, not by Django

"""Send reads to a PostgreSQL replica when one is configured (``DATABASE_REPLICA_URL``).

Writes always go to ``default`` (the primary). So do reads inside a transaction on the primary,
which is where the admin's add and change views run (``transaction.atomic``): a form validates
and saves against what it has just read, never against a replica that may lag behind. The
tables behind logging in (sessions, users, permissions, content types) and the admin's own log
stay on the primary too, so that a user who has just logged in is not logged out by a lagging
replica. Without a replica the router has no opinion and Django uses ``default``.
"""

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY_ONLY_APPS = {"sessions", "auth", "contenttypes", "admin"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return None
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        if connections["default"].in_atomic_block:
            return "default"
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects of a row come from where the row came
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica is migrated by replication, not by Django

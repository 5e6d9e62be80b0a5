"""Accent-free search by index on PostgreSQL.

``search_name`` holds the folded name (no accents, lower case) and the admin searches it with
``LIKE '%…%'``; pg_trgm's GIN indexes answer such patterns without scanning the table. SQLite
(the embedded demo) has no such index and simply scans, which is fast enough at demo size.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

TRIGRAM_INDEXES = {
    "cadres_cadre_search_name_trgm": ("cadres_cadre", "search_name"),
    "cadres_cadre_cccd_trgm": ("cadres_cadre", "cccd"),
    "cadres_unit_name_key_trgm": ("cadres_unit", "name_key"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cadres", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]

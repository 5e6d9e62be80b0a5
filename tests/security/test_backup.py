"""A backup restored into an empty database holds the same rows."""

import shutil
import sqlite3
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cadres.models import Cadre, Unit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TABLES = ("cadres_unit", "cadres_cadre", "cadres_historicalcadre", "cadres_ethnicity")


def snapshot(cursor) -> dict:
    counts = {}
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (fixed table names)
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT id, full_name, cccd, unit_id FROM cadres_cadre ORDER BY id")
    return {"counts": counts, "cadres": [tuple(row) for row in cursor.fetchall()]}


def backup_file(tmp_path):
    call_command("backup", output=str(tmp_path))
    (path,) = [p for p in tmp_path.iterdir() if not p.name.endswith(".sha256")]
    return path


@pytest.fixture
def records(people, district_officer):
    """Three cadres in three units, one of them changed once (two history rows)."""
    cadre = Cadre.objects.get(full_name="Nông Văn An")
    cadre.job_title = "Chủ tịch"
    cadre.save()
    return people


def test_backup_writes_a_file_and_its_checksum(tmp_path, records):
    path = backup_file(tmp_path)
    checksum = path.with_name(path.name + ".sha256").read_text().split()
    assert checksum[1] == path.name and len(checksum[0]) == 64
    assert path.stat().st_size > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup; PostgreSQL below")
def test_sqlite_backup_restores_into_an_empty_file_with_the_same_rows(tmp_path, records):
    path = backup_file(tmp_path)
    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(path), database_url=f"sqlite:///{target}")
    with connection.cursor() as cursor:
        expected = snapshot(cursor)
    restored = sqlite3.connect(target)
    assert snapshot(restored.cursor()) == expected
    assert expected["counts"]["cadres_cadre"] == 3 and expected["counts"]["cadres_unit"] == 4
    restored.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file checks")
def test_restore_refuses_a_damaged_backup_and_a_database_that_is_not_empty(tmp_path, records):
    path = backup_file(tmp_path)
    target = tmp_path / "restored.sqlite3"
    call_command("restore", str(path), database_url=f"sqlite:///{target}")
    with pytest.raises(CommandError, match="không rỗng"):
        call_command("restore", str(path), database_url=f"sqlite:///{target}")
    with path.open("ab") as f:
        f.write(b"x")
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("restore", str(path), database_url=f"sqlite:///{tmp_path / 'other.db'}")


@pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_restore"),
    reason="needs PostgreSQL and pg_dump/pg_restore",
)
def test_postgresql_backup_restores_into_an_empty_database_with_the_same_rows(tmp_path, records):
    path = backup_file(tmp_path)
    settings_dict = connection.settings_dict
    name = f"restore_check_{uuid.uuid4().hex[:8]}"
    params = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        user = params["user"] or ""
        host, port = params["host"] or "", params["port"] or ""
        call_command("restore", str(path), database_url=f"postgres://{user}@{host}:{port}/{name}")
        with connection.cursor() as cursor:
            expected = snapshot(cursor)
        with psycopg.connect(dbname=name, **params) as restored:
            assert snapshot(restored.cursor()) == expected
        assert expected["counts"]["cadres_cadre"] == 3
        assert Unit.objects.count() == expected["counts"]["cadres_unit"]
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')

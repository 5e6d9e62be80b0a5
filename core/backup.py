"""Consistent backups of the whole database and their restore, with a SHA-256 checksum.

PostgreSQL: ``pg_dump --format=custom`` (one snapshot, so consistent while people work) and
``pg_restore``. SQLite: the online backup API, which copies a consistent image page by page.
The checksum sits beside the backup as ``<file>.sha256`` in ``sha256sum`` format, so copies kept
elsewhere can be checked with ``sha256sum -c`` too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_checksum(path: Path) -> Path:
    checksum = path.with_name(path.name + ".sha256")
    checksum.write_text(f"{sha256_of(path)}  {path.name}\n", encoding="ascii")
    return checksum


def verify_checksum(path: Path) -> None:
    checksum = path.with_name(path.name + ".sha256")
    if not checksum.exists():
        raise BackupError(f"Không có tệp kiểm tra {checksum.name}: không khôi phục.")
    expected = checksum.read_text(encoding="ascii").split()[0]
    if sha256_of(path) != expected:
        raise BackupError(f"Tệp {path.name} không khớp mã kiểm tra SHA-256: tệp đã bị hỏng.")


def is_postgresql(settings_dict: dict) -> bool:
    return "postgresql" in settings_dict["ENGINE"]


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"Không tìm thấy chương trình {command[0]} (cài gói postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} lỗi: {result.stderr.strip()}")


def backup(directory: Path, stamp: str) -> Path:
    """Back up the default database into ``directory``; returns the backup file."""
    directory.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    if is_postgresql(settings_dict):
        target = directory / f"quyhoach-{stamp}.dump"
        args, env = _pg_args(settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
    else:
        target = directory / f"quyhoach-{stamp}.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    write_checksum(target)
    return target


def restore(path: Path, settings_dict: dict) -> None:
    """Restore ``path`` into the (empty) database described by ``settings_dict``."""
    verify_checksum(path)
    if is_postgresql(settings_dict):
        if _pg_table_count(settings_dict):
            raise BackupError("Cơ sở dữ liệu đích không rỗng: chỉ khôi phục vào cơ sở dữ liệu mới.")
        args, env = _pg_args(settings_dict)
        _run(["pg_restore", "--no-owner", "--exit-on-error", *args, str(path)], env)
        return
    target = Path(settings_dict["NAME"])
    destination = sqlite3.connect(target)
    try:
        tables = destination.execute("SELECT count(*) FROM sqlite_master WHERE type='table'")
        if tables.fetchone()[0]:
            raise BackupError("Cơ sở dữ liệu đích không rỗng: chỉ khôi phục vào tệp mới.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(destination)
        finally:
            source.close()
    finally:
        destination.close()


def _pg_table_count(settings_dict: dict) -> int:
    import psycopg

    with psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
    ) as conn:
        row = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        return row[0]

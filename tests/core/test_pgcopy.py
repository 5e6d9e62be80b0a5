from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from psycopg.adapt import PyFormat, Transformer

from core.pgcopy import _as_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


def test_dates_and_times_are_written_as_the_text_psycopg_writes_for_them():
    connection.ensure_connection()
    dumpers = Transformer(connection.connection)
    values = [
        datetime(2026, 12, 4, 21, 3, 52, 123456, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, 7, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        datetime(2026, 1, 1, 5, 6, 7),
        datetime(1, 1, 1, tzinfo=UTC),
        date(1965, 10, 15),
        date(1, 1, 1),
    ]
    texts: dict = {}
    for value in values * 2:  # the second time from what was kept
        psycopgs = bytes(dumpers.get_dumper(value, PyFormat.TEXT).dump(value)).decode()
        assert _as_text(value, texts) == psycopgs
    assert len(texts) == len(values)

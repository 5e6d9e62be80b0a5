"""Indexes that keep the cadre changelist fast at a million rows, on both databases."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def test_an_index_matches_the_default_ordering_of_cadres():
    from cadres.models import Cadre

    index = constraints("cadres_cadre")["cadres_cadre_name_order"]
    assert index["index"] is True
    assert index["columns"] == list(Cadre._meta.ordering)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner check on PostgreSQL")
def test_postgresql_reads_the_first_page_in_index_order_without_sorting():
    from cadres.models import Cadre

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Cadre.objects.order_by("full_name", "id").values("pk")[:50].explain()
    assert "cadres_cadre_name_order" in plan
    assert "Sort" not in plan

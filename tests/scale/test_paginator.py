"""The cadre changelist's paginator: exact counts when small, PostgreSQL's estimate when large."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.admin import CadreAdmin
from cadres.models import Cadre
from core.paginator import LargeTablePaginator
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="estimates come from PostgreSQL's statistics"
)


class SmallLimitPaginator(LargeTablePaginator):
    exact_limit = 10
    deep_offset = 2


@pytest.fixture
def thirty_cadres():
    unit = UnitFactory()
    return CadreFactory.create_batch(30, unit=unit)


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cadres_cadre")


def reltuples() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cadres_cadre'")
        return cursor.fetchone()[0]


def test_the_cadre_admin_uses_the_large_table_paginator():
    assert admin.site._registry[Cadre].paginator is LargeTablePaginator
    assert isinstance(CadreAdmin.paginator(Cadre.objects.all(), 50), LargeTablePaginator)


def test_a_result_below_the_limit_is_counted_exactly(thirty_cadres):
    paginator = LargeTablePaginator(Cadre.objects.all(), 50)
    assert paginator.count == 30
    assert paginator.is_estimate is False


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no estimate")
def test_on_sqlite_a_result_above_the_limit_is_still_counted_exactly(thirty_cadres):
    paginator = SmallLimitPaginator(Cadre.objects.all(), 5)
    assert paginator.count == 30
    assert paginator.is_estimate is False


@on_postgresql
def test_on_postgresql_a_result_below_the_limit_is_counted_with_a_bounded_count(thirty_cadres):
    paginator = SmallLimitPaginator(
        Cadre.objects.filter(pk__in=[c.pk for c in thirty_cadres[:4]]), 5
    )
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert paginator.is_estimate is False
    assert len(queries) == 1
    assert "LIMIT 11" in queries[0]["sql"]


@on_postgresql
def test_on_postgresql_a_whole_large_table_is_estimated_from_its_statistics(thirty_cadres):
    analyze()
    paginator = SmallLimitPaginator(Cadre.objects.all(), 5)
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    assert paginator.is_estimate is True
    assert count == max(reltuples(), 11)
    sql = [q["sql"] for q in queries]
    assert "LIMIT 11" in sql[0]  # the bounded count stops after exact_limit + 1 rows
    assert "reltuples" in sql[1]
    assert not any("COUNT(*)" in s and "LIMIT" not in s for s in sql)


@on_postgresql
def test_on_postgresql_a_large_filtered_result_is_estimated_by_the_planner(thirty_cadres):
    analyze()
    queryset = Cadre.objects.filter(full_name__startswith="Hoàng")
    paginator = SmallLimitPaginator(queryset, 5)
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    assert paginator.is_estimate is True
    assert count >= 11
    assert queries[-1]["sql"].startswith("EXPLAIN")


@on_postgresql
def test_a_page_past_an_underestimated_end_still_shows_its_rows(thirty_cadres, monkeypatch):
    monkeypatch.setattr(SmallLimitPaginator, "estimate", lambda self: 12)
    paginator = SmallLimitPaginator(Cadre.objects.order_by("full_name", "id"), 5)
    assert paginator.num_pages == 3
    page = paginator.page(6)
    expected = list(Cadre.objects.order_by("full_name", "id")[25:30])
    assert list(page.object_list) == expected


def test_deep_pages_show_the_same_rows_as_a_plain_slice(thirty_cadres):
    ordered = Cadre.objects.order_by("full_name", "id")
    paginator = SmallLimitPaginator(ordered, 4)
    for number in (1, 2, 5, 8):
        page = paginator.page(number)
        assert list(page.object_list) == list(ordered[(number - 1) * 4 : number * 4])


def test_changelist_page_links_lead_to_the_right_rows(admin_client, thirty_cadres, monkeypatch):
    monkeypatch.setattr(admin.site._registry[Cadre], "list_per_page", 4)
    monkeypatch.setattr(LargeTablePaginator, "exact_limit", 10)
    monkeypatch.setattr(LargeTablePaginator, "deep_offset", 4)
    if connection.vendor == "postgresql":
        analyze()
    ordered = list(Cadre.objects.order_by("full_name", "id"))
    first = admin_client.get(CHANGELIST)
    assert first.status_code == 200
    assert 'href="?p=2"' in first.content.decode()
    for number in (2, 5, 8):
        response = admin_client.get(CHANGELIST, {"p": number})
        assert response.status_code == 200
        shown = list(response.context["cl"].result_list)
        assert shown == ordered[(number - 1) * 4 : number * 4]

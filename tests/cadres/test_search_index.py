import pytest
from django.db import connection

from cadres.models import Cadre
from tests.factories import CadreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="trigram indexes: PostgreSQL only"
    ),
]


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        # A handful of test rows would always be scanned; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Nor may it walk the (full_name, id) index in the list's order, filtering every row.
        cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("term", "index"),
    [("nong thanh hai", "cadres_cadre_search_name_trgm"), ("0850012", "cadres_cadre_cccd_trgm")],
)
def test_name_and_cccd_searches_are_answered_by_a_trigram_index(term, index):
    CadreFactory(full_name="Nông Thanh Hải", cccd="020085001234")
    assert index in plan_of(Cadre.objects.search(term))


def test_search_results_are_in_name_order_without_walking_the_name_index(admin_client):
    """Walking the (full_name, id) index filtering each row is the slow plan for a surname at
    1M cadres (bench/RESULTS.md): the search page orders by an expression it cannot serve."""
    for name in ["Nông Văn Tư", "Nông Thị Ba", "Hoàng Văn Nông"]:
        CadreFactory(full_name=name)

    response = admin_client.get("/admin/cadres/cadre/", {"q": "nong"})

    queryset = response.context["cl"].queryset
    assert [c.full_name for c in response.context["cl"].result_list] == [
        "Hoàng Văn Nông",
        "Nông Thị Ba",
        "Nông Văn Tư",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: forbid the scan
        assert "cadres_cadre_name_order" not in queryset.explain()

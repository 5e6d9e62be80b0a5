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

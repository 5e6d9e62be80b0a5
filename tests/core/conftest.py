"""A report for the tests of the report framework: the cadres the filters and the user's
units keep (``counted``, registered for the test only)."""

import pytest
from django.db.models import QuerySet

from cadres.models import Cadre
from cadres.reports import CadreReport
from core import reports


class CadresCounted(CadreReport):
    """The register's cadres the filters and the user's units keep."""

    name = "thu-dem-can-bo"
    title = "Số cán bộ"
    columns = [reports.Column("cadres", "Số cán bộ", total=True)]

    def queryset(self) -> QuerySet:
        return Cadre.objects.all()

    def rows(self, filterset, on):
        return [{"cadres": filterset.qs.count()}]


@pytest.fixture
def counted():
    reports.register(CadresCounted)
    yield reports.get(CadresCounted.name)
    reports._registry.pop(CadresCounted.name)

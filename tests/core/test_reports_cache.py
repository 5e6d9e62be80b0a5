"""A report's figures are computed once per filters, day and user scope, until a committed
write to what it counts (``Report.depends_on``)."""

from datetime import date

import pytest

from core import reports
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

ON = date(2025, 6, 30)


def figure(report, user=None, **filters) -> int:
    return report.run({"date_to": ON.isoformat(), **filters}, ON, user=user).table()[0][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_report_opened_again_is_read_from_the_cache_until_a_committed_write(
    counted, django_assert_num_queries
):
    CadreFactory()
    assert figure(counted) == 1
    with django_assert_num_queries(1):  # the versions of what it counts
        assert figure(counted) == 1
    CadreFactory()  # saved and committed
    assert figure(counted) == 2


def test_each_choice_of_filters_and_each_users_units_have_their_own_figures(
    counted, people, commune_a, officer_a, officer_b
):
    assert figure(counted) == 3
    assert figure(counted, unit=commune_a.pk) == 1
    assert figure(counted, user=officer_a) == 2  # their commune and the one merged into it
    assert figure(counted, user=officer_b) == 1
    assert figure(counted) == 3


def test_a_report_that_names_nothing_it_counts_is_computed_every_time(counted, monkeypatch):
    monkeypatch.setattr(type(counted), "depends_on", ())
    assert figure(counted) == 0
    CadreFactory()  # not committed: only a report computed again sees it
    assert figure(counted) == 1


def test_every_registered_report_names_the_apps_it_counts():
    for report in reports.all_reports():
        app = report.queryset().model._meta.app_label
        assert app in report.depends_on, report.name

"""The training reports: each figure links to an admin list with exactly the records it counts,
the incumbent / reserve filter reads the planning pool at the decision date, the needs report,
and every report page answers in a bounded number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from cadres.choices import Level, UnitKind
from core import reports
from planning.choices import DecisionStatus, EntryRole
from tests.factories import CadreFactory, UnitFactory
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory
from tests.training.district_year import END, START, build
from tests.training.factories import (
    DispatchFactory,
    NeedFactory,
    PlanFactory,
    PlanLineFactory,
    programme,
)
from training.choices import NeedStatus

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": START.isoformat(), "date_to": END.isoformat()}
TRAINING_REPORTS = ["cu-di-dao-tao", "lop-boi-duong", "kinh-phi-dao-tao", "nhu-cau-dao-tao"]


def listed_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].queryset.count()


@pytest.fixture
def district():
    return build()


@pytest.mark.parametrize("level", ["", Level.DISTRICT, Level.COMMUNE])
def test_every_dispatch_figure_links_to_a_list_of_as_many_dispatches(admin_client, district, level):
    result = reports.get("cu-di-dao-tao").run(PERIOD | {"level": level}, today=END)
    for row in result.rows:
        for column in ("district", "commune", "total"):
            cell = row[column]
            if not cell.url:  # a column the chosen level excludes
                assert cell.value == 0
                continue
            assert listed_count(admin_client, cell.url) == cell.value, (row["key"], column)


def test_every_class_and_payment_figure_links_to_a_list_of_as_many_records(admin_client, district):
    classes = reports.get("lop-boi-duong").run(PERIOD, today=END)
    for row in classes.rows:
        cell = row["attendances"]
        assert listed_count(admin_client, cell.url) == cell.value, row["topic"]
    money = reports.get("kinh-phi-dao-tao").run(PERIOD | {"level": "district"}, today=END)
    assert money.rows
    for row in money.rows:
        cell = row["payments"]
        assert listed_count(admin_client, cell.url) == cell.value, row["year"]


@pytest.mark.parametrize("name", TRAINING_REPORTS)
def test_each_report_page_answers_in_a_bounded_number_of_queries(
    admin_client, district, django_assert_max_num_queries, name
):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("reports:detail", args=[name]), PERIOD)
    assert response.status_code == 200
    assert "/admin/training/" in response.content.decode()


SENT_2022 = {
    "decision_date": date(2022, 8, 15),
    "start_date": date(2022, 9, 1),
    "end_date": date(2023, 5, 1),
}


@pytest.fixture
def pool():
    commune = UnitFactory(name="Xã Quy Hoạch", kind=UnitKind.COMMUNE)
    decision = PlanningDecisionFactory(issued_on=date(2022, 6, 1), status=DecisionStatus.CONFIRMED)
    reserve = PlanningEntryFactory(unit=commune, added_by=decision, role=EntryRole.RESERVE).cadre
    incumbent = PlanningEntryFactory(
        unit=commune, added_by=decision, role=EntryRole.INCUMBENT
    ).cadre
    outsider = CadreFactory(unit=commune)
    return {
        # Sent before the reserve entered the pool, and after.
        "reserve_before": DispatchFactory(
            cadre=reserve, decision_date=date(2022, 1, 10), start_date=date(2022, 2, 1)
        ),
        "reserve_after": DispatchFactory(
            cadre=reserve,
            programme=programme("DAI_HOC"),
            decision_date=date(2022, 8, 15),
            start_date=date(2022, 9, 1),
            end_date=date(2026, 6, 30),
        ),
        "incumbent": DispatchFactory(cadre=incumbent, **SENT_2022),
        "outsider": DispatchFactory(cadre=outsider, **SENT_2022),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (EntryRole.RESERVE, {"university": 1}),
        (EntryRole.INCUMBENT, {"intermediate_theory_province": 1}),
    ],
)
def test_incumbent_or_reserve_is_read_from_the_planning_pool_at_the_decision_date(
    admin_client, pool, role, expected
):
    period = {"date_from": "2022-01-01", "date_to": "2022-12-31", "pool": role}
    result = reports.get("cu-di-dao-tao").run(period, today=date(2023, 1, 1))
    counted = {row["key"]: row["commune"].value for row in result.rows if row["commune"].value}
    assert counted == expected
    for row in result.rows:
        assert listed_count(admin_client, row["commune"].url) == row["commune"].value


def test_without_the_pool_filter_every_dispatch_counts(pool):
    period = {"date_from": "2022-01-01", "date_to": "2022-12-31"}
    result = reports.get("cu-di-dao-tao").run(period, today=date(2023, 1, 1))
    assert result.totals["commune"] == 4


def test_the_needs_report_sets_quotas_against_needs_and_shows_passive_needs(admin_client):
    commune = UnitFactory(name="Xã Nhu Cầu", kind=UnitKind.COMMUNE)
    plan = PlanFactory(year=2025, unit=commune)
    PlanLineFactory(plan=plan, quota=3)
    for _ in range(2):
        NeedFactory(cadre=CadreFactory(unit=commune))
    NeedFactory(cadre=CadreFactory(unit=commune), status=NeedStatus.CLOSED)
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    result = reports.get("nhu-cau-dao-tao").run(period, today=date(2025, 12, 31))
    (row,) = result.rows
    values = {key: reports.value_of(value) for key, value in row.items()}
    assert values["needs"] == 2
    assert values["quota"] == 3
    assert values["filled"] == 0
    assert values["unfilled"] == 3
    assert values["passive"] == 2
    assert listed_count(admin_client, row["needs"].url) == 2
    assert listed_count(admin_client, row["passive"].url) == 2
    assert listed_count(admin_client, row["unfilled"].url) == 1  # one plan line


def test_the_dashboard_shows_dispatches_money_and_unfilled_quotas(admin_client, dashboard_html):
    from django.utils import timezone

    from tests.training.factories import PaymentFactory

    this_year = timezone.localdate().year
    commune = UnitFactory(name="Xã Bảng Tin", kind=UnitKind.COMMUNE)
    sent = DispatchFactory(
        cadre=CadreFactory(unit=commune),
        decision_date=date(this_year, 1, 2),
        start_date=date(this_year, 1, 3),
        end_date=date(this_year, 12, 31),
    )
    PaymentFactory(dispatch=sent, amount=2_500_000, paid_on=date(this_year, 1, 3))
    PlanLineFactory(plan=PlanFactory(year=this_year, unit=commune), quota=4)
    html = dashboard_html(admin_client)
    assert "Cử đi đào tạo theo năm" in html
    assert f"{this_year} – cấp xã" in html
    assert "2.500.000 đ" in html
    assert "Chỉ tiêu trên giao chưa xếp đủ người" in html and "0/4" in html
    assert "/admin/training/dispatch/?start_date__gte=" in html


@pytest.mark.parametrize(
    ("filters", "quota", "lines"),
    [({}, 10, 3), ({"unit": "a"}, 3, 1), ({"level": Level.COMMUNE}, 8, 2)],
)
def test_the_quota_columns_follow_the_unit_and_level_filters(admin_client, filters, quota, lines):
    district = UnitFactory(name="Huyện Chỉ Tiêu", kind=UnitKind.DISTRICT)
    a = UnitFactory(name="Xã Chỉ Tiêu A", kind=UnitKind.COMMUNE, parent=district)
    b = UnitFactory(name="Xã Chỉ Tiêu B", kind=UnitKind.COMMUNE, parent=district)
    line = PlanLineFactory(plan=PlanFactory(year=2025, unit=a), quota=3)
    PlanLineFactory(plan=PlanFactory(year=2025, unit=b), quota=5, programme=line.programme)
    PlanLineFactory(plan=PlanFactory(year=2025, unit=district), quota=2, programme=line.programme)
    NeedFactory(cadre=CadreFactory(unit=a), programme=line.programme)
    if "unit" in filters:
        filters = {"unit": a.pk}
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    result = reports.get("nhu-cau-dao-tao").run(period | filters, today=date(2025, 12, 31))
    (row,) = result.rows
    assert (row["quota"].value, row["unfilled"].value) == (quota, quota)
    assert listed_count(admin_client, row["quota"].url) == lines
    assert listed_count(admin_client, row["unfilled"].url) == lines

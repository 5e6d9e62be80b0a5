"""The key test of issue 6: the reports reproduce the domain brief's district year exactly.
Every figure is read from the reports' rows, never from the fixture's counts."""

from datetime import date

import pytest

from core import reports
from tests.training.district_year import END, START, build

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": START.isoformat(), "date_to": END.isoformat()}


@pytest.fixture
def district():
    return build()


def run(name: str, **filters):
    return reports.get(name).run(PERIOD | filters, today=date(2024, 12, 31))


def figures(result, key: str = "key") -> dict:
    return {row[key]: {k: reports.value_of(v) for k, v in row.items()} for row in result.rows}


def test_the_dispatch_report_gives_the_brief_s_district_and_commune_figures(district):
    result = run("cu-di-dao-tao")
    lines = figures(result)
    district_column = {key: line["district"] for key, line in lines.items()}
    commune_column = {key: line["commune"] for key, line in lines.items()}

    assert result.totals["district"] == 262
    assert district_column["postgraduate"] == 2
    assert district_column["senior_theory"] == 10
    assert district_column["university"] == 160
    assert district_column["college"] == 74
    assert district_column["other"] == 16
    assert commune_column["intermediate_professional"] == 31
    assert commune_column["military"] == 68
    assert commune_column["intermediate_theory"] == 148
    assert result.totals["commune"] == 31 + 68 + 148


def test_the_other_line_counts_its_own_dispatches_and_is_never_a_balancing_figure(district):
    # Named lines plus "other" add up to the total only because "other" counts real dispatches:
    # narrowed to university, the other line of the district is zero, not the remainder.
    lines = figures(run("cu-di-dao-tao", level="district"))
    assert lines["other"]["district"] == 16
    assert lines["other"]["commune"] == 0
    assert sum(line["district"] for line in lines.values()) == 262


def test_the_centre_ran_57_classes_with_4286_attendances(district):
    result = run("lop-boi-duong")
    assert result.totals["classes"] == 57
    assert result.totals["attendances"] == 4286
    people = reports.get("lop-boi-duong").people(result.filterset, END)
    # The same 76 trainees fill the classes in turn (75 or 76 a class): people, not attendances.
    assert people == 76
    assert all(reports.value_of(row["people"]) <= 76 for row in result.rows)


def test_the_money_paid_over_the_three_years_is_above_800_million(district):
    result = run("kinh-phi-dao-tao")
    assert result.totals["amount"] > 800_000_000
    assert sorted(row["year"] for row in result.rows) == ["2021", "2022", "2023"]


def test_the_three_shares_of_report_4_are_the_brief_s(district):
    shares = figures(run("ty-le-trinh-do"))
    assert shares["district_civil_servants_professional"]["share"] > 80
    assert shares["commune_key_cadres_political_theory"]["share"] == 65.0
    assert shares["commune_civil_servants_professional"]["share"] == 55.0

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
    assert commune_column["military_school"] == 68
    assert commune_column["military_college"] == 5
    assert commune_column["police"] == 4
    assert commune_column["intermediate_theory_district"] == 100
    assert commune_column["intermediate_theory_province"] == 48
    assert result.totals["commune"] == 31 + 68 + 5 + 4 + 148


def test_incumbents_and_reserves_are_counted_as_recorded_at_dispatch(district):
    result = run("cu-di-dao-tao", level="district")
    lines = figures(result)
    assert (lines["university"]["incumbent"], lines["university"]["reserve"]) == (54, 106)
    assert lines["postgraduate"]["incumbent"] + lines["postgraduate"]["reserve"] == 2
    assert result.totals["incumbent"] + result.totals["reserve"] == 262
    # One dispatch a person here: the distinct people equal the dispatches of each line.
    assert lines["university"]["people"] == 160


def test_central_and_provincial_schools_are_reported_apart(district):
    central = figures(run("cu-di-dao-tao", school="central"))
    provincial = figures(run("cu-di-dao-tao", school="provincial"))
    assert central["postgraduate"]["district"] + central["senior_theory"]["district"] == 12
    assert provincial["intermediate_theory_province"]["commune"] == 48
    assert provincial["intermediate_theory_district"]["commune"] == 0
    assert provincial["military_school"]["commune"] == 68


def test_a_past_period_counts_people_by_the_unit_they_had_when_sent(district):
    # Every university graduate later moved to a commune: 2021-2023 still counts them at the
    # district, where they were when sent.
    from cadres.models import Cadre
    from training.models import Dispatch

    moved = Dispatch.objects.filter(programme__code="DAI_HOC").values("cadre")
    Cadre.objects.filter(pk__in=moved).update(unit=district["commune"])
    lines = figures(run("cu-di-dao-tao"))
    assert (lines["university"]["district"], lines["university"]["commune"]) == (160, 0)


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

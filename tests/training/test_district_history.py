"""Done means of the import and training issues: a district's 2009-2012 lists, in the layouts a
district keeps (tests/data/district_2009_2012, written by make_corpus.py there), load on a fresh
database with the one command sequence the README gives, and the reports the admin shows then
give the domain brief's figures. Every figure is read from a report's rows."""

import shlex
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from core import reports
from tests.data.district_2009_2012.make_corpus import DISTINCT_ATTENDEES

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
PERIOD = {"date_from": "2009-01-01", "date_to": "2012-12-31"}


def readme_sequence() -> list[list[str]]:
    """The commands of the README's block that loads the district's 2009-2012 history."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- district-2009-2012 -->", 1)[1].split("```sh", 1)[1]
    block = block.split("```", 1)[0]
    return [shlex.split(line)[2:] for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            for args in readme_sequence():
                name, *rest = args
                call_command(name, *[str(ROOT / a) if a.startswith("tests/") else a for a in rest])
            yield
            transaction.set_rollback(True)


def run(name: str, **filters):
    return reports.get(name).run(PERIOD | filters, today=date(2013, 1, 15))


def figures(result) -> dict:
    return {row["key"]: {k: reports.value_of(v) for k, v in row.items()} for row in result.rows}


def test_the_sequence_is_the_readme_s_and_imports_with_create_missing():
    commands = readme_sequence()
    assert [args[0] for args in commands][:1] == ["load_units"]
    imports = [args for args in commands if args[0].startswith("import_")]
    assert len(imports) == 10
    assert all("--create-missing" in args for args in imports)


def test_262_district_cadres_sent_to_study_by_level_incumbents_and_reserves(loaded):
    result = run("cu-di-dao-tao")
    lines = figures(result)
    district = {key: line["district"] for key, line in lines.items()}
    assert result.totals["district"] == 262
    assert (district["postgraduate"], district["senior_theory"]) == (2, 10)
    assert (district["university"], district["college"]) == (160, 74)
    assert district["other"] == 16
    by_level = figures(run("cu-di-dao-tao", level="district"))
    incumbents = sum(line["incumbent"] for line in by_level.values())
    reserves = sum(line["reserve"] for line in by_level.values())
    assert (incumbents + reserves, incumbents > 0, reserves > incumbents) == (262, True, True)
    assert (by_level["university"]["incumbent"], by_level["university"]["reserve"]) == (54, 106)


def test_the_commune_lines_are_kept_apart(loaded):
    commune = {key: line["commune"] for key, line in figures(run("cu-di-dao-tao")).items()}
    assert commune["intermediate_professional"] == 31
    assert commune["military_school"] == 68
    assert commune["military_college"] == 5
    assert commune["police"] == 4
    theory = commune["intermediate_theory_district"] + commune["intermediate_theory_province"]
    assert (commune["intermediate_theory_district"], theory) == (100, 148)


def test_57_classes_4286_attendances_and_the_distinct_people(loaded):
    result = run("lop-boi-duong")
    assert (result.totals["classes"], result.totals["attendances"]) == (57, 4286)
    assert reports.get("lop-boi-duong").people(result.filterset, date(2012, 12, 31)) == (
        DISTINCT_ATTENDEES
    )


def test_over_800_million_paid(loaded):
    result = run("kinh-phi-dao-tao")
    assert result.totals["amount"] > 800_000_000
    assert sorted({row["year"] for row in result.rows}) == ["2009", "2010", "2011", "2012"]


def test_the_three_shares(loaded):
    shares = figures(run("ty-le-trinh-do"))
    assert shares["district_civil_servants_professional"]["share"] > 80
    assert shares["commune_key_cadres_political_theory"]["share"] == 65.0
    assert shares["commune_civil_servants_professional"]["share"] == 55.0

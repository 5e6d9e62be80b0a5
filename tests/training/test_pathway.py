"""The path to the standard (issue 18): courses from the programmes' prerequisites and months,
the last start each course allows, per entry and summed up per unit."""

from datetime import date

import pytest
from django.urls import reverse

from planning.models import PlanningEntry, RuleSet
from planning.readiness import planned_for_paths
from tests.factories import CadreFactory, QualificationFactory, UnitFactory, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PlanningTermFactory,
    PositionStandardFactory,
)
from training import pathway
from training.choices import Enforcement
from training.models import Programme

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 1)


@pytest.fixture
def term():
    """A term whose appointments are in July 2030, planned in 2024."""
    return PlanningTermFactory(
        name="2030-2035", start_date=date(2030, 7, 1), end_date=date(2035, 6, 30)
    )


@pytest.fixture
def secretary():
    """A position that asks for senior political theory (cao cấp LLCT)."""
    return PositionStandardFactory(political_theory_level=level("LLCT_CAO_CAP")).position


def planned(term, position, *levels, unit=None, **cadre):
    unit = unit or UnitFactory()
    cadre = {"general_education": level("PT_12_12"), "birth_date": date(1990, 3, 10)} | cadre
    person = CadreFactory(unit=unit, **cadre)
    for code in levels:
        QualificationFactory(cadre=person, level=level(code))
    return PlanningEntryFactory(
        added_by=PlanningDecisionFactory(term=term, issued_on=date(2024, 6, 1)),
        unit=unit,
        position=position,
        cadre=person,
    )


def path_of(entry, on=ON):
    entry.refresh_from_db()
    entry.cadre.refresh_from_db()
    return pathway.path_for(entry, on, RuleSet.objects.applying_on(on), pathway.Catalogue.load(on))


def test_the_prerequisite_comes_first_and_the_courses_follow_one_another(term, secretary):
    path = path_of(planned(term, secretary))
    assert [c.programme.code for c in path.courses] == ["DAI_HOC", "CAO_CAP_LLCT"]
    university, theory = path.courses
    assert (university.start, university.end) == (ON, date(2029, 1, 1))  # 48 months
    assert (theory.start, theory.end) == (date(2029, 1, 1), date(2030, 5, 1))  # 16 months
    # Backwards from the appointment on 01/07/2030: 16 months, then 48 before that.
    assert theory.last_start == date(2029, 3, 1)
    assert university.last_start == date(2025, 3, 1)
    assert path.reachable and not path.meets_standard
    assert path.summary == "Đạt chuẩn kịp trước 01/07/2030"


def test_a_level_held_shortens_the_path_and_the_standard_held_empties_it(term, secretary):
    graduate = path_of(planned(term, secretary, "CM_DAI_HOC"))
    assert [c.programme.code for c in graduate.courses] == ["CAO_CAP_LLCT"]
    done = path_of(planned(term, secretary, "CM_DAI_HOC", "LLCT_CAO_CAP"))
    assert done.courses == [] and done.meets_standard and done.reachable
    assert done.summary == "Đã đạt chuẩn"


def test_starting_too_late_for_the_appointment_is_not_reachable(term, secretary):
    path = path_of(planned(term, secretary), on=date(2025, 6, 1))
    university, theory = path.courses
    assert university.start == date(2025, 6, 1) > university.last_start == date(2025, 3, 1)
    assert not university.in_time and not path.reachable
    assert path.summary == "Không kịp đạt chuẩn trước 01/07/2030"


def test_the_age_limit_of_a_programme_moves_its_last_start(term, secretary):
    # Born 10/03/1980: 46 on 10/03/2026, past the university's age limit (45).
    path = path_of(planned(term, secretary, birth_date=date(1980, 3, 10)))
    university = path.courses[0]
    assert university.last_start == date(2025, 3, 1)  # the appointment binds first
    late = path_of(planned(term, secretary, birth_date=date(1978, 12, 1)))  # 46 on 01/12/2024
    assert late.courses[0].last_start == date(2024, 11, 30)
    assert late.courses[0].limits == ["không quá 45 tuổi khi cử đi học"]
    assert not late.reachable


def test_retirement_and_the_service_commitment_cut_the_last_start(term):
    position = PositionStandardFactory(political_theory_level=level("LLCT_TRUNG_CAP")).position
    Programme.objects.filter(code="TRUNG_CAP_LLCT").update(age_enforcement=Enforcement.WARN)
    entry = planned(term, position, birth_date=date(1964, 6, 15))  # retires in 2025
    path = path_of(entry)
    course = path.courses[0]
    assert course.programme.code == "TRUNG_CAP_LLCT"
    assert course.months_to_serve == 16  # 8 months of study, twice over (Nghị định 89/2021)
    retires = entry.cadre.retirement_date
    assert course.last_start == pathway.commitment.add_months(retires, -24)
    assert course.limits == ["học xong và phục vụ 16 tháng trước khi nghỉ hưu"]
    assert course.start > course.last_start and not path.reachable

    # Where the rule does not refuse such a dispatch, retirement does not cut the path.
    Programme.objects.filter(code="TRUNG_CAP_LLCT").update(retirement_enforcement=Enforcement.WARN)
    assert path_of(entry).reachable


def test_a_level_no_programme_grants_blocks_the_path(term):
    position = PositionStandardFactory(political_theory_level=level("LLCT_TRUNG_CAP")).position
    Programme.objects.filter(code="TRUNG_CAP_LLCT").update(
        general_education_enforcement=Enforcement.REFUSE
    )
    path = path_of(planned(term, position, general_education=None))
    assert path.courses[0].programme.code == "TRUNG_CAP_LLCT"
    assert path.blockers == ["Không có chương trình đào tạo cấp trình độ 12/12."]
    assert not path.reachable


def test_once_the_term_has_begun_its_end_is_the_deadline(term):
    assert pathway.appointment_date(term, date(2029, 1, 1)) == date(2030, 7, 1)
    assert pathway.appointment_date(term, date(2031, 1, 1)) == date(2035, 6, 30)


def test_the_entry_page_shows_the_path(admin_client, term, secretary):
    entry = planned(term, secretary)
    response = admin_client.get(reverse("admin:planning_planningentry_change", args=[entry.pk]))
    page = response.content.decode()
    assert "Lộ trình đạt chuẩn" in page
    assert page.index("Đại học") < page.index("Cao cấp lý luận chính trị")


def test_the_report_counts_reachable_and_not_reachable_per_unit(admin_client, term, secretary):
    a, b = UnitFactory(name="Xã A"), UnitFactory(name="Xã B")
    planned(term, secretary, "CM_DAI_HOC", "LLCT_CAO_CAP", unit=a)  # met
    planned(term, secretary, unit=a)  # reachable from 01/01/2025
    planned(term, secretary, unit=b, birth_date=date(1978, 12, 1))  # too old for university
    response = admin_client.get(
        reverse("reports:detail", args=["lo-trinh-dat-chuan"]), {"date_to": ON.isoformat()}
    )
    rows = {row["unit"]: row for row in response.context["result"].rows}
    assert (rows["Xã A"]["met"], rows["Xã A"]["reachable"], rows["Xã A"]["unreachable"]) == (
        1,
        1,
        0,
    )
    assert (rows["Xã B"]["met"], rows["Xã B"]["reachable"], rows["Xã B"]["unreachable"]) == (
        0,
        0,
        1,
    )
    assert rows["Xã A"]["planned"].value == 2


def test_the_report_loads_the_paths_of_its_entries_in_a_fixed_number_of_queries(
    term, secretary, django_assert_num_queries
):
    unit = UnitFactory(name="Xã A")
    planned(term, secretary, "CM_DAI_HOC", "LLCT_CAO_CAP", unit=unit)  # met
    planned(term, secretary, unit=unit)  # reachable
    planned(term, secretary, unit=UnitFactory(), birth_date=date(1978, 12, 1))  # too old
    # Party years and the dates a path reads: a member since 2023 (ten years asked), and a
    # cadre retiring before the term.
    veteran = PositionStandardFactory(
        political_theory_level=level("LLCT_TRUNG_CAP"), min_party_years=10
    ).position
    planned(term, veteran, "LLCT_TRUNG_CAP", unit=unit, party_join_date=date(2023, 5, 19))
    planned(term, veteran, unit=unit, birth_date=date(1968, 2, 1), party_join_date=date(1995, 1, 1))
    rule_set, catalogue = RuleSet.objects.applying_on(ON), pathway.Catalogue.load(ON)

    def paths(entries):
        return {e.pk: pathway.path_for(e, ON, rule_set, catalogue) for e in entries}

    expected = paths(PlanningEntry.objects.with_levels())
    assert any(path.blockers for path in expected.values())
    # The levels, the entries with their cadres, their terms, units and positions.
    with django_assert_num_queries(5):
        found = paths(planned_for_paths(PlanningEntry.objects.all()))
    assert found == expected
    assert {(p.meets_standard, p.reachable) for p in found.values()} == {
        (True, True),
        (False, True),
        (False, False),
    }

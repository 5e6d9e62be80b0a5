from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from cadres.choices import DisciplineForm, EvaluationResult, Gender, Level
from cadres.models import Discipline, Evaluation
from planning import rules
from planning.choices import DecisionKind, EntryRole, RemovalReason
from planning.models import PlanningEntry, RuleSet
from tests.factories import AppointmentFactory, CadreFactory, PositionFactory, UnitFactory, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PlanningTermFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db


def new_entry(**kwargs) -> PlanningEntry:
    """An unsaved entry over saved related rows, as the admin form would build it."""
    if "added_by" not in kwargs:
        kwargs["added_by"] = PlanningDecisionFactory()
    if "term" not in kwargs:
        kwargs["term"] = kwargs["added_by"].term
    if "unit" not in kwargs:
        kwargs["unit"] = UnitFactory()
    if "position" not in kwargs:
        kwargs["position"] = PositionFactory()
    if "cadre" not in kwargs:
        kwargs["cadre"] = CadreFactory(unit=kwargs["unit"])
    return PlanningEntry(**kwargs)


def errors_of(entry: PlanningEntry) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        entry.full_clean()
    return raised.value.message_dict


# --- Rule sets --------------------------------------------------------------------------------


def test_the_two_central_regulations_are_seeded_and_each_applies_on_its_own_dates():
    assert RuleSet.objects.in_force(date(2025, 10, 7)).name == "Quy định 50-QĐ/TW (2021)"
    assert RuleSet.objects.in_force(date(2025, 10, 8)).name == "Quy định 377-QĐ/TW (2025)"
    assert RuleSet.objects.in_force(date(2021, 12, 26)) is None


def test_the_rule_set_in_force_on_a_decisions_date_applies_to_it():
    RuleSet.objects.filter(name__startswith="Quy định 377").update(candidates_per_position=1)
    decision_2024 = PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    decision_2026 = PlanningDecisionFactory(issued_on=date(2026, 6, 1), term=decision_2024.term)
    assert decision_2024.rule_set().candidates_per_position == 3
    assert decision_2026.rule_set().candidates_per_position == 1


def test_decisions_before_any_recorded_rule_set_use_the_defaults():
    decision = PlanningDecisionFactory(issued_on=date(2020, 3, 1))
    rule_set = decision.rule_set()
    assert rule_set.pk is None
    assert (rule_set.candidates_per_position, rule_set.full_term_months) == (3, 60)


@pytest.mark.parametrize(
    ("level", "age"),
    [(Level.COMMUNE, 35), (Level.DISTRICT, 40), (Level.PROVINCE, 40), ("central", 45)],
)
def test_young_age_depends_on_the_level(level, age):
    assert RuleSet.objects.in_force(date(2024, 1, 1)).young_age(level) == age


# --- Full term before retirement ------------------------------------------------------------


def test_a_man_born_in_june_1968_retires_at_the_end_of_june_2030():
    # 62 years from 2028 on (Nghị định 135/2020): June 1968 + 62 years = June 2030.
    assert CadreFactory(gender=Gender.MALE, birth_date=date(1968, 6, 15)).retirement_date == date(
        2030, 6, 30
    )


@pytest.mark.parametrize(
    ("term_start", "allowed"),
    [
        (date(2025, 6, 30), True),
        (date(2025, 7, 1), True),  # the last day: 60 months end exactly on 30/06/2030
        (date(2025, 7, 2), False),  # one day later: one day short of 60 months
    ],
)
def test_a_first_time_entry_must_serve_a_full_term_before_retirement(term_start, allowed):
    term = PlanningTermFactory(start_date=term_start, end_date=term_start + timedelta(days=1826))
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1968, 6, 15))
    entry = new_entry(added_by=PlanningDecisionFactory(term=term), cadre=cadre)
    if allowed:
        entry.full_clean()
    else:
        assert "60 tháng" in errors_of(entry)["first_time"][0]


def test_a_woman_born_on_29_february_is_checked_against_her_statutory_retirement_date():
    # Women reaching retirement in 2030: 58 years 4 months; February 1972 + 58y4m = June 2030.
    cadre = CadreFactory(gender=Gender.FEMALE, birth_date=date(1972, 2, 29))
    assert cadre.retirement_date == date(2030, 6, 30)
    on_time = PlanningTermFactory(start_date=date(2025, 7, 1), end_date=date(2030, 6, 30))
    entry = new_entry(added_by=PlanningDecisionFactory(term=on_time), cadre=cadre)
    entry.full_clean()
    late = PlanningTermFactory(
        name="2025-2030 (muộn)", start_date=date(2025, 8, 1), end_date=date(2030, 7, 31)
    )
    entry = new_entry(added_by=PlanningDecisionFactory(term=late), cadre=cadre)
    assert "first_time" in errors_of(entry)


def test_an_entry_that_is_not_the_first_time_need_not_serve_a_full_term():
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1966, 1, 1))
    new_entry(cadre=cadre, first_time=False, role=EntryRole.INCUMBENT).full_clean()


@pytest.mark.parametrize(
    ("decided", "allowed"), [(date(2023, 2, 28), True), (date(2023, 3, 1), False)]
)
def test_the_age_limit_for_first_planning_counts_a_leap_day_birthday_on_1_march(decided, allowed):
    standard = PositionStandardFactory(max_age_first_planned=34)
    cadre = CadreFactory(birth_date=date(1988, 2, 29))
    entry = new_entry(
        position=standard.position, cadre=cadre, added_by=PlanningDecisionFactory(issued_on=decided)
    )
    if allowed:
        entry.full_clean()
    else:
        assert "không quá 34 tuổi" in errors_of(entry)["cadre"][0]


# --- Limits -----------------------------------------------------------------------------------


def test_a_position_takes_up_to_three_candidates_and_rejects_the_fourth():
    first = PlanningEntryFactory()
    same = {"added_by": first.added_by, "unit": first.unit, "position": first.position}
    PlanningEntryFactory(**same)
    third = new_entry(**same)
    third.full_clean()  # the limit is reached exactly
    third.save()
    fourth = new_entry(**same)
    assert "tối đa 3 người" in errors_of(fourth)["position"][0]


def test_a_removed_candidate_frees_the_place():
    first = PlanningEntryFactory()
    same = {"added_by": first.added_by, "unit": first.unit, "position": first.position}
    PlanningEntryFactory(**same)
    third = PlanningEntryFactory(**same)
    removal = PlanningDecisionFactory(term=first.term, kind=DecisionKind.REMOVAL)
    third.remove(removal, RemovalReason.TRANSFER)
    new_entry(**same).full_clean()


def test_the_same_position_in_another_unit_has_its_own_limit():
    first = PlanningEntryFactory()
    for _ in range(2):
        PlanningEntryFactory(added_by=first.added_by, unit=first.unit, position=first.position)
    new_entry(added_by=first.added_by, position=first.position).full_clean()


def test_one_person_is_planned_for_at_most_three_positions_of_one_level():
    cadre = CadreFactory()
    decision = PlanningDecisionFactory()
    for _ in range(3):
        PlanningEntryFactory(cadre=cadre, unit=cadre.unit, added_by=decision)
    fourth = new_entry(cadre=cadre, unit=cadre.unit, added_by=decision)
    assert "tối đa 3" in errors_of(fourth)["cadre"][0]
    district_position = PositionFactory(level=Level.DISTRICT)
    new_entry(
        cadre=cadre, unit=cadre.unit, added_by=decision, position=district_position
    ).full_clean()


# --- Higher position ------------------------------------------------------------------------


def test_a_reserve_is_planned_only_for_a_higher_position_than_the_one_held():
    cadre = CadreFactory()
    held = PositionFactory(rank=70)
    AppointmentFactory(cadre=cadre, position=held, start_date=date(2021, 1, 1))
    lower = new_entry(cadre=cadre, unit=cadre.unit, position=PositionFactory(rank=70))
    assert "cao hơn" in errors_of(lower)["position"][0]
    new_entry(cadre=cadre, unit=cadre.unit, position=PositionFactory(rank=71)).full_clean()


def test_an_incumbent_may_be_planned_again_for_the_position_held():
    cadre = CadreFactory()
    held = PositionFactory(rank=70)
    AppointmentFactory(cadre=cadre, position=held)
    new_entry(cadre=cadre, unit=cadre.unit, position=held, role=EntryRole.INCUMBENT).full_clean()


def test_a_district_position_is_higher_than_any_commune_position():
    cadre = CadreFactory()
    AppointmentFactory(cadre=cadre, position=PositionFactory(rank=100))
    district = PositionFactory(level=Level.DISTRICT, rank=40)
    new_entry(cadre=cadre, unit=cadre.unit, position=district).full_clean()


def test_an_appointment_that_ended_before_the_decision_does_not_count():
    cadre = CadreFactory()
    AppointmentFactory(cadre=cadre, position=PositionFactory(rank=90), end_date=date(2023, 12, 31))
    new_entry(cadre=cadre, unit=cadre.unit, position=PositionFactory(rank=80)).full_clean()


# --- Decisions ------------------------------------------------------------------------------


def test_entries_are_added_only_by_an_approval_or_addition_decision():
    removal = PlanningDecisionFactory(kind=DecisionKind.REMOVAL)
    assert "added_by" in errors_of(new_entry(added_by=removal))


def test_a_decision_of_another_term_cannot_add_an_entry():
    entry = new_entry(term=PlanningTermFactory(name="2020-2025"))
    assert "nhiệm kỳ" in errors_of(entry)["added_by"][0]


def test_a_removal_decision_takes_an_entry_out_of_the_pool_from_its_date():
    entry = PlanningEntryFactory()
    removal = PlanningDecisionFactory(
        term=entry.term, kind=DecisionKind.REMOVAL, issued_on=date(2025, 3, 1)
    )
    entry.remove(removal, RemovalReason.HEALTH, note="Ốm dài ngày")
    active = PlanningEntry.objects.active
    assert entry in active(date(2025, 2, 28))
    assert entry not in active(date(2025, 3, 1))


def test_a_draft_removal_marks_the_entry_but_keeps_it_in_the_pool_until_confirmed():
    entry = PlanningEntryFactory()
    draft = PlanningDecisionFactory(
        term=entry.term, kind=DecisionKind.REMOVAL, status="draft", issued_on=date(2025, 3, 1)
    )
    entry.remove(draft, RemovalReason.AGE)
    assert entry in PlanningEntry.objects.active(date(2025, 6, 1))
    assert entry not in PlanningEntry.objects.current()
    draft.confirm()
    assert entry not in PlanningEntry.objects.active(date(2025, 6, 1))


def test_a_removal_needs_a_removal_decision_a_date_and_a_reason():
    entry = PlanningEntryFactory()
    entry.removal_reason = RemovalReason.OTHER
    assert set(errors_of(entry)) == {"removed_by", "removed_on"}
    entry.removed_by = PlanningDecisionFactory(term=entry.term, kind=DecisionKind.ADDITION)
    entry.removed_on = date(2025, 1, 1)
    assert errors_of(entry)["removed_by"]


def test_an_entry_cannot_be_removed_before_it_was_added():
    entry = PlanningEntryFactory()
    removal = PlanningDecisionFactory(
        term=entry.term, kind=DecisionKind.REMOVAL, issued_on=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as raised:
        entry.remove(removal, RemovalReason.OTHER)
    assert "removed_on" in raised.value.message_dict


# --- Standards in words -----------------------------------------------------------------------


def test_missed_standards_are_written_as_planners_write_them():
    standard = PositionStandardFactory(
        political_theory_level=level("LLCT_CAO_CAP"),
        state_management_level=level("QLNN_CHUYEN_VIEN_CHINH"),
        professional_level=level("CM_DAI_HOC"),
    )
    cadre = CadreFactory()
    from tests.factories import QualificationFactory

    QualificationFactory(cadre=cadre, level=level("CM_DAI_HOC"))
    QualificationFactory(cadre=cadre, level=level("LLCT_TRUNG_CAP"))
    cadre.refresh_from_db()
    rule_set = RuleSet.objects.in_force(date(2024, 1, 1))
    missed = rules.missed_standards(cadre, standard, date(2024, 1, 1), rule_set)
    assert rules.standards_message(missed) == "thiếu: cao cấp LLCT; QLNN chuyên viên chính"
    assert rules.standards_message([]) == "đạt tiêu chuẩn"


def test_party_years_are_missed_until_the_anniversary_of_joining():
    standard = PositionStandardFactory(min_party_years=5)
    cadre = CadreFactory(party_join_date=date(2019, 6, 1))
    rule_set = RuleSet.objects.in_force(date(2024, 1, 1))
    missed = rules.missed_standards(cadre, standard, date(2024, 5, 31), rule_set)
    assert [m.text for m in missed] == ["tuổi Đảng đủ 5 năm"]
    assert rules.missed_standards(cadre, standard, date(2024, 6, 1), rule_set) == []


def test_months_to_retirement_count_whole_months():
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1968, 6, 15))
    assert rules.months_to_retirement(cadre, date(2025, 6, 30)) == 60
    assert rules.months_to_retirement(cadre, date(2025, 7, 1)) == 59


# --- Soft rules and review triggers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("appointed", "warned"),
    [(date(2024, 12, 1), False), (date(2024, 12, 2), True), (date(2025, 5, 31), True)],
)
def test_warns_when_an_appointment_falls_within_the_interval_of_the_planning(appointed, warned):
    appointment = AppointmentFactory(start_date=appointed)
    rule_set = RuleSet.objects.in_force(date(2025, 6, 1))  # 6 months
    warnings = rules.appointment_interval_warnings(date(2025, 6, 1), [appointment], rule_set)
    assert bool(warnings) is warned


def test_discipline_in_force_bars_and_expired_discipline_bars_only_under_the_2021_rules():
    cadre = CadreFactory()
    discipline = Discipline.objects.create(
        cadre=cadre,
        form=DisciplineForm.REPRIMAND,
        decided_on=date(2025, 6, 1),
        effective_until=date(2025, 11, 30),
    )
    rules_2021 = RuleSet.objects.get(name__startswith="Quy định 50")
    rules_2025 = RuleSet.objects.get(name__startswith="Quy định 377")
    assert rules.discipline_errors([discipline], rules_2025, date(2025, 11, 30))
    assert rules.discipline_errors([discipline], rules_2025, date(2025, 12, 1)) == []
    # Without the exception it still bars for 12 months after the decision.
    assert rules.discipline_errors([discipline], rules_2021, date(2026, 5, 31))
    assert rules.discipline_errors([discipline], rules_2021, date(2026, 6, 1)) == []


def test_only_the_last_evaluation_below_completed_counts():
    cadre = CadreFactory()
    failed = Evaluation.objects.create(
        cadre=cadre, year=2023, result=EvaluationResult.NOT_COMPLETED
    )
    assert rules.evaluation_errors([failed])
    good = Evaluation.objects.create(cadre=cadre, year=2024, result=EvaluationResult.COMPLETED)
    assert rules.evaluation_errors([failed, good]) == []


def test_a_unit_without_positions_still_checks_the_cadre_of_the_entry():
    unit = UnitFactory()
    entry = new_entry(unit=unit, cadre=CadreFactory(unit=unit))
    entry.full_clean()

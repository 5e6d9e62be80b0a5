import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

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
    ServingCadreFactory,
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
        kwargs["cadre"] = ServingCadreFactory(unit=kwargs["unit"])
    elif not kwargs["cadre"].appointments.exists():
        serving(kwargs["cadre"])
    return PlanningEntry(**kwargs)


def serving(cadre, rank: int = 1):
    """Record a current post for ``cadre`` (the higher-position rule needs one)."""
    return AppointmentFactory(cadre=cadre, position=PositionFactory(rank=rank))


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
        assert "60 tháng" in errors_of(entry)["cadre"][0]


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
    assert "nghỉ hưu ngày 30/06/2030" in errors_of(entry)["cadre"][0]


def test_someone_planned_in_an_earlier_term_need_not_serve_a_full_term():
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1966, 1, 1))
    earlier = PlanningTermFactory(
        name="2020-2025", start_date=date(2020, 7, 1), end_date=date(2025, 6, 30)
    )
    PlanningEntryFactory(
        cadre=cadre, unit=cadre.unit, added_by=PlanningDecisionFactory(term=earlier)
    )
    entry = new_entry(cadre=cadre, unit=cadre.unit, role=EntryRole.INCUMBENT)
    entry.full_clean()
    assert entry.first_time is False


def test_first_time_is_derived_from_earlier_terms_not_taken_from_the_form():
    # Bypass found on the demo: unticking "lần đầu" let a 55-year-old past the full-term rule.
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1967, 1, 1))
    entry = new_entry(cadre=cadre, first_time=False)
    assert "60 tháng" in errors_of(entry)["cadre"][0]
    assert entry.first_time is True


def test_a_cadre_who_retired_in_2022_cannot_be_planned_by_unticking_first_time():
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1962, 1, 1))
    assert cadre.retirement_date.year == 2022
    entry = new_entry(cadre=cadre, first_time=False)
    assert "nghỉ hưu" in errors_of(entry)["cadre"][0]


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


def test_a_district_specialist_can_be_planned_for_commune_party_secretary():
    # After 1 July 2025 district cadres go to the new communes: rank is one ladder across levels.
    cadre = CadreFactory(party_join_date=date(2010, 5, 19))
    specialist = PositionFactory(title="Chuyên viên", level=Level.DISTRICT, rank=40)
    AppointmentFactory(cadre=cadre, position=specialist)
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", rank=130, is_party_post=True)
    new_entry(cadre=cadre, unit=cadre.unit, position=secretary).full_clean()


def test_a_commune_chair_is_not_planned_for_a_district_specialist_post():
    cadre = CadreFactory()
    AppointmentFactory(cadre=cadre, position=PositionFactory(title="Chủ tịch UBND xã", rank=120))
    district = UnitFactory(name="Huyện Thử", kind="district")
    term = PlanningTermFactory(level=Level.DISTRICT)
    entry = new_entry(
        cadre=cadre,
        unit=district,
        position=PositionFactory(level=Level.DISTRICT, rank=40),
        added_by=PlanningDecisionFactory(term=term),
    )
    assert "cao hơn" in errors_of(entry)["position"][0]


def test_without_a_current_position_on_record_the_rule_asks_for_it_instead_of_passing():
    cadre = CadreFactory()
    AppointmentFactory(cadre=cadre, position=PositionFactory(rank=90), end_date=date(2023, 12, 31))
    entry = new_entry(cadre=cadre, unit=cadre.unit, position=PositionFactory(rank=80))
    assert "Chưa rõ chức vụ hiện tại" in errors_of(entry)["position"][0]


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


# --- Limits counting what is written together -----------------------------------------------


def test_the_limit_counts_the_entries_written_in_the_same_batch():
    first = PlanningEntryFactory()
    same = {"added_by": first.added_by, "unit": first.unit, "position": first.position}
    batch = [new_entry(**same), new_entry(**same)]
    rule_set = first.added_by.rule_set()
    assert rules.limit_errors(batch[0], rule_set, batch=[]) == {}
    assert rules.limit_errors(batch[1], rule_set, batch=batch[:1]) == {}
    third = new_entry(**same)
    assert "tối đa 3 người" in rules.limit_errors(third, rule_set, batch=batch)["position"][0]


def test_a_stored_entry_edited_in_the_batch_is_counted_once():
    first = PlanningEntryFactory()
    same = {"added_by": first.added_by, "unit": first.unit, "position": first.position}
    second = PlanningEntryFactory(**same)
    second.role = EntryRole.INCUMBENT  # edited in the same formset
    third = new_entry(**same)
    assert rules.limit_errors(third, first.added_by.rule_set(), batch=[second]) == {}


# --- Standing on entry ------------------------------------------------------------------------


def test_a_warning_in_force_stops_the_entry():
    cadre = CadreFactory()
    Discipline.objects.create(cadre=cadre, form=DisciplineForm.WARNING, decided_on=date(2024, 3, 1))
    entry = new_entry(cadre=cadre, unit=cadre.unit)
    assert "Đang chịu kỷ luật cảnh cáo" in " ".join(errors_of(entry)["cadre"])


def test_a_year_rated_did_not_complete_duties_stops_the_entry():
    cadre = CadreFactory()
    Evaluation.objects.create(cadre=cadre, year=2022, result=EvaluationResult.NOT_COMPLETED)
    Evaluation.objects.create(cadre=cadre, year=2023, result=EvaluationResult.GOOD)
    entry = new_entry(cadre=cadre, unit=cadre.unit)  # decided 01/06/2024: 2022 and 2023 count
    assert "Năm 2022 xếp loại không hoàn thành nhiệm vụ." in errors_of(entry)["cadre"]


def test_a_failed_year_older_than_the_rule_sets_window_does_not_stop_the_entry():
    cadre = CadreFactory()
    Evaluation.objects.create(cadre=cadre, year=2021, result=EvaluationResult.NOT_COMPLETED)
    new_entry(cadre=cadre, unit=cadre.unit).full_clean()


def test_judgement_calls_are_warnings_not_refusals():
    cadre = CadreFactory()
    Evaluation.objects.create(cadre=cadre, year=2023, result=EvaluationResult.COMPLETED)
    entry = new_entry(cadre=cadre, unit=cadre.unit)
    entry.full_clean()
    warnings = rules.standing_warnings(
        entry, entry.added_by.rule_set(), date(2024, 6, 1), cadre.evaluations.all()
    )
    assert warnings == [
        "Chưa có kết quả đánh giá, xếp loại năm 2022.",
        "Năm 2023 chỉ xếp loại hoàn thành nhiệm vụ.",
        "Chưa có kết luận về tiêu chuẩn chính trị (Quy định 58-QĐ/TW).",
    ]


# --- Consistency ------------------------------------------------------------------------------


def test_a_district_position_is_not_planned_in_a_commune_term_nor_a_district_term_on_a_commune():
    district_position = PositionFactory(level=Level.DISTRICT, rank=200)
    entry = new_entry(position=district_position)
    assert "nhiệm kỳ quy hoạch là cấp xã" in errors_of(entry)["position"][0]
    district_term = PlanningTermFactory(level=Level.DISTRICT)
    entry = new_entry(
        position=district_position, added_by=PlanningDecisionFactory(term=district_term)
    )
    assert "nhiệm kỳ quy hoạch là cấp huyện" in errors_of(entry)["unit"][0]


def test_the_unit_must_exist_on_the_decisions_date():
    closed = UnitFactory(valid_to=date(2023, 12, 31))
    assert "đã thôi tồn tại" in errors_of(new_entry(unit=closed))["unit"][0]
    not_yet = UnitFactory(valid_from=date(2025, 7, 1))
    assert "chưa thành lập" in errors_of(new_entry(unit=not_yet))["unit"][0]


@pytest.mark.parametrize(
    ("issued_on", "allowed"),
    [
        (date(2020, 6, 30), False),  # before the previous term began
        (date(2020, 7, 1), True),  # planning for the next term, made during the previous one
        (date(2030, 6, 30), True),  # the last yearly review
        (date(2030, 7, 1), False),
    ],
)
def test_a_decision_lies_within_its_term_or_the_term_before(issued_on, allowed):
    decision = PlanningDecisionFactory.build(issued_on=issued_on, term=PlanningTermFactory())
    if allowed:
        decision.full_clean()
    else:
        with pytest.raises(ValidationError) as raised:
            decision.full_clean()
        assert "issued_on" in raised.value.message_dict


def test_a_party_post_is_planned_only_for_a_party_member():
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", rank=130, is_party_post=True)
    outsider = CadreFactory(birth_date=date(2000, 1, 1))
    entry = new_entry(cadre=outsider, unit=outsider.unit, position=secretary)
    assert "chưa có ngày vào Đảng" in errors_of(entry)["cadre"][0]
    member = CadreFactory(party_join_date=date(2020, 1, 1))
    new_entry(cadre=member, unit=member.unit, position=secretary).full_clean()


def test_a_party_post_is_held_only_by_a_party_member():
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", rank=130, is_party_post=True)
    appointment = AppointmentFactory.build(cadre=CadreFactory(), position=secretary)
    with pytest.raises(ValidationError) as raised:
        appointment.full_clean()
    assert "chưa có ngày vào Đảng" in raised.value.message_dict["position"][0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_transactions_cannot_both_take_the_last_place():
    """Both writers see two candidates; the position's row lock makes the second one wait for
    the first to commit, then count three. PostgreSQL only: SQLite has one writer at a time."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) need PostgreSQL")
    first = PlanningEntryFactory()
    same = {"added_by": first.added_by, "unit": first.unit, "position": first.position}
    PlanningEntryFactory(**same)
    mine, theirs = new_entry(**same), new_entry(**same)
    checked, go = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def write(name: str, entry: PlanningEntry, after_check) -> None:
        try:
            with transaction.atomic():
                try:
                    entry.full_clean()
                except ValidationError as error:
                    outcome[name] = error.message_dict
                    return
                after_check()
                entry.save()
            outcome[name] = "saved"
        finally:
            connections.close_all()

    def hold() -> None:
        checked.set()
        go.wait(10)

    first_writer = threading.Thread(target=write, args=("mine", mine, hold))
    first_writer.start()
    assert checked.wait(10)
    second_writer = threading.Thread(target=write, args=("theirs", theirs, lambda: None))
    second_writer.start()
    second_writer.join(1)  # without the lock it would count two, pass and save here
    go.set()
    first_writer.join(10)
    second_writer.join(10)
    assert outcome["mine"] == "saved"
    assert "tối đa 3 người" in outcome["theirs"]["position"][0]
    assert PlanningEntry.objects.filter(position=first.position).count() == 3


# --- Ballots gate approval ----------------------------------------------------------------------


def ballot(voting, entry, step, votes_for, held_on, valid=20):
    from planning.models import Ballot

    return Ballot.objects.create(
        round=voting,
        step=step,
        cadre=entry.cadre,
        position=entry.position,
        held_on=held_on,
        summoned=valid,
        present=valid,
        issued=valid,
        returned=valid,
        valid=valid,
        votes_for=votes_for,
        votes_against=valid - votes_for,
    )


@pytest.fixture
def draft_with_round():
    from planning.models import VotingRound

    draft = PlanningDecisionFactory(status="draft")
    entry = PlanningEntryFactory(added_by=draft)
    voting = VotingRound.objects.create(term=draft.term, unit=entry.unit, year=2024)
    return draft, entry, voting


def test_a_decision_is_not_issued_while_a_candidate_fails_a_voting_step(draft_with_round):
    draft, entry, voting = draft_with_round
    ballot(voting, entry, 1, 15, date(2024, 5, 2))
    ballot(voting, entry, 2, 10, date(2024, 5, 9))  # half is not more than half
    with pytest.raises(ValidationError) as raised:
        draft.confirm()
    assert "không đạt bước" in raised.value.messages[0]
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_decision_is_not_issued_when_the_steps_ran_out_of_order(draft_with_round):
    draft, entry, voting = draft_with_round
    ballot(voting, entry, 1, 15, date(2024, 5, 9))
    ballot(voting, entry, 2, 15, date(2024, 5, 2))
    with pytest.raises(ValidationError, match="không diễn ra theo đúng thứ tự"):
        draft.confirm()


def test_a_decision_whose_candidates_passed_every_step_in_order_is_issued(draft_with_round):
    draft, entry, voting = draft_with_round
    ballot(voting, entry, 1, 15, date(2024, 5, 2))
    ballot(voting, entry, 2, 11, date(2024, 5, 9))
    draft.confirm()
    assert not draft.is_draft


# --- Rotation -----------------------------------------------------------------------------------


def test_a_rotation_prepares_the_planned_position_of_the_same_person():
    from tests.planning.factories import RotationFactory

    entry = PlanningEntryFactory()
    rotation = RotationFactory.build(cadre=CadreFactory(), entry=entry)
    rotation.to_unit.save()
    with pytest.raises(ValidationError) as raised:
        rotation.full_clean()
    assert "entry" in raised.value.message_dict


def test_completing_a_rotation_writes_the_post_held_and_the_work_history():
    from tests.planning.factories import RotationFactory

    entry = PlanningEntryFactory()
    vice = PositionFactory(title="Phó Chủ tịch UBND xã", rank=105)
    rotation = RotationFactory(
        cadre=entry.cadre, entry=entry, to_position=vice, actual_start=date(2024, 2, 5)
    )
    appointment, work = rotation.complete(date(2025, 2, 1))
    rotation.refresh_from_db()
    assert rotation.actual_end == date(2025, 2, 1)
    assert (appointment.position, appointment.unit, appointment.start_date) == (
        vice,
        rotation.to_unit,
        date(2024, 2, 5),
    )
    assert appointment.end_date == date(2025, 2, 1)
    assert work.organisation == rotation.to_unit.name and "luân chuyển" in work.position_title
    with pytest.raises(ValidationError):
        rotation.complete(date(2025, 3, 1))

from datetime import date
from decimal import Decimal

import pytest

from cadres.choices import Gender, Level
from planning.choices import DecisionKind, Readiness, RemovalReason
from planning.models import PlanningEntry, RuleSet
from planning.readiness import (
    Share,
    bench_strength,
    entries_by_readiness,
    entry_readiness,
    readiness_counts,
    structure,
)
from tests.factories import (
    CadreFactory,
    PositionFactory,
    QualificationFactory,
    UnitFactory,
    ethnicity,
    level,
)
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 1)


def rule_set() -> RuleSet:
    return RuleSet.objects.in_force(ON)


def entry_needing(*codes: str, **standard) -> PlanningEntry:
    levels = {level(code).track: level(code) for code in codes}
    fields = {
        "professional": "professional_level",
        "political_theory": "political_theory_level",
        "state_management": "state_management_level",
        "general_education": "general_education",
    }
    standard = PositionStandardFactory(
        **{fields[track]: value for track, value in levels.items()}, **standard
    )
    return PlanningEntryFactory(position=standard.position)


def test_a_candidate_who_meets_every_standard_is_ready_now():
    entry = entry_needing("LLCT_TRUNG_CAP")
    QualificationFactory(cadre=entry.cadre, level=level("LLCT_CAO_CAP"))
    entry.cadre.refresh_from_db()
    readiness = entry_readiness(entry, ON, rule_set())
    assert readiness.level == Readiness.READY_NOW
    assert readiness.missing_text == "đạt tiêu chuẩn"


def test_standards_met_by_short_training_make_a_candidate_ready_within_two_years():
    # Senior political theory takes 18 months, senior specialist state management 3.
    entry = entry_needing("LLCT_CAO_CAP", "QLNN_CHUYEN_VIEN_CHINH")
    readiness = entry_readiness(entry, ON, rule_set())
    assert readiness.level == Readiness.WITHIN_TWO_YEARS
    assert readiness.missing_text == "thiếu: cao cấp LLCT; QLNN chuyên viên chính"


def test_a_university_degree_still_to_take_makes_readiness_later():
    entry = entry_needing("CM_THAC_SI")
    RuleSet.objects.filter(pk=rule_set().pk).update(training_months={"CM_THAC_SI": 25})
    assert entry_readiness(entry, ON, rule_set()).level == Readiness.LATER


def test_a_candidate_who_is_not_a_party_member_is_ready_only_later():
    entry = entry_needing(min_party_years=5)
    assert entry_readiness(entry, ON, rule_set()).level == Readiness.LATER


def test_months_to_retirement_are_part_of_readiness():
    entry = PlanningEntryFactory(
        cadre=CadreFactory(gender=Gender.MALE, birth_date=date(1968, 6, 15))
    )
    assert entry_readiness(entry, date(2025, 6, 30), rule_set()).months_to_retirement == 60


def test_entries_can_be_filtered_by_readiness_in_five_queries(django_assert_num_queries):
    ready = entry_needing()
    later = entry_needing("LLCT_CU_NHAN")  # 48 months of study
    # The rule set, the levels, the rows to rate, their standards, the filtered rows.
    with django_assert_num_queries(5):
        found = list(entries_by_readiness(PlanningEntry.objects.all(), ON, Readiness.LATER))
    assert found == [later]
    assert ready not in found


def test_counting_by_readiness_rates_each_entry_as_its_fully_loaded_row_is_rated():
    entry_needing()
    entry_needing("LLCT_CAO_CAP", "QLNN_CHUYEN_VIEN_CHINH")
    entry_needing("LLCT_CU_NHAN")
    entry_needing(min_party_years=5)
    # One position and the same levels held, different party years: the levels are rated once
    # for both, the party years for each (ready now, within two years, later).
    party = entry_needing("LLCT_CAO_CAP", min_party_years=5).position
    for joined in (date(2015, 1, 1), date(2021, 1, 1), date(2023, 1, 1)):
        cadre = CadreFactory(party_join_date=joined)
        QualificationFactory(cadre=cadre, level=level("LLCT_CAO_CAP"))
        PlanningEntryFactory(position=party, cadre=cadre)
    rated = RuleSet.objects.applying_on(ON)
    expected = {
        entry.pk: entry_readiness(entry, ON, rated).level
        for entry in PlanningEntry.objects.with_levels()
    }
    counts = readiness_counts(PlanningEntry.objects.all(), ON, ("pk",))
    found = {pk: next(lvl for lvl, n in rating.items() if n) for (pk,), rating in counts.items()}
    assert found == expected
    assert set(expected.values()) == set(Readiness.values)
    assert sorted(list(expected.values())[-3:]) == sorted(Readiness.values)


def test_bench_strength_shows_gaps_in_succession():
    commune = UnitFactory()
    decision = PlanningDecisionFactory()
    ready_position = PositionStandardFactory(
        position=PositionFactory(title="Bí thư", is_key=True)
    ).position
    missing_position = PositionStandardFactory(
        position=PositionFactory(title="Chủ tịch UBND", is_key=True),
        political_theory_level=level("LLCT_CAO_CAP"),
    ).position
    empty_position = PositionFactory(title="Chủ tịch HĐND", is_key=True)
    PositionFactory(title="Công chức", is_key=False)
    for position in (ready_position, ready_position, missing_position):
        PlanningEntryFactory(unit=commune, added_by=decision, position=position)
    benches = {b.position.title: b for b in bench_strength(decision.term, commune, ON)}
    assert set(benches) == {"Bí thư", "Chủ tịch UBND", "Chủ tịch HĐND"}
    assert (benches["Bí thư"].count, benches["Bí thư"].limit, benches["Bí thư"].ready_now) == (
        2,
        3,
        2,
    )
    assert benches["Chủ tịch UBND"].all_miss_a_standard
    assert not benches["Bí thư"].all_miss_a_standard
    assert benches["Chủ tịch HĐND"].has_no_candidate
    assert empty_position == benches["Chủ tịch HĐND"].position


# --- Structure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "total", "places", "rounded", "target", "met"),
    [
        (1, 4, 1, Decimal("25.0"), 25, True),
        (1, 7, 1, Decimal("14.3"), 15, False),
        (2, 3, 1, Decimal("66.7"), None, None),
        (29, 200, 0, Decimal("15"), 15, False),  # 14.5% shows as 15% and still misses 15%
        (3, 20, 0, Decimal("15"), 15, True),
        (0, 0, 1, Decimal("0.0"), 25, False),
    ],
)
def test_shares_are_compared_to_targets_before_rounding(count, total, places, rounded, target, met):
    share = Share(count, total, None if target is None else Decimal(target), places)
    assert share.rounded == rounded
    assert share.met is met


def test_the_structure_of_a_small_district_matches_a_count_by_hand():
    district = UnitFactory(name="Huyện Nhỏ", kind="district")
    commune_a = UnitFactory(name="Xã A", parent=district)
    commune_b = UnitFactory(name="Xã B", parent=district)
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))

    def planned(unit, gender, born, ethnic, *positions_count, llct=None):
        cadre = CadreFactory(unit=unit, gender=gender, birth_date=born, ethnicity=ethnicity(ethnic))
        if llct:
            QualificationFactory(cadre=cadre, level=level(llct))
        for _ in range(positions_count[0] if positions_count else 1):
            PlanningEntryFactory(cadre=cadre, unit=unit, added_by=decision)
        return cadre

    # On 1/1/2025 at commune level "young" means under 35: born after 1/1/1990.
    planned(commune_a, Gender.FEMALE, date(1992, 3, 1), "02")  # young, under 35, Tày
    planned(commune_a, Gender.MALE, date(1985, 6, 1), "01", 2, llct="LLCT_TRUNG_CAP")  # twice
    planned(commune_a, Gender.MALE, date(1975, 1, 1), "07", llct="LLCT_TRUNG_CAP")  # 50, Nùng
    planned(commune_a, Gender.FEMALE, date(1990, 1, 1), "01")  # 35 today: not young
    planned(commune_a, Gender.MALE, date(1968, 1, 1), "02")  # 57, Tày
    planned(commune_b, Gender.FEMALE, date(1995, 5, 5), "09")  # young Dao woman, commune B
    removed = planned(commune_a, Gender.FEMALE, date(1993, 1, 1), "02")
    removal = PlanningDecisionFactory(
        term=decision.term, kind=DecisionKind.REMOVAL, issued_on=date(2024, 12, 1)
    )
    removed.planning_entries.get().remove(removal, RemovalReason.OWN_REQUEST)

    pool = PlanningEntry.objects.active(ON).for_term(decision.term)
    a = structure(pool.in_unit(commune_a), ON, Level.COMMUNE)
    assert a.total == 5
    assert (a.women.count, a.women.rounded, a.women.met) == (2, Decimal("40.0"), True)
    assert (a.young.count, a.young.rounded, a.young.met) == (1, Decimal("20.0"), True)
    assert (a.minority.count, a.minority.rounded, a.minority.met) == (3, Decimal("60.0"), None)
    assert [s.count for s in a.age_bands.values()] == [1, 2, 1, 1]
    assert {k: s.count for k, s in a.political_theory.items()} == {"Trung cấp": 2, "Chưa có": 3}

    whole = structure(pool.in_unit(district, descendants=True), ON, Level.COMMUNE)
    assert whole.total == 6
    assert (whole.women.count, whole.women.rounded) == (3, Decimal("50.0"))
    assert (whole.young.count, whole.young.rounded) == (2, Decimal("33.3"))
    assert (whole.minority.count, whole.minority.rounded) == (4, Decimal("66.7"))


def test_the_structure_is_computed_in_two_queries(django_assert_num_queries):
    for _ in range(5):
        PlanningEntryFactory()
    with django_assert_num_queries(3):  # the rule set, the counts, the levels
        result = structure(PlanningEntry.objects.all(), ON, Level.DISTRICT)
    assert result.total == 5

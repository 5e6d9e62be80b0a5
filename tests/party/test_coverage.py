from datetime import date

import pytest

from party.choices import Coverage
from party.coverage import coverage_by_commune, units_changed, units_with_coverage
from tests.factories import UnitFactory
from tests.party.factories import (
    AdmissionCandidateFactory,
    CellMembershipReportFactory,
    PartyCellFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune():
    return UnitFactory(name="Xã Tú Đoạn")


def coverage_on(on: date) -> dict[str, str]:
    return {unit.name: unit.coverage for unit in units_with_coverage(on)}


def test_a_village_without_any_cell_has_no_party_member(commune):
    VillageFactory(name="Thôn Nà Lừa", parent=commune)
    assert coverage_on(date(2025, 1, 1)) == {"Thôn Nà Lừa": Coverage.NONE}


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2020, 2, 29), Coverage.NONE),  # the day before founding
        (date(2020, 3, 1), Coverage.OWN),  # founded that day
        (date(2024, 6, 29), Coverage.OWN),  # the last day before dissolution
        (date(2024, 6, 30), Coverage.NONE),  # dissolved: the first day without the cell
    ],
)
def test_coverage_at_a_date_follows_the_cell_founding_and_dissolution(commune, on, expected):
    village = VillageFactory(name="Thôn Bản Chuông", parent=commune)
    PartyCellFactory(unit=village, founded_on=date(2020, 3, 1), dissolved_on=date(2024, 6, 30))
    assert coverage_on(on) == {"Thôn Bản Chuông": expected}


def test_a_combined_cell_counts_for_every_unit_it_serves(commune):
    home = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    neighbour = VillageFactory(name="Thôn Khòn Pát", parent=commune)
    school = UnitFactory(name="Trường Tiểu học Tú Đoạn", kind="school", parent=commune)
    VillageFactory(name="Thôn Lỏng Khẻ", parent=commune)
    PartyCellFactory(unit=home, serves=[neighbour, school])
    assert coverage_on(date(2025, 1, 1)) == {
        "Thôn Nà Pàn": Coverage.COMBINED,
        "Thôn Khòn Pát": Coverage.COMBINED,
        "Trường Tiểu học Tú Đoạn": Coverage.COMBINED,
        "Thôn Lỏng Khẻ": Coverage.NONE,
    }


def test_a_unit_with_its_own_cell_is_not_counted_as_combined_too(commune):
    village = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    other = VillageFactory(name="Thôn Khòn Pát", parent=commune)
    PartyCellFactory(unit=village)
    PartyCellFactory(unit=other, serves=[village])
    assert coverage_on(date(2025, 1, 1))["Thôn Nà Pàn"] == Coverage.OWN


def test_the_latest_report_on_or_before_the_date_decides_whether_a_cell_has_members(commune):
    village = VillageFactory(name="Thôn Pò Làn", parent=commune)
    cell = PartyCellFactory(unit=village)
    CellMembershipReportFactory(cell=cell, reported_on=date(2023, 12, 31), official=4)
    CellMembershipReportFactory(cell=cell, reported_on=date(2024, 12, 31), official=0)
    assert coverage_on(date(2024, 12, 30)) == {"Thôn Pò Làn": Coverage.OWN}
    assert coverage_on(date(2024, 12, 31)) == {"Thôn Pò Làn": Coverage.NONE}


def test_a_member_admitted_after_an_empty_report_gives_the_unit_a_member(commune):
    village = VillageFactory(name="Thôn Pò Làn", parent=commune)
    cell = PartyCellFactory(unit=village)
    CellMembershipReportFactory(cell=cell, reported_on=date(2024, 6, 30), official=0)
    AdmissionCandidateFactory(
        unit=village, cell=cell, admitted_on=date(2024, 9, 2), decision_number="12-QĐ/ĐU"
    )
    assert coverage_on(date(2024, 9, 1)) == {"Thôn Pò Làn": Coverage.NONE}
    assert coverage_on(date(2024, 9, 2)) == {"Thôn Pò Làn": Coverage.OWN}


def test_units_are_counted_only_on_the_dates_they_exist(commune):
    VillageFactory(name="Thôn Cũ", parent=commune, valid_to=date(2024, 12, 31))
    VillageFactory(name="Thôn Mới", parent=commune, valid_from=date(2025, 1, 1))
    assert set(coverage_on(date(2024, 12, 31))) == {"Thôn Cũ"}
    assert set(coverage_on(date(2025, 1, 1))) == {"Thôn Mới"}


def test_counts_per_commune_and_the_change_since_an_earlier_date(commune):
    other_commune = UnitFactory(name="Xã Mẫu Sơn")
    a = VillageFactory(name="Thôn A", parent=commune)
    b = VillageFactory(name="Thôn B", parent=commune)
    VillageFactory(name="Thôn C", parent=commune)
    d = VillageFactory(name="Thôn D", parent=other_commune)
    PartyCellFactory(unit=a, founded_on=date(2010, 1, 1))
    PartyCellFactory(unit=b, serves=[d], founded_on=date(2010, 1, 1), dissolved_on=date(2025, 3, 1))
    PartyCellFactory(unit=b, founded_on=date(2025, 3, 1))

    rows = {
        row.name: row for row in coverage_by_commune(date(2025, 6, 30), since=date(2024, 12, 31))
    }

    assert rows["Xã Tú Đoạn"].counts == {"none": 1, "combined": 0, "own": 2}
    assert rows["Xã Tú Đoạn"].counts_since == {"none": 1, "combined": 1, "own": 1}
    assert rows["Xã Tú Đoạn"].change(Coverage.OWN) == 1
    assert rows["Xã Mẫu Sơn"].counts == {"none": 1, "combined": 0, "own": 0}
    assert rows["Xã Mẫu Sơn"].change(Coverage.NONE) == 1
    assert rows["Tổng cộng"].counts == {"none": 2, "combined": 0, "own": 2}
    assert rows["Tổng cộng"].total == 4
    changed = {
        u.name: (u.coverage_since, u.coverage)
        for u in units_changed(date(2024, 12, 31), date(2025, 6, 30))
    }
    assert changed == {
        "Thôn B": (Coverage.COMBINED, Coverage.OWN),
        "Thôn D": (Coverage.COMBINED, Coverage.NONE),
    }


def test_counts_per_commune_take_one_query_whatever_the_number_of_units(
    commune, django_assert_num_queries
):
    for index in range(12):
        village = VillageFactory(parent=commune)
        if index % 3:
            cell = PartyCellFactory(unit=village)
            CellMembershipReportFactory(cell=cell)
    with django_assert_num_queries(1):
        rows = coverage_by_commune(date(2025, 6, 30), since=date(2024, 12, 31))
    assert rows[-1].total == 12

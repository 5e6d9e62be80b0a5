from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from party.models import AdmissionCandidate, AdmissionTarget, PartyCell
from tests.factories import UnitFactory
from tests.party.factories import (
    AdmissionCandidateFactory,
    AdmissionTargetFactory,
    CellMembershipReportFactory,
    PartyCellFactory,
    VillageFactory,
    class_attended,
)

pytestmark = pytest.mark.django_db

ADMITTED = date(2024, 3, 15)


def admitted(class_ends: date | None = date(2024, 1, 20), **fields) -> AdmissionCandidate:
    """A candidate admitted on ADMITTED after a class on the Party ending on ``class_ends``."""
    candidate = AdmissionCandidateFactory(admitted_on=ADMITTED, decision_number="7-QĐ/ĐU", **fields)
    if class_ends:
        candidate.candidate_class = class_attended(trainee=candidate.trainee, ends=class_ends)
        candidate.save()
    return candidate


def test_probation_ends_twelve_months_after_admission_unless_entered():
    assert admitted().probation_ends_on == date(2025, 3, 15)
    assert admitted(probation_ends_on=date(2025, 4, 1)).probation_ends_on == date(2025, 4, 1)
    leap = AdmissionCandidateFactory(admitted_on=date(2024, 2, 29), decision_number="1")
    assert leap.probation_ends_on == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("on", "official_on", "dropped_on", "overdue"),
    [
        (date(2025, 3, 15), None, None, False),  # the last day of probation
        (date(2025, 3, 16), None, None, True),  # the day after
        (date(2025, 3, 16), date(2025, 3, 16), None, False),  # recognised that day
        (date(2025, 3, 16), date(2025, 4, 1), None, True),  # recognised later
        (date(2025, 3, 16), None, date(2025, 3, 16), False),  # struck off that day
    ],
)
def test_probation_overdue_list_at_its_boundaries(on, official_on, dropped_on, overdue):
    candidate = admitted(
        official_on=official_on, dropped_on=dropped_on, drop_reason="Vi phạm" if dropped_on else ""
    )
    listed = set(AdmissionCandidate.objects.probation_overdue(on))
    assert listed == ({candidate} if overdue else set())


@pytest.mark.parametrize(
    ("class_on", "on", "listed"),
    [
        (date(2024, 3, 15), date(2024, 3, 15), False),  # class finished on the admission day
        (date(2024, 3, 16), date(2024, 3, 15), True),  # finished the day after admission
        (None, date(2024, 3, 15), True),  # no class at all
        (None, date(2024, 3, 14), False),  # not yet admitted on that day
    ],
)
def test_admitted_without_candidate_class_list_at_its_boundaries(class_on, on, listed):
    candidate = admitted(class_ends=class_on)
    found = set(AdmissionCandidate.objects.admitted_without_candidate_class(on))
    assert found == ({candidate} if listed else set())


def test_admissions_count_against_the_target_of_the_unit_and_the_units_under_it():
    commune = UnitFactory(name="Xã Tú Đoạn")
    other = UnitFactory(name="Xã Mẫu Sơn")
    village = VillageFactory(parent=commune)
    AdmissionTargetFactory(unit=commune, year=2024, target=5)
    AdmissionTargetFactory(unit=other, year=2024, target=2)
    admitted(unit=village)
    admitted(unit=commune)
    AdmissionCandidateFactory(unit=village)  # proposed, not admitted
    AdmissionCandidateFactory(
        unit=village,
        proposed_on=date(2023, 1, 1),
        admitted_on=date(2023, 12, 31),
        decision_number="9",
    )
    figures = {t.unit.name: t.admitted for t in AdmissionTarget.objects.with_admitted()}
    assert figures == {"Xã Tú Đoạn": 2, "Xã Mẫu Sơn": 0}


def test_member_counts_move_on_from_the_latest_report_with_the_named_members():
    cell = PartyCellFactory()
    CellMembershipReportFactory(
        cell=cell, reported_on=date(2023, 12, 31), official=5, probationary=1
    )
    # probationary at the report, official since
    AdmissionCandidateFactory(
        cell=cell,
        unit=cell.unit,
        admitted_on=date(2023, 6, 1),
        decision_number="1",
        official_on=date(2024, 6, 2),
        proposed_on=date(2023, 1, 1),
    )
    admitted(cell=cell, unit=cell.unit)  # admitted after the report
    admitted(cell=cell, unit=cell.unit, dropped_on=date(2024, 9, 1), drop_reason="Chuyển đi")
    counts = PartyCell.objects.with_members(date(2024, 12, 31)).get()
    assert (counts.official, counts.probationary) == (6, 1)
    before = PartyCell.objects.with_members(date(2023, 12, 31)).get()
    assert (before.official, before.probationary) == (5, 1)


@pytest.mark.parametrize(
    ("on", "stage"),
    [
        (date(2024, 1, 10), "Quần chúng ưu tú được giới thiệu"),
        (date(2024, 1, 20), "Đã học lớp nhận thức về Đảng"),
        (date(2024, 3, 15), "Đảng viên dự bị"),
        (date(2025, 3, 20), "Đảng viên chính thức"),
    ],
)
def test_a_candidate_is_followed_step_by_step(on, stage):
    assert admitted(official_on=date(2025, 3, 20)).stage_on(on) == stage


def test_a_drop_needs_a_reason_and_an_admission_its_decision():
    candidate = AdmissionCandidateFactory.build(
        unit=UnitFactory(), cell=None, dropped_on=date(2024, 5, 1), admitted_on=date(2024, 2, 1)
    )
    with pytest.raises(ValidationError) as error:
        candidate.full_clean()
    assert error.value.message_dict["drop_reason"] == ["Ghi lý do dừng."]
    assert error.value.message_dict["decision_number"] == ["Ghi số quyết định kết nạp."]


def test_official_membership_cannot_come_before_admission():
    with transaction.atomic(), pytest.raises(IntegrityError):
        admitted(official_on=date(2024, 3, 1))


def test_a_cell_cannot_be_dissolved_before_it_is_founded():
    with transaction.atomic(), pytest.raises(IntegrityError):
        PartyCellFactory(founded_on=date(2020, 1, 1), dissolved_on=date(2019, 1, 1))

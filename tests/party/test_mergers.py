"""The party app's part of a merger (party.mergers): cells, combined cells and the people on
their way to admission follow the old communes into the new one."""

from datetime import date

import pytest

from cadres import mergers
from party.models import AdmissionCandidate
from tests.cadres.merger_data import communes_to_merge, record_succession
from tests.party.factories import AdmissionCandidateFactory

pytestmark = pytest.mark.django_db


def test_candidates_on_their_way_are_proposed_and_moved_the_finished_ones_stay(district):
    new, olds = communes_to_merge(district)
    old = olds[0]
    village = old.children.get()
    on_the_way = AdmissionCandidateFactory(
        unit=old, cell=None, trainee__full_name="Hoàng Thị Đang Xét"
    )
    AdmissionCandidateFactory(
        unit=old,
        cell=None,
        trainee__full_name="Lương Văn Dự Bị",
        admitted_on=date(2025, 3, 1),
        decision_number="12-QĐ/ĐU",
    )
    official = AdmissionCandidateFactory(
        unit=old,
        cell=None,
        proposed_on=date(2022, 6, 1),
        admitted_on=date(2023, 3, 1),
        decision_number="3-QĐ/ĐU",
        official_on=date(2024, 3, 1),
    )
    dropped = AdmissionCandidateFactory(
        unit=old, cell=None, dropped_on=date(2024, 9, 1), drop_reason="Chuyển đi nơi khác"
    )
    in_village = AdmissionCandidateFactory(unit=village, cell=None)
    successions = [record_succession(unit, new) for unit in olds]
    merger = mergers.Merger.of(successions[0])

    proposed = [c.text for c in mergers.propose(merger) if c.section == "Phát triển đảng viên"]
    assert proposed == [
        "Hoàng Thị Đang Xét (quần chúng ưu tú được giới thiệu): Xã Hữu Khánh → Xã Khánh Xuân",
        "Lương Văn Dự Bị (đảng viên dự bị): Xã Hữu Khánh → Xã Khánh Xuân",
    ]

    mergers.apply(merger)
    moved = set(AdmissionCandidate.objects.filter(unit=new).values_list("pk", flat=True))
    assert on_the_way.pk in moved and len(moved) == 2
    for stays in (official, dropped):
        stays.refresh_from_db()
        assert stays.unit == old
    in_village.refresh_from_db()
    village.refresh_from_db()
    assert in_village.unit == village and village.parent_id == new.pk  # moved with its village
    again = mergers.propose(mergers.Merger.of(successions[0]))
    assert not [c for c in again if c.section == "Phát triển đảng viên"]

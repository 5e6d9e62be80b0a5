from datetime import date

import pytest

from cadres.models import Unit
from tests.factories import CadreFactory, PositionFactory, UnitFactory, level
from tests.training.factories import NeedFactory, PlanFactory, PlanLineFactory
from training import drafting
from training.choices import CandidateStatus, NeedSource, NeedStatus, Seat
from training.models import PlanCandidate, PlanLine, QuotaShare, TrainingNeed
from training.models.plans import shares_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    UnitFactory(name="Xã Tú Đoạn", parent=district)
    UnitFactory(name="Xã Khuất Xá", parent=district)
    return district


def commune(name: str) -> Unit:
    return Unit.objects.get(name=name)


def need_of(name: str, unit, born=date(1985, 3, 1), general="PT_12_12", **need):
    cadre = CadreFactory(
        full_name=name, unit=unit, birth_date=born, general_education=level(general)
    )
    return NeedFactory(cadre=cadre, **need)


def outcome(plan) -> dict[str, tuple[str, str]]:
    return {
        c.cadre.full_name: (c.seat, c.status)
        for c in PlanCandidate.objects.filter(line__plan=plan).select_related("cadre")
    }


@pytest.fixture
def plan(district):
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=90)
    vice_chair = PositionFactory(title="Phó Chủ tịch UBND xã", is_key=False, rank=60)
    tu_doan, khuat_xa = commune("Xã Tú Đoạn"), commune("Xã Khuất Xá")
    gap = {"source": NeedSource.PLANNING_GAP, "due": date(2026, 1, 1)}
    need_of("Hoàng Thị Lan", tu_doan, position=secretary, **gap)
    need_of("Lý Văn Hùng", khuat_xa, position=vice_chair, **gap)
    need_of("Vi Văn Minh", tu_doan)
    need_of("Nông Văn Thắng", khuat_xa, born=date(1970, 1, 1), position=secretary, **gap)
    need_of("Chu Thị Hoa", tu_doan, general="PT_9_12", position=secretary, **gap)
    need_of("Người Huyện Khác", UnitFactory(name="Xã Ngoài Huyện"), position=secretary, **gap)
    plan = PlanFactory(unit=district, year=2025)
    PlanLineFactory(plan=plan, quota=1, target=2)
    return plan


def test_draft_fills_the_quota_from_above_first_with_the_best_placed_candidate(plan):
    drafting.draft(plan)
    assert outcome(plan) == {
        "Hoàng Thị Lan": (Seat.QUOTA, CandidateStatus.PROPOSED),  # key position
        "Lý Văn Hùng": (Seat.OWN, CandidateStatus.PROPOSED),  # planned, not key
        "Vi Văn Minh": (Seat.NONE, CandidateStatus.WAITING),  # no planned position
        "Nông Văn Thắng": (Seat.NONE, CandidateStatus.NOT_ELIGIBLE),
        "Chu Thị Hoa": (Seat.NONE, CandidateStatus.NOT_ELIGIBLE),
    }


def test_draft_says_why_someone_is_not_eligible_or_waits(plan):
    drafting.draft(plan)
    reasons = dict(
        PlanCandidate.objects.filter(line__plan=plan).values_list("cadre__full_name", "reasons")
    )
    assert "Quá tuổi cử đi học" in reasons["Nông Văn Thắng"]
    assert "55 tuổi vào ngày 01/09/2025" in reasons["Nông Văn Thắng"]
    assert "giáo dục phổ thông 12/12" in reasons["Chu Thị Hoa"]
    assert "hết chỉ tiêu" in reasons["Vi Văn Minh"]
    assert "quy hoạch Bí thư Đảng ủy xã (chủ chốt)" in reasons["Hoàng Thị Lan"]


def test_among_equals_the_one_closer_to_retirement_goes_first(district):
    tu_doan = commune("Xã Tú Đoạn")
    need_of("Trẻ Hơn", tu_doan, born=date(1990, 1, 1))
    need_of("Lớn Tuổi Hơn", tu_doan, born=date(1978, 1, 1))
    plan = PlanFactory(unit=district)
    PlanLineFactory(plan=plan, quota=1, target=1)
    drafting.draft(plan)
    assert outcome(plan)["Lớn Tuổi Hơn"] == (Seat.QUOTA, CandidateStatus.PROPOSED)
    assert outcome(plan)["Trẻ Hơn"] == (Seat.NONE, CandidateStatus.WAITING)


def test_the_officers_priority_comes_before_everything(plan):
    TrainingNeed.objects.filter(cadre__full_name="Vi Văn Minh").update(priority=1)
    drafting.draft(plan)
    assert outcome(plan)["Vi Văn Minh"] == (Seat.QUOTA, CandidateStatus.PROPOSED)
    assert outcome(plan)["Hoàng Thị Lan"] == (Seat.OWN, CandidateStatus.PROPOSED)


def test_redrafting_keeps_the_users_decisions(plan):
    drafting.draft(plan)
    PlanCandidate.objects.filter(cadre__full_name="Hoàng Thị Lan").update(
        status=CandidateStatus.REJECTED
    )
    PlanCandidate.objects.filter(cadre__full_name="Lý Văn Hùng").update(
        status=CandidateStatus.APPROVED
    )
    drafting.draft(plan)
    assert outcome(plan) == {
        "Hoàng Thị Lan": (Seat.QUOTA, CandidateStatus.REJECTED),
        "Lý Văn Hùng": (Seat.OWN, CandidateStatus.APPROVED),
        "Vi Văn Minh": (Seat.QUOTA, CandidateStatus.PROPOSED),
        "Nông Văn Thắng": (Seat.NONE, CandidateStatus.NOT_ELIGIBLE),
        "Chu Thị Hoa": (Seat.NONE, CandidateStatus.NOT_ELIGIBLE),
    }


def test_approving_plans_the_needs_and_lists_what_is_still_unplanned(plan):
    drafting.draft(plan)
    assert TrainingNeed.objects.without_plan(2025).count() == 1  # the cadre of another district
    assert plan.approve(date(2025, 3, 1)) == 2
    planned = TrainingNeed.objects.filter(status=NeedStatus.PLANNED)
    assert {n.cadre.full_name for n in planned} == {"Hoàng Thị Lan", "Lý Văn Hùng"}
    assert TrainingNeed.objects.without_plan(2026).count() == 4  # open needs, next year's plan


def test_quota_from_above_left_unfilled_is_listed(plan):
    line = plan.lines.get()
    line.quota, line.target = 3, 3
    line.save()
    drafting.draft(plan)
    assert not PlanLine.objects.unfilled_quota().exists()  # three eligible for three places
    PlanCandidate.objects.filter(cadre__full_name="Vi Văn Minh").update(
        status=CandidateStatus.REJECTED
    )
    unfilled = PlanLine.objects.unfilled_quota().get()
    assert (unfilled.quota, unfilled.quota_filled) == (3, 2)


def test_draft_runs_a_fixed_number_of_queries(django_assert_max_num_queries, plan):
    district = plan.unit
    for n in range(20):
        need_of(f"Cán Bộ {n}", commune("Xã Tú Đoạn") if n % 2 else district)
    with django_assert_max_num_queries(9):  # + the quota shares of the lines
        drafting.draft(plan)
    assert PlanCandidate.objects.count() == 25


def test_a_quota_divided_among_communes_seats_each_communes_people_on_its_share(district):
    tu_doan, khuat_xa = commune("Xã Tú Đoạn"), commune("Xã Khuất Xá")
    plan = PlanFactory(year=2025, unit=district)
    line = PlanLineFactory(
        plan=plan,
        quota=2,
        quota_issuer="Ban Tổ chức Tỉnh ủy",
        quota_decision_number="312-CV/BTCTU",
        quota_decision_date=date(2025, 2, 10),
    )
    QuotaShare.objects.create(line=line, unit=khuat_xa, seats=1)
    QuotaShare.objects.create(line=line, unit=tu_doan, seats=1)
    key = PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=90)
    gap = {"source": NeedSource.PLANNING_GAP, "due": date(2026, 1, 1), "position": key}
    need_of("Hoàng Thị Lan", tu_doan, **gap)
    need_of("Vi Văn Minh", tu_doan, **gap)  # ranked second in Tú Đoạn: its share is taken
    need_of("Lý Văn Hùng", khuat_xa)  # ranked last, but Khuất Xá's share is his
    drafting.draft(plan)
    seats = outcome(plan)
    assert seats["Hoàng Thị Lan"][0] == Seat.QUOTA
    assert seats["Lý Văn Hùng"][0] == Seat.QUOTA
    assert seats["Vi Văn Minh"] == (Seat.NONE, CandidateStatus.WAITING)


def test_shares_may_not_exceed_the_quota_handed_down():
    assert shares_errors(3, [2, 1]) == []
    assert shares_errors(3, [2, 2]) == ["Tổng số suất phân bổ (4) vượt chỉ tiêu trên giao (3)."]

"""What-if before a planning conference (planning.whatif): names added or removed without
saving, the limits and shares recomputed per position and per unit."""

from datetime import date

import pytest
from django.urls import reverse

from cadres.choices import DisciplineForm, EvaluationResult, Gender
from cadres.models import Discipline, Evaluation, Role
from planning.choices import EntryRole
from planning.models import PlanningEntry
from planning.whatif import Addition, what_if
from tests.conftest import make_actor
from tests.factories import (
    AppointmentFactory,
    CadreFactory,
    PositionFactory,
    UnitFactory,
    ethnicity,
)
from tests.planning.factories import PlanningDecisionFactory, PlanningEntryFactory

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 15)


@pytest.fixture
def pool():
    """Tú Đoạn's secretary has three men planned (the limit), one of them young; a young woman
    of a minority is not planned yet."""
    tu_doan = UnitFactory(name="Xã Tú Đoạn")
    secretary = PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100)
    chair = PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=85)
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))
    entries = [
        PlanningEntryFactory(
            added_by=decision,
            unit=tu_doan,
            position=secretary,
            cadre=CadreFactory(full_name=name, unit=tu_doan, birth_date=born),
        )
        for name, born in [
            ("Hoàng Văn Đức", date(1970, 1, 1)),
            ("Nông Văn Hải", date(1975, 1, 1)),
            ("Vi Văn Sơn", date(1993, 1, 1)),
        ]
    ]
    mai = CadreFactory(
        full_name="Lương Thị Mai",
        unit=tu_doan,
        gender=Gender.FEMALE,
        birth_date=date(1992, 2, 1),
        ethnicity=ethnicity("02"),
    )
    return decision.term, tu_doan, secretary, chair, entries, mai


def test_adding_a_fourth_name_breaks_the_limit_and_changes_the_shares(pool, superuser):
    term, tu_doan, secretary, _, entries, mai = pool
    result = what_if(term, tu_doan, ON, superuser, [Addition(mai.pk, secretary.pk)], [])

    row = result.after.units[0].rows[0]
    assert (row.position, row.count, row.count_before, row.over_limit) == (secretary, 4, 3, True)
    assert [p.cadre for p in row.reserves][-1] == mai
    women = result.after.units[0].shares["women"]
    assert (women.count, women.total) == (1, 4)
    assert result.after.units[0].before.shares["women"].count == 0
    young = result.after.shares["young"]
    assert (young.count, young.total) == (2, 4)
    assert result.limit_messages() == [
        f"Bí thư Đảng ủy xã của Xã Tú Đoạn: 4 người (tối đa 3 theo "
        f"{result.after.rule_set.regulation or result.after.rule_set.name})."
    ]
    assert not PlanningEntry.objects.filter(cadre=mai).exists()  # nothing saved


def test_removing_one_and_adding_another_keeps_the_limit(pool, superuser):
    term, tu_doan, secretary, _, entries, mai = pool
    result = what_if(
        term, tu_doan, ON, superuser, [Addition(mai.pk, secretary.pk)], [entries[0].pk]
    )
    row = result.after.units[0].rows[0]
    assert row.count == 3 and not row.over_limit
    assert entries[0].cadre not in [p.cadre for p in row.people]
    assert result.limit_messages() == []
    assert result.removed == [entries[0]]


def test_a_person_over_the_number_of_positions_of_one_level_is_named(pool, superuser):
    term, tu_doan, secretary, chair, entries, mai = pool
    more = [PositionFactory(title=f"Phó Chủ tịch {n}", rank=60) for n in (1, 2)]
    additions = [Addition(mai.pk, p.pk) for p in (chair, *more, secretary)]
    result = what_if(term, tu_doan, ON, superuser, additions, [entries[0].pk])
    assert "Lương Thị Mai: 4 chức danh cùng cấp (tối đa 3)." in result.limit_messages()


def test_names_already_planned_or_of_another_level_are_left_out(pool, superuser):
    term, tu_doan, secretary, _, entries, mai = pool
    district_post = PositionFactory(title="Trưởng ban Tổ chức Huyện ủy", level="district")
    additions = [
        Addition(entries[1].cadre_id, secretary.pk),
        Addition(mai.pk, district_post.pk),
    ]
    result = what_if(term, tu_doan, ON, superuser, additions, [])
    assert result.added == [] and not result.changed


# --- The view ---------------------------------------------------------------------------------


def whatif_url(term, unit) -> str:
    return reverse("admin:planning_term_whatif", args=[term.pk]) + f"?unit={unit.pk}"


def test_the_view_posts_back_with_the_changes_carried_and_nothing_saved(admin_client, pool):
    term, tu_doan, secretary, _, entries, mai = pool
    url = whatif_url(term, tu_doan)
    response = admin_client.post(
        url, {"new_cadre": mai.pk, "new_position": secretary.pk, "new_role": EntryRole.RESERVE}
    )
    page = response.content.decode()
    assert "Thêm Lương Thị Mai – Bí thư Đảng ủy xã" in page
    assert f'value="{mai.pk}:{secretary.pk}:reserve" checked' in page
    assert "4 người (tối đa 3" in page
    assert "trước: 3" in page

    # The carried addition plus a removal ticked in the table: back within the limit.
    response = admin_client.post(
        url, {"add": f"{mai.pk}:{secretary.pk}:reserve", "remove": entries[0].pk}
    )
    page = response.content.decode()
    assert "Bỏ Hoàng Văn Đức – Bí thư Đảng ủy xã" in page
    assert "Không chức danh nào vượt số người tối đa" in page
    assert PlanningEntry.objects.count() == 3


def test_a_commune_user_works_only_on_their_communes_pool(client, roles, django_user_model, pool):
    term, tu_doan, secretary, _, entries, mai = pool
    other = UnitFactory(name="Xã Na Dương")
    stranger = CadreFactory(full_name="Hoàng Thị Bình", unit=other)
    officer = make_actor(django_user_model, "can_bo_tu_doan", Role.COMMUNE, tu_doan)
    client.force_login(officer)

    assert client.get(whatif_url(term, other)).status_code == 400
    response = client.post(
        whatif_url(term, tu_doan),
        {"add": [f"{stranger.pk}:{secretary.pk}:reserve", f"{mai.pk}:{secretary.pk}:reserve"]},
    )
    assert response.status_code == 200
    assert [e.cadre for e in response.context["whatif"].added] == [mai]
    assert "Hoàng Thị Bình" not in response.content.decode()


# --- The rules on each added name --------------------------------------------------------------


def test_an_added_name_meets_the_refusals_and_warnings_adding_it_for_real_would_give(
    pool, superuser
):
    term, tu_doan, secretary, chair, entries, mai = pool
    secretary.is_party_post = True
    secretary.save()
    Discipline.objects.create(cadre=mai, form=DisciplineForm.WARNING, decided_on=date(2024, 3, 1))
    Evaluation.objects.create(cadre=mai, year=2023, result=EvaluationResult.NOT_COMPLETED)
    Evaluation.objects.create(cadre=mai, year=2024, result=EvaluationResult.COMPLETED)
    AppointmentFactory(cadre=mai, unit=tu_doan, position__rank=1, start_date=date(2015, 1, 1))

    result = what_if(term, tu_doan, ON, superuser, [Addition(mai.pk, secretary.pk)], [])
    [name] = result.added_names()
    assert name.refusals == [
        "Bí thư Đảng ủy xã là chức danh của Đảng; Lương Thị Mai chưa có ngày vào Đảng.",
        "Đang chịu kỷ luật cảnh cáo.",
        "Năm 2023 xếp loại không hoàn thành nhiệm vụ.",
    ]
    assert name.warnings == [
        "Năm 2024 chỉ xếp loại hoàn thành nhiệm vụ.",
        "Chưa có kết luận về tiêu chuẩn chính trị (Quy định 58-QĐ/TW).",
    ]
    # The same refusals as the real thing: the entry on a decision of that day fails clean().
    real = PlanningEntry(
        term=term,
        unit=tu_doan,
        position=secretary,
        cadre=mai,
        added_by=PlanningDecisionFactory(issued_on=ON, term=term),
    )
    refused = real.rule_errors()["cadre"]
    assert all(message in refused for message in name.refusals)


def test_an_added_name_without_a_post_on_record_is_asked_for_it(pool, superuser):
    term, tu_doan, _, chair, entries, mai = pool
    [name] = what_if(term, tu_doan, ON, superuser, [Addition(mai.pk, chair.pk)], []).added_names()
    assert name.refusals == [
        "Chưa rõ chức vụ hiện tại của Lương Thị Mai: ghi quá trình giữ chức vụ (bổ nhiệm, bầu "
        "cử) đến ngày 15/01/2025 để kiểm tra quy hoạch chức danh cao hơn."
    ]


def test_the_view_shows_each_added_names_refusals_and_warnings(admin_client, pool):
    term, tu_doan, _, chair, entries, mai = pool
    Discipline.objects.create(cadre=mai, form=DisciplineForm.WARNING, decided_on=date(2024, 3, 1))
    response = admin_client.post(
        whatif_url(term, tu_doan),
        {"new_cadre": mai.pk, "new_position": chair.pk, "new_role": EntryRole.RESERVE},
    )
    page = response.content.decode()
    assert "Không được thêm: Đang chịu kỷ luật cảnh cáo." in page
    assert "Lưu ý: Chưa có kết luận về tiêu chuẩn chính trị" in page

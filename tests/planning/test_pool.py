"""The pool at a glance: the term page's matrix of positions by planned people, and its xlsx."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.choices import Gender
from cadres.models import Role
from cadres.roles import setup_roles
from planning.choices import EntryRole, Readiness
from planning.pool import pool_matrix
from tests.conftest import make_actor
from tests.factories import CadreFactory, PositionFactory, UnitFactory, ethnicity, level
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db

ON = date(2025, 1, 15)


@pytest.fixture
def sheet():
    """Two communes of a commune term: Tú Đoạn with a secretary's incumbent and two reserves
    and nobody yet for the chair; Na Dương with one reserve."""
    tu_doan = UnitFactory(name="Xã Tú Đoạn")
    na_duong = UnitFactory(name="Xã Na Dương")
    UnitFactory(name="Xã Khuất Xá")  # planned for by the term, nobody planned yet
    secretary = PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy xã", is_key=True, rank=100),
        political_theory_level=level("LLCT_CAO_CAP"),
    ).position
    chair = PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=85)
    decision = PlanningDecisionFactory(issued_on=date(2024, 6, 1))

    def plan(unit, name, role=EntryRole.RESERVE, **cadre):
        return PlanningEntryFactory(
            added_by=decision,
            unit=unit,
            position=secretary,
            role=role,
            cadre=CadreFactory(full_name=name, unit=unit, **cadre),
        )

    entries = {
        "incumbent": plan(
            tu_doan, "Hoàng Văn Đức", EntryRole.INCUMBENT, birth_date=date(1972, 3, 1)
        ),
        "young": plan(tu_doan, "Lương Thị Mai", gender=Gender.FEMALE, birth_date=date(1992, 2, 1)),
        "kinh": plan(tu_doan, "Nguyễn Văn Bình", ethnicity=ethnicity("01")),
        "other": plan(na_duong, "Vi Văn Sơn"),
    }
    return decision.term, tu_doan, na_duong, secretary, chair, entries


def test_matrix_groups_positions_by_unit_with_incumbent_then_reserves(sheet, superuser):
    term, tu_doan, na_duong, secretary, chair, entries = sheet
    matrix = pool_matrix(term, ON, superuser)

    assert [block.unit for block in matrix.units] == sorted(
        [tu_doan, na_duong], key=lambda u: u.path
    )
    block = next(b for b in matrix.units if b.unit == tu_doan)
    assert [row.position for row in block.rows] == [secretary, chair]
    secretary_row, chair_row = block.rows
    assert [p.cadre.full_name for p in secretary_row.incumbents] == ["Hoàng Văn Đức"]
    assert [p.cadre.full_name for p in secretary_row.reserves] == [
        "Lương Thị Mai",
        "Nguyễn Văn Bình",
    ]
    assert (secretary_row.count, secretary_row.limit) == (3, 3)
    assert chair_row.empty and block.positions_without_candidate == 1
    assert matrix.reserve_columns == 2
    assert [u.name for u in matrix.units_without_entries] == ["Xã Khuất Xá"]


def test_each_cell_shows_age_gender_ethnicity_readiness_and_what_is_missed(sheet, superuser):
    term, tu_doan, *_ = sheet
    matrix = pool_matrix(term, ON, superuser, tu_doan)
    mai = matrix.units[0].rows[0].reserves[0]

    assert mai.summary == "1992 · 32 tuổi · Nữ · Tày"
    assert mai.young and mai.woman and mai.minority
    assert mai.readiness.level == Readiness.WITHIN_TWO_YEARS
    assert mai.readiness.missing_text == "thiếu: cao cấp LLCT"


def test_shares_per_position_and_per_unit_are_counted_against_the_rule_set_targets(
    sheet, superuser
):
    term, tu_doan, *_ = sheet
    matrix = pool_matrix(term, ON, superuser)
    block = next(b for b in matrix.units if b.unit == tu_doan)

    row_shares = block.rows[0].shares
    assert (row_shares["women"].count, row_shares["women"].total) == (1, 3)
    assert row_shares["women"].target is None
    assert block.shares["women"].target == 25 and block.shares["women"].met is True
    assert (block.shares["young"].count, block.shares["young"].met) == (1, True)
    assert (block.shares["minority"].count, block.shares["minority"].total) == (2, 3)
    assert matrix.people == 4


def test_the_term_page_shows_the_matrix_with_links_to_entries_review_and_report(
    admin_client, sheet
):
    term, tu_doan, *_, entries = sheet
    response = admin_client.get(reverse("admin:planning_planningterm_change", args=[term.pk]))
    page = response.content.decode()

    assert "Hoàng Văn Đức" in page and "Vi Văn Sơn" in page
    assert reverse("admin:planning_planningentry_change", args=[entries["young"].pk]) in page
    assert reverse("admin:planning_term_review", args=[term.pk]) + f"?unit={tu_doan.pk}" in page
    assert reverse("admin:planning_term_report", args=[term.pk]) + f"?unit={tu_doan.pk}" in page
    assert reverse("admin:planning_term_pool", args=[term.pk]) in page
    assert "thiếu: cao cấp LLCT" in page
    assert entries["young"].added_by.number in page  # the term's decisions


def test_the_term_page_reads_a_constant_number_of_queries(
    admin_client, sheet, django_assert_max_num_queries
):
    term, tu_doan, na_duong, secretary, chair, entries = sheet
    url = reverse("admin:planning_planningterm_change", args=[term.pk])
    for n in range(12):
        unit = UnitFactory(name=f"Xã Thêm {n}")
        for position in (secretary, chair):
            PlanningEntryFactory(
                added_by=entries["other"].added_by,
                unit=unit,
                position=position,
                cadre=CadreFactory(unit=unit),
            )
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200


def commune_user(django_user_model, unit):
    setup_roles()
    user = make_actor(django_user_model, "can_bo_xa", Role.COMMUNE, unit)
    return django_user_model.objects.get(pk=user.pk)


def test_a_commune_user_sees_only_their_communes_pool(client, django_user_model, sheet):
    term, tu_doan, na_duong, *_ = sheet
    client.force_login(commune_user(django_user_model, na_duong))

    page = client.get(reverse("admin:planning_planningterm_change", args=[term.pk]))
    assert page.status_code == 200
    assert "Vi Văn Sơn" in page.content.decode()
    assert "Hoàng Văn Đức" not in page.content.decode()
    assert "Xã Tú Đoạn" not in page.content.decode()

    sheet_file = client.get(reverse("admin:planning_term_pool", args=[term.pk]))
    text = cells(sheet_file.content)
    assert "Vi Văn Sơn" in text and "Hoàng Văn Đức" not in text

    review = client.get(reverse("admin:planning_term_review", args=[term.pk]), {"unit": tu_doan.pk})
    assert "Hoàng Văn Đức" not in review.content.decode()


def cells(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def test_the_xlsx_is_the_province_sheet_with_a_row_per_position_and_the_unit_totals(
    admin_client, sheet
):
    term, *_ = sheet
    response = admin_client.get(reverse("admin:planning_term_pool", args=[term.pk]), {"on": ON})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))

    assert rows[0][0] == "BAN TỔ CHỨC HUYỆN ỦY LỘC BÌNH"
    assert "DANH SÁCH QUY HOẠCH CÁN BỘ" in rows[2]
    header = rows[6]
    assert header[:6] == (
        "STT",
        "Chức danh quy hoạch",
        "Số người / tối đa",
        "Đương chức",
        "Dự nguồn 1",
        "Dự nguồn 2",
    )
    secretary = next(r for r in rows if r[1] == "Bí thư Đảng ủy xã" and r[2] == "3/3")
    assert secretary[3].startswith("Hoàng Văn Đức\n1972 · 52 tuổi · Nam · Tày")
    assert "Lương Thị Mai" in secretary[4] and "thiếu: cao cấp LLCT" in secretary[4]
    text = cells(response.content)
    assert "Cộng Xã Tú Đoạn: 3 người; nữ 1 (33%, chỉ tiêu 25%: đạt)" in text

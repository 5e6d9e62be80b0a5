"""Report 5: the planning pool per term and position, on a small district counted by hand."""

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cadres.choices import Gender
from cadres.models import Role
from cadres.roles import setup_roles
from core import reports
from core.reports import export
from planning.choices import DecisionKind, DecisionStatus, EntryRole, RemovalReason, TermLevel
from tests.conftest import make_actor
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
    PlanningTermFactory,
    PositionStandardFactory,
)

pytestmark = pytest.mark.django_db

POOL = "quy-hoach-can-bo"
ON = date(2025, 6, 30)
TERM = "2025-2030 – Cấp xã – Quy hoạch chức danh lãnh đạo, quản lý"


@pytest.fixture
def pool():
    """Communes A and B of one district, one commune term, three key positions:

    - Bí thư: A1 (woman, 33, Tày, trung cấp LLCT: ready now, reserve), A2 (man, 45, Kinh, no
      LLCT: 12 months of study, within 1-2 years, incumbent), B1 (woman, 50, Nùng, trung cấp
      LLCT: ready now, reserve);
    - Chủ tịch UBND (needs cử nhân LLCT, 48 months: later): A2 again, in A; nobody in B;
    - Chủ tịch HĐND: nobody anywhere.
    Not counted: B2, removed before the date; B3, added by a decision still in draft."""
    district = UnitFactory(name="Huyện Nhỏ", kind="district")
    a = UnitFactory(name="Xã A", parent=district)
    b = UnitFactory(name="Xã B", parent=district)
    term = PlanningTermFactory()
    PlanningTermFactory(
        name="2015-2020", start_date=date(2015, 7, 1), end_date=date(2020, 6, 30)
    )  # ended, nobody in it: no line
    secretary = PositionStandardFactory(
        position=PositionFactory(title="Bí thư Đảng ủy", is_key=True, rank=90),
        political_theory_level=level("LLCT_TRUNG_CAP"),
    ).position
    chair = PositionStandardFactory(
        position=PositionFactory(title="Chủ tịch UBND", is_key=True, rank=80),
        political_theory_level=level("LLCT_CU_NHAN"),
    ).position
    council = PositionFactory(title="Chủ tịch HĐND", is_key=True, rank=85)
    decision = PlanningDecisionFactory(term=term)

    def person(unit, gender, born, ethnic, llct=None):
        cadre = CadreFactory(unit=unit, gender=gender, birth_date=born, ethnicity=ethnicity(ethnic))
        if llct:
            QualificationFactory(cadre=cadre, level=level(llct))
            cadre.refresh_from_db()
        return cadre

    a1 = person(a, Gender.FEMALE, date(1992, 3, 1), "02", "LLCT_TRUNG_CAP")
    a2 = person(a, Gender.MALE, date(1980, 1, 1), "01")
    b1 = person(b, Gender.FEMALE, date(1975, 1, 1), "07", "LLCT_TRUNG_CAP")
    b2 = person(b, Gender.FEMALE, date(1993, 1, 1), "02")
    b3 = person(b, Gender.FEMALE, date(1994, 1, 1), "02")

    def plan(cadre, unit, position, role=EntryRole.RESERVE, added_by=decision):
        return PlanningEntryFactory(
            cadre=cadre, unit=unit, position=position, role=role, added_by=added_by
        )

    plan(a1, a, secretary)
    plan(a2, a, secretary, role=EntryRole.INCUMBENT)
    plan(a2, a, chair)
    plan(b1, b, secretary)
    removal = PlanningDecisionFactory(
        term=term, kind=DecisionKind.REMOVAL, issued_on=date(2025, 1, 15)
    )
    plan(b2, b, chair).remove(removal, RemovalReason.OWN_REQUEST)
    draft = PlanningDecisionFactory(
        term=term, kind=DecisionKind.ADDITION, status=DecisionStatus.DRAFT
    )
    plan(b3, b, council, added_by=draft)
    return {"term": term, "district": district, "a": a, "b": b, "council": council}


def run(filters=None, user=None):
    return reports.get(POOL).run({"date_to": ON.isoformat(), **(filters or {})}, ON, user=user)


FIGURES = [
    "planned",
    "women",
    "women_share",
    "women_target",
    "young",
    "young_share",
    "young_target",
    "minority",
    "minority_share",
    "minority_target",
    "ready_now",
    "ready_within",
    "ready_later",
    "gaps",
]


def figures(row) -> list:
    return [reports.value_of(row[key]) for key in FIGURES]


def by_position(result) -> dict[str, list]:
    return {row["position"]: figures(row) for row in result.rows}


def test_the_pool_counts_each_position_of_the_term_with_its_shares_readiness_and_gaps(pool):
    result = run()
    assert [(row["term"], row["position"]) for row in result.rows] == [
        (TERM, "Bí thư Đảng ủy"),
        (TERM, "Chủ tịch HĐND"),
        (TERM, "Chủ tịch UBND"),
    ]
    assert by_position(result) == {
        # planned, women (share, target), young, minority, ready now/within/later, no candidate
        "Bí thư Đảng ủy": [3, 2, 66.7, 25.0, 1, 33.3, 15.0, 2, 66.7, None, 2, 1, 0, 0],
        "Chủ tịch HĐND": [0, 0, None, 25.0, 0, None, 15.0, 0, None, None, 0, 0, 0, 2],
        "Chủ tịch UBND": [1, 0, 0.0, 25.0, 0, 0.0, 15.0, 0, 0.0, None, 0, 0, 1, 1],
    }


def test_the_totals_count_each_person_once_and_sum_readiness_and_gaps(pool):
    totals = run().totals
    assert totals["term"] == "Tổng cộng"
    # A2 is planned for two positions: three people, four entries rated.
    assert figures(totals) == [3, 2, 66.7, 25.0, 1, 33.3, 15.0, 2, 66.7, None, 2, 1, 1, 3]


def test_the_pool_narrows_to_a_unit_and_to_reserves(pool):
    in_a = by_position(run({"unit": pool["a"].pk}))
    assert in_a["Bí thư Đảng ủy"][0] == 2
    assert [row[-1] for row in in_a.values()] == [0, 1, 0]
    reserves = by_position(run({"role": EntryRole.RESERVE}))
    assert reserves["Bí thư Đảng ủy"][:2] == [2, 2]
    assert reserves["Bí thư Đảng ủy"][10:13] == [2, 0, 0]
    # A2 is the incumbent, A1 and B1 the reserves: both communes still have a reserve secretary.
    assert reserves["Bí thư Đảng ủy"][-1] == 0


def test_a_level_without_terms_has_no_lines(pool):
    assert run({"level": TermLevel.DISTRICT}).rows == []


def listed(client, url: str, people: bool = False) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    rows = response.context["cl"].queryset
    return rows.values("cadre").distinct().count() if people else rows.count()


PEOPLE = {"planned", "women", "young", "minority"}


@pytest.mark.parametrize("filters", [{}, {"unit": "a"}, {"role": EntryRole.RESERVE}])
def test_every_figure_links_to_a_list_of_exactly_the_rows_it_counts(admin_client, pool, filters):
    if "unit" in filters:
        filters = {"unit": pool["a"].pk}
    result = run(filters)
    checked = 0
    for row in result.rows:
        for key in FIGURES:
            cell = row[key]
            if isinstance(cell, reports.Cell) and cell.url:
                assert listed(admin_client, cell.url) == cell.value, (row["position"], key)
                checked += 1
    # The totals count people once: their list holds each of their planned positions.
    for key in FIGURES:
        cell = result.totals[key]
        if isinstance(cell, reports.Cell) and cell.url:
            assert listed(admin_client, cell.url, people=key in PEOPLE) == cell.value, key
            checked += 1
    assert checked >= 30


def test_the_no_candidate_figure_lists_the_communes_without_anyone(admin_client, pool):
    row = next(r for r in run().rows if r["position"] == "Chủ tịch UBND")
    response = admin_client.get(row["gaps"].url)
    assert [unit.name for unit in response.context["cl"].queryset] == ["Xã B"]


def test_the_report_page_answers_in_a_fixed_number_of_queries(
    admin_client, pool, django_assert_max_num_queries
):
    url = reverse("reports:detail", args=[POOL])
    with django_assert_max_num_queries(15):
        response = admin_client.get(url, {"date_to": ON.isoformat()})
    assert response.status_code == 200
    first = response.content.decode().count("/admin/planning/planningentry/?")
    for n in range(10):
        PlanningEntryFactory(
            added_by=PlanningDecisionFactory(term=pool["term"]),
            unit=pool["a"],
            position=pool["council"],
            cadre=CadreFactory(unit=pool["a"], cccd=f"02009900{n:04d}"),
        )
    cache.clear()  # computed again (these writes are never committed to raise the versions)
    with django_assert_max_num_queries(15):
        response = admin_client.get(url, {"date_to": ON.isoformat()})
    assert response.status_code == 200
    assert response.content.decode().count("/admin/planning/planningentry/?") == first


def test_the_report_downloads_as_xlsx_in_the_province_layout_and_as_csv(admin_client, pool):
    url = reverse("reports:detail", args=[POOL])
    response = admin_client.get(url, {"date_to": ON.isoformat(), "format": "xlsx"})
    assert response["Content-Type"] == export.FORMATS["xlsx"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[3][0] == "CƠ CẤU, CHẤT LƯỢNG NGUỒN QUY HOẠCH CÁN BỘ"
    header = next(i for i, row in enumerate(rows) if row[0] == "Nhiệm kỳ quy hoạch")
    assert rows[header + 1][:4] == [TERM, "Bí thư Đảng ủy", 3, 2]
    assert rows[header + 4][0] == "Tổng cộng"
    assert rows[header + 4][12:16] == [2, 1, 1, 3]

    response = admin_client.get(url, {"date_to": ON.isoformat(), "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["Nhiệm kỳ quy hoạch", "Chức danh", "Số người quy hoạch"]
    assert lines[1][:5] == [TERM, "Bí thư Đảng ủy", "3", "2", "66.7"]


def test_the_command_writes_the_report_with_its_own_filters(pool, tmp_path):
    out = io.StringIO()
    call_command(
        "report",
        POOL,
        "--to",
        ON.isoformat(),
        "--filter",
        f"term={pool['term'].pk}",
        "--filter",
        "role=reserve",
        "--format",
        "csv",
        stdout=out,
    )
    lines = list(csv.reader(io.StringIO(out.getvalue().lstrip("\ufeff"))))
    assert lines[1][:4] == [TERM, "Bí thư Đảng ủy", "2", "2"]
    target = tmp_path / "pool.xlsx"
    call_command("report", POOL, "--to", ON.isoformat(), "--output", str(target))
    assert load_workbook(target).active["A4"].value.startswith("CƠ CẤU")


def test_a_commune_officer_counts_only_the_pool_of_their_commune(pool, django_user_model):
    setup_roles()
    user = make_actor(django_user_model, "xa-a", Role.COMMUNE, pool["a"])
    user = django_user_model.objects.get(pk=user.pk)
    assert reports.get(POOL).has_permission(user)
    result = run(user=user)
    assert by_position(result)["Bí thư Đảng ủy"][0] == 2
    assert [row["gaps"].value for row in result.rows] == [0, 1, 0]
    assert reports.value_of(result.totals["planned"]) == 2

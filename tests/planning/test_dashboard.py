"""The planning panels of the admin index: pool structure, and three action lists."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cadres.choices import Gender
from cadres.models import Cadre, Role
from cadres.roles import setup_roles
from tests.conftest import make_actor
from tests.factories import CadreFactory, PositionFactory, UnitFactory
from tests.planning.factories import (
    PlanningDecisionFactory,
    PlanningEntryFactory,
    PlanningTermFactory,
    RotationFactory,
)

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def term(today):
    """A commune term running now, with two communes and two key positions."""
    return PlanningTermFactory(
        name="hiện tại",
        start_date=today - timedelta(days=400),
        end_date=today + timedelta(days=3 * 365),
    )


@pytest.fixture
def planned(term, today):
    district = UnitFactory(name="Huyện Nhỏ", kind="district")
    a = UnitFactory(name="Xã A", parent=district)
    UnitFactory(name="Xã B", parent=district)
    secretary = PositionFactory(title="Bí thư Đảng ủy", is_key=True, rank=90)
    PositionFactory(title="Chủ tịch HĐND", is_key=True, rank=80)
    decision = PlanningDecisionFactory(term=term, issued_on=today - timedelta(days=300))
    woman = PlanningEntryFactory(
        added_by=decision,
        unit=a,
        position=secretary,
        cadre=CadreFactory(full_name="Lò Thị Nữ", unit=a, gender=Gender.FEMALE),
    )
    man = PlanningEntryFactory(
        added_by=decision,
        unit=a,
        position=secretary,
        cadre=CadreFactory(full_name="Hà Văn Già", unit=a, birth_date=date(1966, 1, 1)),
    )
    # Retires within the term (a year from now), though the rules let him in back then.
    Cadre.objects.filter(pk=man.cadre_id).update(retirement_date=today + timedelta(days=365))
    return {"a": a, "woman": woman, "man": man}


def test_the_index_shows_the_pool_structure_against_its_targets(
    admin_client, planned, dashboard_html
):
    html = dashboard_html(admin_client)
    assert "Cơ cấu nguồn quy hoạch so với chỉ tiêu" in html
    assert "1/2 (50,0%)" in html  # one woman of two
    assert "/admin/planning/planningentry/?on=" in html


def test_the_index_lists_planned_cadres_retiring_before_their_term_ends(
    admin_client, planned, dashboard_html
):
    html = dashboard_html(admin_client)
    panel = html[html.index("nghỉ hưu trước khi hết nhiệm kỳ") :]
    assert "Hà Văn Già" in panel[:2000]
    assert "Lò Thị Nữ" not in panel[:2000]
    response = admin_client.get(
        reverse("admin:planning_planningentry_changelist"),
        {"retiring": "1", "on": timezone.localdate().isoformat()},
    )
    assert [e.cadre.full_name for e in response.context["cl"].queryset] == ["Hà Văn Già"]


def test_the_index_lists_key_positions_with_nobody_planned_and_where(
    admin_client, planned, dashboard_html
):
    html = dashboard_html(admin_client)
    assert "Chủ tịch HĐND – nhiệm kỳ hiện tại (Cấp xã)" in html and "(2 đơn vị)" in html
    assert "Bí thư Đảng ủy – nhiệm kỳ hiện tại (Cấp xã)" in html and "(1 đơn vị)" in html


def test_the_index_lists_rotations_ending_within_ninety_days_soonest_first(admin_client, today):
    for name, days in (("Sớm", 10), ("Muộn", 80), ("Xa", 200)):
        RotationFactory(
            cadre=CadreFactory(full_name=f"Người {name}"),
            planned_start=today - timedelta(days=300),
            planned_end=today + timedelta(days=days),
        )
    RotationFactory(
        cadre=CadreFactory(full_name="Người Đã Về"),
        planned_start=today - timedelta(days=300),
        planned_end=today + timedelta(days=5),
        actual_end=today - timedelta(days=1),
    )
    html = admin_client.get(INDEX).content.decode()
    assert html.index("Người Sớm") < html.index("Người Muộn")
    assert "Người Xa" not in html and "Người Đã Về" not in html
    assert "/admin/planning/rotation/?ending=90" in html


def test_the_planning_panels_cost_the_same_queries_with_more_rows(
    admin_client, planned, term, today, dashboard_html
):
    def index_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            dashboard_html(admin_client)
        return len(queries)

    before = index_queries()
    decision = PlanningDecisionFactory(term=term, issued_on=today - timedelta(days=30))
    for n in range(15):
        unit = UnitFactory(name=f"Xã thêm {n}", parent=planned["a"].parent)
        entry = PlanningEntryFactory(added_by=decision, unit=unit, position=planned["man"].position)
        Cadre.objects.filter(pk=entry.cadre_id).update(retirement_date=today + timedelta(days=n))
        RotationFactory(
            cadre=entry.cadre,
            planned_start=today - timedelta(days=300),
            planned_end=today + timedelta(days=n + 1),
        )
    assert index_queries() == before


def test_a_commune_officer_sees_only_their_communes_gaps(
    client, planned, django_user_model, dashboard_html
):
    setup_roles()
    user = make_actor(django_user_model, "xa-a", Role.COMMUNE, planned["a"])
    client.force_login(user)
    html = dashboard_html(client)
    assert "Chủ tịch HĐND – nhiệm kỳ hiện tại (Cấp xã)" in html and "(1 đơn vị)" in html
    assert "Bí thư Đảng ủy – nhiệm kỳ hiện tại" not in html

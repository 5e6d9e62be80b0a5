"""The dashboard framework (core.dashboard): costly panels after the page, figures cached per day
and scope until a write to what they count, and a commune user's own to-do lists."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.choices import Category
from cadres.models import Cadre, Role, StaffAssignment
from cadres.roles import setup_roles
from core import audit, dashboard
from core.models import DataVersion
from tests.factories import CadreFactory, QualificationFactory, UnitFactory
from tests.training.factories import DispatchFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")
SHARES = reverse("dashboard-panel", args=["qualification-shares"])


def cadre_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'FROM "cadres_cadre"' in q["sql"]]


def commune_user(django_user_model, unit, name="xa-a"):
    setup_roles()
    user = django_user_model.objects.create_user(name, password="Mật-khẩu-dài-123")
    StaffAssignment.objects.create(user=user, role=Role.COMMUNE, unit=unit)
    return user


def test_costly_panels_are_left_out_of_the_page_and_fetched_after_it(admin_client):
    CadreFactory()
    html = admin_client.get(INDEX).content.decode()
    assert f'data-fragment="{SHARES}?on=' in html
    assert "bar-chart" not in html.split('class="dashboard"')[1].split("</section>")[0]
    assert 'src="/static/js/dashboard.js"' in html
    fragment = admin_client.get(SHARES).content.decode()
    assert fragment.startswith('<section class="panel" id="panel-qualification-shares">')
    assert "bar-chart" in fragment


def test_a_second_look_reads_the_figures_from_the_cache_without_counting_again(
    admin_client, dashboard_html
):
    CadreFactory()
    dashboard_html(admin_client)
    with CaptureQueriesContext(connection) as queries:
        html = admin_client.get(INDEX).content.decode()
    assert "data-fragment" not in html  # every panel is in the page now
    assert "bar-chart" in html
    assert cadre_queries(queries) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_save_makes_the_cached_figures_count_again(admin_client, dashboard_html):
    cadre = CadreFactory(category=Category.CIVIL_SERVANT, unit=UnitFactory())
    Cadre.objects.update(work_start_date=None, recruitment_date=None)
    assert "0/1 (0,0%)" in dashboard_html(admin_client)
    version = DataVersion.objects.get(label="cadres").version
    QualificationFactory(cadre=cadre)  # a university degree, saved and committed
    assert DataVersion.objects.get(label="cadres").version > version
    assert "1/1 (100,0%)" in dashboard_html(admin_client)


def test_a_bulk_write_raises_the_version_only_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    tags = {d.tag for d in dashboard.dependencies() if d.app == "cadres"}
    assert {"cadres", "cadres.unit"} <= tags  # the app, and a model of it some panel counts
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dashboard.changed("cadres")
        dashboard.changed("cadres")  # once per transaction, however many writes
    assert len(callbacks) == len(tags)
    assert set(dashboard.versions(tags).values()) == {0}
    for callback in callbacks:
        callback()
    assert set(dashboard.versions(tags).values()) == {1}  # a bulk write: all of the app


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_bulk_writers_outside_the_import_engine_raise_the_versions_they_change():
    """update_with_history (plan approval, needs closed, attendances moved) and the retirement
    dates recomputed after a schedule correction write with UPDATE: no signal is sent."""
    cadre = CadreFactory(birth_date=date(1966, 3, 2), retirement_date=date(2000, 1, 1))
    retiring = "cadres.cadre:full_name,retirement_date,unit"
    before = dashboard.versions([retiring, "cadres"])  # each write below commits at once
    Cadre.objects.filter(pk=cadre.pk).refresh_retirement_dates()
    assert dashboard.versions([retiring])[retiring] > before[retiring]
    audit.update_with_history(Cadre.objects.filter(pk=cadre.pk), phone="0912345678")
    assert dashboard.versions(["cadres"])["cadres"] > before["cadres"]


def test_users_who_see_different_units_never_share_cached_figures(
    admin_client, client, django_user_model, dashboard_html
):
    commune, other = UnitFactory(name="Xã Một"), UnitFactory(name="Xã Hai")
    for unit, count in ((commune, 1), (other, 2)):
        for _ in range(count):
            CadreFactory(unit=unit, category=Category.CIVIL_SERVANT)
    Cadre.objects.update(work_start_date=None, recruitment_date=None)
    everything = dashboard_html(admin_client)
    client.force_login(commune_user(django_user_model, commune))
    own = dashboard_html(client)
    assert "/3 (" in everything
    assert "/1 (" in own and "/3 (" not in own


def test_a_commune_user_sees_what_their_commune_owes_and_each_count_opens_its_rows(
    client, django_user_model, dashboard_html
):
    commune, other = UnitFactory(name="Xã Một"), UnitFactory(name="Xã Hai")
    complete = CadreFactory(unit=commune, full_name="Lò Văn Đủ")
    QualificationFactory(cadre=complete)
    CadreFactory(unit=commune, full_name="Hà Thị Thiếu")
    CadreFactory(unit=other, full_name="Nông Văn Khác")
    late = DispatchFactory(cadre=complete, end_date=date(2024, 5, 1))
    DispatchFactory(cadre=CadreFactory(unit=other), end_date=date(2024, 5, 1))
    client.force_login(commune_user(django_user_model, commune))
    html = dashboard_html(client, on="01/06/2025")
    # Incomplete records: one of the commune's two has no training history.
    panel = html[html.index('id="panel-incomplete-records"') :]
    url = panel.split('class="count" href="')[2].split('"')[0].replace("&amp;", "&")
    assert "missing=qualifications" in url
    listed = client.get(url).context["cl"].result_list
    assert [c.full_name for c in listed] == ["Hà Thị Thiếu"]
    # Late: the commune's dispatch past its end without a result, not the other commune's.
    panel = html[html.index('id="panel-late-dispatches"') :].split("</section>")[0]
    assert "Lò Văn Đủ" in panel and panel.count("<li>") == 1
    listed = client.get(reverse("admin:training_dispatch_changelist"), {"late": "2025-06-01"})
    assert list(listed.context["cl"].result_list) == [late]
    # The district's budget and plans are not a commune's panels.
    assert "Kinh phí đào tạo" not in html and "Chỉ tiêu trên giao" not in html


def test_a_panel_the_user_may_not_see_is_not_found(client, django_user_model):
    client.force_login(commune_user(django_user_model, UnitFactory()))
    assert client.get(reverse("dashboard-panel", args=["money-per-year"])).status_code == 404
    assert client.get(reverse("dashboard-panel", args=["no-such-panel"])).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_raises_only_the_versions_of_what_it_changes():
    cadre = CadreFactory()
    tags = sorted({d.tag for d in dashboard.dependencies()})
    retiring = "cadres.cadre:full_name,retirement_date,unit"  # the "retiring soon" panel's

    def raised(write) -> set[str]:
        before = dashboard.versions(tags)
        write()  # committed: outside a transaction
        return {tag for tag, version in dashboard.versions(tags).items() if version > before[tag]}

    cadre.phone = "0912345678"
    phone_only = raised(cadre.save)
    assert "cadres" in phone_only  # the panels counting anything in the app
    assert retiring not in phone_only and "cadres.unit" not in phone_only
    cadre.full_name = "Nông Văn Mới"
    assert retiring in raised(cadre.save)
    assert raised(lambda: cadre.save(update_fields=["phone"])) == phone_only
    assert retiring in raised(lambda: CadreFactory(unit=cadre.unit))  # a new row: everything
    assert retiring in raised(cadre.delete)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_that_changes_nothing_a_panel_counts_keeps_its_cached_figures(admin_client):
    cadre = CadreFactory(full_name="Lò Văn Cũ")
    panels = {item.name: item for item in dashboard.discover()}
    on = date(2025, 6, 1)

    def key(name: str) -> str:
        item = panels[name]
        return dashboard.cache_key(item, on, ("all",), dashboard.versions(item.depends_on))

    before = {name: key(name) for name in ("retiring-soon", "qualification-shares")}
    cadre.phone = "0912345678"
    cadre.save()
    assert key("retiring-soon") == before["retiring-soon"]  # its cached figures are read again
    assert key("qualification-shares") != before["qualification-shares"]  # counts any write
    cadre.full_name = "Lò Văn Mới"
    cadre.save()
    assert key("retiring-soon") != before["retiring-soon"]

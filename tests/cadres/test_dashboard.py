import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Cadre, Role, Unit
from core import dashboard
from tests.cadres.report_data import build_district
from tests.conftest import make_actor
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def test_the_admin_index_opens_on_the_shares_against_their_targets_above_the_app_list(
    admin_client, dashboard_html
):
    build_district()
    html = dashboard_html(admin_client)
    # Today the 2025 qualification and newcomer count: 3 of 4 district civil servants.
    assert "3/4 (75,0%)" in html and "2/3 (66,7%)" in html
    assert html.count('<rect x="0" y="16"') == 6  # a track and a bar for each of three shares
    assert 'stroke="#ba2121"' in html  # target ticks
    assert html.index("bar-chart") < html.index('class="app-cadres module')  # app list below


def test_each_share_links_to_the_list_of_the_people_it_counts_as_qualified(
    admin_client, dashboard_html
):
    build_district()
    html = dashboard_html(admin_client, on="30/06/2025")
    panel = html[html.index('id="panel-qualification-shares"') :]
    link = re.search(r'<a href="(/admin/cadres/cadre/\?[^"]+meets=CM_TRUNG_CAP[^"]*)"', panel)
    assert "on=2025-06-30" in link.group(1)
    listed = admin_client.get(link.group(1).replace("&amp;", "&"))
    assert listed.context["cl"].result_count == 3  # the numerator of "3/4 (75,0%)"


def test_the_dashboard_counts_as_of_the_day_asked_for(admin_client, dashboard_html):
    build_district()
    html = dashboard_html(admin_client, on="30/06/2024")
    assert 'value="30/06/2024"' in html
    # On 30/06/2024 the upgrade (03/2025) and the newcomer (01/2025) had not happened.
    assert "1/3 (33,3%)" in html and "3/4 (75,0%)" not in html


def test_the_dashboard_lists_cadres_retiring_within_twelve_months_in_date_order(admin_client):
    today = timezone.localdate()
    soon, later, outside = (CadreFactory(full_name=n) for n in ("Lò Văn Sớm", "Hà Thị Muộn", "Xa"))
    for cadre, days in ((soon, 30), (later, 300), (outside, 400)):
        Cadre.objects.filter(pk=cadre.pk).update(retirement_date=today + timedelta(days=days))
    html = admin_client.get(INDEX).content.decode()
    assert html.index("Lò Văn Sớm") < html.index("Hà Thị Muộn")
    assert "Xa –" not in html
    assert "/admin/cadres/cadre/?retiring=1" in html


def test_apps_add_dashboard_panels_by_registering_them(admin_client):
    @dashboard.panel("Cử đi học theo năm", order=20)
    def dispatches(request, on):
        return {"chart": dashboard.BarChart(bars=[dashboard.Bar("2025", 12, "12 người")])}

    try:
        html = admin_client.get(INDEX).content.decode()
    finally:
        dashboard._panels.pop()
    assert "Cử đi học theo năm" in html and "12 người" in html


def test_bar_widths_scale_to_the_largest_value_or_the_given_maximum():
    chart = dashboard.BarChart(bars=[dashboard.Bar("a", 5, target=20), dashboard.Bar("b", 10)])
    assert [(b["width"], b["target"]) for b in chart.scaled()] == [(25.0, 100.0), (50.0, None)]
    fixed = dashboard.BarChart(bars=[dashboard.Bar("a", 50)], maximum=100)
    assert fixed.scaled()[0]["width"] == 50.0


def test_a_commune_user_sees_the_shares_of_their_commune_not_an_empty_district_one(
    client, roles, django_user_model, dashboard_html
):
    build_district()
    officer = make_actor(
        django_user_model, "can_bo_tu_doan", Role.COMMUNE, Unit.objects.get(name="Xã Tú Đoạn")
    )
    client.force_login(officer)
    panel = dashboard_html(client).split('id="panel-qualification-shares"')[1]
    panel = panel[: panel.index("</section>")]
    assert "Chủ chốt cấp xã" in panel and "Công chức cấp xã" in panel
    assert "Công chức cấp huyện" not in panel and "0/0" not in panel


def test_with_nobody_to_count_the_shares_panel_says_so(admin_client, dashboard_html):
    panel = dashboard_html(admin_client).split('id="panel-qualification-shares"')[1]
    panel = panel[: panel.index("</section>")]
    assert "<svg" not in panel and "Chưa có ai thuộc các nhóm được tính tỷ lệ" in panel

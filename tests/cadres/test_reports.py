from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cadres.models import Cadre
from core import reports
from tests.cadres.report_data import AFTER, BEFORE, EXPECTED, build_district

pytestmark = pytest.mark.django_db

SHARES = "ty-le-trinh-do"


@pytest.fixture
def district():
    return build_district()


def counts(result) -> dict[str, tuple[int, int]]:
    return {row["key"]: (row["numerator"].value, row["denominator"].value) for row in result.rows}


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_shares_count_numerators_and_denominators_from_the_histories_at_the_date(district, on):
    result = reports.get(SHARES).run({"date_to": on.isoformat()}, today=AFTER)
    assert counts(result) == EXPECTED[on]


def test_a_qualification_obtained_between_two_dates_raises_the_share_only_at_the_later_one(
    district,
):
    report = reports.get(SHARES)
    before = report.run({"date_to": BEFORE.isoformat()}, today=AFTER).rows[0]
    after = report.run({"date_to": AFTER.isoformat()}, today=AFTER).rows[0]
    assert (before["share"], after["share"]) == (33.3, 75.0)


def test_shares_narrow_to_the_chosen_unit_and_everything_under_it(district):
    result = reports.get(SHARES).run(
        {"date_to": AFTER.isoformat(), "unit": district["commune"].pk}, today=AFTER
    )
    assert counts(result) == {
        "district_civil_servants_professional": (0, 0),
        "commune_key_cadres_political_theory": (2, 3),
        "commune_civil_servants_professional": (1, 2),
    }


def test_a_share_whose_population_contradicts_the_chosen_level_has_no_figure_to_link(district):
    result = reports.get(SHARES).run(
        {"date_to": AFTER.isoformat(), "level": "commune"}, today=AFTER
    )
    district_row = result.rows[0]
    assert (district_row["denominator"].value, district_row["denominator"].url) == (0, "")
    assert district_row["share"] is None


def listed(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {cadre.pk for cadre in response.context["cl"].queryset}


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_every_figure_links_to_a_cadre_list_with_as_many_people(admin_client, district, on):
    result = reports.get(SHARES).run({"date_to": on.isoformat()}, today=AFTER)
    for row in result.rows:
        for column in ("numerator", "denominator"):
            cell = row[column]
            assert len(listed(admin_client, cell.url)) == cell.value, (row["key"], column)


def test_the_linked_list_holds_exactly_the_people_counted(admin_client, district):
    result = reports.get(SHARES).run({"date_to": AFTER.isoformat()}, today=AFTER)
    url = result.rows[0]["numerator"].url
    assert parse_qs(urlsplit(url).query)["meets"] == ["CM_TRUNG_CAP"]
    expected = {district[name].pk for name in ("graduate", "upgraded", "newcomer")}
    assert listed(admin_client, url) == expected


def test_the_report_page_shows_the_figures_with_their_links(
    admin_client, district, django_assert_max_num_queries
):
    url = reverse("reports:detail", args=[SHARES])
    with django_assert_max_num_queries(8):
        response = admin_client.get(url, {"date_to": AFTER.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tính đến ngày 30/06/2025" in html
    assert "Công chức cấp huyện có trình độ chuyên môn từ trung cấp trở lên" in html
    assert html.count('href="/admin/cadres/cadre/?') == 6


def test_the_report_page_answers_in_the_same_number_of_queries_with_more_cadres(
    admin_client, district, django_assert_max_num_queries
):
    build_more = [Cadre.objects.get(pk=district["graduate"].pk)]
    for cadre in build_more:
        for n in range(20):
            cadre.pk, cadre.cccd = None, f"0990000000{n:02d}"
            cadre.save()
    with django_assert_max_num_queries(8):
        admin_client.get(reverse("reports:detail", args=[SHARES]))


def test_the_report_list_names_every_registered_report(admin_client):
    response = admin_client.get(reverse("reports:index"))
    assert response.status_code == 200
    for report in reports.all_reports():
        assert report.title in response.content.decode()


def test_a_user_without_access_to_cadres_cannot_open_a_report(client, django_user_model):
    user = django_user_model.objects.create_user("xem", password="Mật-khẩu-dài-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("reports:detail", args=[SHARES])).status_code == 403
    assert SHARES not in client.get(reverse("reports:index")).content.decode()


def test_an_unknown_report_is_not_found(admin_client):
    assert admin_client.get(reverse("reports:detail", args=["khong-co"])).status_code == 404


def test_a_malformed_date_is_shown_as_a_form_error_and_nothing_is_counted(admin_client):
    response = admin_client.get(reverse("reports:detail", args=[SHARES]), {"date_to": "31-31"})
    assert response.status_code == 200
    assert response.context["result"].rows == []
    assert response.context["result"].filterset.errors["date_to"]


def test_downloads_of_an_invalid_filter_fall_back_to_the_screen(admin_client):
    url = reverse("reports:detail", args=[SHARES])
    response = admin_client.get(url, {"date_to": "31-31", "format": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_a_threshold_level_missing_from_the_reference_table_counts_nobody(district):
    from dataclasses import replace

    from cadres.reports import SHARES, share_counts

    unknown = replace(SHARES[1], threshold="KHONG_CO")
    assert share_counts(Cadre.objects.all(), [unknown], AFTER) == {unknown.key: (0, 3)}

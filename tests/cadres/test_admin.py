from datetime import date
from unittest.mock import patch

import pytest
from django.db.models.fields.files import FieldFile  # file inputs are posted empty
from django.urls import reverse

from cadres.choices import Category
from cadres.models import (
    Cadre,
    Unit,
    WorkHistory,
)
from core.models import BackgroundJob, ImportBatch
from tests.factories import (
    CadreFactory,
    QualificationFactory,
    UnitFactory,
    level,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")


def names_found(client, term: str) -> set[str]:
    response = client.get(CHANGELIST, {"q": term})
    assert response.status_code == 200
    return {cadre.full_name for cadre in response.context["cl"].result_list}


@pytest.mark.parametrize("term", ["nong thanh hai", "NÔNG THANH HẢI", "hai", "Hải", "THANH  hai"])
def test_search_finds_a_name_without_regard_to_accents_or_case(admin_client, cadre, term):
    CadreFactory(full_name="Hoàng Thị Lan")
    assert names_found(admin_client, term) == {"Nông Thanh Hải"}


def test_search_finds_a_cadre_by_part_of_the_cccd(admin_client, cadre):
    CadreFactory(full_name="Hoàng Thị Lan", cccd="001190000001")
    assert names_found(admin_client, "0850012") == {"Nông Thanh Hải"}


@pytest.mark.parametrize("rows", [3, 30])
def test_changelist_runs_the_same_number_of_queries_whatever_its_size(
    admin_client, django_assert_max_num_queries, rows
):
    commune = UnitFactory()
    for _ in range(rows):
        cadre = CadreFactory(unit=commune)
        QualificationFactory(cadre=cadre)
    # session, user, count, page, plus the small tables behind the list filters
    with django_assert_max_num_queries(16):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_filtering_by_a_commune_includes_its_villages(admin_client, commune):
    village = UnitFactory(name="Thôn Nà Pàn", kind="village", parent=commune)
    CadreFactory(full_name="Vi Thị Hường", unit=village)
    CadreFactory(full_name="Lý Văn Đức")
    response = admin_client.get(CHANGELIST, {"unit": commune.pk})
    assert [c.full_name for c in response.context["cl"].result_list] == ["Vi Thị Hường"]


def test_unit_page_shows_where_it_sits_and_links_to_its_cadres(admin_client, commune):
    district = UnitFactory(name="Huyện Lộc Bình", kind="district")
    commune.parent = district
    commune.save()
    response = admin_client.get(reverse("admin:cadres_unit_change", args=[commune.pk]))
    content = response.content.decode()
    assert "Huyện Lộc Bình" in content
    assert f"?unit={commune.pk}" in content


def test_adding_a_qualification_inline_updates_the_derived_level(admin_client, cadre):
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, FieldFile)}
    data.update(
        birth_date="17/05/1980",
        ethnicity=cadre.ethnicity_id,
        unit=cadre.unit_id,
        gender=cadre.gender,
        category=cadre.category,
    )
    for prefix in (
        "appointments",
        "work_history",
        "qualifications",
        "salary_steps",
        "evaluations",
        "rewards",
        "disciplines",
        "family_relations",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(
        {
            "qualifications-TOTAL_FORMS": "1",
            "qualifications-0-level": level("LLCT_CAO_CAP").pk,
            "qualifications-0-year_obtained": "2020",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cadre.refresh_from_db()
    assert cadre.political_theory_level.code == "LLCT_CAO_CAP"
    assert Unit.objects.count() >= 1 and Cadre.objects.count() == 1


@pytest.mark.parametrize(
    ("today", "spans"),
    [
        (date(2026, 12, 4), ["before-2026", "2026-2030", "2031-2035", "2066-2070"]),
        (date(2031, 1, 2), ["before-2031", "2031-2035", "2071-2075"]),
    ],
)
def test_retirement_filter_offers_five_year_spans_from_this_year(admin_client, today, spans):
    with patch("django.utils.timezone.localdate", return_value=today):
        response = admin_client.get(CHANGELIST)
    page = response.content.decode()
    for span in spans:
        assert f"retires={span}" in page
    assert page.count("retires=") == 10  # "before" and nine spans, not one link per year


def test_retirement_filter_lists_the_years_of_the_chosen_span_and_filters_by_them(admin_client):
    CadreFactory(full_name="Về năm 2032", birth_date=date(1970, 3, 3))  # retires 2032
    CadreFactory(full_name="Về năm 2037", birth_date=date(1975, 8, 1))  # retires 2037
    with patch("django.utils.timezone.localdate", return_value=date(2026, 12, 4)):
        span = admin_client.get(CHANGELIST, {"retires": "2031-2035"})
        year = admin_client.get(CHANGELIST, {"retires": "2032"})
        empty = admin_client.get(CHANGELIST, {"retires": "2033"})
    assert [c.full_name for c in span.context["cl"].result_list] == ["Về năm 2032"]
    assert "retires=2034" in span.content.decode()
    assert [c.full_name for c in year.context["cl"].result_list] == ["Về năm 2032"]
    assert list(empty.context["cl"].result_list) == []


def test_the_cadre_list_shows_the_short_label_of_a_long_category(admin_client):
    CadreFactory(category=Category.PART_TIME)
    page = admin_client.get(CHANGELIST).content.decode()
    rows = page[page.index('id="result_list"') : page.index("</table>")]
    assert "Không chuyên trách" in rows
    assert "Người hoạt động không chuyên trách" not in rows


def make_list_rows(name: str, count: int, owner) -> None:
    """``count`` rows of the list ``name``, each with its own cadre (or user) to catch a query
    per row."""
    for index in range(count):
        if name == "qualification":
            QualificationFactory(cadre=CadreFactory(unit=UnitFactory()), year_obtained=2000 + index)
        elif name == "workhistory":
            WorkHistory.objects.create(
                cadre=CadreFactory(unit=UnitFactory()),
                start_date=date(2000, 1, 1),
                position_title="Công chức Văn phòng - Thống kê",
                organisation="UBND xã",
            )
        else:
            user = type(owner).objects.create_user(f"{name}-{count}-{index}")
            batch = ImportBatch.objects.create(model="cadres.cadre", user=user, file_name="a.csv")
            if name == "backgroundjob":
                BackgroundJob.objects.create(
                    kind="import", title="Nhập a.csv", user=user, import_batch=batch, rows_total=9
                )


@pytest.mark.parametrize(
    "app, name",
    [
        ("cadres", "qualification"),
        ("cadres", "workhistory"),
        ("core", "backgroundjob"),
        ("core", "importbatch"),
    ],
)
def test_the_lists_of_histories_jobs_and_imports_run_the_same_queries_whatever_their_size(
    admin_client, admin_user, django_assert_max_num_queries, app, name
):
    url = reverse(f"admin:{app}_{name}_changelist")
    counts = []
    for rows in (3, 30):
        make_list_rows(name, rows - (3 if counts else 0), admin_user)
        with django_assert_max_num_queries(12) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == rows
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{name}: {counts}"

"""The unit filter of the cadre list drills down instead of listing every unit of a province."""

import pytest
from django.urls import reverse

from cadres.choices import UnitKind
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")


@pytest.fixture
def province():
    top = UnitFactory(name="Tỉnh Bắc Sơn", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Một", kind=UnitKind.DISTRICT, parent=top)
    commune = UnitFactory(name="Xã Tú Đoạn", parent=district)
    school = UnitFactory(name="Trường Tiểu học Tú Đoạn", kind=UnitKind.SCHOOL, parent=commune)
    village = UnitFactory(name="Thôn Nà Pàn", kind=UnitKind.VILLAGE, parent=commune)
    return top, district, commune, school, village


def unit_choices(client, **params) -> list[str]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    spec = next(s for s in response.context["cl"].filter_specs if s.parameter_name == "unit")
    return [label.strip("· ") for _, label in spec.lookup_choices]


def test_without_a_choice_only_the_top_and_the_units_right_under_it_are_listed(
    admin_client, province
):
    assert unit_choices(admin_client) == ["Tỉnh Bắc Sơn", "Huyện Một"]


def test_choosing_a_unit_lists_the_way_down_to_it_and_the_units_right_under_it(
    admin_client, province
):
    _, _, commune, _, _ = province
    assert unit_choices(admin_client, unit=commune.pk) == [
        "Tỉnh Bắc Sơn",
        "Huyện Một",
        "Xã Tú Đoạn",
        "Trường Tiểu học Tú Đoạn",
        "Thôn Nà Pàn",
    ]


def test_choosing_a_district_still_lists_cadres_of_its_whole_subtree(admin_client, province):
    _, district, _, school, village = province
    CadreFactory(full_name="Vi Thị Hường", unit=village)
    CadreFactory(full_name="Lý Văn Đức", unit=school)
    CadreFactory(full_name="Người Ngoài")
    response = admin_client.get(CHANGELIST, {"unit": district.pk})
    assert {c.full_name for c in response.context["cl"].result_list} == {
        "Vi Thị Hường",
        "Lý Văn Đức",
    }


def test_a_unit_value_that_is_not_a_number_is_refused_with_a_reason(admin_client):
    CadreFactory()
    response = admin_client.get(CHANGELIST, {"unit": "abc"})
    assert response.status_code == 400
    assert "Mã đơn vị “abc” không hợp lệ" in response.content.decode()

from datetime import date

import pytest

from cadres.choices import UnitKind
from cadres.models import Cadre, Unit, UnitSuccession
from cadres.models.units import UnitResolver
from cadres.resources import CadreResource, UnitWidget
from cadres.units import LOC_BINH_UNITS, load_units
from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():
    return Unit.objects.create(name="Tỉnh Lạng Sơn", code="20", kind=UnitKind.PROVINCE)


def test_loads_loc_binh_with_its_mergers(province):
    units, successions = load_units(LOC_BINH_UNITS, root=province)
    assert units == 40
    district = Unit.objects.get(code="188")
    assert district.parent == province
    # 20 communes and towns of the district before the 2025 reform (2 + 27 before 2020).
    assert Unit.objects.filter(parent=district).count() == 32
    # The seven communes of 2025 hang directly under the province: no district level.
    assert Unit.objects.filter(parent=province, valid_from=date(2025, 7, 1)).count() == 7
    assert successions == UnitSuccession.objects.count() > 20


@pytest.mark.parametrize(
    ("old_name", "on", "now"),
    [
        ("xã Tú Đoạn", date(2026, 1, 1), "Xã Na Dương"),
        ("Tú Đoạn", date(2024, 1, 1), "Xã Tú Đoạn"),
        # Tĩnh Bắc went into Tam Gia in 2024, which went into Khuất Xá in 2025.
        ("Tĩnh Bắc", date(2026, 1, 1), "Xã Khuất Xá"),
        ("Tĩnh Bắc", date(2025, 1, 1), "Xã Tam Gia"),
        # A reused code: 06544 was Xuân Mãn until 2019, then Khánh Xuân, now part of Lộc Bình.
        ("Xuân Mãn", date(2022, 1, 1), "Xã Khánh Xuân"),
        ("Xuân Mãn", date(2026, 1, 1), "Xã Lộc Bình"),
        ("06562", date(2026, 1, 1), "Xã Na Dương"),
    ],
)
def test_an_old_unit_name_or_code_resolves_to_the_unit_of_the_day(province, old_name, on, now):
    load_units(LOC_BINH_UNITS, root=province)
    assert Unit.objects.resolve(old_name, on=on).name == now


def test_loading_twice_creates_nothing_new(province):
    load_units(LOC_BINH_UNITS, root=province)
    assert load_units(LOC_BINH_UNITS, root=province) == (0, 0)


def test_loads_a_provinces_current_communes_with_official_codes():
    from django.core.management import call_command

    call_command("load_province_units", "20")
    province = Unit.objects.get(code="20")
    assert province.name == "Tỉnh Lạng Sơn"
    na_duong = Unit.objects.get(code="06526", valid_from=date(2025, 7, 1))
    assert na_duong.name == "Xã Na Dương" and na_duong.parent == province
    count = Unit.objects.filter(parent=province).count()
    call_command("load_province_units", "20")
    assert Unit.objects.filter(parent=province).count() == count == 65


def test_an_old_name_missing_from_the_tree_resolves_through_the_national_table():
    from cadres.units import load_province_units

    province, _ = load_province_units(20)
    Unit.objects.create(
        name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, parent=province, valid_to=date(2025, 6, 30)
    )
    resolved = Unit.objects.resolve("Xã Tú Đoạn", on=date(2026, 1, 1))
    assert resolved is not None and resolved.name == "Xã Na Dương"


@pytest.mark.parametrize(
    ("text", "on", "name", "kind"),
    [
        # Bypass found on the demo: the town resolved to the district in 2023 ...
        ("Thị trấn Lộc Bình", date(2023, 5, 1), "Thị trấn Lộc Bình", UnitKind.TOWN),
        # ... and the district to the 2025 commune today.
        ("Huyện Lộc Bình", date(2026, 1, 1), "Huyện Lộc Bình", UnitKind.DISTRICT),
        ("Huyện Lộc Bình", date(2023, 5, 1), "Huyện Lộc Bình", UnitKind.DISTRICT),
        ("Thị trấn Lộc Bình", date(2026, 1, 1), "Xã Lộc Bình", UnitKind.COMMUNE),
        ("Xã Lộc Bình", date(2026, 1, 1), "Xã Lộc Bình", UnitKind.COMMUNE),
        ("thi tran Loc Binh", date(2023, 5, 1), "Thị trấn Lộc Bình", UnitKind.TOWN),
        # Without its kind, a name shared by a district and a commune-level unit is the latter.
        ("Lộc Bình", date(2023, 5, 1), "Thị trấn Lộc Bình", UnitKind.TOWN),
    ],
)
@pytest.mark.parametrize("how", ["manager", "resolver"])
def test_a_unit_name_resolves_by_its_kind_and_the_date(province, text, on, name, kind, how):
    from cadres.units import UnitResolver

    load_units(LOC_BINH_UNITS, root=province)
    if how == "manager":
        unit = Unit.objects.resolve(text, on=on)
    else:
        unit = UnitResolver(on=date(2000, 1, 1)).resolve(text, on=on)
    assert (unit.name, unit.kind) == (name, kind)


def test_a_new_unit_stands_for_the_units_that_existed_before_its_mergers(province):
    load_units(LOC_BINH_UNITS, root=province)
    for unit in Unit.objects.filter(valid_from=date(2025, 7, 1)):
        before = unit.predecessors_on(date(2024, 6, 1))
        assert before, unit
        assert all(old.is_active(date(2024, 6, 1)) for old in before)
        # A unit merged in 2020 is reached through the commune it formed, not listed itself.
        assert all(old.valid_to >= date(2024, 6, 1) for old in before)
    # Before the 2020 mergers: the communes merged then are reached through two mergers.
    in_2019 = {
        old.pk
        for unit in Unit.objects.filter(valid_from=date(2025, 7, 1))
        for old in unit.predecessors_on(date(2019, 6, 1))
    }
    assert Unit.objects.filter(pk__in=in_2019, valid_to__lt=date(2024, 6, 1)).exists()
    some_2025_unit = Unit.objects.filter(valid_from=date(2025, 7, 1)).first()
    assert some_2025_unit.predecessors_on(date(2025, 7, 1)) == []


@pytest.fixture
def two_ban_keo():
    """Two villages of one name in two communes, as after the 2025 mergers."""
    district = UnitFactory(
        name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, valid_to=date(2025, 6, 30)
    )
    tu_doan = UnitFactory(name="Xã Tú Đoạn", parent=district)
    na_duong = UnitFactory(name="Xã Na Dương")
    villages = [
        UnitFactory(name="Thôn Bản Kéo", kind=UnitKind.VILLAGE, parent=commune)
        for commune in (tu_doan, na_duong)
    ]
    return tu_doan, na_duong, villages


def test_a_name_two_units_share_on_the_day_is_never_guessed(two_ban_keo):
    tu_doan, na_duong, (of_tu_doan, of_na_duong) = two_ban_keo
    assert Unit.objects.resolve("Thôn Bản Kéo") is None
    resolver = UnitResolver(date(2026, 1, 1))
    assert {u.pk for u in resolver.matching("Thôn Bản Kéo")} == {of_tu_doan.pk, of_na_duong.pk}
    # Named with the commune it belongs to, however written.
    for text in ("Thôn Bản Kéo (Tú Đoạn)", "Thôn Bản Kéo, xã Tú Đoạn", "Thôn Bản Kéo - Xã Tú Đoạn"):
        assert resolver.resolve(text) == of_tu_doan, text
    assert resolver.resolve("Thôn Bản Kéo (Xã Na Dương)") == of_na_duong
    with pytest.raises(ValueError, match="Có 2 đơn vị tên “Thôn Bản Kéo”") as refused:
        UnitWidget().clean("Thôn Bản Kéo")
    assert "“Thôn Bản Kéo (Xã Tú Đoạn)”; “Thôn Bản Kéo (Xã Na Dương)”" in str(refused.value)


def test_a_commune_is_found_through_its_bodies_and_an_abolished_district_is_ignored(two_ban_keo):
    tu_doan, _, _ = two_ban_keo
    resolver = UnitResolver(date(2026, 1, 1))
    for text in ("UBND xã Tú Đoạn", "Đảng ủy xã Tú Đoạn", "Xã Tú Đoạn, huyện Lộc Bình"):
        assert resolver.resolve(text) == tu_doan, text
    assert resolver.resolve("Thôn Bản Kéo (Xã Khác Hẳn)") is None


def test_an_exported_village_of_a_shared_name_imports_back_to_the_same_village(two_ban_keo):
    _, na_duong, (_, of_na_duong) = two_ban_keo
    cadre = CadreFactory(unit=of_na_duong, cccd="020085009999")
    exported = CadreResource().export(queryset=Cadre.objects.filter(pk=cadre.pk))
    assert exported.dict[0]["Đơn vị công tác"] == "Thôn Bản Kéo (Xã Na Dương)"
    resource = CadreResource()
    data = exported.csv.encode()
    report = run_import(resource, read_file(data, "xuat.csv", resource), write=True)
    assert report.summary() == "new 0, updated 0, unchanged 1, rejected 0"


def test_villages_of_one_name_in_one_commune_are_told_apart_by_their_code(two_ban_keo):
    tu_doan, _, (of_tu_doan, _) = two_ban_keo
    twin = UnitFactory(name="Thôn Bản Kéo", kind=UnitKind.VILLAGE, parent=tu_doan, code="T2")
    resolver = UnitResolver(date(2026, 1, 1))
    assert resolver.resolve("Thôn Bản Kéo (Tú Đoạn)") is None
    assert resolver.resolve("Thôn Bản Kéo (Xã Tú Đoạn, mã T2)") == twin
    assert resolver.resolve(f"Thôn Bản Kéo (mã {of_tu_doan.pk})") == of_tu_doan
    assert resolver.resolve("Thôn Khác (mã T2)") is None  # the code of another name
    cadre = CadreFactory(unit=twin, cccd="020085009998")
    exported = CadreResource().export(queryset=Cadre.objects.filter(pk=cadre.pk))
    assert exported.dict[0]["Đơn vị công tác"] == "Thôn Bản Kéo (Xã Tú Đoạn, mã T2)"
    resource = CadreResource()
    report = run_import(resource, read_file(exported.csv.encode(), "x.csv", resource), write=True)
    assert report.summary() == "new 0, updated 0, unchanged 1, rejected 0"

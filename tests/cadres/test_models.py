import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cadres.choices import Gender, UnitKind
from cadres.models import Cadre, Unit, UnitSuccession, qualified_on_q
from cadres.models.cadres import cccd_validator
from tests.factories import (
    AppointmentFactory,
    CadreFactory,
    QualificationFactory,
    UnitFactory,
    level,
)

pytestmark = pytest.mark.django_db


def errors_of(obj) -> dict:
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize("cccd", ["02008500123", "0200850012345", "02008500123A", "020 085 0012"])
def test_rejects_a_cccd_that_is_not_exactly_twelve_digits(cccd):
    cadre = CadreFactory.build(cccd=cccd, unit=UnitFactory())
    assert "12 chữ số" in errors_of(cadre)["cccd"][0]


def test_checks_a_cccd_with_a_pattern_compiled_once():
    # Django's lazy pattern cost an import 5 µs per row; the messages above are unchanged.
    assert isinstance(cccd_validator.regex, re.Pattern)
    assert cccd_validator.regex.pattern == r"^\d{12}$"


def test_keeps_the_leading_zero_of_a_cccd(cadre):
    cadre.refresh_from_db()
    assert cadre.cccd == "020085001234"


def test_rejects_a_cccd_already_on_another_record(cadre):
    other = CadreFactory.build(cccd=cadre.cccd, unit=cadre.unit)
    assert "đã có trong hồ sơ" in errors_of(other)["cccd"][0]


def test_rejects_a_birth_date_in_the_future():
    cadre = CadreFactory.build(birth_date=date(2999, 1, 1), unit=UnitFactory())
    assert "Ngày sinh" in errors_of(cadre)["birth_date"][0]


def test_rejects_joining_the_party_before_eighteen():
    cadre = CadreFactory.build(
        birth_date=date(1990, 6, 1), party_join_date=date(2008, 5, 31), unit=UnitFactory()
    )
    assert "18 tuổi" in errors_of(cadre)["party_join_date"][0]


def test_rejects_official_membership_before_joining():
    cadre = CadreFactory.build(
        party_join_date=date(2010, 5, 1), party_official_date=date(2010, 4, 1), unit=UnitFactory()
    )
    assert "sau ngày vào Đảng" in errors_of(cadre)["party_official_date"][0]


def test_rejects_overlapping_appointments_to_the_same_position():
    first = AppointmentFactory(start_date=date(2020, 1, 1), end_date=date(2022, 12, 31))
    second = AppointmentFactory.build(
        cadre=first.cadre, position=first.position, unit=first.unit, start_date=date(2022, 6, 1)
    )
    assert "trùng thời gian" in errors_of(second)["start_date"][0]


def test_accepts_a_new_appointment_after_the_previous_one_ended():
    first = AppointmentFactory(start_date=date(2020, 1, 1), end_date=date(2022, 12, 31))
    second = AppointmentFactory.build(
        cadre=first.cadre, position=first.position, unit=first.unit, start_date=date(2023, 1, 1)
    )
    second.full_clean()


def test_derives_retirement_date_and_search_name_on_save():
    cadre = CadreFactory(
        full_name="Nông Thanh Hải", gender=Gender.MALE, birth_date=date(1970, 3, 3)
    )
    assert cadre.retirement_date == date(2032, 3, 31)
    assert cadre.search_name == "nong thanh hai"


def test_current_level_follows_the_highest_qualification_of_its_track(cadre):
    QualificationFactory(cadre=cadre, level=level("CM_TRUNG_CAP"), year_obtained=2002)
    master = QualificationFactory(cadre=cadre, level=level("CM_THAC_SI"), major="Luật")
    QualificationFactory(cadre=cadre, level=level("LLCT_SO_CAP"))
    cadre.refresh_from_db()
    assert cadre.professional_level.code == "CM_THAC_SI"
    assert cadre.professional_major == "Luật"
    assert cadre.political_theory_level.code == "LLCT_SO_CAP"

    master.delete()
    cadre.refresh_from_db()
    assert cadre.professional_level.code == "CM_TRUNG_CAP"


def test_bulk_refresh_gives_the_same_levels_as_a_single_save(cadre):
    QualificationFactory(cadre=cadre, level=level("LLCT_TRUNG_CAP"))
    Cadre.objects.filter(pk=cadre.pk).update(political_theory_level=None)
    Cadre.objects.all().refresh_current_levels()
    cadre.refresh_from_db()
    assert cadre.political_theory_level.code == "LLCT_TRUNG_CAP"


def test_a_commune_and_its_villages_form_a_subtree():
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT)
    commune = UnitFactory(name="Xã Tú Đoạn", parent=district)
    village = UnitFactory(name="Thôn Nà Pàn", kind=UnitKind.VILLAGE, parent=commune)
    elsewhere = UnitFactory(name="Xã Khuất Xá", parent=district)
    assert set(Unit.objects.descendants_of(commune)) == {commune, village}
    assert village.level == "village" and commune.level == "commune"
    inside = CadreFactory(unit=village)
    CadreFactory(unit=elsewhere)
    assert list(Cadre.objects.in_unit(commune)) == [inside]


def test_moving_a_unit_moves_its_subtree():
    a, b = UnitFactory(kind=UnitKind.DISTRICT), UnitFactory(kind=UnitKind.DISTRICT)
    commune = UnitFactory(parent=a)
    village = UnitFactory(kind=UnitKind.VILLAGE, parent=commune)
    commune.parent = b
    commune.save()
    village.refresh_from_db()
    assert village.path.startswith(b.path)
    assert list(Unit.objects.descendants_of(b)) == [b, commune, village]


def test_an_old_unit_name_resolves_to_its_successor():
    old = UnitFactory(name="Xã Tú Đoạn", valid_to=date(2025, 6, 30))
    new = UnitFactory(name="Xã Na Dương", valid_from=date(2025, 7, 1))
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_date=date(2025, 7, 1))
    for text in ["Tú Đoạn", "xã Tú Đoạn", "XA TU DOAN", "tu doan"]:
        assert Unit.objects.resolve(text, on=date(2026, 1, 1)) == new
    assert Unit.objects.resolve("Tú Đoạn", on=date(2024, 1, 1)) == old
    assert Unit.objects.resolve("Xã Không Có", on=date(2026, 1, 1)) is None


def test_a_place_name_beginning_like_a_prefix_is_not_cut():
    unit = UnitFactory(name="Xã Tĩnh Bắc")
    assert Unit.objects.resolve("Tĩnh Bắc", on=date(2024, 1, 1)) == unit


def test_the_row_keeps_the_day_its_current_level_was_first_obtained():
    cadre = CadreFactory()
    QualificationFactory(cadre=cadre, level=level("CM_TRUNG_CAP"), year_obtained=2008)
    QualificationFactory(
        cadre=cadre, level=level("CM_DAI_HOC"), year_obtained=2019, end_date=date(2019, 6, 30)
    )
    QualificationFactory(cadre=cadre, level=level("CM_DAI_HOC"), year_obtained=2022)
    cadre.refresh_from_db()
    assert cadre.professional_level.code == "CM_DAI_HOC"
    assert cadre.professional_level_since == date(2019, 6, 30)
    Cadre.objects.update(professional_level_since=None)
    Cadre.objects.filter(pk=cadre.pk).refresh_current_levels()  # the importer's bulk path
    assert Cadre.objects.get(pk=cadre.pk).professional_level_since == date(2019, 6, 30)


@pytest.mark.parametrize(
    ("threshold", "on", "qualified"),
    [
        ("CM_TRUNG_CAP", date(2007, 12, 31), False),  # nothing yet
        ("CM_TRUNG_CAP", date(2008, 12, 31), True),  # an earlier, lower degree: the history says
        ("CM_DAI_HOC", date(2015, 1, 1), False),
        ("CM_DAI_HOC", date(2019, 6, 30), True),  # the current level, from the row
        ("CM_THAC_SI", date(2025, 1, 1), False),
    ],
)
def test_qualified_on_a_day_agrees_with_the_history_whichever_way_it_is_settled(
    threshold, on, qualified
):
    cadre = CadreFactory()
    QualificationFactory(cadre=cadre, level=level("CM_TRUNG_CAP"), year_obtained=2008)
    QualificationFactory(
        cadre=cadre, level=level("CM_DAI_HOC"), year_obtained=2019, end_date=date(2019, 6, 30)
    )
    found = Cadre.objects.filter(qualified_on_q(level(threshold), on), pk=cadre.pk).exists()
    assert found is qualified

"""A small hand-built district for the report tests: who counts in each qualification share on
30/06/2024 (BEFORE) and on 30/06/2025 (AFTER), and why."""

from datetime import date

from cadres.choices import Category, Level, UnitKind
from tests.factories import (
    AppointmentFactory,
    CadreFactory,
    PositionFactory,
    QualificationFactory,
    UnitFactory,
    level,
)

BEFORE = date(2024, 6, 30)
AFTER = date(2025, 6, 30)


def build_district() -> dict:
    district = UnitFactory(name="Huyện Thử", kind=UnitKind.DISTRICT, code="999")
    agency = UnitFactory(name="Phòng Nội vụ", kind=UnitKind.AGENCY, parent=district)
    commune = UnitFactory(name="Xã Tú Đoạn", kind=UnitKind.COMMUNE, parent=district, code="9991")
    key = PositionFactory(title="Bí thư Đảng ủy xã", level=Level.COMMUNE, is_key=True)
    other = PositionFactory(title="Văn phòng - Thống kê", level=Level.COMMUNE, is_key=False)

    def civil_servant(unit, *qualifications, **fields):
        cadre = CadreFactory(unit=unit, category=Category.CIVIL_SERVANT, **fields)
        for code, year, end in qualifications:
            QualificationFactory(cadre=cadre, level=level(code), year_obtained=year, end_date=end)
        return cadre

    people = {
        # District civil servants, professional level intermediate or higher.
        "graduate": civil_servant(agency, ("CM_DAI_HOC", 2005, None)),
        "upgraded": civil_servant(
            agency, ("CM_SO_CAP", 2000, None), ("CM_TRUNG_CAP", 2025, date(2025, 3, 15))
        ),
        "unqualified": civil_servant(agency),
        "employee": CadreFactory(unit=agency, category=Category.PUBLIC_EMPLOYEE),
        "newcomer": civil_servant(
            agency, ("CM_DAI_HOC", 2010, None), work_start_date=date(2025, 1, 1)
        ),
        "retired": civil_servant(agency, ("CM_DAI_HOC", 1985, None), birth_date=date(1958, 1, 1)),
        # Commune civil servants, professional level elementary or higher.
        "clerk": civil_servant(commune, ("CM_SO_CAP", 2012, None)),
        "untrained_clerk": civil_servant(commune),
    }

    def commune_cadre(position, start, end=None, *qualifications):
        cadre = CadreFactory(unit=commune, category=Category.CADRE)
        AppointmentFactory(cadre=cadre, position=position, start_date=start, end_date=end)
        for code, year in qualifications:
            QualificationFactory(cadre=cadre, level=level(code), year_obtained=year)
        return cadre

    # Commune key cadres, political theory intermediate or higher.
    people["secretary"] = commune_cadre(key, date(2021, 1, 1), None, ("LLCT_TRUNG_CAP", 2015))
    # Only the year is known: counts from 31/12/2024.
    people["studying"] = commune_cadre(
        key, date(2021, 1, 1), None, ("LLCT_SO_CAP", 2010), ("LLCT_TRUNG_CAP", 2024)
    )
    people["former"] = commune_cadre(
        key, date(2016, 1, 1), date(2023, 12, 31), ("LLCT_TRUNG_CAP", 2015)
    )
    people["not_key"] = commune_cadre(other, date(2021, 1, 1), None, ("LLCT_CAO_CAP", 2015))
    people["elected_2025"] = commune_cadre(key, date(2025, 1, 1))
    return {"district": district, "agency": agency, "commune": commune, **people}


# (numerator, denominator) per share at each date.
EXPECTED = {
    BEFORE: {
        "district_civil_servants_professional": (1, 3),
        "commune_key_cadres_political_theory": (1, 2),
        "commune_civil_servants_professional": (1, 2),
    },
    AFTER: {
        "district_civil_servants_professional": (3, 4),
        "commune_key_cadres_political_theory": (2, 3),
        "commune_civil_servants_professional": (1, 2),
    },
}

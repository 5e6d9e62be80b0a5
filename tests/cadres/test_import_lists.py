"""The district's other lists: units with their parents, positions, appointments; and old
lists read in their own time (the units of 2012, the unit a person had then)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from cadres.choices import Category, Level, UnitKind
from cadres.models import Appointment, Cadre, Position, Unit, UnitSuccession
from cadres.resources import AppointmentResource, PositionResource, UnitResource
from core.imports.engine import read_file, run_import
from tests.factories import CadreFactory, PositionFactory, UnitFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "lists"


def load(resource, name: str, write: bool = True):
    data = (DATA / name).read_bytes()
    return run_import(resource, read_file(data, name, resource), write=write, skip_rejected=True)


@pytest.fixture
def district():
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, code="183")
    UnitFactory(name="Xã Tú Đoạn", parent=district, code="06250")
    UnitFactory(name="Xã Khuất Xá", parent=district, code="06253")
    UnitFactory(name="Văn phòng Huyện ủy", kind=UnitKind.AGENCY, parent=district)
    return district


def test_a_list_of_agencies_villages_and_schools_loads_with_parents_and_no_codes(district):
    report = load(UnitResource(), "co_quan_huyen.csv")
    assert report.summary() == "new 8, updated 0, unchanged 0, rejected 0"
    office = Unit.objects.get(name="Tổ Bảo vệ chính trị nội bộ")
    # Its parent is a row above it in the same file.
    assert office.parent.name == "Ban Tổ chức Huyện ủy"
    assert office.parent.parent == district
    assert office.path.startswith(district.path)
    assert office.level == Level.DISTRICT
    villages = Unit.objects.filter(name="Thôn Nà Pàn")
    assert {v.parent.name for v in villages} == {"Xã Tú Đoạn", "Xã Khuất Xá"}
    assert {v.level for v in villages} == {Level.VILLAGE}
    kinds = dict(Unit.objects.values_list("name", "kind"))
    assert kinds["Ban Tổ chức Huyện ủy"] == UnitKind.AGENCY
    assert kinds["Bản Chắt"] == UnitKind.VILLAGE
    assert kinds["Trường Tiểu học Tú Đoạn"] == UnitKind.SCHOOL
    assert not Unit.objects.get(name="Hội Nông dân huyện").code
    again = load(UnitResource(), "co_quan_huyen.csv")
    assert again.summary() == "new 0, updated 0, unchanged 8, rejected 0"


def test_a_list_of_positions_keeps_key_marks_and_seeds_categories(district):
    report = load(PositionResource(), "chuc_danh.csv")
    assert report.summary() == "new 6, updated 0, unchanged 0, rejected 0"
    deputy = Position.objects.get(title="Phó Chủ tịch Hội Nông dân xã")
    assert deputy.level == Level.COMMUNE  # read from "xã" in the title
    assert deputy.category == Category.PART_TIME
    secretary = Position.objects.get(title="Bí thư Đảng ủy xã")
    assert (secretary.is_key, secretary.rank, secretary.category) == (True, 100, Category.CADRE)
    assert Position.objects.get(title="Trưởng Ban Tổ chức Huyện ủy").level == Level.DISTRICT


@pytest.fixture
def merged(district):
    """Xã Hữu Khánh (until 2019) went into Xã Khánh Xuân (from 2020)."""
    old = UnitFactory(name="Xã Hữu Khánh", parent=district, valid_to=date(2019, 12, 31))
    new = UnitFactory(name="Xã Khánh Xuân", parent=district, valid_from=date(2020, 1, 1))
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_date=date(2020, 1, 1))
    for title, key in [("Chủ tịch UBND xã", True), ("Bí thư Đảng ủy xã", True)]:
        PositionFactory(title=title, level=Level.COMMUNE, is_key=key)
    return old, new


def test_appointments_name_the_units_of_their_own_time(merged):
    old, new = merged
    cadre = CadreFactory(full_name="Nông Văn Bình", cccd="020075001111", unit=new)
    report = load(AppointmentResource(), "qua_trinh_chuc_vu.csv")
    assert report.summary() == "new 3, updated 0, unchanged 0, rejected 1"
    held = {
        (a.position.title, a.unit.name, a.start_date, a.end_date)
        for a in Appointment.objects.filter(cadre=cadre)
    }
    assert held == {
        ("Chủ tịch UBND xã", "Xã Hữu Khánh", date(2011, 1, 1), date(2015, 12, 1)),
        ("Bí thư Đảng ủy xã", "Xã Hữu Khánh", date(2016, 1, 1), date(2019, 12, 1)),
        ("Bí thư Đảng ủy xã", "Xã Khánh Xuân", date(2020, 1, 1), None),
    }
    (rejected,) = report.rejected
    assert "Trưởng thôn" in rejected.errors[0]


def test_an_old_register_keeps_the_old_unit_and_a_later_one_moves_it_to_the_work_history(
    merged, capsys
):
    old, _ = merged
    PositionFactory(title="Chuyên viên", level=Level.DISTRICT)
    call_command(
        "import_cadres", str(DATA / "ho_so_2012.csv"), "--on", "2012-06-30", "--category", "CB"
    )
    cadre = Cadre.objects.get(cccd="020075001111")
    assert cadre.unit == old  # not today's successor
    (appointment,) = cadre.appointments.all()
    assert (appointment.unit, appointment.start_date) == (old, date(2005, 1, 1))
    call_command("import_cadres", str(DATA / "ho_so_2021.csv"), "--on", "2021-06-30")
    assert "updated 1" in capsys.readouterr().out
    cadre.refresh_from_db()
    assert cadre.unit.name == "Văn phòng Huyện ủy"
    (period,) = cadre.work_history.all()
    assert (period.organisation, period.position_title) == ("Xã Hữu Khánh", "Chủ tịch UBND")
    assert (period.start_date, period.end_date) == (date(2005, 1, 1), date(2021, 6, 29))


def test_the_commands_import_units_positions_and_appointments(district, capsys):
    call_command("import_cadres", str(DATA / "co_quan_huyen.csv"), "--kind", "units")
    call_command("import_cadres", str(DATA / "chuc_danh.csv"), "--kind", "positions")
    out = capsys.readouterr().out
    assert "new 8, updated 0, unchanged 0, rejected 0" in out
    assert "new 6, updated 0, unchanged 0, rejected 0" in out

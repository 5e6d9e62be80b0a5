"""``import_training KIND FILE``: the training lists from the command line, through the admin's
import code, with import_cadres's output and exit status."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import CadreFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    PolicyFactory,
)
from training.choices import PolicyKind
from training.models import Dispatch, SupportPayment

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mai(commune):
    return CadreFactory(full_name="Lộc Thị Mai", cccd="020190000222", unit=commune)


@pytest.fixture
def course():
    return CourseFactory(name="Lớp nhận thức về Đảng khóa 1", start_date=date(2024, 3, 4))


@pytest.fixture
def paid_for(cadre, mai, course):
    DispatchFactory(cadre=cadre, decision_number="125-QĐ/HU")
    AttendanceFactory(course=course, cadre=cadre)
    PolicyFactory(name="Hỗ trợ đào tạo cán bộ")
    PolicyFactory(name="Thu hút người có trình độ cao", kind=PolicyKind.ATTRACTION)


def first_lines(tmp_path, name: str, count: int) -> Path:
    """The header and the first rows of a sample list (the rows every check accepts)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()[: count + 1]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_list_with_a_rejected_row_prints_the_reasons_and_writes_nothing(cadre, mai, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_training", "dispatches", str(DATA / "cu_di_hoc.csv"))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:-1]] == ["line 4", "line 5", "line 6"]
    assert "Không có cán bộ có số CCCD “020085009999”" in out[0]
    assert out[-1] == "new 2, updated 0, unchanged 0, rejected 3"
    assert not Dispatch.objects.exists()


def test_a_clean_dispatch_list_is_written_once_and_dry_run_writes_nothing(
    tmp_path, cadre, mai, capsys
):
    path = first_lines(tmp_path, "cu_di_hoc.csv", 2)
    call_command("import_training", "dispatches", str(path), "--dry-run")
    assert not Dispatch.objects.exists()
    call_command("import_training", "dispatches", str(path))
    assert Dispatch.objects.count() == 2
    assert Dispatch.history.filter(history_type="+").count() == 2
    call_command("import_training", "dispatches", str(path))
    assert capsys.readouterr().out.splitlines() == [
        "new 2, updated 0, unchanged 0, rejected 0",
        "new 2, updated 0, unchanged 0, rejected 0",
        "new 0, updated 0, unchanged 2, rejected 0",
    ]


def test_a_class_list_imports_from_the_command_line(tmp_path, cadre, course, capsys):
    call_command(
        "import_training", "attendances", str(first_lines(tmp_path, "danh_sach_hoc_vien.csv", 3))
    )
    assert capsys.readouterr().out.splitlines() == ["new 3, updated 0, unchanged 0, rejected 0"]
    assert course.attendances.count() == 3


def test_a_payment_list_imports_from_the_command_line(tmp_path, paid_for, capsys):
    call_command("import_training", "payments", str(first_lines(tmp_path, "chi_ho_tro.csv", 3)))
    assert capsys.readouterr().out.splitlines() == ["new 3, updated 0, unchanged 0, rejected 0"]
    assert SupportPayment.objects.count() == 3


def test_a_payment_list_with_rejected_rows_exits_with_status_1(paid_for, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_training", "payments", str(DATA / "chi_ho_tro.csv"))
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.splitlines()[-1] == "new 3, updated 0, unchanged 0, rejected 2"
    assert not SupportPayment.objects.exists()

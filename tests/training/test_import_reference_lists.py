"""The district's reference lists: classes, institutions, programmes and support policies, as a
centre or the board writes them (no codes or kinds where the name says it)."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from core.imports.engine import read_file, run_import
from tests.training.factories import institution
from training.choices import CourseTopic, InstitutionKind, PolicyKind, ProgrammeTrack
from training.models import Course, Institution, Programme, SupportPolicy
from training.resources import (
    CourseResource,
    InstitutionResource,
    ProgrammeResource,
)

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "lists"


def load(resource, name: str, write: bool = True):
    data = (DATA / name).read_bytes()
    return run_import(resource, read_file(data, name, resource), write=write, skip_rejected=True)


def test_a_centre_s_class_list_loads_by_code_with_topics_from_the_names():
    report = load(CourseResource(), "lop_boi_duong_2022.csv")
    assert report.summary() == "new 4, updated 0, unchanged 0, rejected 1"
    topics = dict(Course.objects.values_list("code", "topic"))
    assert topics == {
        "BD-2022-07": CourseTopic.COMMITTEE_MEMBERS,
        "BD-2022-08": CourseTopic.MASS_MOBILISATION,
        "BD-2022-09": CourseTopic.PARTY_ADMISSION,
        "BD-2022-10": CourseTopic.ELEMENTARY_THEORY,
    }
    centre = institution("Trung tâm Chính trị huyện Lộc Bình")
    assert set(Course.objects.values_list("organiser", flat=True)) == {centre.pk}
    (rejected,) = report.rejected
    assert "Ngày kết thúc phải sau ngày bắt đầu" in rejected.errors[0]
    again = load(CourseResource(), "lop_boi_duong_2022.csv")
    assert again.summary() == "new 0, updated 0, unchanged 4, rejected 1"


def test_institutions_take_their_kind_from_their_name_and_ask_when_it_says_nothing():
    report = load(InstitutionResource(), "co_so_dao_tao.csv")
    assert report.summary() == "new 2, updated 0, unchanged 1, rejected 1"
    kinds = dict(Institution.objects.values_list("name", "kind"))
    assert (
        kinds["Trường Đại học Kinh tế và Quản trị kinh doanh - Đại học Thái Nguyên"]
        == InstitutionKind.UNIVERSITY
    )
    assert kinds["Trường Trung cấp Kỹ thuật Lạng Sơn"] == InstitutionKind.VOCATIONAL
    (rejected,) = report.rejected
    assert rejected.label == "Trung tâm Giáo dục nghề nghiệp huyện"


def test_programmes_named_only_get_a_code_a_track_and_the_level_they_grant():
    report = load(ProgrammeResource(), "chuong_trinh.csv")
    assert report.summary() == "new 2, updated 0, unchanged 1, rejected 0"
    theory = Programme.objects.get(name="Trung cấp lý luận chính trị - hành chính")
    assert theory.code == "TRUNG_CAP_LY_LUAN_CHINH_TRI_HANH_CHINH"
    assert (theory.track, theory.grants_level.code) == (
        ProgrammeTrack.POLITICAL_THEORY,
        "LLCT_TRUNG_CAP",
    )
    leadership = Programme.objects.get(name="Bồi dưỡng kỹ năng lãnh đạo cấp phòng")
    assert (leadership.track, leadership.grants_level) == (ProgrammeTrack.REFRESHER, None)


def test_support_policies_load_with_their_resolution_and_dates(capsys):
    call_command("import_training", "policies", str(DATA / "chinh_sach.csv"))
    assert "new 2, updated 0, unchanged 0, rejected 0" in capsys.readouterr().out
    attraction = SupportPolicy.objects.get(kind=PolicyKind.ATTRACTION)
    assert attraction.legal_basis == "Nghị quyết 12/2020/NQ-HĐND"
    assert attraction.valid_from == date(2020, 7, 1)
    assert attraction.valid_to is None


def test_the_command_imports_classes_institutions_and_programmes(capsys):
    for kind, name in [
        ("institutions", "co_so_dao_tao.csv"),
        ("programmes", "chuong_trinh.csv"),
        ("courses", "lop_boi_duong_2022.csv"),
    ]:
        with pytest.raises(SystemExit):
            call_command("import_training", kind, str(DATA / name), "--dry-run")
            raise SystemExit(0)  # no rejected row: the command returned normally
    out = capsys.readouterr().out
    assert "new 2, updated 0, unchanged 1, rejected 1" in out
    assert "new 2, updated 0, unchanged 1, rejected 0" in out
    assert "new 4, updated 0, unchanged 0, rejected 1" in out
    assert not Course.objects.exists()


def test_an_elementary_theory_class_gets_its_programme_when_created_and_when_updated():
    load(CourseResource(), "lop_boi_duong_2022.csv")
    elementary = Course.objects.get(code="BD-2022-10")
    assert elementary.programme.grants_level.code == "LLCT_SO_CAP"
    # A class stored without it (entered before the rule) gets it when a list changes it.
    Course.objects.filter(pk=elementary.pk).update(programme=None)
    lines = (DATA / "lop_boi_duong_2022.csv").read_text(encoding="utf-8")
    later = lines.replace(elementary.end_date.strftime("%d/%m/%Y"), "30/12/2022")
    resource = CourseResource()
    table = read_file(later.encode(), "l.csv", resource)
    report = run_import(resource, table, write=True, skip_rejected=True)
    assert report.updated == 1
    elementary.refresh_from_db()
    assert elementary.programme.grants_level.code == "LLCT_SO_CAP"

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core import reports
from party import figures
from party.models import AdmissionCandidate, CellMembershipReport, PartyCell
from tests.factories import CadreFactory, UnitFactory
from tests.party.factories import (
    AdmissionCandidateFactory,
    AdmissionTargetFactory,
    CellMembershipReportFactory,
    PartyCellFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

COVERAGE = "thon-truong-chua-co-dang-vien"


@pytest.fixture
def commune():
    return UnitFactory(name="Xã Tú Đoạn")


@pytest.fixture
def records(commune):
    village = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    neighbour = VillageFactory(name="Thôn Khòn Pát", parent=commune)
    cell = PartyCellFactory(unit=village, serves=[neighbour], secretary=CadreFactory(unit=village))
    CellMembershipReportFactory(cell=cell)
    AdmissionCandidateFactory(
        cadre=CadreFactory(unit=village),
        unit=village,
        cell=cell,
        admitted_on=date(2025, 3, 2),
        decision_number="15-QĐ/ĐU",
    )
    AdmissionTargetFactory(unit=commune)
    return cell


def build_rows(commune, rows: int) -> None:
    for index in range(rows):
        village = VillageFactory(parent=commune)
        cell = PartyCellFactory(unit=village, serves=[VillageFactory(parent=commune)])
        CellMembershipReportFactory(cell=cell, official=index)
        AdmissionCandidateFactory(
            cadre=CadreFactory(unit=village),
            unit=village,
            cell=cell,
            admitted_on=date(2025, 1, 1) + timedelta(days=index),
            decision_number="1-QĐ/ĐU",
        )
        AdmissionTargetFactory(unit=village, year=2025)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_coverage_report_runs_the_same_number_of_queries_whatever_its_size(
    admin_client, django_assert_max_num_queries, commune, rows
):
    build_rows(commune, rows)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("reports:detail", args=[COVERAGE]))
    assert response.status_code == 200


def test_the_coverage_report_computes_its_table_once_for_the_lines_and_the_totals(
    commune, monkeypatch
):
    build_rows(commune, 3)
    computed = []
    table = figures.coverage_table
    monkeypatch.setattr(figures, "coverage_table", lambda *a: computed.append(a) or table(*a))
    result = reports.get(COVERAGE).run({}, date(2025, 6, 30))
    assert len(computed) == 1
    assert result.totals["total"] == sum(row["total"] for row in result.rows)


def test_the_coverage_report_links_each_figure_to_the_list_of_those_villages(admin_client, commune):
    village = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    VillageFactory(name="Thôn Lỏng Khẻ", parent=commune)
    VillageFactory(name="Thôn Pò Làn", parent=commune)
    PartyCellFactory(unit=village, founded_on=date(2025, 2, 1))

    response = admin_client.get(
        reverse("admin:party_partycell_coverage"),
        {"on": "30/06/2025", "since": "31/12/2024"},
        follow=True,
    )

    assert response.redirect_chain[0][0].endswith(
        f"/admin/reports/{COVERAGE}/?date_to=2025-06-30&date_from=2024-12-31"
    )
    rows = {row["name"]: row for row in response.context["result"].rows}
    assert rows["Xã Tú Đoạn"]["none"].value == 2
    assert rows["Xã Tú Đoạn"]["none_since"] == 3
    assert rows["Xã Tú Đoạn"]["none_change"] == -1
    assert rows["Xã Tú Đoạn"]["own_change"] == 1
    listed = admin_client.get(rows["Xã Tú Đoạn"]["none"].url)
    assert listed.status_code == 200
    assert {u.name for u in listed.context["cl"].result_list} == {"Thôn Lỏng Khẻ", "Thôn Pò Làn"}
    on_earlier_day = admin_client.get(
        reverse("admin:party_coveredunit_changelist"), {"on": "2025-01-31", "coverage": "none"}
    )
    assert len(on_earlier_day.context["cl"].result_list) == 3


def test_a_village_links_to_the_cells_that_count_for_it(admin_client, commune):
    home = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    served = VillageFactory(name="Thôn Khòn Pát", parent=commune)
    PartyCellFactory(name="Chi bộ ghép Nà Pàn – Khòn Pát", unit=home, serves=[served])
    PartyCellFactory(name="Chi bộ khác", unit=VillageFactory(parent=commune))
    response = admin_client.get(reverse("admin:party_partycell_changelist"), {"covers": served.pk})
    assert [c.name for c in response.context["cl"].result_list] == ["Chi bộ ghép Nà Pàn – Khòn Pát"]


def test_an_officer_records_a_cell_founding_and_the_village_leaves_the_no_member_list(
    admin_client, commune
):
    village = VillageFactory(name="Thôn Lỏng Khẻ", parent=commune)
    today = timezone.localdate()
    response = admin_client.post(
        reverse("admin:party_partycell_add"),
        {
            "name": "Chi bộ thôn Lỏng Khẻ",
            "unit": village.pk,
            "secretary_name": "Hoàng Văn Tư",
            "founded_on": today.strftime("%d/%m/%Y"),
            "founding_decision": "125-QĐ/ĐU",
            "reports-TOTAL_FORMS": "1",
            "reports-INITIAL_FORMS": "0",
            "reports-0-reported_on": today.strftime("%d/%m/%Y"),
            "reports-0-official": "3",
            "reports-0-probationary": "0",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    cell = PartyCell.objects.get()
    assert cell.founded_on == today
    assert CellMembershipReport.objects.get(cell=cell).official == 3
    listed = admin_client.get(reverse("admin:party_coveredunit_changelist"), {"coverage": "own"})
    assert [u.name for u in listed.context["cl"].result_list] == ["Thôn Lỏng Khẻ"]


def test_the_cell_form_refuses_a_secretary_given_twice(admin_client, commune):
    village = VillageFactory(parent=commune)
    response = admin_client.post(
        reverse("admin:party_partycell_add"),
        {
            "name": "Chi bộ",
            "unit": village.pk,
            "secretary": CadreFactory().pk,
            "secretary_name": "Hoàng Văn Tư",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "không cả hai" in str(response.context["adminform"].form.errors["secretary_name"])


def test_the_years_figures_download_in_the_province_layout(admin_client, commune, settings):
    settings.ORGANISATION_NAME = "Ban Tổ chức Huyện ủy Lộc Bình"
    village = VillageFactory(name="Thôn Nà Pàn", parent=commune)
    VillageFactory(name="Thôn Lỏng Khẻ", parent=commune)
    cell = PartyCellFactory(unit=village, founded_on=date(2024, 5, 1))
    AdmissionTargetFactory(unit=commune, year=2024, target=4)
    AdmissionCandidateFactory(
        unit=village, cell=cell, admitted_on=date(2024, 6, 1), decision_number="3-QĐ/ĐU"
    )

    response = admin_client.get(
        reverse("admin:party_partycell_coverage"), {"on": "31/12/2024", "format": "xlsx"}
    )
    assert response.status_code == 302  # the old address hands over to the report framework
    response = admin_client.get(response["Location"])

    assert response["Content-Disposition"].endswith(f'{COVERAGE}_20241231.xlsx"')
    coverage = load_workbook(io.BytesIO(response.content)).active
    assert coverage["A1"].value == "BAN TỔ CHỨC HUYỆN ỦY LỘC BÌNH"
    assert "CHƯA CÓ ĐẢNG VIÊN" in coverage["A4"].value
    assert coverage["A5"].value == "Tính đến ngày 31/12/2024, so với ngày 31/12/2023"
    header = [c.value for c in coverage[7]]
    assert header[:3] == ["Xã, thị trấn", "Tổng số thôn, trường", "Chưa có đảng viên: ngày so sánh"]
    assert [c.value for c in coverage[8]][:5] == ["Xã Tú Đoạn", 2, 2, 1, -1]
    totals = [c.value for c in coverage[9]]
    assert totals[0] == "Tổng cộng" and totals[2:5] == [2, 1, -1]
    texts = [c.value for row in coverage.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(text.startswith("Lộc Bình, ngày") for text in texts)

    response = admin_client.get(
        reverse("reports:detail", args=["ket-nap-dang-vien"]),
        {"date_to": "2024-12-31", "format": "xlsx"},
    )
    admissions = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in admissions[8]][:4] == ["Xã Tú Đoạn", 4, 1, "25,0"]
    assert [c.value for c in admissions[9]][:3] == ["Toàn huyện", 4, 1]


def test_the_party_reports_run_from_the_command_line(commune, tmp_path):
    from django.core.management import call_command

    VillageFactory(name="Thôn Nà Pàn", parent=commune)
    out = io.StringIO()
    call_command(
        "report",
        COVERAGE,
        "--to",
        "2024-12-31",
        "--unit",
        commune.code,
        "--format",
        "csv",
        stdout=out,
    )
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[1].startswith("Xã Tú Đoạn,1,1,1,0")


def test_the_candidate_list_filters_people_overdue_for_official_membership(admin_client, commune):
    village = VillageFactory(parent=commune)
    today = timezone.localdate()
    overdue = AdmissionCandidateFactory(
        unit=village,
        cadre=CadreFactory(full_name="Lý Văn Quá Hạn"),
        admitted_on=today - timedelta(days=400),
        decision_number="1-QĐ/ĐU",
        proposed_on=today - timedelta(days=600),
    )
    AdmissionCandidateFactory(
        unit=village,
        admitted_on=today - timedelta(days=30),
        decision_number="2-QĐ/ĐU",
        proposed_on=today - timedelta(days=90),
    )
    response = admin_client.get(
        reverse("admin:party_admissioncandidate_changelist"), {"overdue": "probation"}
    )
    assert list(response.context["cl"].result_list) == [overdue]
    assert "Lý Văn Quá Hạn" in response.content.decode()
    assert AdmissionCandidate.objects.count() == 2

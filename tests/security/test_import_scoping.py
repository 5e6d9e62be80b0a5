"""Imports and exports keep to the user's units: refused rows, masked cells, scoped rows, the
export log, and history rows written by the fast import path."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import Cadre
from core.models import ExportLog

IMPORT = reverse("admin:cadres_cadre_import")
HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: str):
    file = SimpleUploadedFile("ds.csv", content.encode(), content_type="text/csv")
    return client.post(IMPORT, {"file": file})


def confirm(client, batch):
    return client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))


def reasons(report) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in report.rejected}


def test_a_commune_users_file_naming_another_communes_cadre_has_that_row_refused(
    client, officer_a, people
):
    cadre_a, _, cadre_b = people
    client.force_login(officer_a)
    content = (
        HEADER
        + "Nông Văn An Mới,020085000001,,,,,\n"
        + "Tên Bị Đổi,020085000002,,,,,\n"
        + "Người Mới,020085009999,17/05/1985,Nam,Tày,Công chức,Na Dương\n"
    )
    response = upload(client, content)
    report = response.context["report"]
    assert report.updated == 1 and report.rejected_count == 2
    refused = reasons(report)
    # Refused without telling that the CCCD is another unit's, or whose.
    assert "không có quyền nhập dòng này vào đơn vị của mình" in refused[3]
    assert "đơn vị khác" not in refused[3] and "Na Dương" not in refused[3]
    assert "không có quyền ghi hồ sơ vào đơn vị này" in refused[4]

    confirm(client, response.context["batch"])
    cadre_a.refresh_from_db()
    cadre_b.refresh_from_db()
    assert cadre_a.full_name == "Nông Văn An Mới"
    assert cadre_b.full_name == "Hoàng Thị Bình"
    assert not Cadre.objects.filter(cccd="020085009999").exists()


def test_a_commune_user_cannot_move_their_cadre_into_another_commune(client, officer_a, people):
    cadre_a, _, _ = people
    client.force_login(officer_a)
    response = upload(client, HEADER + "Nông Văn An,020085000001,,,,,Na Dương\n")
    report = response.context["report"]
    assert report.rejected_count == 1
    assert "không có quyền ghi hồ sơ vào đơn vị này" in reasons(report)[2]
    confirm(client, response.context["batch"])
    cadre_a.refresh_from_db()
    assert cadre_a.unit.name == "Xã Tú Đoạn"


def test_a_commune_user_may_add_a_cadre_to_their_own_commune(client, officer_a, people):
    client.force_login(officer_a)
    response = upload(
        client, HEADER + "Người Mới,020085009999,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
    )
    assert response.context["report"].new == 1
    confirm(client, response.context["batch"])
    assert Cadre.objects.get(cccd="020085009999").unit.name == "Xã Tú Đoạn"


def test_district_staff_import_every_unit(client, district_officer, people):
    _, _, cadre_b = people
    client.force_login(district_officer)
    response = upload(client, HEADER + "Hoàng Thị Bình Mới,020085000002,,,,,\n")
    assert response.context["report"].updated == 1
    confirm(client, response.context["batch"])
    cadre_b.refresh_from_db()
    assert cadre_b.full_name == "Hoàng Thị Bình Mới"


def test_the_fast_import_path_records_history_with_the_importing_user(client, officer_a, people):
    cadre_a, _, _ = people
    client.force_login(officer_a)
    content = (
        HEADER
        + "Nông Văn An Mới,020085000001,,,,,\n"
        + "Người Mới,020085009999,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
    )
    confirm(client, upload(client, content).context["batch"])
    changed = cadre_a.history.order_by("-history_id").first()
    assert changed.history_type == "~" and changed.full_name == "Nông Văn An Mới"
    assert changed.history_user == officer_a
    created = Cadre.objects.get(cccd="020085009999").history.get()
    assert created.history_type == "+" and created.history_user == officer_a


def export(client, layout: str, **query) -> bytes:
    return client.get(reverse("admin:cadres_cadre_export", args=[layout]), query).content


def test_an_inspectors_export_masks_the_cccd_and_party_details_and_is_logged(
    client, inspector, people
):
    client.force_login(inspector)
    text = export(client, "csv").decode("utf-8-sig")
    assert "********0002" in text and "020085000002" not in text
    assert "Bí thư chi bộ" not in text and "01/03/2005" not in text
    assert "Hoàng Thị Bình" in text
    log = ExportLog.objects.get(user=inspector)
    assert log.count == 3


def test_a_commune_users_export_holds_only_their_cadres_in_full(client, officer_a, people):
    client.force_login(officer_a)
    text = export(client, "csv").decode("utf-8-sig")
    assert "020085000001" in text and "020085000003" in text
    assert "Hoàng Thị Bình" not in text
    assert ExportLog.objects.get(user=officer_a).count == 2


def test_an_export_action_with_another_communes_id_leaves_that_row_out(client, officer_a, people):
    cadre_a, _, cadre_b = people
    client.force_login(officer_a)
    response = client.post(
        reverse("admin:cadres_cadre_changelist"),
        {"action": "export_csv", "_selected_action": [cadre_a.pk, cadre_b.pk]},
    )
    text = response.content.decode("utf-8-sig")
    assert "Nông Văn An" in text and "Hoàng Thị Bình" not in text


def test_a_commune_user_is_sent_to_a_page_they_may_see_after_their_import(
    client, officer_a, people
):
    client.force_login(officer_a)
    response = upload(client, HEADER + "Nông Văn An Mới,020085000001,,,,,\n")
    response = confirm(client, response.context["batch"])
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_a_commune_user_is_sent_to_a_page_they_may_see_after_a_background_export(
    client, officer_a, people, settings
):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client.force_login(officer_a)
    response = client.get(reverse("admin:cadres_cadre_export", args=["xlsx"]))
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_a_commune_user_does_not_see_another_users_import(client, officer_a, officer_b, people):
    client.force_login(officer_b)
    batch = upload(client, HEADER + "Hoàng Thị Bình,020085000002,,,,,\n").context["batch"]
    client.force_login(officer_a)
    page = reverse("admin:core_importbatch_change", args=[batch.pk])
    assert client.get(page).status_code in (302, 404)


def test_there_is_no_pdf_export_of_a_list(client, district_officer):
    client.force_login(district_officer)
    response = client.get(reverse("admin:cadres_cadre_export", args=["pdf"]))
    assert response.status_code == 404
    assert not ExportLog.objects.exists()

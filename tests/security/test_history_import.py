"""History imports (qualifications, work history) keep to the user's units, from the lists'
own admin pages; undoing any import is recorded with who undid it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import Cadre, Qualification, WorkHistory
from core.models import ImportBatch

QUALIFICATIONS = reverse("admin:cadres_qualification_changelist")
IMPORT = reverse("admin:cadres_qualification_import")
HEADER = "Số CCCD,Họ và tên,Loại trình độ,Trình độ,Chuyên ngành,Năm tốt nghiệp\n"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: str, url: str = IMPORT):
    file = SimpleUploadedFile("vb.csv", content.encode(), content_type="text/csv")
    return client.post(url, {"file": file})


def confirm(client, batch, model: str = "qualification"):
    return client.post(reverse(f"admin:cadres_{model}_import_confirm", args=[batch.pk]))


def test_a_commune_user_sees_the_import_button_on_the_qualification_list(client, officer_a):
    client.force_login(officer_a)
    assert IMPORT in client.get(QUALIFICATIONS).content.decode()
    assert client.get(IMPORT).status_code == 200


def test_a_commune_users_qualification_row_for_another_communes_cadre_is_refused(
    client, officer_a, people
):
    cadre_a, of_old_commune, cadre_b = people
    client.force_login(officer_a)
    response = upload(
        client,
        HEADER
        + "020085000001,Nông Văn An,LLCT,Cao cấp,,2016\n"
        + "020085000002,Hoàng Thị Bình,LLCT,Cao cấp,,2016\n"
        + "020085000003,Lương Thị Cúc,Chuyên môn,Đại học,Luật,2008\n",
    )
    report = response.context["report"]
    assert report.summary() == "new 2, updated 0, unchanged 0, rejected 1"
    assert report.rejected[0].line == 3
    assert report.rejected[0].errors == [
        "Số CCCD: bạn không có quyền nhập dòng này vào đơn vị của mình; dòng không được ghi."
    ]
    confirm(client, response.context["batch"])
    assert set(Qualification.objects.values_list("cadre__cccd", flat=True)) == {
        "020085000001",
        "020085000003",
    }
    cadre_a.refresh_from_db()
    assert cadre_a.political_theory_level.code == "LLCT_CAO_CAP"
    assert Cadre.objects.get(pk=cadre_b.pk).political_theory_level is None


def test_a_commune_user_cannot_change_another_communes_stored_qualification(
    client, officer_a, district_officer, people
):
    client.force_login(district_officer)
    confirm(client, upload(client, HEADER + "020085000002,,LLCT,Cao cấp,,2016\n").context["batch"])
    client.force_login(officer_a)
    report = upload(client, HEADER + "020085000002,,LLCT,Cao cấp,Chính trị học,2016\n").context[
        "report"
    ]
    assert report.rejected[0].errors == [
        "Văn bằng này (cùng Số CCCD, Trình độ, Năm tốt nghiệp): bạn không có quyền nhập dòng "
        "này vào đơn vị của mình; dòng không được ghi."
    ]


def test_the_qualification_list_shows_a_commune_user_only_their_cadres_rows(
    client, officer_a, district_officer, people
):
    client.force_login(district_officer)
    confirm(
        client,
        upload(
            client,
            HEADER + "020085000001,,LLCT,Cao cấp,,2016\n" + "020085000002,,LLCT,Sơ cấp,,2016\n",
        ).context["batch"],
    )
    client.force_login(officer_a)
    page = client.get(QUALIFICATIONS).content.decode()
    assert "Nông Văn An" in page and "Hoàng Thị Bình" not in page


def test_work_history_imports_from_its_own_list_with_the_same_scope(client, officer_a, people):
    client.force_login(officer_a)
    content = (
        "Số CCCD,Từ tháng năm,Đến tháng năm,Chức danh,Đơn vị\n"
        "020085000001,07/2015,,Bí thư Đảng ủy,Đảng ủy xã Tú Đoạn\n"
        "020085000002,07/2015,,Chủ tịch UBND,UBND xã Na Dương\n"
    )
    response = upload(client, content, reverse("admin:cadres_workhistory_import"))
    assert response.context["report"].summary() == "new 1, updated 0, unchanged 0, rejected 1"
    confirm(client, response.context["batch"], "workhistory")
    assert list(WorkHistory.objects.values_list("cadre__cccd", flat=True)) == ["020085000001"]


def test_undoing_a_history_import_from_the_log_is_recorded_with_who_undid_it(
    client, officer_a, district_officer, people
):
    client.force_login(officer_a)
    batch = upload(client, HEADER + "020085000001,,LLCT,Cao cấp,,2016\n").context["batch"]
    confirm(client, batch)
    client.force_login(district_officer)
    client.post(reverse("admin:core_importbatch_undo", args=[batch.pk]))
    # The log is each user's own: the district officer cannot undo the commune's import.
    assert Qualification.objects.exists()
    client.force_login(officer_a)
    client.post(reverse("admin:core_importbatch_undo", args=[batch.pk]))
    assert not Qualification.objects.exists()
    deleted = Qualification.history.get(history_type="-")
    assert deleted.history_user == officer_a
    assert ImportBatch.objects.get().status == "undone"


def test_undoing_a_cadre_import_leaves_a_history_row_per_cadre_naming_who_undid_it(
    client, officer_a, people
):
    cadre_a, _, _ = people
    client.force_login(officer_a)
    content = (
        "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"
        "Nông Văn An Mới,020085000001,,,,,\n"
        "Người Mới,020085009999,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
    )
    response = upload(client, content, reverse("admin:cadres_cadre_import"))
    batch = response.context["batch"]
    confirm(client, batch, "cadre")
    created = Cadre.objects.get(cccd="020085009999")
    client.post(reverse("admin:core_importbatch_undo", args=[batch.pk]))

    restored = cadre_a.history.order_by("-history_id").first()
    assert (restored.history_type, restored.full_name) == ("~", "Nông Văn An")
    assert restored.history_user == officer_a
    assert restored.history_change_reason == "Hoàn tác lần nhập vb.csv"
    removed = Cadre.history.filter(id=created.pk).order_by("-history_id").first()
    assert (removed.history_type, removed.history_user) == ("-", officer_a)

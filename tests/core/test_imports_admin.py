"""The import and export flow in the admin, through the test client."""

import threading
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cadres.models import Cadre
from cadres.resources import CadreResource
from core import exports
from core.imports import admin as import_admin
from core.imports.engine import read_file
from core.models import BackgroundJob, ImportBatch
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cadres_cadre_changelist")
IMPORT = reverse("admin:cadres_cadre_import")
HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"
GOOD = "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
BAD = "Hoàng Thị Lan,020190000001,1/2/1990,Nữ,Tàyy,Cán bộ,Tú Đoạn\n"


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn")


def upload(client, content: str, name: str = "ds.csv", **data):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(IMPORT, {"file": file, **data})


def staff(django_user_model, *codenames):
    user = django_user_model.objects.create_user("canbo", password="x", is_staff=True)
    perms = Permission.objects.filter(
        content_type__app_label="cadres", codename__in=["view_cadre", *codenames]
    )
    user.user_permissions.set(perms)
    return user


def test_preview_counts_rows_names_rejected_lines_and_writes_nothing(admin_client, tu_doan):
    response = upload(admin_client, HEADER + GOOD + BAD)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.summary() == "new 1, updated 0, unchanged 0, rejected 1"
    content = response.content.decode()
    assert "Không có dân tộc “Tàyy”. Có phải: Tày?" in content
    assert not Cadre.objects.exists()
    assert ImportBatch.objects.get().status == "preview"


def test_confirm_writes_the_valid_rows_and_logs_the_import(admin_client, tu_doan):
    batch = upload(admin_client, HEADER + GOOD + BAD).context["batch"]
    response = admin_client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert list(Cadre.objects.values_list("cccd", flat=True)) == ["020085001234"]
    batch.refresh_from_db()
    assert (batch.status, batch.new, batch.rejected, batch.stored_file) == ("done", 1, 1, "")


def test_rejected_rows_download_in_the_files_own_headers_with_line_and_reason(
    admin_client, tu_doan
):
    batch = upload(admin_client, HEADER + GOOD + BAD).context["batch"]
    url = reverse("admin:core_importbatch_rejected", args=[batch.pk, "csv"])
    lines = admin_client.get(url).content.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER.strip() + ",Dòng trong tệp gốc,Lý do bị từ chối"
    assert lines[1] == BAD.strip() + ",3,Dân tộc: Không có dân tộc “Tàyy”. Có phải: Tày?"


def test_reimporting_the_same_file_says_nothing_would_change(admin_client, tu_doan):
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    admin_client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))
    response = upload(admin_client, HEADER + GOOD)
    assert response.context["nothing_to_do"]
    assert response.context["earlier"] == batch
    assert "nhập lại sẽ không thay đổi gì" in response.content.decode()


def test_undo_from_the_log_entry_removes_the_import(admin_client, tu_doan):
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    admin_client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))
    page = admin_client.get(reverse("admin:core_importbatch_change", args=[batch.pk]))
    assert "Hoàn tác toàn bộ lần nhập này" in page.content.decode()
    admin_client.post(reverse("admin:core_importbatch_undo", args=[batch.pk]))
    assert not Cadre.objects.exists()


def test_an_oversized_upload_is_refused_with_a_clear_message(admin_client, settings):
    settings.IMPORT_MAX_BYTES = 20
    response = upload(admin_client, HEADER + GOOD)
    assert "Tệp quá lớn" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_only_users_with_the_import_permission_see_the_button_and_the_page(
    client, django_user_model
):
    user = staff(django_user_model)
    client.force_login(user)
    assert IMPORT not in client.get(CHANGELIST).content.decode()
    assert client.get(IMPORT).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="import_cadre"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert IMPORT in client.get(CHANGELIST).content.decode()
    assert client.get(IMPORT).status_code == 200


def test_only_users_with_the_export_permission_can_export(client, django_user_model):
    CadreFactory()
    user = staff(django_user_model)
    client.force_login(user)
    export = reverse("admin:cadres_cadre_export", args=["xlsx"])
    assert client.get(export).status_code == 403
    assert "export_xlsx" not in client.get(CHANGELIST).content.decode()
    user.user_permissions.add(Permission.objects.get(codename="export_cadre"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(export).status_code == 200
    assert "export_xlsx" in client.get(CHANGELIST).content.decode()


def test_export_of_the_filtered_changelist_holds_only_the_filtered_rows(admin_client, tu_doan):
    CadreFactory(full_name="Nông Thanh Hải", unit=tu_doan)
    CadreFactory(full_name="Hoàng Thị Lan")
    url = reverse("admin:cadres_cadre_export", args=["csv"])
    lines = admin_client.get(url, {"unit": tu_doan.pk}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert "Nông Thanh Hải" in lines[1]


def test_export_action_exports_the_selected_rows(admin_client):
    chosen = CadreFactory(full_name="Nông Thanh Hải")
    CadreFactory(full_name="Hoàng Thị Lan")
    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]}
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines] == ["Họ và tên", "Nông Thanh Hải"]


def test_rejected_rows_download_keeps_every_column_of_the_file_in_its_order(admin_client, tu_doan):
    header = "STT,Họ và tên,Số CCCD,Ghi chú của xã,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị\n"
    good = "1,Nông Thanh Hải,020085001234,đã rà soát,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
    bad = "2,Hoàng Thị Lan,020190000001,chờ bổ sung,1/2/1990,Nữ,Tàyy,Cán bộ,Tú Đoạn,,thừa\n"
    batch = upload(admin_client, header + good + bad).context["batch"]
    url = reverse("admin:core_importbatch_rejected", args=[batch.pk, "csv"])
    lines = admin_client.get(url).content.decode("utf-8-sig").splitlines()
    assert lines[0] == header.strip() + ",,,Dòng trong tệp gốc,Lý do bị từ chối"
    assert lines[1] == bad.strip() + ",3,Dân tộc: Không có dân tộc “Tàyy”. Có phải: Tày?"


def test_the_rejected_rows_of_a_workbook_resend_as_the_same_file(admin_client, tu_doan):
    headers = ["STT", "Họ và tên", "Số CCCD", "Ghi chú của xã", "Dân tộc", "Đơn vị"]
    content = exports.to_xlsx(
        headers,
        [["1", "Hoàng Thị Lan", "020190000001", "chờ bổ sung", "Tàyy", "Tú Đoạn"]],
        title_rows=["ĐẢNG BỘ XÃ TÚ ĐOẠN", ""],
    )
    file = SimpleUploadedFile("ds.xlsx", content)
    batch = admin_client.post(IMPORT, {"file": file}).context["batch"]
    url = reverse("admin:core_importbatch_rejected", args=[batch.pk, "xlsx"])
    resent = admin_client.get(url).content
    resource = CadreResource()
    table = read_file(resent, "ds-dong-bi-tu-choi.xlsx", resource)
    assert table.headers == [*headers, "Dòng trong tệp gốc", "Lý do bị từ chối"]
    assert [cell for _, cell in table.cells(table.rows[0])][:6] == [
        "1",
        "Hoàng Thị Lan",
        "020190000001",
        "chờ bổ sung",
        "Tàyy",
        "Tú Đoạn",
    ]


# --- Confirming twice (a double click, two tabs) ----------------------------------------------


def confirm(client, batch):
    url = reverse("admin:cadres_cadre_import_confirm", args=[batch.pk])
    return client.post(url, follow=True)


def test_a_second_confirm_of_the_same_preview_says_so_and_writes_nothing_again(
    admin_client, tu_doan
):
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    confirm(admin_client, batch)
    response = confirm(admin_client, batch)
    assert response.status_code == 200
    assert "Lần nhập này đã được xác nhận" in response.content.decode()
    assert Cadre.objects.count() == 1 and Cadre.history.count() == 1
    assert ImportBatch.objects.get().status == "done"


def test_a_confirm_that_read_the_preview_just_before_another_took_it_writes_nothing(
    admin_client, tu_doan, monkeypatch
):
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    # As the second request saw the batch: still a preview, read before the first committed.
    seen_before = ImportBatch.objects.get(pk=batch.pk)
    confirm(admin_client, batch)
    monkeypatch.setattr("core.imports.admin.get_object_or_404", lambda *args, **kw: seen_before)
    response = confirm(admin_client, batch)
    assert "Lần nhập này đã được xác nhận" in response.content.decode()
    assert Cadre.objects.count() == 1 and Cadre.history.count() == 1
    batch.refresh_from_db()
    assert (batch.status, batch.new) == ("done", 1)


def test_a_second_confirm_of_a_background_import_says_so_and_queues_nothing_again(
    admin_client, tu_doan, settings, monkeypatch
):
    settings.IMPORT_BACKGROUND_ROWS = 0
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    seen_before = ImportBatch.objects.get(pk=batch.pk)
    confirm(admin_client, batch)
    monkeypatch.setattr("core.imports.admin.get_object_or_404", lambda *args, **kw: seen_before)
    response = confirm(admin_client, batch)
    assert "Lần nhập này đã được xác nhận" in response.content.decode()
    assert BackgroundJob.objects.count() == 1 and Cadre.objects.count() == 1


def test_confirming_a_preview_given_up_by_the_cleanup_asks_for_the_file_again(
    admin_client, tu_doan
):
    batch = upload(admin_client, HEADER + GOOD).context["batch"]
    ImportBatch.objects.filter(pk=batch.pk).update(status="abandoned", stored_file="")
    response = confirm(admin_client, batch)
    assert "hãy tải tệp lên lại" in response.content.decode()
    assert not Cadre.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_confirms_write_the_file_once(admin_user, tu_doan, monkeypatch):
    """Two requests at once, each on its own connection (PostgreSQL: SQLite's in-memory test
    database is not shared between threads)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server")
    real_run_import = import_admin.run_import

    def slow_run_import(*args, **kwargs):
        report = real_run_import(*args, **kwargs)
        time.sleep(0.5)  # the first confirm holds its transaction open; the second arrives
        return report

    monkeypatch.setattr(import_admin, "run_import", slow_run_import)
    uploader = Client()
    uploader.force_login(admin_user)
    batch = upload(uploader, HEADER + GOOD).context["batch"]
    start, pages = threading.Barrier(2), []

    def confirm_in_a_thread():
        client = Client()
        client.force_login(admin_user)
        try:
            start.wait()
            pages.append(confirm(client, batch).content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(pages) == 2  # neither request failed
    assert sorted("Lần nhập này đã được xác nhận" in page for page in pages) == [False, True]
    assert any("Đã nhập ds.csv: thêm 1" in page for page in pages)
    assert Cadre.objects.count() == 1 and Cadre.history.count() == 1

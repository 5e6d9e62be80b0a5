"""Big imports and exports run as background tasks (core.tasks), followed in the admin."""

import csv
import io
import os
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadres.models import Cadre, Role, StaffAssignment
from cadres.roles import setup_roles, sync_groups
from core import tasks
from core.imports.batches import cleanup_imports, private_dir
from core.models import BackgroundJob, ExportLog, ImportBatch
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:cadres_cadre_import")
HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng,Đơn vị công tác\n"
ROWS = [
    "Nông Thanh Hải,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n",
    "Hoàng Thị Lan,020190000001,01/02/1990,Nữ,Tày,Cán bộ,Tú Đoạn\n",
    "Lăng Văn Minh,020088000777,03/03/1988,Nam,Nùng,Công chức,Tú Đoạn\n",
]
BAD = "Lý Thị Hoa,020190000002,1/2/1990,Nữ,Tàyy,Cán bộ,Tú Đoạn\n"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def small_thresholds(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.EXPORT_BACKGROUND_ROWS = 1


@pytest.fixture
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn")


def previewed(client, content: str) -> ImportBatch:
    from django.core.files.uploadedfile import SimpleUploadedFile

    file = SimpleUploadedFile("ds.csv", content.encode(), content_type="text/csv")
    return client.post(IMPORT, {"file": file}).context["batch"]


def confirm(client, batch):
    return client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))


def job_page(job) -> str:
    return reverse("admin:core_backgroundjob_change", args=[job.pk])


def test_an_import_over_the_threshold_runs_as_a_task_and_shows_its_result(admin_client, tu_doan):
    batch = previewed(admin_client, HEADER + "".join(ROWS) + BAD)
    response = confirm(admin_client, batch)
    job = BackgroundJob.objects.get()
    assert response.url == job_page(job)
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("import", "done", 4, 4)
    assert Cadre.objects.count() == 3
    batch.refresh_from_db()
    assert (batch.status, batch.new, batch.rejected, batch.stored_file) == ("done", 3, 1, "")
    page = admin_client.get(job_page(job)).content.decode()
    assert "thêm 3" in page and "bỏ qua 1 dòng bị từ chối" in page
    assert reverse("admin:core_importbatch_change", args=[batch.pk]) in page


def test_an_import_under_the_threshold_stays_in_the_request(admin_client, tu_doan, settings):
    settings.IMPORT_BACKGROUND_ROWS = 10
    confirm(admin_client, previewed(admin_client, HEADER + "".join(ROWS)))
    assert not BackgroundJob.objects.exists()
    assert Cadre.objects.count() == 3


def test_an_import_task_that_fails_midway_leaves_no_rows_and_can_be_retried(
    admin_client, tu_doan, monkeypatch
):
    batch = previewed(admin_client, HEADER + "".join(ROWS))
    monkeypatch.setattr("core.imports.engine.CHUNK", 1)

    def die_after_the_first_chunk(progress, rows):
        raise RuntimeError("worker lost")

    # Progress is reported after each chunk is written: the first row is in the table then.
    monkeypatch.setattr(tasks.Progress, "__call__", die_after_the_first_chunk)
    confirm(admin_client, batch)
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and "worker lost" in job.error
    assert not Cadre.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "queued" and batch.stored_file  # kept for the retry
    page = admin_client.get(job_page(job)).content.decode()
    assert "Không có dòng nào được ghi" in page and "Chạy lại" in page

    monkeypatch.undo()
    admin_client.post(reverse("admin:core_backgroundjob_retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.attempt, job.error) == ("done", 2, "")
    assert Cadre.objects.count() == 3


def test_a_queued_import_waits_for_the_worker_and_cannot_be_confirmed_twice(admin_client, tu_doan):
    from django_tasks_db.management.commands.db_worker import Worker

    batch = previewed(admin_client, HEADER + "".join(ROWS))
    with override_settings(TASKS=DATABASE_TASKS):
        confirm(admin_client, batch)
        job = BackgroundJob.objects.get()
        assert job.status == "queued" and not Cadre.objects.exists()
        again = admin_client.post(
            reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]), follow=True
        )
        assert "Lần nhập này đã được xác nhận" in again.content.decode()
        assert BackgroundJob.objects.count() == 1
        task_result = DBTaskResult.objects.get(id=job.task_id)
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        )
        worker.run_task(task_result)
    job.refresh_from_db()
    assert job.status == "done" and Cadre.objects.count() == 3
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def failed_import(admin_client, monkeypatch) -> BackgroundJob:
    batch = previewed(admin_client, HEADER + "".join(ROWS))

    def die(progress, rows):
        raise RuntimeError("worker lost")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.Progress, "__call__", die)
        confirm(admin_client, batch)
    return BackgroundJob.objects.get()


def test_the_upload_of_a_failed_import_is_kept_while_it_may_be_retried(
    admin_client, tu_doan, monkeypatch
):
    job = failed_import(admin_client, monkeypatch)
    batch = job.import_batch
    upload = private_dir() / batch.stored_file
    # Uploaded a day ago, failed just now: the cleanup (and its sweep of stray files) keeps it.
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=1))
    day_ago = (timezone.now() - timedelta(days=1)).timestamp()
    os.utime(upload, (day_ago, day_ago))
    assert cleanup_imports() == 0
    assert upload.exists()
    admin_client.post(reverse("admin:core_backgroundjob_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Cadre.objects.count() == 3
    assert not upload.exists()  # imported: removed by the import itself


def test_the_upload_of_a_failed_import_not_retried_in_time_is_removed_and_retry_refused(
    admin_client, tu_doan, monkeypatch, settings
):
    job = failed_import(admin_client, monkeypatch)
    batch = job.import_batch
    upload = private_dir() / batch.stored_file
    later = timezone.now() + timedelta(minutes=settings.IMPORT_PREVIEW_MAX_AGE_MINUTES + 1)
    assert cleanup_imports(now=later) == 1
    assert not upload.exists()
    batch.refresh_from_db()
    assert (batch.status, batch.stored_file) == ("abandoned", "")
    job.refresh_from_db()
    assert not job.may_retry(later)
    assert "hãy tải tệp lên lại" in job.error and "worker lost" in job.error
    assert "Có thể chạy lại" not in job.error
    page = admin_client.post(
        reverse("admin:core_backgroundjob_retry", args=[job.pk]), follow=True
    ).content.decode()
    assert "hãy tải tệp lên lại" in page
    assert not Cadre.objects.exists()


def test_the_upload_of_an_import_whose_worker_never_came_back_is_removed_after_the_max_age(
    admin_client, tu_doan, settings
):
    batch = previewed(admin_client, HEADER + "".join(ROWS))
    with override_settings(TASKS=DATABASE_TASKS):
        confirm(admin_client, batch)  # queued; no worker runs it
    batch.refresh_from_db()
    upload = private_dir() / batch.stored_file
    max_age = timedelta(minutes=settings.IMPORT_PREVIEW_MAX_AGE_MINUTES)
    assert cleanup_imports(now=timezone.now() + max_age - timedelta(minutes=1)) == 0
    assert upload.exists()
    assert cleanup_imports(now=timezone.now() + max_age + timedelta(minutes=1)) == 1
    assert not upload.exists()
    batch.refresh_from_db()
    assert batch.status == "abandoned"
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and "hãy tải tệp lên lại" in job.error


def test_a_retried_job_waiting_for_the_worker_is_neither_stale_nor_cleaned_up(
    admin_client, tu_doan, monkeypatch
):
    job = failed_import(admin_client, monkeypatch)
    hours_ago = timezone.now() - timedelta(hours=3)
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=hours_ago)
    ImportBatch.objects.filter(pk=job.import_batch_id).update(created_at=hours_ago)
    job.refresh_from_db()
    with override_settings(TASKS=DATABASE_TASKS):
        tasks.retry(job)  # queued; no worker runs it yet
    job.refresh_from_db()
    assert job.status == "queued" and not job.may_retry(timezone.now())
    assert cleanup_imports() == 0
    assert (private_dir() / job.import_batch.stored_file).exists()


def test_a_running_job_may_be_retried_only_once_it_has_been_silent_too_long(settings):
    settings.BACKGROUND_JOB_STALE_MINUTES = 15
    now = timezone.now()
    job = BackgroundJob(status="running", started_at=now, heartbeat_at=now - timedelta(minutes=5))
    assert not job.may_retry(now)
    job.heartbeat_at = now - timedelta(minutes=16)
    assert job.may_retry(now)
    assert not BackgroundJob(status="done", heartbeat_at=job.heartbeat_at).may_retry(now)


@pytest.fixture
def listed():
    unit = UnitFactory(name="Xã Tú Đoạn")
    CadreFactory(full_name="Nông Thanh Hải", unit=unit)
    CadreFactory(full_name="Hoàng Thị Lan", unit=unit)
    CadreFactory(full_name="Hoàng Văn Tú", unit=unit)
    CadreFactory(full_name="Hoàng Văn Khánh", unit=UnitFactory(name="Xã Yên Khoái"))
    return unit


def names_in(content: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(content)))
    column = rows[0].index("Họ và tên")
    return sorted(row[column] for row in rows[1:])


def exported_job(client, query: str = "") -> BackgroundJob:
    response = client.get(reverse("admin:cadres_cadre_export", args=["csv"]) + query)
    job = BackgroundJob.objects.get()
    assert response.url == job_page(job)
    return job


def test_a_long_export_runs_as_a_task_of_the_filtered_list(admin_client, listed):
    job = exported_job(admin_client, "?q=hoang")
    assert (job.kind, job.status, job.rows_done, job.rows_total) == ("export", "done", 3, 3)
    assert job.result_name.endswith(".csv") and job.result_file
    assert not ExportLog.objects.exists()  # nothing has left the server yet


def test_the_export_file_downloads_only_for_its_user_and_the_download_is_logged(
    admin_client, superuser, listed, django_user_model
):
    from django.test import Client

    job = exported_job(admin_client, "?q=hoang")
    download = reverse("admin:core_backgroundjob_download", args=[job.pk])
    assert "Tải tệp" in admin_client.get(job_page(job)).content.decode()

    other = django_user_model.objects.create_superuser("khac", password="x")
    client = Client()
    client.force_login(other)
    assert client.get(download).status_code == 404
    assert not ExportLog.objects.exists()

    response = admin_client.get(download)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert names_in(content) == ["Hoàng Thị Lan", "Hoàng Văn Khánh", "Hoàng Văn Tú"]
    log = ExportLog.objects.get()
    assert (log.user, log.count) == (superuser, 3)


def test_a_commune_officers_export_task_holds_only_their_commune_and_needs_the_permission(
    client, django_user_model, listed
):
    setup_roles()
    user = django_user_model.objects.create_user("can_bo_tu_doan", password="Mật-khẩu-dài-789")
    StaffAssignment.objects.create(user=user, role=Role.COMMUNE, unit=listed)
    sync_groups(user)
    client.force_login(django_user_model.objects.get(pk=user.pk))
    job = exported_job(client, "?q=hoang")
    download = reverse("admin:core_backgroundjob_download", args=[job.pk])
    content = b"".join(client.get(download).streaming_content).decode("utf-8-sig")
    assert names_in(content) == ["Hoàng Thị Lan", "Hoàng Văn Tú"]

    user.groups.clear()
    client.force_login(django_user_model.objects.get(pk=user.pk))
    assert client.get(download).status_code == 403

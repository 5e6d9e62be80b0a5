"""Background work (django-tasks): confirmed imports over IMPORT_BACKGROUND_ROWS rows and
exports of a filtered list over EXPORT_BACKGROUND_ROWS rows run in the task worker
(``manage.py db_worker``) instead of the request. Each is a :class:`BackgroundJob` the user
follows in the admin (status, rows done of total) and that holds the outcome.

An import job writes everything in one transaction, the batch's log entry included: a worker
that dies leaves nothing half-written, and the job, once stale, can be retried from the admin
with the upload it kept. An export job stores its file privately; only the user who asked may
download it, and the download is what is logged (``log_export``), like a direct export.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from core.choices import ImportStatus, JobKind, JobStatus
from core.imports.batches import (
    ALREADY_CONFIRMED,
    UPLOAD_GIVEN_UP,
    batch_import,
    batch_resource,
    finish_batch,
    private_dir,
    store_private,
    take_preview,
)
from core.imports.widgets import ImportRefused
from core.models import BackgroundJob, ImportBatch

PROGRESS_EVERY = 1000  # export rows between two progress writes


class JobRefused(ValueError):
    """The job cannot start or be retried (already queued, not stale yet)."""


# --- Progress -----------------------------------------------------------------------------


class Progress:
    """Rows done and a heartbeat, written where the admin sees them while the job runs.
    An import keeps its own connection inside one transaction until the end, so on
    PostgreSQL progress goes through a second, autocommit connection; SQLite has one writer
    at a time (a second connection would wait for the import), so there it is written only
    outside a transaction and otherwise at the end."""

    def __init__(self, job: BackgroundJob):
        self.job = job
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, rows: int) -> None:
        self.job.rows_done += rows
        self.job.heartbeat_at = timezone.now()
        values = {"rows_done": self.job.rows_done, "heartbeat_at": self.job.heartbeat_at}
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {BackgroundJob._meta.db_table} "
                    "SET rows_done = %s, heartbeat_at = %s WHERE id = %s AND attempt = %s",
                    [*values.values(), self.job.pk, self.job.attempt],
                )
        elif not connection.in_atomic_block:
            current(self.job).update(**values)

    def counted(self, rows: Iterable) -> Iterator:
        """``rows`` passed through, reporting every PROGRESS_EVERY rows."""
        pending = 0
        for row in rows:
            yield row
            pending += 1
            if pending == PROGRESS_EVERY:
                self(pending)
                pending = 0
        if pending:
            self(pending)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def current(job: BackgroundJob):
    """The job's row as long as no retry has replaced this attempt."""
    return BackgroundJob.objects.filter(pk=job.pk, attempt=job.attempt)


# --- Starting, retrying, running ------------------------------------------------------------


def enqueue(job: BackgroundJob) -> BackgroundJob:
    """Hand the job to the worker (with the immediate backend it has run when this returns)."""
    runner = {JobKind.IMPORT: import_task, JobKind.EXPORT: export_task, JobKind.RUN: run_task}[
        job.kind
    ]
    result = runner.enqueue(job.pk, job.attempt)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def import_in_background(batch: ImportBatch) -> bool:
    return batch.new + batch.updated + batch.unchanged + batch.rejected > (
        settings.IMPORT_BACKGROUND_ROWS
    )


def start_import(batch: ImportBatch, user) -> BackgroundJob:
    """Queue the confirmed import of a previewed batch; the batch leaves "preview" at once, so
    confirming twice (or the abandoned-preview cleanup) cannot touch it again."""
    if not take_preview(batch, ImportStatus.QUEUED):
        raise JobRefused(ALREADY_CONFIRMED)
    job = BackgroundJob.objects.create(
        kind=JobKind.IMPORT,
        title=f"Nhập {batch.file_name}",
        user=user,
        import_batch=batch,
        rows_total=batch.new + batch.updated + batch.unchanged + batch.rejected,
        params={"model": batch.model},
    )
    return enqueue(job)


def export_in_background(queryset) -> bool:
    limit = settings.EXPORT_BACKGROUND_ROWS
    # A bounded count: a million-row list answers as fast as a small one.
    return queryset[: limit + 1].count() > limit


def start_export(request, model_admin, layout: str, title: str) -> BackgroundJob:
    """Queue an export of the changelist as ``request`` filters it, for ``request.user``."""
    cleanup_exports()
    job = BackgroundJob.objects.create(
        kind=JobKind.EXPORT,
        title=title,
        user=request.user,
        params={
            "model": model_admin.opts.label_lower,
            "layout": layout,
            "path": request.path,
            "query": request.GET.urlencode(),
        },
    )
    return enqueue(job)


def retry(job: BackgroundJob) -> BackgroundJob:
    if job.import_batch_id is not None and job.import_batch.status == ImportStatus.ABANDONED:
        raise JobRefused(UPLOAD_GIVEN_UP)
    if not job.may_retry(timezone.now()):
        raise JobRefused("Chỉ chạy lại được việc bị lỗi hoặc đã dừng quá lâu.")
    job.attempt += 1
    job.status, job.rows_done, job.error = JobStatus.QUEUED, 0, ""
    job.started_at = job.finished_at = None
    # Queued again now: a sign of life, so the retried job is neither stale at once nor its
    # upload given up by cleanup_imports while it waits for the worker.
    job.heartbeat_at = timezone.now()
    job.save()
    return enqueue(job)


def claim(job_id: int, attempt: int) -> BackgroundJob | None:
    now = timezone.now()
    job = BackgroundJob.objects.filter(pk=job_id, attempt=attempt).first()
    if job is None or job.status not in {JobStatus.QUEUED, JobStatus.RUNNING}:
        return None  # retried since, or already finished
    job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
    current(job).update(status=job.status, started_at=now, heartbeat_at=now)
    return job


def fail(job: BackgroundJob, error: BaseException) -> None:
    if isinstance(error, ImportRefused | JobRefused):
        message = str(error)
    else:
        message = f"Lỗi hệ thống ({type(error).__name__}: {error}). Có thể chạy lại."
    current(job).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())


def model_admin_of(label: str):
    return admin.site.get_model_admin(apps.get_model(label))


@task()
def import_task(job_id: int, attempt: int) -> dict | None:
    job = claim(job_id, attempt)
    if job is None:
        return None
    progress = Progress(job)
    try:
        batch = job.import_batch
        resource = batch_resource(model_admin_of(batch.model).resource_class, batch)
        # The rows and the log entry (status, counts, what undo needs) commit together.
        with transaction.atomic():
            report = batch_import(
                batch,
                resource,
                write=True,
                skip_rejected=True,
                progress=progress,
                user=job.user,
            )
            finish_batch(batch, report)
    except BaseException as error:
        fail(job, error)
        raise
    finally:
        progress.close()
    result = {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected_count,
    }
    current(job).update(status=JobStatus.DONE, rows_done=report.total, finished_at=timezone.now())
    return result


def job_request(job: BackgroundJob):
    """The export request again, as its user, for the admin's filters and scoping."""
    request = RequestFactory().get(f"{job.params['path']}?{job.params['query']}")
    request.user = job.user
    return request


@task()
def export_task(job_id: int, attempt: int) -> dict | None:
    job = claim(job_id, attempt)
    if job is None:
        return None
    progress = Progress(job)
    try:
        request = job_request(job)
        model_admin = model_admin_of(job.params["model"])
        if not model_admin.has_export_permission(request):
            raise JobRefused("Người yêu cầu không còn quyền xuất dữ liệu này.")
        queryset = model_admin.get_changelist_instance(request).get_queryset(request)
        job.rows_total = queryset.count()
        current(job).update(rows_total=job.rows_total)
        content, _, file_name, count = model_admin.export_file(
            request, queryset, job.params["layout"], rows=progress.counted
        )
        stored = store_export(content)
    except BaseException as error:
        fail(job, error)
        raise
    finally:
        progress.close()
    current(job).update(
        status=JobStatus.DONE,
        rows_done=count,
        rows_total=count,
        result_file=stored,
        result_name=file_name,
        finished_at=timezone.now(),
    )
    return {"rows": count}


def start_run(function: str, title: str, user, **params) -> BackgroundJob:
    """Queue an app's periodic run (e.g. the yearly update of training needs from planning),
    named by its dotted path so that core names no app. The function takes the job and its
    ``params`` and returns the Vietnamese summary kept as the job's outcome."""
    job = BackgroundJob.objects.create(
        kind=JobKind.RUN, title=title, user=user, params={"function": function, **params}
    )
    return enqueue(job)


@task()
def run_task(job_id: int, attempt: int) -> dict | None:
    job = claim(job_id, attempt)
    if job is None:
        return None
    try:
        outcome = import_string(job.params["function"])(job)
    except BaseException as error:
        fail(job, error)
        raise
    current(job).update(status=JobStatus.DONE, outcome=outcome, finished_at=timezone.now())
    return {"outcome": outcome}


# --- Export files ---------------------------------------------------------------------------


def exports_dir() -> Path:
    """Finished exports: private like uploads (the admin's download view hands them out to
    the user who asked)."""
    return private_dir("exports-private")


def store_export(content: bytes) -> str:
    return store_private(content, exports_dir())


def export_path(job: BackgroundJob) -> Path | None:
    path = exports_dir() / job.result_file if job.result_file else None
    return path if path is not None and path.is_file() else None


def cleanup_exports(now=None) -> int:
    """Delete export files older than EXPORT_FILE_MAX_AGE_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.EXPORT_FILE_MAX_AGE_HOURS)
    old = BackgroundJob.objects.filter(finished_at__lt=cutoff).exclude(result_file="")
    removed = 0
    for job in old:
        (exports_dir() / job.result_file).unlink(missing_ok=True)
        removed += 1
    old.update(result_file="")
    return removed

"""The import log: the stored upload between preview and confirm, undo and cleanup."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.audit import acting_as, bulk_update_with_history
from core.choices import ImportStatus, JobStatus
from core.imports.engine import ImportReport, from_json
from core.imports.resources import BulkModelResource, resource_class_for
from core.imports.widgets import ImportRefused
from core.models import BackgroundJob, ImportBatch

# --- The log, the stored upload, undo, cleanup ------------------------------------------------


def private_dir(name: str = "imports-private") -> Path:
    """Uploads waiting for confirmation (and finished exports) hold personal data: a directory
    only the server's user can read (0700), files 0600, under MEDIA_ROOT but never served
    (random names)."""
    path = Path(settings.MEDIA_ROOT) / name
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def store_private(data: bytes, directory: Path) -> str:
    """Write ``data`` to a new file of random name, mode 0600, in ``directory``; its name."""
    name = secrets.token_hex(16)
    fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return name


def store_upload(data: bytes) -> str:
    return store_private(data, private_dir())


def load_upload(batch: ImportBatch) -> bytes:
    if not batch.stored_file:
        raise ImportRefused("Tệp tải lên không còn được lưu; hãy tải lên lại.")
    try:
        data = (private_dir() / batch.stored_file).read_bytes()
    except FileNotFoundError:
        raise ImportRefused("Tệp tải lên không còn được lưu; hãy tải lên lại.") from None
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise ImportRefused("Tệp lưu tạm đã bị thay đổi; hãy tải lên lại.")
    return data


def discard_upload(batch: ImportBatch) -> None:
    if batch.stored_file:
        (private_dir() / batch.stored_file).unlink(missing_ok=True)
        batch.stored_file = ""


def model_label(resource: BulkModelResource) -> str:
    return resource._meta.model._meta.label_lower


def batch_resource(resource_class: type[BulkModelResource], batch: ImportBatch):
    """The resource as the preview of ``batch`` was made: its file-wide choices applied."""
    return resource_class(wipe_empty=batch.wipe_empty, **batch.options.get("defaults", {}))


def batch_import(batch: ImportBatch, resource: BulkModelResource, limits: bool = True, **kwargs):
    """Read ``batch``'s stored upload with the preview's column mapping and import it with the
    values chosen to create (``run_import``'s other arguments in ``kwargs``)."""
    from core.imports.engine import read_file, run_import

    table = read_file(
        load_upload(batch),
        batch.file_name,
        resource,
        limits=limits,
        mapping=batch.options.get("mapping"),
        require_key=False,
    )
    return run_import(resource, table, create=batch.options.get("create", {}), **kwargs)


def start_batch(
    resource: BulkModelResource, data: bytes, file_name: str, user, report: ImportReport
) -> ImportBatch:
    """Log a previewed upload and keep its file for the confirm step."""
    batch = ImportBatch(
        model=model_label(resource),
        user=user,
        file_name=Path(file_name).name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        wipe_empty=resource.wipe_empty,
    )
    record_counts(batch, report)
    batch.stored_file = store_upload(data)
    batch.save()
    return batch


def record_counts(batch: ImportBatch, report: ImportReport) -> None:
    batch.new, batch.updated = report.new, report.updated
    batch.unchanged, batch.rejected = report.unchanged, report.rejected_count
    batch.rejected_rows = [
        # Pairs, not a dict: jsonb does not keep the order of keys (the file's column order).
        {"line": row.line, "errors": row.errors, "cells": row.cells}
        for row in report.rejected
    ]


ALREADY_CONFIRMED = (
    "Lần nhập này đã được xác nhận (bấm hai lần hoặc mở ở hai thẻ); dữ liệu không được ghi "
    "thêm lần nữa."
)
UPLOAD_GIVEN_UP = (
    "Tệp tải lên của lần nhập này đã được xóa vì quá hạn (không xác nhận hoặc không chạy lại "
    "kịp); hãy tải tệp lên lại."
)


def take_preview(batch: ImportBatch, status: str) -> bool:
    """Move ``batch`` out of "preview" in one ``UPDATE ... WHERE status = 'preview'``; False if
    it had left it already. Of two confirms of one preview (a double click, two tabs) only the
    first gets True: on PostgreSQL the second waits on the row's lock until the first commits,
    then matches no row; SQLite has one writer at a time. Inside the import's transaction, a
    failed import puts the batch back in preview."""
    taken = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
        status=status
    )
    if taken:
        batch.status = status
    return bool(taken)


def finish_batch(batch: ImportBatch, report: ImportReport) -> None:
    """Record a written import and what undoing it needs; the stored file is removed."""
    record_counts(batch, report)
    batch.status = ImportStatus.DONE
    batch.imported_at = report.stamp
    batch.undo = {
        "created": report.created_ids,
        "previous": report.previous,
        "alongside": report.alongside,
    }
    discard_upload(batch)
    batch.save()


def earlier_import(batch: ImportBatch) -> ImportBatch | None:
    """The last import of the very same file, if any."""
    return (
        ImportBatch.objects.filter(sha256=batch.sha256, model=batch.model, status=ImportStatus.DONE)
        .exclude(pk=batch.pk)
        .order_by("-imported_at")
        .first()
    )


def undo_problems(batch: ImportBatch) -> list[str]:
    """Why ``batch`` cannot be undone (empty when it can)."""
    if batch.status != ImportStatus.DONE:
        return ["Chỉ hoàn tác được một lần nhập đã thực hiện."]
    model = _model_of(batch)
    resource_class = resource_class_for(model)
    if resource_class is not None and not resource_class.can_undo:
        return [resource_class.no_undo_reason]
    if not any(f.name == "updated_at" for f in model._meta.concrete_fields):
        # Without the time of each row's last change, later edits would be silently lost.
        return ["Danh sách này không ghi thời điểm sửa từng dòng nên không hoàn tác được."]
    created, previous = batch.undo.get("created", []), batch.undo.get("previous", {})
    ids = list(created) + [int(pk) for pk in previous]
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", "updated_at"))
    problems = []
    missing = len(ids) - len(found)
    if missing:
        problems.append(f"{missing} hồ sơ của lần nhập này đã bị xóa.")
    touched = sum(1 for stamp in found.values() if stamp > batch.imported_at)
    if touched:
        problems.append(f"{touched} hồ sơ đã được sửa sau lần nhập này.")
    return problems


def _model_of(batch: ImportBatch) -> type[models.Model]:
    return apps.get_model(batch.model)


@transaction.atomic
def undo_batch(batch: ImportBatch, user=None) -> list[str]:
    """Delete the rows the import created and restore the previous values of those it
    changed; returns the reasons it cannot (nothing is done then). Every row deleted or
    restored gets a history row naming ``user`` (who undid it)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    problems = undo_problems(batch)
    if problems:
        return problems
    with acting_as(user) if user is not None else contextlib.nullcontext():
        return _undo(batch, user)


def _undo(batch: ImportBatch, user) -> list[str]:
    model = _model_of(batch)
    opts = model._meta
    previous = {int(pk): values for pk, values in batch.undo.get("previous", {}).items()}
    created = model.objects.filter(pk__in=batch.undo.get("created", []))
    # The history library records each deletion (post_delete), naming the acting user.
    removed = list(created)
    alongside: dict[str, list] = {}
    for label, pk in batch.undo.get("alongside", []):
        alongside.setdefault(label, []).append(pk)
    try:
        with transaction.atomic():
            for label, pks in alongside.items():
                apps.get_model(label).objects.filter(pk__in=pks).delete()
            created.delete()
    except models.ProtectedError:
        return ["Có hồ sơ do lần nhập này tạo đã được dùng ở nơi khác (quy hoạch, đào tạo...)."]
    instances = list(model.objects.filter(pk__in=previous))
    fields: set[str] = set()
    now = timezone.now()
    for instance in instances:
        for attname, value in previous[instance.pk].items():
            model_field = next(f for f in opts.concrete_fields if f.attname == attname)
            setattr(instance, attname, from_json(model_field, value))
            fields.add(model_field.name)
        if hasattr(instance, "derive_fields"):
            instance.derive_fields()
        instance.updated_at = now
    if instances:
        derived = {f.name for f in opts.concrete_fields if not f.editable and not f.primary_key}
        derived -= {"created_at"}
        fields = sorted(fields | derived)
        if hasattr(model, "history"):
            bulk_update_with_history(
                instances,
                model,
                fields,
                batch_size=1000,
                default_user=user,
                default_change_reason=f"Hoàn tác lần nhập {batch.file_name}"[:100],
            )
        else:
            model.objects.bulk_update(instances, fields, batch_size=1000)
    resource_class = resource_class_for(model)
    if resource_class is not None and (removed or instances):
        resource_class().after_write(removed + instances)
    batch.status = ImportStatus.UNDONE
    batch.undone_at = now
    batch.save(update_fields=["status", "undone_at"])
    return []


def given_up(batch: ImportBatch, cutoff: datetime) -> bool:
    """A batch queued for a background import whose job failed, or stopped showing life,
    before ``cutoff`` (or that never got its job): nobody retried it in time."""
    jobs = list(batch.jobs.all())
    if not jobs:
        return batch.created_at < cutoff
    return all(
        job.status != JobStatus.DONE and job.last_seen() is not None and job.last_seen() < cutoff
        for job in jobs
    )


def give_up_jobs(batch: ImportBatch, now: datetime) -> None:
    """Its jobs say why they end here (one that stopped showing life stops showing "running");
    a worker picking one up later finds it failed and does nothing."""
    for job in batch.jobs.all():
        if job.status != JobStatus.DONE:
            BackgroundJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
                status=JobStatus.FAILED,
                finished_at=job.finished_at or now,
                error=UPLOAD_GIVEN_UP + given_up_cause(job.error),
            )


def given_up_cause(error: str) -> str:
    cause = error.removesuffix(" Có thể chạy lại.")  # no longer true
    return f" (Lần chạy trước: {cause})" if cause else ""


def cleanup_imports(now: datetime | None = None) -> int:
    """Delete the uploads nobody will import any more, after IMPORT_PREVIEW_MAX_AGE_MINUTES:
    those of abandoned previews, of background imports that failed or stopped and were not
    retried in that time (their jobs cannot be retried afterwards), and stray files; returns
    how many files were removed. The upload of a queued, running or retryable import is kept."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.IMPORT_PREVIEW_MAX_AGE_MINUTES)
    removed = 0
    previews = ImportBatch.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff)
    queued = ImportBatch.objects.filter(status=ImportStatus.QUEUED, created_at__lt=cutoff)
    stale = [*previews, *(b for b in queued.prefetch_related("jobs") if given_up(b, cutoff))]
    for batch in stale:
        # Conditional, like a confirm: a preview confirmed meanwhile is left alone.
        taken = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(
            status=ImportStatus.ABANDONED, stored_file="", rejected_rows=[]
        )
        if not taken:
            continue
        if batch.stored_file and (private_dir() / batch.stored_file).exists():
            removed += 1
        discard_upload(batch)
        if batch.status == ImportStatus.QUEUED:
            give_up_jobs(batch, now)
    kept = set(
        ImportBatch.objects.filter(status__in=[ImportStatus.PREVIEW, ImportStatus.QUEUED])
        .exclude(stored_file="")
        .values_list("stored_file", flat=True)
    )
    for path in private_dir().iterdir():
        too_old = datetime.fromtimestamp(path.stat().st_mtime, tz=now.tzinfo) < cutoff
        if path.name not in kept and too_old:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

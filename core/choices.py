"""Choices of the platform models: imports and background jobs."""

from django.db import models


class ImportStatus(models.TextChoices):
    """Life of an uploaded file: previewed, then imported (and maybe undone) or abandoned."""

    PREVIEW = "preview", "Đang xem trước"
    QUEUED = "queued", "Đang nhập (chạy nền)"
    DONE = "done", "Đã nhập"
    UNDONE = "undone", "Đã hoàn tác"
    ABANDONED = "abandoned", "Đã bỏ"


class JobKind(models.TextChoices):
    IMPORT = "import", "Nhập dữ liệu"
    EXPORT = "export", "Xuất dữ liệu"
    RUN = "run", "Tác vụ định kỳ"


class JobStatus(models.TextChoices):
    """A background job: waiting for the worker, running, then done or failed (retryable)."""

    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang chạy"
    DONE = "done", "Xong"
    FAILED = "failed", "Lỗi"

"""Platform models shared by every app: the base of tracked records, the import log, background
jobs and the export log. Their tables keep the names they had in ``cadres`` (``db_table``)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.choices import ImportStatus, JobKind, JobStatus


class TrackedModel(models.Model):
    """When a row was created and last changed; inherited by every record of the project."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        abstract = True


class ExportLog(models.Model):
    """One export or report download: who took which data out, and how many rows."""

    user = models.ForeignKey(
        "auth.User",
        verbose_name="người dùng",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    what = models.CharField("dữ liệu", max_length=255)
    count = models.PositiveIntegerField("số dòng", default=0)
    path = models.CharField("địa chỉ", max_length=500, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    class Meta:
        db_table = "cadres_exportlog"
        permissions = [("view_personal_data", "Xem đầy đủ số CCCD và thông tin Đảng")]
        ordering = ["-at"]
        verbose_name = "nhật ký xuất dữ liệu"
        verbose_name_plural = "nhật ký xuất dữ liệu"

    def __str__(self) -> str:
        return f"{self.user} – {self.what} ({self.count}) {self.at:%d/%m/%Y %H:%M}"


class ImportBatch(models.Model):
    """One uploaded file: previewed, then imported as a whole (and undoable while nothing has
    changed the records since), or abandoned. ``undo`` keeps what restoring needs: the ids of
    created rows and the previous values of changed ones."""

    model = models.CharField("dữ liệu", max_length=100, help_text="app_label.model")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    imported_at = models.DateTimeField("nhập lúc", null=True, blank=True)
    file_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("mã kiểm tra SHA-256", max_length=64, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    wipe_empty = models.BooleanField("ô trống xóa giá trị cũ", default=False)
    new = models.PositiveIntegerField("thêm mới", default=0)
    updated = models.PositiveIntegerField("cập nhật", default=0)
    unchanged = models.PositiveIntegerField("không đổi", default=0)
    rejected = models.PositiveIntegerField("bị từ chối", default=0)
    # The uploaded file between preview and confirm (a private file name, see cadres.importing).
    stored_file = models.CharField(max_length=100, blank=True, editable=False)
    rejected_rows = models.JSONField(default=list, blank=True, editable=False)
    undo = models.JSONField(default=dict, blank=True, editable=False)
    undone_at = models.DateTimeField("hoàn tác lúc", null=True, blank=True)
    # The choices made in the preview, applied again at the confirm: "mapping" (header ->
    # column key, "" = not used), "create" (column key -> folded values to create), "defaults"
    # (file-wide values the resource offers, e.g. a category).
    options = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        db_table = "cadres_importbatch"
        ordering = ["-created_at"]
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "nhật ký nhập dữ liệu"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"


class BackgroundJob(models.Model):
    """An import or export run by the task worker (``cadres.tasks``): who asked, how far it
    got (rows done of total, written as it goes) and its outcome: the counts of an import,
    the file of an export (kept private, downloadable only by the user who asked), or the
    error. ``attempt`` grows with each retry; a task of an earlier attempt does nothing."""

    kind = models.CharField("loại", max_length=10, choices=JobKind.choices)
    title = models.CharField("nội dung", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField("tổng số dòng", default=0)
    rows_done = models.PositiveIntegerField("số dòng đã xử lý", default=0)
    attempt = models.PositiveSmallIntegerField("lần chạy", default=1)
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("cập nhật tiến độ lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name="lần nhập",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    # Export: which admin list, its filters (the query string) and the layout.
    params = models.JSONField(default=dict, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    result_file = models.CharField(max_length=100, blank=True, editable=False)
    result_name = models.CharField("tệp kết quả", max_length=255, blank=True)
    outcome = models.TextField("kết quả", blank=True)

    class Meta:
        db_table = "cadres_backgroundjob"
        ordering = ["-created_at"]
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền (nhập, xuất lớn)"

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}

    def may_retry(self, now) -> bool:
        """Failed, or still marked running/queued with no sign of life for
        BACKGROUND_JOB_STALE_MINUTES (its worker died: the import's transaction rolled back);
        an import only while its upload is kept (``cleanup_imports`` gives it up later)."""
        if self.import_batch_id is not None and self.import_batch.status != ImportStatus.QUEUED:
            return False
        if self.status == JobStatus.FAILED:
            return True
        last = self.last_seen()
        stale = timedelta(minutes=settings.BACKGROUND_JOB_STALE_MINUTES)
        return self.is_active and last is not None and now - last > stale

    def last_seen(self):
        """When the job last showed life: it failed, reported progress, started or was queued."""
        return self.finished_at or self.heartbeat_at or self.started_at or self.created_at


class ImportProfile(models.Model):
    """A column mapping chosen in an import preview, remembered for files with the same set of
    headers: the next file of that layout is read with it straight away."""

    model = models.CharField("dữ liệu", max_length=100, help_text="app_label.model")
    signature = models.CharField("mã bộ tiêu đề", max_length=64)
    headers = models.JSONField("các cột của tệp", default=list)
    # folded header -> column key, or "" for a column confirmed as not used
    mapping = models.JSONField("ghép cột", default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chọn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "mẫu ghép cột khi nhập"
        verbose_name_plural = "mẫu ghép cột khi nhập"
        constraints = [
            models.UniqueConstraint(
                fields=["model", "signature"],
                name="%(app_label)s_%(class)s_one_per_layout",
                violation_error_message="Bộ tiêu đề này đã có mẫu ghép cột.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model}: {', '.join(self.headers)[:80]}"


class ValueAliasQuerySet(models.QuerySet):
    def of_model(self, model: type[models.Model]) -> ValueAliasQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(model))


class ValueAlias(models.Model):
    """Another way files write a reference value (an institution under an older name, a
    training type for a programme): chosen once in an import preview, then every lookup of
    that model reads it as the known value. ``key`` is the folded text (core.text.fold)."""

    content_type = models.ForeignKey(
        ContentType, verbose_name="loại dữ liệu", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField("cách viết (không dấu)", max_length=255)
    text = models.CharField("cách viết trong tệp", max_length=255)
    object_id = models.PositiveBigIntegerField("mã đối tượng")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người chọn",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = ValueAliasQuerySet.as_manager()

    class Meta:
        verbose_name = "cách viết khác"
        verbose_name_plural = "cách viết khác (ghép giá trị khi nhập)"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "key"],
                name="%(app_label)s_%(class)s_one_meaning",
                violation_error_message="Cách viết này đã được ghép với một giá trị khác.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.text} → {self.content_type.model} #{self.object_id}"


class DataVersion(models.Model):
    """A counter per app, raised after each committed write to that app's tables (the dashboard
    figures' cache keys include it: a write makes the figures computed before it unreachable).
    Read from the same database as the figures, so a replica's counters match its data."""

    label = models.CharField("ứng dụng", max_length=100, primary_key=True)
    version = models.BigIntegerField("phiên bản", default=0)

    class Meta:
        verbose_name = "phiên bản dữ liệu"
        verbose_name_plural = "phiên bản dữ liệu"

    def __str__(self) -> str:
        return f"{self.label}: {self.version}"


class AuthenticatorDevice(TOTPDevice):
    """django-otp's TOTP device under a Vietnamese name: the library names its models in plain
    (untranslatable) English strings, so the admin lists this proxy instead (core.admin)."""

    class Meta:
        proxy = True
        verbose_name = "thiết bị xác thực hai bước"
        verbose_name_plural = "thiết bị xác thực hai bước"

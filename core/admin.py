"""The user's background jobs (``core.tasks``): progress while running, then the result,
the export file to download (its owner only) or the error, and a retry button."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import tasks
from core.audit import log_export
from core.choices import JobKind, JobStatus
from core.models import BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "user", "created_at", "status", "progress", "finished_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["user"]
    readonly_fields = [
        "title",
        "kind",
        "user",
        "status",
        "progress",
        "attempt",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "import_batch",
        "result_name",
        "outcome",
        "error",
    ]
    fields = readonly_fields
    change_form_template = "admin/core/backgroundjob_change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    @admin.display(description="tiến độ")
    def progress(self, job: BackgroundJob) -> str:
        return f"{job.rows_done:,} / {job.rows_total:,} dòng".replace(",", ".")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:job_id>/retry/", wrap(self.retry_view), name="core_backgroundjob_retry"),
            path(
                "<int:job_id>/download/",
                wrap(self.download_view),
                name="core_backgroundjob_download",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = {}
        if job is not None:
            extra = {
                "may_retry": job.may_retry(timezone.now()) and job.user_id == request.user.pk,
                "may_download": job.kind == JobKind.EXPORT
                and job.status == JobStatus.DONE
                and job.user_id == request.user.pk
                and bool(job.result_file),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def retry_view(self, request, job_id: int):
        job = get_object_or_404(BackgroundJob, pk=job_id, user=request.user)
        if request.method != "POST":
            raise PermissionDenied
        try:
            tasks.retry(job)
        except tasks.JobRefused as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, f"Đã cho chạy lại “{job}”.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:core_backgroundjob_change", args=[job.pk]))

    def download_view(self, request, job_id: int):
        """Only the user who asked, and only while they may still export that list."""
        job = get_object_or_404(
            BackgroundJob, pk=job_id, user=request.user, kind=JobKind.EXPORT, status=JobStatus.DONE
        )
        if not tasks.model_admin_of(job.params["model"]).has_export_permission(request):
            raise PermissionDenied
        file_path = tasks.export_path(job)
        if file_path is None:
            raise Http404("Tệp đã được xóa; hãy xuất lại.")
        log_export(request.user, job.title, job.rows_total, request)
        return FileResponse(file_path.open("rb"), as_attachment=True, filename=job.result_name)


# The task library's own result list (in English, with tracebacks of the rows it failed on) is
# left out: BackgroundJob above is the log users read, the worker's errors go to the server log.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

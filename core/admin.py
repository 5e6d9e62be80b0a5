"""The user's background jobs (``core.tasks``): progress while running, then the result,
the export file to download (its owner only) or the error, and a retry button. Also the account
pages of the libraries (users, groups, authenticator devices) with Vietnamese labels."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from core import tasks
from core.audit import log_export
from core.choices import JobKind, JobStatus
from core.imports.admin import OwnRowsAdminMixin
from core.models import AuthenticatorDevice, BackgroundJob


@admin.register(BackgroundJob)
class BackgroundJobAdmin(OwnRowsAdminMixin, admin.ModelAdmin):
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


# --- Accounts: the libraries' pages in Vietnamese ------------------------------------------

# Django stores the permissions of every model as "Can add <model>" (in English, whatever the
# language); the group and user pages show them in Vietnamese instead.
PERMISSION_ACTIONS = {
    "add": "Thêm",
    "change": "Sửa",
    "delete": "Xóa",
    "view": "Xem",
    "import": "Nhập",
    "export": "Xuất",
}


def permission_label(permission: Permission) -> str:
    """ "Hồ sơ cán bộ | cán bộ | Thêm cán bộ" for Django's "Can add cán bộ"; a permission the
    project named itself keeps its (Vietnamese) name."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _, _ = permission.codename.partition("_")
    if model is None:
        return str(permission)
    name = permission.name
    if name.startswith("Can ") and action in PERMISSION_ACTIONS:
        name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name}"
    app = model._meta.app_config.verbose_name
    return f"{app} | {model._meta.verbose_name} | {name}"


# django-otp's own device model: its admin is replaced by the proxy's, whose permissions count.
HIDDEN_PERMISSION_APPS = ["otp_totp"]


class VietnamesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = Permission.objects.select_related("content_type").exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class VietnameseGroupAdmin(VietnamesePermissionsMixin, GroupAdmin):
    pass


@admin.register(User)
class VietnameseUserAdmin(VietnamesePermissionsMixin, UserAdmin):
    pass


class AuthenticatorDeviceForm(forms.ModelForm):
    class Meta:
        labels = {
            "user": "người dùng",
            "name": "tên thiết bị",
            "confirmed": "đã xác nhận",
            "key": "khóa bí mật",
            "step": "chu kỳ (giây)",
            "t0": "mốc thời gian bắt đầu",
            "digits": "số chữ số",
            "tolerance": "số chu kỳ sai lệch cho phép",
            "drift": "độ lệch đồng hồ",
            "throttling_failure_timestamp": "lần nhập sai gần nhất",
            "throttling_failure_count": "số lần nhập sai liên tiếp",
        }
        help_texts = {
            "user": "Người dùng sở hữu thiết bị này.",
            "name": "Tên để người dùng nhận ra thiết bị.",
            "confirmed": "Thiết bị đã sẵn sàng để dùng.",
            "key": "Khóa bí mật dạng hex, tối đa 40 byte.",
            "step": "Mỗi mã có hiệu lực trong số giây này.",
            "t0": "Thời điểm (Unix) bắt đầu đếm chu kỳ.",
            "digits": "Số chữ số của mỗi mã.",
            "tolerance": "Số chu kỳ trước hoặc sau vẫn chấp nhận mã.",
            "drift": "Số chu kỳ đồng hồ của thiết bị lệch so với máy chủ.",
            "throttling_failure_timestamp": "Trống nếu lần nhập gần nhất đúng.",
            "throttling_failure_count": "Mỗi lần sai, thời gian chờ lần thử sau tăng gấp đôi.",
        }


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(TOTPDeviceAdmin):
    """django-otp's device admin (keys hidden: OTP_ADMIN_HIDE_SENSITIVE_DATA) in Vietnamese."""

    form = AuthenticatorDeviceForm
    list_display = ["owner", "device_name", "created", "last_used", "is_confirmed"]
    list_filter = []
    search_help_text = "Tìm theo tên đăng nhập hoặc email của người dùng."
    readonly_fields = ["created", "last_used", "qrcode_link"]
    # The library's read-only columns carry English labels: shown through the methods below.
    RENAMED = {"created_at": "created", "last_used_at": "last_used"}
    SECTIONS = {
        "Identity": "Thiết bị",
        "Timestamps": "Thời điểm",
        "Configuration": "Cấu hình",
        "State": "Trạng thái",
        "Throttling": "Chống dò mã",
    }

    def get_fieldsets(self, request, obj=None):
        return [
            (
                self.SECTIONS.get(title, title),
                {**options, "fields": [self.RENAMED.get(f, f) for f in options["fields"]]},
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description="người dùng", ordering="user__username")
    def owner(self, device) -> str:
        return str(device.user)

    @admin.display(description="tên thiết bị", ordering="name")
    def device_name(self, device) -> str:
        return device.name

    @admin.display(description="tạo lúc", ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description="dùng lần cuối", ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description="đã xác nhận", boolean=True, ordering="confirmed")
    def is_confirmed(self, device) -> bool:
        return device.confirmed

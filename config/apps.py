"""Vietnamese section names on the admin index for the third-party apps that show there, and
the admin with the project's site."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig
from django_tasks_db.apps import TasksAppConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with ``core.sites.AdminSite`` as ``admin.site``."""

    default_site = "core.sites.AdminSite"


class AuthenticatorDevicesConfig(TOTPDefaultConfig):
    verbose_name = "Thiết bị xác thực hai bước"


class TaskQueueConfig(TasksAppConfig):
    verbose_name = "Hàng đợi việc chạy nền"


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes (failed logins): its app name shows in the permission lists."""

    verbose_name = "Đăng nhập sai"

"""Vietnamese section names on the admin index for the third-party apps that show there."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig
from django_tasks_db.apps import TasksAppConfig


class AuthenticatorDevicesConfig(TOTPDefaultConfig):
    verbose_name = "Thiết bị xác thực hai bước"


class TaskQueueConfig(TasksAppConfig):
    verbose_name = "Hàng đợi việc chạy nền"


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes (failed logins): its app name shows in the permission lists."""

    verbose_name = "Đăng nhập sai"

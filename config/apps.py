"""Vietnamese section names on the admin index for the third-party apps that show there."""

from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefaultConfig
from django_tasks_db.apps import TasksAppConfig


class AuthenticatorDevicesConfig(TOTPDefaultConfig):
    verbose_name = "Thiết bị xác thực hai bước"


class TaskQueueConfig(TasksAppConfig):
    verbose_name = "Hàng đợi việc chạy nền"

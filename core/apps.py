from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    # Roles (cadres.roles collects these from every app): the export log is written by the
    # system and read by administrators.
    reference_models = ("exportlog",)
    # Other users' second-factor devices: superusers only, as with django-otp's own model.
    superuser_models = ("authenticatordevice",)
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        # The system checks, and the login signals.
        from core import checks, dashboard, middleware, second_factor  # noqa: F401

        dashboard.connect_signals()

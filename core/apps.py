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
        from core import dashboard, middleware, second_factor  # noqa: F401  (login signals)

        dashboard.connect_signals()

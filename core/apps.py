from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Hệ thống"

    def ready(self) -> None:
        from core import dashboard, middleware, second_factor  # noqa: F401  (login signals)

        dashboard.connect_signals()

from django.apps import AppConfig


class CadresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cadres"
    verbose_name = "Hồ sơ cán bộ"

    def ready(self) -> None:
        from cadres import middleware, second_factor  # noqa: F401  (connect the login signals)

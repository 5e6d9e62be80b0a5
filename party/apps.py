from django.apps import AppConfig


class PartyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "party"
    verbose_name = "Phát triển đảng viên"

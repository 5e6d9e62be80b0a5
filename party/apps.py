from django.apps import AppConfig


class PartyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "party"
    # Roles (cadres.roles): admission targets are the administrators'; commune staff keep the
    # party-member development of their villages and schools.
    reference_models = ("admissiontarget",)
    commune_models = ("partycell", "cellmembershipreport", "coveredunit", "admissioncandidate")
    verbose_name = "Phát triển đảng viên"

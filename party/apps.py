from django.apps import AppConfig


class PartyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "party"
    # Roles (cadres.roles): admission targets are the administrators'; commune staff keep the
    # party-member development of their villages and schools.
    reference_models = ("admissiontarget",)
    commune_models = ("partycell", "cellmembershipreport", "coveredunit", "admissioncandidate")
    # What a merger moves to the new unit (cadres.mergers).
    merger_steps = ("party.mergers.party_step", "party.mergers.admission_step")
    verbose_name = "Phát triển đảng viên"

from django.apps import AppConfig


class CadresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cadres"
    # Roles (cadres.roles): reference data and the organisation tree are the administrators';
    # the cadre record and the tables of its 2C form are what commune staff keep.
    reference_models = (
        "ethnicity",
        "religion",
        "qualificationlevel",
        "position",
        "unit",
        "unitsuccession",
        "staffassignment",
        "cvtemplate",
    )
    commune_models = (
        "cadre",
        "appointment",
        "workhistory",
        "qualification",
        "salarystep",
        "evaluation",
        "reward",
        "discipline",
        "familyrelation",
    )
    # What a merger moves to the new unit (cadres.mergers).
    merger_steps = ("cadres.mergers.register_step",)
    verbose_name = "Hồ sơ cán bộ"

    def ready(self) -> None:
        from cadres import roles

        roles.connect_signals()

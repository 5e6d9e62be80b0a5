from django.apps import AppConfig


class PlanningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "planning"
    # Roles (cadres.roles): rule sets and standards are the administrators'; commune staff
    # propose planning entries and look at the terms (a term's page shows the commune's own pool,
    # planning.pool), decisions, votes and rotations of their units.
    reference_models = ("ruleset", "positionstandard")
    commune_edit_models = ("planningentry",)
    commune_view_models = ("planningterm", "planningdecision", "votinground", "rotation")
    # What a merger moves to the new unit (cadres.mergers).
    merger_steps = ("planning.mergers.planning_step", "planning.mergers.voting_step")
    verbose_name = "Quy hoạch cán bộ"

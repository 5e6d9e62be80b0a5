from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training"
    # Roles (cadres.roles): policies, rates, programmes and institutions are the
    # administrators'; commune staff keep their cadres' needs and the people they send to classes
    # (not deleted), and look at dispatches and the classes to enter attendances in.
    reference_models = (
        "supportpolicy",
        "supportrate",
        "programme",
        "institution",
        "servicecommitmentrule",
    )
    commune_edit_models = ("trainingneed", "trainee", "attendance")
    commune_view_models = ("dispatch", "course")
    # What a merger moves to the new unit (cadres.mergers).
    merger_steps = ("training.mergers.training_step",)
    verbose_name = "Đào tạo, bồi dưỡng"

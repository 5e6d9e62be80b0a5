from django.db import migrations


def seed(apps, schema_editor):
    """Existing positions get the category the law gives their holders (cadres.categories);
    positions already given one keep it."""
    from cadres.categories import category_of_position

    Position = apps.get_model("cadres", "Position")
    for position in Position.objects.filter(category=""):
        category = category_of_position(position.title, position.level)
        if category:
            position.category = category
            position.save(update_fields=["category"])


def unseed(apps, schema_editor):
    """Reversed by the field's removal in the previous migration; nothing to undo here."""


class Migration(migrations.Migration):
    dependencies = [("cadres", "0011_position_category_cadre_standing")]

    operations = [migrations.RunPython(seed, unseed)]

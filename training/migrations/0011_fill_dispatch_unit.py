"""Dispatches recorded before the unit when sent was kept take the cadre's unit of today (the
best that is known). Reversing leaves the column as it is; 0009's reversal drops it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Dispatch = apps.get_model("training", "Dispatch")
    Cadre = apps.get_model("cadres", "Cadre")
    Dispatch.objects.filter(unit__isnull=True).update(
        unit=Subquery(Cadre.objects.filter(pk=OuterRef("cadre_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0010_dispatch_unit_when_sent")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

"""Graduated dispatches recorded before the end of the commitment was kept get it (graduation,
or the end of study, plus the committed months). Reversing leaves the column; 0012's reversal
drops it."""

from django.db import migrations

from training.commitment import add_months


def fill(apps, schema_editor):
    Dispatch = apps.get_model("training", "Dispatch")
    rows = Dispatch.objects.filter(status="graduated", months_to_serve__gt=0).only(
        "graduated_on", "end_date", "months_to_serve"
    )
    changed = []
    for dispatch in rows.iterator(chunk_size=2000):
        start = dispatch.graduated_on or dispatch.end_date
        dispatch.commitment_ends_on = add_months(start, dispatch.months_to_serve)
        changed.append(dispatch)
        if len(changed) == 2000:
            Dispatch.objects.bulk_update(changed, ["commitment_ends_on"])
            changed = []
    Dispatch.objects.bulk_update(changed, ["commitment_ends_on"])


class Migration(migrations.Migration):
    dependencies = [("training", "0012_money_rates_budgets_class_costs_departures")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]

"""Load the national reference lists shipped in ``cadres/data`` (sources in SOURCES.md).

Rows are matched on their code, so running it over edited data keeps the edits of names; the
reverse removes nothing that records may point to and is therefore a no-op.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def read(name):
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    Ethnicity = apps.get_model("cadres", "Ethnicity")
    Religion = apps.get_model("cadres", "Religion")
    QualificationLevel = apps.get_model("cadres", "QualificationLevel")
    for row in read("ethnicities.csv"):
        Ethnicity.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "other_names": row["other_names"]}
        )
    for row in read("religions.csv"):
        Religion.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})
    for row in read("qualification_levels.csv"):
        QualificationLevel.objects.get_or_create(
            code=row["code"],
            defaults={"track": row["track"], "label": row["label"], "rank": int(row["rank"])},
        )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0002_search_indexes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The import log, background jobs and export log now belong to ``core`` (see its 0001): this
app lets go of them in the state only; their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0009_background_jobs"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BackgroundJob"),
                migrations.DeleteModel(name="ImportBatch"),
                migrations.DeleteModel(name="ExportLog"),
            ],
        ),
    ]

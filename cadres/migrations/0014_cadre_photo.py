"""A photo on the cadre's record, printed in the photo box of the 2C CV."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0013_qualification_level_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="cadre",
            name="photo",
            field=models.ImageField(
                blank=True,
                help_text="In vào ô ảnh của sơ yếu lý lịch 2C.",
                upload_to="cadres/photos/",
                verbose_name="ảnh 4x6",
            ),
        ),
        migrations.AddField(
            model_name="historicalcadre",
            name="photo",
            field=models.TextField(
                blank=True,
                help_text="In vào ô ảnh của sơ yếu lý lịch 2C.",
                max_length=100,
                verbose_name="ảnh 4x6",
            ),
        ),
    ]

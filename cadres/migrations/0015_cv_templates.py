"""Edited Word templates of the 2C CV, uploaded by the board (the shipped ones otherwise)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0014_cadre_photo"),
    ]

    operations = [
        migrations.CreateModel(
            name="CvTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "form",
                    models.CharField(
                        choices=[
                            ("tctw", "Mẫu 2C/TCTW-98 (cơ quan Đảng)"),
                            ("bnv", "Mẫu 2C-BNV/2008 (cơ quan nhà nước)"),
                        ],
                        max_length=10,
                        unique=True,
                        verbose_name="mẫu",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        help_text="Tải mẫu đang dùng ở danh sách, sửa trong Word (giữ các thẻ {{ … }} và {% … %}), rồi tải lên.",
                        upload_to="cadres/cv-templates/",
                        validators=[django.core.validators.FileExtensionValidator(["docx"])],
                        verbose_name="tệp mẫu (.docx)",
                    ),
                ),
                ("uploaded_at", models.DateTimeField(auto_now=True, verbose_name="tải lên lúc")),
            ],
            options={
                "verbose_name": "mẫu in sơ yếu lý lịch 2C",
                "verbose_name_plural": "mẫu in sơ yếu lý lịch 2C",
            },
        ),
    ]

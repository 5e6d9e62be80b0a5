"""Word templates an administrator edits for the printed decision and summary list."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models

from core.models import TrackedModel


class PrintTemplate(TrackedModel):
    """An edited copy of a shipped Word template (training/docx/), with docxtpl tags; the
    latest upload of a kind is used, and deleting it brings the default back."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Quyết định cử đi học"
        SUMMARY_LIST = "summary_list", "Danh sách trích ngang"

    kind = models.CharField("mẫu", max_length=20, choices=Kind.choices, unique=True)
    file = models.FileField(
        "tệp mẫu (.docx)",
        upload_to="mau-in/",
        validators=[FileExtensionValidator(["docx"])],
        help_text="Tải mẫu mặc định từ trang in, sửa trong Word (giữ các thẻ {{ … }}), tải lên.",
    )

    class Meta:
        verbose_name = "mẫu in"
        verbose_name_plural = "mẫu in (quyết định, danh sách trích ngang)"

    def __str__(self) -> str:
        return self.get_kind_display()

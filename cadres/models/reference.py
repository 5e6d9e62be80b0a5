"""Reference data: ethnic groups, religions and qualification levels; the Word templates of the
2C CV."""

from __future__ import annotations

from django.core.validators import FileExtensionValidator
from django.db import models

from cadres.choices import (
    Track,
)

# --- Reference data -----------------------------------------------------------------------


class Ethnicity(models.Model):
    """One of the 54 official ethnic groups (codes of Quyết định 121-TCTK/PPCĐ, 1979)."""

    KINH_CODE = "01"

    code = models.CharField("mã", max_length=4, unique=True)
    name = models.CharField("tên dân tộc", max_length=100, unique=True)
    other_names = models.CharField(
        "tên gọi khác", max_length=255, blank=True, help_text="Cách nhau bởi dấu chấm phẩy."
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "dân tộc"
        verbose_name_plural = "dân tộc"

    def __str__(self) -> str:
        return self.name

    @property
    def is_minority(self) -> bool:
        return self.code != self.KINH_CODE


class Religion(models.Model):
    code = models.CharField("mã", max_length=30, unique=True)
    name = models.CharField("tên tôn giáo", max_length=150, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "tôn giáo"
        verbose_name_plural = "tôn giáo"

    def __str__(self) -> str:
        return self.name


class QualificationLevel(models.Model):
    """A level inside one track (professional, political theory, ...), ordered by ``rank``."""

    track = models.CharField("loại trình độ", max_length=30, choices=Track.choices)
    code = models.CharField("mã", max_length=40, unique=True)
    label = models.CharField("tên trình độ", max_length=150)
    rank = models.PositiveSmallIntegerField(
        "thứ bậc", help_text="Số lớn hơn là trình độ cao hơn, chỉ so sánh trong cùng một loại."
    )

    class Meta:
        ordering = ["track", "rank"]
        verbose_name = "trình độ"
        verbose_name_plural = "danh mục trình độ"

    def __str__(self) -> str:
        return self.label


class CvTemplate(models.Model):
    """An edited copy of a shipped 2C template (cadres/docx/), with docxtpl tags: the board
    adjusts the form in Word and uploads it; deleting it brings the shipped one back."""

    class Form(models.TextChoices):
        TCTW = "tctw", "Mẫu 2C/TCTW-98 (cơ quan Đảng)"
        BNV = "bnv", "Mẫu 2C-BNV/2008 (cơ quan nhà nước)"

    form = models.CharField("mẫu", max_length=10, choices=Form.choices, unique=True)
    file = models.FileField(
        "tệp mẫu (.docx)",
        upload_to="cadres/cv-templates/",
        validators=[FileExtensionValidator(["docx"])],
        help_text="Tải mẫu đang dùng ở danh sách, sửa trong Word (giữ các thẻ {{ … }} và "
        "{% … %}), rồi tải lên.",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now=True)

    class Meta:
        verbose_name = "mẫu in sơ yếu lý lịch 2C"
        verbose_name_plural = "mẫu in sơ yếu lý lịch 2C"

    def __str__(self) -> str:
        return self.get_form_display()

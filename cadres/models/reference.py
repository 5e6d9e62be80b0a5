"""Reference data: ethnic groups, religions, qualification levels and the retirement schedule;
the Word templates of the 2C CV."""

from __future__ import annotations

import time

from django.core.validators import FileExtensionValidator
from django.db import models

from cadres.choices import (
    Gender,
    Track,
)
from cadres.retirement import RetirementDates, Schedule, ScheduleYear
from core.models import TrackedModel

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


# --- Retirement schedule ----------------------------------------------------------------------

# Seconds a process keeps the schedule it read: a correction reaches every server process within
# this time without a query per cadre saved.
SCHEDULE_CACHE_SECONDS = 60
# "schedule" -> (when read, the schedule, its retirement dates)
_schedule_cache: dict[str, tuple[float, Schedule | None, RetirementDates]] = {}


class RetirementAgeQuerySet(models.QuerySet):
    def schedule(self) -> Schedule | None:
        """The schedule as ``cadres.retirement`` reads it (``None``: the table is empty, the
        seed file applies), read at most once a minute per process."""
        return _stored_schedule(self)[1]


def retirement_dates() -> RetirementDates:
    """Retirement dates under the schedule ``RetirementAge.objects.schedule()`` gives, read
    with it: without a QuerySet per call (a cadre's ``derive_fields``, 100,000 times in an
    import) and once per gender and month of birth."""
    return _stored_schedule()[2]


def _stored_schedule(
    rows: models.QuerySet | None = None,
) -> tuple[float, Schedule | None, RetirementDates]:
    """The cached entry, read again from ``rows`` (the table by default) after a minute."""
    cached = _schedule_cache.get("schedule")
    if cached and time.monotonic() - cached[0] < SCHEDULE_CACHE_SECONDS:
        return cached
    rows = RetirementAge.objects.all() if rows is None else rows
    schedule = tuple(row.as_schedule_year() for row in rows.order_by("year")) or None
    cached = _schedule_cache["schedule"] = (time.monotonic(), schedule, RetirementDates(schedule))
    return cached


class RetirementAge(TrackedModel):
    """The statutory retirement age of those retiring in one calendar year (Bộ luật Lao động
    2019 art. 169, Nghị định 135/2020/NĐ-CP Phụ lục I); seeded from
    ``cadres/data/retirement_schedule.csv`` unconfirmed, corrected by an administrator."""

    year = models.PositiveSmallIntegerField("năm nghỉ hưu", unique=True)
    men_years = models.PositiveSmallIntegerField("nam: tuổi")
    men_months = models.PositiveSmallIntegerField("nam: tháng")
    women_years = models.PositiveSmallIntegerField("nữ: tuổi")
    women_months = models.PositiveSmallIntegerField("nữ: tháng")
    confirmed = models.BooleanField(
        "đã đối chiếu văn bản",
        default=False,
        help_text="Đánh dấu khi đã đối chiếu với Nghị định 135/2020/NĐ-CP (hoặc văn bản thay thế).",
    )
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = RetirementAgeQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = "tuổi nghỉ hưu theo năm"
        verbose_name_plural = "lộ trình tuổi nghỉ hưu"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(men_months__lt=12, women_months__lt=12),
                name="%(app_label)s_%(class)s_months_below_twelve",
                violation_error_message="Số tháng phải nhỏ hơn 12.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year}: nam {self.men_years} tuổi {self.men_months} tháng, "
            f"nữ {self.women_years} tuổi {self.women_months} tháng"
        )

    def as_schedule_year(self) -> ScheduleYear:
        return ScheduleYear(
            year=self.year,
            months={
                Gender.MALE: self.men_years * 12 + self.men_months,
                Gender.FEMALE: self.women_years * 12 + self.women_months,
            },
        )

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _schedule_cache.clear()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _schedule_cache.clear()
        return result


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

"""Reference data of training: institutions and programmes with their eligibility limits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from cadres.choices import Category, Track
from cadres.models import QualificationLevel, level_field
from core.models import TrackedModel
from training.choices import (
    Enforcement,
    InstitutionKind,
    ProgrammeTrack,
)

# --- Reference data -----------------------------------------------------------------------


class Institution(TrackedModel):
    name = models.CharField("tên cơ sở đào tạo", max_length=255, unique=True)
    short_name = models.CharField("tên viết tắt", max_length=50, blank=True)
    kind = models.CharField("loại", max_length=40, choices=InstitutionKind.choices)
    place = models.CharField("địa điểm", max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "cơ sở đào tạo"
        verbose_name_plural = "cơ sở đào tạo"

    def __str__(self) -> str:
        return self.name


def enforcement_field(when: str, default: str = Enforcement.REFUSE) -> models.CharField:
    return models.CharField(
        when,
        max_length=10,
        choices=Enforcement.choices,
        default=default,
        help_text="Khi lập quyết định cử đi học: không cho cử, hay chỉ cảnh báo.",
    )


class ProgrammeQuerySet(models.QuerySet):
    def reaching(self, level: QualificationLevel) -> ProgrammeQuerySet:
        """Programmes that grant ``level`` or a higher level of its track, lowest first."""
        return self.filter(
            grants_level__track=level.track, grants_level__rank__gte=level.rank
        ).order_by("grants_level__rank", "typical_months", "code")


class Programme(TrackedModel):
    """A programme a cadre can be sent to, with its eligibility limits as data."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên chương trình", max_length=255)
    track = models.CharField("lĩnh vực", max_length=30, choices=ProgrammeTrack.choices)
    grants_level = level_field(
        None,
        "trình độ được cấp",
        help_text="Để trống với các lớp bồi dưỡng không cấp văn bằng, chứng chỉ trình độ.",
    )
    typical_months = models.PositiveSmallIntegerField(
        "thời gian học thường (tháng)", validators=[MinValueValidator(1)]
    )
    is_degree = models.BooleanField(
        "đào tạo cấp văn bằng",
        default=True,
        help_text="Người được cử đi đào tạo cấp văn bằng phải cam kết phục vụ sau khi học.",
    )
    max_age_at_dispatch = models.PositiveSmallIntegerField(
        "tuổi tối đa khi cử đi học", null=True, blank=True
    )
    min_general_education = level_field(Track.GENERAL_EDUCATION, "trình độ phổ thông tối thiểu")
    prerequisite_level = level_field(None, "trình độ phải có trước")
    allowed_categories = models.CharField(
        "đối tượng được cử",
        max_length=255,
        blank=True,
        help_text="Để trống nếu mọi đối tượng; nếu không, các mã cách nhau bởi dấu phẩy "
        "(can_bo, cong_chuc, vien_chuc, khong_chuyen_trach).",
    )
    age_enforcement = enforcement_field("khi quá tuổi")
    retirement_enforcement = enforcement_field(
        "khi không đủ thời gian học và phục vụ cam kết trước tuổi nghỉ hưu"
    )
    prerequisite_enforcement = enforcement_field(
        "khi thiếu trình độ phải có trước hoặc không đúng đối tượng"
    )
    # A warning by default: commune records often lack the general education (văn hóa), and a
    # gap in the register should not stop a decision the board has taken.
    general_education_enforcement = enforcement_field(
        "khi chưa đạt trình độ giáo dục phổ thông", default=Enforcement.WARN
    )
    note = models.TextField("căn cứ, ghi chú", blank=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["track", "code"]
        verbose_name = "chương trình đào tạo"
        verbose_name_plural = "chương trình đào tạo, bồi dưỡng"

    def __str__(self) -> str:
        return self.name

    @property
    def category_list(self) -> list[str]:
        return [c.strip() for c in self.allowed_categories.split(",") if c.strip()]

    def clean(self) -> None:
        unknown = set(self.category_list) - set(Category.values)
        if unknown:
            raise ValidationError(
                {"allowed_categories": f"Đối tượng không có: {', '.join(sorted(unknown))}."}
            )
        if self.track == ProgrammeTrack.REFRESHER and self.grants_level_id:
            raise ValidationError(
                {"grants_level": "Lớp bồi dưỡng không cấp trình độ; để trống ô này."}
            )

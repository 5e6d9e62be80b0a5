from django.db import models

from cadres.choices import UnitKind

# The directive counts villages (thôn, bản, khu phố) and schools.
COVERED_KINDS = (UnitKind.VILLAGE, UnitKind.SCHOOL)


class Coverage(models.TextChoices):
    """Where a village or school stands in the drive against "trắng" đảng viên."""

    NONE = "none", "Chưa có đảng viên"
    COMBINED = "combined", "Sinh hoạt chi bộ ghép"
    OWN = "own", "Có chi bộ riêng"

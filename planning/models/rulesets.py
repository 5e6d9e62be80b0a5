"""Rule sets (the regulations as data) and the standards of each position."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q

from cadres.choices import Level, Track
from cadres.models import Position, QualificationLevel, Unit, level_field
from core.models import TrackedModel
from planning.rules import STANDARD_LEVEL_FIELDS

# Typical duration in months of the training that lifts a cadre to a level, by level code. Used to
# tell "ready within 1-2 years" from "later"; editable per rule set until training programmes
# carry their own durations.
DEFAULT_TRAINING_MONTHS = {
    "PT_9_12": 24,
    "PT_12_12": 36,
    "CM_TRUNG_CAP": 24,
    "CM_CAO_DANG": 36,
    "CM_DAI_HOC": 48,
    "CM_THAC_SI": 24,
    "CM_TIEN_SI": 48,
    "LLCT_SO_CAP": 3,
    "LLCT_TRUNG_CAP": 12,
    "LLCT_CAO_CAP": 18,
    "LLCT_CU_NHAN": 48,
    "QLNN_CHUYEN_VIEN": 2,
    "QLNN_CHUYEN_VIEN_CHINH": 3,
    "QLNN_CHUYEN_VIEN_CAO_CAP": 3,
}
UNKNOWN_TRAINING_MONTHS = 24


def default_training_months() -> dict[str, int]:
    return dict(DEFAULT_TRAINING_MONTHS)


# --- Rule sets and standards ----------------------------------------------------------------


class RuleSetQuerySet(models.QuerySet):
    def in_force(self, on: date) -> RuleSet | None:
        """The rule set valid on ``on`` (the most recent one if validity periods overlap)."""
        return (
            self.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )

    def applying_on(self, on: date) -> RuleSet:
        """The rule set in force on ``on``, or the defaults (an unsaved rule set) before the
        first one recorded, so that old decisions are still checked against something."""
        return self.in_force(on) or RuleSet(name="Mặc định", valid_from=on)


class RuleSet(TrackedModel):
    """The numbers of one planning regulation (50-QĐ/TW, 377-QĐ/TW, a province's rules)."""

    name = models.CharField("tên bộ quy định", max_length=150, unique=True)
    regulation = models.CharField("văn bản", max_length=255, help_text="Ví dụ: Quy định 50-QĐ/TW")
    valid_from = models.DateField("hiệu lực từ ngày")
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    candidates_per_position = models.PositiveSmallIntegerField(
        "số người quy hoạch tối đa cho một chức danh", default=3
    )
    positions_per_person = models.PositiveSmallIntegerField(
        "số chức danh tối đa của một người cùng cấp", default=3
    )
    only_higher_position = models.BooleanField(
        "chỉ quy hoạch chức danh cao hơn chức danh hiện giữ", default=True
    )
    full_term_months = models.PositiveSmallIntegerField(
        "số tháng công tác tối thiểu khi quy hoạch lần đầu",
        default=60,
        help_text="Tính từ ngày bắt đầu nhiệm kỳ quy hoạch đến ngày nghỉ hưu theo luật.",
    )
    young_age_commune = models.PositiveSmallIntegerField(
        "tuổi trẻ cấp xã (dưới)",
        default=35,
        help_text="Quy định Trung ương không nêu cho cấp xã; mặc định dưới 35 theo hướng dẫn "
        "của nhiều tỉnh, sửa theo quy định của địa phương.",
    )
    young_age_district = models.PositiveSmallIntegerField("tuổi trẻ cấp huyện (dưới)", default=40)
    young_age_province = models.PositiveSmallIntegerField("tuổi trẻ cấp tỉnh (dưới)", default=40)
    young_age_central = models.PositiveSmallIntegerField(
        "tuổi trẻ cấp Trung ương (dưới)", default=45
    )
    target_women_percent = models.DecimalField(
        "tỷ lệ nữ tối thiểu (%)", max_digits=5, decimal_places=2, default=25
    )
    target_young_percent = models.DecimalField(
        "tỷ lệ cán bộ trẻ tối thiểu (%)", max_digits=5, decimal_places=2, default=15
    )
    target_minority_percent = models.DecimalField(
        "tỷ lệ dân tộc thiểu số tối thiểu (%)",
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text="Phù hợp với đặc điểm địa phương; 0 là không đặt chỉ tiêu.",
    )
    remove_on_age = models.BooleanField("đưa ra khi quá tuổi", default=True)
    remove_on_discipline = models.BooleanField("đưa ra khi bị kỷ luật", default=True)
    remove_on_failed_evaluation = models.BooleanField(
        "đưa ra khi không hoàn thành nhiệm vụ", default=True
    )
    expired_discipline_allowed = models.BooleanField(
        "được quy hoạch khi kỷ luật đã hết thời hạn",
        default=False,
        help_text="Nếu không, kỷ luật đã hết hạn vẫn cản trong số tháng dưới đây.",
    )
    discipline_bar_months = models.PositiveSmallIntegerField(
        "số tháng kỷ luật còn cản quy hoạch sau khi quyết định", default=12
    )
    ballot_pass_percent = models.DecimalField(
        "tỷ lệ phiếu đồng ý phải vượt (%) ở mỗi bước giới thiệu",
        max_digits=5,
        decimal_places=2,
        default=50,
        help_text="Trên 50% số phiếu hợp lệ theo quy trình giới thiệu quy hoạch; quyết định phê "
        "duyệt không ban hành được khi người trong quyết định không đạt ở một bước.",
    )
    evaluation_years = models.PositiveSmallIntegerField(
        "số năm đánh giá gần nhất được xét khi đưa vào quy hoạch",
        default=2,
        help_text="Không hoàn thành nhiệm vụ một trong các năm này thì không đưa vào quy hoạch; "
        "chưa có kết quả hoặc chỉ hoàn thành nhiệm vụ thì cảnh báo để tập thể xem xét.",
    )
    appointment_interval_months = models.PositiveSmallIntegerField(
        "khoảng cách tối thiểu giữa quy hoạch và bổ nhiệm (tháng)",
        default=6,
        help_text="Cảnh báo khi quy hoạch và đề xuất bổ nhiệm cùng một người gần nhau hơn.",
    )
    training_months = models.JSONField(
        "thời gian đào tạo điển hình (tháng) theo mã trình độ", default=default_training_months
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = "bộ quy định quy hoạch"
        verbose_name_plural = "bộ quy định quy hoạch"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_dates_in_order",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def young_age(self, level: str) -> int:
        return {
            Level.COMMUNE: self.young_age_commune,
            Level.DISTRICT: self.young_age_district,
            Level.PROVINCE: self.young_age_province,
        }.get(level, self.young_age_central)

    def months_to_train(self, level: QualificationLevel) -> int:
        return int(self.training_months.get(level.code, UNKNOWN_TRAINING_MONTHS))


class PositionStandard(TrackedModel):
    """What a position requires (tiêu chuẩn chức danh); data an administrator edits."""

    position = models.OneToOneField(
        Position, verbose_name="chức danh", on_delete=models.CASCADE, related_name="standard"
    )
    professional_level = level_field(Track.PROFESSIONAL, "chuyên môn tối thiểu")
    political_theory_level = level_field(Track.POLITICAL_THEORY, "lý luận chính trị tối thiểu")
    state_management_level = level_field(Track.STATE_MANAGEMENT, "quản lý nhà nước tối thiểu")
    general_education = level_field(Track.GENERAL_EDUCATION, "giáo dục phổ thông tối thiểu")
    min_party_years = models.PositiveSmallIntegerField(
        "số năm tuổi Đảng tối thiểu", null=True, blank=True
    )
    max_age_first_planned = models.PositiveSmallIntegerField(
        "tuổi tối đa khi quy hoạch lần đầu", null=True, blank=True
    )
    other_requirements = models.TextField("tiêu chuẩn khác", blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = "tiêu chuẩn chức danh"
        verbose_name_plural = "tiêu chuẩn chức danh"

    def __str__(self) -> str:
        return f"Tiêu chuẩn {self.position}"

    def required_levels(self) -> dict[str, QualificationLevel]:
        """Required level per track, only for the tracks this standard sets."""
        levels = {track: getattr(self, field) for track, field in STANDARD_LEVEL_FIELDS.items()}
        return {track: level for track, level in levels.items() if level is not None}


class PlannedPosition(Position):
    """A position seen from planning: its standards beside its candidates."""

    class Meta:
        proxy = True
        verbose_name = "chức danh quy hoạch"
        verbose_name_plural = "chức danh và tiêu chuẩn"


class SuccessionGap(Unit):
    """A unit seen from planning: the list behind the count of key positions without anyone
    planned (see ``planning.readiness.units_without_candidate``)."""

    class Meta:
        proxy = True
        verbose_name = "đơn vị chưa có người quy hoạch"
        verbose_name_plural = "đơn vị có chức danh chưa có người quy hoạch"

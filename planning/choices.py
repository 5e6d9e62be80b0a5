from django.db import models

from cadres.choices import Level


class TermLevel(models.TextChoices):
    """The tier a planning term prepares cadres for."""

    DISTRICT = Level.DISTRICT.value, "Cấp huyện"
    COMMUNE = Level.COMMUNE.value, "Cấp xã"


class TermKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", "Quy hoạch cấp ủy"
    STANDING_COMMITTEE = "standing_committee", "Quy hoạch Ban Thường vụ"
    LEADERSHIP = "leadership", "Quy hoạch chức danh lãnh đạo, quản lý"


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", "Phê duyệt quy hoạch"
    ADDITION = "addition", "Bổ sung quy hoạch hằng năm"
    REMOVAL = "removal", "Đưa ra khỏi quy hoạch"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    CONFIRMED = "confirmed", "Đã ban hành"


class EntryRole(models.TextChoices):
    INCUMBENT = "incumbent", "Đương chức"
    RESERVE = "reserve", "Dự nguồn"


class RemovalReason(models.TextChoices):
    AGE = "age", "Quá tuổi"
    HEALTH = "health", "Sức khỏe"
    DISCIPLINE = "discipline", "Bị kỷ luật"
    EVALUATION = "evaluation", "Không hoàn thành nhiệm vụ"
    TRANSFER = "transfer", "Chuyển công tác"
    OWN_REQUEST = "own_request", "Theo nguyện vọng cá nhân"
    OTHER = "other", "Lý do khác"


class Readiness(models.TextChoices):
    READY_NOW = "now", "Sẵn sàng ngay"
    WITHIN_TWO_YEARS = "within_2y", "Trong 1-2 năm"
    LATER = "later", "Lâu hơn"


class BallotStep(models.IntegerChoices):
    """The voting steps of a planning round, in the order they are held (Quy định 50-QĐ/TW)."""

    LEADERSHIP_MEETING = 1, "Hội nghị tập thể lãnh đạo"
    KEY_CADRE_CONFERENCE = 2, "Hội nghị cán bộ chủ chốt (bỏ phiếu kín)"
    EXTENDED_MEETING = 3, "Hội nghị tập thể lãnh đạo mở rộng"
    FINAL_VOTE = 4, "Hội nghị biểu quyết cuối cùng"

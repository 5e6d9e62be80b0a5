from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố"
    DISTRICT = "district", "Huyện, thị xã, thành phố thuộc tỉnh"
    AGENCY = "agency", "Cơ quan, ban, ngành"
    COMMUNE = "commune", "Xã"
    TOWN = "town", "Thị trấn"
    WARD = "ward", "Phường"
    VILLAGE = "village", "Thôn, bản, khu phố"
    SCHOOL = "school", "Trường học"
    OTHER = "other", "Khác"


class Level(models.TextChoices):
    """The tier a unit, position or cadre belongs to, as reports split them."""

    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    VILLAGE = "village", "Cấp thôn"


# A unit's own tier for the kinds that fix it; agencies and schools take their parent's.
LEVEL_OF_KIND = {
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.DISTRICT: Level.DISTRICT,
    UnitKind.COMMUNE: Level.COMMUNE,
    UnitKind.TOWN: Level.COMMUNE,
    UnitKind.WARD: Level.COMMUNE,
    UnitKind.VILLAGE: Level.VILLAGE,
}


class Category(models.TextChoices):
    CADRE = "can_bo", "Cán bộ"
    CIVIL_SERVANT = "cong_chuc", "Công chức"
    PUBLIC_EMPLOYEE = "vien_chuc", "Viên chức"
    PART_TIME = "khong_chuyen_trach", "Người hoạt động không chuyên trách"

    @property
    def short_label(self) -> str:
        """The label in a list's column, where the full one of the part-time category wrapped
        over five lines in every row."""
        return "Không chuyên trách" if self == Category.PART_TIME else self.label


class Standing(models.TextChoices):
    """Whether a district list names the cadre as holding the post or as its reserve (source)."""

    INCUMBENT = "incumbent", "Đương chức"
    RESERVE = "reserve", "Dự nguồn"


class Track(models.TextChoices):
    GENERAL_EDUCATION = "general_education", "Giáo dục phổ thông"
    PROFESSIONAL = "professional", "Chuyên môn"
    POLITICAL_THEORY = "political_theory", "Lý luận chính trị"
    STATE_MANAGEMENT = "state_management", "Quản lý nhà nước"
    DEFENCE_SECURITY = "defence_security", "Quốc phòng - an ninh"
    IT = "it", "Tin học"
    FOREIGN_LANGUAGE = "foreign_language", "Ngoại ngữ"


class StudyMode(models.TextChoices):
    FULL_TIME = "full_time", "Chính quy"
    IN_SERVICE = "in_service", "Tại chức, vừa làm vừa học"
    DISTANCE = "distance", "Từ xa"
    SHORT_COURSE = "short_course", "Bồi dưỡng ngắn hạn"
    OTHER = "other", "Khác"


class EvaluationResult(models.TextChoices):
    """Annual quality rating (Quy định 124-QĐ/TW, Nghị định 90/2020/NĐ-CP)."""

    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "completed", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "not_completed", "Không hoàn thành nhiệm vụ"


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    DEMOTION = "demotion", "Hạ bậc lương"
    REMOVAL = "removal", "Cách chức"
    DISMISSAL = "dismissal", "Buộc thôi việc, bãi nhiệm"
    EXPULSION = "expulsion", "Khai trừ"


class FamilySide(models.TextChoices):
    OWN = "own", "Về bản thân"
    SPOUSE = "spouse", "Về bên vợ (hoặc chồng)"

from django.db import models


class ProgrammeTrack(models.TextChoices):
    """What a programme trains for. The first six match ``cadres.choices.Track``; military and
    police courses grant professional levels, refresher courses grant none."""

    PROFESSIONAL = "professional", "Chuyên môn"
    POLITICAL_THEORY = "political_theory", "Lý luận chính trị"
    STATE_MANAGEMENT = "state_management", "Quản lý nhà nước"
    DEFENCE_SECURITY = "defence_security", "Quốc phòng - an ninh"
    IT = "it", "Tin học"
    FOREIGN_LANGUAGE = "foreign_language", "Ngoại ngữ"
    MILITARY = "military", "Quân sự"
    POLICE = "police", "Công an"
    REFRESHER = "refresher", "Bồi dưỡng"


class InstitutionKind(models.TextChoices):
    NATIONAL_ACADEMY = "national_academy", "Học viện trung ương"
    PROVINCIAL_POLITICAL_SCHOOL = "provincial_political_school", "Trường chính trị tỉnh"
    PROVINCIAL_MILITARY_SCHOOL = "provincial_military_school", "Trường quân sự tỉnh"
    POLICE_SCHOOL = "police_school", "Trường công an"
    UNIVERSITY = "university", "Trường đại học, cao đẳng"
    VOCATIONAL = "vocational", "Trường trung cấp"
    DISTRICT_CENTRE = "district_centre", "Trung tâm chính trị cấp huyện"


class NeedSource(models.TextChoices):
    PLANNING_GAP = "planning_gap", "Thiếu tiêu chuẩn chức danh quy hoạch"
    AGENCY_PROPOSAL = "agency_proposal", "Cơ quan, đơn vị đề xuất"
    OWN_REQUEST = "own_request", "Cá nhân đề nghị"


class NeedClass(models.TextChoices):
    """How the advisory agencies classify a need when they review them together."""

    URGENT = "urgent", "Cấp thiết (trong năm)"
    TERM = "term", "Trong nhiệm kỳ"
    LONG_TERM = "long_term", "Dài hạn"


class NeedStatus(models.TextChoices):
    OPEN = "open", "Chưa có kế hoạch"
    PLANNED = "planned", "Đã đưa vào kế hoạch"
    CLOSED = "closed", "Đã đóng"


class NeedClosure(models.TextChoices):
    GAP_CLOSED = "gap_closed", "Không còn thiếu tiêu chuẩn"
    TRAINED = "trained", "Đã được đào tạo"
    DISPATCHED = "dispatched", "Đã có quyết định cử đi học"
    CANCELLED = "cancelled", "Hủy"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    APPROVED = "approved", "Đã phê duyệt"


class Seat(models.TextChoices):
    QUOTA = "quota", "Chỉ tiêu trên giao"
    OWN = "own", "Chỉ tiêu của huyện"
    NONE = "none", "Chưa có chỉ tiêu"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", "Đề xuất"
    WAITING = "waiting", "Dự bị (hết chỉ tiêu)"
    NOT_ELIGIBLE = "not_eligible", "Chưa đủ điều kiện"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Không duyệt"
    DISPATCHED = "dispatched", "Đã có quyết định cử đi học"


class DispatchMode(models.TextChoices):
    FULL_TIME = "full_time", "Tập trung"
    IN_SERVICE = "in_service", "Vừa làm vừa học"


class PoolRole(models.TextChoices):
    """The dispatched cadre's place in the planning when sent (as the dispatch list states
    it), kept on the dispatch: the report counts it as recorded, not as planning is now."""

    INCUMBENT = "incumbent", "Đương chức"
    RESERVE = "reserve", "Dự nguồn"


class DispatchStatus(models.TextChoices):
    PLANNED = "planned", "Đã có quyết định, chưa nhập học"
    STUDYING = "studying", "Đang học"
    GRADUATED = "graduated", "Đã tốt nghiệp"
    FAILED = "failed", "Không đạt"
    WITHDRAWN = "withdrawn", "Bỏ học, thôi học"


class CourseTopic(models.TextChoices):
    INSPECTION = "inspection", "Nghiệp vụ công tác kiểm tra, giám sát"
    PROPAGANDA = "propaganda", "Nghiệp vụ công tác tuyên giáo"
    MASS_MOBILISATION = "mass_mobilisation", "Nghiệp vụ công tác dân vận"
    STATE_MANAGEMENT = "state_management", "Kỹ năng quản lý nhà nước"
    LEADERSHIP = "leadership", "Kỹ năng lãnh đạo, quản lý"
    COMMITTEE_MEMBERS = "committee_members", "Bồi dưỡng cấp ủy viên, bí thư chi bộ"
    PARTY_ADMISSION = "party_admission", "Nhận thức về Đảng (cảm tình Đảng)"
    NEW_PARTY_MEMBERS = "new_party_members", "Chương trình đảng viên mới"
    RESOLUTIONS = "resolutions", "Học tập, quán triệt nghị quyết"
    ELEMENTARY_THEORY = "elementary_theory", "Sơ cấp lý luận chính trị"
    OTHER = "other", "Khác"


class AttendanceResult(models.TextChoices):
    EXCELLENT = "excellent", "Xuất sắc"
    GOOD = "good", "Giỏi"
    FAIR = "fair", "Khá"
    PASSED = "passed", "Đạt"
    FAILED = "failed", "Không đạt"
    ABSENT = "absent", "Vắng, bỏ học"


class PolicyKind(models.TextChoices):
    """Support for training is paid for a dispatch or an attendance; attraction of highly
    qualified people (thu hút) is paid to a cadre for coming to work, without any study."""

    TRAINING = "training", "Hỗ trợ đào tạo, bồi dưỡng"
    ATTRACTION = "attraction", "Thu hút người có trình độ cao"


class RateBasis(models.TextChoices):
    PER_MONTH = "per_month", "Theo tháng học"
    PER_DAY = "per_day", "Theo ngày học"
    PER_COURSE = "per_course", "Theo khóa, lớp"
    LUMP_SUM = "lump_sum", "Khoản một lần"
    PER_DEGREE = "per_degree", "Khi nhận bằng"
    TRAVEL = "travel", "Tiền đi lại"
    ATTRACTION = "attraction", "Thu hút người có trình độ cao"


class RepaymentCase(models.TextChoices):
    """Why a trainee repays the cost of training (Nghị định 101/2017/NĐ-CP điều 7 khoản 1)."""

    LEFT_AFTER_GRADUATION = (
        "left_after_graduation",
        "Đã tốt nghiệp, thôi việc hoặc chuyển công tác khi chưa phục vụ đủ thời gian cam kết",
    )
    FAILED = "failed", "Học xong nhưng không được cấp văn bằng tốt nghiệp"
    WITHDRAWN = "withdrawn", "Tự ý bỏ học, thôi học hoặc bị buộc thôi học"
    LEFT_DURING_STUDY = "left_during_study", "Thôi việc, chuyển công tác khi đang học"


class RepaymentMethod(models.TextChoices):
    FULL = "full", "Bồi hoàn toàn bộ chi phí"
    PRO_RATA = "pro_rata", "Theo thời gian cam kết chưa phục vụ"
    NONE = "none", "Không phải bồi hoàn"


class Enforcement(models.TextChoices):
    """What a programme's eligibility rule does when a dispatch misses it."""

    REFUSE = "refuse", "Không cho cử đi học"
    WARN = "warn", "Cảnh báo, vẫn cho cử"
    OFF = "off", "Không áp dụng"

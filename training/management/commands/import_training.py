"""Import a training list (dispatches, a class's attendances, support payments) from a file,
through the same code as the admin's import buttons and with import_cadres's output."""

from core.imports.command import ImportCommand
from core.imports.resources import BulkModelResource
from training.resources import (
    AttendanceResource,
    CourseResource,
    DispatchResource,
    InstitutionResource,
    ProgrammeResource,
    SupportPaymentResource,
    SupportPolicyResource,
)

KINDS = {
    "dispatches": DispatchResource,
    "courses": CourseResource,
    "attendances": AttendanceResource,
    "payments": SupportPaymentResource,
    "institutions": InstitutionResource,
    "programmes": ProgrammeResource,
    "policies": SupportPolicyResource,
}


class Command(ImportCommand):
    help = (
        "Nhập danh sách đào tạo từ tệp CSV/xlsx/xls: cử đi học (dispatches), lớp bồi dưỡng "
        "(courses), học viên các lớp (attendances), chi hỗ trợ (payments), cơ sở đào tạo "
        "(institutions), chương trình (programmes) hoặc chính sách hỗ trợ (policies). In "
        "'line L: reason' cho mỗi dòng bị từ chối, rồi 'new N, updated N, unchanged N, "
        "rejected N'. Có dòng bị từ chối thì không ghi gì và trả mã lỗi 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="Loại danh sách trong tệp.")
        super().add_arguments(parser)

    def resource(self, options: dict) -> BulkModelResource:
        return KINDS[options["kind"]]()

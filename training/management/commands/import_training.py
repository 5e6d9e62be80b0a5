"""Import a training list (dispatches, a class's attendances, support payments) from a file,
through the same code as the admin's import buttons and with import_cadres's output."""

from core.imports.command import ImportCommand
from core.imports.resources import BulkModelResource
from training.resources import AttendanceResource, DispatchResource, SupportPaymentResource

KINDS = {
    "dispatches": DispatchResource,
    "attendances": AttendanceResource,
    "payments": SupportPaymentResource,
}


class Command(ImportCommand):
    help = (
        "Nhập danh sách đào tạo từ tệp CSV/xlsx/xls: cử đi học (dispatches), học viên một lớp "
        "bồi dưỡng (attendances) hoặc chi hỗ trợ (payments). In 'line L: reason' cho mỗi dòng "
        "bị từ chối, rồi 'new N, updated N, unchanged N, rejected N'. Có dòng bị từ chối "
        "thì không ghi gì và trả mã lỗi 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="Loại danh sách trong tệp.")
        super().add_arguments(parser)

    def resource(self, options: dict) -> BulkModelResource:
        return KINDS[options["kind"]]()

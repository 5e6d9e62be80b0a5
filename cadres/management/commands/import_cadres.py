"""Import cadre records, or their qualification or work histories (``--kind``), from a file,
through the same code as the admin's import."""

from cadres.resources import IMPORT_KINDS
from core.imports.command import ImportCommand
from core.imports.resources import BulkModelResource


class Command(ImportCommand):
    help = (
        "Nhập hồ sơ cán bộ (hoặc văn bằng, chứng chỉ: --kind qualifications; quá trình công "
        "tác: --kind work_history) từ tệp CSV/xlsx/xls. In 'line L: reason' cho mỗi dòng "
        "bị từ chối, rồi 'new N, updated N, unchanged N, rejected N'. Có dòng bị từ chối "
        "thì không ghi gì và trả mã lỗi 1."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--kind",
            choices=list(IMPORT_KINDS),
            default="cadres",
            help="Loại dữ liệu trong tệp (mặc định: hồ sơ cán bộ).",
        )
        parser.add_argument(
            "--wipe-empty", action="store_true", help="Ô trống xóa giá trị đang lưu."
        )

    def resource(self, options: dict) -> BulkModelResource:
        return IMPORT_KINDS[options["kind"]](wipe_empty=options["wipe_empty"])

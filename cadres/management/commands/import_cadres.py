"""Import cadre records, or their qualification or work histories (``--kind``), from a file,
through the same code as the admin's import."""

from django.core.management.base import CommandError

from cadres.resources import IMPORT_KINDS, CadreResource
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
        parser.add_argument(
            "--category",
            default="",
            help="Đối tượng cho các dòng không ghi đối tượng mà chức danh cũng không cho biết "
            "(Cán bộ, Công chức, Viên chức, Không chuyên trách).",
        )

    def resource(self, options: dict) -> BulkModelResource:
        kind = IMPORT_KINDS[options["kind"]]
        if kind is not CadreResource:
            return kind(wipe_empty=options["wipe_empty"])
        category = ""
        if options["category"]:
            widget = CadreResource.fields["category"].widget
            try:
                category = widget.clean(options["category"])
            except ValueError as error:
                raise CommandError(f"--category: {error}") from error
        return kind(wipe_empty=options["wipe_empty"], default_category=category)

"""Import cadre records, or their qualification or work histories (``--kind``), from a file,
through the same code as the admin's import."""

from datetime import date

from cadres.resources import IMPORT_KINDS, CadreResource, UnitWidget
from core.imports.command import ImportCommand
from core.imports.resources import BulkModelResource


class Command(ImportCommand):
    help = (
        "Nhập hồ sơ cán bộ (hoặc văn bằng, chứng chỉ: --kind qualifications; quá trình công "
        "tác: --kind work_history; đơn vị: --kind units; chức danh: --kind positions; quá "
        "trình giữ chức vụ: --kind appointments) từ tệp CSV/xlsx/xls. In 'line L: reason' "
        "cho mỗi dòng bị từ chối, rồi 'new N, updated N, unchanged N, rejected N'. Có dòng "
        "bị từ chối thì không ghi gì và trả mã lỗi 1."
    )

    file_wide_options = {
        "category": "Đối tượng cho các dòng không ghi đối tượng mà chức danh cũng không cho "
        "biết (Cán bộ, Công chức, Viên chức, Không chuyên trách).",
        "unit": "Đơn vị của các cán bộ mới mà tệp không ghi đơn vị (danh sách của một xã, tên "
        'xã ở dòng tiêu đề), ví dụ --unit "Xã Mẫu Sơn".',
    }

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
            "--on",
            type=date.fromisoformat,
            default=None,
            help="Ngày danh sách mô tả (YYYY-MM-DD), với danh sách cũ: đơn vị đọc theo tên "
            "của ngày đó, chức vụ tính từ ngày đó nếu dòng không ghi ngày bổ nhiệm.",
        )

    def resource(self, options: dict) -> BulkModelResource:
        kind = IMPORT_KINDS[options["kind"]]
        if kind is not CadreResource:
            return kind(wipe_empty=options["wipe_empty"])
        category = self.file_wide(options, "category", CadreResource.fields["category"].widget)
        unit = self.file_wide(options, "unit", UnitWidget(on=options["on"]))
        return kind(
            wipe_empty=options["wipe_empty"],
            default_category=category or "",
            default_unit=str(unit.pk) if unit else "",
            on=options["on"],
        )

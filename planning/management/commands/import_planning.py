"""Import a planning list (who is planned for which position, incumbent or reserve, in which
term) from a file, through the same code as the admin's import on the planning entries."""

from core.imports.command import ImportCommand
from core.imports.resources import BulkModelResource
from planning.resources import PlanningEntryResource


class Command(ImportCommand):
    help = (
        "Nhập danh sách quy hoạch (người được quy hoạch, chức danh, đương chức/dự nguồn, "
        "nhiệm kỳ) từ tệp CSV/xlsx/xls, qua các quy định về số lượng và tiêu chuẩn như khi "
        "nhập trong trang quản trị. In 'line L: reason' cho mỗi dòng bị từ chối, rồi 'new N, "
        "updated N, unchanged N, rejected N'. Có dòng bị từ chối thì không ghi gì và trả mã "
        "lỗi 1."
    )

    file_wide_options = {
        "unit": "Đơn vị của các dòng, khi tệp không có cột đơn vị.",
        "decision": "Số quyết định phê duyệt, bổ sung quy hoạch của các dòng, khi tệp không có "
        "cột quyết định.",
    }

    def resource(self, options: dict) -> BulkModelResource:
        fields = PlanningEntryResource().fields  # widgets of its own: they cache what they read
        unit = self.file_wide(options, "unit", fields["unit"].widget)
        decision = self.file_wide(options, "decision", fields["added_by"].widget)
        return PlanningEntryResource(
            default_unit=str(unit.pk) if unit else "",
            default_decision=str(decision.pk) if decision else "",
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadres.choices import UnitKind
from cadres.models import Unit
from cadres.units import LOC_BINH_UNITS, load_units


class Command(BaseCommand):
    help = (
        "Nạp danh sách đơn vị và lịch sử sáp nhập từ tệp CSV (cột: code, name, kind, "
        "parent_code, valid_from, valid_to, merged_into_code, note). Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(LOC_BINH_UNITS))
        parser.add_argument("--root-code", default="20", help="Mã đơn vị gốc (tỉnh).")
        parser.add_argument("--root-name", default="Tỉnh Lạng Sơn", help="Tên đơn vị gốc.")

    def handle(self, *args, file, root_code, root_name, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        root, _ = Unit.objects.get_or_create(
            code=root_code, kind=UnitKind.PROVINCE, defaults={"name": root_name}
        )
        try:
            units, successions = load_units(path, root=root)
        except (KeyError, ValueError) as error:
            raise CommandError(f"Tệp không đúng định dạng: {error}") from error
        self.stdout.write(f"Thêm {units} đơn vị, {successions} lần sáp nhập.")

from django.core.management.base import BaseCommand, CommandError

from cadres.units import load_province_units


class Command(BaseCommand):
    help = (
        "Nạp danh sách xã, phường hiện hành (sau 01/7/2025) của một tỉnh với mã chính thức, "
        "từ gói vietnam-provinces. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("province_code", type=int, help="Mã tỉnh, ví dụ 20 (Lạng Sơn).")

    def handle(self, *args, province_code, **options):
        try:
            province, created = load_province_units(province_code)
        except ValueError as error:
            raise CommandError(f"Không có tỉnh mã {province_code}.") from error
        self.stdout.write(f"{province.name}: thêm {created} xã, phường.")

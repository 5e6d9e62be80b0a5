from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from training.needs import sync_from_planning


class Command(BaseCommand):
    help = (
        "Cập nhật nhu cầu đào tạo từ các tiêu chuẩn cán bộ quy hoạch còn thiếu: thêm nhu cầu "
        "mới, đóng nhu cầu không còn thiếu. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on", type=date.fromisoformat, help="Ngày tính (YYYY-MM-DD); mặc định hôm nay."
        )

    def handle(self, *args, **options):
        on = options["on"] or timezone.localdate()
        self.stdout.write(sync_from_planning(on).message())

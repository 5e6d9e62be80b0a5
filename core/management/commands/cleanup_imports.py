"""Delete uploads whose import preview was abandoned, or whose background import failed or
stopped and was not retried in time. Runs by itself at each new upload; may also be run from
cron, e.g. hourly: ``python manage.py cleanup_imports``."""

from django.core.management.base import BaseCommand

from core.imports.batches import cleanup_imports


class Command(BaseCommand):
    help = (
        "Xóa các tệp tải lên để nhập nhưng không được xác nhận, hoặc nhập chạy nền bị lỗi "
        "mà không được chạy lại (quá hạn)."
    )

    def handle(self, *args, **options):
        removed = cleanup_imports()
        self.stdout.write(f"removed {removed} file(s)")

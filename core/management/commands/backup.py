import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu (pg_dump dạng custom trên PostgreSQL, sao lưu trực tuyến "
        "trên SQLite) kèm tệp mã kiểm tra SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR", str(Path(settings.BASE_DIR) / "backups")),
            help="Thư mục chứa bản sao lưu (mặc định: $BACKUP_DIR hoặc ./backups).",
        )

    def handle(self, *args, output, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        try:
            path = backup(Path(output), stamp)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))

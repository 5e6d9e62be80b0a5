from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào cơ sở dữ liệu rỗng, sau khi kiểm tra mã SHA-256. "
        "Không bao giờ ghi đè một cơ sở dữ liệu đã có dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu (.dump hoặc .sqlite3), cạnh tệp .sha256.")
        parser.add_argument(
            "--database-url",
            help="Cơ sở dữ liệu đích (mặc định: cơ sở dữ liệu đang cấu hình, phải rỗng).",
        )

    def handle(self, *args, file, database_url, **options):
        target = dj_database_url.parse(database_url) if database_url else connection.settings_dict
        path = Path(file)
        if not path.exists():
            raise CommandError(f"Không có tệp {path}.")
        try:
            restore(path, target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục {path.name}.")

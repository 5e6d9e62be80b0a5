from django.core.management.base import BaseCommand

from cadres.cv import TEMPLATE_DIR, TEMPLATE_FILES
from cadres.cv_templates import default_template


class Command(BaseCommand):
    help = "Ghi lại các mẫu Word mặc định của sơ yếu lý lịch 2C vào cadres/docx/."

    def handle(self, *args, **options):
        TEMPLATE_DIR.mkdir(exist_ok=True)
        for name in TEMPLATE_FILES.values():
            (TEMPLATE_DIR / name).write_bytes(default_template())
            self.stdout.write(f"Đã ghi {TEMPLATE_DIR / name}")

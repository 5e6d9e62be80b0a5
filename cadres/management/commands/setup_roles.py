from django.core.management.base import BaseCommand

from cadres.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Tạo hoặc cập nhật bốn nhóm quyền (quản trị, chuyên viên, cán bộ xã, thanh tra). "
        "Chạy lại sau khi thêm ứng dụng hoặc bảng mới."
    )

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            self.stdout.write(f"{name}: {count} quyền")

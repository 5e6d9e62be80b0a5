import random
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from cadres.roles import setup_roles
from core.audit import record_first_versions, tracked_models

SEED = 2022  # the year of the domain brief's report; any fixed seed keeps the demo repeatable


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: huyện Lộc Bình với các đơn vị thật, khoảng 3.000 cán bộ và dữ liệu "
        "quy hoạch, đào tạo. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", help="Tạo (nếu chưa có) tài khoản quản trị demo.")
        parser.add_argument("--admin-password", default="")

    def handle(self, *args, **options):
        rng = random.Random(SEED)
        # Each app may contribute a `demo` module with `build(rng, log)`; apps run in the order of
        # INSTALLED_APPS, so planning and training find the cadres already there.
        with transaction.atomic():
            modules = [
                import_module(f"{config.name}.demo")
                for config in apps.get_app_configs()
                if find_spec(f"{config.name}.demo") is not None
            ]
            for module in modules:
                module.build(rng, self.stdout.write)
            # Then what must come after every app's history (the 2025 mergers move villages).
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(rng, self.stdout.write)
            # The demo writes in bulk, past the history: each record gets its first version
            # here, so its history page starts with its creation as for records entered by hand.
            first = record_first_versions(tracked_models(), reason="Nạp dữ liệu mẫu")
            self.stdout.write(f"Lịch sử: {first} bản ghi được ghi phiên bản đầu tiên.")
            # The four roles with their permissions (as `manage.py setup_roles` after a
            # deployment), so that a user given a role in the demo can work at once.
            setup_roles()
            self.stdout.write("Vai trò: đã tạo 4 nhóm quyền (Phân công người dùng).")
        if options["admin_username"]:
            self.ensure_admin(options["admin_username"], options["admin_password"])

    def ensure_admin(self, username: str, password: str) -> None:
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            return
        User.objects.create_superuser(username=username, password=password, email="")
        self.stdout.write(f"Đã tạo tài khoản quản trị {username}.")

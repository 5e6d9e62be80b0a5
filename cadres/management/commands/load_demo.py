import random
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from cadres.models import Role, StaffAssignment, Unit
from cadres.roles import setup_roles
from core.audit import record_first_versions, tracked_models

SEED = 2022  # the year of the domain brief's report; any fixed seed keeps the demo repeatable
# The demo's users besides the administrator, with the administrator's password.
DEMO_ROLE_USERS = {
    "can_bo_xa": Role.COMMUNE,
    "chuyen_vien": Role.SPECIALIST,
    "thanh_tra": Role.INSPECTOR,
}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: huyện Lộc Bình với các đơn vị thật, khoảng 3.000 cán bộ và dữ liệu "
        "quy hoạch, đào tạo. Chạy lại không tạo trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-username",
            help="Tạo (nếu chưa có) tài khoản quản trị demo, và một tài khoản cho mỗi vai trò "
            "khác (cùng mật khẩu): " + ", ".join(DEMO_ROLE_USERS) + ".",
        )
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
            self.ensure_users(options["admin_username"], options["admin_password"])

    def ensure_users(self, username: str, password: str) -> None:
        """The demo administrator, and a user of each other role to try what it sees: a
        commune officer of the first 2025 commune, a district specialist, an inspector."""
        User = get_user_model()
        if not User.objects.filter(username=username).exists():
            User.objects.create_superuser(username=username, password=password, email="")
            self.stdout.write(f"Đã tạo tài khoản quản trị {username}.")
        commune = Unit.objects.communes().filter(valid_to__isnull=True).order_by("name").first()
        for name, role in DEMO_ROLE_USERS.items():
            if User.objects.filter(username=name).exists():
                continue
            user = User.objects.create_user(name, password=password)
            unit = commune if role == Role.COMMUNE else None
            StaffAssignment.objects.create(user=user, role=role, unit=unit)  # groups follow
            where = f" ({unit})" if unit else ""
            self.stdout.write(f"Đã tạo tài khoản {name}: {role.label}{where}.")

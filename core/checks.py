"""Deployment checks (``check --deploy``, a step of the README's production set-up): what would
otherwise only show once the site is up, as a 500 on the first page. Deployment-only, so that
``migrate`` and ``makemigrations`` still run before ``collectstatic``."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.files.storage import storages


@register(deploy=True)
def static_files_collected(app_configs, **kwargs) -> list[Error]:
    """With DEBUG off the static files are served by their hashed names from collectstatic's
    manifest; without the manifest every page, the login page first, is a 500."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin) or storage.read_manifest() is not None:
        return []
    return [
        Error(
            f"Chưa thu thập các tệp tĩnh: không có {storage.manifest_name} trong "
            f"{storage.location}; mọi trang (kể cả trang đăng nhập) sẽ lỗi 500.",
            hint="Chạy: python manage.py collectstatic --noinput (README, Triển khai).",
            id="core.E001",
        )
    ]

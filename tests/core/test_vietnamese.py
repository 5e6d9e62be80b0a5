"""Every string in Vietnamese, the libraries' included, and a quiet ``manage.py shell``."""

import contextlib
import io
import re

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.django_db

# English the libraries used to show: django-otp's device pages, Django's permission names,
# admin strings newer than Django's Vietnamese catalogue, django-axes and django-tasks-db names.
ENGLISH = re.compile(
    r"TOTP|Can (add|change|delete|view)|Skip to main content|Throttling|Task Result|"
    r"access attempt|access log|log entr|Model name|Add link|After you’ve created a user|"
    r"Password-based authentication|\bdevices?\b|\bAxes\b"
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", "\n", html)


def admin_pages() -> list[str]:
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}"))
    return pages


def test_no_admin_page_shows_the_english_of_a_library(admin_client):
    found = {}
    for url in admin_pages():
        response = admin_client.get(url)
        if response.status_code != 200:
            continue
        for line in visible_text(response.content.decode()).splitlines():
            if ENGLISH.search(line):
                found.setdefault(url, []).append(line.strip())
    assert found == {}


def test_the_authenticator_devices_are_listed_in_vietnamese(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Thiết bị xác thực hai bước" in page
    assert reverse("admin:core_authenticatordevice_changelist") in page
    device_form = admin_client.get(reverse("admin:core_authenticatordevice_add")).content.decode()
    assert "Người dùng sở hữu thiết bị này." in device_form
    assert "Chống dò mã" in device_form


def test_the_group_page_names_permissions_in_vietnamese(admin_client):
    page = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Hồ sơ cán bộ | cán bộ | Thêm cán bộ" in page
    assert "Đăng nhập sai | lần thử đăng nhập | Xem lần thử đăng nhập" in page


def test_the_calendar_of_the_date_widget_names_the_days_in_vietnamese(admin_client):
    catalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Ch\\u1ee7 nh\\u1eadt" in catalog or "Chủ nhật" in catalog


def test_the_shell_starts_without_a_warning_about_objects_it_could_not_import():
    out, err = io.StringIO(), io.StringIO()
    call_command("shell", command="print(Cadre.__name__)", verbosity=2, stdout=out, stderr=err)
    assert "could not be automatically imported" not in out.getvalue() + err.getvalue()
    assert "from cadres.models" in out.getvalue()


def test_file_inputs_say_choose_a_file_in_vietnamese_not_in_the_browsers_language(
    admin_client, cadre
):
    page = admin_client.get(reverse("admin:cadres_cadre_change", args=[cadre.pk]))
    html = page.content.decode()
    assert '<label class="file-pick"><input type="file" name="photo"' in html
    assert "Chọn tệp…" in html and "js/file-input.js" in html
    template_page = admin_client.get(reverse("admin:cadres_cvtemplate_add")).content.decode()
    assert '<label class="file-pick"><input type="file" name="file"' in template_page

"""With DEBUG off, a site started without collectstatic says so instead of a 500 login page."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from core.checks import static_files_collected

MANIFEST = {
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}


@pytest.fixture
def production_storage(settings, tmp_path):
    settings.STORAGES = MANIFEST
    settings.STATIC_ROOT = tmp_path
    return tmp_path


def test_without_collectstatic_the_check_fails_and_says_what_to_run(production_storage):
    errors = static_files_collected(None)
    assert [error.id for error in errors] == ["core.E001"]
    assert "collectstatic" in errors[0].hint
    with pytest.raises(SystemCheckError, match="core.E001"):
        call_command("check", deploy=True)
    call_command("check")  # not a deployment: makemigrations and migrate still run


def test_after_collectstatic_the_check_passes(production_storage):
    (production_storage / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "paths": {}, "hash": ""})
    )
    assert static_files_collected(None) == []


def test_the_check_has_nothing_to_say_while_static_files_are_served_unhashed(settings):
    settings.STORAGES = {
        **MANIFEST,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    assert static_files_collected(None) == []

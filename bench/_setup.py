"""Shared start-up of the benchmark scripts: Django settings for a local PostgreSQL run.

The scripts run outside pytest, against the database named by DATABASE_URL, with production-like
settings (DEBUG off, so Django keeps no query log) but without HTTPS redirects.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The test client renders templates without collectstatic (the server has its manifest).
    os.environ.setdefault("STATICFILES_MANIFEST", "false")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1/x")
    import django

    django.setup()

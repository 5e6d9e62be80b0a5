"""Loaded by pytest (``-p tests.environment``) before Django reads its settings.

Tests run with production settings except what cannot work under the test client: HTTPS
redirects. Every value can still be overridden from the environment (CI sets DATABASE_URL).
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("STATICFILES_MANIFEST", "false")
# Background tasks run inside the request, so no worker is needed (tests that check the queue
# switch to the database backend with override_settings).
os.environ.setdefault("TASKS_BACKEND", "immediate")

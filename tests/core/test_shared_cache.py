"""REDIS_URL: the figures' cache shared by every worker of a deployment (settings), and a
report's figures kept in Redis and read back from it without a query."""

import os
import socket
import subprocess
import sys
import uuid
from datetime import date

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from tests.factories import CadreFactory

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ON = date(2025, 6, 30)


def configured_cache(**environ) -> str:
    """The cache backend and session engine a fresh process builds from ``environ``."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    )
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"} | environ,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_without_redis_url_each_worker_keeps_its_own_cache_and_sessions_stay_in_the_database():
    assert configured_cache() == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db"
    )


def test_redis_url_shares_one_cache_and_caches_the_sessions():
    assert configured_cache(REDIS_URL="redis://cache.internal:6379/0") == (
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db"
    )


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
@pytest.mark.django_db
def test_a_reports_figures_are_kept_in_redis_and_read_back_without_a_query(
    counted, django_assert_num_queries
):
    prefix = f"test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    CadreFactory.create_batch(2)
    with override_settings(CACHES={"default": backend}):
        assert counted.run({"date_to": ON.isoformat()}, ON).table()[0][0] == 2
        with django_assert_num_queries(1):  # the versions only, not the count
            assert counted.run({"date_to": ON.isoformat()}, ON).table()[0][0] == 2
    # Kept in Redis, where any other worker's connection finds it.
    client = RedisCache(REDIS_URL, {})._cache.get_client(write=True)
    kept = client.keys(f"{prefix}:*")
    try:
        assert any(f":report:{counted.name}:".encode() in key for key in kept), kept
    finally:
        if kept:
            client.delete(*kept)

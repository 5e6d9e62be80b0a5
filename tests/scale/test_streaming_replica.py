"""The router against a real streaming replica: a second PostgreSQL cluster copied from the
primary with pg_basebackup and replaying its WAL (``.ci/replica`` starts one on port 5433).

Run with ``TEST_REPLICA_PORT=5433`` and a PostgreSQL ``DATABASE_URL``; CI (``CI=true``) requires
it. The test database the suite creates on the primary reaches the replica by replication, so
the replica alias points at the same database name on the other port.
"""

import os
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory

from cadres.models import Cadre
from config import routers
from config.routers import SESSION_KEY, ReadYourWritesMiddleware
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture(scope="module")
def replica_port(django_db_setup):
    port = os.environ.get("TEST_REPLICA_PORT")
    if connections["default"].vendor != "postgresql" or not port:
        if os.environ.get("CI") == "true" and connections["default"].vendor == "postgresql":
            pytest.fail("CI runs the replica tests: set TEST_REPLICA_PORT (see .ci/replica)")
        pytest.skip("no streaming replica (TEST_REPLICA_PORT) or not on PostgreSQL")
    # The alias is a test "mirror", so nothing flushes the read-only replica (the primary's flush
    # reaches it by replication), but it connects to the replica's own port.
    use_replica(port)
    yield port
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
    settings.DATABASES.pop("replica", None)


def use_replica(port: str) -> None:
    primary = connections["default"].settings_dict
    if hasattr(connections._connections, "replica"):  # a connection made with other settings
        connections["replica"].close()
        del connections["replica"]
    connections.settings["replica"] = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": port,
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    settings.DATABASES["replica"] = connections.settings["replica"]
    routers._replica_down_until = 0.0


@pytest.fixture
def replica(replica_port):
    use_replica(replica_port)


def replayed(cadre_pk: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Cadre.objects.using("replica").filter(pk=cadre_pk).exists():
            return True
        time.sleep(0.05)
    return False


def caught_up(seconds: float = 10) -> bool:
    """Whether the replica has replayed everything the primary wrote so far (within
    ``seconds``). Replay paused halfway through a transaction (this test's own set-up, which
    empties and refills the tables) would keep that transaction's table locks on the replica,
    and a read there would wait for them for ever."""
    position = routers.primary_wal_position()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if routers.replica_has_replayed(position):
            return True
        time.sleep(0.05)
    return False


def replay(paused: bool) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


def test_the_replica_replays_the_primarys_writes_and_serves_the_reads(replica):
    cadre = CadreFactory(full_name="Nông Thị Mai")
    assert replayed(cadre.pk)
    assert router.db_for_read(Cadre) == "replica"
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Nông Thị Mai"


def test_after_a_write_the_users_pages_read_the_primary_until_the_replica_caught_up(replica):
    seen = []

    def page(request):
        seen.append(router.db_for_read(Cadre))
        if request.method == "POST":
            CadreFactory(full_name="Hoàng Văn Tú")
        return HttpResponse()

    middleware = ReadYourWritesMiddleware(page)
    session = SessionStore()
    session.create()

    def visit(method: str):
        request = getattr(RequestFactory(), method)("/admin/")
        request.session = session
        middleware(request)

    assert caught_up()
    replay(paused=True)
    try:
        visit("post")
        assert session[SESSION_KEY]
        visit("get")  # the replica has not replayed the write: the primary answers
        assert seen[-1] == "default"
    finally:
        replay(paused=False)
    assert replayed(Cadre.objects.using("default").get(full_name="Hoàng Văn Tú").pk)
    visit("get")  # caught up: back to the replica, and the position is forgotten
    assert seen[-1] == "replica"
    assert SESSION_KEY not in session


def test_the_application_keeps_reading_when_the_replica_is_down(replica_port):
    use_replica("5439")  # nothing listens there
    try:
        cadre = CadreFactory(full_name="Lý Thị Hoa")
        assert router.db_for_read(Cadre) == "default"
        assert Cadre.objects.get(pk=cadre.pk).full_name == "Lý Thị Hoa"
    finally:
        use_replica(replica_port)

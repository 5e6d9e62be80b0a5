"""Without DATABASE_REPLICA_URL (the demo, a single server) the router stays out of the way."""

from django.db import router

from cadres.models import Cadre
from config.routers import ReplicaRouter


def test_without_a_replica_the_router_has_no_opinion_and_django_uses_default():
    assert ReplicaRouter().db_for_read(Cadre) is None
    assert router.db_for_read(Cadre) == "default"
    assert router.db_for_write(Cadre) == "default"

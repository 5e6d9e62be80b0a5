"""Reads go to a replica, writes and reads inside transactions to the primary.

The replica is a second database alias mirroring the test database (``TEST: {"MIRROR":
"default"}``), added for this module only: the rest of the suite runs without one. The tests are
transactional, since a replica cannot see the uncommitted rows of a test wrapped in a
transaction (nor can the router tell a test's transaction from a request's).
"""

import importlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.db.models.fields.files import FieldFile  # file inputs are posted empty
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre, Unit
from config.routers import ReplicaRouter
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup):
    primary = connections["default"].settings_dict
    mirror = {**primary, "TEST": {**primary["TEST"], "MIRROR": "default"}}
    connections.settings["replica"] = mirror
    settings.DATABASES["replica"] = mirror
    yield "replica"
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]
    settings.DATABASES.pop("replica", None)


@pytest.fixture(autouse=True)
def reference_data(replica):
    """The national lists the factories need. Transactional tests run after the others and
    start from whatever the previous transactional test left (a flushed database)."""
    from django.apps import apps

    load = importlib.import_module("cadres.migrations.0003_load_reference_data").load
    load(apps, None)


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


def test_a_read_outside_a_transaction_goes_to_the_replica():
    cadre = CadreFactory()
    with queries_on("replica") as replica, queries_on("default") as default:
        found = Cadre.objects.get(pk=cadre.pk)
    assert found._state.db == "replica"
    assert len(replica) == 1
    assert len(default) == 0


def test_writes_go_to_the_primary_even_for_a_row_read_from_the_replica():
    cadre = Cadre.objects.get(pk=CadreFactory().pk)
    cadre.full_name = "Nông Thanh Hải"
    with queries_on("replica") as replica, queries_on("default") as default:
        cadre.save()
    assert any(q["sql"].startswith("UPDATE") for q in default.captured_queries)
    assert not any(q["sql"].startswith("UPDATE") for q in replica.captured_queries)
    assert Cadre.objects.get(pk=cadre.pk).search_name == "nong thanh hai"


def test_reads_inside_a_transaction_go_to_the_primary():
    cadre = CadreFactory()
    with transaction.atomic(), queries_on("replica") as replica:
        found = Cadre.objects.get(pk=cadre.pk)
        units = list(Unit.objects.all())
    assert found._state.db == "default"
    assert units
    assert len(replica) == 0


def test_login_sessions_and_users_are_read_from_the_primary():
    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(get_user_model()) == "default"
    assert router.db_for_read(Cadre) == "replica"


INLINE_PREFIXES = (
    "appointments",
    "work_history",
    "qualifications",
    "salary_steps",
    "evaluations",
    "rewards",
    "disciplines",
    "family_relations",
)


def test_the_admin_reads_pages_from_the_replica_and_saves_edits_on_the_primary(admin_client):
    cadre = CadreFactory(full_name="Hoàng Văn Cũ")
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    with queries_on("replica") as replica:
        assert admin_client.get(reverse("admin:cadres_cadre_changelist")).status_code == 200
        form = admin_client.get(url).context["adminform"].form
    assert any('FROM "cadres_cadre"' in q["sql"] for q in replica.captured_queries)

    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, FieldFile)}
    data.update(
        full_name="Nông Thanh Hải",
        birth_date="17/05/1980",
        ethnicity=cadre.ethnicity_id,
        unit=cadre.unit_id,
        gender=cadre.gender,
        category=cadre.category,
    )
    for prefix in INLINE_PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    with queries_on("replica") as replica, queries_on("default") as default:
        response = admin_client.post(url, data)
    assert response.status_code == 302
    # The save runs in a transaction on the primary: it validates against what the primary holds.
    assert replica.captured_queries == []
    assert any(q["sql"].startswith("UPDATE") for q in default.captured_queries)
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Nông Thanh Hải"


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate("replica", "cadres") is False
    assert ReplicaRouter().allow_migrate("default", "cadres") is True

"""The platform models moved from cadres to core (core 0001, cadres 0010) without touching their
tables: a populated database migrates forward and back and keeps every row and permission."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# serialized_rollback: the flush after this test must not recreate content types with new ids
# under the serialized copy that the next serialized test puts back.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("cadres", "0009_background_jobs"), ("core", None)]
AFTER = [("cadres", "0010_move_platform_models_to_core"), ("core", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [target for target in targets if target[1] is not None]
    applied.append(("contenttypes", "0002_remove_content_type_name"))
    return executor.loader.project_state(applied).apps


@pytest.fixture
def latest():
    """Whatever a test leaves, the database ends on the newest migrations again."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def populate(apps, app_label):
    user = apps.get_model("auth", "User").objects.create(username="can-bo-nhap")
    batch = apps.get_model(app_label, "ImportBatch").objects.create(
        model="cadres.cadre", user=user, file_name="xa-tu-doan.csv", sha256="a" * 64, new=12
    )
    apps.get_model(app_label, "BackgroundJob").objects.create(
        kind="import", title="Nhập xa-tu-doan.csv", user=user, import_batch=batch
    )
    apps.get_model(app_label, "ExportLog").objects.create(user=user, what="Hồ sơ cán bộ", count=3)


def content_type_of(apps, app_label, model):
    content_types = apps.get_model("contenttypes", "ContentType")
    return content_types.objects.get_or_create(app_label=app_label, model=model)[0].pk


def rows(apps, app_label):
    batch = apps.get_model(app_label, "ImportBatch").objects.get()
    job = apps.get_model(app_label, "BackgroundJob").objects.get()
    log = apps.get_model(app_label, "ExportLog").objects.get()
    return (batch.file_name, batch.new, job.title, job.import_batch_id == batch.pk, log.count)


def test_a_populated_database_moves_the_platform_models_to_core_and_back(latest):
    apps = migrate(BEFORE)
    populate(apps, "cadres")
    batch_type = content_type_of(apps, "cadres", "importbatch")
    before = rows(apps, "cadres")

    apps = migrate(AFTER)
    assert rows(apps, "core") == before
    content_types = apps.get_model("contenttypes", "ContentType")
    # Permissions and admin log entries point at the same content type, now labelled core.
    assert content_types.objects.get(pk=batch_type).app_label == "core"

    apps = migrate(BEFORE)
    assert rows(apps, "cadres") == before
    assert content_types.objects.get(pk=batch_type).app_label == "cadres"

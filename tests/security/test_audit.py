"""Every change is in the record's history with who, when and each field's old and new value;
exports are logged."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cadres.models import Cadre, Qualification, Unit
from core.audit import acting_as, bulk_create_with_history, log_export
from core.models import ExportLog
from tests.factories import CadreFactory, QualificationFactory
from tests.security.conftest import change_form_data

pytestmark = pytest.mark.django_db


def test_a_change_in_the_admin_is_recorded_with_who_and_old_and_new_values(
    client, district_officer, cadre_a
):
    client.force_login(district_officer)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    data = change_form_data(client, url)
    data["job_title"] = "Phó Chủ tịch UBND xã"
    assert client.post(url, data).status_code == 302

    latest, previous = cadre_a.history.all()[:2]
    assert latest.history_type == "~"
    assert latest.history_user == district_officer
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes == {"job_title": ("", "Phó Chủ tịch UBND xã")}


def test_the_history_page_shows_who_changed_which_field(client, district_officer, cadre_a):
    client.force_login(district_officer)
    url = reverse("admin:cadres_cadre_change", args=[cadre_a.pk])
    data = change_form_data(client, url)
    data["full_name"] = "Nông Văn Ân"
    client.post(url, data)
    history = client.get(reverse("admin:cadres_cadre_history", args=[cadre_a.pk]))
    content = history.content.decode()
    assert history.status_code == 200
    assert "chuyen_vien" in content
    assert "Nông Văn An" in content and "Nông Văn Ân" in content


def test_creation_and_deletion_are_recorded(district_officer, commune_a):
    with acting_as(district_officer):
        cadre = CadreFactory(unit=commune_a)
        pk = cadre.pk
        cadre.delete()
    kinds = list(Cadre.history.filter(id=pk).values_list("history_type", "history_user"))
    assert kinds == [("-", district_officer.pk), ("+", district_officer.pk)]


def test_a_command_names_its_user_with_acting_as(board_administrator, commune_a):
    with acting_as(board_administrator):
        commune_a.note = "Sáp nhập theo Nghị quyết 1656"
        commune_a.save()
    assert commune_a.history.first().history_user == board_administrator
    commune_a.note = "Không ai"
    commune_a.save()
    assert commune_a.history.first().history_user is None


def test_bulk_writers_keep_the_history_with_bulk_create_with_history(
    board_administrator, commune_a
):
    cadres = [CadreFactory.build(unit=commune_a) for _ in range(3)]
    for cadre in cadres:
        cadre.derive_fields()
    with acting_as(board_administrator):
        bulk_create_with_history(cadres, Cadre, default_user=board_administrator)
    assert Cadre.history.filter(history_type="+").count() == 3
    assert set(Cadre.history.values_list("history_user", flat=True)) == {board_administrator.pk}


def test_bulk_created_rows_and_their_history_hold_every_value_as_saved(commune_a):
    """On PostgreSQL the rows go in by COPY: they must come back exactly as built, with ids,
    and each history row must be a copy of its row."""
    cadres = [CadreFactory.build(unit=commune_a, phone=f"09{i}") for i in range(3)]
    cadres[0].photo = "anh/the.jpg"  # a stored file's name, written as is
    for cadre in cadres:
        cadre.derive_fields()

    created = bulk_create_with_history(cadres, Cadre)

    assert all(c.pk and not c._state.adding for c in created)
    fields = [f.attname for f in Cadre._meta.concrete_fields if f.attname != "updated_at"]
    for cadre in created:
        stored = Cadre.objects.get(pk=cadre.pk)
        assert [getattr(stored, f) for f in fields] == [getattr(cadre, f) for f in fields]
        version = stored.history.get()
        tracked = [f.attname for f in Cadre.history.model.tracked_fields]
        assert [getattr(version, f) for f in tracked] == [getattr(stored, f) for f in tracked]
    assert Cadre.objects.get(pk=cadres[0].pk).photo.name == "anh/the.jpg"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path")
def test_bulk_created_history_rows_are_those_simple_history_writes(commune_a, board_administrator):
    """On PostgreSQL the history rows are copied by the database from the rows as stored:
    each must hold what simple-history writes for the row (its bulk_history_create), in the
    order of the rows."""
    cadres = [CadreFactory.build(unit=commune_a, phone=f"09{i}") for i in range(3)]
    for cadre in cadres:
        cadre.derive_fields()

    bulk_create_with_history(cadres, Cadre, default_user=board_administrator)
    Cadre.history.bulk_history_create(
        list(Cadre.objects.order_by("pk")), default_user=board_administrator
    )

    skip = {"history_id", "history_date"}
    for cadre in cadres:
        ours, library = (
            {k: v for k, v in version.items() if k not in skip}
            for version in Cadre.history.filter(id=cadre.pk).order_by("history_id").values()
        )
        assert ours == library
        assert ours["history_user_id"] == board_administrator.pk
    first = Cadre.history.order_by("history_id")[:3]
    assert [version.id for version in first] == [cadre.pk for cadre in cadres]


def test_a_foreign_key_set_to_a_row_saved_since_takes_its_id_and_an_unsaved_one_is_refused(
    commune_a,
):
    stored = QualificationFactory.build(cadre=CadreFactory(unit=commune_a))
    cadre = CadreFactory.build(unit=commune_a)
    later = QualificationFactory.build(cadre=cadre)  # cadre_id is None here
    cadre.save()
    bulk_create_with_history([stored, later], Qualification)
    assert Qualification.objects.get(pk=later.pk).cadre_id == cadre.pk
    with pytest.raises(ValueError, match="unsaved related object 'cadre'"):
        bulk_create_with_history(
            [QualificationFactory.build(cadre=CadreFactory.build(unit=commune_a))], Qualification
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path")
def test_rows_naming_stored_rows_are_copied_without_walking_their_fields(commune_a, monkeypatch):
    walks = []
    monkeypatch.setattr(
        Cadre, "_prepare_related_fields_for_save", lambda self, **kwargs: walks.append(self)
    )
    cadres = [CadreFactory.build(unit=commune_a) for _ in range(3)]
    for cadre in cadres:
        cadre.derive_fields()
    bulk_create_with_history(cadres, Cadre)
    assert walks == []
    assert set(Cadre.objects.values_list("unit_id", flat=True)) == {commune_a.pk}


def test_bulk_created_rows_are_stamped_with_the_moment_of_the_write(commune_a):
    cadres = [CadreFactory.build(unit=commune_a) for _ in range(3)]
    for cadre in cadres:
        cadre.derive_fields()
    before = timezone.now()
    created = bulk_create_with_history(cadres, Cadre)
    after = timezone.now()
    for cadre in created:
        stored = Cadre.objects.get(pk=cadre.pk)
        assert before <= stored.created_at <= after
        assert before <= stored.updated_at <= after
        assert (cadre.created_at, cadre.updated_at) == (stored.created_at, stored.updated_at)


def test_unit_changes_are_recorded_too(client, board_administrator, commune_a):
    client.force_login(board_administrator)
    url = reverse("admin:cadres_unit_change", args=[commune_a.pk])
    data = change_form_data(client, url)
    data["code"] = "06100"
    assert client.post(url, data).status_code == 302
    assert Unit.history.filter(id=commune_a.pk, history_type="~").exists()


def test_log_export_records_who_what_and_how_many(inspector):
    request = RequestFactory().get("/admin/cadres/cadre/export/", REMOTE_ADDR="10.0.0.7")
    request.user = inspector
    log_export(inspector, "Hồ sơ cán bộ", 120, request=request)
    log = ExportLog.objects.get()
    assert (log.user, log.what, log.count, log.ip_address) == (
        inspector,
        "Hồ sơ cán bộ",
        120,
        "10.0.0.7",
    )
    assert log.path == "/admin/cadres/cadre/export/"


def test_the_export_log_is_read_only_even_for_its_readers(client, board_administrator, inspector):
    log_export(inspector, "Danh sách quy hoạch", 5)
    client.force_login(board_administrator)
    assert client.get(reverse("admin:core_exportlog_changelist")).status_code == 200
    assert client.get(reverse("admin:core_exportlog_add")).status_code == 403


def test_the_cadre_history_page_shows_changes_to_its_2c_tables(
    client, district_officer, cadre_a, django_assert_max_num_queries
):
    from cadres.models import Reward

    with acting_as(district_officer):
        reward = Reward.objects.create(cadre=cadre_a, awarded_on="2023-01-01", form="Giấy khen")
        reward.form = "Bằng khen"
        reward.save()
    client.force_login(district_officer)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:cadres_cadre_history", args=[cadre_a.pk]))
    content = response.content.decode()
    assert "hình thức khen thưởng:</strong> Giấy khen &rarr; Bằng khen" in content
    assert "chuyen_vien" in content

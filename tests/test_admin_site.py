"""One test opens every page of every registered ModelAdmin: list, add, change, history and
delete, with a row of every model present. A new model without a row here fails the test."""

from datetime import date

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse

from cadres.choices import DisciplineForm, EvaluationResult
from cadres.models import (
    CvTemplate,
    Discipline,
    Evaluation,
    FamilyRelation,
    Reward,
    SalaryStep,
    StaffAssignment,
    UnitSuccession,
    WorkHistory,
)
from core.models import BackgroundJob, ExportLog, ImportBatch
from tests.factories import AppointmentFactory, QualificationFactory, UnitFactory
from tests.party.factories import one_of_everything as party_rows
from tests.planning.factories import one_of_everything as planning_rows
from tests.training.factories import one_of_everything as training_rows

pytestmark = pytest.mark.django_db

# Groups are made by setup_roles; an authenticator device would make the superuser's client
# pass a second factor first (tests/security/test_second_factor.py opens those pages).
WITHOUT_FIXTURE_ROWS = {"auth.group", "core.authenticatordevice"}


@pytest.fixture
def one_of_everything(cadre, django_user_model, superuser, settings, tmp_path):
    """At least one row of every registered model."""
    settings.MEDIA_ROOT = tmp_path
    CvTemplate.objects.create(form="tctw", file=ContentFile(b"PK", "2c.docx"))
    AppointmentFactory(cadre=cadre)
    QualificationFactory(cadre=cadre)
    WorkHistory.objects.create(
        cadre=cadre, start_date=date(2005, 1, 1), position_title="Chuyên viên", organisation="UBND"
    )
    SalaryStep.objects.create(cadre=cadre, effective_date=date(2020, 1, 1), coefficient="3.33")
    Evaluation.objects.create(cadre=cadre, year=2024, result=EvaluationResult.GOOD)
    Reward.objects.create(cadre=cadre, awarded_on=date(2023, 1, 1), form="Giấy khen")
    Discipline.objects.create(
        cadre=cadre, form=DisciplineForm.REPRIMAND, decided_on=date(2022, 1, 1)
    )
    FamilyRelation.objects.create(cadre=cadre, relation="Bố", full_name="Nông Văn Ba")
    batch = ImportBatch.objects.create(
        model="cadres.cadre", file_name="danh-sach.csv", sha256="0" * 64
    )
    BackgroundJob.objects.create(
        kind="import", title="Nhập danh-sach.csv", user=superuser, import_batch=batch
    )
    successor = UnitFactory(name="Xã Na Dương")
    UnitSuccession.objects.create(
        predecessor=cadre.unit, successor=successor, effective_date=date(2025, 7, 1)
    )
    user = django_user_model.objects.create_user("xa_tu_doan", password="Mật-khẩu-dài-456")
    StaffAssignment.objects.create(user=user, role="commune", unit=cadre.unit)
    ExportLog.objects.create(user=user, what="Hồ sơ cán bộ", count=1)
    planning_rows(cadre)
    party_rows(cadre)
    training_rows(cadre)


def registered_admins():
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin, model._meta.app_label, model._meta.model_name


def test_every_admin_page_answers_for_a_superuser(admin_client, superuser, one_of_everything):
    request = RequestFactory().get("/")
    request.user = superuser
    empty = []
    for _model, model_admin, app, name in registered_admins():
        urls = [reverse(f"admin:{app}_{name}_changelist")]
        # Read-only admins (logs, party.CoveredUnit) have no add or delete page, even for a
        # superuser.
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{app}_{name}_add"))
        # The admin's own queryset: a proxy list may show only some rows of its table.
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            empty.append(f"{app}.{name}")
        else:
            urls += [
                reverse(f"admin:{app}_{name}_change", args=[obj.pk]),
                reverse(f"admin:{app}_{name}_history", args=[obj.pk]),
            ]
            if model_admin.has_delete_permission(request, obj):
                urls.append(reverse(f"admin:{app}_{name}_delete", args=[obj.pk]))
        for url in urls:
            response = admin_client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert set(empty) <= WITHOUT_FIXTURE_ROWS, f"no row in one_of_everything: {empty}"

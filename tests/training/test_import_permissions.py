"""The dispatch, attendance and payment lists are imported under their own ``import_*``
permission, like every other list: roles get it as their write rights say."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LISTS = ["dispatch", "attendance", "supportpayment"]


def import_page(client, user, model: str) -> int:
    client.force_login(user)
    return client.get(reverse(f"admin:training_{model}_import")).status_code


@pytest.mark.parametrize("model", LISTS)
def test_the_district_specialist_may_import_the_list(client, district_officer, model):
    assert district_officer.has_perm(f"training.import_{model}")
    assert import_page(client, district_officer, model) == 200


@pytest.mark.parametrize("model", LISTS)
def test_the_inspector_may_not(client, inspector, model):
    assert not inspector.has_perm(f"training.import_{model}")
    assert import_page(client, inspector, model) == 403


def test_commune_staff_import_their_class_lists_but_not_dispatches_or_payments(client, officer_a):
    assert officer_a.has_perm("training.import_attendance")
    assert import_page(client, officer_a, "attendance") == 200
    assert import_page(client, officer_a, "dispatch") == 403
    assert import_page(client, officer_a, "supportpayment") == 403

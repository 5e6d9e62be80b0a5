import pytest
from django.core.management import call_command
from django.urls import reverse

from cadres.models import Appointment, Cadre, Qualification, Role, StaffAssignment, Unit
from core.audit import tracked_models

pytestmark = pytest.mark.django_db


def test_demo_builds_a_district_and_is_safe_to_run_twice(django_user_model, client):
    call_command("load_demo", "--admin-username", "admin", "--admin-password", "x")
    cadres = Cadre.objects.count()
    assert 2500 <= cadres <= 3500
    assert Unit.objects.communes().filter(parent__code="188").count() >= 18
    assert Appointment.objects.count() > 300
    assert Qualification.objects.count() > cadres
    # Plausible distributions: mostly Tày and Nùng, women and Kinh present.
    shares = {
        code: Cadre.objects.filter(ethnicity__code=code).count() / cadres
        for code in ("02", "07", "01")
    }
    assert shares["02"] > 0.3 and shares["07"] > 0.3 and 0.05 < shares["01"] < 0.2
    assert 0.25 < Cadre.objects.women().count() / cadres < 0.5
    assert Cadre.objects.filter(professional_level__isnull=False).count() == cadres

    versions = Cadre.history.count()
    call_command("load_demo", "--admin-username", "admin", "--admin-password", "x")
    assert Cadre.objects.count() == cadres
    assert Cadre.history.count() == versions  # a second run adds no second first version
    assert django_user_model.objects.filter(username="admin", is_superuser=True).count() == 1

    # The demo's commune officer works at once (the roles have permissions) and sees only
    # their commune's cadres; the inspector sees every cadre and may change none.
    clerk, inspector = (
        django_user_model.objects.get(username=name) for name in ("can_bo_xa", "thanh_tra")
    )
    assert clerk.check_password("x") and inspector.check_password("x")
    assert StaffAssignment.objects.get(user=clerk).role == Role.COMMUNE
    client.force_login(clerk)
    response = client.get(reverse("admin:cadres_cadre_changelist"))
    assert 0 < response.context["cl"].result_count == Cadre.objects.visible_to(clerk).count()
    assert response.context["cl"].result_count < cadres
    client.force_login(inspector)
    assert client.get(reverse("admin:cadres_cadre_changelist")).status_code == 200
    assert Cadre.objects.visible_to(inspector).count() == cadres
    assert client.get(reverse("admin:cadres_cadre_add")).status_code == 403


def test_every_demo_record_has_its_creation_in_its_history(admin_client):
    call_command("load_demo")
    for model in tracked_models():
        missing = model._default_manager.exclude(pk__in=model.history.values("id"))
        assert not missing.exists(), model._meta.label
    cadre = Cadre.objects.order_by("pk").first()
    assert cadre.history.get().history_type == "+"
    response = admin_client.get(reverse("admin:cadres_cadre_history", args=[cadre.pk]))
    content = response.content.decode()
    assert "Tạo mới" in content and "Nạp dữ liệu mẫu" in content
    # The cadre's 2C rows (qualifications, family) show their creation as well.
    assert content.count("Tạo mới") > 3

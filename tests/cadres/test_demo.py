import pytest
from django.core.management import call_command

from cadres.models import Appointment, Cadre, Qualification, Unit

pytestmark = pytest.mark.django_db


def test_demo_builds_a_district_and_is_safe_to_run_twice(django_user_model):
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

    call_command("load_demo", "--admin-username", "admin", "--admin-password", "x")
    assert Cadre.objects.count() == cadres
    assert django_user_model.objects.filter(username="admin", is_superuser=True).count() == 1

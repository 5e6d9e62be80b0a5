from datetime import date

import pytest
from django.db import connection
from django.db.models.fields.files import FieldFile  # file inputs are posted empty
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Qualification
from tests.factories import CadreFactory, PositionFactory, UnitFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    DispatchFactory,
    NeedFactory,
    PaymentFactory,
    PlanFactory,
    PlanLineFactory,
    TraineeFactory,
    institution,
    programme,
)
from tests.training.factories import one_of_everything as training_rows
from training.choices import DispatchStatus
from training.models import (
    Attendance,
    Course,
    PlanCandidate,
    Reimbursement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything(cadre):
    return training_rows(cadre)


def make_rows(kind: str, n: int) -> None:
    commune = UnitFactory()
    plan = PlanFactory(unit=commune)
    line = PlanLineFactory(plan=plan, target=n)
    course = CourseFactory()
    for _ in range(n):
        cadre = CadreFactory(unit=commune)
        dispatch = DispatchFactory(cadre=cadre)
        PaymentFactory(dispatch=dispatch)
        need = NeedFactory(cadre=cadre, position=PositionFactory())
        PlanCandidate.objects.create(line=line, cadre=cadre, need=need)
        AttendanceFactory(course=course, cadre=cadre)
        attendance = AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory())
        PaymentFactory(dispatch=None, attendance=attendance)
        CourseFactory()


CHANGELISTS = [
    "dispatch",
    "attendance",
    "trainingneed",
    "plancandidate",
    "supportpayment",
    "trainee",
    "course",
    "planline",
    "trainingplan",
    "programme",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelists_run_the_same_number_of_queries_whatever_their_size(
    admin_client, django_assert_max_num_queries, name
):
    url = reverse(f"admin:training_{name}_changelist")
    counts = []
    for rows in (3, 30):
        make_rows(name, rows if not counts else rows - 3)
        with django_assert_max_num_queries(20) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], f"{name}: {counts}"


def test_attendance_list_is_entered_on_the_class_page_with_cadres_and_others(admin_client, cadre):
    trainee = TraineeFactory(full_name="Hoàng Văn Cảm Tình")
    data = {
        "name": "Lớp nhận thức về Đảng khóa 1",
        "topic": "party_admission",
        "organiser": institution("Trung tâm Chính trị huyện Lộc Bình").pk,
        "start_date": "04/03/2024",
        "end_date": "08/03/2024",
        "place": "Trung tâm Chính trị huyện",
        "attendances-TOTAL_FORMS": "2",
        "attendances-INITIAL_FORMS": "0",
        "costs-TOTAL_FORMS": "0",
        "costs-INITIAL_FORMS": "0",
        "attendances-0-cadre": cadre.pk,
        "attendances-0-result": "good",
        "attendances-1-trainee": trainee.pk,
        "attendances-1-result": "passed",
    }
    response = admin_client.post(reverse("admin:training_course_add"), data)
    assert response.status_code == 302, response.context["errors"]
    course = Course.objects.get()
    assert course.attendances.totals() == {"attendances": 2, "people": 2, "courses": 1}


def test_an_attendance_row_with_nobody_is_refused(admin_client):
    data = {
        "name": "Lớp bồi dưỡng",
        "topic": "inspection",
        "organiser": institution("Trung tâm Chính trị huyện Lộc Bình").pk,
        "start_date": "04/03/2024",
        "end_date": "08/03/2024",
        "attendances-TOTAL_FORMS": "1",
        "attendances-INITIAL_FORMS": "0",
        "costs-TOTAL_FORMS": "0",
        "costs-INITIAL_FORMS": "0",
        "attendances-0-result": "failed",
        "attendances-0-certificate": "12",
    }
    response = admin_client.post(reverse("admin:training_course_add"), data)
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_cadre_autocomplete_answers_for_attendance_entry(admin_client, cadre):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "training", "model_name": "attendance", "field_name": "cadre", "term": "hai"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(cadre.pk)]


def test_marking_a_dispatch_graduated_in_the_admin_updates_the_cadre_at_once(admin_client, cadre):
    dispatch = DispatchFactory(cadre=cadre)
    url = reverse("admin:training_dispatch_change", args=[dispatch.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, FieldFile)}
    data.update(
        decision_date="15/08/2023",
        start_date="01/09/2023",
        end_date="01/05/2024",
        status=DispatchStatus.GRADUATED,
        graduated_on="10/05/2024",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cadre.refresh_from_db()
    assert cadre.political_theory_level.code == "LLCT_TRUNG_CAP"
    admin_client.post(url, data)
    assert Qualification.objects.filter(cadre=cadre).count() == 1


def test_draft_action_proposes_candidates_and_reports_the_seats(admin_client, one_of_everything):
    PlanCandidate.objects.all().delete()
    response = admin_client.post(
        reverse("admin:training_trainingplan_changelist"),
        {"action": "draft_from_needs", "_selected_action": [one_of_everything.pk]},
        follow=True,
    )
    assert "1 suất trên giao" in response.content.decode()
    assert PlanCandidate.objects.get().seat == "quota"


def test_linking_a_trainee_in_the_admin_moves_attendances_to_the_cadre(admin_client, cadre):
    trainee = TraineeFactory(full_name=cadre.full_name)
    AttendanceFactory(cadre=None, trainee=trainee)
    url = reverse("admin:training_trainee_change", args=[trainee.pk])
    data = {"full_name": trainee.full_name, "birth_date": "01/01/2000", "cadre": cadre.pk}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Attendance.objects.get().cadre == cadre


def test_totals_page_adds_up_the_year(admin_client, django_assert_max_num_queries, cadre):
    DispatchFactory(cadre=cadre)
    DispatchFactory(start_date=date(2022, 9, 1), end_date=date(2023, 5, 1))
    course = CourseFactory()
    AttendanceFactory(course=course, cadre=cadre)
    AttendanceFactory(course=CourseFactory(), cadre=cadre)
    AttendanceFactory(course=course, cadre=None, trainee=TraineeFactory())
    PaymentFactory(amount=2_500_000, paid_on=date(2023, 10, 1))
    url = reverse("admin:training_totals")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url, {"year": 2023})
    context = response.context
    assert context["dispatch_total"] == 2  # cadre's and the payment's dispatch, not 2022's
    assert context["attendance"] == {"attendances": 0, "people": 0, "courses": 0}
    assert [(r["year"], r["total"]) for r in context["money"]] == [(2023, 2_500_000)]
    response = admin_client.get(url, {"year": 2024})
    assert response.context["attendance"] == {"attendances": 3, "people": 2, "courses": 2}
    assert (
        "Tổng hợp"
        in admin_client.get(reverse("admin:training_dispatch_changelist")).content.decode()
    )


def test_needs_list_filters_the_open_needs_left_off_a_years_plan(admin_client, one_of_everything):
    left_out = NeedFactory(programme=programme("QLNN_CV"))
    response = admin_client.get(
        reverse("admin:training_trainingneed_changelist"), {"without_plan": 2025}
    )
    assert list(response.context["cl"].result_list) == [left_out]


def test_plan_lines_filter_the_quotas_not_yet_filled(admin_client, one_of_everything):
    url = reverse("admin:training_planline_changelist")
    assert len(admin_client.get(url, {"quota": "unfilled"}).context["cl"].result_list) == 0
    PlanCandidate.objects.update(status="rejected")
    assert len(admin_client.get(url, {"quota": "unfilled"}).context["cl"].result_list) == 1


@pytest.mark.parametrize(
    ("model_name", "field_name", "make"),
    [
        ("supportpayment", "dispatch", lambda: DispatchFactory()),
        ("supportpayment", "attendance", lambda: AttendanceFactory()),
        ("dispatch", "need", lambda: NeedFactory()),
    ],
)
def test_autocomplete_names_rows_in_a_fixed_number_of_queries(
    admin_client, model_name, field_name, make
):
    url = reverse("admin:autocomplete")
    params = {"app_label": "training", "model_name": model_name, "field_name": field_name}
    counts = []
    for rows in (2, 10):
        for _ in range(rows):
            make()
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url, params).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_reimbursement_form_works_out_the_amount_from_the_dispatch_and_the_leave_date(
    admin_client,
):
    dispatch = DispatchFactory(start_date=date(2023, 9, 1), end_date=date(2024, 5, 1))
    PaymentFactory(dispatch=dispatch, amount=16_000_000)
    add = reverse("admin:training_reimbursement_add")
    form = admin_client.get(add).context["adminform"].form
    assert {"cost", "months_committed", "months_served"}.isdisjoint(form.fields)

    response = admin_client.post(add, {"dispatch": dispatch.pk, "left_on": "01/09/2024"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    owed = Reimbursement.objects.get()
    # 8 months of study commit 16 months; 4 served after 1 May 2024: 12/16 of the cost.
    assert (owed.cost, owed.months_committed, owed.months_served) == (16_000_000, 16, 4)
    assert owed.amount == 12_000_000
    assert "89/2021" in owed.rule.legal_basis

    change = reverse("admin:training_reimbursement_change", args=[owed.pk])
    PaymentFactory(dispatch=dispatch, amount=4_000_000, paid_on=date(2024, 2, 1))
    admin_client.post(change, {"dispatch": dispatch.pk, "left_on": "01/09/2024", "repaid_on": ""})
    owed.refresh_from_db()
    assert owed.amount == 12_000_000  # nothing the figures depend on was edited
    admin_client.post(change, {"dispatch": dispatch.pk, "left_on": "01/01/2025"})
    owed.refresh_from_db()
    assert (owed.cost, owed.months_served, owed.amount) == (20_000_000, 8, 10_000_000)


def test_reimbursement_form_says_when_no_commitment_rule_was_in_force(admin_client):
    dispatch = DispatchFactory(
        decision_date=date(1990, 1, 1), start_date=date(1990, 9, 1), end_date=date(1991, 5, 1)
    )
    response = admin_client.post(
        reverse("admin:training_reimbursement_add"),
        {"dispatch": dispatch.pk, "left_on": "01/09/1992"},
    )
    errors = response.context["adminform"].form.errors
    assert "Không có quy định cam kết phục vụ" in errors["dispatch"][0]
    assert not Reimbursement.objects.exists()

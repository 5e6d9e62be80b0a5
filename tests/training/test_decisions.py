"""From a succession gap to a printed dispatch decision, without leaving the admin."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from core.models import BackgroundJob
from tests.factories import CadreFactory, PositionFactory, level
from tests.planning.factories import PlanningEntryFactory, PositionStandardFactory
from tests.training.factories import (
    NeedFactory,
    PlanFactory,
    PlanLineFactory,
    institution,
    programme,
)
from training import decisions
from training.choices import CandidateStatus, DispatchStatus, NeedStatus, PoolRole
from training.models import (
    Dispatch,
    DispatchDecision,
    PlanCandidate,
    PrintTemplate,
    TrainingNeed,
)

pytestmark = pytest.mark.django_db


def decision_form(**kwargs) -> dict:
    return {
        "number": "215-QĐ/HU",
        "issued_on": "2026-08-20",
        "issuer": "Ban Thường vụ Huyện ủy Lộc Bình",
        "signer": "Hoàng Văn Ký",
        "signer_title": "Phó Bí thư Thường trực",
        "institution": institution().pk,
        "mode": "in_service",
        "start_date": "2026-09-07",
        "end_date": "2027-05-07",
    } | kwargs


def test_a_gap_becomes_a_need_a_dispatch_and_a_printed_decision(admin_client):
    standard = PositionStandardFactory(
        position=PositionFactory(title="Chủ tịch UBND xã", is_key=True, rank=90),
        political_theory_level=level("LLCT_TRUNG_CAP"),
    )
    entry = PlanningEntryFactory(
        position=standard.position,
        cadre__birth_date=date(1988, 4, 2),
        cadre__general_education=level("PT_12_12"),
    )
    cadre = entry.cadre

    # 1. The gap becomes a need: a background run started from the needs list.
    response = admin_client.post(reverse("admin:training_trainingneed_from_planning"))
    job = BackgroundJob.objects.get()
    assert response.url == reverse("admin:core_backgroundjob_change", args=[job.pk])
    assert job.status == "done" and "thêm 1" in job.outcome
    need = TrainingNeed.objects.get(cadre=cadre)
    assert need.programme.code == "TRUNG_CAP_LLCT"

    # 2. The year's plan is drafted from the needs and approved.
    plan = PlanFactory(year=2026, unit=entry.unit)
    PlanLineFactory(plan=plan, quota=1, institution=institution())
    changelist = reverse("admin:training_trainingplan_changelist")
    for action in ("draft_from_needs", "approve"):
        admin_client.post(changelist, {"action": action, "_selected_action": [plan.pk]})
    candidate = PlanCandidate.objects.get(cadre=cadre)
    assert candidate.status == CandidateStatus.APPROVED

    # 3. The approved candidate is sent to study under one decision.
    candidates = reverse("admin:training_plancandidate_changelist")
    chosen = {"action": "issue_decision", "_selected_action": [candidate.pk]}
    form_page = admin_client.post(candidates, chosen)
    assert "Ra quyết định cử đi học" in form_page.text
    response = admin_client.post(candidates, chosen | {"confirm": "1"} | decision_form())
    decision = DispatchDecision.objects.get()
    assert response.url == reverse("admin:training_dispatchdecision_change", args=[decision.pk])
    dispatch = Dispatch.objects.get()
    assert (dispatch.decision, dispatch.decision_number, dispatch.status) == (
        decision,
        "215-QĐ/HU",
        DispatchStatus.PLANNED,
    )
    assert dispatch.pool_role == PoolRole.RESERVE  # as planned on the decision date
    candidate.refresh_from_db()
    need.refresh_from_db()
    assert candidate.status == CandidateStatus.DISPATCHED
    assert need.status == NeedStatus.CLOSED

    # 4. The decision and the school's summary list are printed.
    page = admin_client.get(reverse("admin:training_dispatchdecision_change", args=[decision.pk]))
    assert "In quyết định (Word)" in page.text
    printed = admin_client.get(
        reverse("admin:training_dispatchdecision_print", args=[decision.pk, "decision"])
    )
    text = docx_text(printed.content)
    assert "Số: 215-QĐ/HU" in text and cadre.full_name in text
    assert "Trung cấp lý luận chính trị tại Trường Chính trị Hoàng Văn Thụ" in text
    summary = admin_client.get(
        reverse("admin:training_dispatchdecision_print", args=[decision.pk, "list"])
    )
    assert "Dự nguồn" in docx_text(summary.content)
    sheet = load_workbook(
        BytesIO(
            admin_client.get(
                reverse("admin:training_dispatchdecision_print", args=[decision.pk, "list-xlsx"])
            ).content
        )
    ).active
    assert [c.value for c in sheet[4]][1:3] == [cadre.full_name, "02/04/1988"]


def docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def approved(cadre, plan_line):
    need = NeedFactory(cadre=cadre)
    return PlanCandidate.objects.create(
        line=plan_line, cadre=cadre, need=need, status=CandidateStatus.APPROVED
    )


def test_a_refused_candidate_stops_the_whole_decision_with_the_reason(admin_client):
    line = PlanLineFactory(plan=PlanFactory(year=2026))
    ok = approved(CadreFactory(general_education=level("PT_12_12")), line)
    old = approved(CadreFactory(full_name="Lý Văn Già", birth_date=date(1968, 1, 5)), line)
    response = admin_client.post(
        reverse("admin:training_plancandidate_changelist"),
        {"action": "issue_decision", "_selected_action": [ok.pk, old.pk], "confirm": "1"}
        | decision_form(),
    )
    assert "Lý Văn Già: Quá tuổi cử đi học Trung cấp lý luận chính trị: 58 tuổi" in response.text
    assert not DispatchDecision.objects.exists() and not Dispatch.objects.exists()


def test_candidates_not_yet_approved_are_not_sent():
    line = PlanLineFactory(plan=PlanFactory(year=2026))
    proposed = PlanCandidate.objects.create(line=line, cadre=CadreFactory())
    decision = DispatchDecision(
        number="1-QĐ",
        issued_on=date(2026, 8, 1),
        programme=programme("TRUNG_CAP_LLCT"),
        institution=institution(),
        start_date=date(2026, 9, 1),
        end_date=date(2027, 5, 1),
    )
    with pytest.raises(Exception, match="chưa được duyệt"):
        decisions.issue(decision, [proposed])


def test_an_uploaded_template_replaces_the_default(admin_client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    document = Document()
    document.add_paragraph("Mẫu riêng của huyện: {{ decision.number }}")
    content = BytesIO()
    document.save(content)
    PrintTemplate.objects.create(
        kind=PrintTemplate.Kind.DECISION,
        file=SimpleUploadedFile("mau.docx", content.getvalue()),
    )
    line = PlanLineFactory(plan=PlanFactory(year=2026))
    candidate = approved(CadreFactory(general_education=level("PT_12_12")), line)
    decision = DispatchDecision(
        number="9-QĐ/HU",
        issued_on=date(2026, 8, 1),
        programme=programme("TRUNG_CAP_LLCT"),
        institution=institution(),
        start_date=date(2026, 9, 1),
        end_date=date(2027, 5, 1),
    )
    decisions.issue(decision, [candidate])
    printed = admin_client.get(
        reverse("admin:training_dispatchdecision_print", args=[decision.pk, "decision"])
    )
    assert docx_text(printed.content).startswith("Mẫu riêng của huyện: 9-QĐ/HU")

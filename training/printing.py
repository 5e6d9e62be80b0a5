"""Printing a dispatch decision (Quyết định cử đi học) and the school's summary list (danh
sách trích ngang) from Word templates with docxtpl tags ({{ decision.number }}, a table row
``{%tr for row in rows %}``). The templates shipped in ``training/docx/`` are defaults; an
administrator uploads an edited copy as a ``PrintTemplate`` and it is used instead. The list
is also written as an Excel workbook with the same columns.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docxtpl import DocxTemplate
from openpyxl import Workbook
from openpyxl.styles import Font

from training.models import DispatchDecision, PrintTemplate

DEFAULTS = Path(__file__).parent / "docx"
DEFAULT_FILES = {
    PrintTemplate.Kind.DECISION: DEFAULTS / "quyet_dinh_cu_di_hoc.docx",
    PrintTemplate.Kind.SUMMARY_LIST: DEFAULTS / "danh_sach_trich_ngang.docx",
}

# The columns of the summary list, in the school's order: (heading, key of a row).
COLUMNS = [
    ("STT", "number"),
    ("Họ và tên", "full_name"),
    ("Ngày sinh", "birth_date"),
    ("Giới tính", "gender"),
    ("Dân tộc", "ethnicity"),
    ("Chức vụ, đơn vị công tác", "job"),
    ("Trình độ phổ thông", "general_education"),
    ("Chuyên môn", "professional"),
    ("Lý luận chính trị", "political_theory"),
    ("Ngày vào Đảng", "party_join_date"),
    ("Đương chức / dự nguồn", "pool_role"),
]


def label(level) -> str:
    return level.label if level is not None else ""


def context(decision: DispatchDecision) -> dict:
    """What the templates may use: ``decision`` (its fields as text) and ``rows``."""
    dispatches = decision.dispatches.select_related(
        "cadre__unit",
        "cadre__ethnicity",
        "cadre__general_education",
        "cadre__professional_level",
        "cadre__political_theory_level",
    ).order_by("cadre__full_name", "pk")
    rows = []
    for number, dispatch in enumerate(dispatches, start=1):
        cadre = dispatch.cadre
        job = ", ".join(part for part in (cadre.job_title, cadre.unit.name) if part)
        rows.append(
            {
                "number": number,
                "full_name": cadre.full_name,
                "birth_date": f"{cadre.birth_date:%d/%m/%Y}",
                "gender": cadre.get_gender_display(),
                "ethnicity": str(cadre.ethnicity or ""),
                "job": job,
                "general_education": label(cadre.general_education),
                "professional": label(cadre.professional_level),
                "political_theory": label(cadre.political_theory_level),
                "party_join_date": (
                    f"{cadre.party_join_date:%d/%m/%Y}" if cadre.party_join_date else ""
                ),
                "pool_role": dispatch.get_pool_role_display(),
            }
        )
    return {
        "decision": {
            "number": decision.number,
            "issued_on": f"{decision.issued_on:%d/%m/%Y}",
            "day": decision.issued_on.day,
            "month": decision.issued_on.month,
            "year": decision.issued_on.year,
            "issuer": decision.issuer,
            "signer": decision.signer,
            "signer_title": decision.signer_title,
            "programme": decision.programme.name,
            "institution": decision.institution.name,
            "start_date": f"{decision.start_date:%d/%m/%Y}",
            "end_date": f"{decision.end_date:%d/%m/%Y}",
            "mode": decision.get_mode_display(),
            "count": len(rows),
        },
        "rows": rows,
    }


def template_file(kind: str):
    """The uploaded template of ``kind`` if there is one, else the default."""
    uploaded = PrintTemplate.objects.filter(kind=kind).first()
    if uploaded is not None and uploaded.file:
        return uploaded.file.open("rb")
    return DEFAULT_FILES[kind].open("rb")


def render_docx(decision: DispatchDecision, kind: str) -> bytes:
    with template_file(kind) as source:
        document = DocxTemplate(BytesIO(source.read()))
    document.render(context(decision))
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def summary_xlsx(decision: DispatchDecision) -> bytes:
    data = context(decision)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách trích ngang"
    sheet.append([f"DANH SÁCH TRÍCH NGANG – kèm theo {decision}"])
    sheet.append([f"Cử đi học {data['decision']['programme']} tại {decision.institution}"])
    sheet.append([heading for heading, _ in COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        sheet.append([row[key] for _, key in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()

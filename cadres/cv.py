"""The 2C CV (sơ yếu lý lịch mẫu 2C/TCTW-98 and 2C-BNV/2008): one document model built from a
cadre's record and histories, rendered to .docx from a Word template with docxtpl tags (shipped in
``cadres/docx/``; the board adjusts it in Word and uploads it as a ``CvTemplate``, no code change)
and to PDF (fpdf2, pure Python, with TrueType fonts of the system: no office suite, browser or
network is needed on the server). Both read the same model, so they hold the same content; the
photo on the record prints in the photo box of both.

Family relations and the personal history are sensitive (domain brief): they are filled in only
for users allowed to view family relations. For a masked user (:mod:`core.masking`) the CCCD and
party lines and the file name are masked; every download is in the export log."""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpResponse

from cadres.choices import FamilySide, UnitKind
from cadres.models import LEVEL_FIELDS, Cadre, CvTemplate, Unit
from core.audit import log_export
from core.masking import MaskedRecord, sees_unmasked
from core.text import fold

FORM_CODE = "Mẫu 2C/TCTW-98"
FORMS = {"tctw": "2C/TCTW-98", "bnv": "2C-BNV/2008"}
SENSITIVE_PERMISSION = "cadres.view_familyrelation"
PREFETCH = [
    "qualifications__level",
    "work_history",
    "family_relations",
    "salary_steps",
    "rewards",
    "disciplines",
    "evaluations",
    "appointments__position",
    "appointments__unit",
]
RELATED = ["unit", "ethnicity", "religion", *LEVEL_FIELDS]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[int]  # relative


@dataclass
class Item:
    """A numbered line ("5) Sinh ngày: …"), a heading with a table or a text, or a sub-heading."""

    number: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)  # (label, value) on one line
    heading: str = ""
    table: Table | None = None
    text: str = ""
    key: str = ""  # the name of a history section in the Word template ("training", ...)


@dataclass
class CV:
    cadre: Cadre
    header_left: list[str]
    header_right: list[str]
    title: str
    items: list[Item]
    signature_left: list[str]
    signature_right: list[str]
    form: str = "tctw"

    @property
    def photo_path(self) -> Path | None:
        """The photo on the record, if its file is there."""
        photo = self.cadre.photo
        if not photo:
            return None
        try:
            path = Path(photo.path)
        except (NotImplementedError, ValueError):
            return None
        return path if path.exists() else None

    @property
    def file_stem(self) -> str:
        form = "2C-BNV" if self.title.endswith("CÔNG CHỨC") else "2C"
        cccd = self.cadre.cccd.replace("*", "x")  # masked: the last four digits
        return f"{form}_{fold(self.cadre.full_name).replace(' ', '_')}_{cccd}"


def d(value: date | str | None, fmt: str = "%d/%m/%Y") -> str:
    """A date as the form writes it; a masked date stays masked."""
    return value.strftime(fmt) if isinstance(value, date) else (value or "")


def period(start: date | None, end: date | None) -> str:
    return f"{d(start, '%m/%Y')} - {d(end, '%m/%Y') if end else 'nay'}" if start else ""


def cadres_for_cv(queryset: QuerySet) -> QuerySet:
    """Everything a CV reads, in a fixed number of queries for any number of cadres."""
    return queryset.select_related(*RELATED).prefetch_related(*PREFETCH)


def unit_path_ids(cadre: Cadre) -> list[int]:
    return [int(pk) for pk in cadre.unit.path.split("/") if pk][:-1]


FAMILY_HEADERS = [
    "Mối quan hệ",
    "Họ và tên",
    "Năm sinh",
    "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở "
    "(trong, ngoài nước); thành viên các tổ chức chính trị - xã hội",
]
# Items 27-33, the same on both forms: (name in the Word template, number, heading, table
# headers or None for a text, relative column widths).
HISTORY_SECTIONS = [
    (
        "training",
        "27",
        "ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC",
        [
            "Tên trường",
            "Chuyên ngành đào tạo, bồi dưỡng",
            "Từ tháng, năm đến tháng, năm",
            "Hình thức đào tạo",
            "Văn bằng, chứng chỉ, trình độ gì",
        ],
        [5, 5, 3, 3, 4],
    ),
    (
        "work",
        "28",
        "TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
        [
            "Từ tháng, năm đến tháng, năm",
            "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể)",
        ],
        [1, 4],
    ),
    ("personal_history", "29", "ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN", None, None),
    ("", "30", "QUAN HỆ GIA ĐÌNH", None, None),
    (
        "family_own",
        "",
        "a) Về bản thân: Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột",
        FAMILY_HEADERS,
        [2, 3, 1, 7],
    ),
    (
        "family_spouse",
        "",
        "b) Về bên vợ (hoặc chồng): Cha, Mẹ, anh chị em ruột",
        FAMILY_HEADERS,
        [2, 3, 1, 7],
    ),
    ("economy", "31", "HOÀN CẢNH KINH TẾ GIA ĐÌNH", None, None),
    (
        "salary",
        "32",
        "DIỄN BIẾN QUÁ TRÌNH LƯƠNG CỦA CÁN BỘ",
        ["Tháng, năm", "Mã ngạch / bậc", "Hệ số lương"],
        [1, 2, 1],
    ),
    (
        "evaluation",
        "33",
        "NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ",
        None,
        None,
    ),
]


def build(
    cadre: Cadre,
    on: date,
    sensitive: bool = True,
    units: dict | None = None,
    form: str = "tctw",
    masked: bool = False,
) -> CV:
    """The 2C form of ``cadre`` (loaded with :func:`cadres_for_cv`) as of ``on``: 2C/TCTW-98
    (party bodies) or, with ``form="bnv"``, 2C-BNV/2008 (state bodies), whose items 1-26 are
    ordered differently and whose tables are the same. ``units`` (by primary key) holds the
    units above the cadre's, looked up here when not given; ``masked`` masks the masked fields
    (:mod:`core.masking`)."""
    c = MaskedRecord(cadre) if masked else cadre
    ids = unit_path_ids(c)
    units = units if units is not None else Unit.objects.in_bulk(ids)
    ancestors = [units[pk] for pk in ids if pk in units]
    province = next((u.name for u in ancestors if u.kind == UnitKind.PROVINCE), "")
    province = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    parent = ancestors[-1].name if ancestors else ""
    positions = "; ".join(
        f"{a.position} {a.unit}{' (kiêm nhiệm)' if a.concurrent else ''}"
        for a in c.appointments.all()
        if a.is_active(on)
    )
    professional = c.professional_level.label if c.professional_level else ""
    if c.professional_major:
        professional = f"{professional}, chuyên ngành {c.professional_major}"
    level = {
        "general": c.general_education,
        "llct": c.political_theory_level,
        "qlnn": c.state_management_level,
        "lang": c.foreign_language_level,
        "it": c.it_level,
    }
    levels = {k: (v.label if v else "") for k, v in level.items()}
    qualifications = [
        [
            q.institution,
            ", ".join(x for x in [q.level.get_track_display(), q.major] if x),
            period(q.start_date, q.end_date) if q.start_date else str(q.year_obtained or ""),
            q.get_mode_display() if q.mode else "",
            ", ".join(x for x in [q.certificate, q.level.label] if x),
        ]
        for q in c.qualifications.all()
    ]
    work = [
        [period(w.start_date, w.end_date), f"{w.position_title}, {w.organisation}"]
        for w in c.work_history.all()
    ]
    family = {side: [] for side in FamilySide.values}
    for f in c.family_relations.all() if sensitive else []:
        details = "; ".join(x for x in [f.occupation, f.residence, f.notes] if x)
        if f.party_member:
            details = f"Đảng viên. {details}"
        family[f.side].append([f.relation, f.full_name, str(f.birth_year or ""), details])
    salary = [
        [
            d(s.effective_date, "%m/%Y"),
            " / ".join(x for x in [s.rank_code, str(s.step or "")] if x),
            f"{s.coefficient}",
        ]
        for s in c.salary_steps.all()
    ]
    rewards = "; ".join(
        f"{r.form} ({d(r.awarded_on, '%Y')}{', ' + r.issuer if r.issuer else ''})"
        for r in c.rewards.all()
    )
    disciplines = "; ".join(
        f"{x.get_form_display()} ({d(x.decided_on, '%Y')}"
        f"{', ' + x.issuer if x.issuer else ''}){': ' + x.reason if x.reason else ''}"
        for x in c.disciplines.all()
    )
    evaluations = "; ".join(f"Năm {e.year}: {e.get_result_display()}" for e in c.evaluations.all())
    identity = [
        Item("1", [("Họ và tên khai sinh", c.full_name.upper())]),
        Item("2", [("Tên gọi khác", c.other_names)]),
        Item("3", [("Cấp ủy hiện tại", c.party_position)]),
        Item(
            "4",
            [("Chức vụ (Đảng, đoàn thể, chính quyền, kể cả kiêm nhiệm)", positions or c.job_title)],
        ),
        Item(
            "5",
            [
                ("Sinh ngày", f"{c.birth_date:%d} tháng {c.birth_date:%m} năm {c.birth_date:%Y}"),
                ("Giới tính", c.get_gender_display()),
            ],
        ),
        Item("6", [("Nơi sinh", c.place_of_birth)]),
        Item("7", [("Quê quán", c.home_town)]),
        Item(
            "8",
            [
                ("Nơi ở hiện nay", c.current_residence or c.permanent_residence),
                ("Điện thoại", c.phone),
            ],
        ),
        Item("9", [("Dân tộc", str(c.ethnicity))]),
        Item("10", [("Tôn giáo", str(c.religion or "Không"))]),
        Item("11", [("Thành phần gia đình xuất thân", c.family_origin)]),
        Item("12", [("Nghề nghiệp bản thân trước khi được tuyển dụng", c.occupation_before)]),
        Item(
            "13",
            [
                ("Ngày được tuyển dụng", d(c.recruitment_date)),
                ("Vào cơ quan nào, ở đâu", c.recruiting_agency),
            ],
        ),
        Item(
            "14",
            [
                ("Ngày vào cơ quan hiện đang công tác", d(c.work_start_date)),
                ("Ngày tham gia cách mạng", d(c.revolution_date)),
            ],
        ),
        Item(
            "15",
            [
                ("Ngày vào Đảng Cộng sản Việt Nam", d(c.party_join_date)),
                ("Ngày chính thức", d(c.party_official_date)),
            ],
        ),
        Item("16", [("Ngày tham gia các tổ chức chính trị - xã hội", c.mass_organisation)]),
        Item(
            "17",
            [
                ("Ngày nhập ngũ", d(c.enlisted_on)),
                ("Ngày xuất ngũ", d(c.discharged_on)),
                ("Quân hàm, chức vụ cao nhất", c.military_rank),
            ],
        ),
        Item(
            "18",
            [
                ("Trình độ học vấn: Giáo dục phổ thông", levels["general"]),
                ("Học hàm, học vị cao nhất", c.academic_title),
            ],
        ),
        Item("", [("Chuyên môn", professional), ("Lý luận chính trị", levels["llct"])]),
        Item(
            "",
            [
                ("Quản lý nhà nước", levels["qlnn"]),
                ("Ngoại ngữ", levels["lang"]),
                ("Tin học", levels["it"]),
            ],
        ),
        Item("19", [("Công tác chính đang làm", c.main_duty or c.job_title)]),
        Item(
            "20",
            [
                ("Ngạch công chức", c.civil_service_rank),
                ("Mã ngạch", c.civil_service_rank_code),
                ("Bậc lương", str(c.salary_step or "")),
                ("Hệ số", str(c.salary_coefficient or "")),
                ("Từ tháng", d(c.salary_since, "%m/%Y")),
            ],
        ),
        Item("21", [("Danh hiệu được phong", c.honours)]),
        Item("22", [("Sở trường công tác", c.strengths)]),
        Item("23", [("Khen thưởng", rewards)]),
        Item(
            "24",
            [
                (
                    "Kỷ luật (Đảng, chính quyền, đoàn thể; cấp nào, năm nào, lý do, hình thức)",
                    disciplines,
                )
            ],
        ),
        Item(
            "25",
            [
                ("Tình trạng sức khỏe", c.health),
                ("Cao", f"{c.height_cm} cm" if c.height_cm else ""),
                ("Cân nặng", f"{c.weight_kg} kg" if c.weight_kg else ""),
                ("Nhóm máu", c.blood_type),
            ],
        ),
        Item(
            "26",
            [
                ("Số CCCD", c.cccd),
                ("Ngày cấp", d(c.cccd_issued_on)),
                ("Thương binh hạng / Gia đình chính sách", c.war_invalid),
            ],
        ),
    ]
    data = {
        "training": qualifications,
        "work": work,
        "personal_history": "\n".join(x for x in [c.personal_history, c.foreign_relations] if x)
        if sensitive
        else "",
        "family_own": family[FamilySide.OWN],
        "family_spouse": family[FamilySide.SPOUSE],
        "economy": c.economic_situation if sensitive else "",
        "salary": salary,
        "evaluation": evaluations,
    }
    histories = [
        Item(
            number,
            key=key,
            heading=heading,
            table=Table(headers, data[key], widths) if headers else None,
            text="" if headers or not key else data[key],
        )
        for key, number, heading, headers, widths in HISTORY_SECTIONS
    ]
    if form == "bnv":
        return CV(
            cadre=c,
            header_left=[
                f"Cơ quan, đơn vị có thẩm quyền quản lý CBCC: {parent}",
                f"Cơ quan, đơn vị sử dụng CBCC: {c.unit}",
            ],
            header_right=["Mẫu số 2C-BNV/2008", f"Số hiệu cán bộ, công chức: {c.pk}"],
            title="SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC",
            form="bnv",
            items=bnv_identity(c, positions, professional, levels, rewards, disciplines)
            + histories,
            signature_left=[
                "Người khai",
                "Tôi xin cam đoan những lời khai trên",
                "đây là đúng sự thật",
                "(Ký tên, ghi rõ họ tên)",
                "",
                "",
                c.full_name,
            ],  # fmt: skip
            signature_right=[
                f"{settings.REPORT_PLACE}, ngày {on:%d} tháng {on:%m} năm {on:%Y}",
                "Thủ trưởng cơ quan, đơn vị quản lý",
                "và sử dụng CBCC",
                "(Ký tên, đóng dấu)",
            ],
        )
    return CV(
        cadre=c,
        header_left=[
            f"Tỉnh: {province}",
            f"Đơn vị trực thuộc: {parent}",
            f"Đơn vị cơ sở: {c.unit}",
        ],
        header_right=[FORM_CODE, f"Số hiệu cán bộ: {c.pk}"],
        title="SƠ YẾU LÝ LỊCH CÁN BỘ",
        items=identity + histories,
        signature_left=[
            "Người khai",
            "Tôi xin cam đoan những lời khai trên",
            "đây là đúng sự thật",
            "(Ký tên, ghi rõ họ tên)",
            "",
            "",
            c.full_name,
        ],
        signature_right=[
            f"{settings.REPORT_PLACE}, ngày {on:%d} tháng {on:%m} năm {on:%Y}",
            "Thủ trưởng cơ quan, đơn vị quản lý",
            "và sử dụng cán bộ",
            "(Ký tên, đóng dấu)",
        ],
    )


def bnv_identity(c: Cadre, positions, professional, levels, rewards, disciplines) -> list[Item]:
    """Items 1-26 of form 2C-BNV/2008 (Quyết định 06/2007/QĐ-BNV)."""
    born = f"{c.birth_date:%d} tháng {c.birth_date:%m} năm {c.birth_date:%Y}"
    return [
        Item("1", [("Họ và tên khai sinh (viết chữ in hoa)", c.full_name.upper())]),
        Item("2", [("Tên gọi khác", c.other_names)]),
        Item("3", [("Sinh ngày", born), ("Giới tính", c.get_gender_display())]),
        Item("4", [("Nơi sinh", c.place_of_birth)]),
        Item("5", [("Quê quán", c.home_town)]),
        Item("6", [("Dân tộc", str(c.ethnicity))]),
        Item("7", [("Tôn giáo", str(c.religion or "Không"))]),
        Item("8", [("Nơi đăng ký hộ khẩu thường trú", c.permanent_residence)]),
        Item("9", [("Nơi ở hiện nay", c.current_residence)]),
        Item("10", [("Nghề nghiệp khi được tuyển dụng", c.occupation_before)]),
        Item("11", [("Ngày tuyển dụng", d(c.recruitment_date)),
                    ("Cơ quan tuyển dụng", c.recruiting_agency)]),
        Item("12", [("Chức vụ (chức danh) hiện tại", positions or c.job_title)]),
        Item("13", [("Công việc chính được giao", c.main_duty)]),
        Item("14", [("Ngạch công chức (viên chức)", c.civil_service_rank),
                    ("Mã ngạch", c.civil_service_rank_code),
                    ("Bậc lương", str(c.salary_step or "")),
                    ("Hệ số", str(c.salary_coefficient or "")),
                    ("Ngày hưởng", d(c.salary_since)),
                    ("Phụ cấp chức vụ", str(c.position_allowance or ""))]),
        Item("15.1", [("Trình độ giáo dục phổ thông", levels["general"])]),
        Item("15.2", [("Trình độ chuyên môn cao nhất", professional)]),
        Item("15.3", [("Lý luận chính trị", levels["llct"])]),
        Item("15.4", [("Quản lý nhà nước", levels["qlnn"])]),
        Item("15.5", [("Ngoại ngữ", levels["lang"])]),
        Item("15.6", [("Tin học", levels["it"])]),
        Item("16", [("Ngày vào Đảng Cộng sản Việt Nam", d(c.party_join_date)),
                    ("Ngày chính thức", d(c.party_official_date))]),
        Item("17", [("Ngày tham gia tổ chức chính trị - xã hội", c.mass_organisation)]),
        Item("18", [("Ngày nhập ngũ", d(c.enlisted_on)), ("Ngày xuất ngũ", d(c.discharged_on)),
                    ("Quân hàm cao nhất", c.military_rank)]),
        Item("19", [("Danh hiệu được phong tặng cao nhất", c.honours)]),
        Item("20", [("Sở trường công tác", c.strengths)]),
        Item("21", [("Khen thưởng", rewards)]),
        Item("22", [("Kỷ luật", disciplines)]),
        Item("23", [("Tình trạng sức khỏe", c.health),
                    ("Chiều cao", f"{c.height_cm} cm" if c.height_cm else ""),
                    ("Cân nặng", f"{c.weight_kg} kg" if c.weight_kg else ""),
                    ("Nhóm máu", c.blood_type)]),
        Item("24", [("Là thương binh hạng / con gia đình chính sách", c.war_invalid)]),
        Item("25", [("Số CCCD", c.cccd), ("Ngày cấp", d(c.cccd_issued_on))]),
    ]  # fmt: skip


# --- .docx (docxtpl) ------------------------------------------------------------------------

TEMPLATE_DIR = Path(__file__).parent / "docx"
TEMPLATE_FILES = {"tctw": "2c_tctw.docx", "bnv": "2c_bnv.docx"}
PHOTO_WIDTH_MM = 30  # a 3x4 photo in the 4x6 box of the form


def template_bytes(form: str) -> bytes:
    """The Word template of ``form``: the board's upload (``CvTemplate``), else the shipped one."""
    uploaded = CvTemplate.objects.filter(form=form).first()
    if uploaded is not None:
        with uploaded.file.open("rb") as file:
            return file.read()
    return (TEMPLATE_DIR / TEMPLATE_FILES[form]).read_bytes()


def context(cv: CV, document) -> dict:
    """What a 2C template may use (``document`` is the DocxTemplate, for the photo):

    - ``header_left``, ``header_right``, ``signature_left``, ``signature_right``, ``title``:
      lines and text of the form's head and foot;
    - ``identity``: the numbered lines 1-26, each a paragraph (label, then the value in bold);
    - ``f``: the same values by label, to place one by hand (``{{ f["Quê quán"] }}``);
    - the histories by name: tables as lists of rows (``{%tr for row in training %}``, cells
      ``{{ row[0] }}``…) ``training``, ``work``, ``family_own``, ``family_spouse``, ``salary``;
      texts ``personal_history``, ``economy``, ``evaluation``;
    - ``photo``: the record's photo, or empty (the box stays blank).
    """
    from docx.shared import Mm
    from docxtpl import InlineImage, RichText

    identity, fields, sections = [], {}, {}
    for item in cv.items:
        if item.parts:
            line = RichText(f"{item.number}) " if item.number else "")
            for index, (label, value) in enumerate(item.parts):
                line.add(f"{'   ' if index else ''}{label}: ")
                line.add(value or "", bold=True)
                fields[label] = value or ""
            identity.append(line)
        if item.key:
            sections[item.key] = item.table.rows if item.table is not None else item.text
    photo = cv.photo_path
    return {
        "title": cv.title,
        "header_left": cv.header_left,
        "header_right": cv.header_right,
        "signature_left": cv.signature_left,
        "signature_right": cv.signature_right,
        "identity": identity,
        "f": fields,
        **sections,
        "photo": InlineImage(document, str(photo), width=Mm(PHOTO_WIDTH_MM)) if photo else "",
    }


def to_docx(cv: CV, template: bytes | None = None) -> bytes:
    """The CV written into its Word template (``template``, else :func:`template_bytes`)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template or template_bytes(cv.form)))
    document.render(context(cv, document))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------

# Debian's fonts-dejavu-core (a dependency of most desktop and browser packages): DejaVu Serif
# has every Vietnamese letter, which the PDF built-in fonts and Liberation 1.x lack.
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"]
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}


def font_dir() -> Path:
    """Where the TrueType serif fonts are (``CV_FONT_DIR`` overrides); Vietnamese needs them,
    since PDF's built-in fonts have no Vietnamese letters."""
    candidates = [getattr(settings, "CV_FONT_DIR", "")] + FONT_DIRS
    for candidate in filter(None, candidates):
        if (Path(candidate) / FONT_FILES[""]).exists():
            return Path(candidate)
    raise ImproperlyConfigured(
        "Không tìm thấy phông chữ DejaVu Serif để in PDF: cài gói fonts-dejavu-core "
        "(apt-get install fonts-dejavu-core) hoặc đặt CV_FONT_DIR."
    )


def to_pdf(cv: CV) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    # fontTools logs every subsetting step at INFO.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    folder = font_dir()
    for style, filename in FONT_FILES.items():
        pdf.add_font("Serif", style, str(folder / filename))
    pdf.set_title(f"Sơ yếu lý lịch - {cv.cadre.full_name}")
    pdf.add_page()
    width = pdf.epw

    def two_columns(left: list[str], right: list[str], centered: bool = False) -> None:
        top, bottom = pdf.get_y(), pdf.get_y()
        for x, lines in ((pdf.l_margin, left), (pdf.l_margin + width / 2, right)):
            pdf.set_xy(x, top)
            for index, line in enumerate(lines):
                pdf.set_font("Serif", "B" if centered and index == 0 else "", 10)
                pdf.set_x(x)
                align = "C" if centered else "L"
                pdf.multi_cell(width / 2, 5.5, line, align=align, new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, pdf.get_y())
        pdf.set_y(bottom)

    two_columns(cv.header_left, cv.header_right)
    pdf.ln(4)
    # The photo box (4x6 on the form) left of the title, as in the Word template.
    box_w, box_h = PHOTO_WIDTH_MM, PHOTO_WIDTH_MM * 4 / 3
    top = pdf.get_y()
    photo = cv.photo_path
    if photo is not None:
        pdf.image(str(photo), x=pdf.l_margin, y=top, w=box_w, h=box_h, keep_aspect_ratio=True)
    else:
        pdf.set_font("Serif", "", 9)
        pdf.set_xy(pdf.l_margin, top + box_h / 2 - 5)
        pdf.multi_cell(box_w, 5, "Ảnh\n4x6", align="C")
    pdf.rect(pdf.l_margin, top, box_w, box_h)
    pdf.set_xy(pdf.l_margin + box_w, top + box_h / 2 - 4.5)
    pdf.set_font("Serif", "B", 15)
    pdf.cell(width - box_w, 9, cv.title, align="C")
    pdf.set_xy(pdf.l_margin, top + box_h + 3)
    for item in cv.items:
        number = f"{item.number}) " if item.number else ""
        if item.parts:
            pdf.set_x(pdf.l_margin)
            pdf.set_font("Serif", "", 10.5)
            pdf.write(6, number)
            for index, (label, value) in enumerate(item.parts):
                pdf.set_font("Serif", "", 10.5)
                pdf.write(6, f"{'   ' if index else ''}{label}: ")
                pdf.set_font("Serif", "B", 10.5)
                pdf.write(6, value or "……")
            pdf.ln(6)
        if item.heading:
            # Keep a table's heading with the table's first rows.
            if item.table is not None and pdf.get_y() > pdf.h - pdf.b_margin - 60:
                pdf.add_page()
            pdf.ln(1.5)
            pdf.set_font("Serif", "B", 10.5)
            pdf.multi_cell(width, 6, f"{number}{item.heading}", new_x="LMARGIN", new_y="NEXT")
        if item.text:
            pdf.set_font("Serif", "", 10.5)
            pdf.multi_cell(width, 6, item.text, new_x="LMARGIN", new_y="NEXT")
        if item.table is not None:
            pdf.set_font("Serif", "", 9)
            rows = item.table.rows or [[""] * len(item.table.headers)]
            with pdf.table(
                col_widths=tuple(item.table.widths),
                text_align="LEFT",
                line_height=5,
                padding=1,
                headings_style=FontFace(emphasis="BOLD"),
            ) as table:
                header = table.row()
                for text in item.table.headers:
                    header.cell(text, align="C")
                for values in rows:
                    row = table.row()
                    for value in values:
                        row.cell(value or "")
            pdf.ln(1)
    pdf.ln(6)
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page()
    two_columns(cv.signature_left, cv.signature_right, centered=True)
    return bytes(pdf.output())


def zip_of(cvs: list[CV], fmt: str) -> bytes:
    """One file per person; names carry the CCCD so that namesakes do not collide. A Word
    template is read once for the whole batch."""
    forms = {cv.form for cv in cvs} if fmt == "docx" else set()
    templates = {form: template_bytes(form) for form in forms}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for cv in cvs:
            content = to_docx(cv, templates[cv.form]) if fmt == "docx" else to_pdf(cv)
            archive.writestr(f"{cv.file_stem}.{fmt}", content)
    return buffer.getvalue()


RENDERERS = {"docx": to_docx, "pdf": to_pdf}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def may_see_sensitive(user) -> bool:
    return user.has_perm(SENSITIVE_PERMISSION)


def download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def one_response(request, cadre: Cadre, fmt: str, form: str, on: date) -> HttpResponse:
    """The 2C CV of ``cadre`` as ``request.user`` may see it, logged as an export."""
    user = request.user
    document = build(cadre, on, may_see_sensitive(user), form=form, masked=not sees_unmasked(user))
    filename = f"{document.file_stem}.{fmt}"
    log_export(user, f"Sơ yếu lý lịch 2C {filename}", 1, request)
    return download(RENDERERS[fmt](document), filename)


def zip_response(request, queryset: QuerySet, fmt: str, on: date) -> HttpResponse:
    """The 2C CVs of ``queryset`` in one zip, as ``request.user`` may see them, logged."""
    user = request.user
    sensitive, masked = may_see_sensitive(user), not sees_unmasked(user)
    cadres = list(cadres_for_cv(queryset))
    units = Unit.objects.in_bulk({pk for cadre in cadres for pk in unit_path_ids(cadre)})
    cvs = [build(cadre, on, sensitive, units, masked=masked) for cadre in cadres]
    filename = f"so_yeu_ly_lich_2C_{on:%Y%m%d}_{fmt}.zip"
    log_export(user, f"Sơ yếu lý lịch 2C {filename}", len(cvs), request)
    return download(zip_of(cvs, fmt), filename)

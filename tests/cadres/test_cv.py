import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from pypdf import PdfReader

from cadres import cv
from cadres.choices import FamilySide, UnitKind
from cadres.models import (
    Cadre,
    Evaluation,
    FamilyRelation,
    Reward,
    Role,
    SalaryStep,
    StaffAssignment,
    WorkHistory,
)
from tests.factories import (
    AppointmentFactory,
    CadreFactory,
    PositionFactory,
    QualificationFactory,
    UnitFactory,
    level,
)

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 28)


@pytest.fixture
def hai():
    province = UnitFactory(name="Tỉnh Lạng Sơn", kind=UnitKind.PROVINCE)
    district = UnitFactory(name="Huyện Lộc Bình", kind=UnitKind.DISTRICT, parent=province)
    commune = UnitFactory(name="Xã Tú Đoạn", parent=district)
    cadre = CadreFactory(
        full_name="Nông Thanh Hải",
        cccd="020085001234",
        unit=commune,
        birth_date=date(1985, 3, 9),
        home_town="Xã Khuất Xá, huyện Lộc Bình",
        party_join_date=date(2008, 5, 19),
        party_official_date=date(2009, 5, 19),
        personal_history="Không bị bắt, không bị tù.",
    )
    AppointmentFactory(
        cadre=cadre, position=PositionFactory(title="Chủ tịch UBND xã"), start_date=date(2021, 6, 1)
    )
    QualificationFactory(
        cadre=cadre, level=level("LLCT_TRUNG_CAP"), institution="Trường Chính trị Hoàng Văn Thụ",
        major="Lý luận chính trị", year_obtained=2019,
    )  # fmt: skip
    WorkHistory.objects.create(
        cadre=cadre, start_date=date(2007, 9, 1), end_date=date(2015, 12, 31),
        position_title="Cán bộ địa chính", organisation="UBND xã Khuất Xá",
    )  # fmt: skip
    FamilyRelation.objects.create(
        cadre=cadre,
        relation="Bố",
        full_name="Nông Văn Pác",
        birth_year=1955,
        occupation="Làm ruộng",
    )
    FamilyRelation.objects.create(
        cadre=cadre, side=FamilySide.SPOUSE, relation="Mẹ vợ", full_name="Hoàng Thị Nhài"
    )
    SalaryStep.objects.create(
        cadre=cadre, effective_date=date(2023, 7, 1), rank_code="01.003", step=4,
        coefficient=Decimal("3.66"),
    )  # fmt: skip
    Reward.objects.create(cadre=cadre, awarded_on=date(2024, 1, 5), form="Giấy khen của Huyện ủy")
    Evaluation.objects.create(cadre=cadre, year=2024, result="excellent")
    return cadre


def loaded(cadre: Cadre) -> Cadre:
    return cv.cadres_for_cv(Cadre.objects.filter(pk=cadre.pk)).get()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


EXPECTED = [
    "SƠ YẾU LÝ LỊCH CÁN BỘ",
    "Mẫu 2C/TCTW-98",
    "Tỉnh: Lạng Sơn",
    "NÔNG THANH HẢI",
    "09 tháng 03 năm 1985",
    "020085001234",
    "Xã Khuất Xá, huyện Lộc Bình",
    "Chủ tịch UBND xã Xã Tú Đoạn",  # current appointment
    "19/05/2008",  # party
    "Trường Chính trị Hoàng Văn Thụ",  # training table
    "UBND xã Khuất Xá",  # work history
    "Nông Văn Pác",  # family, own side
    "Hoàng Thị Nhài",  # family, spouse's side
    "3.66",  # salary history
    "Giấy khen của Huyện ủy",  # rewards
    "Năm 2024: Hoàn thành xuất sắc nhiệm vụ",  # evaluations
    "Lộc Bình, ngày 28 tháng 11 năm 2026",
]


def test_the_docx_holds_every_section_of_the_record_and_its_histories(hai):
    text = docx_text(cv.to_docx(cv.build(loaded(hai), ON)))
    missing = [expected for expected in EXPECTED if expected not in text]
    assert missing == []


def test_the_pdf_holds_the_same_data_in_vietnamese_letters(hai):
    text = " ".join(pdf_text(cv.to_pdf(cv.build(loaded(hai), ON))).split())
    missing = [expected for expected in EXPECTED if " ".join(expected.split()) not in text]
    assert missing == []


def test_family_and_personal_history_are_left_out_for_users_not_allowed_to_see_them(hai):
    text = docx_text(cv.to_docx(cv.build(loaded(hai), ON, sensitive=False)))
    assert "Nông Văn Pác" not in text and "Không bị bắt" not in text
    assert "NÔNG THANH HẢI" in text


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("pdf", b"%PDF")])
def test_the_cadre_page_offers_the_2c_and_downloads_it(admin_client, hai, fmt, magic):
    page = admin_client.get(reverse("admin:cadres_cadre_change", args=[hai.pk])).content.decode()
    url = reverse("admin:cadres_cadre_2c", args=[hai.pk, fmt])
    assert f'href="{url}"' in page
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert response["Content-Disposition"] == (
        f'attachment; filename="2C_nong_thanh_hai_020085001234.{fmt}"'
    )


def test_a_user_who_may_only_view_cadres_gets_the_2c_without_family(client, django_user_model, hai):
    user = django_user_model.objects.create_user("xem", password="Mật-khẩu-dài-123", is_staff=True)
    StaffAssignment.objects.create(user=user, role=Role.COMMUNE, unit=hai.unit)  # the scope
    user.groups.clear()  # and of the commune role's permissions, only this one:
    user.user_permissions.add(Permission.objects.get(codename="view_cadre"))
    client.force_login(user)
    response = client.get(reverse("admin:cadres_cadre_2c", args=[hai.pk, "docx"]))
    text = docx_text(response.content)
    assert "NÔNG THANH HẢI" in text and "Nông Văn Pác" not in text


def test_the_bulk_action_zips_one_file_per_selected_cadre(
    admin_client, hai, django_assert_max_num_queries
):
    other = CadreFactory(full_name="Hoàng Thị Lan", cccd="020190000001", unit=hai.unit)
    CadreFactory(full_name="Không Chọn")
    # The admin builds the changelist (with its list filters) twice for an action; then one
    # query per related table, whatever the number of cadres selected.
    # 36, the uploaded Word template once, and the export log's row.
    with django_assert_max_num_queries(38):
        response = admin_client.post(
            reverse("admin:cadres_cadre_changelist"),
            {"action": "print_2c_docx", "_selected_action": [hai.pk, other.pk]},
        )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "2C_hoang_thi_lan_020190000001.docx",
        "2C_nong_thanh_hai_020085001234.docx",
    ]
    assert "HOÀNG THỊ LAN" in docx_text(archive.read("2C_hoang_thi_lan_020190000001.docx"))


def test_the_pdf_bulk_action_zips_pdfs(admin_client, hai):
    response = admin_client.post(
        reverse("admin:cadres_cadre_changelist"),
        {"action": "print_2c_pdf", "_selected_action": [hai.pk]},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "NÔNG THANH HẢI" in pdf_text(archive.read("2C_nong_thanh_hai_020085001234.pdf"))


def test_the_bulk_action_runs_as_many_queries_for_three_cadres_as_for_one(admin_client, hai):
    others = [CadreFactory(unit=hai.unit) for _ in range(2)]
    url = reverse("admin:cadres_cadre_changelist")

    def queries(selected) -> int:
        with CaptureQueriesContext(connection) as context:
            admin_client.post(url, {"action": "print_2c_docx", "_selected_action": selected})
        return len(context)

    assert queries([hai.pk]) == queries([hai.pk] + [c.pk for c in others])


def test_the_state_form_2c_bnv_orders_the_identity_its_own_way_with_the_same_tables(
    admin_client, hai
):
    url = reverse("admin:cadres_cadre_2c", args=[hai.pk, "docx"])
    response = admin_client.get(url, {"form": "bnv"})
    text = docx_text(response.content)
    assert "Mẫu số 2C-BNV/2008" in text and "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC" in text
    assert "15.3) Lý luận chính trị: Trung cấp" in text
    assert "Trường Chính trị Hoàng Văn Thụ" in text and "Nông Văn Pác" in text
    assert response["Content-Disposition"].endswith('2C-BNV_nong_thanh_hai_020085001234.docx"')


def test_an_unknown_form_or_format_is_not_found(admin_client, hai):
    url = reverse("admin:cadres_cadre_2c", args=[hai.pk, "docx"])
    assert admin_client.get(url, {"form": "x"}).status_code == 404
    assert (
        admin_client.get(reverse("admin:cadres_cadre_2c", args=[hai.pk, "odt"])).status_code == 404
    )


@pytest.fixture
def photo(hai, settings, tmp_path):
    """A 300x400 photo on Hải's record (the media folder is a temporary one)."""
    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (40, 90, 160)).save(buffer, format="JPEG")
    hai.photo.save("hai.jpg", ContentFile(buffer.getvalue()))
    return hai


def test_the_photo_on_the_record_prints_in_its_box_in_both_formats(photo):
    built = cv.build(loaded(photo), ON)
    document = Document(io.BytesIO(cv.to_docx(built)))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Mm(cv.PHOTO_WIDTH_MM)
    assert "Ảnh" not in document.tables[1].rows[0].cells[0].text
    pages = PdfReader(io.BytesIO(cv.to_pdf(built))).pages
    assert len(pages[0].images) == 1


def test_without_a_photo_the_box_stays_blank_with_its_caption(hai):
    built = cv.build(loaded(hai), ON)
    document = Document(io.BytesIO(cv.to_docx(built)))
    assert len(document.inline_shapes) == 0
    assert "Ảnh" in document.tables[1].rows[0].cells[0].text
    assert "4x6" in pdf_text(cv.to_pdf(built))


@pytest.mark.parametrize("form", ["tctw", "bnv"])
def test_the_docx_and_the_pdf_hold_the_same_values(hai, form):
    built = cv.build(loaded(hai), ON, form=form)
    docx = " ".join(docx_text(cv.to_docx(built)).split())
    pdf = " ".join(pdf_text(cv.to_pdf(built)).split())
    values = [value for item in built.items for _, value in item.parts if value]
    values += [
        cell for item in built.items if item.table for row in item.table.rows for cell in row
    ]
    values += [item.text for item in built.items if item.text]
    values = [" ".join(str(value).split()) for value in values if str(value).strip()]
    assert [v for v in values if v not in docx] == []
    assert [v for v in values if v not in pdf] == []


def test_a_template_the_board_edited_in_word_is_used_instead_of_the_shipped_one(
    admin_client, hai, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from cadres.models import CvTemplate

    settings.MEDIA_ROOT = tmp_path
    edited = Document(io.BytesIO(cv.template_bytes("tctw")))
    edited.paragraphs[0].insert_paragraph_before("BAN TỔ CHỨC HUYỆN ỦY – BẢN LƯU HỒ SƠ")
    buffer = io.BytesIO()
    edited.save(buffer)
    CvTemplate.objects.create(form="tctw", file=ContentFile(buffer.getvalue(), "2c.docx"))

    response = admin_client.get(reverse("admin:cadres_cadre_2c", args=[hai.pk, "docx"]))
    text = docx_text(response.content)
    assert "BAN TỔ CHỨC HUYỆN ỦY – BẢN LƯU HỒ SƠ" in text and "NÔNG THANH HẢI" in text
    bnv = admin_client.get(reverse("admin:cadres_cadre_2c", args=[hai.pk, "docx"]), {"form": "bnv"})
    assert "BẢN LƯU HỒ SƠ" not in docx_text(bnv.content)

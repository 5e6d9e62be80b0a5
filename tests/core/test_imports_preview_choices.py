"""The preview's choices in the admin: a column mapped by hand (remembered for the next file of
that layout) and an unknown value mapped once (remembered as an alias), then the confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadres.models import Cadre, Ethnicity
from core.imports.engine import header_signature
from core.models import ImportBatch, ImportProfile, ValueAlias
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:cadres_cadre_import")
HEADER = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Thành phần dân tộc,Đối tượng,Đơn vị công tác\n"
ROWS = (
    "Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Công chức,Tú Đoạn\n"
    "Lý Thị Mai,020190001111,02/11/1990,Nữ,Nùng,Cán bộ,Tú Đoạn\n"
)


@pytest.fixture(autouse=True)
def private_media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def tu_doan():
    return UnitFactory(name="Xã Tú Đoạn")


def upload(client, content: str, name: str = "ds.csv"):
    file = SimpleUploadedFile(name, content.encode(), content_type="text/csv")
    return client.post(IMPORT, {"file": file})


def choose(client, batch, **data):
    url = reverse("admin:cadres_cadre_import_choose", args=[batch.pk])
    return client.post(url, data)


def test_every_column_is_shown_with_what_it_was_matched_to_or_not_used(admin_client):
    response = upload(admin_client, HEADER + ROWS)
    columns = {header: name for header, _, name in response.context["column_rows"]}
    assert columns["Họ và tên"] == "Họ và tên"
    assert columns["Thành phần dân tộc"] == ""
    assert "không dùng" in response.content.decode()


def test_a_column_mapped_in_the_preview_is_read_and_remembered_for_the_next_file(admin_client):
    response = upload(admin_client, HEADER + ROWS)
    batch = response.context["batch"]
    rows = response.context["column_rows"]
    headers = [header for header, _, _ in rows]
    choices = [key or "-" for _, key, _ in rows]
    choices[headers.index("Thành phần dân tộc")] = "ethnicity"
    response = choose(admin_client, batch, header=headers, column=choices)
    assert response.context["report"].columns["Thành phần dân tộc"] == "ethnicity"
    profile = ImportProfile.objects.get(signature=header_signature(headers))
    assert profile.mapping["thanh phan dan toc"] == "ethnicity"
    admin_client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))
    assert Cadre.objects.get(cccd="020190001111").ethnicity.name == "Nùng"
    # The next file with the same headers goes straight to a preview that reads the column.
    response = upload(admin_client, HEADER + ROWS.replace("Nùng", "Kinh"), name="ds2.csv")
    assert response.context["report"].columns["Thành phần dân tộc"] == "ethnicity"
    assert response.context["report"].updated == 1


def test_a_column_confirmed_as_not_used_is_dropped(admin_client):
    response = upload(admin_client, HEADER.replace("Thành phần dân tộc", "Dân tộc") + ROWS)
    batch = response.context["batch"]
    rows = response.context["column_rows"]
    headers = [header for header, _, _ in rows]
    choices = ["-" if header == "Dân tộc" else key or "-" for header, key, _ in rows]
    response = choose(admin_client, batch, header=headers, column=choices)
    assert "Dân tộc" not in response.context["report"].columns
    assert ImportBatch.objects.get(pk=batch.pk).options["mapping"]["dan toc"] == ""


def test_an_unknown_value_mapped_once_takes_every_row_and_the_next_file(admin_client):
    header = HEADER.replace("Thành phần dân tộc", "Dân tộc")
    rows = "".join(
        f"Người {n},0200850012{n:02d},17/05/1985,Nam,Tày (Thổ),Công chức,Tú Đoạn\n"
        for n in range(12)
    )
    response = upload(admin_client, header + rows)
    report = response.context["report"]
    assert report.rejected_count == 12
    [row] = response.context["unknown_rows"]
    assert row["group"].rows == 12
    content = response.content.decode()
    assert "12 dòng" not in content or "1 giá trị chưa khớp" in content
    tay = Ethnicity.objects.get(name="Tày")
    response = choose(
        admin_client,
        response.context["batch"],
        value_field="ethnicity",
        value_text="Tày (Thổ)",
        value_choice=str(tay.pk),
    )
    assert response.context["report"].new == 12
    assert ValueAlias.objects.get().object_id == tay.pk
    response = upload(admin_client, header + rows, name="lan-sau.csv")
    assert response.context["report"].rejected_count == 0


def test_a_unit_chosen_for_the_file_takes_the_new_rows_that_write_none(admin_client, tu_doan):
    """A commune's own list names its unit in the title, not in a column."""
    header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng\n"
    response = upload(admin_client, header + "Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Cán bộ\n")
    assert response.context["report"].rejected_count == 1
    content = response.content.decode()
    assert "hãy chọn đơn vị cho cả tệp" in content
    # Nothing goes in yet: not "the file changes nothing".
    assert "Chưa có dòng nào nhập được" in content and "không thay đổi gì" not in content
    [unit] = [row for row in response.context["default_rows"] if row["option"] == "default_unit"]
    assert (str(tu_doan.pk), "Xã Tú Đoạn") in unit["choices"]
    batch = response.context["batch"]
    response = choose(admin_client, batch, default_default_unit=str(tu_doan.pk))
    assert response.context["report"].new == 1
    admin_client.post(reverse("admin:cadres_cadre_import_confirm", args=[batch.pk]))
    assert Cadre.objects.get(cccd="020085001234").unit == tu_doan


def test_a_commune_user_chooses_the_file_s_unit_among_their_own_only(
    client, officer_a, commune_a, commune_b
):
    client.force_login(officer_a)
    header = "Họ và tên,Số CCCD,Ngày sinh,Giới tính,Dân tộc,Đối tượng\n"
    response = upload(client, header + "Nông Văn Hà,020085001234,17/05/1985,Nam,Tày,Cán bộ\n")
    [unit] = [row for row in response.context["default_rows"] if row["option"] == "default_unit"]
    offered = dict(unit["choices"])
    assert str(commune_a.pk) in offered and str(commune_b.pk) not in offered
    batch = response.context["batch"]
    choose(client, batch, default_default_unit=str(commune_b.pk))  # posted by hand
    assert ImportBatch.objects.get(pk=batch.pk).options["defaults"] == {}

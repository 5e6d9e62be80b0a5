"""Reference data of training: the programmes of the domain brief with default eligibility
limits, real institutions that train Lạng Sơn's cadres, and the service-commitment decrees.

Every limit is a default an administrator edits when the province's rules differ. Reversing
deletes the rows by their natural keys (codes, names)."""

from datetime import date
from decimal import Decimal

from django.db import migrations

# code, name, track, grants, months, degree, max age, general education, prerequisite, categories
PROGRAMMES = [
    ("TIEN_SI", "Tiến sĩ", "professional", "CM_TIEN_SI", 48, True, 40, None, "CM_THAC_SI", ""),
    ("THAC_SI", "Thạc sĩ", "professional", "CM_THAC_SI", 24, True, 40, None, "CM_DAI_HOC", ""),
    ("DAI_HOC", "Đại học", "professional", "CM_DAI_HOC", 48, True, 45, "PT_12_12", None, ""),
    ("CAO_DANG", "Cao đẳng", "professional", "CM_CAO_DANG", 36, True, 45, "PT_12_12", None, ""),
    (
        "TRUNG_CAP_CM",
        "Trung cấp chuyên môn (kinh tế, nông nghiệp, ...)",
        "professional",
        "CM_TRUNG_CAP",
        24,
        True,
        45,
        "PT_9_12",
        None,
        "",
    ),
    (
        "CAO_CAP_LLCT",
        "Cao cấp lý luận chính trị",
        "political_theory",
        "LLCT_CAO_CAP",
        16,
        True,
        50,
        "PT_12_12",
        "CM_DAI_HOC",
        "",
    ),
    (
        "TRUNG_CAP_LLCT",
        "Trung cấp lý luận chính trị",
        "political_theory",
        "LLCT_TRUNG_CAP",
        8,
        True,
        50,
        "PT_12_12",
        None,
        "",
    ),
    (
        "SO_CAP_LLCT",
        "Sơ cấp lý luận chính trị",
        "political_theory",
        "LLCT_SO_CAP",
        2,
        False,
        None,
        "PT_9_12",
        None,
        "",
    ),
    (
        "QLNN_CV",
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên",
        "state_management",
        "QLNN_CHUYEN_VIEN",
        2,
        False,
        None,
        None,
        None,
        "can_bo,cong_chuc,vien_chuc",
    ),
    (
        "QLNN_CVC",
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên chính",
        "state_management",
        "QLNN_CHUYEN_VIEN_CHINH",
        2,
        False,
        None,
        None,
        "QLNN_CHUYEN_VIEN",
        "can_bo,cong_chuc,vien_chuc",
    ),
    (
        "QLNN_CVCC",
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên cao cấp",
        "state_management",
        "QLNN_CHUYEN_VIEN_CAO_CAP",
        2,
        False,
        None,
        None,
        "QLNN_CHUYEN_VIEN_CHINH",
        "can_bo,cong_chuc",
    ),
    (
        "QS_TRUNG_CAP",
        "Trung cấp quân sự cơ sở (Trường Quân sự tỉnh)",
        "military",
        "CM_TRUNG_CAP",
        24,
        True,
        40,
        "PT_9_12",
        None,
        "",
    ),
    (
        "QS_CAO_DANG",
        "Cao đẳng ngành quân sự cơ sở",
        "military",
        "CM_CAO_DANG",
        36,
        True,
        40,
        "PT_12_12",
        None,
        "",
    ),
    (
        "CA_SO_CAP",
        "Sơ cấp công an xã",
        "police",
        None,
        3,
        False,
        45,
        "PT_9_12",
        None,
        "",
    ),
    (
        "QPAN_DT3",
        "Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 3",
        "defence_security",
        "QPAN_DT3",
        1,
        False,
        None,
        None,
        None,
        "",
    ),
    (
        "QPAN_DT4",
        "Bồi dưỡng kiến thức quốc phòng - an ninh đối tượng 4",
        "defence_security",
        "QPAN_DT4",
        1,
        False,
        None,
        None,
        None,
        "",
    ),
    (
        "CNTT_CO_BAN",
        "Chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản",
        "it",
        "CNTT_CO_BAN",
        1,
        False,
        None,
        None,
        None,
        "",
    ),
    (
        "BD_CAP_UY",
        "Bồi dưỡng cập nhật kiến thức cấp ủy viên",
        "refresher",
        None,
        1,
        False,
        None,
        None,
        None,
        "",
    ),
]

INSTITUTIONS = [
    ("Học viện Chính trị quốc gia Hồ Chí Minh", "HVCTQG", "national_academy", "Hà Nội"),
    ("Học viện Chính trị khu vực I", "HVCT KV I", "national_academy", "Hà Nội"),
    ("Học viện Hành chính quốc gia", "HVHC", "national_academy", "Hà Nội"),
    (
        "Trường Chính trị Hoàng Văn Thụ",
        "TCT HVT",
        "provincial_political_school",
        "Thành phố Lạng Sơn",
    ),
    ("Trường Quân sự tỉnh Lạng Sơn", "TQS", "provincial_military_school", "Lạng Sơn"),
    ("Trường Sĩ quan Lục quân 1", "SQLQ1", "university", "Hà Nội"),
    ("Trường Cao đẳng Cảnh sát nhân dân I", "CĐCSND I", "police_school", "Hà Nội"),
    ("Đại học Thái Nguyên", "ĐHTN", "university", "Thái Nguyên"),
    ("Trường Đại học Nông Lâm - Đại học Thái Nguyên", "ĐHNL", "university", "Thái Nguyên"),
    ("Trường Đại học Luật Hà Nội", "ĐHL", "university", "Hà Nội"),
    ("Trường Cao đẳng Y tế Lạng Sơn", "CĐYT", "university", "Lạng Sơn"),
    ("Trường Cao đẳng Công nghệ và Nông lâm Đông Bắc", "CĐĐB", "vocational", "Lạng Sơn"),
    ("Trung tâm Chính trị huyện Lộc Bình", "TTCT", "district_centre", "Thị trấn Lộc Bình"),
]

# Twice the study period for degree study under each decree (the default the issue names).
RULES = [
    (
        "Cam kết phục vụ sau đào tạo",
        "Nghị định 101/2017/NĐ-CP",
        date(2017, 9, 15),
        date(2021, 11, 30),
    ),
    (
        "Cam kết phục vụ sau đào tạo (sửa đổi)",
        "Nghị định 101/2017/NĐ-CP, sửa đổi bởi Nghị định 89/2021/NĐ-CP",
        date(2021, 12, 1),
        date(2025, 6, 30),
    ),
    (
        "Cam kết phục vụ sau đào tạo",
        "Nghị định 171/2025/NĐ-CP",
        date(2025, 7, 1),
        None,
    ),
]


def load(apps, schema_editor):
    Level = apps.get_model("cadres", "QualificationLevel")
    Programme = apps.get_model("training", "Programme")
    Institution = apps.get_model("training", "Institution")
    Rule = apps.get_model("training", "ServiceCommitmentRule")
    levels = {level.code: level for level in Level.objects.all()}
    for code, name, track, grants, months, degree, age, general, prereq, cats in PROGRAMMES:
        Programme.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "track": track,
                "grants_level": levels.get(grants),
                "typical_months": months,
                "is_degree": degree,
                "max_age_at_dispatch": age,
                "min_general_education": levels.get(general),
                "prerequisite_level": levels.get(prereq),
                "allowed_categories": cats,
            },
        )
    for name, short, kind, place in INSTITUTIONS:
        Institution.objects.update_or_create(
            name=name, defaults={"short_name": short, "kind": kind, "place": place}
        )
    for name, basis, start, end in RULES:
        Rule.objects.update_or_create(
            legal_basis=basis,
            defaults={"name": name, "valid_from": start, "valid_to": end, "multiplier": Decimal(2)},
        )


def unload(apps, schema_editor):
    apps.get_model("training", "Programme").objects.filter(
        code__in=[row[0] for row in PROGRAMMES]
    ).delete()
    apps.get_model("training", "Institution").objects.filter(
        name__in=[row[0] for row in INSTITUTIONS]
    ).delete()
    apps.get_model("training", "ServiceCommitmentRule").objects.filter(
        legal_basis__in=[row[1] for row in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0003_load_reference_data"),
        ("training", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, unload)]

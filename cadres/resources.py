"""Import and export of cadre records (django-import-export resources).

Column names are the Vietnamese headers of the province's lists; ``aliases`` lists the other
spellings found in communes' files. Related rows are found by name or code, never by key.
"""

from datetime import date

from import_export.fields import Field

from cadres.choices import Category, Gender, Track
from cadres.importing import (
    BulkModelResource,
    CccdWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    LookupWidget,
    TextWidget,
    UnitWidget,
)
from cadres.models import Cadre, Ethnicity, QualificationLevel, Religion, cadre_date_errors


def text(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=TextWidget())


def day(attribute: str, column: str) -> Field:
    return Field(attribute=attribute, column_name=column, widget=DateWidget())


def shown(attribute: str, column: str) -> Field:
    """Exported for reading only (derived values); ignored on import."""
    return Field(attribute=attribute, column_name=column, readonly=True)


def ethnicity_names(ethnicity: Ethnicity) -> list[str]:
    return [ethnicity.name, ethnicity.code, *ethnicity.other_names.split(";")]


def level_names(level: QualificationLevel) -> list[str]:
    # "12/12" is also written "12/12 phổ thông", "Lớp 12", "12".
    names = [level.label, level.code, f"{level.label} phổ thông"]
    if "/" in level.label:
        grade = level.label.split("/")[0]
        names += [f"Lớp {grade}"]
        if level.label.split("/")[0] == level.label.split("/")[1]:
            names.append(grade)
    return names


class CadreResource(BulkModelResource):
    cccd = Field(attribute="cccd", column_name="Số CCCD", widget=CccdWidget())
    full_name = text("full_name", "Họ và tên")
    other_names = text("other_names", "Tên gọi khác")
    gender = Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceWidget(Gender.choices, "giới tính"),
    )
    birth_date = day("birth_date", "Ngày sinh")
    ethnicity = Field(
        attribute="ethnicity",
        column_name="Dân tộc",
        widget=LookupWidget(Ethnicity, "dân tộc", ethnicity_names),
    )
    religion = Field(
        attribute="religion",
        column_name="Tôn giáo",
        widget=LookupWidget(Religion, "tôn giáo", lambda r: [r.name, r.code]),
    )
    place_of_birth = text("place_of_birth", "Nơi sinh")
    home_town = text("home_town", "Quê quán")
    permanent_residence = text("permanent_residence", "Nơi đăng ký thường trú")
    current_residence = text("current_residence", "Nơi ở hiện nay")
    cccd_issued_on = day("cccd_issued_on", "Ngày cấp CCCD")
    phone = text("phone", "Điện thoại")
    email = text("email", "Thư điện tử")
    category = Field(
        attribute="category",
        column_name="Đối tượng",
        widget=ChoiceWidget(Category.choices, "đối tượng"),
    )
    unit = Field(attribute="unit", column_name="Đơn vị công tác", widget=UnitWidget())
    job_title = text("job_title", "Chức vụ, chức danh")
    recruitment_date = day("recruitment_date", "Ngày tuyển dụng")
    work_start_date = day("work_start_date", "Ngày vào cơ quan hiện nay")
    party_join_date = day("party_join_date", "Ngày vào Đảng")
    party_official_date = day("party_official_date", "Ngày chính thức")
    party_position = text("party_position", "Chức vụ Đảng")
    general_education = Field(
        attribute="general_education",
        column_name="Giáo dục phổ thông",
        widget=LookupWidget(
            QualificationLevel,
            "trình độ giáo dục phổ thông",
            level_names,
            queryset=lambda: QualificationLevel.objects.filter(track=Track.GENERAL_EDUCATION),
        ),
    )
    academic_title = text("academic_title", "Học hàm")
    civil_service_rank = text("civil_service_rank", "Ngạch")
    civil_service_rank_code = text("civil_service_rank_code", "Mã ngạch")
    salary_step = Field(attribute="salary_step", column_name="Bậc lương", widget=IntegerWidget())
    salary_coefficient = Field(
        attribute="salary_coefficient", column_name="Hệ số lương", widget=DecimalWidget()
    )
    salary_since = day("salary_since", "Ngày hưởng lương")
    position_allowance = Field(
        attribute="position_allowance", column_name="Phụ cấp chức vụ", widget=DecimalWidget()
    )
    notes = text("notes", "Ghi chú")
    # Derived from the qualification history: exported to be read, never imported.
    professional_level = shown("professional_level__label", "Trình độ chuyên môn")
    professional_major = shown("professional_major", "Chuyên ngành")
    political_theory_level = shown("political_theory_level__label", "Lý luận chính trị")
    state_management_level = shown("state_management_level__label", "Quản lý nhà nước")
    retirement_date = Field(
        attribute="retirement_date",
        column_name="Ngày nghỉ hưu",
        readonly=True,
        widget=DateWidget(),
    )

    aliases = {
        "cccd": [
            "CCCD",
            "Số căn cước công dân",
            "Số căn cước",
            "Số định danh cá nhân",
            "Số CMND/CCCD",
            "CMND/CCCD",
        ],
        "full_name": ["Họ tên", "Họ, tên", "Họ và tên khai sinh"],
        "gender": ["Giới", "Nam/Nữ", "Nam, nữ"],
        "birth_date": ["Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày", "Năm sinh"],
        "ethnicity": ["Dân tộc (thành phần)"],
        "unit": ["Đơn vị", "Cơ quan, đơn vị", "Nơi công tác", "Xã, thị trấn"],
        "category": ["Đối tượng (CB/CC/VC)", "Loại cán bộ"],
        "job_title": ["Chức vụ", "Chức danh", "Chức vụ hiện nay"],
        "cccd_issued_on": ["Ngày cấp"],
        "party_join_date": ["Ngày vào Đảng CSVN", "Ngày vào đảng"],
        "party_official_date": ["Ngày chính thức vào Đảng"],
        "general_education": ["Trình độ GDPT", "Trình độ văn hóa", "GDPT"],
        "phone": ["Số điện thoại", "SĐT"],
        "email": ["Email"],
    }
    derived_fields = ["search_name", "retirement_date"]
    label_field = "full_name"
    scope_field = "unit"

    class Meta(BulkModelResource.Meta):
        model = Cadre
        import_id_fields = ["cccd"]
        fields = [
            "cccd",
            "full_name",
            "other_names",
            "gender",
            "birth_date",
            "ethnicity",
            "religion",
            "place_of_birth",
            "home_town",
            "permanent_residence",
            "current_residence",
            "cccd_issued_on",
            "phone",
            "email",
            "category",
            "unit",
            "job_title",
            "recruitment_date",
            "work_start_date",
            "party_join_date",
            "party_official_date",
            "party_position",
            "general_education",
            "academic_title",
            "civil_service_rank",
            "civil_service_rank_code",
            "salary_step",
            "salary_coefficient",
            "salary_since",
            "position_allowance",
            "notes",
            "professional_level",
            "professional_major",
            "political_theory_level",
            "state_management_level",
            "retirement_date",
        ]
        export_order = fields

    def get_queryset(self):
        return Cadre.objects.select_related(
            "ethnicity",
            "religion",
            "unit",
            "general_education",
            "professional_level",
            "political_theory_level",
            "state_management_level",
        )

    def rule_errors(self, instance: Cadre, on: date) -> dict[str, list[str]]:
        """The rules of ``Cadre.clean()``, through the same function (no query)."""
        return {name: [message] for name, message in cadre_date_errors(instance, on).items()}


# Columns of the province's list layout (after "STT"), in its order.
PROVINCE_LAYOUT = [
    "full_name",
    "birth_date",
    "gender",
    "ethnicity",
    "cccd",
    "unit",
    "job_title",
    "category",
    "general_education",
    "professional_level",
    "professional_major",
    "political_theory_level",
    "state_management_level",
    "party_join_date",
    "party_official_date",
    "retirement_date",
]

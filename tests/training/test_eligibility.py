from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cadres.choices import Category
from tests.factories import CadreFactory, QualificationFactory, level
from tests.training.factories import institution, programme
from training.choices import DispatchStatus, Enforcement
from training.eligibility import (
    age_rule,
    category_rule,
    general_education_rule,
    level_already_held_rule,
    prerequisite_rule,
    reasons_not_eligible,
)
from training.models import Dispatch, Programme

pytestmark = pytest.mark.django_db

DISPATCH_DAY = date(2025, 9, 1)


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (date(1975, 9, 1), True),  # 50 on the day: the limit itself is allowed
        (date(1974, 9, 2), True),  # turns 51 the day after dispatch
        (date(1974, 9, 1), False),  # 51 on the day of dispatch
        (date(1960, 1, 1), False),
    ],
)
def test_age_limit_counts_the_age_on_the_day_of_dispatch(born, eligible):
    cadre = CadreFactory.build(birth_date=born)
    reasons = age_rule(cadre, programme("TRUNG_CAP_LLCT"), DISPATCH_DAY)
    assert (reasons == []) is eligible
    if not eligible:
        assert "không quá 50 tuổi" in reasons[0] and "01/09/2025" in reasons[0]


def test_programme_without_age_limit_takes_any_age():
    cadre = CadreFactory.build(birth_date=date(1960, 1, 1))
    assert age_rule(cadre, programme("QLNN_CV"), DISPATCH_DAY) == []


@pytest.mark.parametrize(
    ("general", "eligible"),
    [(None, False), ("PT_7_10", False), ("PT_9_12", False), ("PT_12_12", True)],
)
def test_general_education_must_reach_the_programme_minimum(general, eligible):
    cadre = CadreFactory.build(general_education=level(general) if general else None)
    reasons = general_education_rule(cadre, programme("TRUNG_CAP_LLCT"))
    assert (reasons == []) is eligible
    if not eligible:
        assert reasons[0].startswith("Chưa đạt trình độ giáo dục phổ thông 12/12")


@pytest.mark.parametrize(
    ("professional", "eligible"),
    [(None, False), ("CM_CAO_DANG", False), ("CM_DAI_HOC", True), ("CM_THAC_SI", True)],
)
def test_senior_political_theory_requires_a_university_degree_first(professional, eligible):
    cadre = CadreFactory()
    if professional:
        QualificationFactory(cadre=cadre, level=level(professional))
        cadre.refresh_from_db()
    reasons = prerequisite_rule(cadre, programme("CAO_CAP_LLCT"))
    assert (reasons == []) is eligible
    if not eligible:
        assert "Đại học" in reasons[0]


@pytest.mark.parametrize(
    ("category", "eligible"),
    [(Category.CIVIL_SERVANT, True), (Category.CADRE, True), (Category.PART_TIME, False)],
)
def test_state_management_course_is_for_the_listed_categories_only(category, eligible):
    cadre = CadreFactory.build(category=category)
    reasons = category_rule(cadre, programme("QLNN_CV"))
    assert (reasons == []) is eligible
    if not eligible:
        assert "chỉ dành cho" in reasons[0]


def test_nobody_is_sent_for_a_level_already_held():
    cadre = CadreFactory()
    QualificationFactory(cadre=cadre, level=level("LLCT_CAO_CAP"))
    cadre.refresh_from_db()
    assert level_already_held_rule(cadre, programme("TRUNG_CAP_LLCT")) == [
        "Đã có trình độ Cao cấp, không cần học Trung cấp lý luận chính trị."
    ]
    assert level_already_held_rule(cadre, programme("DAI_HOC")) == []  # another track


def test_all_reasons_are_listed_together():
    cadre = CadreFactory.build(birth_date=date(1960, 1, 1), general_education=None)
    reasons = reasons_not_eligible(cadre, programme("TRUNG_CAP_LLCT"), DISPATCH_DAY)
    assert len(reasons) == 2


def test_eligible_cadre_has_no_reason():
    cadre = CadreFactory.build(birth_date=date(1990, 1, 1), general_education=level("PT_12_12"))
    assert reasons_not_eligible(cadre, programme("TRUNG_CAP_LLCT"), DISPATCH_DAY) == []


def university_dispatch(cadre, **kwargs):
    values = {
        "cadre": cadre,
        "programme": programme("DAI_HOC"),
        "decision_date": date(2025, 8, 20),
        "start_date": date(2025, 9, 1),
        "end_date": date(2029, 8, 31),
        "institution": institution("Đại học Thái Nguyên"),
        "decision_number": "120-QĐ/HU",
    }
    return Dispatch(**(values | kwargs))


def test_a_fifty_eight_year_old_sent_to_a_four_year_course_is_refused_with_the_reasons():
    cadre = CadreFactory(
        birth_date=date(1967, 3, 10), general_education=level("PT_12_12")
    )  # 58 on the decision date
    dispatch = university_dispatch(cadre)
    with pytest.raises(ValidationError) as refused:
        dispatch.full_clean()
    reasons = " ".join(refused.value.message_dict["cadre"])
    assert "Quá tuổi cử đi học Đại học: 58 tuổi" in reasons
    assert "Đến tuổi nghỉ hưu ngày" in reasons and "trước khi khóa học Đại học kết thúc" in reasons


def test_a_commitment_that_cannot_be_served_before_retirement_is_refused():
    # 54 at dispatch (the age limit lifted), retires in 2031: 2 of 8 committed years served.
    cadre = CadreFactory(birth_date=date(1971, 5, 1), general_education=level("PT_12_12"))
    Programme.objects.filter(code="DAI_HOC").update(max_age_at_dispatch=None)
    dispatch = university_dispatch(cadre)
    assert dispatch.committed_months() == 96
    verdict = dispatch.verdict()
    assert verdict.refusals == [
        f"Đến tuổi nghỉ hưu ngày {cadre.retirement_date:%d/%m/%Y}: không đủ 96 tháng phục vụ "
        "sau khi học xong Đại học (31/08/2029), cam kết kéo dài đến 31/08/2037."
    ]


def test_a_rule_the_programme_sets_to_warn_only_warns():
    cadre = CadreFactory(birth_date=date(1967, 3, 10), general_education=level("PT_12_12"))
    Programme.objects.filter(code="DAI_HOC").update(
        age_enforcement=Enforcement.WARN, retirement_enforcement=Enforcement.OFF
    )
    dispatch = university_dispatch(cadre)
    dispatch.full_clean()
    assert [w[:28] for w in dispatch.verdict().warnings] == ["Quá tuổi cử đi học Đại học: "]


def test_a_missing_prerequisite_refuses_the_dispatch():
    cadre = CadreFactory(birth_date=date(1985, 1, 1), general_education=level("PT_12_12"))
    dispatch = university_dispatch(
        cadre, programme=programme("CAO_CAP_LLCT"), end_date=date(2026, 12, 31)
    )
    with pytest.raises(ValidationError, match="Chưa có trình độ chuyên môn Đại học"):
        dispatch.full_clean()


def test_general_education_missing_on_the_record_only_warns_by_default():
    cadre = CadreFactory(birth_date=date(1990, 1, 1))
    dispatch = university_dispatch(cadre)
    dispatch.full_clean()
    assert dispatch.verdict().warnings == [
        "Chưa đạt trình độ giáo dục phổ thông 12/12 (hiện có: chưa ghi)."
    ]


def test_a_past_study_is_recorded_as_it_was_with_its_warnings_kept():
    cadre = CadreFactory(birth_date=date(1950, 3, 10))
    dispatch = university_dispatch(
        cadre,
        decision_date=date(2009, 8, 1),
        start_date=date(2009, 9, 1),
        end_date=date(2013, 6, 30),
        status=DispatchStatus.GRADUATED,
        graduated_on=date(2013, 6, 30),
    )
    dispatch.full_clean()
    assert dispatch.verdict().refusals  # the rules still name what was missed

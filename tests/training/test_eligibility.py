from datetime import date

import pytest

from cadres.choices import Category
from tests.factories import CadreFactory, QualificationFactory, level
from tests.training.factories import programme
from training.eligibility import (
    age_rule,
    category_rule,
    general_education_rule,
    level_already_held_rule,
    prerequisite_rule,
    reasons_not_eligible,
)

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

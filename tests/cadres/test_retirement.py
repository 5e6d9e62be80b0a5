from datetime import date, timedelta

import pytest

from cadres.choices import Gender
from cadres.retirement import (
    RetirementDates,
    ScheduleYear,
    add_years,
    age_on,
    months_between,
    retirement_date,
    statutory_schedule,
)

M, F = Gender.MALE, Gender.FEMALE


@pytest.mark.parametrize(
    ("gender", "born", "retires"),
    [
        # Worked examples of Nghị định 135/2020 (nld.com.vn): first year of the schedule.
        (M, date(1961, 1, 15), date(2021, 4, 30)),
        (F, date(1966, 1, 15), date(2021, 5, 31)),
        # Last men who reach 60y3m within 2021, and the first who fall into 2022 (60y6m).
        (M, date(1961, 9, 30), date(2021, 12, 31)),
        (M, date(1961, 10, 1), date(2022, 4, 30)),
        # Women: 55y8m in 2022 reached by 04/1967, 56y in 2023 for 05/1967.
        (F, date(1967, 4, 1), date(2022, 12, 31)),
        (F, date(1967, 5, 1), date(2023, 5, 31)),
        # Before the schedule: the 2012 code's 60 and 55.
        (M, date(1955, 6, 10), date(2015, 6, 30)),
        (F, date(1960, 2, 10), date(2015, 2, 28)),
        # After the schedule: 62 for men from 2028, 60 for women from 2035.
        (M, date(1970, 3, 3), date(2032, 3, 31)),
        (F, date(1980, 7, 7), date(2040, 7, 31)),
        # A leap-day birth retires at the end of February.
        (M, date(1972, 2, 29), date(2034, 2, 28)),
    ],
)
def test_retirement_date_follows_the_statutory_schedule(gender, born, retires):
    assert retirement_date(gender, born) == retires


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1980, 5, 17), date(2020, 5, 16), 39),
        (date(1980, 5, 17), date(2020, 5, 17), 40),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
    ],
)
def test_age_counts_whole_years_on_the_day(born, on, age):
    assert age_on(born, on) == age


def test_months_between_counts_whole_months():
    assert months_between(date(2025, 7, 1), date(2030, 7, 1)) == 60
    assert months_between(date(2025, 7, 1), date(2030, 6, 30)) == 59


def test_add_years_moves_a_leap_day_to_the_twenty_eighth():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), -4) == date(2020, 2, 29)


@pytest.mark.django_db
def test_the_retirement_schedule_is_data_an_administrator_corrects(admin_client):
    from django.urls import reverse

    from cadres.models import Cadre, RetirementAge
    from cadres.models.reference import _schedule_cache
    from tests.factories import CadreFactory

    row = RetirementAge.objects.get(year=2027)
    assert (row.men_years, row.men_months, row.confirmed) == (61, 9, False)
    cadre = CadreFactory(gender=Gender.MALE, birth_date=date(1965, 10, 15))
    assert cadre.retirement_date == date(2027, 7, 31)  # 61 years 9 months
    try:
        url = reverse("admin:cadres_retirementage_change", args=[row.pk])
        response = admin_client.post(
            url,
            {
                "year": 2027,
                "men_years": 62,
                "men_months": 0,
                "women_years": row.women_years,
                "women_months": row.women_months,
                "confirmed": "on",
                "note": "Sửa thử",
            },
        )
        assert response.status_code == 302
        assert Cadre.objects.get(pk=cadre.pk).retirement_date == date(2027, 10, 31)
    finally:
        _schedule_cache.clear()


def test_retirement_dates_are_worked_out_once_per_month_of_birth_and_equal_each_days_own():
    # A schedule other than the statutory one, so that the one given is the one used.
    schedule = (ScheduleYear(2025, {M: 61 * 12, F: 57 * 12}),) + statutory_schedule()[5:]
    dates = RetirementDates(schedule)
    days = [date(1955, 1, 1) + timedelta(days=n) for n in range(0, 45 * 366, 7)]
    for gender in (M, F):
        assert [dates.of(gender, day) for day in days] == [
            retirement_date(gender, day, schedule) for day in days
        ]
    assert dates._by_month.cache_info().misses == 2 * len({(d.year, d.month) for d in days})


def test_retirement_dates_past_their_limit_are_still_right(monkeypatch):
    monkeypatch.setattr(RetirementDates, "LIMIT", 2)
    dates = RetirementDates()
    days = [date(1970, month, 15) for month in range(1, 13)]
    assert [dates.of(F, day) for day in days] == [retirement_date(F, day) for day in days]
    assert dates._by_month.cache_info().currsize == 2


@pytest.mark.django_db
def test_derived_retirement_dates_follow_a_correction_of_the_schedule():
    from cadres.models import Cadre, RetirementAge
    from cadres.models.reference import _schedule_cache

    people = [
        Cadre(gender=gender, birth_date=date(1960, 1, 10) + timedelta(days=n * 41))
        for n in range(120)
        for gender in (M, F)
    ]

    def derived() -> list[date]:
        for person in people:
            person.derive_fields()
        return [person.retirement_date for person in people]

    def computed() -> list[date]:
        schedule = RetirementAge.objects.schedule()
        return [retirement_date(p.gender, p.birth_date, schedule) for p in people]

    try:
        before = derived()
        assert before == computed()
        row = RetirementAge.objects.get(year=2027)
        row.men_years, row.men_months = 62, 0
        row.save()
        after = derived()
        assert after == computed()
        assert after != before
    finally:
        _schedule_cache.clear()

"""Statutory retirement age and date (Bộ luật Lao động 2019 art. 169, Nghị định 135/2020/NĐ-CP).

The age rises each calendar year from 2021: by 3 months for men up to 62 (2028) and by 4 months
for women up to 60 (2035). The age that applies is the one of the calendar year in which the
person reaches it (Nghị định 135/2020 art. 4 and Phụ lục II), and the retirement moment is the
end of the last day of that month (art. 3). Pure functions: no database, no ``date.today()``.

The schedule is data: the file below seeds the table an administrator corrects (*Lộ trình tuổi
nghỉ hưu*, ``cadres.RetirementAge``); callers pass the table's schedule, the file is the
default.
"""

import calendar
import csv
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from pathlib import Path

from cadres.choices import Gender

SCHEDULE_FILE = Path(__file__).parent / "data" / "retirement_schedule.csv"

# Before 2021 (Bộ luật Lao động 2012): men 60, women 55.
AGE_BEFORE_SCHEDULE = {Gender.MALE: 60 * 12, Gender.FEMALE: 55 * 12}


@dataclass(frozen=True)
class ScheduleYear:
    year: int
    months: dict[str, int]  # gender -> retirement age in months


@cache
def statutory_schedule() -> tuple[ScheduleYear, ...]:
    with SCHEDULE_FILE.open(encoding="utf-8") as f:
        return tuple(
            ScheduleYear(
                year=int(row["year"]),
                months={
                    Gender.MALE: int(row["men_years"]) * 12 + int(row["men_months"]),
                    Gender.FEMALE: int(row["women_years"]) * 12 + int(row["women_months"]),
                },
            )
            for row in csv.DictReader(f)
        )


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


Schedule = tuple[ScheduleYear, ...]


def retirement_age_months(gender: str, birth_date: date, schedule: Schedule | None = None) -> int:
    """Retirement age in months for a person of ``gender`` born on ``birth_date``."""
    schedule = schedule or statutory_schedule()
    born = _month_index(birth_date.year, birth_date.month)
    first = schedule[0]
    if (born + AGE_BEFORE_SCHEDULE[gender]) // 12 < first.year:
        return AGE_BEFORE_SCHEDULE[gender]
    for entry in schedule:
        if (born + entry.months[gender]) // 12 == entry.year:
            return entry.months[gender]
    return schedule[-1].months[gender]


def retirement_date(gender: str, birth_date: date, schedule: Schedule | None = None) -> date:
    """Last day of the month in which the person reaches the statutory retirement age."""
    reached = _month_index(birth_date.year, birth_date.month) + retirement_age_months(
        gender, birth_date, schedule
    )
    year, month = divmod(reached, 12)
    month += 1
    return date(year, month, calendar.monthrange(year, month)[1])


class RetirementDates:
    """:func:`retirement_date` under one schedule, worked out once per gender and month of
    birth (the date depends on nothing else): an import of 100,000 people asks for a few
    hundred distinct months. The latest ``LIMIT`` of them are remembered."""

    LIMIT = 4096

    def __init__(self, schedule: Schedule | None = None):
        self.schedule = schedule
        self._by_month = lru_cache(maxsize=self.LIMIT)(self._of_month)

    def of(self, gender: str, birth_date: date) -> date:
        return self._by_month(gender, birth_date.year, birth_date.month)

    def _of_month(self, gender: str, year: int, month: int) -> date:
        return retirement_date(gender, date(year, month, 1), self.schedule)


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on the day ``on``; a 29 February birthday counts on 1 March."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

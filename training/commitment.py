"""Service after training and repayment by those who leave early (Nghị định 101/2017/NĐ-CP
điều 7-8, amended by Nghị định 89/2021/NĐ-CP; Nghị định 171/2025/NĐ-CP). The multiplier, the
minimum and how each case repays are data on ``ServiceCommitmentRule`` and ``RepaymentRule``;
these functions only do the arithmetic.

Pure functions: no database, no ``date.today()``.
"""

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cadres.retirement import months_between

FULL = "full"
PRO_RATA = "pro_rata"
NONE = "none"


def study_months(start: date, end: date) -> int:
    """Calendar months of study from the first day to the last day, both days counted: study
    from 03/10/2022 to 02/10/2024 is 24 months (counting to the end date itself gave 23),
    01/09/2023 to 31/05/2024 is 9; days short of a further month are not a month. Any study is
    at least one month."""
    return max(months_between(start, end + timedelta(days=1)), 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; a day the month lacks becomes its last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_to_serve(study_months: int, multiplier: Decimal, minimum: int = 0) -> int:
    """Months a trainee commits to serve: the study period times the multiplier (by default
    twice the study period), at least ``minimum``; part months count as a whole month."""
    committed = (Decimal(study_months) * multiplier).to_integral_value(rounding="ROUND_CEILING")
    return max(int(committed), minimum)


def repayment(cost: Decimal, months_committed: int, months_served: int) -> Decimal:
    """Cost × (months committed − months served) / months committed, in whole đồng.

    Nothing is owed once the commitment is served; all of it when nothing was served."""
    if months_committed <= 0:
        return Decimal(0)
    served = min(max(months_served, 0), months_committed)
    owed = Decimal(cost) * (months_committed - served) / months_committed
    return owed.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def owed(method: str, share: Decimal, cost: Decimal, committed: int, served: int) -> Decimal:
    """What a case repays by its rule: all the cost, the unserved share of it, or nothing,
    times ``share`` (a percentage, 100 by default)."""
    if method == NONE:
        return Decimal(0)
    base = Decimal(cost) if method == FULL else repayment(cost, committed, served)
    return (base * Decimal(share) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def rate_quantity(basis: str, start: date | None, end: date | None) -> Decimal:
    """How many times a rate is paid for a study from ``start`` to ``end``: its calendar months
    (per month), its days, both counted (per day), else once (per course, on the degree, lump
    sum, travel)."""
    if start is None or end is None:
        return Decimal(1)
    if basis == "per_month":
        return Decimal(study_months(start, end))
    if basis == "per_day":
        return Decimal((end - start).days + 1)
    return Decimal(1)

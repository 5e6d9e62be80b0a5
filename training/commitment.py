"""Service after training and repayment by those who leave early (Nghị định 101/2017/NĐ-CP
art. 37-38, amended by Nghị định 89/2021/NĐ-CP; Nghị định 171/2025/NĐ-CP). The multiplier and
the minimum are data on ``ServiceCommitmentRule``; these functions only do the arithmetic.

Pure functions: no database, no ``date.today()``.
"""

from decimal import ROUND_HALF_UP, Decimal


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

"""The year's training totals: dispatches by programme and by unit level, classes with their
attendances (lượt) and distinct people, money paid by policy and year. Every figure is one
aggregate query; nothing is counted in Python."""

from __future__ import annotations

from cadres.choices import Level
from training.models import Attendance, DispatchQuerySet, SupportPayment


def totals(dispatches: DispatchQuerySet, year: int | None = None, user=None) -> dict:
    """Figures of ``dispatches`` and of the attendances and payments ``user`` may see (all of
    them without a user: a command run by the server's operator)."""
    attendances = Attendance.objects.all()
    payments = SupportPayment.objects.all()
    if user is not None:
        attendances = attendances.visible_to(user)
        payments = payments.visible_to(user)
    if year:
        attendances = attendances.filter(course__start_date__year=year)
        payments = payments.filter(paid_on__year=year)
    levels = dict(Level.choices)
    return {
        "dispatch_total": dispatches.count(),
        "by_programme": dispatches.by_programme(),
        "by_unit_level": [(levels.get(k, k), n) for k, n in dispatches.by_unit_level().items()],
        "attendance": attendances.totals(),
        "money": payments.by_policy_and_year(),
    }

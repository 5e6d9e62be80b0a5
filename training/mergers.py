"""Training's part of a merger (cadres.mergers): the old units' training plans of the merger's
year and later go to the new unit."""

from __future__ import annotations

from cadres.mergers import Change, Merger
from training.models import TrainingPlan


def training_step(merger: Merger) -> list[Change]:
    """A unit has one plan a year: where the new unit already has one for the year (or another
    old unit's plan of that year is moved first), the plan stays where it is and its lines are
    for a person to merge into the new unit's plan."""
    plans = TrainingPlan.objects.filter(
        unit__in=merger.predecessors, year__gte=merger.effective_date.year
    ).select_related("unit")
    years = set(TrainingPlan.objects.filter(unit=merger.successor).values_list("year", flat=True))
    changes = []
    for plan in plans.order_by("year", "unit__name"):
        blocked = plan.year in years
        years.add(plan.year)
        conflicts = (
            [
                f"{merger.successor} đã có kế hoạch đào tạo năm {plan.year}: chuyển các dòng "
                "của kế hoạch này vào đó."
            ]
            if blocked
            else []
        )
        changes.append(
            Change(
                "Kế hoạch đào tạo",
                plan,
                f"Kế hoạch đào tạo năm {plan.year}: {plan.unit} → {merger.successor}",
                lambda plan=plan: merger.move(plan),
                conflicts,
                blocked,
            )
        )
    return changes

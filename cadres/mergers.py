"""Mergers as a workflow: after a succession is recorded (old units merged into a new one, as on
1 July 2025), what the old units still hold is proposed for the new unit, shown as a list to
confirm, and applied in one transaction.

The register does not know the apps built on it, so each app contributes its own part of the
proposal: its AppConfig names functions in ``merger_steps`` (dotted paths, collected here as the
roles are collected in ``cadres.roles``), each taking a :class:`Merger` and returning the
:class:`Change` rows of its records. A change's conflicts (a planning limit exceeded in the new
unit) are shown with it; a ``blocked`` change is left for a person to make by hand. Every write
goes through ``save()`` with the merger as the history's change reason, so each record's history
page says why it moved. The proposal is read from what the old units still hold: once applied,
proposing again finds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db import models, transaction
from django.utils.module_loading import import_string

from cadres.models import Appointment, Cadre, Unit, UnitSuccession, WorkHistory


@dataclass
class Merger:
    """Old units merged into ``successor`` on ``effective_date`` (every succession into it on
    that day). An old unit split between several new units is ``split``: its records are not
    moved automatically, since nothing says which new unit each belongs to."""

    successor: Unit
    effective_date: date
    predecessors: list[Unit]
    split: list[Unit]
    legal_basis: str = ""

    @classmethod
    def of(cls, succession: UnitSuccession) -> Merger:
        day = succession.effective_date
        rows = UnitSuccession.objects.filter(successor=succession.successor_id, effective_date=day)
        predecessors = [row.predecessor for row in rows.select_related("predecessor")]
        split_ids = set(
            UnitSuccession.objects.filter(predecessor__in=predecessors, effective_date=day)
            .exclude(successor=succession.successor_id)
            .values_list("predecessor_id", flat=True)
        )
        return cls(
            successor=succession.successor,
            effective_date=day,
            predecessors=[unit for unit in predecessors if unit.pk not in split_ids],
            split=[unit for unit in predecessors if unit.pk in split_ids],
            legal_basis=succession.legal_basis,
        )

    @property
    def day_before(self) -> date:
        return self.effective_date - timedelta(days=1)

    @property
    def reason(self) -> str:
        """The history's change reason: "Sáp nhập vào Xã Khánh Xuân từ 01/07/2025 (NQ …)"."""
        basis = f" ({self.legal_basis})" if self.legal_basis else ""
        return f"Sáp nhập vào {self.successor} từ {self.effective_date:%d/%m/%Y}{basis}"

    def move(self, record: models.Model) -> None:
        """Put a record of an old unit (its ``unit`` field) under the new one, with the
        merger as its history row's reason."""
        record.unit = self.successor
        save_with_reason(record, self.reason, update_fields=["unit", "updated_at"])


@dataclass
class Change:
    """One record moved to the new unit: what changes, what the rules object to."""

    section: str
    record: models.Model
    text: str
    apply: Callable[[], None]
    conflicts: list[str] = field(default_factory=list)
    blocked: bool = False  # not applied: a person decides


def steps() -> list[Callable[[Merger], list[Change]]]:
    """The steps every app declares in ``merger_steps``, in the order of INSTALLED_APPS."""
    return [
        import_string(path)
        for config in apps.get_app_configs()
        for path in getattr(config, "merger_steps", ())
    ]


def propose(merger: Merger) -> list[Change]:
    return [change for step in steps() for change in step(merger)]


@transaction.atomic
def apply(merger: Merger) -> list[Change]:
    """Propose again inside the transaction (what was shown may have changed since) and apply
    every change that is not blocked. Returns the changes, applied or not."""
    changes = propose(merger)
    for change in changes:
        if not change.blocked:
            change.apply()
    return changes


def save_with_reason(record: models.Model, reason: str, **kwargs) -> None:
    """Save ``record`` with ``reason`` as its history row's change reason (simple_history)."""
    record._change_reason = reason
    record.save(**kwargs)


# --- The register's own step: the old units, their cadres and the units under them -----------


def register_step(merger: Merger) -> list[Change]:
    changes = []
    for old in merger.predecessors:
        if old.valid_to is None or old.valid_to >= merger.effective_date:
            changes.append(
                Change(
                    "Đơn vị",
                    old,
                    f"{old}: thôi hiệu lực từ {merger.effective_date:%d/%m/%Y}",
                    lambda old=old: close_unit(old, merger),
                )
            )
        for child in old.children.order_by("name"):
            changes.append(
                Change(
                    "Đơn vị",
                    child,
                    f"{child}: trực thuộc {merger.successor} (trước: {old})",
                    lambda child=child: move_unit(child, merger),
                )
            )
    cadres = Cadre.objects.filter(unit__in=merger.predecessors).select_related("unit")
    for cadre in cadres.order_by("unit__name", "full_name"):
        changes.append(
            Change(
                "Cán bộ",
                cadre,
                f"{cadre.full_name}: {cadre.unit} → {merger.successor}",
                lambda cadre=cadre: move_cadre(cadre, merger),
            )
        )
    return changes


def close_unit(unit: Unit, merger: Merger) -> None:
    unit.valid_to = merger.day_before
    save_with_reason(unit, merger.reason)


def move_unit(unit: Unit, merger: Merger) -> None:
    unit.parent = merger.successor
    save_with_reason(unit, merger.reason)


def move_cadre(cadre: Cadre, merger: Merger) -> None:
    """The cadre's unit becomes the new one. Appointments held in an old unit on the day end the
    day before and continue in the new unit; the open work-history row ends the day before and
    a new one starts in the new unit (the 2C form's "quá trình công tác")."""
    old = cadre.unit
    held = Appointment.objects.filter(cadre=cadre, unit__in=merger.predecessors)
    for appointment in held.active(merger.effective_date).select_related("position"):
        continued = Appointment(
            cadre=cadre,
            position=appointment.position,
            unit=merger.successor,
            concurrent=appointment.concurrent,
            start_date=merger.effective_date,
        )
        save_with_reason(continued, merger.reason)
        appointment.end_date = merger.day_before
        save_with_reason(appointment, merger.reason)
    open_rows = WorkHistory.objects.filter(cadre=cadre, end_date__isnull=True)
    title = cadre.job_title
    for row in open_rows.filter(start_date__lt=merger.effective_date):
        title = title or row.position_title
        row.end_date = merger.day_before
        save_with_reason(row, merger.reason)
    moved = WorkHistory(
        cadre=cadre,
        position_title=title or "Cán bộ, công chức",
        organisation=f"{merger.successor} (sáp nhập từ {old})",
        start_date=merger.effective_date,
    )
    save_with_reason(moved, merger.reason)
    cadre.unit = merger.successor
    save_with_reason(cadre, merger.reason)

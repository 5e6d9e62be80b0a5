"""Planning rules, one function per rule, each returning Vietnamese messages (empty: rule met).

Three readers use them: ``PlanningEntry.clean()`` (hard rules stop the save), the readiness
column of the planning list (soft rules stay visible as warnings) and the training-gap service.
Rules that read a date take ``on``; none calls ``date.today()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cadres.choices import EvaluationResult, Level, Track
from cadres.models import Appointment, Cadre, Discipline, Evaluation, QualificationLevel
from cadres.retirement import add_years, age_on, months_between
from planning.models import (
    STANDARD_LEVEL_FIELDS,
    PlanningEntry,
    PositionStandard,
    RuleSet,
)

LEVEL_ORDER = {Level.VILLAGE: 0, Level.COMMUNE: 1, Level.DISTRICT: 2, Level.PROVINCE: 3}
_PARENTHESES = re.compile(r"\s*\(.*?\)")


def level_phrase(level: QualificationLevel) -> str:
    """How planners write a level: "cao cấp LLCT", "QLNN chuyên viên chính", "đại học"."""
    label = _PARENTHESES.sub("", level.label).strip().lower()
    return {
        Track.POLITICAL_THEORY: f"{label} LLCT",
        Track.STATE_MANAGEMENT: f"QLNN {label}",
        Track.PROFESSIONAL: f"chuyên môn {label}",
        Track.GENERAL_EDUCATION: f"văn hóa {label}",
    }.get(level.track, label)


@dataclass(frozen=True)
class MissedStandard:
    """One standard of a position the cadre does not meet on a day."""

    text: str
    track: str | None = None  # set for a missed qualification level
    required: QualificationLevel | None = None
    months: int | None = None  # months to meet it (training or waiting); None: not by training


def missed_standards(
    cadre: Cadre, standard: PositionStandard | None, on: date, rule_set: RuleSet
) -> list[MissedStandard]:
    """Standards of the position (Quy định 50-QĐ/TW art. 5, 377-QĐ/TW: tiêu chuẩn chức danh)
    the cadre misses on ``on``. Reads the cadre's derived current levels, no query when the
    levels are joined (``PlanningEntryQuerySet.with_levels``)."""
    if standard is None:
        return []
    missed = []
    for track, field in STANDARD_LEVEL_FIELDS.items():
        required = getattr(standard, field)
        if required is None:
            continue
        held = getattr(cadre, field)
        if held is None or held.rank < required.rank:
            missed.append(
                MissedStandard(
                    text=level_phrase(required),
                    track=track,
                    required=required,
                    months=rule_set.months_to_train(required),
                )
            )
    if standard.min_party_years:
        years = cadre.party_years_on(on)
        if years is None:
            missed.append(MissedStandard(text=f"đảng viên đủ {standard.min_party_years} năm"))
        elif years < standard.min_party_years:
            reached = add_years(cadre.party_join_date, standard.min_party_years)
            missed.append(
                MissedStandard(
                    text=f"tuổi Đảng đủ {standard.min_party_years} năm",
                    months=max(months_between(on, reached), 0) + 1,
                )
            )
    return missed


def standards_message(missed: Iterable[MissedStandard]) -> str:
    """ "thiếu: cao cấp LLCT; QLNN chuyên viên chính", or "đạt tiêu chuẩn"."""
    texts = [m.text for m in missed]
    return f"thiếu: {'; '.join(texts)}" if texts else "đạt tiêu chuẩn"


def months_to_retirement(cadre: Cadre, on: date) -> int | None:
    """Whole months from ``on`` to the statutory retirement date (cadres.retirement)."""
    if cadre.retirement_date is None:
        return None
    return months_between(on, cadre.retirement_date)


# --- Hard rules: they stop the save -----------------------------------------------------------


def candidates_limit_errors(entry: PlanningEntry, rule_set: RuleSet) -> list[str]:
    """At most N candidates per position and unit in one term (Quy định 50-QĐ/TW art. 3:
    "mỗi chức danh quy hoạch không quá 3 người"; 377-QĐ/TW keeps it)."""
    others = (
        PlanningEntry.objects.current()
        .filter(term_id=entry.term_id, unit_id=entry.unit_id, position_id=entry.position_id)
        .exclude(pk=entry.pk)
        .count()
    )
    limit = rule_set.candidates_per_position
    if others >= limit:
        return [
            f"Chức danh {entry.position} của {entry.unit} đã có đủ {others} người quy hoạch "
            f"(tối đa {limit} người theo {rule_set.regulation or rule_set.name})."
        ]
    return []


def positions_per_person_errors(entry: PlanningEntry, rule_set: RuleSet) -> list[str]:
    """One person is planned for at most N positions of one level (Quy định 50-QĐ/TW art. 3:
    "mỗi người không quá 3 chức danh cùng cấp")."""
    others = (
        PlanningEntry.objects.current()
        .filter(
            cadre_id=entry.cadre_id, term_id=entry.term_id, position__level=entry.position.level
        )
        .exclude(pk=entry.pk)
        .count()
    )
    limit = rule_set.positions_per_person
    if others >= limit:
        return [
            f"{entry.cadre.full_name} đã được quy hoạch {others} chức danh cùng cấp "
            f"(tối đa {limit})."
        ]
    return []


def position_order(position) -> tuple[int, int]:
    return (LEVEL_ORDER.get(position.level, 0), position.rank)


def higher_position_errors(
    entry: PlanningEntry, rule_set: RuleSet, on: date, appointments: Iterable[Appointment]
) -> list[str]:
    """A reserve is planned only for a position higher than the one held; an incumbent for the
    same or a higher one (Quy định 50-QĐ/TW art. 3: "quy hoạch chức danh cao hơn")."""
    if not rule_set.only_higher_position:
        return []
    held = [a.position for a in appointments if a.is_active(on)]
    if not held:
        return []
    top = max(held, key=position_order)
    planned = position_order(entry.position)
    if planned > position_order(top):
        return []
    if entry.role == "incumbent" and planned == position_order(top):
        return []
    return [
        f"Chỉ quy hoạch chức danh cao hơn chức danh hiện giữ ({top}); "
        f"{entry.position} không cao hơn."
    ]


def full_term_errors(entry: PlanningEntry, rule_set: RuleSet) -> list[str]:
    """Someone planned for the first time must be able to serve a full term (60 months) before
    the statutory retirement date, counted from the term's start (Quy định 50-QĐ/TW art. 5;
    retirement date: Bộ luật Lao động 2019, Nghị định 135/2020/NĐ-CP)."""
    retires = entry.cadre.retirement_date
    if not entry.first_time or retires is None:
        return []
    start = entry.term.start_date
    # Retirement takes effect at the end of ``retires``: the day after is the first day off.
    served = months_between(start, retires.fromordinal(retires.toordinal() + 1))
    if served >= rule_set.full_term_months:
        return []
    return [
        f"Quy hoạch lần đầu phải đủ tuổi công tác {rule_set.full_term_months} tháng tính từ "
        f"{start:%d/%m/%Y}; {entry.cadre.full_name} nghỉ hưu ngày {retires:%d/%m/%Y} "
        f"(còn {max(served, 0)} tháng)."
    ]


def first_time_age_errors(entry: PlanningEntry, on: date) -> list[str]:
    """Maximum age when first planned, from the position's standard (tiêu chuẩn chức danh)."""
    standard = getattr(entry.position, "standard", None)
    if not entry.first_time or standard is None or not standard.max_age_first_planned:
        return []
    age = age_on(entry.cadre.birth_date, on)
    if age <= standard.max_age_first_planned:
        return []
    return [
        f"Quy hoạch lần đầu chức danh {entry.position} không quá "
        f"{standard.max_age_first_planned} tuổi; {entry.cadre.full_name} đã {age} tuổi."
    ]


def hard_rule_errors(entry: PlanningEntry, rule_set: RuleSet) -> dict[str, list[str]]:
    """All hard rules of an entry on its decision's date, keyed by the field to mark."""
    on = entry.added_by.issued_on
    appointments = entry.cadre.appointments.select_related("position")
    errors = {
        "position": candidates_limit_errors(entry, rule_set)
        + higher_position_errors(entry, rule_set, on, appointments),
        "cadre": positions_per_person_errors(entry, rule_set) + first_time_age_errors(entry, on),
        "first_time": full_term_errors(entry, rule_set),
    }
    return {field: messages for field, messages in errors.items() if messages}


# --- Soft rules and review triggers ------------------------------------------------------------


def appointment_interval_warnings(
    decision_date: date, appointments: Iterable[Appointment], rule_set: RuleSet
) -> list[str]:
    """Planning and a proposal to appoint the same person are not done at the same time
    (Quy định 50-QĐ/TW art. 3): warn when an appointment falls within the interval."""
    months = rule_set.appointment_interval_months
    low, high = _add_months(decision_date, -months), _add_months(decision_date, months)
    warnings = []
    for appointment in appointments:
        day = appointment.decision_date or appointment.start_date
        if low < day < high:
            warnings.append(
                f"Bổ nhiệm {appointment.position} ngày {day:%d/%m/%Y} cách quyết định quy "
                f"hoạch dưới {months} tháng."
            )
    return warnings


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def discipline_errors(disciplines: Iterable[Discipline], rule_set: RuleSet, on: date) -> list[str]:
    """Discipline from reprimand upward bars planning while in force (Quy định 50-QĐ/TW art. 8);
    under 377-QĐ/TW an expired discipline no longer does. Without that exception, a discipline
    still bars for ``discipline_bar_months`` after its decision."""
    messages = []
    for discipline in disciplines:
        if discipline.in_force(on):
            messages.append(f"Đang chịu kỷ luật {discipline.get_form_display().lower()}.")
        elif not rule_set.expired_discipline_allowed and discipline.decided_on <= on < _add_months(
            discipline.decided_on, rule_set.discipline_bar_months
        ):
            messages.append(
                f"Bị kỷ luật {discipline.get_form_display().lower()} ngày "
                f"{discipline.decided_on:%d/%m/%Y}, chưa đủ {rule_set.discipline_bar_months} tháng."
            )
    return messages


def evaluation_errors(evaluations: Iterable[Evaluation]) -> list[str]:
    """The last annual evaluation below "completed tasks" takes a cadre out of the pool
    (Quy định 50-QĐ/TW art. 8)."""
    last = max(evaluations, key=lambda e: e.year, default=None)
    if last is not None and last.result == EvaluationResult.NOT_COMPLETED:
        return [f"Năm {last.year} xếp loại không hoàn thành nhiệm vụ."]
    return []

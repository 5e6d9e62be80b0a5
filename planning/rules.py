"""Planning rules, one function per rule, each returning Vietnamese messages (empty: rule met).

Three readers use them: ``PlanningEntry.clean()`` (hard rules stop the save), the readiness
column of the planning list (soft rules stay visible as warnings) and the training-gap service.
Rules that read a date take ``on``; none calls ``date.today()``.

This module imports no planning model (the models import it): rules that count other entries
ask the entry's own class for them.

Rules that count (the limits) take ``batch``: the other entries written in the same go (the rows
of an inline formset, the rows of an imported file) that are not stored yet, so that four rows
posted at once cannot each see room for one more. Writers run in a transaction and call
:func:`lock_for_limits` first, so two concurrent saves on one position are counted one after the
other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Model

from cadres.choices import EvaluationResult, Track
from cadres.models import (
    Appointment,
    Cadre,
    Discipline,
    Evaluation,
    Position,
    QualificationLevel,
    party_post_errors,
)
from cadres.retirement import add_years, age_on, months_between
from planning.choices import EntryRole

# The planning models import this module, so it does not import them (no loop, not even for
# type checking): in the hints below these names stand for planning.models' classes.
PlanningEntry = PositionStandard = RuleSet = Model

# The tracks a position standard sets a level for, with the field on both the standard and the
# cadre (the cadre's is derived from the qualification history).
STANDARD_LEVEL_FIELDS = {
    Track.PROFESSIONAL: "professional_level",
    Track.POLITICAL_THEORY: "political_theory_level",
    Track.STATE_MANAGEMENT: "state_management_level",
    Track.GENERAL_EDUCATION: "general_education",
}
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
    held = {field: getattr(cadre, field) for field in STANDARD_LEVEL_FIELDS.values()}
    return [
        *missed_levels(held, standard, rule_set),
        *missed_party_years(cadre.party_join_date, standard, on),
    ]


def missed_levels(
    held: dict[str, QualificationLevel | None], standard: PositionStandard, rule_set: RuleSet
) -> list[MissedStandard]:
    """The qualification levels of ``standard`` that the levels ``held`` (the cadre's, by field
    of :data:`STANDARD_LEVEL_FIELDS`) do not reach; part of :func:`missed_standards`."""
    missed = []
    for track, field in STANDARD_LEVEL_FIELDS.items():
        required = getattr(standard, field)
        if required is None:
            continue
        level = held[field]
        if level is None or level.rank < required.rank:
            missed.append(
                MissedStandard(
                    text=level_phrase(required),
                    track=track,
                    required=required,
                    months=rule_set.months_to_train(required),
                )
            )
    return missed


def missed_party_years(
    party_join_date: date | None, standard: PositionStandard, on: date
) -> list[MissedStandard]:
    """The party years ``standard`` asks for, missed on ``on`` by a member since
    ``party_join_date`` (or by a non-member); part of :func:`missed_standards`."""
    if not standard.min_party_years:
        return []
    if party_join_date is None:
        return [MissedStandard(text=f"đảng viên đủ {standard.min_party_years} năm")]
    if age_on(party_join_date, on) >= standard.min_party_years:
        return []
    reached = add_years(party_join_date, standard.min_party_years)
    return [
        MissedStandard(
            text=f"tuổi Đảng đủ {standard.min_party_years} năm",
            months=max(months_between(on, reached), 0) + 1,
        )
    ]


def standards_message(missed: Iterable[MissedStandard]) -> str:
    """ "thiếu: cao cấp LLCT; QLNN chuyên viên chính", or "đạt tiêu chuẩn"."""
    texts = [m.text for m in missed]
    return f"thiếu: {'; '.join(texts)}" if texts else "đạt tiêu chuẩn"


def months_to_retirement(cadre: Cadre, on: date) -> int | None:
    """Whole months from ``on`` to the statutory retirement date (cadres.retirement)."""
    if cadre.retirement_date is None:
        return None
    return months_between(on, cadre.retirement_date)


# --- Limits: they count other entries -------------------------------------------------------


def lock_for_limits(entries: Iterable[PlanningEntry]) -> None:
    """Lock the rows of the positions and people of ``entries`` until the transaction ends, so
    that two writers adding to one position (or one person) count one after the other: the
    second waits, then counts what the first wrote. A no-op outside a transaction and on
    databases without row locks (SQLite writes one transaction at a time anyway)."""
    if not connection.features.has_select_for_update or not connection.in_atomic_block:
        return
    entries = list(entries)
    positions = sorted({e.position_id for e in entries if e.position_id})
    people = sorted({e.cadre_id for e in entries if e.cadre_id})
    # Always positions first, each in key order: two writers never wait on each other in a loop.
    list(Position.objects.select_for_update().filter(pk__in=positions).order_by("pk").values("pk"))
    list(Cadre.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))


def _counted(entry: PlanningEntry, batch: Sequence[PlanningEntry], **same) -> int:
    """Entries other than ``entry`` with the ``same`` values: those stored and still in the plan
    (not the stored versions of rows of the batch), plus the rows of the batch."""
    model = type(entry)
    skip = {e.pk for e in (entry, *batch) if e.pk}
    stored = model.objects.current().filter(**same).exclude(pk__in=skip).count()
    pending = sum(
        1
        for other in batch
        if other is not entry
        and other.removed_by_id is None
        and all(_value(other, name) == value for name, value in same.items())
    )
    return stored + pending


def _value(entry: PlanningEntry, name: str):
    if name == "position__level":
        return entry.position.level
    return getattr(entry, name)


def candidates_limit_errors(
    entry: PlanningEntry, rule_set: RuleSet, batch: Sequence[PlanningEntry] = ()
) -> list[str]:
    """At most N candidates per position and unit in one term (Quy định 50-QĐ/TW art. 3:
    "mỗi chức danh quy hoạch không quá 3 người"; 377-QĐ/TW keeps it), counting the entries
    written with this one (``batch``)."""
    others = _counted(
        entry,
        batch,
        term_id=entry.term_id,
        unit_id=entry.unit_id,
        position_id=entry.position_id,
    )
    limit = rule_set.candidates_per_position
    if others >= limit:
        return [
            f"Chức danh {entry.position} của {entry.unit} đã có đủ {others} người quy hoạch "
            f"(tối đa {limit} người theo {rule_set.regulation or rule_set.name})."
        ]
    return []


def positions_per_person_errors(
    entry: PlanningEntry, rule_set: RuleSet, batch: Sequence[PlanningEntry] = ()
) -> list[str]:
    """One person is planned for at most N positions of one level (Quy định 50-QĐ/TW art. 3:
    "mỗi người không quá 3 chức danh cùng cấp"), counting the entries written with this one."""
    others = _counted(
        entry,
        batch,
        cadre_id=entry.cadre_id,
        term_id=entry.term_id,
        position__level=entry.position.level,
    )
    limit = rule_set.positions_per_person
    if others >= limit:
        return [
            f"{entry.cadre.full_name} đã được quy hoạch {others} chức danh cùng cấp "
            f"(tối đa {limit})."
        ]
    return []


def incumbents_warnings(entry: PlanningEntry, batch: Sequence[PlanningEntry] = ()) -> list[str]:
    """An incumbent entry (quy hoạch đương chức, Quy định 50-QĐ/TW art. 3; Hướng dẫn
    16-HD/BTCTW: the holder planned for the post again) names the person who holds the post in
    the unit: several for one post of one unit in one term is what a merger makes of the old
    communes' secretaries, counting the entries written with this one (``batch``). A warning,
    not a refusal: a deputy post can have several holders, and the committee decides who holds
    the merged post; the others stay as reserves or leave the pool."""
    if entry.role != EntryRole.INCUMBENT:
        return []
    others = _counted(
        entry,
        batch,
        term_id=entry.term_id,
        unit_id=entry.unit_id,
        position_id=entry.position_id,
        role=EntryRole.INCUMBENT,
    )
    if not others:
        return []
    return [
        f"Chức danh {entry.position} của {entry.unit} có {others + 1} người quy hoạch đương "
        "chức: xem lại ai giữ chức danh này, người còn lại chuyển sang dự nguồn."
    ]


def limit_errors(
    entry: PlanningEntry, rule_set: RuleSet, batch: Sequence[PlanningEntry] = ()
) -> dict[str, list[str]]:
    """Both limits, keyed by the field to mark."""
    errors = {
        "position": candidates_limit_errors(entry, rule_set, batch),
        "cadre": positions_per_person_errors(entry, rule_set, batch),
    }
    return {field: messages for field, messages in errors.items() if messages}


# --- Derived facts --------------------------------------------------------------------------


def planned_in_an_earlier_term(entry: PlanningEntry) -> bool:
    """Whether the person was in the pool of an earlier term of the same level: the opposite of
    "quy hoạch lần đầu" (Quy định 50-QĐ/TW art. 5), read from the pool's own history, never
    ticked by hand. Entries later removed still count: they were planned."""
    return (
        type(entry)
        .objects.filter(
            cadre_id=entry.cadre_id,
            term__level=entry.term.level,
            term__start_date__lt=entry.term.start_date,
        )
        .exclude(pk=entry.pk)
        .exists()
    )


def held_positions(appointments: Iterable[Appointment], on: date) -> list[Position]:
    """The positions held on ``on`` according to the appointments on record."""
    return [a.position for a in appointments if a.is_active(on)]


# --- Hard rules: they stop the save -----------------------------------------------------------


def higher_position_errors(
    entry: PlanningEntry, rule_set: RuleSet, on: date, appointments: Iterable[Appointment]
) -> list[str]:
    """A reserve is planned only for a position higher than the one held; an incumbent for the
    same or a higher one (Quy định 50-QĐ/TW art. 3: "quy hoạch chức danh cao hơn"; 377-QĐ/TW).

    "Higher" is the position's rank, one ordering across province, district and commune (data
    an administrator keeps): since 1 July 2025 a district specialist may be planned for commune
    party secretary, which a comparison of levels first would refuse. The current position
    comes from the appointments on record; without one the rule cannot answer and says so
    rather than letting the entry pass."""
    if not rule_set.only_higher_position:
        return []
    held = held_positions(appointments, on)
    if not held:
        return [
            f"Chưa rõ chức vụ hiện tại của {entry.cadre.full_name}: ghi quá trình giữ chức vụ "
            f"(bổ nhiệm, bầu cử) đến ngày {on:%d/%m/%Y} để kiểm tra quy hoạch chức danh cao hơn."
        ]
    top = max(held, key=lambda position: position.rank)
    if entry.position.rank > top.rank:
        return []
    if entry.role == EntryRole.INCUMBENT and entry.position.rank == top.rank:
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


def level_errors(entry: PlanningEntry) -> dict[str, list[str]]:
    """A term plans the positions of its own level in the units of that level (Quy định
    50-QĐ/TW art. 2: quy hoạch cấp nào do cấp đó thực hiện): term, position and unit agree."""
    errors: dict[str, list[str]] = {}
    level = entry.term.level
    label = entry.term.get_level_display().lower()
    if entry.position.level != level:
        errors["position"] = [
            f"Chức danh {entry.position} thuộc {entry.position.get_level_display().lower()}, "
            f"nhiệm kỳ quy hoạch là {label}."
        ]
    if entry.unit.level != level:
        errors["unit"] = [
            f"{entry.unit} thuộc {entry.unit.get_level_display().lower()}, "
            f"nhiệm kỳ quy hoạch là {label}."
        ]
    return errors


def unit_date_errors(entry: PlanningEntry, on: date) -> list[str]:
    """The unit planned for exists on the decision's date (a unit closed by a merger is planned
    for through the unit that took it over).

    An entry moved by a merger (planning.mergers) keeps the decision that planned it: that
    decision is the act the committee signed, and a new one recorded by the merger would be an
    act nobody signed. The recorded succession is what carries the planning over (the new
    unit's committee reviews it at the next annual review), so a unit founded after the
    decision passes when it took over, by recorded successions, a unit that existed then: the
    decision's own unit when the decision names one."""
    unit = entry.unit
    if unit.is_active(on):
        return []
    if unit.valid_to and unit.valid_to < on:
        return [f"{unit} đã thôi tồn tại từ {unit.valid_to:%d/%m/%Y}."]
    took_over = {old.pk for old in unit.predecessors_on(on)}
    decided_for = entry.added_by.unit_id
    if took_over and (decided_for is None or decided_for in took_over):
        return []
    return [f"{unit} chưa thành lập ngày {on:%d/%m/%Y}."]


def decision_date_errors(issued_on: date, term_start: date, term_end: date) -> list[str]:
    """A planning decision for a term is made during the term before it (quy hoạch cho nhiệm
    kỳ kế tiếp) or the term itself, reviewed every year (Quy định 50-QĐ/TW art. 2, 3): its
    date lies from one term's length before the start to the end of the term."""
    opens = date.fromordinal(term_start.toordinal() - (term_end - term_start).days - 1)
    if opens <= issued_on <= term_end:
        return []
    return [
        f"Ngày quyết định phải từ {opens:%d/%m/%Y} (nhiệm kỳ trước) đến {term_end:%d/%m/%Y} "
        "(hết nhiệm kỳ quy hoạch)."
    ]


def hard_rule_errors(
    entry: PlanningEntry,
    rule_set: RuleSet,
    batch: Sequence[PlanningEntry] = (),
    appointments: Iterable[Appointment] | None = None,
    disciplines: Iterable[Discipline] | None = None,
    evaluations: Iterable[Evaluation] | None = None,
) -> dict[str, list[str]]:
    """All hard rules of an entry on its decision's date, keyed by the field to mark. The
    cadre's records are read unless given (prefetched for a whole file)."""
    on = entry.added_by.issued_on
    cadre = entry.cadre
    if appointments is None:
        appointments = cadre.appointments.select_related("position")
    if disciplines is None:
        disciplines = cadre.disciplines.all()
    if evaluations is None:
        evaluations = cadre.evaluations.all()
    errors: dict[str, list[str]] = {}

    def add(field: str, messages: list[str]) -> None:
        if messages:
            errors.setdefault(field, []).extend(messages)

    for field, messages in level_errors(entry).items():
        add(field, messages)
    add("unit", unit_date_errors(entry, on))
    add("added_by", decision_date_errors(on, entry.term.start_date, entry.term.end_date))
    for field, messages in limit_errors(entry, rule_set, batch).items():
        add(field, messages)
    for field, messages in person_errors(
        entry, rule_set, on, appointments, disciplines, evaluations
    ).items():
        add(field, messages)
    return errors


def person_errors(
    entry: PlanningEntry,
    rule_set: RuleSet,
    on: date,
    appointments: Iterable[Appointment],
    disciplines: Iterable[Discipline],
    evaluations: Iterable[Evaluation],
) -> dict[str, list[str]]:
    """The hard rules about the person planned for the post on ``on`` (no other entry counted):
    higher position, party membership for a party post, age and full term when planned for the
    first time, discipline, evaluations. Part of :func:`hard_rule_errors`; a what-if
    (planning.whatif) asks them of a name before it is added."""
    errors: dict[str, list[str]] = {}
    for field, messages in (
        ("position", higher_position_errors(entry, rule_set, on, appointments)),
        ("cadre", party_post_errors(entry.cadre, entry.position, on)),
        ("cadre", first_time_age_errors(entry, on)),
        ("cadre", full_term_errors(entry, rule_set)),
        ("cadre", discipline_errors(disciplines, rule_set, on)),
        ("cadre", entry_evaluation_errors(evaluations, rule_set, on)),
    ):
        if messages:
            errors.setdefault(field, []).extend(messages)
    return errors


# --- Soft rules and review triggers ------------------------------------------------------------


def ballot_errors(
    entries: Iterable[PlanningEntry], ballots: Iterable, rule_set: RuleSet
) -> list[str]:
    """A planning decision is approved only for people who passed each step of their voting
    round, in the order of the steps (Quy định 50-QĐ/TW art. 3 and Hướng dẫn 16-HD/BTCTW:
    giới thiệu nguồn qua các bước, đạt trên 50% số phiếu hợp lệ; the share is the rule set's
    ``ballot_pass_percent``). People without any ballot on record are not judged here."""
    by_person: dict[tuple, list] = {}
    for ballot in ballots:
        key = (ballot.round.unit_id, ballot.cadre_id, ballot.position_id)
        by_person.setdefault(key, []).append(ballot)
    threshold = rule_set.ballot_pass_percent
    errors = []
    for entry in entries:
        steps = sorted(
            by_person.get((entry.unit_id, entry.cadre_id, entry.position_id), []),
            key=lambda b: b.step,
        )
        name = f"{entry.cadre.full_name} ({entry.position})"
        for ballot in steps:
            if ballot.votes_for * 100 <= threshold * ballot.valid:
                errors.append(
                    f"{name} không đạt bước “{ballot.get_step_display()}”: {ballot.votes_for}/"
                    f"{ballot.valid} phiếu hợp lệ (cần trên {threshold:g}%)."
                )
        held = [b.step for b in steps]
        if held and held != list(range(1, len(held) + 1)):
            errors.append(f"{name}: thiếu bước bỏ phiếu trước bước {held[-1]}.")
        dates = [b.held_on for b in steps]
        if dates != sorted(dates):
            errors.append(f"{name}: các bước bỏ phiếu không diễn ra theo đúng thứ tự ngày.")
    return errors


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


def _recent_years(on: date, years: int) -> list[int]:
    """The last ``years`` whole years before ``on`` (the ones already evaluated)."""
    return [on.year - back for back in range(1, years + 1)]


def entry_evaluation_errors(
    evaluations: Iterable[Evaluation], rule_set: RuleSet, on: date
) -> list[str]:
    """A person rated "did not complete duties" in one of the last evaluated years is not
    brought into the pool (Quy định 50-QĐ/TW art. 5 and 8: the same finding removes someone
    already planned; Quy định 124-QĐ/TW for the ratings). The number of years is the rule
    set's (``evaluation_years``, 2 by default)."""
    years = set(_recent_years(on, rule_set.evaluation_years))
    failed = sorted(
        e.year
        for e in evaluations
        if e.year in years and e.result == EvaluationResult.NOT_COMPLETED
    )
    return [f"Năm {year} xếp loại không hoàn thành nhiệm vụ." for year in failed]


# Ratings at or above which a year raises no question (hoàn thành tốt nhiệm vụ trở lên).
GOOD_RESULTS = {EvaluationResult.EXCELLENT, EvaluationResult.GOOD}


def standing_warnings(
    entry: PlanningEntry, rule_set: RuleSet, on: date, evaluations: Iterable[Evaluation]
) -> list[str]:
    """What the committee weighs rather than the rules refuse (Quy định 50-QĐ/TW art. 5,
    Hướng dẫn 16-HD/BTCTW: đánh giá, xếp loại chất lượng những năm gần nhất; Quy định
    58-QĐ/TW 2022 on the political standard, bảo vệ chính trị nội bộ): a recent year rated
    only "completed duties" or not rated at all, and no recorded conclusion on the political
    standard."""
    by_year = {e.year: e for e in evaluations}
    warnings = []
    for year in sorted(_recent_years(on, rule_set.evaluation_years)):
        found = by_year.get(year)
        if found is None:
            warnings.append(f"Chưa có kết quả đánh giá, xếp loại năm {year}.")
        elif found.result == EvaluationResult.COMPLETED:
            warnings.append(f"Năm {year} chỉ xếp loại hoàn thành nhiệm vụ.")
    if entry.political_standard_on is None:
        warnings.append("Chưa có kết luận về tiêu chuẩn chính trị (Quy định 58-QĐ/TW).")
    return warnings

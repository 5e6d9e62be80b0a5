"""Readiness of planned cadres, bench strength per position and the structure of the pool.

Pure computations over rows already loaded, plus a few aggregate queries; everything takes
``on: date``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_
from types import SimpleNamespace

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from cadres.choices import Gender
from cadres.list_filters import AgeBandFilter
from cadres.models import LEVEL_FIELDS, Ethnicity, Position, QualificationLevel, Unit
from cadres.retirement import add_years
from planning import rules
from planning.choices import Readiness, TermLevel
from planning.models import (
    STANDARD_LEVEL_FIELDS,
    PlanningEntry,
    PlanningTerm,
    PositionStandard,
    RuleSet,
)

# Training that takes up to this many months makes a candidate "ready within 1-2 years".
WITHIN_TWO_YEARS_MONTHS = 24
READINESS_LEVELS = Readiness.values  # computed by the enum on every access


@dataclass(frozen=True)
class EntryReadiness:
    level: Readiness
    missed: tuple[rules.MissedStandard, ...]
    months_to_retirement: int | None
    warnings: tuple[str, ...] = ()

    @property
    def missing_text(self) -> str:
        return rules.standards_message(self.missed)


def readiness_level(missed: Sequence[rules.MissedStandard]) -> Readiness:
    """Ready now when nothing is missed; within 1-2 years when every missed standard can be met
    by training (or waiting) of at most 24 months; later otherwise."""
    if not missed:
        return Readiness.READY_NOW
    months = [m.months for m in missed]
    if all(m is not None and m <= WITHIN_TWO_YEARS_MONTHS for m in months):
        return Readiness.WITHIN_TWO_YEARS
    return Readiness.LATER


def entry_readiness(
    entry: PlanningEntry,
    on: date,
    rule_set: RuleSet,
    appointments=None,
    disciplines=None,
    evaluations=None,
) -> EntryReadiness:
    """Readiness of one entry; no query when the entry comes from ``with_levels()`` and the
    cadre's records are given (prefetched). With the records, the warnings name what the
    committee must weigh on ``on``: an appointment too close to the planning, a discipline in
    force or a failed year since the entry was made (the annual review proposes removal), a
    recent year rated only "completed", no conclusion on the political standard."""
    standard = getattr(entry.position, "standard", None)
    missed = tuple(rules.missed_standards(entry.cadre, standard, on, rule_set))
    warnings: list[str] = []
    if appointments is not None:
        warnings += rules.appointment_interval_warnings(
            entry.added_by.issued_on, appointments, rule_set
        )
    if disciplines is not None:
        warnings += rules.discipline_errors(disciplines, rule_set, on)
    if evaluations is not None:
        warnings += rules.entry_evaluation_errors(evaluations, rule_set, on)
        warnings += rules.standing_warnings(entry, rule_set, on, evaluations)
    return EntryReadiness(
        level=readiness_level(missed),
        missed=missed,
        months_to_retirement=rules.months_to_retirement(entry.cadre, on),
        warnings=tuple(warnings),
    )


def attach_readiness(entries: Sequence[PlanningEntry], on: date) -> None:
    """Set ``entry.readiness`` on each entry: one query for the rule set, one for each of the
    cadres' appointments, disciplines and evaluations."""
    rule_set = RuleSet.objects.applying_on(on)
    prefetch_related_objects(
        list(entries), "cadre__appointments__position", "cadre__disciplines", "cadre__evaluations"
    )
    for entry in entries:
        cadre = entry.cadre
        entry.readiness = entry_readiness(
            entry,
            on,
            rule_set,
            appointments=cadre.appointments.all(),
            disciplines=cadre.disciplines.all(),
            evaluations=cadre.evaluations.all(),
        )


def rated(
    entries: QuerySet, on: date, rule_set: RuleSet, *fields: str
) -> Iterator[tuple[tuple, str]]:
    """``(values of fields, readiness level)`` for each of ``entries``, rated as
    :func:`entry_readiness` rates it, without a model instance per row: three queries (the
    rows as values, the levels, the standards of their positions). The levels part of the
    rating, the longest, is made once per distinct position and levels held; an entry adds
    only its party years."""
    levels = QualificationLevel.objects.in_bulk()
    held_fields = list(STANDARD_LEVEL_FIELDS.values())
    rows = list(
        entries.order_by().values_list(
            *fields,
            "position",
            "cadre__party_join_date",
            *(f"cadre__{field}" for field in held_fields),
        )
    )
    positions = {row[len(fields)] for row in rows}
    standards = {s.position_id: s for s in PositionStandard.objects.filter(position__in=positions)}
    for standard in standards.values():
        attach_levels(standard, held_fields, levels)
    missed_by_levels: dict[tuple, list[rules.MissedStandard]] = {}
    for row in rows:
        position, party_join_date, *held = row[len(fields) :]
        standard = standards.get(position)
        if standard is None:
            yield row[: len(fields)], Readiness.READY_NOW
            continue
        key = (position, *held)
        if key not in missed_by_levels:
            missed_by_levels[key] = rules.missed_levels(
                {name: levels.get(pk) for name, pk in zip(held_fields, held, strict=True)},
                standard,
                rule_set,
            )
        missed = missed_by_levels[key] + rules.missed_party_years(party_join_date, standard, on)
        yield row[: len(fields)], readiness_level(missed)


# What a training path (``training.pathway.path_for``) reads of a planned cadre besides levels.
PATH_CADRE_DATES = ("birth_date", "retirement_date", "party_join_date")


def planned_for_paths(entries: QuerySet) -> list[SimpleNamespace]:
    """The rows of ``entries`` as what a training path reads of a planning entry: ``pk``, the
    term, the unit, the position with its standard, and the cadre's dates and levels
    (``cadre``, a namespace of those attributes only). The rows are read as values, and the
    terms, units and positions (a few hundred, shared by thousands of entries) and the levels
    (a small reference table) once each: a model instance per entry and per cadre was two
    thirds of the paths report at province scale (8,700 entries), ``with_levels()`` fifteen
    instances per entry, about 5 s."""
    levels = QualificationLevel.objects.in_bulk()
    rows = list(
        entries.order_by().values_list(
            "pk",
            "term",
            "unit",
            "position",
            *(f"cadre__{name}" for name in (*PATH_CADRE_DATES, *LEVEL_FIELDS)),
        )
    )
    terms = PlanningTerm.objects.only("start_date", "end_date").in_bulk({row[1] for row in rows})
    units = Unit.objects.only("name", "path").in_bulk({row[2] for row in rows})
    positions = Position.objects.select_related("standard").in_bulk({row[3] for row in rows})
    for position in positions.values():
        attach_levels(getattr(position, "standard", None), STANDARD_LEVEL_FIELDS.values(), levels)
    dates = len(PATH_CADRE_DATES)
    return [
        SimpleNamespace(
            pk=pk,
            term=terms[term],
            unit=units[unit],
            position=positions[position],
            cadre=SimpleNamespace(
                **dict(zip(PATH_CADRE_DATES, cadre[:dates], strict=True)),
                **{
                    name: levels.get(level)
                    for name, level in zip(LEVEL_FIELDS, cadre[dates:], strict=True)
                },
            ),
        )
        for pk, term, unit, position, *cadre in rows
    ]


def attach_levels(holder, names: Iterable[str], levels: dict[int, QualificationLevel]) -> None:
    """Set the level fields ``names`` of ``holder`` (a cadre or a standard; None: nothing)
    from ``levels`` by their ids, without a query."""
    if holder is not None:
        for name in names:
            setattr(holder, name, levels.get(getattr(holder, f"{name}_id")))


def entries_by_readiness(entries: QuerySet, on: date, level: str) -> QuerySet:
    """The entries of ``entries`` at readiness ``level``: the rule set and the rows are read
    once, then filtered by key (a constant number of queries whatever the size)."""
    rule_set = RuleSet.objects.applying_on(on)
    ids = [pk for (pk,), rating in rated(entries, on, rule_set, "pk") if rating == level]
    return entries.filter(pk__in=ids)


def readiness_counts(
    entries: QuerySet, on: date, fields: Sequence[str], rule_set=None
) -> dict[tuple, dict[str, int]]:
    """How many of ``entries`` are at each readiness level, per values of ``fields`` (e.g. term
    and position): the same rating as :func:`entries_by_readiness`, which the admin list's
    readiness filter uses, in a constant number of queries."""
    rule_set = rule_set or RuleSet.objects.applying_on(on)
    counts: dict[tuple, dict[str, int]] = {}
    for key, rating in rated(entries, on, rule_set, *fields):
        if key not in counts:
            counts[key] = dict.fromkeys(READINESS_LEVELS, 0)
        counts[key][rating] += 1
    return counts


# --- Bench strength -----------------------------------------------------------------------------


@dataclass
class PositionBench:
    position: Position
    limit: int
    candidates: list[PlanningEntry] = field(default_factory=list)
    ready_now: int = 0

    @property
    def count(self) -> int:
        return len(self.candidates)

    @property
    def has_no_candidate(self) -> bool:
        return not self.candidates

    @property
    def all_miss_a_standard(self) -> bool:
        return bool(self.candidates) and self.ready_now == 0


def bench_strength(
    term: PlanningTerm, unit: Unit, on: date, positions: Iterable[Position] | None = None
) -> list[PositionBench]:
    """For every key position of the term's level: candidates against the limit and how many are
    ready now, so that gaps in succession show (no candidate, or every one misses a standard)."""
    rule_set = RuleSet.objects.applying_on(on)
    if positions is None:
        positions = key_positions(term.level)
    benches = {p.pk: PositionBench(p, rule_set.candidates_per_position) for p in positions}
    entries = (
        PlanningEntry.objects.active(on)
        .for_term(term)
        .in_unit(unit)
        .filter(position_id__in=benches)
    ).with_levels()
    for entry in entries:
        bench = benches[entry.position_id]
        bench.candidates.append(entry)
        if entry_readiness(entry, on, rule_set).level == Readiness.READY_NOW:
            bench.ready_now += 1
    return list(benches.values())


def key_positions(level: str) -> QuerySet[Position]:
    """The positions whose succession a term of ``level`` must prepare (chức danh chủ chốt)."""
    return Position.objects.filter(level=level, is_key=True)


def units_without_candidate(
    term: PlanningTerm, position: Position | int, entries: QuerySet, units: QuerySet[Unit]
) -> QuerySet[Unit]:
    """The units among ``units`` that ``term`` plans for (``PlanningTerm.planning_units``)
    where ``entries`` hold nobody for ``position``: gaps in succession."""
    planned = entries.filter(term=term, position=position, unit=OuterRef("pk"))
    return term.planning_units().filter(pk__in=units.values("pk")).filter(~Exists(planned))


def candidate_gaps(term: PlanningTerm, entries: QuerySet, units: QuerySet[Unit]) -> dict[int, int]:
    """Per key position of the term's level, how many of the units it plans for (among
    ``units``) have no candidate in ``entries``; one query, counted in the database."""
    gaps = (
        term.planning_units()
        .filter(pk__in=units.values("pk"))
        .filter(
            ~Exists(
                entries.filter(term=term, unit=OuterRef("pk"), position=OuterRef(OuterRef("pk")))
            )
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return dict(
        key_positions(term.level)
        .annotate(gaps=Coalesce(Subquery(gaps, output_field=IntegerField()), 0))
        .values_list("pk", "gaps")
    )


# --- Structure of the pool ------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    count: int
    total: int
    target: Decimal | None = None
    places: int = 1

    @property
    def percent(self) -> Decimal:
        """Exact share in percent (to 28 significant digits); 0 for an empty pool."""
        if not self.total:
            return Decimal(0)
        return Decimal(self.count * 100) / Decimal(self.total)

    @property
    def rounded(self) -> Decimal:
        return self.percent.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool | None:
        """Whether the target is reached, compared before rounding: 14.96% misses 15%."""
        if self.target is None:
            return None
        return self.percent >= self.target


@dataclass(frozen=True)
class Structure:
    total: int
    women: Share
    young: Share
    minority: Share
    age_bands: dict[str, Share]
    political_theory: dict[str, Share]


def young_q(on: date, rule_set: RuleSet, level: str | None = None) -> Q:
    """Entries whose cadre is young on ``on`` (under the age the rule set sets for ``level``);
    without a level, each entry by the level of its term."""
    if level is not None:
        return Q(cadre__birth_date__gt=add_years(on, -rule_set.young_age(level)))
    return reduce(
        or_, [Q(term__level=each) & young_q(on, rule_set, each) for each in TermLevel.values]
    )


WOMEN_Q = Q(cadre__gender=Gender.FEMALE)
MINORITY_Q = ~Q(cadre__ethnicity__code=Ethnicity.KINH_CODE)


def share_aggregates(on: date, rule_set: RuleSet, level: str | None = None) -> dict[str, Count]:
    """Distinct people in total, women, young, ethnic minority: the aggregates of the pool's
    structure (see :func:`young_q` for ``level``)."""
    people = "cadre"
    return {
        "total": Count(people, distinct=True),
        "women": Count(people, distinct=True, filter=WOMEN_Q),
        "young": Count(people, distinct=True, filter=young_q(on, rule_set, level)),
        "minority": Count(people, distinct=True, filter=MINORITY_Q),
    }


def structure(entries: QuerySet, on: date, level: str, places: int = 1) -> Structure:
    """Counts and shares of the distinct people in ``entries`` (women, young under the age of
    ``level``, ethnic minority, age bands, political-theory level) against the targets of the
    rule set in force on ``on`` (Quy định 50-QĐ/TW art. 4). Two aggregate queries."""
    rule_set = RuleSet.objects.applying_on(on)
    people = "cadre"
    aggregates = share_aggregates(on, rule_set, level)
    for key, (_, low, high) in AgeBandFilter.BANDS.items():
        condition = Q()
        if low is not None:
            condition &= Q(cadre__birth_date__lte=add_years(on, -low))
        if high is not None:
            condition &= Q(cadre__birth_date__gt=add_years(on, -high))
        aggregates[f"band_{key}"] = Count(people, distinct=True, filter=condition)
    counts = entries.aggregate(**aggregates)
    total = counts["total"]
    by_level = (
        entries.annotate(
            level_label=Coalesce(
                "cadre__political_theory_level__label", Value("Chưa có", output_field=CharField())
            )
        )
        .values("level_label")
        .annotate(people=Count(people, distinct=True))
        .order_by("level_label")
    )
    return Structure(
        total=total,
        women=Share(counts["women"], total, rule_set.target_women_percent, places),
        young=Share(counts["young"], total, rule_set.target_young_percent, places),
        minority=Share(
            counts["minority"],
            total,
            rule_set.target_minority_percent or None,
            places,
        ),
        age_bands={
            label: Share(counts[f"band_{key}"], total, None, places)
            for key, (label, _, _) in AgeBandFilter.BANDS.items()
        },
        political_theory={
            row["level_label"]: Share(row["people"], total, None, places) for row in by_level
        },
    )

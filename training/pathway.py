"""The path to the standard (lộ trình đạt chuẩn): for a planned cadre, the dated courses that
bring them to the standard of the planned position before the term's appointment date.

The path is built from the programmes' data: the lowest programme that grants each missing
level, preceded by the programmes its prerequisite and minimum general education need (where
the programme's rule refuses a dispatch without them; a rule that only warns does not stop it); the
courses follow one another from ``on``, each lasting the programme's usual months. Each course
has a last start date: late enough to finish the rest of the path by the appointment date, to
be dispatched within the programme's age limit, and to serve the service commitment (Nghị định
101/2017/NĐ-CP, sửa đổi bởi Nghị định 89/2021/NĐ-CP) before retirement, each where the
programme's rule refuses a dispatch that misses it. Pure computation over rows the caller
loads (``Catalogue``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from cadres.models import QualificationLevel
from cadres.retirement import add_years
from planning import rules
from planning.models import PlanningEntry, PlanningTerm, RuleSet
from training import commitment
from training.choices import Enforcement
from training.eligibility import current_level
from training.models import Programme, ServiceCommitmentRule


def appointment_date(term: PlanningTerm, on: date) -> date:
    """When the planned cadre may be appointed: the term's start while it is ahead; once the
    term has begun, a vacancy may be filled until its end."""
    return term.start_date if on < term.start_date else term.end_date


@dataclass(frozen=True)
class Catalogue:
    """The programmes that grant a level and the commitment rule in force, loaded once."""

    programmes: tuple[Programme, ...]
    commitment_rule: ServiceCommitmentRule | None

    @classmethod
    def load(cls, on: date) -> Catalogue:
        programmes = Programme.objects.filter(grants_level__isnull=False).select_related(
            "grants_level", "prerequisite_level", "min_general_education"
        )
        return cls(
            programmes=tuple(programmes.order_by("grants_level__rank", "typical_months", "code")),
            commitment_rule=ServiceCommitmentRule.objects.in_force(on).first(),
        )

    def reaching(self, level: QualificationLevel) -> Programme | None:
        """The lowest, shortest programme granting ``level`` or more of its track."""
        return next(
            (
                p
                for p in self.programmes
                if p.grants_level.track == level.track and p.grants_level.rank >= level.rank
            ),
            None,
        )

    def months_to_serve(self, programme: Programme) -> int:
        """The commitment after the course, when the programme's retirement rule applies."""
        rule = self.commitment_rule
        if rule is None or not programme.is_degree:
            return 0
        return commitment.months_to_serve(
            programme.typical_months, rule.multiplier, rule.min_months
        )


@dataclass
class Course:
    programme: Programme
    start: date
    end: date
    months_to_serve: int
    last_start: date | None = None
    limits: list[str] = field(default_factory=list)  # why the last start is what it is

    @property
    def in_time(self) -> bool:
        return self.last_start is not None and self.start <= self.last_start


@dataclass
class Path:
    deadline: date
    courses: list[Course] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)  # what no course can bring in time

    @property
    def meets_standard(self) -> bool:
        return not self.courses and not self.blockers

    @property
    def reachable(self) -> bool:
        return not self.blockers and all(c.in_time for c in self.courses)

    @property
    def summary(self) -> str:
        if self.meets_standard:
            return "Đã đạt chuẩn"
        if self.reachable:
            return f"Đạt chuẩn kịp trước {self.deadline:%d/%m/%Y}"
        return f"Không kịp đạt chuẩn trước {self.deadline:%d/%m/%Y}"


def _chain(cadre, level: QualificationLevel, held: dict[str, int], catalogue, blockers) -> list:
    """Programmes (prerequisites first) that bring ``cadre`` from ``held`` to ``level``;
    ``held`` is updated with what the chain grants."""
    if held.get(level.track, _rank(current_level(cadre, level.track))) >= level.rank:
        return []
    programme = catalogue.reaching(level)
    if programme is None:
        blockers.append(f"Không có chương trình đào tạo cấp trình độ {level.label}.")
        return []
    chain = []
    for needed, enforcement in (
        (programme.min_general_education, programme.general_education_enforcement),
        (programme.prerequisite_level, programme.prerequisite_enforcement),
    ):
        if needed is not None and enforcement == Enforcement.REFUSE:
            chain += _chain(cadre, needed, held, catalogue, blockers)
    held[level.track] = programme.grants_level.rank
    return [*chain, programme]


def _rank(level: QualificationLevel | None) -> int:
    return level.rank if level is not None else -1


def path_for(entry: PlanningEntry, on: date, rule_set: RuleSet, catalogue: Catalogue) -> Path:
    """The path of ``entry``'s cadre to its position's standard, studying from ``on``."""
    cadre = entry.cadre
    path = Path(deadline=appointment_date(entry.term, on))
    standard = getattr(entry.position, "standard", None)
    held: dict[str, int] = {}
    programmes: list[Programme] = []
    for missed in rules.missed_standards(cadre, standard, on, rule_set):
        if missed.required is not None:
            programmes += _chain(cadre, missed.required, held, catalogue, path.blockers)
        elif missed.months is None:
            path.blockers.append(f"Chưa {missed.text}: không đạt được bằng đào tạo.")
        elif commitment.add_months(on, missed.months) > path.deadline:
            path.blockers.append(f"Chưa đủ {missed.text} trước {path.deadline:%d/%m/%Y}.")
    start = on
    for programme in programmes:
        end = commitment.add_months(start, programme.typical_months)
        path.courses.append(Course(programme, start, end, catalogue.months_to_serve(programme)))
        start = end
    _set_last_starts(cadre, path)
    return path


def _set_last_starts(cadre, path: Path) -> None:
    """Backwards from the appointment date: each course must end before the next one's last
    start, be dispatched within its age limit and leave its commitment before retirement."""
    latest_end = path.deadline
    for course in reversed(path.courses):
        programme = course.programme
        months = programme.typical_months
        limits = {
            f"học xong trước {latest_end:%d/%m/%Y}": commitment.add_months(latest_end, -months)
        }
        refuses_age = programme.age_enforcement == Enforcement.REFUSE
        if refuses_age and programme.max_age_at_dispatch is not None and cadre.birth_date:
            over_age = add_years(cadre.birth_date, programme.max_age_at_dispatch + 1)
            limits[f"không quá {programme.max_age_at_dispatch} tuổi khi cử đi học"] = (
                over_age - timedelta(days=1)
            )
        if cadre.retirement_date and programme.retirement_enforcement == Enforcement.REFUSE:
            serve = course.months_to_serve
            reason = (
                f"học xong và phục vụ {serve} tháng trước khi nghỉ hưu"
                if serve
                else "học xong trước khi nghỉ hưu"
            )
            limits[reason] = commitment.add_months(cadre.retirement_date, -(months + serve))
        reason, last = min(limits.items(), key=lambda item: item[1])
        course.last_start = last
        course.limits = [reason]
        latest_end = last

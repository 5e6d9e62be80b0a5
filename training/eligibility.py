"""Who may be sent to a programme: one function per rule, each returning Vietnamese reasons
(an empty list means the rule is met). The limits are data on ``Programme``; a district may
change them when a new regulation comes (Quy định 208-QĐ/TW on the political-theory training
system, Nghị định 101/2017/NĐ-CP and 89/2021/NĐ-CP on sending civil servants to study).

The functions read the cadre's derived current levels and the programme's related levels, so
a caller that lists many cadres loads those with ``select_related`` and runs no extra query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cadres.choices import Category
from cadres.models import DERIVED_LEVEL_FIELDS, Cadre, QualificationLevel
from cadres.retirement import age_on
from training.choices import Enforcement
from training.commitment import add_months


def current_level(cadre: Cadre, track: str) -> QualificationLevel | None:
    if track == "general_education":
        return cadre.general_education
    field = DERIVED_LEVEL_FIELDS.get(track)
    return getattr(cadre, field) if field else None


def age_rule(cadre: Cadre, programme, on: date) -> list[str]:
    """Maximum age on the day of dispatch (Hướng dẫn 11-HD/BTGTW, Nghị định 101/2017 art. 36:
    e.g. under 45 for senior political theory full-time, under 40 for a first postgraduate
    degree). ``on`` is the planned dispatch date; the age must be at most the limit."""
    if programme.max_age_at_dispatch is None or cadre.birth_date is None:
        return []
    age = age_on(cadre.birth_date, on)
    if age > programme.max_age_at_dispatch:
        return [
            f"Quá tuổi cử đi học {programme.name}: {age} tuổi vào ngày {on:%d/%m/%Y}, "
            f"quy định không quá {programme.max_age_at_dispatch} tuổi."
        ]
    return []


def general_education_rule(cadre: Cadre, programme) -> list[str]:
    """Minimum general education (văn hóa), e.g. 12/12 for intermediate political theory and
    university; key commune cadres often lack it (the domain brief's weakness)."""
    required = programme.min_general_education
    if required is None:
        return []
    has = cadre.general_education
    if has is None or has.rank < required.rank:
        return [
            f"Chưa đạt trình độ giáo dục phổ thông {required.label} "
            f"(hiện có: {has.label if has else 'chưa ghi'})."
        ]
    return []


def prerequisite_rule(cadre: Cadre, programme) -> list[str]:
    """The level that must be held before the programme, e.g. intermediate political theory
    before senior, a university degree before a master's (Quy định 208-QĐ/TW)."""
    required = programme.prerequisite_level
    if required is None:
        return []
    has = current_level(cadre, required.track)
    if has is None or has.rank < required.rank:
        return [
            f"Chưa có trình độ {required.get_track_display().lower()} {required.label} "
            f"(điều kiện để học {programme.name})."
        ]
    return []


def category_rule(cadre: Cadre, programme) -> list[str]:
    """Programmes reserved to some categories (e.g. state management for civil servants)."""
    allowed = programme.category_list
    if not allowed or cadre.category in allowed:
        return []
    names = ", ".join(str(Category(c).label).lower() for c in allowed if c in Category.values)
    return [f"Chương trình {programme.name} chỉ dành cho: {names}."]


def level_already_held_rule(cadre: Cadre, programme) -> list[str]:
    """Nobody is sent to study for a level already held or exceeded. Military and police
    programmes grant a professional level in another field (quân sự cơ sở), so a cadre who
    holds that level in his own field may still go."""
    grants = programme.grants_level
    if grants is None or programme.track != grants.track:
        return []
    has = current_level(cadre, grants.track)
    if has is not None and has.rank >= grants.rank:
        return [f"Đã có trình độ {has.label}, không cần học {programme.name}."]
    return []


def reasons_not_eligible(cadre: Cadre, programme, on: date) -> list[str]:
    """Every rule the cadre misses for ``programme`` if sent on ``on``."""
    return [
        *level_already_held_rule(cadre, programme),
        *age_rule(cadre, programme, on),
        *general_education_rule(cadre, programme),
        *prerequisite_rule(cadre, programme),
        *category_rule(cadre, programme),
    ]


def retirement_rule(cadre: Cadre, programme, end: date, months_to_serve: int | None) -> list[str]:
    """A cadre is sent to study only if he can finish the course and then serve the committed
    months before reaching retirement age (Nghị định 101/2017/NĐ-CP, sửa đổi bởi Nghị định
    89/2021/NĐ-CP: cam kết phục vụ sau đào tạo; a commitment that cannot be served defeats the
    purpose of the training)."""
    retires = cadre.retirement_date
    if retires is None or end is None:
        return []
    months = months_to_serve or 0
    serve_until = add_months(end, months)
    if retires >= serve_until:
        return []
    if retires <= end:
        return [
            f"Đến tuổi nghỉ hưu ngày {retires:%d/%m/%Y}, trước khi khóa học "
            f"{programme.name} kết thúc ({end:%d/%m/%Y})."
        ]
    return [
        f"Đến tuổi nghỉ hưu ngày {retires:%d/%m/%Y}: không đủ {months} tháng phục vụ sau khi "
        f"học xong {programme.name} ({end:%d/%m/%Y}), cam kết kéo dài đến {serve_until:%d/%m/%Y}."
    ]


@dataclass
class Verdict:
    """What the programme's rules say of a dispatch: refusals stop it, warnings are shown."""

    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, enforcement: str, reasons: list[str]) -> None:
        if enforcement == Enforcement.REFUSE:
            self.refusals.extend(reasons)
        elif enforcement == Enforcement.WARN:
            self.warnings.extend(reasons)


def dispatch_verdict(
    cadre: Cadre, programme, on: date, end: date, months_to_serve: int | None
) -> Verdict:
    """Every rule of ``programme`` for ``cadre`` sent on ``on`` until ``end``, each refusing or
    warning as the programme says (``Programme.*_enforcement``, data an administrator edits).
    A level already held is always a warning: refreshing it may be intended."""
    verdict = Verdict()
    verdict.add(programme.age_enforcement, age_rule(cadre, programme, on))
    verdict.add(
        programme.retirement_enforcement,
        retirement_rule(cadre, programme, end, months_to_serve),
    )
    verdict.add(
        programme.prerequisite_enforcement,
        [*prerequisite_rule(cadre, programme), *category_rule(cadre, programme)],
    )
    verdict.add(programme.general_education_enforcement, general_education_rule(cadre, programme))
    verdict.add(Enforcement.WARN, level_already_held_rule(cadre, programme))
    return verdict

"""Writes from the party pipeline onto the cadre register (party → cadres)."""

from django.utils import timezone
from django.utils.formats import date_format

from cadres.models import Cadre, cadre_date_errors
from party.models import AdmissionCandidate

# The candidate's step → the 2C form's party date it fills.
DATES_ON_RECORD = {
    "admitted_on": "party_join_date",
    "official_on": "party_official_date",
}


def carry_party_dates_to_cadre(candidate: AdmissionCandidate) -> list[str]:
    """Fill the cadre's "ngày vào Đảng" and "ngày chính thức" from the admission decisions.

    Only empty dates are filled: a date already on the 2C record that differs from the
    decision is left as it is and reported, so nothing on the record changes silently.
    Returns Vietnamese messages for those differences. A person not on the cadre register
    (a trainee not yet linked) has no record to fill.
    """
    cadre = candidate.person
    if not isinstance(cadre, Cadre):
        return []
    changed, conflicts = [], []
    for step, field in DATES_ON_RECORD.items():
        decided, recorded = getattr(candidate, step), getattr(cadre, field)
        if decided is None or recorded == decided:
            continue
        if recorded is None:
            setattr(cadre, field, decided)
            changed.append(field)
        else:
            label = cadre._meta.get_field(field).verbose_name
            conflicts.append(
                f"Hồ sơ của {cadre.full_name} ghi {label} {date_format(recorded)}, khác quyết "
                f"định ({date_format(decided)}): hồ sơ giữ nguyên, hãy kiểm tra lại."
            )
    errors = cadre_date_errors(cadre, on=timezone.localdate())
    refused = [errors[field] for field in changed if field in errors]
    if refused:
        # The decisions contradict the other date on the record: fill nothing, say why.
        return [
            *conflicts,
            *(f"Hồ sơ của {cadre.full_name} chưa được cập nhật: {e}" for e in refused),
        ]
    if changed:
        cadre.save(update_fields=changed)
    return conflicts

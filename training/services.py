"""Writes of the training app that cross into the cadre register: a graduation writes the
qualification into the cadre's record (and so the cadre's current level). Written once here and
called by the admin, the importers and the demo alike (issue 14: one graduation, two callers).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from cadres.choices import StudyMode
from cadres.models import Qualification
from core.audit import update_with_history
from training.choices import DispatchMode, DispatchStatus, NeedClosure, NeedStatus
from training.models import Attendance, Dispatch, TrainingNeed


def close_needs_trained(cadre_id: int, programme_id: int, on: date) -> int:
    """The cadre's open or planned needs for the programme are met by the training."""
    return update_with_history(
        TrainingNeed.objects.filter(cadre_id=cadre_id, programme_id=programme_id).exclude(
            status=NeedStatus.CLOSED
        ),
        status=NeedStatus.CLOSED,
        closed_on=on,
        closure=NeedClosure.TRAINED,
    )


def dispatch_qualification(dispatch: Dispatch) -> Qualification:
    """The (unsaved) qualification a graduated dispatch grants; the demo saves many in bulk."""
    graduated = dispatch.graduated_on or dispatch.end_date
    mode = StudyMode.FULL_TIME if dispatch.mode == DispatchMode.FULL_TIME else StudyMode.IN_SERVICE
    return Qualification(
        cadre_id=dispatch.cadre_id,
        level_id=dispatch.programme.grants_level_id,
        major=dispatch.major,
        institution=dispatch.institution.name,
        mode=mode,
        start_date=dispatch.start_date,
        end_date=graduated,
        year_obtained=graduated.year,
        certificate=dispatch.certificate,
    )


def record_dispatch_graduation(dispatch: Dispatch) -> Qualification | None:
    """Once a dispatch is graduated, write the level its programme grants into the cadre's
    record (once: a second call changes nothing); the cadre's current level follows at once,
    and the cadre's needs for that programme close as trained."""
    if dispatch.status != DispatchStatus.GRADUATED or dispatch.programme.grants_level_id is None:
        return None
    if dispatch.qualification_id:
        return dispatch.qualification
    with transaction.atomic():
        qualification = dispatch_qualification(dispatch)
        qualification.save()
        dispatch.qualification = qualification
        dispatch.save(update_fields=["qualification"])  # a save, so the history records it
        close_needs_trained(dispatch.cadre_id, dispatch.programme_id, qualification.end_date)
    return qualification


def record_dispatch_graduations(dispatches: Iterable[Dispatch]) -> int:
    """:func:`record_dispatch_graduation` for each; returns how many qualifications were new."""
    done = 0
    for dispatch in dispatches:
        had = dispatch.qualification_id
        if record_dispatch_graduation(dispatch) is not None and not had:
            done += 1
    return done


def record_attendance_graduation(attendance: Attendance) -> Qualification | None:
    """A cadre who passed a class granting a level (a sơ cấp political-theory class of the
    district centre, a state-management course) has that level on the record, as a graduate of
    a dispatch has. A trainee off the register gets it when linked to a cadre."""
    course = attendance.course
    level_id = course.granted_level_id()
    if level_id is None or attendance.cadre_id is None or not attendance.passed:
        return None
    if attendance.qualification_id:
        return attendance.qualification
    with transaction.atomic():
        qualification = Qualification.objects.create(
            cadre_id=attendance.cadre_id,
            level_id=level_id,
            institution=course.organiser.name,
            mode=StudyMode.SHORT_COURSE,
            start_date=course.start_date,
            end_date=course.end_date,
            year_obtained=course.end_date.year,
            certificate=attendance.certificate,
        )
        attendance.qualification = qualification
        attendance.save(update_fields=["qualification"])
        if course.programme_id:
            close_needs_trained(attendance.cadre_id, course.programme_id, course.end_date)
    return qualification


def record_attendance_graduations(attendances: Iterable[Attendance]) -> int:
    done = 0
    for attendance in attendances:
        had = attendance.qualification_id
        if record_attendance_graduation(attendance) is not None and not had:
            done += 1
    return done


def graduations_of_course(course_id: int) -> int:
    """Every passed attendance of a class granting a level, recorded (the class's admin page)."""
    attendances = Attendance.objects.filter(
        course_id=course_id, cadre__isnull=False, qualification__isnull=True
    ).select_related("course__organiser", "course__programme")
    return record_attendance_graduations(attendances)


def follow_attendances(attendances: Iterable[Attendance]) -> None:
    """After an import (or its undo) wrote ``attendances``: the passed ones of a class granting
    a level are on the record; one removed, or no longer passed, takes its qualification away."""
    attendances = list(attendances)
    live = {
        a.pk: a
        for a in Attendance.objects.filter(pk__in=[a.pk for a in attendances]).select_related(
            "course__organiser", "course__programme"
        )
    }
    stale = [a.qualification_id for a in attendances if a.pk not in live and a.qualification_id]
    stale += [a.qualification_id for a in live.values() if a.qualification_id and not a.passed]
    for qualification in Qualification.objects.filter(pk__in=stale).select_related("cadre"):
        qualification.delete()  # one by one: each delete refreshes the cadre's current level
    record_attendance_graduations(a for a in live.values() if a.passed)

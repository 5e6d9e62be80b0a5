"""Party cells (chi bộ) of villages, schools, agencies and communes, their membership reports, and
the admission pipeline from candidate class to official membership."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from cadres.models import Cadre, Unit, UnitScopedQuerySet
from cadres.retirement import add_years
from core.models import TrackedModel
from training.choices import CourseTopic

# Party Statute, art. 5: a probationary member becomes official after 12 months of probation.
PROBATION_YEARS = 1


class SubqueryCount(Subquery):
    """``COUNT(*)`` of a queryset filtered on an OuterRef: one correlated subquery instead of a
    query per row, 0 when nothing matches, without a GROUP BY in the subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = models.IntegerField()

    def __init__(self, queryset: models.QuerySet, **extra) -> None:
        super().__init__(queryset.order_by().values("pk"), **extra)


# --- Party cells ------------------------------------------------------------------------------


class PartyCellQuerySet(UnitScopedQuerySet):
    def active(self, on: date) -> PartyCellQuerySet:
        """Cells existing on ``on``: founded on or before it (an unknown founding date means an
        old cell) and not yet dissolved (the dissolution date is the first day without it)."""
        return self.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=on)).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
        )

    def with_combined(self) -> PartyCellQuerySet:
        """``is_combined``: the cell serves units besides its own (chi bộ ghép)."""
        return self.annotate(
            is_combined=Exists(PartyCell.serves.through.objects.filter(partycell=OuterRef("pk")))
        )

    def with_members(self, on: date) -> PartyCellQuerySet:
        """Member counts on ``on``: the latest periodic report on or before the day, moved on by
        the named members of the admission pipeline since that report (admitted, made official,
        dropped during probation). Adds ``report_on`` (None without a report), ``official``,
        ``probationary`` and ``has_members``."""
        report = CellMembershipReport.objects.filter(
            cell=OuterRef("pk"), reported_on__lte=on
        ).order_by("-reported_on")
        named = AdmissionCandidate.objects.filter(cell=OuterRef("pk"))
        since = OuterRef("counted_after")
        made_official = named.filter(official_on__gt=since, official_on__lte=on)
        admitted = named.filter(admitted_on__gt=since, admitted_on__lte=on)
        dropped_on_probation = named.filter(
            dropped_on__gt=since,
            dropped_on__lte=on,
            admitted_on__lte=F("dropped_on"),
        ).filter(Q(official_on__isnull=True) | Q(official_on__gt=F("dropped_on")))
        return (
            self.annotate(
                report_on=Subquery(report.values("reported_on")[:1]),
                counted_after=Coalesce("report_on", Value(date.min)),
                reported_official=Coalesce(Subquery(report.values("official")[:1]), Value(0)),
                reported_probationary=Coalesce(
                    Subquery(report.values("probationary")[:1]), Value(0)
                ),
            )
            .annotate(
                official=F("reported_official") + SubqueryCount(made_official),
                probationary=Greatest(
                    F("reported_probationary")
                    + SubqueryCount(admitted)
                    - SubqueryCount(made_official)
                    - SubqueryCount(dropped_on_probation),
                    Value(0),
                ),
            )
            .annotate(
                # Without any report the cell is taken to have members: founding one needs
                # three official members (Party Statute, art. 21).
                has_members=Q(report_on__isnull=True) | Q(official__gt=0) | Q(probationary__gt=0)
            )
        )

    def with_presence(self, on: date) -> PartyCellQuerySet:
        """``has_members`` on ``on``, cheaper than :meth:`with_members` for the coverage of
        many units: the latest report on or before the day shows members, or there is no report
        (founding a cell needs three official members, Party Statute art. 21), or someone was
        admitted to the cell after that report and not dropped by the day."""
        report = CellMembershipReport.objects.filter(
            cell=OuterRef("pk"), reported_on__lte=on
        ).order_by("-reported_on")
        admitted_since = (
            AdmissionCandidate.objects.filter(cell=OuterRef("pk"), admitted_on__lte=on)
            .not_dropped(on)
            .filter(admitted_on__gt=Coalesce(OuterRef("report_on"), Value(date.min)))
        )
        return self.annotate(
            report_on=Subquery(report.values("reported_on")[:1]),
            report_total=Coalesce(
                Subquery(report.values(total=F("official") + F("probationary"))[:1]), Value(1)
            ),
        ).annotate(has_members=Q(report_total__gt=0) | Exists(admitted_since))

    def with_members_present(self, on: date) -> PartyCellQuerySet:
        """Cells active on ``on`` that have members on that day."""
        return self.active(on).with_presence(on).filter(has_members=True)

    def covering(self, unit_ref) -> PartyCellQuerySet:
        """Cells that count for ``unit_ref`` (a unit or an OuterRef to one): its own cells and
        the combined cells serving it."""
        return self.filter(Q(unit=unit_ref) | Q(serves=unit_ref))

    def in_commune(self, commune: Unit) -> PartyCellQuerySet:
        return self.filter(unit__path__startswith=commune.path)


class PartyCell(TrackedModel):
    """A party cell (chi bộ). A cell serving other units besides its own is a combined cell
    (chi bộ ghép) and counts for every unit it serves."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    name = models.CharField("tên chi bộ", max_length=255)
    unit = models.ForeignKey(
        Unit,
        verbose_name="thuộc đơn vị",
        on_delete=models.PROTECT,
        related_name="party_cells",
        help_text="Thôn, trường học, cơ quan hoặc xã mà chi bộ thuộc về.",
    )
    serves = models.ManyToManyField(
        Unit,
        verbose_name="ghép với các đơn vị",
        blank=True,
        related_name="combined_party_cells",
        help_text="Để trống nếu là chi bộ riêng; chọn các đơn vị khác sinh hoạt chung "
        "nếu là chi bộ ghép.",
    )
    secretary = models.ForeignKey(
        Cadre,
        verbose_name="bí thư chi bộ (cán bộ)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_cells_led",
    )
    secretary_name = models.CharField(
        "bí thư chi bộ (họ tên, nếu chưa có hồ sơ)", max_length=150, blank=True
    )
    founded_on = models.DateField(
        "ngày thành lập", null=True, blank=True, help_text="Để trống nếu không rõ (chi bộ lâu năm)."
    )
    founding_decision = models.CharField("số quyết định thành lập", max_length=50, blank=True)
    dissolved_on = models.DateField(
        "ngày giải thể, sáp nhập",
        null=True,
        blank=True,
        help_text="Ngày đầu tiên chi bộ không còn hoạt động.",
    )
    note = models.TextField("ghi chú", blank=True)

    objects = PartyCellQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = "chi bộ"
        verbose_name_plural = "chi bộ"
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gt=F("founded_on")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày giải thể phải sau ngày thành lập.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:party_partycell_change", args=[self.pk])

    def clean(self) -> None:
        if self.secretary_id and self.secretary_name:
            raise ValidationError(
                {"secretary_name": "Chọn bí thư trong hồ sơ cán bộ hoặc ghi họ tên, không cả hai."}
            )

    @property
    def secretary_display(self) -> str:
        return self.secretary.full_name if self.secretary_id else self.secretary_name

    def is_active(self, on: date) -> bool:
        return (self.founded_on is None or self.founded_on <= on) and (
            self.dissolved_on is None or self.dissolved_on > on
        )


class CellMembershipReport(models.Model):
    """Member counts of a cell as the periodic report gives them on a date."""

    unit_path = "cell__unit"  # how a row reaches its unit: visible_to(user)

    cell = models.ForeignKey(
        PartyCell, verbose_name="chi bộ", on_delete=models.CASCADE, related_name="reports"
    )
    reported_on = models.DateField("số liệu tại ngày")
    official = models.PositiveSmallIntegerField("đảng viên chính thức")
    probationary = models.PositiveSmallIntegerField("đảng viên dự bị", default=0)
    source = models.CharField("theo báo cáo", max_length=255, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["cell", "-reported_on"]
        verbose_name = "số đảng viên theo báo cáo"
        verbose_name_plural = "số đảng viên theo báo cáo định kỳ"
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "reported_on"],
                name="%(app_label)s_%(class)s_one_per_date",
                violation_error_message="Chi bộ đã có số liệu tại ngày này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cell}: {self.total} ({self.reported_on:%d/%m/%Y})"

    @property
    def total(self) -> int:
        return self.official + self.probationary


# --- Admission pipeline ---------------------------------------------------------------------


class AdmissionCandidateQuerySet(UnitScopedQuerySet):
    def admitted_in(self, year: int) -> AdmissionCandidateQuerySet:
        return self.filter(admitted_on__year=year)

    def not_dropped(self, on: date) -> AdmissionCandidateQuerySet:
        return self.filter(Q(dropped_on__isnull=True) | Q(dropped_on__gt=on))

    def in_progress(self, on: date) -> AdmissionCandidateQuerySet:
        """Not dropped and not yet official on ``on``: people a cell still follows."""
        return self.not_dropped(on).filter(Q(official_on__isnull=True) | Q(official_on__gt=on))

    def probation_overdue(self, on: date) -> AdmissionCandidateQuerySet:
        """Probation ended before ``on`` and still not recognised official (Party Statute,
        art. 5: the cell must consider it once the 12 months are over)."""
        return (
            self.not_dropped(on)
            .filter(probation_ends_on__lt=on)
            .filter(Q(official_on__isnull=True) | Q(official_on__gt=on))
        )

    def admitted_without_candidate_class(self, on: date) -> AdmissionCandidateQuerySet:
        """Admitted on or before ``on`` without having finished the class on the Party
        (lớp nhận thức về Đảng) first: none recorded, or one that ended after admission
        (Hướng dẫn thi hành Điều lệ Đảng: the certificate is part of the admission file)."""
        return (
            self.not_dropped(on)
            .filter(admitted_on__lte=on)
            .filter(
                Q(candidate_class__isnull=True)
                | Q(candidate_class__course__end_date__gt=F("admitted_on"))
            )
        )

    def in_unit(self, unit: Unit) -> AdmissionCandidateQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def with_people(self) -> AdmissionCandidateQuerySet:
        """The person, the classes and the places of each candidate, fetched in the same query."""
        return self.select_related(
            "cadre",
            "trainee__cadre",
            "unit",
            "cell",
            "candidate_class__course",
            "new_member_class__course",
        )


class AdmissionCandidate(TrackedModel):
    """A person proposed for admission to the Party, followed step by step to official
    membership. Each step is dated; a person can be dropped with a reason at any step."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    # The person: usually someone not on the cadre register, known from the classes of the
    # training centre (a Trainee, later linked to a cadre), or a cadre already on the register.
    trainee = models.ForeignKey(
        "training.Trainee",
        verbose_name="người được giới thiệu (học viên)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_candidacies",
        help_text="Người chưa có hồ sơ cán bộ; khi được liên kết với hồ sơ cán bộ vẫn giữ nguyên.",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="hoặc cán bộ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admission_candidacies",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị (thôn, trường...)", on_delete=models.PROTECT, related_name="+"
    )
    cell = models.ForeignKey(
        PartyCell,
        verbose_name="chi bộ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    proposed_on = models.DateField("ngày giới thiệu (đưa vào nguồn)")
    # SET_NULL: a duplicate attendance that training's Trainee.link_to() removes must not block
    # the linking; the candidate then shows in the "admitted without the class" list.
    candidate_class = models.ForeignKey(
        "training.Attendance",
        verbose_name="lớp nhận thức về Đảng đã học",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Lượt học của người này ở lớp bồi dưỡng nhận thức về Đảng.",
    )
    decision_number = models.CharField("số quyết định kết nạp", max_length=50, blank=True)
    admitted_on = models.DateField("ngày kết nạp", null=True, blank=True)
    probation_ends_on = models.DateField(
        "ngày hết thời hạn dự bị",
        null=True,
        blank=True,
        help_text="Để trống: tự tính 12 tháng sau ngày kết nạp (Điều lệ Đảng).",
    )
    official_decision_number = models.CharField(
        "số quyết định công nhận chính thức", max_length=50, blank=True
    )
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    new_member_class = models.ForeignKey(
        "training.Attendance",
        verbose_name="lớp đảng viên mới đã học",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dropped_on = models.DateField("ngày dừng", null=True, blank=True)
    drop_reason = models.CharField("lý do dừng", max_length=255, blank=True)

    objects = AdmissionCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_on", "id"]
        verbose_name = "quần chúng ưu tú, đảng viên mới"
        verbose_name_plural = "phát triển đảng viên (từng người)"
        constraints = [
            models.CheckConstraint(
                condition=Q(trainee__isnull=False) | Q(cadre__isnull=False),
                name="%(app_label)s_%(class)s_names_a_person",
                violation_error_message="Chọn người được giới thiệu (học viên hoặc cán bộ).",
            ),
            models.CheckConstraint(
                condition=Q(admitted_on__isnull=True) | Q(admitted_on__gte=F("proposed_on")),
                name="%(app_label)s_%(class)s_admitted_after_proposed",
                violation_error_message="Ngày kết nạp phải sau ngày giới thiệu.",
            ),
            models.CheckConstraint(
                condition=Q(official_on__isnull=True)
                | Q(admitted_on__isnull=False, official_on__gt=F("admitted_on")),
                name="%(app_label)s_%(class)s_official_after_admitted",
                violation_error_message="Ngày chính thức phải sau ngày kết nạp.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.unit}"

    def save(self, *args, **kwargs) -> None:
        if self.admitted_on and not self.probation_ends_on:
            self.probation_ends_on = add_years(self.admitted_on, PROBATION_YEARS)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.trainee_id and not self.cadre_id and self.candidate_class_id:
            # Chosen from the class list: the person is the one who attended.
            self.trainee_id = self.candidate_class.trainee_id
            self.cadre_id = None if self.trainee_id else self.candidate_class.cadre_id
        errors = candidate_errors(self)
        if errors:
            raise ValidationError(errors)

    @property
    def person(self):
        """The cadre this person is on the register as, else the trainee record."""
        if self.cadre_id:
            return self.cadre
        if self.trainee_id and self.trainee.cadre_id:
            return self.trainee.cadre
        return self.trainee

    @property
    def person_name(self) -> str:
        person = self.person
        return person.full_name if person else "—"

    def stage_on(self, on: date) -> str:
        """The step reached on ``on``, in Vietnamese."""
        if self.dropped_on and self.dropped_on <= on:
            return f"Đã dừng ({self.drop_reason})"
        if self.official_on and self.official_on <= on:
            return "Đảng viên chính thức"
        if self.admitted_on and self.admitted_on <= on:
            return "Đảng viên dự bị"
        if self.candidate_class_id and self.candidate_class.course.end_date <= on:
            return "Đã học lớp nhận thức về Đảng"
        return "Quần chúng ưu tú được giới thiệu"


def candidate_errors(candidate: AdmissionCandidate) -> dict[str, str]:
    """One candidate's own rules, Vietnamese messages keyed by field: dated steps in order, the
    classes of the right kind and attended by this very person (Hướng dẫn thi hành Điều lệ
    Đảng: the certificate of the class on the Party is part of the admission file)."""
    errors: dict[str, str] = {}
    if not candidate.trainee_id and not candidate.cadre_id:
        errors["trainee"] = "Chọn người được giới thiệu (học viên hoặc cán bộ)."
    if (
        candidate.trainee_id
        and candidate.cadre_id
        and candidate.trainee.cadre_id not in (None, candidate.cadre_id)
    ):
        errors["cadre"] = "Học viên này đã được liên kết với một hồ sơ cán bộ khác."
    people = {
        ("trainee", candidate.trainee_id),
        ("cadre", candidate.cadre_id),
        ("cadre", candidate.trainee.cadre_id if candidate.trainee_id else None),
    }
    for field, topic in (
        ("candidate_class", CourseTopic.PARTY_ADMISSION),
        ("new_member_class", CourseTopic.NEW_PARTY_MEMBERS),
    ):
        attendance = getattr(candidate, field) if getattr(candidate, f"{field}_id") else None
        if attendance is None:
            continue
        if attendance.course.topic != topic:
            errors[field] = f"Lượt học này không thuộc lớp “{topic.label}”."
        elif not {("trainee", attendance.trainee_id), ("cadre", attendance.cadre_id)} & {
            p for p in people if p[1]
        }:
            errors[field] = "Lượt học này là của người khác."
    if candidate.dropped_on and not candidate.drop_reason:
        errors["drop_reason"] = "Ghi lý do dừng."
    if candidate.drop_reason and not candidate.dropped_on:
        errors["dropped_on"] = "Có lý do dừng thì phải có ngày dừng."
    if (
        candidate.dropped_on
        and candidate.proposed_on
        and candidate.dropped_on < candidate.proposed_on
    ):
        errors["dropped_on"] = "Ngày dừng phải sau ngày giới thiệu."
    if candidate.admitted_on and not candidate.decision_number:
        errors["decision_number"] = "Ghi số quyết định kết nạp."
    if (
        candidate.probation_ends_on
        and candidate.admitted_on
        and candidate.probation_ends_on <= candidate.admitted_on
    ):
        errors["probation_ends_on"] = "Ngày hết dự bị phải sau ngày kết nạp."
    return errors


class AdmissionTargetQuerySet(UnitScopedQuerySet):
    def with_admitted(self) -> AdmissionTargetQuerySet:
        """``admitted``: admissions decided in the target's year in its unit and the units under
        it, counted in the database (one subquery, not one query per target)."""
        admitted = AdmissionCandidate.objects.filter(
            unit__path__startswith=OuterRef("unit__path"), admitted_on__year=OuterRef("year")
        )
        return self.annotate(admitted=SubqueryCount(admitted))


class AdmissionTarget(models.Model):
    """The number of new party members a unit is to admit in a year (chỉ tiêu kết nạp)."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    target = models.PositiveSmallIntegerField("chỉ tiêu kết nạp")

    objects = AdmissionTargetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = "chỉ tiêu kết nạp đảng viên"
        verbose_name_plural = "chỉ tiêu kết nạp đảng viên"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="%(app_label)s_%(class)s_one_per_unit_year",
                violation_error_message="Đơn vị đã có chỉ tiêu năm này.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {self.target}"


class CoveredUnit(Unit):
    """Villages and schools seen from the drive against "trắng" đảng viên: the admin lists
    behind the coverage report's figures."""

    class Meta:
        proxy = True
        verbose_name = "thôn, trường học (tình trạng đảng viên)"
        verbose_name_plural = "thôn, trường học theo tình trạng đảng viên"

"""The repeating tables of the 2C form: appointments, work, qualifications and more."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from cadres.choices import (
    DisciplineForm,
    EvaluationResult,
    FamilySide,
    StudyMode,
)
from cadres.models.reference import QualificationLevel
from cadres.models.units import Position, Unit, UnitScopedQuerySet
from core.models import TrackedModel

# --- Histories ------------------------------------------------------------------------------


class CadreRecord(TrackedModel):
    """A row of one of the repeating tables of the 2C form."""

    unit_path = "cadre__unit"  # how a row reaches its unit: visible_to(user)

    cadre = models.ForeignKey("cadres.Cadre", verbose_name="cán bộ", on_delete=models.CASCADE)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Period(models.Model):
    """From/to dates; an open end means "until now"."""

    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})

    def is_active(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class AppointmentQuerySet(UnitScopedQuerySet):
    def active(self, on: date) -> AppointmentQuerySet:
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


def party_post_errors(cadre, position: Position, on: date) -> list[str]:
    """A party post (bí thư, phó bí thư, cấp ủy viên) is held and planned only by a party
    member (Điều lệ Đảng, art. 9-12; Quy định 50-QĐ/TW art. 5 for planning)."""
    if not position.is_party_post:
        return []
    if cadre.party_join_date is None:
        return [f"{position} là chức danh của Đảng; {cadre.full_name} chưa có ngày vào Đảng."]
    if cadre.party_join_date > on:
        return [
            f"{position} là chức danh của Đảng; {cadre.full_name} vào Đảng ngày "
            f"{cadre.party_join_date:%d/%m/%Y}, sau ngày {on:%d/%m/%Y}."
        ]
    return []


class Appointment(CadreRecord, Period):
    position = models.ForeignKey(Position, verbose_name="chức danh", on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT)
    concurrent = models.BooleanField("kiêm nhiệm", default=False)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        default_related_name = "appointments"
        verbose_name = "bổ nhiệm, bầu cử"
        verbose_name_plural = "quá trình giữ chức vụ"

    def __str__(self) -> str:
        return f"{self.position} – {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.cadre_id and self.position_id and self.start_date and self.overlapping().exists():
            raise ValidationError(
                {"start_date": "Đã có một lần giữ chức danh này trùng thời gian."}
            )
        if self.cadre_id and self.position_id and self.start_date:
            errors = party_post_errors(self.cadre, self.position, self.start_date)
            if errors:
                raise ValidationError({"position": errors})

    def overlapping(self) -> models.QuerySet[Appointment]:
        """Other appointments of the same cadre to the same position whose periods overlap."""
        others = Appointment.objects.filter(cadre_id=self.cadre_id, position_id=self.position_id)
        others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.exclude(pk=self.pk)


class WorkHistory(CadreRecord, Period):
    position_title = models.CharField("chức danh, chức vụ", max_length=255)
    organisation = models.CharField("đơn vị công tác", max_length=255)

    class Meta:
        ordering = ["start_date"]
        default_related_name = "work_history"
        verbose_name = "quá trình công tác"
        verbose_name_plural = "tóm tắt quá trình công tác"
        permissions = [
            ("import_workhistory", "Được nhập quá trình công tác từ tệp"),
            ("export_workhistory", "Được xuất quá trình công tác ra tệp"),
        ]

    def __str__(self) -> str:
        return f"{self.position_title}, {self.organisation}"


class YearEnd(models.Func):
    """31 December of an integer year, as a date."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="make_date(%(expressions)s, 12, 31)", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || '-12-31')",
            **extra_context,
        )  # fmt: skip


# A qualification without its year (taken from a register) counts on every day.
ALWAYS = date(1, 1, 1)


def obtained_on_expression() -> Coalesce:
    """The day a qualification counts from, in SQL (see ``Qualification.obtained_on``)."""
    return Coalesce("end_date", YearEnd("year_obtained"), Value(ALWAYS))


class QualificationQuerySet(UnitScopedQuerySet):
    def obtained_by(self, on: date) -> QualificationQuerySet:
        """Obtained on or before ``on``: by ``end_date`` when recorded; otherwise only the year is
        known, and the qualification counts from the last day of ``year_obtained``. A level taken
        from a register without its year (``year_obtained`` empty) is held on every date: the
        register says the person has it, and nothing says since when."""
        last_full_year = on.year if (on.month, on.day) == (12, 31) else on.year - 1
        return self.filter(
            Q(end_date__lte=on)
            | Q(end_date__isnull=True, year_obtained__lte=last_full_year)
            | Q(end_date__isnull=True, year_obtained__isnull=True)
        )


class Qualification(CadreRecord):
    """A degree or certificate obtained; the cadre's current level per track follows from these."""

    level = models.ForeignKey(QualificationLevel, verbose_name="trình độ", on_delete=models.PROTECT)
    major = models.CharField("chuyên ngành", max_length=255, blank=True)
    institution = models.CharField("tên trường, cơ sở đào tạo", max_length=255, blank=True)
    mode = models.CharField("hình thức", max_length=20, choices=StudyMode.choices, blank=True)
    start_date = models.DateField("từ ngày", null=True, blank=True)
    end_date = models.DateField("đến ngày", null=True, blank=True)
    year_obtained = models.PositiveSmallIntegerField(
        "năm tốt nghiệp, cấp bằng",
        null=True,
        blank=True,
        help_text="Để trống nếu chưa rõ (trình độ ghi theo danh sách cán bộ): được tính là đã "
        "có từ trước mọi kỳ báo cáo.",
    )
    certificate = models.CharField("văn bằng, chứng chỉ", max_length=255, blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["year_obtained"]
        default_related_name = "qualifications"
        verbose_name = "văn bằng, chứng chỉ"
        verbose_name_plural = "đào tạo, bồi dưỡng (văn bằng, chứng chỉ)"
        permissions = [
            ("import_qualification", "Được nhập văn bằng, chứng chỉ từ tệp"),
            ("export_qualification", "Được xuất văn bằng, chứng chỉ ra tệp"),
        ]

    def __str__(self) -> str:
        return f"{self.level.get_track_display()}: {self.level}"

    @property
    def year_unknown(self) -> bool:
        return self.year_obtained is None

    @property
    def obtained_on(self) -> date:
        """The day it counts from, as ``QualificationQuerySet.obtained_by`` reads it:
        ``end_date`` when recorded, else 31/12 of the year obtained, else always."""
        if self.end_date:
            return self.end_date
        return date(self.year_obtained, 12, 31) if self.year_obtained else ALWAYS

    # The cadre's current levels are a denormalised summary of these rows (they feed list
    # filters and planning readiness), so every write here keeps them in step at once.
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self.cadre.refresh_current_levels()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.cadre.refresh_current_levels()
        return result

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu."})
        if self.cadre_id and self.year_obtained and self.year_obtained < self.cadre.birth_date.year:
            raise ValidationError({"year_obtained": "Năm cấp bằng phải sau năm sinh."})


class SalaryStep(CadreRecord):
    effective_date = models.DateField("từ ngày")
    rank_name = models.CharField("ngạch", max_length=150, blank=True)
    rank_code = models.CharField("mã ngạch", max_length=20, blank=True)
    step = models.PositiveSmallIntegerField("bậc", null=True, blank=True)
    coefficient = models.DecimalField("hệ số", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["effective_date"]
        default_related_name = "salary_steps"
        verbose_name = "diễn biến lương"
        verbose_name_plural = "quá trình lương"

    def __str__(self) -> str:
        return f"{self.effective_date:%m/%Y}: {self.coefficient}"


class Evaluation(CadreRecord):
    year = models.PositiveSmallIntegerField("năm")
    result = models.CharField("kết quả", max_length=20, choices=EvaluationResult.choices)

    class Meta:
        ordering = ["-year"]
        default_related_name = "evaluations"
        verbose_name = "đánh giá, xếp loại"
        verbose_name_plural = "kết quả đánh giá, xếp loại hằng năm"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message="Năm này đã có kết quả đánh giá.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_result_display()}"


class Reward(CadreRecord):
    awarded_on = models.DateField("ngày")
    form = models.CharField("hình thức khen thưởng", max_length=255)
    issuer = models.CharField("cấp quyết định", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)

    class Meta:
        ordering = ["-awarded_on"]
        default_related_name = "rewards"
        verbose_name = "khen thưởng"
        verbose_name_plural = "khen thưởng"

    def __str__(self) -> str:
        return self.form


class Discipline(CadreRecord):
    """A disciplinary measure with its period: once ``effective_until`` has passed it no longer
    bars planning (Quy định 377-QĐ/TW's exceptions for expired discipline)."""

    form = models.CharField("hình thức kỷ luật", max_length=20, choices=DisciplineForm.choices)
    decided_on = models.DateField("ngày quyết định")
    effective_until = models.DateField(
        "hết thời hạn ngày", null=True, blank=True, help_text="Để trống nếu chưa có thời hạn."
    )
    reason = models.TextField("lý do", blank=True)
    issuer = models.CharField("cấp quyết định", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        default_related_name = "disciplines"
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.decided_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.decided_on and self.effective_until and self.effective_until < self.decided_on:
            raise ValidationError(
                {"effective_until": "Ngày hết thời hạn phải sau ngày quyết định."}
            )

    def in_force(self, on: date) -> bool:
        return self.decided_on <= on and (
            self.effective_until is None or self.effective_until >= on
        )


class FamilyRelation(CadreRecord):
    side = models.CharField(
        "thuộc", max_length=10, choices=FamilySide.choices, default=FamilySide.OWN
    )
    relation = models.CharField("quan hệ", max_length=50)
    full_name = models.CharField("họ và tên", max_length=150)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=255, blank=True)
    residence = models.CharField("nơi ở", max_length=255, blank=True)
    party_member = models.BooleanField("đảng viên", default=False)
    notes = models.TextField("quê quán, đơn vị công tác, lịch sử chính trị", blank=True)

    class Meta:
        ordering = ["side", "id"]
        default_related_name = "family_relations"
        verbose_name = "quan hệ gia đình"
        verbose_name_plural = "quan hệ gia đình"

    def __str__(self) -> str:
        return f"{self.relation}: {self.full_name}"

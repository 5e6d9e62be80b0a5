"""Classes of the political training centre with their attendances (lượt)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q

from cadres.models import Cadre, Qualification, Unit, UnitScopedQuerySet, cccd_validator
from core.audit import update_with_history
from core.models import TrackedModel
from training.choices import (
    AttendanceResult,
    CourseTopic,
)
from training.models.reference import Institution, Programme

# --- Classes of the political training centre ---------------------------------------------

ELEMENTARY_THEORY_LEVEL = "LLCT_SO_CAP"
PASSED_RESULTS = (
    AttendanceResult.EXCELLENT,
    AttendanceResult.GOOD,
    AttendanceResult.FAIR,
    AttendanceResult.PASSED,
)


class CourseQuerySet(models.QuerySet):
    def in_year(self, year: int) -> CourseQuerySet:
        return self.filter(start_date__year=year)


class Course(TrackedModel):
    """A class (lớp bồi dưỡng), mostly of the district political training centre."""

    name = models.CharField("tên lớp", max_length=255)
    code = models.CharField(
        "mã lớp",
        max_length=50,
        blank=True,
        help_text="Ký hiệu lớp trong danh sách học viên và chứng từ (ví dụ BD-2022-07).",
    )
    topic = models.CharField("nội dung", max_length=30, choices=CourseTopic.choices)
    organiser = models.ForeignKey(
        Institution, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="chương trình",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Nếu lớp cấp chứng chỉ trình độ (ví dụ sơ cấp lý luận chính trị).",
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    place = models.CharField("địa điểm", max_length=255, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "lớp bồi dưỡng"
        verbose_name_plural = "lớp bồi dưỡng"
        permissions = [
            ("import_course", "Được nhập danh sách lớp bồi dưỡng từ tệp"),
            ("export_course", "Được xuất danh sách lớp bồi dưỡng ra tệp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_dates_in_order",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message="Mã lớp này đã có ở một lớp khác.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_date:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        """A sơ cấp political-theory class grants that level even when the file named only
        its topic: the programme granting it is filled in (the importer calls this too)."""
        if self.programme_id is None and self.topic == CourseTopic.ELEMENTARY_THEORY:
            self.programme = Programme.objects.filter(
                grants_level__code=ELEMENTARY_THEORY_LEVEL
            ).first()

    def granted_level_id(self) -> int | None:
        """The level a passed attendance of this class grants, if any."""
        return self.programme.grants_level_id if self.programme_id else None


class Trainee(TrackedModel):
    """A person who attends classes without being on the cadre register (party-admission
    candidates, village cell secretaries). Linking to a cadre later keeps every attendance."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    full_name = models.CharField("họ và tên", max_length=150)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, null=True, blank=True
    )
    cccd = models.CharField("số CCCD", max_length=12, blank=True, validators=[cccd_validator])
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="đã có hồ sơ cán bộ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee_records",
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = "học viên ngoài danh sách cán bộ"
        verbose_name_plural = "học viên ngoài danh sách cán bộ"
        constraints = [
            models.UniqueConstraint(
                fields=["cccd"],
                condition=~Q(cccd=""),
                name="%(app_label)s_%(class)s_unique_cccd",
                violation_error_message="Số CCCD này đã có ở một học viên khác.",
            ),
        ]

    def __str__(self) -> str:
        born = f" ({self.birth_date:%d/%m/%Y})" if self.birth_date else ""
        return f"{self.full_name}{born}"

    def link_to(self, cadre: Cadre) -> None:
        """Record that this person is now ``cadre``: the attendances name the cadre as well and
        keep the trainee they were entered under. A class the person was entered in twice
        (once by name, once as the cadre) keeps one attendance: one person, one lượt."""
        with transaction.atomic():
            self.cadre = cadre
            self.save(update_fields=["cadre", "updated_at"])
            attendances = Attendance.objects.filter(trainee=self)
            attendances.filter(
                course__in=Attendance.objects.filter(cadre=cadre, trainee__isnull=True).values(
                    "course"
                )
            ).delete()
            update_with_history(attendances, cadre=cadre)


class AttendanceQuerySet(UnitScopedQuerySet):
    def totals(self) -> dict[str, int]:
        """Attendances (lượt: one person at one class), distinct people and classes, in one
        query. A trainee linked to a cadre has the cadre on every attendance, so counts once."""
        return self.aggregate(
            attendances=Count("id"),
            people=Count("cadre", distinct=True)
            + Count("trainee", distinct=True, filter=Q(cadre__isnull=True)),
            courses=Count("course", distinct=True),
        )


class Attendance(models.Model):
    unit_path = ("cadre__unit", "trainee__unit")  # how a row reaches its unit: visible_to(user)
    course = models.ForeignKey(
        Course, verbose_name="lớp", on_delete=models.CASCADE, related_name="attendances"
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name="cán bộ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    trainee = models.ForeignKey(
        Trainee,
        verbose_name="học viên (chưa có hồ sơ)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    result = models.CharField(
        "kết quả", max_length=20, choices=AttendanceResult.choices, default=AttendanceResult.PASSED
    )
    certificate = models.CharField("số giấy chứng nhận", max_length=50, blank=True)
    qualification = models.OneToOneField(
        Qualification,
        verbose_name="trình độ đã ghi vào hồ sơ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="attendance",
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["course", "id"]
        verbose_name = "lượt học viên"
        verbose_name_plural = "danh sách học viên"
        permissions = [
            ("import_attendance", "Được nhập danh sách học viên từ tệp"),
            ("export_attendance", "Được xuất danh sách học viên ra tệp"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadre__isnull=False) | Q(trainee__isnull=False),
                name="%(app_label)s_%(class)s_names_a_person",
                violation_error_message="Chọn cán bộ hoặc học viên.",
            ),
            models.UniqueConstraint(
                fields=["course", "cadre"],
                name="%(app_label)s_%(class)s_cadre_once_per_course",
                violation_error_message="Cán bộ này đã có trong danh sách lớp.",
            ),
            models.UniqueConstraint(
                fields=["course", "trainee"],
                name="%(app_label)s_%(class)s_trainee_once_per_course",
                violation_error_message="Học viên này đã có trong danh sách lớp.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre or self.trainee} – {self.course.name}"

    @property
    def passed(self) -> bool:
        return self.result in PASSED_RESULTS

    def clean(self) -> None:
        if not self.cadre_id and not self.trainee_id:
            raise ValidationError({"cadre": "Chọn cán bộ hoặc học viên."})

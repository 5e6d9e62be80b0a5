"""Training reports of issue 6: dispatches by programme level, the political training centre's
classes, money paid, and training needs against plans. Registered in ``core.reports``; every
figure is aggregated in the database and links to the admin list of the records it counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, Count, Q, Sum, Value, When
from django.db.models.functions import ExtractYear

from cadres.choices import Level
from cadres.models import Unit
from cadres.reports import CadreReport
from core import reports
from planning.filters import PlanningPoolFilterSet
from planning.models import PlanningEntry, RuleSet
from planning.readiness import planned_for_paths
from training import pathway
from training.choices import (
    CandidateStatus,
    CourseTopic,
    InstitutionKind,
    NeedStatus,
    PoolRole,
    ProgrammeTrack,
    Seat,
)
from training.filters import (
    AttendanceReportFilterSet,
    DispatchReportFilterSet,
    NeedReportFilterSet,
    PaymentReportFilterSet,
)
from training.models import (
    Attendance,
    Dispatch,
    PlanCandidate,
    PlanLine,
    Programme,
    SupportPayment,
    TrainingNeed,
)

# --- 1. Cử đi đào tạo -----------------------------------------------------------------------

OTHER = "other"

# The report's lines, in the province's order: (key, label, which dispatches). A dispatch falls
# in the first line it matches; what matches none is "other", counted as it is, never as the
# difference between the total and the named lines.
PROGRAMME_LINES: list[tuple[str, str, Q]] = [
    (
        "postgraduate",
        "Sau đại học",
        Q(
            programme__track=ProgrammeTrack.PROFESSIONAL,
            programme__grants_level__code__in=["CM_THAC_SI", "CM_TIEN_SI", "CM_TSKH"],
        ),
    ),
    (
        "senior_theory",
        "Cao cấp lý luận chính trị",
        Q(programme__grants_level__code__in=["LLCT_CAO_CAP", "LLCT_CU_NHAN"]),
    ),
    (
        "university",
        "Đại học",
        Q(programme__track=ProgrammeTrack.PROFESSIONAL, programme__grants_level__code="CM_DAI_HOC"),
    ),
    (
        "college",
        "Cao đẳng",
        Q(
            programme__track=ProgrammeTrack.PROFESSIONAL,
            programme__grants_level__code="CM_CAO_DANG",
        ),
    ),
    (
        "intermediate_professional",
        "Trung cấp chuyên môn (kinh tế, nông nghiệp, ...)",
        Q(
            programme__track=ProgrammeTrack.PROFESSIONAL,
            programme__grants_level__code="CM_TRUNG_CAP",
        ),
    ),
    # The military college (cao đẳng ngành quân sự cơ sở) apart from the provincial Military
    # School's intermediate course: the seed report names them on separate lines.
    (
        "military_college",
        "Cao đẳng quân sự",
        Q(
            programme__track=ProgrammeTrack.MILITARY,
            programme__grants_level__code__in=["CM_CAO_DANG", "CM_DAI_HOC"],
        ),
    ),
    (
        "military_school",
        "Trường Quân sự tỉnh (trung cấp quân sự cơ sở)",
        Q(programme__track=ProgrammeTrack.MILITARY),
    ),
    ("police", "Công an", Q(programme__track=ProgrammeTrack.POLICE)),
    # Trung cấp LLCT at the district's political centre apart from the province's school.
    (
        "intermediate_theory_district",
        "Trung cấp lý luận chính trị tại Trung tâm Chính trị huyện",
        Q(
            programme__grants_level__code="LLCT_TRUNG_CAP",
            institution__kind=InstitutionKind.DISTRICT_CENTRE,
        ),
    ),
    (
        "intermediate_theory_province",
        "Trung cấp lý luận chính trị tại Trường Chính trị tỉnh",
        Q(programme__grants_level__code="LLCT_TRUNG_CAP"),
    ),
]
LINE_CHOICES = [(key, label) for key, label, _ in PROGRAMME_LINES] + [(OTHER, "Khác")]


class TrainingReport(CadreReport):
    """A report counting the training of people of the register."""

    depends_on = ("training", "cadres")


def programme_line() -> Case:
    """The report line of a dispatch, computed in the database."""
    return Case(
        *[When(q, then=Value(key)) for key, _, q in PROGRAMME_LINES],
        default=Value(OTHER),
        output_field=CharField(),
    )


def line_q(key: str) -> Q:
    """The dispatches of one line (the admin list filter uses the same expression)."""
    return Q(report_line=key)


def period_params(field: str, start: date, end: date) -> dict[str, str]:
    return {f"{field}__gte": start.isoformat(), f"{field}__lte": end.isoformat()}


@reports.register
class DispatchesByProgramme(TrainingReport):
    name = "cu-di-dao-tao"
    title = "Số cán bộ được cử đi đào tạo theo trình độ"
    description = (
        "Cán bộ, công chức được cử đi đào tạo trong kỳ (theo ngày nhập học), theo trình độ "
        "đào tạo, chia cấp huyện, cấp xã theo đơn vị của cán bộ. Dòng “Khác” đếm các chương "
        "trình còn lại."
    )
    filterset_class = DispatchReportFilterSet
    columns = [
        reports.Column("line", "Trình độ đào tạo", kind="text"),
        reports.Column("district", "Cấp huyện", total=True),
        reports.Column("commune", "Cấp xã", total=True),
        reports.Column("total", "Cộng (lượt)", total=True),
        reports.Column("incumbent", "Đương chức", total=True),
        reports.Column("reserve", "Dự nguồn", total=True),
        reports.Column("people", "Số người"),
    ]

    def queryset(self):
        return Dispatch.objects.all()

    def rows(self, filterset, on):
        start, end = filterset.period_bounds(on)
        counted = dict.fromkeys(key for key, _ in LINE_CHOICES)
        for row in (
            filterset.qs.filter(start_date__range=(start, end))
            .annotate(report_line=programme_line())
            .values("report_line")
            .annotate(
                # By the unit when sent: a past period counts people where they were then.
                district=Count("pk", filter=Q(unit__level=Level.DISTRICT)),
                commune=Count("pk", filter=Q(unit__level=Level.COMMUNE)),
                total=Count("pk"),
                incumbent=Count("pk", filter=Q(pool_role=PoolRole.INCUMBENT)),
                reserve=Count("pk", filter=Q(pool_role=PoolRole.RESERVE)),
                people=Count("cadre", distinct=True),
            )
            .order_by()
        ):
            counted[row["report_line"]] = row
        base = filterset.changelist_params() | period_params("start_date", start, end)
        base.pop("level", None)
        chosen_level = (
            (filterset.form.cleaned_data or {}).get("level") if filterset.is_valid() else ""
        )

        def cell(row, key, level, extra=None):
            value = row[key] if row else 0
            if level and chosen_level and level != chosen_level:
                # A column the chosen level excludes: nothing counted, nothing to link.
                return reports.Cell(value, "")
            params = base | {"line": row_key} | (extra or {})
            if level or chosen_level:
                params["level"] = level or chosen_level
            return reports.Cell(value, reports.admin_list_url("training_dispatch", params))

        lines = []
        for row_key, label in LINE_CHOICES:
            row = counted[row_key]
            lines.append(
                {
                    "key": row_key,
                    "line": label,
                    "district": cell(row, "district", Level.DISTRICT),
                    "commune": cell(row, "commune", Level.COMMUNE),
                    "total": cell(row, "total", ""),
                    "incumbent": cell(row, "incumbent", "", {"pool": "incumbent"}),
                    "reserve": cell(row, "reserve", "", {"pool": "reserve"}),
                    "people": cell(row, "people", ""),
                }
            )
        return lines


# --- 2. Lớp bồi dưỡng của Trung tâm Chính trị ---------------------------------------------


@reports.register
class CentreClassesByTopic(TrainingReport):
    name = "lop-boi-duong"
    title = "Số lớp, lượt học viên của Trung tâm Chính trị theo nội dung"
    description = (
        "Lớp do Trung tâm Chính trị huyện tổ chức, khai giảng trong kỳ: số lớp, số lượt học "
        "viên (một người ở một lớp) và số người (mỗi người đếm một lần)."
    )
    filterset_class = AttendanceReportFilterSet
    columns = [
        reports.Column("topic", "Nội dung bồi dưỡng", kind="text"),
        reports.Column("classes", "Số lớp", total=True),
        reports.Column("attendances", "Số lượt học viên", total=True),
        reports.Column("people", "Số người"),
    ]

    def queryset(self):
        return Attendance.objects.all()

    def counted(self, filterset, on):
        start, end = filterset.period_bounds(on)
        return filterset.qs.filter(
            course__organiser__kind=InstitutionKind.DISTRICT_CENTRE,
            course__start_date__range=(start, end),
        )

    def rows(self, filterset, on):
        start, end = filterset.period_bounds(on)
        base = (
            filterset.changelist_params()
            | period_params("course__start_date", start, end)
            | {"course__organiser__kind": InstitutionKind.DISTRICT_CENTRE}
        )
        rows = []
        for row in (
            self.counted(filterset, on)
            .values("course__topic")
            .annotate(
                classes=Count("course", distinct=True),
                attendances=Count("pk"),
                people=Count("cadre", distinct=True)
                + Count("trainee", distinct=True, filter=Q(cadre__isnull=True)),
            )
            .order_by("course__topic")
        ):
            url = reports.admin_list_url(
                "training_attendance", base | {"course__topic__exact": row["course__topic"]}
            )
            rows.append(
                {
                    "topic": CourseTopic(row["course__topic"]).label,
                    "classes": reports.Cell(row["classes"], url),
                    "attendances": reports.Cell(row["attendances"], url),
                    "people": reports.Cell(row["people"], url),
                }
            )
        return rows

    def people(self, filterset, on) -> int:
        """Distinct people over all topics (a person at two topics counts once)."""
        return self.counted(filterset, on).totals()["people"]


# --- 3. Kinh phí đào tạo, hỗ trợ -----------------------------------------------------------


@reports.register
class PaymentsByPolicy(TrainingReport):
    name = "kinh-phi-dao-tao"
    title = "Kinh phí chi cho đào tạo, bồi dưỡng và hỗ trợ theo chính sách, theo năm"
    filterset_class = PaymentReportFilterSet
    columns = [
        reports.Column("year", "Năm", kind="text"),
        reports.Column("policy", "Chính sách", kind="text"),
        reports.Column("payments", "Số lần chi", total=True),
        reports.Column("amount", "Số tiền (đồng)", kind="money", total=True),
    ]

    def queryset(self):
        return SupportPayment.objects.all()

    def rows(self, filterset, on):
        start, end = filterset.period_bounds(on)
        base = filterset.changelist_params()
        rows = []
        for row in (
            filterset.qs.filter(paid_on__range=(start, end))
            .annotate(year=ExtractYear("paid_on"))
            .values("year", "policy", "policy__name")
            .annotate(amount=Sum("amount"), payments=Count("pk"))
            .order_by("year", "policy__name")
        ):
            first = max(start, date(row["year"], 1, 1))
            last = min(end, date(row["year"], 12, 31))
            url = reports.admin_list_url(
                "training_supportpayment",
                base | period_params("paid_on", first, last) | {"policy__id__exact": row["policy"]},
            )
            amount = row["amount"] or Decimal(0)
            rows.append(
                {
                    "year": str(row["year"]),
                    "policy": row["policy__name"],
                    "payments": reports.Cell(row["payments"], url),
                    "amount": reports.Cell(int(amount), url),
                }
            )
        return rows


# --- 6. Nhu cầu đào tạo so với kế hoạch, chỉ tiêu ----------------------------------------


@reports.register
class NeedsAgainstPlans(TrainingReport):
    name = "nhu-cau-dao-tao"
    title = "Nhu cầu đào tạo so với kế hoạch và chỉ tiêu"
    description = (
        "Theo từng chương trình: nhu cầu còn mở; chỉ tiêu trong các kế hoạch năm của kỳ; số "
        "chỉ tiêu đã có người được cử đi học; chỉ tiêu còn trống; nhu cầu bị động (chưa có "
        "trong kế hoạch nào). Chỉ tiêu theo kế hoạch của đơn vị và cấp đã chọn (không theo "
        "đối tượng)."
    )
    filterset_class = NeedReportFilterSet
    columns = [
        reports.Column("programme", "Chương trình", kind="text"),
        reports.Column("needs", "Nhu cầu", total=True),
        reports.Column("quota", "Chỉ tiêu", total=True),
        reports.Column("filled", "Đã cử đi học", total=True),
        reports.Column("unfilled", "Chỉ tiêu còn trống", total=True),
        reports.Column("passive", "Nhu cầu bị động (chưa có kế hoạch)", total=True),
    ]

    def queryset(self):
        return TrainingNeed.objects.all()

    def rows(self, filterset, on):
        start, end = filterset.period_bounds(on)
        years = (start.year, end.year)
        base = filterset.changelist_params()
        open_needs = filterset.qs.exclude(status=NeedStatus.CLOSED)
        needs = dict(
            open_needs.values("programme").annotate(n=Count("pk")).values_list("programme", "n")
        )
        passive = dict(
            filterset.qs.without_plan(end.year)
            .values("programme")
            .annotate(n=Count("pk"))
            .values_list("programme", "n")
        )
        lines = PlanLine.objects.filter(filterset.plan_q("plan"), plan__year__range=years)
        quotas = dict(
            lines.values("programme").annotate(n=Sum("quota")).values_list("programme", "n")
        )
        taken = [CandidateStatus.PROPOSED, CandidateStatus.APPROVED, CandidateStatus.DISPATCHED]
        filled = dict(
            PlanCandidate.objects.filter(
                filterset.plan_q("line__plan"),
                line__plan__year__range=years,
                seat=Seat.QUOTA,
                status__in=taken,
            )
            .values("line__programme")
            .annotate(n=Count("pk"))
            .values_list("line__programme", "n")
        )
        names = dict(
            Programme.objects.filter(pk__in=set(needs) | set(quotas)).values_list("pk", "name")
        )
        plan_years = {"plan__year__gte": years[0], "plan__year__lte": years[1]}
        plan_years |= filterset.plan_params()
        rows = []
        for pk in sorted(names, key=names.get):
            quota = quotas.get(pk) or 0
            done = min(filled.get(pk, 0), quota)
            by_programme = {"programme__id__exact": pk}
            rows.append(
                {
                    "programme": names[pk],
                    "needs": reports.Cell(
                        needs.get(pk, 0),
                        reports.admin_list_url(
                            "training_trainingneed",
                            base | by_programme | {"status__in": "open,planned"},
                        ),
                    ),
                    "quota": reports.Cell(
                        quota,
                        reports.admin_list_url("training_planline", by_programme | plan_years),
                    ),
                    "filled": reports.Cell(
                        done,
                        reports.admin_list_url("training_planline", by_programme | plan_years),
                    ),
                    "unfilled": reports.Cell(
                        quota - done,
                        reports.admin_list_url(
                            "training_planline",
                            by_programme | plan_years | {"quota": "unfilled"},
                        ),
                    ),
                    "passive": reports.Cell(
                        passive.get(pk, 0),
                        reports.admin_list_url(
                            "training_trainingneed",
                            base | by_programme | {"without_plan": end.year},
                        ),
                    ),
                }
            )
        return rows


# --- 7. Lộ trình đạt chuẩn của người trong quy hoạch ----------------------------------------


@reports.register
class PathsToStandard(reports.Report):
    name = "lo-trinh-dat-chuan"
    title = "Lộ trình đạt chuẩn của người trong quy hoạch"
    description = (
        "Theo đơn vị quy hoạch: người trong quy hoạch tại ngày báo cáo đã đạt tiêu chuẩn chức "
        "danh; chưa đạt nhưng học kịp trước ngày bổ nhiệm (đầu nhiệm kỳ, hoặc cuối nhiệm kỳ khi "
        "nhiệm kỳ đã bắt đầu), các khóa học nối tiếp nhau từ ngày báo cáo theo điều kiện và thời "
        "gian học của từng chương trình, trước tuổi nghỉ hưu và thời gian cam kết phục vụ; "
        "không kịp. Lộ trình của từng người ở trang mục quy hoạch của họ."
    )
    filterset_class = PlanningPoolFilterSet
    permission = "planning.view_planningentry"
    depends_on = ("planning", "training", "cadres")
    columns = [
        reports.Column("unit", "Đơn vị", kind="text"),
        reports.Column("planned", "Số người quy hoạch", total=True),
        reports.Column("met", "Đã đạt chuẩn", total=True),
        reports.Column("reachable", "Kịp đạt chuẩn", total=True),
        reports.Column("unreachable", "Không kịp đạt chuẩn", total=True),
    ]

    def queryset(self):
        return PlanningEntry.objects.all()

    def period_text(self, start: date, end: date) -> str:
        return f"Tính đến ngày {end:%d/%m/%Y}"

    def rows(self, filterset, on):
        rule_set = RuleSet.objects.applying_on(on)
        catalogue = pathway.Catalogue.load(on)
        counts: dict[Unit, Counter] = defaultdict(Counter)
        for entry in planned_for_paths(filterset.qs.active(on)):
            path = pathway.path_for(entry, on, rule_set, catalogue)
            outcome = (
                "met" if path.meets_standard else "reachable" if path.reachable else "unreachable"
            )
            counts[entry.unit][outcome] += 1
        base = {"on": on.isoformat(), **filterset.changelist_params()}
        rows = []
        for unit in sorted(counts, key=lambda u: u.path):
            by_outcome = counts[unit]
            link = reports.admin_list_url("planning_planningentry", base | {"unit": str(unit.pk)})
            rows.append(
                {
                    "unit": unit.name,
                    "planned": reports.Cell(by_outcome.total(), link),
                    "met": by_outcome["met"],
                    "reachable": by_outcome["reachable"],
                    "unreachable": by_outcome["unreachable"],
                }
            )
        return rows

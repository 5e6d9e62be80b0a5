"""The commune scorecard: each year, did every commune do its planning review and send its
training needs, its training plan and its party-coverage report on time? The duties and their
deadlines are data; the seed report blames the missing ones for passive selection ("chưa
thường xuyên")."""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cadres.choices import UnitKind
from cadres.models import Unit, UnitScopedQuerySet
from core.models import TrackedModel

COMMUNE_KINDS = [UnitKind.COMMUNE, UnitKind.TOWN, UnitKind.WARD]


class CommuneDuty(TrackedModel):
    """A yearly duty of every commune with its deadline (day and month of the year, or of the
    next year when the deadline falls after the year it reports on)."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("nhiệm vụ", max_length=255)
    due_day = models.PositiveSmallIntegerField(
        "hạn: ngày", validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_month = models.PositiveSmallIntegerField(
        "hạn: tháng", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_next_year = models.BooleanField("hạn vào năm sau", default=False)
    basis = models.CharField("căn cứ", max_length=255, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "nhiệm vụ hằng năm của xã"
        verbose_name_plural = "nhiệm vụ hằng năm của xã (hạn nộp)"

    def __str__(self) -> str:
        return self.name

    def deadline(self, year: int) -> date:
        return date(year + 1 if self.due_next_year else year, self.due_month, self.due_day)


class DutyReportQuerySet(UnitScopedQuerySet):
    def late(self) -> DutyReportQuerySet:
        """Done after the deadline (kept on the row: ``deadline``)."""
        return self.filter(done_on__gt=models.F("deadline"))


class DutyReport(TrackedModel):
    """What a commune did of a duty in a year: when (the date the board received it)."""

    unit_path = "unit"  # how a row reaches its unit: visible_to(user)

    unit = models.ForeignKey(
        Unit,
        verbose_name="xã, thị trấn",
        on_delete=models.PROTECT,
        limit_choices_to={"kind__in": COMMUNE_KINDS},
        related_name="+",
    )
    year = models.PositiveSmallIntegerField("năm")
    duty = models.ForeignKey(CommuneDuty, verbose_name="nhiệm vụ", on_delete=models.PROTECT)
    deadline = models.DateField("hạn", editable=False)
    done_on = models.DateField("ngày hoàn thành, nộp", null=True, blank=True)
    document = models.CharField("số văn bản", max_length=100, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = DutyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__name", "duty__order"]
        verbose_name = "kết quả thực hiện nhiệm vụ của xã"
        verbose_name_plural = "bảng theo dõi xã (rà soát quy hoạch, nhu cầu, kế hoạch, báo cáo)"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "duty"],
                name="%(app_label)s_%(class)s_once_per_unit_year_duty",
                violation_error_message="Xã này đã có kết quả nhiệm vụ này trong năm.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.duty} – {self.year}"

    def save(self, *args, **kwargs) -> None:
        self.deadline = self.duty.deadline(self.year)
        super().save(*args, **kwargs)

    @property
    def is_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.deadline


def scorecard(year: int, on: date, units=None) -> list[dict]:
    """Per commune and duty of ``year``: done on time, done late, overdue (not done and the
    deadline passed) or pending."""
    return scorecards([year], on, units)[year]


def scorecards(years: list[int], on: date, units=None) -> dict[int, list[dict]]:
    """:func:`scorecard` of several years in three queries (duties, communes, reports), the
    dashboard's cost whatever the number of communes."""
    duties = list(CommuneDuty.objects.all())
    communes = Unit.objects.filter(kind__in=COMMUNE_KINDS).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=date(min(years), 1, 1))
    )
    if units is not None:
        communes = communes.filter(pk__in=units.values("pk"))
    communes = list(communes.order_by("name"))
    done = {
        (r.year, r.unit_id, r.duty_id): r
        for r in DutyReport.objects.filter(year__in=years, unit__in=[c.pk for c in communes])
    }
    result = {}
    for year in years:
        rows = []
        for commune in communes:
            if commune.valid_to is not None and commune.valid_to < date(year, 1, 1):
                continue
            cells = []
            for duty in duties:
                report = done.get((year, commune.pk, duty.pk))
                deadline = duty.deadline(year)
                if report is not None and report.done_on is not None:
                    state = "late" if report.done_on > deadline else "on_time"
                else:
                    state = "overdue" if on > deadline else "pending"
                cells.append({"duty": duty, "deadline": deadline, "report": report, "state": state})
            rows.append({"unit": commune, "cells": cells})
        result[year] = rows
    return result

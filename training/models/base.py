"""Helpers shared by the training models."""

from __future__ import annotations

from django.db import models

from cadres.models import (
    QualificationLevel,
)

MONEY = {"max_digits": 14, "decimal_places": 0}


def level_fk(verbose_name: str, **kwargs) -> models.ForeignKey:
    return models.ForeignKey(
        QualificationLevel,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **kwargs,
    )

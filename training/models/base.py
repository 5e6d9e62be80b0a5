"""Helpers shared by the training models."""

from __future__ import annotations

MONEY = {"max_digits": 14, "decimal_places": 0}

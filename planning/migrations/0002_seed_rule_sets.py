"""Seed the two central planning regulations as rule sets.

Quy định 50-QĐ/TW (27/12/2021) was replaced by Quy định 377-QĐ/TW of 08/10/2025, which keeps the
limits and adds the exception for expired discipline. Reversing deletes the two rows by name.
"""

from datetime import date

from django.db import migrations

RULE_SETS = [
    {
        "name": "Quy định 50-QĐ/TW (2021)",
        "regulation": "Quy định 50-QĐ/TW ngày 27/12/2021 của Bộ Chính trị về công tác quy hoạch cán bộ",
        "valid_from": date(2021, 12, 27),
        "valid_to": date(2025, 10, 7),
        "expired_discipline_allowed": False,
    },
    {
        "name": "Quy định 377-QĐ/TW (2025)",
        "regulation": "Quy định 377-QĐ/TW ngày 08/10/2025 của Bộ Chính trị về công tác quy hoạch cán bộ",
        "valid_from": date(2025, 10, 8),
        "valid_to": None,
        "expired_discipline_allowed": True,
    },
]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("planning", "RuleSet")
    for values in RULE_SETS:
        RuleSet.objects.update_or_create(name=values["name"], defaults=values)


def unseed(apps, schema_editor):
    RuleSet = apps.get_model("planning", "RuleSet")
    RuleSet.objects.filter(name__in=[values["name"] for values in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

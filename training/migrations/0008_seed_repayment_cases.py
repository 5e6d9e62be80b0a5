"""The repayment cases of each service-commitment rule, citing the article they come from.

Nghị định 101/2017/NĐ-CP điều 7 khoản 1 lists who repays (a: left or withdrew during study;
b: finished but got no diploma; c: graduated and left before serving the commitment) and
điều 8 how much (all of the cost for a and b; cost × unserved months / committed months for c).
Nghị định 89/2021/NĐ-CP and Nghị định 171/2025/NĐ-CP keep the cases; an administrator edits
them when a province's rule differs. Reversing deletes the seeded cases."""

from django.db import migrations

CASES = [
    ("withdrawn", "full", "điều 7 khoản 1 điểm a; điều 8 khoản 3"),
    ("left_during_study", "full", "điều 7 khoản 1 điểm a; điều 8 khoản 3"),
    ("failed", "full", "điều 7 khoản 1 điểm b; điều 8 khoản 3"),
    ("left_after_graduation", "pro_rata", "điều 7 khoản 1 điểm c; điều 8 khoản 3"),
]


def load(apps, schema_editor):
    Rule = apps.get_model("training", "ServiceCommitmentRule")
    RepaymentRule = apps.get_model("training", "RepaymentRule")
    for rule in Rule.objects.all():
        decree = rule.legal_basis.split(",")[0]
        for case, method, article in CASES:
            RepaymentRule.objects.get_or_create(
                rule=rule,
                case=case,
                defaults={"method": method, "source": f"{decree}, {article}"},
            )


def unload(apps, schema_editor):
    apps.get_model("training", "RepaymentRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0007_graduations_repayment_cases_eligibility_enforcement")]

    operations = [migrations.RunPython(load, unload)]

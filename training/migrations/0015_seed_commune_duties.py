"""The four yearly duties of a commune the seed report names, with default deadlines an
administrator edits to the district's own guidance. Reversing deletes them by code."""

from django.db import migrations

BASIS = "Mặc định; sửa theo hướng dẫn hằng năm của Ban Tổ chức Huyện ủy"
DUTIES = [
    ("planning_review", "Rà soát, bổ sung quy hoạch cán bộ hằng năm", 31, 10, False, 1),
    ("training_needs", "Gửi nhu cầu đào tạo, bồi dưỡng năm sau", 30, 11, False, 2),
    ("training_plan", "Gửi kế hoạch đào tạo, bồi dưỡng năm sau", 15, 12, False, 3),
    (
        "party_coverage",
        "Báo cáo phát triển đảng viên ở thôn, trường học (thôn, trường “trắng” đảng viên)",
        15,
        1,
        True,
        4,
    ),
]


def load(apps, schema_editor):
    Duty = apps.get_model("training", "CommuneDuty")
    for code, name, day, month, next_year, order in DUTIES:
        Duty.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "due_day": day,
                "due_month": month,
                "due_next_year": next_year,
                "basis": BASIS,
                "order": order,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("training", "CommuneDuty").objects.filter(
        code__in=[d[0] for d in DUTIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("training", "0014_commune_scorecard")]

    operations = [migrations.RunPython(load, unload)]

"""The platform models move from ``cadres`` to ``core`` without touching their tables: the state
takes them over here (their ``db_table`` keeps the ``cadres_`` names) and their content types are
relabelled, so permissions granted on them and log entries pointing at them stay valid."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ["exportlog", "importbatch", "backgroundjob"]


def relabel_content_types(from_app: str, to_app: str):
    def relabel(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType")
        content_types.objects.filter(app_label=from_app, model__in=MOVED_MODELS).update(
            app_label=to_app
        )

    return relabel


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cadres", "0009_background_jobs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, verbose_name="lúc"
                            ),
                        ),
                        ("what", models.CharField(max_length=255, verbose_name="dữ liệu")),
                        ("count", models.PositiveIntegerField(default=0, verbose_name="số dòng")),
                        (
                            "path",
                            models.CharField(blank=True, max_length=500, verbose_name="địa chỉ"),
                        ),
                        (
                            "ip_address",
                            models.GenericIPAddressField(
                                blank=True, null=True, verbose_name="địa chỉ IP"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người dùng",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "nhật ký xuất dữ liệu",
                        "verbose_name_plural": "nhật ký xuất dữ liệu",
                        "db_table": "cadres_exportlog",
                        "ordering": ["-at"],
                        "permissions": [
                            ("view_personal_data", "Xem đầy đủ số CCCD và thông tin Đảng")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "model",
                            models.CharField(
                                help_text="app_label.model", max_length=100, verbose_name="dữ liệu"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="tải lên lúc"),
                        ),
                        (
                            "imported_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="nhập lúc"),
                        ),
                        ("file_name", models.CharField(max_length=255, verbose_name="tên tệp")),
                        (
                            "sha256",
                            models.CharField(
                                db_index=True, max_length=64, verbose_name="mã kiểm tra SHA-256"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("preview", "Đang xem trước"),
                                    ("queued", "Đang nhập (chạy nền)"),
                                    ("done", "Đã nhập"),
                                    ("undone", "Đã hoàn tác"),
                                    ("abandoned", "Đã bỏ"),
                                ],
                                default="preview",
                                max_length=20,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "wipe_empty",
                            models.BooleanField(
                                default=False, verbose_name="ô trống xóa giá trị cũ"
                            ),
                        ),
                        ("new", models.PositiveIntegerField(default=0, verbose_name="thêm mới")),
                        (
                            "updated",
                            models.PositiveIntegerField(default=0, verbose_name="cập nhật"),
                        ),
                        (
                            "unchanged",
                            models.PositiveIntegerField(default=0, verbose_name="không đổi"),
                        ),
                        (
                            "rejected",
                            models.PositiveIntegerField(default=0, verbose_name="bị từ chối"),
                        ),
                        (
                            "stored_file",
                            models.CharField(blank=True, editable=False, max_length=100),
                        ),
                        (
                            "rejected_rows",
                            models.JSONField(blank=True, default=list, editable=False),
                        ),
                        ("undo", models.JSONField(blank=True, default=dict, editable=False)),
                        (
                            "undone_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="hoàn tác lúc"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người nhập",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "lần nhập dữ liệu",
                        "verbose_name_plural": "nhật ký nhập dữ liệu",
                        "db_table": "cadres_importbatch",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="BackgroundJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("import", "Nhập dữ liệu"), ("export", "Xuất dữ liệu")],
                                max_length=10,
                                verbose_name="loại",
                            ),
                        ),
                        ("title", models.CharField(max_length=255, verbose_name="nội dung")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Đang chờ"),
                                    ("running", "Đang chạy"),
                                    ("done", "Xong"),
                                    ("failed", "Lỗi"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="trạng thái",
                            ),
                        ),
                        (
                            "rows_total",
                            models.PositiveIntegerField(default=0, verbose_name="tổng số dòng"),
                        ),
                        (
                            "rows_done",
                            models.PositiveIntegerField(default=0, verbose_name="số dòng đã xử lý"),
                        ),
                        (
                            "attempt",
                            models.PositiveSmallIntegerField(default=1, verbose_name="lần chạy"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="yêu cầu lúc"),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="bắt đầu lúc"),
                        ),
                        (
                            "heartbeat_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="cập nhật tiến độ lúc"
                            ),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="xong lúc"),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="lỗi")),
                        ("params", models.JSONField(blank=True, default=dict, editable=False)),
                        ("task_id", models.CharField(blank=True, editable=False, max_length=64)),
                        (
                            "result_file",
                            models.CharField(blank=True, editable=False, max_length=100),
                        ),
                        (
                            "result_name",
                            models.CharField(
                                blank=True, max_length=255, verbose_name="tệp kết quả"
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người yêu cầu",
                            ),
                        ),
                        (
                            "import_batch",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="jobs",
                                to="core.importbatch",
                                verbose_name="lần nhập",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "việc chạy nền",
                        "verbose_name_plural": "việc chạy nền (nhập, xuất lớn)",
                        "db_table": "cadres_backgroundjob",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
        migrations.RunPython(
            relabel_content_types("cadres", "core"),
            relabel_content_types("core", "cadres"),
        ),
    ]

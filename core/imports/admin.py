"""Admin side of import and export, for any ModelAdmin whose model has a BulkModelResource:
upload -> preview (nothing written) -> confirm (all in one transaction) -> log entry with undo;
export of selected rows or of the filtered changelist. Planning and training admins reuse
:class:`ImportExportAdminMixin` by setting ``resource_class`` (and ``export_title``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_permission_codename
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from core import exports, tasks
from core.audit import log_export
from core.choices import ImportStatus
from core.imports.batches import (
    ALREADY_CONFIRMED,
    UPLOAD_GIVEN_UP,
    batch_import,
    batch_resource,
    cleanup_imports,
    earlier_import,
    finish_batch,
    record_counts,
    start_batch,
    take_preview,
    undo_batch,
    undo_problems,
)
from core.imports.engine import (
    PREVIEW_ROWS,
    check_size,
    header_signature,
    read_file,
    run_import,
)
from core.imports.resources import BulkModelResource
from core.imports.widgets import ImportRefused, Reconcilable, save_alias
from core.models import ImportBatch, ImportProfile
from core.text import fold
from core.widgets import PickFileWidget


class AlreadyTaken(Exception):
    """Another request confirmed the batch first (rolls back the confirm's transaction)."""


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp dữ liệu",
        help_text="CSV (mọi bảng mã, dấu phân cách), Excel .xlsx hoặc .xls, LibreOffice .ods.",
        widget=PickFileWidget,
    )
    wipe_empty = forms.BooleanField(
        label="Ô trống trong tệp xóa giá trị đang lưu",
        required=False,
        help_text="Mặc định ô trống được bỏ qua, giữ nguyên giá trị đang có.",
    )


def has_permission(request, opts, setting: str, fallback: str) -> bool:
    """django-import-export's rule: the permission named by the setting, else ``fallback``."""
    code = getattr(settings, setting, None) or fallback
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(code, opts)}")


def rejected_file(batch: ImportBatch, fmt: str) -> tuple[bytes, str]:
    """The rejected rows in the file's own headers and columns (those the importer does not
    use too), with the line and the reason added: fixed, the file can be sent again."""
    rows = batch.rejected_rows
    # Every column of the file, in its order; a row with cells past the last header is the widest.
    widest = max((row["cells"] for row in rows), key=len, default=[])
    headers = [header for header, _ in widest]
    body = [
        [
            *(value for _, value in row["cells"]),
            *[""] * (len(headers) - len(row["cells"])),
            row["line"],
            "; ".join(row["errors"]),
        ]
        for row in rows
    ]
    headers += ["Dòng trong tệp gốc", "Lý do bị từ chối"]
    if fmt == "xlsx":
        return exports.to_xlsx(headers, body), exports.XLSX_TYPE
    return exports.to_csv(headers, body), exports.CSV_TYPE


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The files a list exports to (the route's ``<layout>``): anything else is not found, so the log
# never says a file was taken in a format it was not.
EXPORT_LAYOUTS = ("xlsx", "csv", "province")


def job_redirect(model_admin, request, job) -> HttpResponse:
    model_admin.message_user(
        request,
        f"“{job}” chạy nền ({job.rows_total or 'nhiều'} dòng); trang này cho biết tiến độ "
        "và kết quả.",
        messages.INFO,
    )
    return HttpResponseRedirect(reverse("admin:core_backgroundjob_change", args=[job.pk]))


NOT_USED = "-"  # a column confirmed as not used (an empty choice leaves a column as it is)
KEEP = ""


def field_choices(resource: BulkModelResource) -> list[tuple[str, str]]:
    """What a file column may be mapped to: every column the resource reads, by its name."""
    return [(name, str(v[0])) for name, v in resource.header_aliases().items() if v]


def choosable(widget: Reconcilable, user) -> list[tuple[int, str]]:
    """The rows a value may be mapped to; of rows that belong to units (units, decisions),
    those the user may see."""
    options = widget.options()
    manager = widget.model._default_manager
    if user is None or not hasattr(manager, "ids_visible_to"):
        return options
    visible = manager.ids_visible_to(user)
    return options if visible is None else [o for o in options if o[0] in visible]


def unknown_rows(resource: BulkModelResource, report, user) -> list[dict]:
    """The unknown values with what each may be mapped to: the closest first, then the rest."""
    rows = []
    for group in report.unknown_values():
        options = choosable(resource.fields[group.name].widget, user)
        allowed = {pk for pk, _ in options}
        suggestions = [o for o in group.suggestions if o[0] in allowed]
        others = [o for o in options if o not in suggestions]
        rows.append({"group": group, "suggestions": suggestions, "others": others})
    return rows


def default_choices(resource: BulkModelResource, name: str, user) -> list[tuple[str, str]]:
    """What a file-wide value may be: a choice's code, or a reference row's id (a unit)."""
    widget = resource.fields[name].widget
    if isinstance(widget, Reconcilable):
        return [(str(pk), label) for pk, label in choosable(widget, user)]
    return [(str(code), str(label)) for code, label in widget.labels.items()]


def default_rows(resource: BulkModelResource, batch: ImportBatch) -> list[dict]:
    """The file-wide values the resource offers (``file_defaults``), with the one chosen."""
    chosen = batch.options.get("defaults", {})
    return [
        {
            "option": option,
            "label": str(resource.fields[name].column_name),
            "choices": default_choices(resource, name, batch.user),
            "chosen": chosen.get(option, ""),
        }
        for option, name in resource.file_defaults.items()
    ]


def apply_choices(batch: ImportBatch, resource: BulkModelResource, post, user) -> None:
    """Record the preview's choices on ``batch`` (and, to be reused by later files, the column
    mapping as the profile of this set of headers and each value mapped as an alias)."""
    options = dict(batch.options)
    headers = post.getlist("header")
    choices = post.getlist("column")
    known = dict(field_choices(resource))
    if headers and len(headers) == len(choices):
        mapping = dict(options.get("mapping") or {})
        for header, choice in zip(headers, choices, strict=True):
            if choice == NOT_USED:
                mapping[fold(header)] = ""
            elif choice in known:
                mapping[fold(header)] = choice
        if mapping:
            options["mapping"] = mapping
            ImportProfile.objects.update_or_create(
                model=batch.model,
                signature=header_signature(headers),
                defaults={"headers": headers, "mapping": mapping, "user": user},
            )
    create = {name: list(keys) for name, keys in options.get("create", {}).items()}
    for field_name, value, choice in zip(
        post.getlist("value_field"),
        post.getlist("value_text"),
        post.getlist("value_choice"),
        strict=False,
    ):
        f = resource.fields.get(field_name)
        if f is None or not isinstance(f.widget, Reconcilable) or not choice:
            continue
        if choice == "new":
            if f.widget.create is not None and fold(value) not in create.get(field_name, []):
                create.setdefault(field_name, []).append(fold(value))
            continue
        may = choice.isdigit() and int(choice) in dict(choosable(f.widget, user))
        obj = f.widget.by_pk(int(choice)) if may else None
        if obj is not None:
            save_alias(f.widget.model, value, obj, user)
    options["create"] = create
    defaults = {}
    for option, name in resource.file_defaults.items():
        chosen = post.get(f"default_{option}", "")
        if chosen in dict(default_choices(resource, name, user)):
            defaults[option] = chosen
    options["defaults"] = defaults
    batch.options = options
    batch.save(update_fields=["options"])


class ImportExportAdminMixin:
    """Import button and flow, export actions; both checked against the permissions named by
    IMPORT_EXPORT_IMPORT_PERMISSION_CODE / IMPORT_EXPORT_EXPORT_PERMISSION_CODE."""

    resource_class: type[BulkModelResource]
    export_title = "Danh sách"
    province_columns: list[str] | None = None
    change_list_template = "admin/core/import_export_change_list.html"
    export_actions = ["export_xlsx", "export_csv", "export_province_xlsx"]

    def has_import_permission(self, request) -> bool:
        return has_permission(request, self.opts, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", "add")

    def has_export_permission(self, request) -> bool:
        return has_permission(request, self.opts, "IMPORT_EXPORT_EXPORT_PERMISSION_CODE", "view")

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{prefix}_import"),
            path(
                "import/<int:batch_id>/confirm/",
                wrap(self.confirm_view),
                name=f"{prefix}_import_confirm",
            ),
            path(
                "import/<int:batch_id>/choose/",
                wrap(self.choose_view),
                name=f"{prefix}_import_choose",
            ),
            path("export/<str:layout>/", wrap(self.export_view), name=f"{prefix}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "has_export_permission": self.has_export_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def get_actions(self, request):
        # Added here rather than in ``actions`` so that a ModelAdmin's own actions stay as they are.
        actions = super().get_actions(request)
        if self.has_export_permission(request) and not self.is_popup(request):
            for name in self.export_actions:
                actions[name] = self.get_action(name)
        return actions

    @staticmethod
    def is_popup(request) -> bool:
        return "_popup" in request.GET or "_popup" in request.POST

    # --- Import -------------------------------------------------------------------------

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Nhập {self.opts.verbose_name_plural} từ tệp",
            "form": form,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            # Abandoned previews are removed here, so no scheduler is needed (cron optional).
            cleanup_imports()
            resource = self.resource_class(wipe_empty=form.cleaned_data["wipe_empty"])
            try:
                check_size(upload.size)  # before reading, let alone parsing
                data = upload.read()
                report = run_import(
                    resource,
                    read_file(data, upload.name, resource, require_key=False),
                    write=False,
                    user=request.user,
                )
            except ImportRefused as error:
                form.add_error("file", str(error))
            else:
                batch = start_batch(resource, data, upload.name, request.user, report)
                return self.preview_response(request, context, batch, report, resource)
        return TemplateResponse(request, "admin/core/import_form.html", context)

    def preview_response(self, request, context, batch, report, resource):
        return TemplateResponse(
            request,
            "admin/core/import_preview.html",
            {**context, **self.preview_context(batch, report, resource)},
        )

    def preview_context(self, batch, report, resource=None) -> dict:
        resource = resource or batch_resource(self.resource_class, batch)
        return {
            "title": f"Xem trước: {batch.file_name}",
            "batch": batch,
            "report": report,
            "problems": report.problems(),
            "note_groups": report.note_groups(),
            "column_rows": report.column_map(resource),
            "field_choices": field_choices(resource),
            "unknown_rows": unknown_rows(resource, report, batch.user),
            "default_rows": default_rows(resource, batch),
            "changed_rows": report.changed[:PREVIEW_ROWS],
            "rejected_rows": report.rejected[:PREVIEW_ROWS],
            "more_changed": max(0, report.updated - PREVIEW_ROWS),
            "more_rejected": max(0, report.rejected_count - PREVIEW_ROWS),
            "nothing_to_do": report.new + report.updated == 0,
            "earlier": earlier_import(batch),
        }

    def choose_view(self, request, batch_id: int):
        """The choices of the preview: columns mapped (remembered as the profile of this set
        of headers), unknown values mapped (saved as aliases) or to be created, file-wide
        values; then the preview again with them."""
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, model=self.opts.label_lower, user=request.user
        )
        if batch.status != ImportStatus.PREVIEW:
            return self.not_in_preview(request, batch)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "max_rows": settings.IMPORT_MAX_ROWS,
            "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576,
        }
        resource = batch_resource(self.resource_class, batch)
        apply_choices(batch, resource, request.POST, request.user)
        resource = batch_resource(self.resource_class, batch)
        try:
            report = batch_import(batch, resource, write=False, user=request.user)
        except ImportRefused as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        record_counts(batch, report)
        batch.save()
        return self.preview_response(request, context, batch, report, resource)

    def confirm_view(self, request, batch_id: int):
        if not self.has_import_permission(request) or request.method != "POST":
            raise PermissionDenied
        batch = get_object_or_404(
            ImportBatch, pk=batch_id, model=self.opts.label_lower, user=request.user
        )
        if batch.status != ImportStatus.PREVIEW:
            return self.not_in_preview(request, batch)
        if tasks.import_in_background(batch):  # big files: the worker imports them
            try:
                job = tasks.start_import(batch, request.user)
            except tasks.JobRefused:
                return self.not_in_preview(request, batch)
            return job_redirect(self, request, job)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        resource = batch_resource(self.resource_class, batch)
        try:
            with transaction.atomic():
                # First statement of the transaction: a second confirm of this preview waits
                # here for the first to commit, then finds the batch taken and writes nothing.
                if not take_preview(batch, ImportStatus.DONE):
                    raise AlreadyTaken
                report = batch_import(
                    batch,
                    resource,
                    write=True,
                    skip_rejected=True,
                    user=request.user,
                )
                finish_batch(batch, report)
        except AlreadyTaken:
            return self.not_in_preview(request, batch)
        except ImportRefused as error:  # rolled back: the batch is a preview again
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(changelist)
        self.message_user(
            request,
            f"Đã nhập {batch.file_name}: thêm {report.new}, cập nhật {report.updated}, "
            f"không đổi {report.unchanged}, bỏ qua {report.rejected_count} dòng bị từ chối.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[batch.pk]))

    def not_in_preview(self, request, batch: ImportBatch) -> HttpResponse:
        """A confirm of a batch already confirmed (or given up): said, nothing written."""
        batch.refresh_from_db()
        if batch.status == ImportStatus.ABANDONED:
            self.message_user(request, UPLOAD_GIVEN_UP, messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            )
        self.message_user(request, ALREADY_CONFIRMED, messages.WARNING)
        job = batch.jobs.order_by("-pk").first()
        if job is not None:
            return HttpResponseRedirect(reverse("admin:core_backgroundjob_change", args=[job.pk]))
        return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[batch.pk]))

    # --- Export -------------------------------------------------------------------------

    def export_response(self, request, queryset, layout: str) -> HttpResponse:
        if not self.has_export_permission(request):
            raise PermissionDenied
        content, content_type, file_name, count = self.export_file(request, queryset, layout)
        log_export(request.user, f"{self.export_title} ({layout})", count, request)
        return attachment(content, content_type, file_name)

    def export_file(self, request, queryset, layout: str, rows=None) -> tuple[bytes, str, str, int]:
        """Content, content type, file name and row count of an export of ``queryset``, as
        ``request.user`` may see it. ``rows`` may wrap the row generator (progress)."""
        resource = self.resource_class()
        # Only what the admin's (scoped) queryset shows, whatever ids were posted.
        visible = self.get_queryset(request).filter(pk__in=queryset.values("pk"))
        queryset = (
            resource.get_queryset()
            .filter(pk__in=visible.values("pk"))
            .order_by(*self.get_ordering(request) or ["pk"])
        )
        count = queryset.count()
        wrap = rows or (lambda generated: generated)
        stamp = timezone.localdate()
        name = f"{self.opts.model_name}-{stamp:%Y%m%d}"
        if layout == "province":
            headers, body = exports.province_rows(
                resource,
                queryset,
                self.province_columns or list(resource.fields),
                user=request.user,
            )
            titles = exports.province_title_rows(
                self.export_title, self.export_unit_name(request), stamp
            )
            content = exports.to_xlsx(headers, wrap(body), titles)
            return content, exports.XLSX_TYPE, f"{name}-mau-tinh.xlsx", count
        headers, body = exports.rows_of(resource, queryset, user=request.user)
        if layout == "csv":
            return exports.to_csv(headers, wrap(body)), exports.CSV_TYPE, f"{name}.csv", count
        return exports.to_xlsx(headers, wrap(body)), exports.XLSX_TYPE, f"{name}.xlsx", count

    def export_unit_name(self, request) -> str:
        """The unit the list is filtered on, for the title rows of the province layout; the
        admins of unit-scoped models say which (``cadres.scoping.ScopedAdminMixin``)."""
        return "Toàn bộ"

    def export_view(self, request, layout: str):
        """The whole filtered changelist (same filters and search as the screen)."""
        if layout not in EXPORT_LAYOUTS:
            raise Http404("Không có mẫu xuất này.")
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters as error:
            raise BadRequest(
                f"Tham số lọc không hợp lệ, không xuất được danh sách: {error}"
            ) from error
        if tasks.export_in_background(queryset):  # long lists: the worker writes the file
            title = f"Xuất {self.export_title} ({layout})"
            return job_redirect(self, request, tasks.start_export(request, self, layout, title))
        return self.export_response(request, queryset, layout)

    @admin.action(description="Xuất các dòng đã chọn ra Excel (mẫu nhập lại được)")
    def export_xlsx(self, request, queryset):
        return self.export_response(request, queryset, "xlsx")

    @admin.action(description="Xuất các dòng đã chọn ra CSV (mẫu nhập lại được)")
    def export_csv(self, request, queryset):
        return self.export_response(request, queryset, "csv")

    @admin.action(description="Xuất các dòng đã chọn theo mẫu danh sách của tỉnh (Excel)")
    def export_province_xlsx(self, request, queryset):
        return self.export_response(request, queryset, "province")


class OwnRowsAdminMixin:
    """A log of what users ran (imports, background jobs): each user sees their own rows (the
    import and export pages send them there, whatever their role), the superuser everyone's;
    nobody adds or changes a row by hand."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.is_active and (obj is None or user.is_superuser or obj.user_id == user.pk)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(OwnRowsAdminMixin, admin.ModelAdmin):
    """The import log: read-only, with the rejected rows to download and undo."""

    list_display = ["file_name", "model", "user", "created_at", "status", *["new", "updated"]]
    list_display += ["unchanged", "rejected"]
    list_filter = ["status", "model"]
    list_select_related = ["user"]
    search_fields = ["file_name", "sha256"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "model",
        "user",
        "created_at",
        "imported_at",
        "file_name",
        "sha256",
        "status",
        "wipe_empty",
        "new",
        "updated",
        "unchanged",
        "rejected",
        "undone_at",
    ]
    fields = readonly_fields
    change_form_template = "admin/core/importbatch_change_form.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:batch_id>/undo/", wrap(self.undo_view), name="core_importbatch_undo"),
            path(
                "<int:batch_id>/rejected.<str:fmt>",
                wrap(self.rejected_view),
                name="core_importbatch_rejected",
            ),
            *super().get_urls(),
        ]

    def may_import(self, request, batch: ImportBatch) -> bool:
        app_label, model_name = batch.model.split(".")
        codename = get_permission_codename(
            getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "add",
            type("Opts", (), {"model_name": model_name})(),
        )
        return request.user.has_perm(f"{app_label}.{codename}")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        extra = {}
        if batch is not None:
            extra = {
                "undo_problems": undo_problems(batch),
                "may_undo": self.may_import(request, batch),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def undo_view(self, request, batch_id: int):
        batch = get_object_or_404(self.get_queryset(request), pk=batch_id)
        if request.method != "POST" or not self.may_import(request, batch):
            raise PermissionDenied
        problems = undo_batch(batch, user=request.user)
        if problems:
            self.message_user(request, "Không hoàn tác được: " + " ".join(problems), messages.ERROR)
        else:
            self.message_user(request, f"Đã hoàn tác lần nhập {batch.file_name}.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:core_importbatch_change", args=[batch.pk]))

    def rejected_view(self, request, batch_id: int, fmt: str):
        batch = get_object_or_404(self.get_queryset(request), pk=batch_id)
        if not self.may_import(request, batch):
            raise PermissionDenied
        content, content_type = rejected_file(batch, "xlsx" if fmt == "xlsx" else "csv")
        stem = batch.file_name.rsplit(".", 1)[0]
        return attachment(content, content_type, f"{stem}-dong-bi-tu-choi.{fmt}")

"""The base of the commands that import a list from a file (``import_cadres``,
``import_training``): the admin's import code without its size limits, a progress bar, one
``line L: reason`` per rejected row, the counts, and exit status 1 (nothing written) when any
row is rejected. The column mapping saved for the file's headers and the value aliases chosen
in earlier previews apply; ``--create-missing`` creates the unknown reference values the
resource marks safe to create (never units or cadres); without it they reject their rows.

The file is read as a stream, a chunk of rows at a time, and the report keeps only the rejected
rows: memory does not grow with the file (bench/file_limits_bench.py measures it)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.imports.engine import run_import, stream_file
from core.imports.resources import BulkModelResource
from core.imports.widgets import ImportRefused


class ImportCommand(BaseCommand):
    """Subclasses add their own arguments after these and say which resource reads the file."""

    # Values for the rows of the whole file that write none (as the preview offers them):
    # option -> its help ("--unit" for a commune's own list, whose unit is its title).
    file_wide_options: dict[str, str] = {}

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra, không ghi gì.")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Tạo các giá trị danh mục chưa có mà được phép tạo (cơ sở đào tạo, chương "
            "trình, chức danh...; không bao giờ tạo đơn vị hay cán bộ).",
        )
        for option, text in self.file_wide_options.items():
            parser.add_argument(f"--{option}", default="", help=text)

    def resource(self, options: dict) -> BulkModelResource:
        raise NotImplementedError

    @staticmethod
    def file_wide(options: dict, option: str, widget):
        """The value of ``--option`` (a value for the whole file) read as the file's cells are,
        or a clear error; ``None`` when not given."""
        if not options[option]:
            return None
        try:
            return widget.clean(options[option])
        except ValueError as error:
            raise CommandError(f"--{option}: {error}") from error

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            source = path.open("rb")
        except OSError as error:
            raise CommandError(f"Không đọc được {path}: {error}") from error
        resource = self.resource(options)
        bar = self.progress_bar()
        try:
            # Files too big for the admin are what the command is for: no size or row limit.
            with source:
                report = run_import(
                    resource,
                    stream_file(source, path.name, resource),
                    write=not options["dry_run"],
                    progress=bar.update if bar else None,
                    keep_rows=False,
                    create=options["create_missing"],
                )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        finally:
            if bar:
                bar.close()
        for row in report.rejected:
            self.stdout.write(f"line {row.line}: {'; '.join(row.errors)}")
        for row in report.noted:
            self.stdout.write(f"line {row.line} (note): {'; '.join(row.notes)}")
        for header, value in report.created:
            self.stdout.write(f"created {header}: {value}")
        self.stdout.write(report.summary())
        if report.rejected_count:
            sys.exit(1)

    def progress_bar(self):
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(unit=" dòng", file=sys.stderr)

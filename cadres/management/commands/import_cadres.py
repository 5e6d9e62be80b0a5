"""Import cadre records, or their qualification or work histories (``--kind``), from a file,
through the same code as the admin's import."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cadres.importing import ImportRefused, read_file, run_import
from cadres.resources import IMPORT_KINDS


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ cán bộ (hoặc văn bằng, chứng chỉ: --kind qualifications; quá trình công "
        "tác: --kind work_history) từ tệp CSV/xlsx/xls. In 'line L: reason' cho mỗi dòng "
        "bị từ chối, rồi 'new N, updated N, unchanged N, rejected N'. Có dòng bị từ chối "
        "thì không ghi gì và trả mã lỗi 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind",
            choices=list(IMPORT_KINDS),
            default="cadres",
            help="Loại dữ liệu trong tệp (mặc định: hồ sơ cán bộ).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Kiểm tra, không ghi gì.")
        parser.add_argument(
            "--wipe-empty", action="store_true", help="Ô trống xóa giá trị đang lưu."
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được {path}: {error}") from error
        resource = IMPORT_KINDS[options["kind"]](wipe_empty=options["wipe_empty"])
        try:
            # Files too big for the admin are what the command is for: no size or row limit.
            table = read_file(data, path.name, resource, limits=False)
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        bar = self.progress_bar(len(table.rows))
        report = run_import(
            resource, table, write=not options["dry_run"], progress=bar.update if bar else None
        )
        if bar:
            bar.close()
        for row in report.rejected:
            self.stdout.write(f"line {row.line}: {'; '.join(row.errors)}")
        self.stdout.write(report.summary())
        if report.rejected_count:
            sys.exit(1)

    def progress_bar(self, total: int):
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit=" dòng", file=sys.stderr)

"""``python manage.py report NAME --from DATE --to DATE [--unit CODE] [--filter KEY=VALUE]
--format xlsx|csv|json``: the admin's reports for scheduled runs, through the same filter set
and the same exporters."""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadres.models import Unit
from core import reports
from core.reports import export


class Command(BaseCommand):
    help = "Xuất một báo cáo ra xlsx, csv hoặc json."

    def add_arguments(self, parser):
        parser.add_argument("name", help="tên báo cáo (xem --list)", nargs="?")
        parser.add_argument("--list", action="store_true", help="liệt kê các báo cáo")
        parser.add_argument("--from", dest="date_from", type=date.fromisoformat)
        parser.add_argument("--to", dest="date_to", type=date.fromisoformat)
        parser.add_argument("--unit", help="mã đơn vị (cả các đơn vị trực thuộc)")
        parser.add_argument("--level", help="cấp: district, commune, ...")
        parser.add_argument("--category", help="đối tượng: can_bo, cong_chuc, ...")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="bộ lọc riêng của báo cáo, như trên màn hình (ví dụ: --filter role=reserve)",
        )
        parser.add_argument("--format", choices=sorted(export.FORMATS), default="xlsx")
        parser.add_argument("--output", help="tệp ghi ra; mặc định: đầu ra chuẩn")

    def handle(self, *args, **options):
        if options["list"] or not options["name"]:
            for report in reports.all_reports():
                self.stdout.write(f"{report.name}\t{report.title}")
            return
        report = reports.get(options["name"])
        if report is None:
            raise CommandError(f"Không có báo cáo {options['name']!r}; xem --list.")
        today = timezone.localdate()
        data = {
            "date_from": options["date_from"],
            "date_to": options["date_to"],
            "level": options["level"],
            "category": options["category"],
        }
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise CommandError(f"Bộ lọc {item!r} phải có dạng KEY=VALUE.")
            data[key] = value
        if options["unit"]:
            unit = Unit.objects.resolve(options["unit"], on=options["date_to"] or today)
            if unit is None:
                raise CommandError(f"Không tìm thấy đơn vị {options['unit']!r}.")
            data["unit"] = unit.pk
        result = report.run({k: v for k, v in data.items() if v}, today=today)
        if not result.filterset.is_valid():
            raise CommandError(result.filterset.errors.as_text())
        content = export.export(result, options["format"])
        if options["output"]:
            with open(options["output"], "wb") as file:
                file.write(content)
            self.stderr.write(f"Đã ghi {options['output']}")
        elif options["format"] == "xlsx":
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

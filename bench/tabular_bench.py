"""Reading speed of core.tabular against a bare csv.reader pass (figures, not pass/fail).

.venv/bin/python bench/tabular_bench.py [ROWS]
"""

import csv
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.tabular import encode_legacy_vietnamese, read_table  # noqa: E402

ALIASES = {
    "full_name": ["Họ và tên"],
    "birth_date": ["Ngày sinh"],
    "gender": ["Giới tính"],
    "ethnicity": ["Dân tộc"],
    "cccd": ["Số CCCD"],
    "unit": ["Đơn vị"],
    "position": ["Chức vụ"],
}


def main(rows: int) -> None:
    header = "STT,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Số CCCD,Đơn vị,Chức vụ\n"
    body = "".join(
        f"{i},Nông Thanh Hải {i},15/03/1980,Nam,Tày,0200{i:08d},xã Tú Đoạn,Bí thư\n"
        for i in range(1, rows + 1)
    )
    text = header + body
    started = time.perf_counter()
    sum(1 for _ in csv.reader(io.StringIO(text, newline="")))
    baseline = time.perf_counter() - started
    print(f"csv.reader baseline: {baseline:.2f} s for {rows:,} rows")
    for label, data in (
        ("utf-8", text.encode()),
        ("tcvn3", encode_legacy_vietnamese(text, "tcvn3")),
    ):
        started = time.perf_counter()
        table = read_table(data, "bench.csv", ALIASES)
        elapsed = time.perf_counter() - started
        # Memory in a second pass: tracemalloc slows the reading down several times.
        tracemalloc.start()
        read_table(data, "bench.csv", ALIASES)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"{label:6} {len(table.rows):,} rows: {elapsed:.2f} s "
            f"({rows / elapsed:,.0f} rows/s, {elapsed / baseline:.1f}x csv.reader), "
            f"peak {peak:.0f} MB"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)

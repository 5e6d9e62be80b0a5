"""Excel files checked before they are parsed, and .xlsx sheets read as a stream of rows.

An .xlsx is a zip of XML. A reader that builds the sheet as one rectangle (calamine's ``Range``)
allocates rows x columns cells from the largest cell reference, so a 1.7 KB file with one cell
at ``XFD1048576`` asks for 17 billion cells and the process aborts, which Python cannot catch.
Here nothing is allocated per cell of a rectangle: the zip's directory is checked (entries,
uncompressed size, compression ratio) before any member is inflated, the declared dimension and
every cell reference are checked against :data:`MAX_COLUMNS` and Excel's own row limit, and the
sheet is parsed with lxml's ``iterparse`` one ``<row>`` at a time, each row freed once read. The
memory a sheet costs is its shared-string table (capped) plus the rows the caller keeps.

An .xls (BIFF) has no compression, but its cells may name any row up to 65,536 and column up to
256, and calamine builds the rectangle from the largest: :func:`check_xls` walks the cell records
of the file (no cell is built) and refuses a rectangle over :data:`MAX_XLS_CELLS`.

Messages are Vietnamese: they reach the user unchanged.
"""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
from array import array
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

# Column limit of an import file (Excel 2003's limit: no real list of cadres comes near it;
# a wide row costs memory in every row kept for the preview, so it must stay bounded).
MAX_COLUMNS = 256
EXCEL_MAX_ROWS = 1_048_576
# The zip: how many members, how many bytes once inflated, and how much smaller than that a
# member may be stored. Real .xlsx sheets deflate 5-30x; zip bombs, near 1000x.
MAX_ZIP_ENTRIES = 5_000
MAX_UNCOMPRESSED = 4 << 30
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20  # members smaller than this inflate to little whatever their ratio
# Every shared string is held in memory while the sheet is read.
MAX_SHARED_STRINGS_BYTES = 256 << 20
MAX_SMALL_PART_BYTES = 32 << 20  # workbook.xml, styles.xml, relationships
# calamine builds an .xls sheet as a rectangle of 32-byte cells.
MAX_XLS_CELLS = 4_000_000

_HEAD_SCAN = 64 << 10


class WorkbookError(ValueError):
    """The workbook is refused; the message is for the user (Vietnamese)."""


def column_name(number: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?(\d{1,8})")


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'B7' -> (7, 2) (row, column), both 1-based; None if not a cell reference."""
    match = _REF.fullmatch(ref.strip())
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def _too_far(filename: str, row: int, col: int, what: str) -> WorkbookError:
    ref = f"{column_name(col)}{row}" if col <= 20_000 else f"cột {col}, dòng {row}"
    if col > MAX_COLUMNS:
        limit = f"tối đa {MAX_COLUMNS} cột (đến cột {column_name(MAX_COLUMNS)})"
    else:
        limit = f"tối đa {EXCEL_MAX_ROWS:,} dòng".replace(",", ".")
    return WorkbookError(
        f"Tệp “{filename}” bị từ chối: {what} {ref} nằm ngoài giới hạn ({limit}). Hãy xóa các "
        "ô, cột, dòng thừa ở xa bảng dữ liệu (Ctrl+End cho biết ô cuối cùng) rồi lưu lại."
    )


def _check_cell(filename: str, row: int, col: int, what: str) -> None:
    if col > MAX_COLUMNS or row > EXCEL_MAX_ROWS or row < 1 or col < 1:
        raise _too_far(filename, row, col, what)


# --- The zip -------------------------------------------------------------------------------


def _refused_zip(filename: str, reason: str) -> WorkbookError:
    return WorkbookError(f"Tệp “{filename}” bị từ chối: {reason}.")


def _entry_count(source: BinaryIO) -> int | None:
    """Members announced by the end-of-directory record, read before ``ZipFile`` builds one
    object per member (a crafted directory could announce millions)."""
    source.seek(0, 2)
    size = source.tell()
    tail_size = min(size, 22 + 65_535)
    source.seek(size - tail_size)
    tail = source.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return struct.unpack_from("<H", tail, at + 10)[0]


def open_zip(source: BinaryIO, filename: str) -> zipfile.ZipFile:
    """The zip, once its directory says it cannot inflate into more than the limits."""
    count = _entry_count(source)
    if count is not None and count > MAX_ZIP_ENTRIES:
        raise _refused_zip(filename, f"tệp nén chứa quá nhiều thành phần ({count})")
    source.seek(0)
    try:
        book = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise WorkbookError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp hỏng: {exc})."
        ) from None
    members = book.infolist()
    if len(members) > MAX_ZIP_ENTRIES:
        raise _refused_zip(filename, f"tệp nén chứa quá nhiều thành phần ({len(members)})")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise _refused_zip(
            filename,
            f"khi giải nén, nội dung lên tới {total / (1 << 30):.1f} GB (tối đa "
            f"{MAX_UNCOMPRESSED >> 30} GB); hãy chia tệp hoặc lưu dạng CSV",
        )
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _refused_zip(
                filename,
                f"thành phần “{member.filename}” nén {ratio} lần (tối đa {MAX_RATIO} lần): "
                "tệp có dấu hiệu là “bom nén”",
            )
    return book


# --- Workbook parts --------------------------------------------------------------------------

_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False}


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _small_part(book: zipfile.ZipFile, name: str, filename: str) -> etree._Element | None:
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_SMALL_PART_BYTES:
        raise _refused_zip(filename, f"thành phần “{name}” quá lớn")
    with book.open(info) as member:
        data = member.read()
    try:
        return etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp hỏng: {exc})."
        ) from None


def _member_name(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


class SheetInfo:
    def __init__(self, name: str, member: str, visible: bool) -> None:
        self.name, self.member, self.visible = name, member, visible


def _workbook_part(book: zipfile.ZipFile, filename: str) -> str:
    root = _small_part(book, "_rels/.rels", filename)
    if root is not None:
        for rel in root:
            if rel.get("Type", "").endswith("/officeDocument"):
                return _member_name("", rel.get("Target", ""))
    return "xl/workbook.xml"


def sheets(book: zipfile.ZipFile, filename: str) -> tuple[list[SheetInfo], bool]:
    """The worksheets (visible first, in workbook order) and whether dates count from 1904."""
    part = _workbook_part(book, filename)
    workbook = _small_part(book, part, filename)
    if workbook is None:
        raise WorkbookError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (không có bảng tính)."
        )
    rels_name = _member_name(part, "_rels/" + part.rsplit("/", 1)[-1] + ".rels")
    rels = _small_part(book, rels_name, filename)
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/worksheet"):
                targets[rel.get("Id", "")] = _member_name(part, rel.get("Target", ""))
    date1904 = False
    found: list[SheetInfo] = []
    for element in workbook.iter():
        name = _local(element.tag)
        if name == "workbookPr":
            date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            if rid in targets:
                visible = element.get("state", "visible") == "visible"
                found.append(SheetInfo(element.get("name", ""), targets[rid], visible))
    found.sort(key=lambda sheet: not sheet.visible)
    return found, date1904


# Built-in number formats that show a date or a time (ECMA-376 18.8.30, plus the East Asian ids).
_DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_TIME_ONLY_IDS = frozenset([18, 19, 20, 21, 45, 46, 47])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|_.|\*.|\[(?!h\]|m\]|s\])[^\]]*\]', re.IGNORECASE)


def _format_kind(code: str) -> str | None:
    """'date', 'time', 'duration' or None for a custom number format."""
    text = _FORMAT_NOISE.sub("", code.split(";")[0]).lower()
    if re.search(r"\[[hms]\]", text):
        return "duration"
    if re.search(r"[dy]", text):
        return "date"
    if re.search(r"[hs]", text) or "am/pm" in text:
        return "time"
    return None


def date_styles(book: zipfile.ZipFile, filename: str) -> dict[int, str]:
    """Cell style index -> 'date', 'time' or 'duration' for the styles that show one."""
    root = _small_part(book, "xl/styles.xml", filename)
    if root is None:
        return {}
    custom: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for element in root.iter():
        if _local(element.tag) == "numFmt":
            kind = _format_kind(element.get("formatCode", ""))
            if kind:
                custom[int(element.get("numFmtId", "0") or 0)] = kind
    for element in root:
        if _local(element.tag) != "cellXfs":
            continue
        for index, xf in enumerate(element):
            fmt = int(xf.get("numFmtId", "0") or 0)
            if fmt in custom:
                kinds[index] = custom[fmt]
            elif fmt in _DATE_FORMAT_IDS:
                kinds[index] = "time" if fmt in _TIME_ONLY_IDS else "date"
    return kinds


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


class SharedStrings:
    """The shared-string table, stored as one joined text per block of strings with their
    offsets, so a large table costs about its text rather than a Python object per string."""

    _BLOCK = 1 << 14

    def __init__(self) -> None:
        self.blocks: list[tuple[str, array]] = []
        self.pending: list[str] = []
        self.count = 0

    def append(self, text: str) -> None:
        self.pending.append(text)
        self.count += 1
        if len(self.pending) == self._BLOCK:
            self._seal()

    def _seal(self) -> None:
        offsets = array("L", [0])
        total = 0
        for text in self.pending:
            total += len(text)
            offsets.append(total)
        self.blocks.append(("".join(self.pending), offsets))
        self.pending = []

    def finish(self) -> SharedStrings:
        if self.pending:
            self._seal()
        return self

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < self.count:
            return ""
        text, offsets = self.blocks[index >> 14]
        at = index & (self._BLOCK - 1)
        return text[offsets[at] : offsets[at + 1]]


def shared_strings(book: zipfile.ZipFile, filename: str) -> SharedStrings:
    table = SharedStrings()
    name = next(
        (n for n in ("xl/sharedStrings.xml", "xl/SharedStrings.xml") if n in book.NameToInfo),
        None,
    )
    if name is None:
        return table.finish()
    info = book.getinfo(name)
    if info.file_size > MAX_SHARED_STRINGS_BYTES:
        raise _refused_zip(
            filename,
            f"bảng chữ dùng chung của tệp quá lớn ({info.file_size >> 20} MB khi giải nén, tối "
            f"đa {MAX_SHARED_STRINGS_BYTES >> 20} MB); hãy lưu tệp dạng CSV UTF-8 rồi nhập",
        )
    # Events on each <t>, each dropped once read: a string of a million runs costs no more
    # memory than its text.
    parts: list[str] = []
    with book.open(info) as member:
        for _, element in _iterparse(member, ("si", "t"), filename):
            if _local(element.tag) == "si":
                table.append(_unescape("".join(parts)))
                parts = []
                _free(element)
                continue
            parent = element.getparent()
            kind = _local(parent.tag) if parent is not None else ""
            if kind != "rPh" and not (kind == "r" and _local(parent.getparent().tag) == "rPh"):
                parts.append(element.text or "")
            if kind == "r":
                _free(parent)
            else:
                _free(element)
    return table.finish()


def _iterparse(member, tags: str | tuple[str, ...], filename: str):
    tags = (tags,) if isinstance(tags, str) else tags
    events = etree.iterparse(
        member, events=("end",), tag=[f"{{*}}{tag}" for tag in tags], **_PARSER_OPTIONS
    )
    try:
        yield from events
    except etree.XMLSyntaxError as exc:
        raise WorkbookError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp hỏng: {exc})."
        ) from None


def _free(element: etree._Element) -> None:
    """Drop a parsed element and the siblings before it, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


# --- A worksheet ---------------------------------------------------------------------------

_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")
_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=\"([^\"]*)\"")
_ROW_START = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")
# The sheet is parsed a <row> at a time and each row freed; what lies outside the rows (column
# widths before, merged cells and links after) is kept by the parser until the end. Each part
# is bounded in bytes, so in memory: a real row is a few kilobytes, its part of the rest less.
MAX_ROW_BYTES = 4 << 20
MAX_OUTSIDE_ROWS_BYTES = 8 << 20
MAX_MERGED = 100_000


def scan_sheet(
    book: zipfile.ZipFile, member: str, filename: str
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Check the sheet's declared dimension, and return its merged ranges (0-based, as
    calamine gives them), reading the inflated XML once as bytes, without parsing it."""
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
    carry = b""
    offset = 0  # position in the inflated XML of data[0]
    last_row: int | None = None  # where the last <row> started
    rows_end: int | None = None  # where </sheetData> is
    with book.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = carry + chunk
            if offset == 0 and (match := _DIMENSION.search(data[:_HEAD_SCAN])):
                for ref in match.group(1).decode("ascii", "replace").split(":"):
                    cell = parse_ref(ref)
                    if cell:
                        _check_cell(filename, *cell, "vùng dữ liệu khai báo đến ô")
            seen = 0
            for match in _MERGE.finditer(data):
                seen = match.end()
                refs = match.group(1).decode("ascii", "replace").split(":")
                start, stop = parse_ref(refs[0]), parse_ref(refs[-1])
                if start and stop:
                    merged.append(((start[0] - 1, start[1] - 1), (stop[0] - 1, stop[1] - 1)))
            if len(merged) > MAX_MERGED:
                raise _refused_zip(filename, f"bảng tính có hơn {MAX_MERGED} vùng ô gộp")
            for match in _ROW_START.finditer(data):
                at = offset + match.start()
                if last_row is not None and at > last_row:
                    _check_row_size(filename, at - last_row)
                elif last_row is None and at > MAX_OUTSIDE_ROWS_BYTES:
                    raise _outside_rows(filename)
                last_row = max(at, last_row or 0)
                seen = max(seen, match.end())
            if rows_end is None and (match := _SHEET_DATA_END.search(data)):
                rows_end = offset + match.start()
                if last_row is not None:
                    _check_row_size(filename, rows_end - last_row)
            position = offset + len(data)
            if last_row is not None and rows_end is None:
                _check_row_size(filename, position - last_row)
            if rows_end is not None and position - rows_end > MAX_OUTSIDE_ROWS_BYTES:
                raise _outside_rows(filename)
            if last_row is None and position > MAX_OUTSIDE_ROWS_BYTES:
                raise _outside_rows(filename)
            keep = max(seen, len(data) - 512)
            carry = data[keep:]
            offset += keep
    return merged


def _check_row_size(filename: str, size: int) -> None:
    if size > MAX_ROW_BYTES:
        raise _refused_zip(
            filename,
            f"một dòng của bảng tính chiếm {size >> 20} MB khi giải nén (tối đa "
            f"{MAX_ROW_BYTES >> 20} MB): tệp không phải danh sách thông thường",
        )


def _outside_rows(filename: str) -> WorkbookError:
    return _refused_zip(
        filename,
        f"phần ngoài các dòng dữ liệu của bảng tính quá lớn (tối đa "
        f"{MAX_OUTSIDE_ROWS_BYTES >> 20} MB khi giải nén)",
    )


Cell = str | float | bool | datetime.datetime | datetime.time | datetime.timedelta | None

_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)


def _date_value(number: float, kind: str, date1904: bool) -> Cell:
    if kind == "duration":
        return datetime.timedelta(days=number)
    if kind == "time" and 0 <= number < 1:
        seconds = round(number * 86400)
        if seconds >= 86400:
            return datetime.time(0)
        return datetime.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    if not date1904 and number < 60:
        epoch += datetime.timedelta(days=1)  # Excel's 29/02/1900 that never was
    try:
        stamp = epoch + datetime.timedelta(milliseconds=round(number * 86_400_000))
    except OverflowError:
        return number
    return stamp


def sheet_rows(
    book: zipfile.ZipFile,
    member: str,
    filename: str,
    strings: SharedStrings,
    styles: dict[int, str],
    date1904: bool,
) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells from column A) for each row in the sheet's XML, in file order. A
    cell with a value beyond the limits refuses the file; cells without a value are ignored."""
    expected = 0
    columns: dict[str, int] = {}  # "AB" -> 28, for the few distinct column letters
    with book.open(member) as stream:
        names: tuple[str, str, str] | None = None
        for _, row in _iterparse(stream, "row", filename):
            if names is None:
                ns = row.tag[: -len("row")]
                names = (f"{ns}c", f"{ns}v", f"{ns}is")
            c_tag, v_tag, is_tag = names
            number = row.get("r")
            expected = int(number) if number and number.isdigit() else expected + 1
            if expected > EXCEL_MAX_ROWS:
                raise _too_far(filename, expected, 1, "dòng")
            cells: list[Cell] = []
            col = 0
            for c in row:
                if c.tag != c_tag:
                    continue
                ref = c.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    found = columns.get(letters)
                    if found is None:
                        found = column_number(letters) if letters.isalpha() else col + 1
                        if len(columns) < 20_000:
                            columns[letters] = found
                    col = found
                else:
                    col += 1
                kind = c.get("t")
                raw = inline = None
                for child in c:
                    if child.tag == v_tag:
                        raw = child.text
                    elif child.tag == is_tag:
                        inline = _rich_text(child)
                if kind == "inlineStr":
                    value: Cell = _unescape(inline) if inline else None
                elif raw is None:
                    continue
                elif kind == "s":
                    value = strings[int(raw)] if raw.isdigit() else None
                elif kind is None or kind == "n":
                    value = _number(raw, c.get("s"), styles, date1904)
                else:
                    value = _typed_value(kind, raw)
                if value is None or value == "":
                    continue
                if col > MAX_COLUMNS:
                    raise _too_far(filename, expected, col, "ô có dữ liệu")
                if col > len(cells):
                    cells.extend([None] * (col - len(cells)))
                cells[col - 1] = value
            _free(row)
            yield expected, cells


def _rich_text(element) -> str:
    """The text of an <si> or <is>: its <t>, or the <t> of each run; phonetic runs skipped."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for piece in child:
                if _local(piece.tag) == "t":
                    parts.append(piece.text or "")
    return "".join(parts)


def _number(raw: str, style: str | None, styles: dict[int, str], date1904: bool) -> Cell:
    try:
        number = float(raw)
    except ValueError:
        return raw
    if style and styles:
        date_kind = styles.get(int(style) if style.isdigit() else -1)
        if date_kind:
            return _date_value(number, date_kind, date1904)
    return number


def _typed_value(kind: str, raw: str) -> Cell:
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        try:
            return datetime.datetime.fromisoformat(raw.strip())
        except ValueError:
            return raw
    return _unescape(raw)  # "str" (a formula's text), "e" (#N/A...)


# --- .xls -------------------------------------------------------------------------------------

# BIFF records holding cells; each starts with the row and column (two 16-bit numbers).
_XLS_CELL_RECORDS = frozenset(
    {0x0203, 0x0204, 0x00FD, 0x027E, 0x0201, 0x0205, 0x0006, 0x0406, 0x00D6, 0x00BD, 0x00BE}
    | {0x0001, 0x0002, 0x0003, 0x0004, 0x0005}  # BIFF2 cells
)
_XLS_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: first column .. last column (at the end)
_XLS_BOF = {0x0809, 0x0409, 0x0209, 0x0009}


def check_xls(data: bytes, filename: str) -> None:
    """Refuse an .xls whose cells span a rectangle too large to build, before calamine (or
    xlrd) is given it. Reads the workbook stream's record headers only."""
    stream = _xls_workbook_stream(data)
    if stream is None:
        return  # not an OLE file we can walk: the readers will say it is broken
    size = len(stream)
    at = 0
    max_row = max_col = 0
    while at + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, at)
        body = at + 4
        at = body + length
        if kind in _XLS_BOF:  # a new sheet: each is built as its own rectangle
            max_row = max_col = 0
        if kind not in _XLS_CELL_RECORDS or length < 4 or at > size:
            continue
        row, col = struct.unpack_from("<HH", stream, body)
        if kind in _XLS_MULTI and length >= 6:
            col = struct.unpack_from("<H", stream, at - 2)[0]
        max_row = max(max_row, row + 1)
        max_col = max(max_col, col + 1)
        if max_col > MAX_COLUMNS:
            raise _too_far(filename, row + 1, col + 1, "ô")
        if max_row * max_col > MAX_XLS_CELLS:
            break
    if max_row * max_col > MAX_XLS_CELLS:
        raise WorkbookError(
            f"Tệp “{filename}” bị từ chối: bảng tính trải trên {max_row} dòng × {max_col} cột, "
            f"quá lớn để đọc dạng .xls (tối đa {MAX_XLS_CELLS:,} ô). Hãy xóa các ô thừa ở xa "
            "bảng dữ liệu, hoặc lưu lại dạng .xlsx hay CSV UTF-8.".replace(",", ".")
        )


def _xls_workbook_stream(data: bytes) -> bytes | None:
    try:
        from xlrd import compdoc

        doc = compdoc.CompDoc(data, logfile=_Silent())
        for name in ("Workbook", "Book"):
            stream = doc.get_named_stream(name)
            if stream:
                return bytes(stream)
    except Exception:
        return None
    return None


class _Silent:
    def write(self, _text: str) -> None:
        pass


# --- .ods -------------------------------------------------------------------------------------

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CELLS = {f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"}


def check_ods(data: bytes, filename: str) -> None:
    """Refuse an .ods whose zip could inflate past the limits (as an .xlsx), or whose cells
    holding a value span a rectangle over :data:`MAX_XLS_CELLS`, before calamine builds it.
    ``content.xml`` is walked one row at a time; repeated empty rows and cells (LibreOffice
    writes a sheet's unused area so) do not count, repeated cells with a value do."""
    book = open_zip(io.BytesIO(data), filename)
    try:
        content = book.open("content.xml")
    except KeyError:
        return  # not a spreadsheet we can walk: the reader will say it is broken
    max_row = max_col = row = 0
    events = etree.iterparse(content, events=("start", "end"), huge_tree=False)
    try:
        for event, element in events:
            tag = element.tag
            if event == "start" and tag == f"{_ODS_TABLE}table":
                max_row = max_col = row = 0  # each sheet is built as its own rectangle
            if event != "end" or tag != f"{_ODS_TABLE}table-row":
                continue
            repeat = _repeat(element, "rows")
            col = last = 0
            for cell in element:
                if cell.tag not in _ODS_CELLS:
                    continue
                col += _repeat(cell, "columns")
                if cell.get(f"{_ODS_OFFICE}value-type") or len(cell):
                    last = col
            if last:
                max_row, max_col = row + repeat, max(max_col, last)
                if max_col > MAX_COLUMNS:
                    raise _too_far(filename, max_row, max_col, "ô")
                if max_row * max_col > MAX_XLS_CELLS:
                    raise WorkbookError(
                        f"Tệp “{filename}” bị từ chối: bảng tính trải trên {max_row} dòng × "
                        f"{max_col} cột, quá lớn để đọc dạng .ods (tối đa {MAX_XLS_CELLS:,} ô). "
                        "Hãy xóa các ô thừa ở xa bảng dữ liệu, hoặc lưu lại dạng .xlsx hay CSV "
                        "UTF-8.".replace(",", ".")
                    )
            row += repeat
            element.clear()
            while element.getprevious() is not None:  # the sheet keeps no row read
                del element.getparent()[0]
    except etree.XMLSyntaxError:
        return  # broken: the reader refuses it with its own reason


def _repeat(element, what: str) -> int:
    value = element.get(f"{_ODS_TABLE}number-{what}-repeated", "1")
    return int(value) if value.isdigit() else 1

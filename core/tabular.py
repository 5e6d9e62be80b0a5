"""Turn an uploaded file (CSV or Excel) into a clean table of text cells.

This is the front end of the importer and deliberately knows nothing about Django.
It copes with the files Vietnamese communes and provinces really send:

* CSV in UTF-8 (with or without BOM), UTF-16 with BOM ("Unicode Text" from Excel),
  Windows-1258, and the pre-Unicode TCVN3 (ABC, .VnTime fonts) and VNI-Windows
  encodings; the delimiter (comma, semicolon or tab) is detected.
* .xlsx / .xls (and .ods) read with python-calamine: title rows above the table,
  two header rows with merged cells, a row of column numbers, blank rows and a
  totals row are all handled.

The file type is decided by content, never by extension.  Messages meant for the
user are in Vietnamese.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from typing import BinaryIO

from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from core import workbooks
from core.text import fold

__all__ = [
    "SourceRow",
    "Table",
    "TableError",
    "decode_legacy_vietnamese",
    "encode_legacy_vietnamese",
    "fold",
    "normalise_cccd",
    "normalise_text",
    "open_table",
    "parse_date",
    "read_table",
]


@dataclass(frozen=True)
class SourceRow:
    line: int  # 1-based line (CSV: physical line where the record starts) or sheet row
    values: dict[str, str]  # canonical column key -> cleaned text ('' for empty)
    # The cells of the columns not recognised, as read (Table.cells puts the row back together).
    extra: Sequence[str] = field(default=(), compare=False, repr=False)


@dataclass
class Table:
    headers: list[str]  # original header texts as found, in file order
    columns: dict[str, str]  # original header text -> canonical key (recognised only)
    unknown_headers: list[str]
    # Data rows only (blank, column-number and totals rows removed): a list from read_table,
    # a one-pass iterator from open_table.
    rows: list[SourceRow] | Iterator[SourceRow]
    encoding: str  # 'utf-8', 'utf-8-sig', 'utf-16', 'cp1258', 'tcvn3', 'vni', 'xlsx', 'xls'...
    delimiter: str | None
    keys: list[str | None] = field(default_factory=list, repr=False)  # per header, or None
    clean: Callable[[str], str] = field(default=lambda text: text, repr=False, compare=False)

    def cells(self, row: SourceRow) -> list[tuple[str, str]]:
        """(header, text) for every column of ``row`` in the file's order, the columns the
        importer does not know included, so that a rejected row can be sent back whole."""
        extra = iter(row.extra)
        cells = [
            (header, row.values.get(key, "") if key else self.clean(next(extra, "")))
            for header, key in zip(self.headers, self.keys, strict=True)
        ]
        tail = [self.clean(cell) for cell in extra]  # cells right of the last header
        while tail and not tail[-1]:
            tail.pop()
        return cells + [("", cell) for cell in tail]


class TableError(ValueError):
    """The file cannot be turned into a table; the message is for the user (Vietnamese)."""


class TooManyRows(TableError):
    """More data rows than the caller allows (read_table's ``max_rows``)."""

    def __init__(self, filename: str, limit: int) -> None:
        super().__init__(f"Tệp “{filename}” có hơn {limit} dòng dữ liệu.")
        self.limit = limit


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

# Invisible characters removed from every cell (zero-width, BOM, soft hyphen).
_CLEAN_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Icelandic eth is a frequent look-alike of Vietnamese Đ in converted data.
_CLEAN_CHARS.update({0x00D0: "\u0110", 0x00F0: "\u0111"})
_NEEDS_TRANSLATE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u00d0\u00f0]")


def normalise_text(value: str) -> str:
    """NFC, drop zero-width chars, Ð/ð -> Đ/đ, any whitespace run (NBSP too) -> one space."""
    if value.isascii():
        if "  " not in value and value == value.strip() and not _has_ascii_control_ws(value):
            return value
        return " ".join(value.split())
    if _NEEDS_TRANSLATE.search(value):
        value = value.translate(_CLEAN_CHARS)
    value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def _has_ascii_control_ws(value: str) -> bool:
    return "\t" in value or "\n" in value or "\r" in value or "\x0b" in value or "\x0c" in value


# ---------------------------------------------------------------------------
# Legacy Vietnamese encodings (TCVN3 / VNI-Windows)
# ---------------------------------------------------------------------------
#
# Both encodings are 8-bit and were used with special fonts, so the files look like
# cp1252 text.  The tables below are data: they map a Unicode letter to its byte(s),
# written as the cp1252 characters those bytes decode to.
#
# Tone order in every row: huyền (grave), hỏi (hook), ngã (tilde), sắc (acute), nặng (dot).
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

# TCVN3 (TCVN 5712:1993 VN3, the "ABC" .VnTime fonts): one byte per letter.
# Base vowel -> (untoned code or '' if ASCII, five toned codes).
_TCVN3_VOWELS: dict[str, tuple[str, str]] = {
    "a": ("", "\xb5\xb6\xb7\xb8\xb9"),
    "ă": ("\xa8", "\xbb\xbc\xbd\xbe\xc6"),
    "â": ("\xa9", "\xc7\xc8\xc9\xca\xcb"),
    "e": ("", "\xcc\xce\xcf\xd0\xd1"),
    "ê": ("\xaa", "\xd2\xd3\xd4\xd5\xd6"),
    "i": ("", "\xd7\xd8\xdc\xdd\xde"),
    "o": ("", "\xdf\xe1\xe2\xe3\xe4"),
    "ô": ("\xab", "\xe5\xe6\xe7\xe8\xe9"),
    "ơ": ("\xac", "\xea\xeb\xec\xed\xee"),
    "u": ("", "\xef\xf1\xf2\xf3\xf4"),
    "ư": ("\xad", "\xf5\xf6\xf7\xf8\xf9"),
    "y": ("", "\xfa\xfb\xfc\xfd\xfe"),
}
# The only uppercase letters TCVN3 (VN3) can express besides plain ASCII.
_TCVN3_UPPER = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6"}
_TCVN3_D = {"đ": "\xae", "Đ": "\xa7"}
# NOTE on TCVN3 upper case: VN3 has no codes for upper-case *toned* vowels (Ấ, Ệ, Ỗ...).
# Typists wrote upper-case text with the .VnTimeH font, which draws the lower-case codes as
# capitals, so the bytes of "NGUYỄN" are "NGUYÔN" (ễ's code).  The font is not in a CSV
# or a cell value, so case is restored heuristically: a word with a toned code, at least
# two capital ASCII letters and no small one is upper-cased ("NGUYÔN" -> "NGUYỄN"); if the
# cell has such a word and no small ASCII letter at all, the whole cell is upper-cased
# ("Hµ NéI" -> "HÀ NỘI").  A lone short word ("Hå" = "HỒ" or "Hồ"?) and a capital toned
# vowel starting a word in mixed-case text ("¸nh" for "Ánh") cannot be told apart from
# lower case and stay lower case.

# VNI-Windows: a base letter followed by a modifier byte; a few letters are one byte.
_VNI_TONES = ("\xf8", "\xfb", "\xf5", "\xf9", "\xef")  # ø û õ ù ï
_VNI_CIRCUMFLEX = ("\xe2", "\xe0\xe5\xe3\xe1\xe4")  # â ; à å ã á ä
_VNI_BREVE = ("\xea", "\xe8\xfa\xfc\xe9\xeb")  # ê ; è ú ü é ë
_VNI_HORN = {"o": "\xf4", "u": "\xf6"}  # ô = ơ, ö = ư (tone byte follows)
_VNI_I = "\xec\xe6\xf3\xed\xf2"  # ì æ ó í ò: i with each tone, one byte
_VNI_Y_DOT = "\xee"  # î: ỵ is one byte
_VNI_D = "\xf1"  # ñ: đ


def _compose(base: str, tone: int | None) -> str:
    mark = _TONE_MARKS[tone] if tone is not None else ""
    return unicodedata.normalize("NFC", base + mark)


def _tcvn3_encoding_map() -> dict[str, str]:
    """Unicode letter -> TCVN3 character (as cp1252 text); upper toned -> lower code."""
    table: dict[str, str] = {**_TCVN3_UPPER, **_TCVN3_D}
    for base, (plain, toned) in _TCVN3_VOWELS.items():
        if plain:
            table[base] = plain
        for tone, code in enumerate(toned):
            table[_compose(base, tone)] = code
            table.setdefault(_compose(base, tone).upper(), code)
    return table


def _vni_letter(letter: str) -> str:
    """VNI-Windows spelling (as cp1252 text) of one Vietnamese letter."""
    upper = letter.isupper()
    decomposed = unicodedata.normalize("NFD", letter.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = next((i for i, m in enumerate(_TONE_MARKS) if m in marks), None)
    if base == "đ":
        out = _VNI_D
    elif base == "i":
        out = "i" if tone is None else _VNI_I[tone]
    elif base == "y" and tone == 4:
        out = _VNI_Y_DOT
    elif "\u031b" in marks:  # horn: ơ ư
        out = _VNI_HORN[base] + ("" if tone is None else _VNI_TONES[tone])
    elif "\u0302" in marks:  # circumflex: â ê ô
        out = base + (_VNI_CIRCUMFLEX[0] if tone is None else _VNI_CIRCUMFLEX[1][tone])
    elif "\u0306" in marks:  # breve: ă
        out = base + (_VNI_BREVE[0] if tone is None else _VNI_BREVE[1][tone])
    else:
        out = base + ("" if tone is None else _VNI_TONES[tone])
    return out.upper() if upper else out


def vietnamese_letters() -> list[str]:
    """All 134 non-ASCII Vietnamese letters (67 lower-case, 67 upper-case)."""
    lower = ["đ"]
    for base in _TCVN3_VOWELS:
        if not base.isascii():
            lower.append(base)
        lower.extend(_compose(base, tone) for tone in range(5))
    return lower + [letter.upper() for letter in lower]


_TCVN3_ENCODE = _tcvn3_encoding_map()
_TCVN3_DECODE = {ord(code): letter for letter, code in _TCVN3_ENCODE.items() if letter.islower()}
_TCVN3_DECODE.update({ord(code): letter for letter, code in _TCVN3_UPPER.items()})
_TCVN3_DECODE[ord(_TCVN3_D["Đ"])] = "Đ"
_TCVN3_LOWER_CODES = frozenset(code for letter, code in _TCVN3_ENCODE.items() if letter.islower())

_VNI_ENCODE = {letter: _vni_letter(letter) for letter in vietnamese_letters()}
_VNI_DECODE: dict[str, str] = {}
for _letter, _code in _VNI_ENCODE.items():
    _VNI_DECODE[_code] = _letter
    if len(_code) == 2:  # tolerate a modifier byte typed in the other case
        _VNI_DECODE.setdefault(_code[0] + _code[1].swapcase(), _letter)
_VNI_RE = re.compile("|".join(map(re.escape, sorted(_VNI_DECODE, key=len, reverse=True))))
del _letter, _code

# Characters that only appear in real Unicode Vietnamese, never in cp1252-decoded
# TCVN3/VNI: such cells are left alone.
_UNICODE_VIETNAMESE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0"
    "\u1ea0-\u1ef9\u0300-\u0323]"
)
_UPPER_ASCII = re.compile("[A-Z]")
_LOWER_ASCII = re.compile("[a-z]")
_WORD = re.compile(r"\S+")


def _decode_tcvn3(text: str) -> str:
    out = text.translate(_TCVN3_DECODE)
    if not _UPPER_ASCII.search(text):
        return out
    capital_words = [_is_capital_tcvn3_word(w) for w in text.split()]
    if not any(capital_words):
        return out
    if not _LOWER_ASCII.search(text):
        return out.upper()  # the whole cell was typed in capitals (.VnTimeH)
    return _WORD.sub(_tcvn3_word, text)


def _is_capital_tcvn3_word(word: str) -> bool:
    """Two or more capital ASCII letters, no small one, and a (lower-case) toned code."""
    return (
        not _LOWER_ASCII.search(word)
        and len(_UPPER_ASCII.findall(word)) >= 2
        and any(ch in _TCVN3_LOWER_CODES for ch in word)
    )


def _tcvn3_word(match: re.Match[str]) -> str:
    word = match.group()
    out = word.translate(_TCVN3_DECODE)
    return out.upper() if _is_capital_tcvn3_word(word) else out


def _decode_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: _VNI_DECODE[m.group()], text)


_DECODERS: dict[str, Callable[[str], str]] = {"tcvn3": _decode_tcvn3, "vni": _decode_vni}


def _legacy_cell(scheme: str) -> Callable[[str], str]:
    """Per-cell converter for a file detected as `scheme`; real Unicode cells are kept."""
    decode = _DECODERS[scheme]

    def convert(text: str) -> str:
        if text.isascii() or _UNICODE_VIETNAMESE.search(text):
            return text
        return decode(text)

    return convert


def encode_legacy_vietnamese(text: str, scheme: str) -> bytes:
    """Encode Unicode text as TCVN3 ('tcvn3') or VNI-Windows ('vni') bytes.

    Used to build test files.  TCVN3 has no upper-case toned vowels: they are written
    with the lower-case code, as .VnTimeH users did.
    """
    table = _TCVN3_ENCODE if scheme == "tcvn3" else _VNI_ENCODE
    text = unicodedata.normalize("NFC", text)
    return "".join(table.get(ch, ch) for ch in text).encode("cp1252")


# --- Scoring: how Vietnamese does a text look? -------------------------------------

_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_NUCLEUS = (
    "uyê|uya|uyu|ươi|ươu|iêu|yêu|oai|oay|oao|oeo|uây|uôi|"
    "ươ|uô|iê|yê|ia|ua|ưa|ai|ao|au|ay|âu|ây|eo|êu|iu|oa|oă|oe|oi|ôi|ơi|oo|uâ|uê|ui|uơ|uy|ưi|ưu|"
    "[aăâeêioôơuưy]"
)
_SYLLABLE = re.compile(f"(?:{_ONSET})?(?:{_NUCLEUS})(?:ch|ng|nh|[cmnpt])?")
_DROP_TONES = dict.fromkeys(map(ord, _TONE_MARKS))
# Tokens: split on whitespace, ASCII punctuation and digits only, so that garbage such as
# "V¨n" stays one (invalid) token.
_TOKEN_SPLIT = re.compile(r"[\s!-@\[-`{-~]+")
_SAMPLE_CHARS = 65536


def _is_syllable(token: str) -> bool:
    word = token.lower()
    if not word.isascii():
        decomposed = unicodedata.normalize("NFD", word)
        if sum(decomposed.count(mark) for mark in _TONE_MARKS) > 1:
            return False
        word = unicodedata.normalize("NFC", decomposed.translate(_DROP_TONES))
    return _SYLLABLE.fullmatch(word) is not None


def _score(tokens: Iterable[str], convert: Callable[[str], str] | None = None) -> int:
    if convert is None:
        return sum(1 for t in tokens if _is_syllable(t))
    return sum(1 for t in tokens if _is_syllable(convert(t)))


def _tokens(text: str, *, unicode_too: bool = False) -> set[str]:
    """Distinct non-ASCII words of a sample; those already in Unicode Vietnamese (which a
    legacy conversion leaves alone) only when `unicode_too`."""
    return {
        token
        for token in _TOKEN_SPLIT.split(text[:_SAMPLE_CHARS])
        if not token.isascii() and (unicode_too or not _UNICODE_VIETNAMESE.search(token))
    }


def _detect_legacy(text: str) -> str | None:
    """'tcvn3' or 'vni' if converting makes clearly more words Vietnamese, else None."""
    tokens = _tokens(text)
    if not tokens:
        return None
    best, best_score = None, _score(tokens)
    for scheme in _DECODERS:
        score = _score(tokens, _legacy_cell(scheme))
        if score > best_score:
            best, best_score = scheme, score
    return best


def decode_legacy_vietnamese(text: str) -> str:
    """TCVN3 or VNI text mis-decoded as cp1252 -> Unicode; other text is returned as is."""
    if text.isascii() or _UNICODE_VIETNAMESE.search(text):
        return text
    scheme = _detect_legacy(text)
    return _legacy_cell(scheme)(text) if scheme else text


# ---------------------------------------------------------------------------
# Dates and CCCD
# ---------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serials > 59 (after the fake 29/02/1900)
_SERIAL_MIN, _SERIAL_MAX = 10000, 80000  # 18/05/1927 .. 10/01/2119
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2,4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_MY = re.compile(r"(\d{1,2})[/.-](\d{4})")
# What spreadsheets and typing add around a day-first date: a 24-hour time after it (a date
# cell saved to CSV as "15/03/1980 00:00:00"), spaces around its separators, a final stop.
# A 12-hour time ("3/5/1980 12:00 AM") marks a month-first export: left to be refused.
_TIME_AFTER = re.compile(r"(?<=\d)\s+\d{1,2}:\d{2}(?::\d{2})?$")
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([/.-])\s*(?=\d)")
_WORDY = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_HINT = "(dùng dạng dd/mm/yyyy)"


def parse_date(
    value: str | float | int | datetime.date | datetime.datetime,
    *,
    allow_month_year: bool = False,
) -> datetime.date:
    """Parse a day-first date; raise ValueError with a Vietnamese message."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"Không hiểu ngày: {value} {_HINT}")
    if isinstance(value, int | float):
        return _from_serial(value, str(value))
    text = normalise_text(str(value))
    if not text:
        raise ValueError("Thiếu ngày.")
    return _parse_date_text(text, allow_month_year)


def _parse_date_text(text: str, allow_month_year: bool) -> datetime.date:
    text = _SPACED_SEPARATOR.sub(r"\1", _TIME_AFTER.sub("", text.rstrip(".,;")))
    digits = text[:-2] if text.endswith(".0") else text
    if digits.isdigit():
        if len(digits) == 4:
            need = "tháng và năm (mm/yyyy)" if allow_month_year else "ngày đầy đủ dd/mm/yyyy"
            raise ValueError(f"Ngày chỉ có năm ({digits}), cần {need}.")
        return _from_serial(int(digits), text)
    if m := _DMY.fullmatch(text):
        day, month, year = m.group(1), m.group(3), m.group(4)
        if len(year) != 4:
            raise ValueError(f"Năm phải đủ 4 chữ số: {text} {_HINT}")
        return _make_date(int(year), int(month), int(day), text)
    if m := _ISO.fullmatch(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if allow_month_year and (m := _MY.fullmatch(text)):
        return _make_date(int(m.group(2)), int(m.group(1)), 1, text, hint="(dùng dạng mm/yyyy)")
    if m := _WORDY.fullmatch(fold(text)):
        return _make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    raise ValueError(f"Không hiểu ngày: {text} {_HINT}")


def _from_serial(number: float, shown: str) -> datetime.date:
    if not _SERIAL_MIN <= number < _SERIAL_MAX:
        raise ValueError(f"Số {shown} không phải ngày Excel hợp lệ {_HINT}")
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def _make_date(year: int, month: int, day: int, shown: str, hint: str = _HINT) -> datetime.date:
    if not 1900 <= year <= 2100:
        raise ValueError(f"Ngày không hợp lệ: {shown} {hint}")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày không hợp lệ: {shown} {hint}") from None


_TWO_ZERO_PROVINCES = frozenset("12468")  # 001 002 004 006 008
_CCCD_JUNK = str.maketrans("", "", " .-'\"=\u00a0")


def normalise_cccd(value: str | int | float) -> str:
    """12-digit CCCD / personal id; restore a leading zero lost when typed as a number."""
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Số CCCD không hợp lệ: {value} (phải gồm đúng 12 chữ số)")
        value = int(value)
    text = normalise_text(str(value))
    if re.search(r"\d[eE]\+?\d", text):
        raise ValueError(
            f"Số CCCD bị Excel đổi sang dạng số mũ ({text}); hãy định dạng cột là Text "
            "và nhập lại đủ 12 chữ số."
        )
    if text.endswith(".0"):
        text = text[:-2]
    digits = text.translate(_CCCD_JUNK)
    # Every CCCD starts with its province code, 001 to 096: a number cell loses one leading
    # zero, or two for the provinces 001-009 (Hà Nội 001, Hà Giang 002, Cao Bằng 004, ...).
    if len(digits) == 11 and digits.isdigit():
        digits = "0" + digits
    elif len(digits) == 10 and digits.isdigit() and digits[0] in _TWO_ZERO_PROVINCES:
        digits = "00" + digits
    if len(digits) != 12 or not digits.isdigit():
        raise ValueError(f"Số CCCD không hợp lệ: {text} (phải gồm đúng 12 chữ số)")
    return digits


# ---------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------

_HEADER_SCAN_ROWS = 30
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOM_UTF32 = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_BOM_UTF16 = (b"\xff\xfe", b"\xfe\xff")

Cell = str | int | float | bool | datetime.date | datetime.time | datetime.timedelta | None


Mapping = dict[str, str] | Callable[[list[str]], dict[str, str] | None]


def read_table(
    data: bytes | BinaryIO,
    filename: str,
    aliases: dict[str, list[str]],
    mapping: Mapping | None = None,
    *,
    max_rows: int | None = None,
) -> Table:
    """Read an uploaded CSV/Excel file; raise TableError (Vietnamese) if impossible.

    ``mapping`` overrides the aliases for some headers (folded header text -> column key, or
    "" for a column not used): a dict, or a function given the header row found that returns
    one (an import profile remembered for that set of headers) or None.

    With ``max_rows``, reading stops at the first data row past it and TooManyRows is raised:
    a file over the limit costs no more than the limit."""
    table = open_table(data, filename, aliases, mapping)
    if max_rows is None:
        table.rows = list(table.rows)
    else:
        table.rows = list(islice(table.rows, max_rows + 1))
        if len(table.rows) > max_rows:
            raise TooManyRows(filename, max_rows)
    return table


def open_table(
    data: bytes | BinaryIO,
    filename: str,
    aliases: dict[str, list[str]],
    mapping: Mapping | None = None,
) -> Table:
    """The file's header and encoding, with its rows as an iterator read from the file as
    they are consumed: memory stays flat whatever the file's size. A seekable binary file
    (or bytes). A problem found further in the file raises TableError while iterating."""
    source = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    source.seek(0)
    head = source.read(1 << 16)
    if len(head) < 1 << 16 and not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise TableError(f"Tệp “{filename}” trống, không có dữ liệu.")
    source.seek(0)
    index = _AliasIndex(aliases)
    if isinstance(mapping, dict):
        index.overrides = dict(mapping)
    elif mapping is not None:
        index.profile = mapping
    try:
        if head.startswith(_ZIP_MAGIC):
            if head[30:38] == b"mimetype":
                return _read_workbook(_small_file(source, filename), filename, index, "ods")
            return _read_xlsx(source, filename, index)
        if head.startswith(_OLE_MAGIC):
            return _read_workbook(_small_file(source, filename), filename, index, "xls")
    except workbooks.WorkbookError as error:
        raise TableError(str(error)) from None
    return _read_text(source, filename, index)


# .xls and .ods are read whole by calamine; neither format holds a million-row list.
_MAX_WHOLE_FILE = 256 << 20


def _small_file(source: BinaryIO, filename: str) -> bytes:
    data = source.read(_MAX_WHOLE_FILE + 1)
    if len(data) > _MAX_WHOLE_FILE:
        raise TableError(
            f"Tệp “{filename}” quá lớn cho định dạng .xls/.ods (tối đa "
            f"{_MAX_WHOLE_FILE >> 20} MB); hãy lưu lại dạng .xlsx hoặc CSV UTF-8."
        )
    return data


# --- Header matching ------------------------------------------------------------------


class _AliasIndex:
    def __init__(self, aliases: dict[str, list[str]]) -> None:
        self.overrides: dict[str, str] = {}
        self.profile: Callable[[list[str]], dict[str, str] | None] | None = None
        self.by_fold: dict[str, str] = {}
        for key, variants in aliases.items():
            for variant in variants:
                self.by_fold.setdefault(fold(variant), key)
        self.examples = [variants[0] for variants in aliases.values() if variants][:3]

    def match(self, text: str) -> str | None:
        if not text:
            return None
        folded = fold(text)
        if folded in self.overrides:
            return self.overrides[folded] or None
        key = self.by_fold.get(folded)
        if key is None and "(" in text:  # "Ngày sinh (dd/mm/yyyy)"
            key = self.by_fold.get(fold(re.sub(r"\([^)]*\)", " ", text)))
        return key


@dataclass
class _Header:
    row: int  # index in the scanned rows of the first header row
    depth: int  # 1 or 2 header rows
    labels: list[str]  # one label per column ('' when empty)
    keys: list[str | None]  # canonical key per column (duplicates -> None)

    @property
    def score(self) -> int:
        return sum(1 for key in self.keys if key)


def _single_header(index: _AliasIndex, row: list[str], at: int) -> _Header:
    return _finish_header(at, 1, row, [index.match(cell) for cell in row])


def _double_header(index: _AliasIndex, parents: list[str], children: list[str], at: int) -> _Header:
    if len({cell for cell in parents if cell}) <= 1:
        # One text across the row is a title ("DANH SÁCH CÁN BỘ ...") merged over the table,
        # not a group header: never a prefix of the column names.
        parents = [""] * len(parents)
    width = max(len(parents), len(children))
    parents = _carry_parents(parents + [""] * (width - len(parents)), children)
    labels, keys = [], []
    for col in range(width):
        parent = parents[col]
        child = children[col] if col < len(children) else ""
        if child and parent and child != parent:
            labels.append(f"{parent} {child}")
            keys.append(index.match(child) or index.match(f"{parent} {child}"))
        else:
            labels.append(child or parent)
            keys.append(index.match(child or parent))
    return _finish_header(at, 2, labels, keys)


def _carry_parents(parents: list[str], children: list[str]) -> list[str]:
    """Carry a (merged) parent header right over empty cells that have a sub-header.

    Calamine/CSV give a merged value only in its top-left cell.  Merged ranges are
    filled beforehand when the workbook reports them; this heuristic covers files
    where it does not (CSV exports, "centre across selection").
    """
    carried = list(parents)
    for col in range(1, len(carried)):
        child = children[col] if col < len(children) else ""
        left_child = children[col - 1] if col - 1 < len(children) else ""
        if not carried[col] and child and left_child and carried[col - 1]:
            carried[col] = carried[col - 1]
    return carried


def _finish_header(at: int, depth: int, labels: list[str], keys: list[str | None]) -> _Header:
    seen: set[str] = set()
    unique: list[str | None] = []
    for key in keys:
        unique.append(key if key and key not in seen else None)
        if key:
            seen.add(key)
    while labels and not labels[-1]:
        labels = labels[:-1]
    return _Header(at, depth, list(labels), unique[: len(labels)])


def _find_header(index: _AliasIndex, rows: list[list[str]]) -> _Header | None:
    best: _Header | None = None
    for at, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if not any(row):
            continue
        candidate = _single_header(index, row, at)
        if at + 1 < len(rows):
            # Two rows are one header only where together they name more columns than either
            # alone: a title line split over cells is not a group header of the row below.
            double = _double_header(index, row, rows[at + 1], at)
            below = _single_header(index, rows[at + 1], at + 1)
            if double.score > max(candidate.score, below.score):
                candidate = double
        if candidate.score >= 2 and (best is None or candidate.score > best.score):
            best = candidate
    return best


# --- Special rows ---------------------------------------------------------------------

_NUMBERING_CELL = re.compile(r"[(\[]?\s*(?:\d{1,3}|[A-Za-z])\s*[)\]]?")
_TOTAL_LABELS = frozenset({"tong cong", "cong", "tong so", "tong", "tong cong so", "cong so"})


def _is_numbering_row(cells: Sequence[str]) -> bool:
    """A row of column numbers under the headers: "(1) (2) (3)" or "1 2 3" or "A B 1"."""
    filled = [c.strip() for c in cells if c.strip()]
    return (
        len(filled) >= 2
        and any(ch.isdigit() for c in filled for ch in c)
        and all(_NUMBERING_CELL.fullmatch(c) for c in filled)
    )


def _is_totals_row(cells: Sequence[str], convert: Callable[[str], str]) -> bool:
    for cell in cells[:3]:
        text = cell.strip()
        if not text:
            continue
        if len(text) > 24 or text[0] not in "TtCc":
            return False
        return fold(convert(text)) in _TOTAL_LABELS
    return False


# What starts the lines under a table: signatures, the place and date, notes, recipients.
_FOOTER_STARTS = (
    "người lập",
    "người ký",
    "người duyệt",
    "thủ trưởng",
    "ghi chú:",
    "ghi chú :",
    "nơi nhận",
    "xác nhận",
    "tm.",
    "tm ",
    "t/m",
    "kt.",
    "k/t",
    "(ký",
    "ký tên",
    "lãnh đạo đơn vị",
)
_PLACE_AND_DATE = re.compile(r",\s*ngày\s+\S{0,4}\s*tháng\s+\S{0,4}\s*năm")


def _is_footer_row(cells: Sequence[str], clean: Callable[[str], str]) -> bool:
    """A signature, notes or "place, date" line under the table (skipped silently)."""
    for cell in cells[:4]:
        if not cell.strip():
            continue
        text = clean(cell).lower()
        if text.startswith(_FOOTER_STARTS):
            return True
        return "ngày" in text and _PLACE_AND_DATE.search(text) is not None
    return False


# --- Building the table ------------------------------------------------------------------


def _identity(text: str) -> str:
    return text


class _Memo(dict[str, str]):
    """Cell text -> cleaned text.  Lookups of repeated values (units, ethnicities,
    positions, dates...) stay in C; the cache is bounded to keep memory flat."""

    _LIMIT = 20000

    def __init__(self, convert: Callable[[str], str]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, text: str) -> str:
        if len(self) >= self._LIMIT:
            self.clear()
        if self.convert is _identity:
            cleaned = normalise_text(text)
        else:
            cleaned = normalise_text(self.convert(text))
        self[text] = cleaned
        return cleaned


def _build_table(
    records: Iterator[tuple[int, list[str]]],
    index: _AliasIndex,
    convert: Callable[[str], str],
    encoding: str,
    delimiter: str | None,
    merge_fill: dict[int, dict[int, int]] | None = None,
) -> Table | None:
    """Find the header in the first rows, then collect the data rows; None if no header."""
    clean = _Memo(convert).__getitem__
    head = list(islice(records, _HEADER_SCAN_ROWS + 1))
    scan = [[clean(cell) for cell in row] for _, row in head]
    for row_at, fills in (merge_fill or {}).items():
        if row_at < len(scan):
            _fill_merged(scan[row_at], fills)
    header = _find_header(index, scan)
    if header is None:
        return None
    if index.profile is not None:
        chosen = index.profile(header.labels)
        if chosen:
            index.overrides = chosen
            keys = [
                (chosen[fold(label)] or None) if fold(label) in chosen else key
                for label, key in zip(header.labels, header.keys, strict=True)
            ]
            header = _finish_header(header.row, header.depth, header.labels, keys)
    if len(header.labels) > workbooks.MAX_COLUMNS:
        raise TableError(
            f"Dòng tiêu đề có {len(header.labels)} cột; tối đa {workbooks.MAX_COLUMNS} cột. "
            "Hãy xóa các cột thừa rồi lưu lại."
        )
    columns: dict[str, str] = {}
    unknown: list[str] = []
    for label, key in zip(header.labels, header.keys, strict=True):
        if key and label not in columns:
            columns[label] = key
        elif label:
            unknown.append(label)
    pairs = [(col, key) for col, key in enumerate(header.keys) if key]
    body = head[header.row + header.depth :]
    others = [col for col, key in enumerate(header.keys) if not key]
    rows = _data_rows(chain(body, records), pairs, others, clean, convert)
    return Table(header.labels, columns, unknown, rows, encoding, delimiter, header.keys, clean)


def _fill_merged(row: list[str], fills: dict[int, int]) -> None:
    for col, source in fills.items():
        if col < len(row) and source < len(row) and not row[col]:
            row[col] = row[source]


def _data_rows(
    records: Iterator[tuple[int, list[str]]],
    pairs: list[tuple[int, str]],
    others: list[int],
    clean: Callable[[str], str],
    convert: Callable[[str], str],
) -> Iterator[SourceRow]:
    """The data rows; the cells of the ``others`` columns (not recognised) and any right of
    the header are kept as read, for sending a rejected row back whole."""
    keys = [key for _, key in pairs]
    pick = itemgetter(*[col for col, _ in pairs])  # at least 2 columns: returns a tuple
    pick_others = _tuple_getter(others)
    width = max(col for col, _ in pairs) + 1
    width = max(width, len(keys) + len(others))
    first = True
    for line, cells in records:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > workbooks.MAX_COLUMNS:
            _check_width(cells, line)
        values = list(map(clean, pick(cells)))
        if not any(values):
            continue  # blank row (or only unrecognised columns filled)
        if first:
            first = False
            if _is_numbering_row(cells):
                continue
        if cells[0].lstrip()[:1] in "TtCc" and _is_totals_row(cells, convert):
            continue
        if _is_footer_row(cells, clean):
            continue
        extra = pick_others(cells)
        if len(cells) > width:
            extra = (*extra, *cells[width:])
        yield SourceRow(line, dict(zip(keys, values, strict=False)), extra)


def _check_width(cells: list[str], line: int) -> None:
    """A row may be wider than MAX_COLUMNS only with empty cells (a CSV's trailing commas)."""
    last = len(cells)
    while last > workbooks.MAX_COLUMNS and not cells[last - 1]:
        last -= 1
    if last > workbooks.MAX_COLUMNS:
        raise TableError(
            f"Dòng {line} có dữ liệu ở cột thứ {last}; tối đa {workbooks.MAX_COLUMNS} cột. "
            "Hãy xóa các cột thừa rồi lưu lại."
        )
    del cells[last:]


def _tuple_getter(columns: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The cells of ``columns`` as a tuple, whatever their number (itemgetter of one column
    returns the cell itself)."""
    if len(columns) > 1:
        return itemgetter(*columns)
    if columns:
        only = columns[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


def _no_header(filename: str, index: _AliasIndex) -> TableError:
    examples = ", ".join(f"“{e}”" for e in index.examples)
    return TableError(
        f"Không tìm thấy dòng tiêu đề trong tệp “{filename}”: cần ít nhất 2 cột có tên đã "
        f"biết (ví dụ {examples})."
    )


# --- CSV / text ---------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_OTHER_BREAKS = re.compile("[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CHUNK = 1 << 20
_DELIMITERS = (",", ";", "\t")
_MARKUP = re.compile(r"\s*<(?:\?xml|!doctype|html|table|meta|head)", re.IGNORECASE)


def _read_text(source: BinaryIO, filename: str, index: _AliasIndex) -> Table:
    encoding = _sniff_encoding(source, filename)
    chunks = _text_chunks(source, encoding, filename)
    pieces: list[str] = []
    for piece in chunks:  # the sample the encoding, layout and delimiter are guessed from
        pieces.append(piece)
        if sum(map(len, pieces)) >= _SAMPLE_CHARS:
            break
    head = "".join(pieces)
    if _MARKUP.match(head[:512]):
        raise TableError(
            f"Tệp “{filename}” là trang HTML/XML được đặt đuôi Excel; hãy mở tệp bằng Excel "
            "rồi lưu lại dạng .xlsx (Excel Workbook) trước khi tải lên."
        )
    convert: Callable[[str], str] = _identity
    if encoding not in ("tcvn3", "vni"):
        scheme = _detect_legacy(head)
        if scheme:
            convert, encoding = _legacy_cell(scheme), f"{encoding}+{scheme}"
    else:
        convert = _legacy_cell(encoding)
    delimiter = _detect_delimiter(head, index, convert)
    if delimiter is None:
        raise _not_table_or_no_header(filename, index)
    records = _csv_guard(_csv_records(chain([head], chunks), delimiter), filename)
    table = _build_table(records, index, convert, encoding, delimiter)
    if table is None:
        raise _not_table_or_no_header(filename, index)
    return table


def _csv_guard(
    records: Iterator[tuple[int, list[str]]], filename: str
) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from records
    except csv.Error as exc:
        raise TableError(f"Tệp “{filename}” bị lỗi định dạng CSV: {exc}.") from None


def _not_table_or_no_header(filename: str, index: _AliasIndex) -> TableError:
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        return TableError(
            f"Tệp “{filename}” không phải CSV hoặc Excel: nội dung không phải bảng tính "
            "và không tìm thấy dòng tiêu đề. Hãy mở tệp bằng Excel và lưu lại dạng .xlsx."
        )
    return _no_header(filename, index)


def _sniff_encoding(source: BinaryIO, filename: str) -> str:
    """The encoding label of a text file, from its first bytes and, to tell UTF-8 from the
    single-byte encodings, one pass over the whole file that keeps nothing."""
    source.seek(0)
    head = source.read(4096)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith(_BOM_UTF32):
        return "utf-32"
    if head.startswith(_BOM_UTF16):
        return "utf-16"
    if b"\x00" in head:
        guess = _utf16_without_bom(head)
        if guess is None:
            raise _not_csv(filename)
        return guess
    if _looks_binary(head):
        raise _not_csv(filename)
    source.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(_CHUNK * 4):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        source.seek(0)
        return _single_byte_encoding(source.read(_SAMPLE_CHARS * 2))
    return "utf-8"


# Encoding label -> Python codec. TCVN3 and VNI text is read as cp1252 and converted per cell.
_CODECS = {"tcvn3": "cp1252", "vni": "cp1252"}
_MAX_LINE_CHARS = 32 << 20


def _text_chunks(source: BinaryIO, encoding: str, filename: str) -> Iterator[str]:
    """The decoded text in pieces of about 1 MB, each cut after a line end, so that nothing
    splits a line (nor a letter and its combining tone mark) and memory stays flat."""
    source.seek(0)
    codec = _CODECS.get(encoding, encoding)
    decoder = codecs.getincrementaldecoder(codec)("replace" if codec == "cp1258" else "strict")
    carry = ""
    while True:
        chunk = source.read(_CHUNK)
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            if codec != "cp1252":
                raise _not_csv(filename) from None
            text = chunk.decode("latin-1")  # bytes 0x81, 0x8d... never carry Vietnamese letters
        text = carry + text
        if not final:
            cut = text.rfind("\n") + 1 or text.rfind("\r", 0, len(text) - 1) + 1
            if not cut:
                if len(text) > _MAX_LINE_CHARS:
                    raise TableError(f"Tệp “{filename}” có một dòng dài hơn 32 triệu ký tự.")
                carry = text
                continue
            text, carry = text[:cut], text[cut:]
        if codec == "cp1258":
            text = unicodedata.normalize("NFC", text)
        if text:
            yield text
        if final:
            return


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2 or 1
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(head) // 100)


def _not_csv(filename: str) -> TableError:
    return TableError(
        f"Tệp “{filename}” không phải CSV hoặc Excel (.xlsx, .xls): không đọc được nội dung."
    )


def _single_byte_encoding(sample: bytes) -> str:
    """Windows-1258 vs TCVN3 vs VNI: keep whichever makes the most Vietnamese words."""
    latin = _decode_cp1252(sample)
    tokens = _tokens(latin)
    as_cp1258 = sample.decode("cp1258", errors="replace")
    best, best_score = "cp1258", _score(_tokens(as_cp1258, unicode_too=True))
    for scheme in _DECODERS:
        score = _score(tokens, _DECODERS[scheme])
        if score > best_score:
            best, best_score = scheme, score
    return best


def _decode_cp1252(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # bytes 0x81, 0x8d... never carry Vietnamese letters


def _physical_lines(chunks: Iterable[str]) -> Iterator[str]:
    """Lines with their endings, split on \\r\\n, \\n or \\r only (as Excel and csv do)."""
    for text in chunks:
        if _OTHER_BREAKS.search(text):  # str.splitlines would also split on these
            yield from map(re.Match.group, _LINE.finditer(text))
        else:
            yield from text.splitlines(keepends=True)


def _csv_records(chunks: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Records with the physical line where each starts (quoted newlines span lines)."""
    reader = csv.reader(_physical_lines(chunks), delimiter=delimiter, strict=False)
    consumed = 0
    for record in reader:
        start = consumed + 1
        consumed = reader.line_num
        yield start, record


def _detect_delimiter(text: str, index: _AliasIndex, convert: Callable[[str], str]) -> str | None:
    """Pick the delimiter that yields the best header; ties go to more fields in it."""
    sample = text[:_SAMPLE_CHARS]
    clean = _Memo(convert).__getitem__
    best: tuple[int, int] | None = None
    chosen = None
    for delimiter in _DELIMITERS:
        try:
            records = list(islice(_csv_records([sample], delimiter), _HEADER_SCAN_ROWS + 1))
        except csv.Error:
            continue
        rows = [[clean(cell) for cell in row] for _, row in records]
        header = _find_header(index, rows)
        if header is None:
            continue
        rank = (header.score, len(records[header.row][1]))
        if best is None or rank > best:
            best, chosen = rank, delimiter
    return chosen


# --- Spreadsheets -----------------------------------------------------------------------


def _read_xlsx(source: BinaryIO, filename: str, index: _AliasIndex) -> Table:
    """An .xlsx, checked then streamed (core.workbooks): never built as a rectangle."""
    book = workbooks.open_zip(source, filename)
    found, date1904 = workbooks.sheets(book, filename)
    styles = workbooks.date_styles(book, filename)
    strings: workbooks.SharedStrings | None = None
    for sheet in found:
        merged = workbooks.scan_sheet(book, sheet.member, filename)
        if strings is None:
            strings = workbooks.shared_strings(book, filename)
        rows = workbooks.sheet_rows(book, sheet.member, filename, strings, styles, date1904)
        table = _sheet_table(_with_blank_rows(rows), merged, index, "xlsx")
        if table is not None:
            table.rows = _refusing(table.rows)
            return table
    raise _no_header(filename, index)


def _with_blank_rows(
    rows: Iterator[tuple[int, list[Cell]]],
) -> Iterator[tuple[int, list[Cell]]]:
    """Rows from the first, with the empty rows a sheet's XML leaves out put back among the
    first ones: the header is found by position there. Further down they are skipped anyway."""
    upto = 0
    for number, cells in rows:
        while upto + 1 < number and upto <= _HEADER_SCAN_ROWS + 2:
            upto += 1
            yield upto, []
        upto = number
        yield number, cells


def _refusing(rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    try:
        yield from rows
    except workbooks.WorkbookError as error:
        raise TableError(str(error)) from None


def _sheet_table(
    rows: Iterator[tuple[int, list[Cell]]],
    merged: list[MergedRange],
    index: _AliasIndex,
    kind: str,
) -> Table | None:
    """The table of one sheet (rows numbered from 1), or None without a header."""
    head = list(islice(rows, 100))
    sample = "\n".join(cell for _, row in head for cell in row if isinstance(cell, str) and cell)
    scheme = _detect_legacy(sample)
    convert = _legacy_cell(scheme) if scheme else _identity
    encoding = f"{kind}+{scheme}" if scheme else kind
    records = ((number, [_cell_text(c) for c in row]) for number, row in chain(head, rows))
    return _build_table(records, index, convert, encoding, None, _merge_fill(merged))


def _read_workbook(data: bytes, filename: str, index: _AliasIndex, kind: str) -> Table:
    if kind == "xls":
        workbooks.check_xls(data, filename)
    if kind == "ods":
        workbooks.check_ods(data, filename)
    try:
        return _first_table(_load_sheets(data, filename, kind), filename, index, kind)
    except CalamineError as exc:
        raise TableError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp hỏng: {exc})."
        ) from None


def _first_table(
    sheets: Iterator[tuple[list[list[Cell]], list[MergedRange]]],
    filename: str,
    index: _AliasIndex,
    kind: str,
) -> Table:
    """The table of the first sheet that has a recognisable header row."""
    for rows, merged in sheets:
        table = _sheet_table(enumerate(rows, 1), merged, index, kind)
        if table is not None:
            return table
    raise _no_header(filename, index)


MergedRange = tuple[tuple[int, int], tuple[int, int]]


def _load_sheets(
    data: bytes, filename: str, kind: str
) -> Iterator[tuple[list[list[Cell]], list[MergedRange]]]:
    """Yield (rows, merged ranges) per worksheet, visible sheets first."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise TableError(
            f"Tệp Excel “{filename}” đang đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại."
        ) from None
    except Exception as exc:  # calamine raises several unrelated types
        if kind == "xls":
            return _load_xls_with_xlrd(data, filename)
        raise TableError(
            f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp hỏng hoặc sai định "
            f"dạng: {exc})."
        ) from None
    return _calamine_sheets(book)


def _calamine_sheets(
    book: CalamineWorkbook,
) -> Iterator[tuple[list[list[Cell]], list[MergedRange]]]:
    metadata = sorted(book.sheets_metadata, key=lambda m: m.visible != SheetVisibleEnum.Visible)
    for meta in metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        yield sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []


def _load_xls_with_xlrd(
    data: bytes, filename: str
) -> Iterator[tuple[list[list[Cell]], list[MergedRange]]]:
    """Fallback for .xls files calamine refuses (some BIFF5/BIFF7 files)."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception:
        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception as exc:
            raise TableError(
                f"Tệp “{filename}” không phải CSV hoặc Excel đọc được (tệp .xls hỏng: {exc})."
            ) from None
    return _xlrd_sheets(book)


def _xlrd_sheets(book: object) -> Iterator[tuple[list[list[Cell]], list[MergedRange]]]:
    import xlrd

    for sheet in book.sheets():  # type: ignore[attr-defined]
        rows: list[list[Cell]] = []
        for r in range(sheet.nrows):
            row: list[Cell] = []
            for cell in sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))  # type: ignore[attr-defined]
                else:
                    row.append(cell.value)
            rows.append(row)
        merged = [((r0, c0), (r1 - 1, c1 - 1)) for r0, r1, c0, c1 in sheet.merged_cells]
        yield rows, merged


def _merge_fill(merged: list[MergedRange]) -> dict[int, dict[int, int]]:
    """Row -> {column: source column} for horizontally merged cells (top row only)."""
    fill: dict[int, dict[int, int]] = {}
    for (r0, c0), (_r1, c1) in merged:
        if r0 <= _HEADER_SCAN_ROWS and c1 > c0:
            row_fill = fill.setdefault(r0, {})
            for col in range(c0 + 1, c1 + 1):
                row_fill[col] = c0
    return fill


def _cell_text(cell: Cell) -> str:
    """Excel cell -> text: dates as ISO, whole floats without '.0'."""
    if isinstance(cell, str):
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime.datetime):
        if cell.time() == datetime.time(0):
            return cell.date().isoformat()
        return cell.isoformat(sep=" ")
    if isinstance(cell, datetime.date | datetime.time):
        return cell.isoformat()
    return str(cell)

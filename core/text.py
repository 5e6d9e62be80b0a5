"""Vietnamese text keys for accent-free matching and search."""

import functools
import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Unit names are written with and without their kind ("xã Tú Đoạn", "Tú Đoạn"). Prefixes are
# recognised with their accents; without accents only those that cannot start a place name
# ("tinh" could be "Tĩnh Bắc", "ban" could be "Bàn Đạt").
_UNIT_PREFIX = re.compile(
    r"^(xã|thị trấn|phường|huyện|thị xã|thành phố|tỉnh|thôn|bản|khu phố|khối)\s+"
)
_FOLDED_UNIT_PREFIX = re.compile(r"^(xa|thi tran|phuong|huyen|thi xa|thanh pho|thon)\s+")


# đ is a letter of its own, not d with a mark; Ð/ð (Icelandic) turn up in files typed with
# the wrong keyboard layout.
_D_LETTERS = {ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"}


def fold(value: str) -> str:
    """Lower-case, accent-free, single-spaced key: ``"Nông  Thanh HẢI"`` -> ``"nong thanh hai"``."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_LETTERS).lower())
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii")
    return _NOT_WORD.sub(" ", ascii_only).strip()


@functools.lru_cache(maxsize=16384)
def fold_once(value: str) -> str:
    """:func:`fold`, remembered for the latest 16,384 distinct texts: for keys derived on every
    row of a large import (a person's search name), whose texts repeat (family, middle and
    given names) and whose folding is a fifth of deriving the row."""
    return fold(value)


def fold_unit_name(value: str) -> str:
    """Key of a unit name without its kind prefix: ``"Xã Tú Đoạn"`` -> ``"tu doan"``."""
    lowered = unicodedata.normalize("NFC", value).strip().lower()
    stripped = _UNIT_PREFIX.sub("", lowered)
    if stripped == lowered and lowered.isascii():
        return _FOLDED_UNIT_PREFIX.sub("", fold(lowered))
    return fold(stripped)


def unit_name_prefix(value: str) -> str:
    """The kind a unit name starts with, folded (``"Thị trấn Lộc Bình"`` -> ``"thi tran"``),
    or ``""``: the same prefixes :func:`fold_unit_name` strips."""
    lowered = unicodedata.normalize("NFC", value).strip().lower()
    found = _UNIT_PREFIX.match(lowered)
    if found:
        return fold(found.group(1))
    if lowered.isascii():
        found = _FOLDED_UNIT_PREFIX.match(fold(lowered))
        if found:
            return found.group(1)
    return ""


# Words that names of schools and programmes are shortened to in clerks' lists, folded.
ABBREVIATIONS = {
    "dh": "dai hoc",
    "cd": "cao dang",
    "hv": "hoc vien",
    "tt": "trung tam",
    "llct": "ly luan chinh tri",
    "qlnn": "quan ly nha nuoc",
    "ctqg": "chinh tri quoc gia",
    "hcqg": "hanh chinh quoc gia",
    "hcm": "ho chi minh",
}


def expand_abbreviations(folded: str) -> str:
    """A folded name with its short words written out: ``"dh luat ha noi"`` ->
    ``"dai hoc luat ha noi"``."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in folded.split())

"""The signature block and the "Nơi nhận" list at the end of an administrative document.

The signer's block (Decree 30/2020/NĐ-CP, art. 8 and Appendix I) is: the authority line(s) — ``TM. ỦY BAN
NHÂN DÂN``, ``KT. CHỦ TỊCH``, ``TL. BỘ TRƯỞNG`` … —, the position (``PHÓ CHỦ TỊCH``, ``GIÁM ĐỐC``), the
signature itself (blank lines, ``(Đã ký)``, a digital-signature stamp) and then the signer's name in Title
Case. The block is not always at the end of the text: appendices, rules and blank forms (with placeholder
names such as ``Nguyễn Văn A``) can follow it, so the first complete block after the header wins. In text
extracted from a two-column layout the "Nơi nhận" list is interleaved with the block; its lines are
allowed between the position and the name.

:func:`closing_block_start` tells where that closing block (the list or the signature, whichever comes
first) starts, so that what a document says can be read without it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from nlp.header_layout import Line, prepare_lines
from nlp.normalize import fold

_AUTHORITY_RE = re.compile(r"^(?:TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*[.:/]\s*\S|^(?:TM|KT|TL|TUQ)\s+\S")
_POSITION_RE = re.compile(
    r"CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|THỦ TƯỚNG|CHÁNH VĂN PHÒNG|CHÁNH THANH TRA|BÍ THƯ|THỐNG ĐỐC|"
    r"TỔNG KIỂM TOÁN|TỔNG THANH TRA|ỦY VIÊN|THƯ KÝ|CHỦ NHIỆM|GIÁM SÁT VIÊN|LÃNH ĐẠO|CHUYÊN VIÊN"
)
_PLACEHOLDER_RE = re.compile(
    r"^[(\[]?\s*(?:đã ký|ký|chữ ký|ký tên|ký số|ký, ghi|ký và|daky|đã kí|kí)\b.*$"
    r"|^(?:ký bởi|người ký|email|e-mail|cơ quan|thời gian ký|ngày ký|chức vụ)\b.*:"
    r"|^e-pass\b",
    re.IGNORECASE,
)
_RECIPIENT_START_RE = re.compile(r"^(?:[-–+•*~]\s*|Nơi nhận\b|Lưu\s*:)", re.IGNORECASE)
_NOI_NHAN_RE = re.compile(r"^N[ơo]i\s+nh[ậa]n\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
_RANKS = (
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đại úy",
    "Thượng úy",
    "Trung úy",
    "Thiếu úy",
)
_DEGREES_RE = re.compile(r"^(?:(?:GS|PGS|TS|ThS|Ths|BS|BSCKII|BSCKI|KS|CN|NCS|TSKH)\s*\.\s*)+")
# First words that open a sentence or a heading, never a person's name. Not Lưu, Danh, Chương: surnames
# (Lưu Đức Hải; Danh, the Khmer surname common in Cà Mau and Sóc Trăng); "Lưu: VT", "Danh sách", "Chương II"
# fail the capitals test of every word anyway.
_NOT_A_NAME_WORDS = (
    "Nơi Như Kính Căn Điều Phụ Mẫu Mục Ghi Chú Trang Họ Số Ngày Độc Cộng Tên Chức Địa Thời Nội "
    "Ban Sở Bộ Cục Văn Ủy Hội Phòng Công Trung Kèm Biểu Tổng Quy Thông"
)
_NOT_A_NAME = frozenset(_NOT_A_NAME_WORDS.split())
_VIET_WORD_RE = re.compile(r"^[^\W\d_]+$")
_MAX_BLOCK_GAP = 16  # lines allowed between an authority/position line and the name (interleaved lists)
_MAX_LIST_GAP = 70  # lines allowed between "Nơi nhận" and the name when the list comes first
# Blocks tried before giving up: real documents have a handful (the signature, a few forms); the cap keeps
# a pathological text (thousands of "CHỦ TỊCH" lines) from costing minutes.
_MAX_CANDIDATES = 300


# Remnants of e-signature tags printed next to the title ("PHÓ THỦ TƯỚNG[daky]", "ky]").
_SIGN_TAG_RE = re.compile(
    r"\[?\s*(?:đã\s*ký|da\s*ky|daky|ky|y)\s*\]|\(\s*(?:đã\s*ký|ký|đã\s*ký\s+và\s+đóng\s+dấu)\s*\)",
    re.IGNORECASE,
)


def _is_upper_line(text: str) -> bool:
    letters = [ch for ch in _SIGN_TAG_RE.sub("", text) if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def is_authority_line(text: str) -> bool:
    """``TM. ỦY BAN NHÂN DÂN``, ``KT. CHỦ TỊCH``, ``PHÓ GIÁM ĐỐC``, ``CHỦ TỊCH QUỐC HỘI``…"""
    if not _is_upper_line(text) or len(text.split()) > 12 or any(ch.isdigit() for ch in text):
        return False
    return bool(_AUTHORITY_RE.match(text) or _POSITION_RE.search(text))


def clean_name(text: str) -> str | None:
    """The person's name on a signature line, without military rank or degree; None if not a name.

    Example
    -------
    >>> clean_name("Đại tá Nguyễn Thanh Điệp")
    'Nguyễn Thanh Điệp'
    >>> clean_name("Nguyễn Văn A") is None
    True
    """
    text = _DEGREES_RE.sub("", _SIGN_TAG_RE.sub("", text).strip()).strip()
    for rank in _RANKS:
        if text.lower().startswith(rank.lower() + " "):
            text = text[len(rank) :].strip()
            break
    words = text.split()
    if not 2 <= len(words) <= 6 or words[0] in _NOT_A_NAME:
        return None
    for k, word in enumerate(words):
        if (
            not _VIET_WORD_RE.match(word)
            or not word[0].isupper()
            or not (word[1:].islower() or len(word) == 1)
        ):
            return None
        # a one-letter word is a real given name part ("Sùng A Hồ") but a placeholder at the end ("Văn A")
        if len(word) == 1 and k == len(words) - 1:
            return None
    if not all(fold(w).isascii() for w in words):
        return None  # Latin-script Vietnamese names only, not an OCR run of Cyrillic or Greek look-alikes
    return " ".join(words)


def _allowed_inside_block(text: str) -> bool:
    if is_authority_line(text) or _PLACEHOLDER_RE.match(text) or _RECIPIENT_START_RE.match(text):
        return True
    if _is_upper_line(text) and len(text.split()) <= 8 and not any(ch.isdigit() for ch in text):
        return True  # a title with a typo ("PHÓ THỐNG ĐÔC", "THỨ TRUỞNG") is still part of the block
    letters = sum(ch.isalpha() for ch in text)
    if letters <= 3:
        return True  # OCR specks, a stray "(1)"
    # the continuation of an interleaved "Nơi nhận" entry starts in lower case or ends with ";"
    return text[:1].islower() or text.rstrip().endswith((";", ","))


def _block_at(lines: Sequence[Line], i: int) -> tuple[str, int] | None:
    """(signer's name, index of its line) when a signature block opens at line ``i``."""
    line = lines[i]
    if line.kind != "text":
        return None
    if is_authority_line(line.text):
        max_gap = _MAX_BLOCK_GAP
    elif _NOI_NHAN_RE.match(line.text):
        # OCR and narrow layouts glue the signature column into the list's lines ("- Chính phủ; TM. ỦY
        # BAN NHÂN DÂN"): from the list's heading, the first name after the list is the signer's.
        max_gap = _MAX_LIST_GAP
    else:
        return None
    for j in range(i + 1, min(len(lines), i + max_gap + 2)):
        candidate = lines[j]
        if candidate.kind == "text":
            name = clean_name(candidate.text)
            if name:
                return name, j
            if not _allowed_inside_block(candidate.text):
                return None
        elif candidate.kind == "motto":
            return None
    return None


def find_signer(lines: Sequence[Line], start: int = 0) -> tuple[str | None, int | None]:
    """(signer's name, index of its line) for the first complete signature block at or after ``start``."""
    tried = 0
    for i in range(start, len(lines)):
        if tried >= _MAX_CANDIDATES:
            break
        if lines[i].kind != "text" or not (
            is_authority_line(lines[i].text) or _NOI_NHAN_RE.match(lines[i].text)
        ):
            continue
        tried += 1
        block = _block_at(lines, i)
        if block:
            return block
    return None, None


def find_recipients(lines: Sequence[Line], start: int = 0) -> tuple[tuple[str, ...], int | None]:
    """Entries of the first "Nơi nhận" list at or after ``start`` and the index of its heading."""
    for i in range(start, len(lines)):
        line = lines[i]
        m = _NOI_NHAN_RE.match(line.text) if line.kind == "text" else None
        if not m:
            continue
        entries: list[str] = []
        rest = m.group("rest").strip()
        if rest.startswith(("-", "–", "+", "•")):
            entries.append(rest)
        j = i + 1
        blanks = 0
        while j < len(lines) and j - i < 120:
            cur = lines[j]
            j += 1
            if cur.kind == "blank":
                blanks += 1
                if entries and blanks > 2:
                    break
                continue
            if cur.kind != "text":
                if entries:
                    break
                continue
            text = cur.text
            if is_authority_line(text) or _PLACEHOLDER_RE.match(text):
                continue  # the signature column interleaved with the list
            if re.match(r"^[-–+•~]\s*", text):
                entries.append(text)
                blanks = 0
            elif entries and (
                text[:1].islower() or (not entries[-1].rstrip().endswith((";", ".")) and not clean_name(text))
            ):
                entries[-1] = f"{entries[-1]} {text}"
                blanks = 0
            elif entries and (text.rstrip().endswith(";") or text.lower().startswith("lưu")):
                entries.append(text)  # an entry whose dash was lost
                blanks = 0
            else:
                break
            if _bare_entry(entries[-1]).lower().startswith("lưu"):
                break
        cleaned = tuple(e for e in (_bare_entry(e) for e in entries) if e)
        return cleaned, i
    return (), None


def _bare_entry(entry: str) -> str:
    entry = re.sub(r"^[-–+•~]\s*", "", entry.strip())
    return entry.rstrip(" ;,.").strip()


# How far past a closing-block candidate its name or list is looked for: a block is a few dozen lines at most.
_CLOSING_LOOKAHEAD_CHARS = 6000
# "Nơi nhận" as a heading: alone, or followed by its first entry or the signature column glued on. Not
# "Nơi nhận hồ sơ: Bộ phận một cửa…", a sentence of a procedure.
_NOI_NHAN_HEADING_RE = re.compile(
    r"^N[ơo]i\s+nh[ậa]n\s*[:.]?\s*(?:$|[-–+•*~]|Như\b|(?:TM|KT|TL|TUQ)\s*[./])", re.IGNORECASE
)


def closing_block_start(text: str, start: int = 0) -> int:
    r"""Offset in ``text`` where its closing block starts: the "Nơi nhận" heading or the authority and position
    lines of the signature (``TM. ỦY BAN NHÂN DÂN``, ``KT. CHỦ TỊCH``, ``GIÁM ĐỐC`` …), whichever comes
    first at or after ``start``; ``len(text)`` when there is none, so that ``text[:closing_block_start(text)]``
    is the body without it.

    Conservative, since cutting a body short loses what it says: a signature line counts only when the
    signer's name follows it through lines a block is made of (so the enacting line "CHỦ TỊCH ỦY BAN NHÂN
    DÂN TỈNH" before "Căn cứ…" and a sentence "Giám đốc Sở Y tế chịu trách nhiệm…" never do), and a "Nơi
    nhận" heading only in its heading form, followed by its list or by a signer's name. Every line of
    ``text`` is read: pass the part of a long text you need.

    Example
    -------
    >>> body = "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\nNơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n"
    >>> body[:closing_block_start(body + "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHà Sỹ Đồng\n")]
    'Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n'
    """
    # Lines are prepared one raw line at a time so that each keeps the offset of the raw line it came from
    # (two columns of one raw line, "Nơi nhận:      KT. CHỦ TỊCH", start at that line).
    offsets: list[int] = []
    lines: list[Line] = []
    offset = start
    for raw in text[start:].splitlines(keepends=True):
        if not raw.strip():
            offsets.append(offset)
            lines.append(Line("", "blank"))
        else:
            for line in prepare_lines(raw.rstrip("\r\n")):
                offsets.append(offset)
                lines.append(line)
        offset += len(raw)
    tried = 0
    for i, line in enumerate(lines):
        if line.kind != "text":
            continue
        heading = _NOI_NHAN_HEADING_RE.match(line.text)
        if not heading and not is_authority_line(line.text):
            continue
        if tried >= _MAX_CANDIDATES:
            break  # a text of thousands of "CHỦ TỊCH" lines is not worth minutes: keep it whole
        tried += 1
        if _closes(lines, i, offsets, heading is not None):
            return offsets[i]
    return len(text)


def _closes(lines: Sequence[Line], i: int, offsets: Sequence[int], heading: bool) -> bool:
    # Only lines within reach of the candidate are read: a long text with many capitalised lines stays cheap.
    reach = offsets[i] + _CLOSING_LOOKAHEAD_CHARS
    window = lines[i : bisect_left(offsets, reach, lo=i)]
    if _block_at(window, 0) is not None:
        return True
    if heading:
        entries, at = find_recipients(window, 0)
        return at == 0 and bool(entries)
    return False

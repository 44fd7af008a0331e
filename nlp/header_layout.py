"""Undo the two-column layout of an administrative document's header, line by line.

Decree 30/2020/NĐ-CP puts the issuing body on the left and the national motto on the right, then the number
(left) beside the place and date (right). Depending on how the text was extracted the two columns arrive

* separated by a wide gap on one line (``.txt`` layout files, Word paragraphs padded with spaces or tabs),
* glued on one line (``UBND TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`` from a PDF), or
* interleaved line by line (the motto between two issuer lines).

:func:`split_columns` cuts a raw line at column gaps without breaking a blank draft date
(``ngày      tháng      năm 2025``) or a blank number (``Số:        /UBND-KT``). :func:`prepare_lines`
additionally cuts off the motto and the "place, ngày … tháng … năm …" phrase wherever they are glued, and
labels each line, so the header reader only deals with one element per line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nlp.normalize import fold, normalize

# Letters some PDF fonts emit instead of Ư/ư (Latin "OI", U+01A2/U+01A3): never Vietnamese.
_PDF_LOOKALIKES = (("\u01a2", "Ư"), ("\u01a3", "ư"))
_WIDE_SPACES = ("\u00a0", "\u2007", "\u202f", "\u3000")

# A blank or filled draft date: the gaps inside it are part of the phrase, not column gaps.
_DATE_GAPS = re.compile(
    r"ngày[ \t._…]*(?:\d{1,2})?[ \t._…]*tháng[ \t._…]*(?:\d{1,2})?[ \t._…]*năm(?:[ \t._…]*\d{4})?",
    re.IGNORECASE,
)
# The gap after "Số:" in a draft whose number is left blank ("Số:        /UBND-KT").
_NUMBER_GAP = re.compile(r"\b(?P<so>Số\s*[:.]?)[ \t]+(?=[\dIl./…_])", re.IGNORECASE)
# Two tabs, a tab next to two spaces, or three spaces: the gap between two columns.
_COLUMN_GAP = re.compile(r"[ \t]*(?:\t[ \t]*\t| {2,}\t|\t {2,}| {3,})[ \t]*")
_BLANKS_RE = re.compile(r"[ \t]+")
_SPACES_RE = re.compile(r"\s+")
# A header or signature line is short; a runaway line (a text without line breaks) is cut for the header
# reader so that its regular expressions stay fast.
_MAX_LINE_CHARS = 5_000


def split_columns(line: str) -> list[str]:
    """Cut a raw line at column gaps (a run of 3+ spaces or 2+ tabs) and return the non-empty pieces.

    Example
    -------
    >>> split_columns("ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ['ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM']
    >>> split_columns("Số:        /UBND-KT          Lào Cai, ngày      tháng  5   năm 2026")
    ['Số: /UBND-KT', 'Lào Cai, ngày tháng 5 năm 2026']
    """
    for wide in _WIDE_SPACES:
        if wide in line:
            line = line.replace(wide, " ")
    # only whitespace is squeezed: the dots of a blank form ("ngày … tháng … năm …") stay
    line = _DATE_GAPS.sub(lambda m: _BLANKS_RE.sub(" ", m.group(0)), line)
    line = _NUMBER_GAP.sub(lambda m: m.group("so").rstrip() + " ", line)
    return [piece for piece in _COLUMN_GAP.split(line.strip()) if piece.strip()]


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    # Latin letters with diacritics live in these blocks; everything else folds to itself.
    table: dict[int, str] = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            folded = fold(chr(code))[:1]
            if folded and folded != chr(code):
                table[code] = folded
    return table


def fold_same_length(text: str) -> str:
    """Upper-case, diacritic-free copy of ``text`` with the same length (indexes map one to one)."""
    return text.translate(_fold_table()).upper()


# The motto, compared folded and upper-cased; PDF text layers sometimes split a syllable ("C ỘNG").
_MOTTO_RE = re.compile(
    r"C\s?O\s?N\s?G\s+H\s?O\s?A\s+X\s?A\s+H\s?O\s?I\s+C\s?H\s?U\s+N\s?G\s?H\s?I\s?A\s+V\s?I\s?E\s?T\s+N\s?A\s?M"
    r"|DOC\s+LAP\W{0,5}TU\s+DO\W{0,5}HANH\s+PHUC"
)
# "Hà Nội, ngày 12 tháng 6 năm 2025" and blank drafts "Lào Cai, ngày tháng năm 2025". The place is the run
# of words before the comma; its first word starts with a capital (checked in code).
_DATE_LINE_RE = re.compile(
    r"(?P<place>(?:[^\W\d_][^\s\d,/]*\s+){0,5}[^\W\d_][^\s\d,/]*)\s*,\s*"
    r"(?P<date>ngày[\s._…]*(?P<d>\d{1,2})?[\s._…]*(?:tháng|/)[\s._…]*(?P<m>\d{1,2})?[\s._…]*(?:năm|/)"
    r"[\s._…]*(?P<y>\d{4})?)",
    re.IGNORECASE,
)
_RULE_RE = re.compile(r"^[\s\-_–—=*.…·~+]{3,}$")
# A rule printed right after (or before) an issuer line, without a line break.
_EDGE_RULE_RE = re.compile(r"^[-_–—=]{3,}|[-_–—=]{3,}$")
_RUNNING_RE = re.compile(
    r"^(?:\d{1,4}\s+)?CÔNG BÁO\s*/\s*Số\b|^[-–\s]*\d{1,4}[-–\s]*$|^Trang\s+\d+", re.IGNORECASE
)
# Marks printed around the header that are not part of it: draft stamps, urgency and secrecy marks
# (Decree 30/2020, art. 8: "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN", "MẬT", "TỐI MẬT", "TUYỆT MẬT").
_MARK_RE = re.compile(
    r"^[(\[]?\s*(?:DỰ THẢO|Dự thảo|HỎA TỐC|HOẢ TỐC|THƯỢNG KHẨN|KHẨN|TUYỆT MẬT|TỐI MẬT|MẬT|BẢN CHÍNH|BẢN SAO)"
    r"(?:\s+(?:lần\s+)?\d+|\s+LẦN\s+\d+)?\s*[)\]]?$"
)


@dataclass(frozen=True)
class Line:
    """One prepared line: ``kind`` is text, blank, rule (a line of dashes), motto, or running (a page
    header, a page number, a draft/urgency/secrecy mark: printed on the page but not part of the text)."""

    text: str
    kind: str


@dataclass(frozen=True)
class DateLine:
    place: str | None
    day: int | None
    month: int | None
    year: int | None


def _trim_place(words: list[str]) -> list[str]:
    # The run before ", ngày" may have swallowed the end of the other column ("… hành chính mới Hà Nội",
    # "CHUYỂN ĐỔI XANH VÀ Hà Nội"): keep the trailing capitalised words, not words in all capitals when
    # mixed-case ones follow, and a "thành phố" written in front of them.
    i = len(words)
    while i > 0 and words[i - 1][:1].isupper():
        i -= 1
    keep = words[i:]
    while len(keep) > 1 and _is_upper(keep[0]) and not all(_is_upper(w) for w in keep):
        keep = keep[1:]
    if (
        keep
        and i >= 2
        and f"{words[i - 2]} {words[i - 1]}".lower() == "thành phố"
        and len(keep) == len(words) - i
    ):
        keep = ["Thành", "phố", *keep]
    return keep


def match_date_line(text: str) -> tuple[int, DateLine] | None:
    """Find "place, ngày … tháng … năm …" in ``text``: (start of the place, parsed parts) or None."""
    for m in _DATE_LINE_RE.finditer(text):
        words = m.group("place").split()
        place_words = _trim_place(words)
        if not place_words:
            continue
        start = m.start("place") + len(m.group("place")) - len(" ".join(place_words))
        start = max(m.start("place"), start)
        return start, DateLine(
            place=" ".join(place_words),
            day=int(m.group("d")) if m.group("d") else None,
            month=int(m.group("m")) if m.group("m") else None,
            year=int(m.group("y")) if m.group("y") else None,
        )
    return None


def without_motto(text: str) -> str:
    """``text`` with the national motto blanked out (same length, offsets unchanged).

    Every administrative document prints "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc":
    searched, it makes "hòa", "tự do" or "hạnh phúc" match every full text (QA: "hòa giải" matched 47
    documents through the motto alone). The motto in capitals wherever it stands — the header, and the forms
    annexed to a decree, which print it again; the words in a sentence ("… nước Cộng hòa xã hội chủ nghĩa
    Việt Nam và …") stay.

    Example
    -------
    >>> without_motto("UBND TỈNH NGHỆ AN  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\nĐộc lập - Tự do - Hạnh phúc\\nKế hoạch").split()
    ['UBND', 'TỈNH', 'NGHỆ', 'AN', 'Kế', 'hoạch']
    """
    # Cheap tests first: this runs on every text indexed (news articles never print the motto).
    if "phúc" not in text and "PHÚC" not in text and "NGHĨA VIỆT NAM" not in text:
        return text
    pieces: list[str] = []
    pos = 0
    for m in _MOTTO_RE.finditer(fold_same_length(text)):
        matched = text[m.start() : m.end()]
        if matched.startswith(("C", "c")) and not matched.isupper():
            continue  # in a sentence, not the motto line
        pieces += (text[pos : m.start()], " " * (m.end() - m.start()))
        pos = m.end()
    if not pos:
        return text
    return "".join(pieces) + text[pos:]


def _split_motto(piece: str) -> list[Line]:
    lowered = piece.lower()
    if "nam" not in lowered and "phúc" not in lowered and "phuc" not in lowered:
        return [Line(piece, "text")]
    folded = fold_same_length(piece)
    out: list[Line] = []
    pos = 0
    for m in _MOTTO_RE.finditer(folded):
        matched = piece[m.start() : m.end()]
        if matched.startswith(("C", "c")) and not matched.isupper():
            continue  # "… giữa Chính phủ nước Cộng hòa xã hội chủ nghĩa Việt Nam và …" in a summary
        before = piece[pos : m.start()].strip(" -–_")
        if before:
            out.append(Line(before, "text"))
        out.append(Line(piece[m.start() : m.end()], "motto"))
        pos = m.end()
    rest = piece[pos:].strip()
    if pos and rest and _RULE_RE.match(rest):
        rest = ""
    if rest:
        out.append(Line(rest, "text"))
    return out


def _split_date(piece: str) -> list[str]:
    if "ngày" not in piece.lower():
        return [piece]
    found = match_date_line(piece)
    if not found or found[0] == 0:
        return [piece]
    start = found[0]
    head = piece[:start].strip()
    # Only cut when the head is another header element (a number, an issuer in capitals, a V/v line):
    # in running text "… tại Hà Nội, ngày 5 tháng 6 năm 2025" must stay whole.
    if re.match(r"^(?:[\w ]{0,20}\s)?số\s*[:.]|^V/v\b", head, re.IGNORECASE) or _is_upper(head):
        return [head, piece[start:]]
    return [piece]


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _split_number(piece: str) -> list[str]:
    # "UBND TỈNH LÀO CAI Số: 12/QĐ-UBND": the number glued after the issuer.
    m = re.search(r"\s(Số\s*:)", piece)
    if m and _is_upper(piece[: m.start()]):
        return [piece[: m.start()].strip(), piece[m.start(1) :]]
    return [piece]


def prepare_lines(text: str, max_lines: int | None = None, full_lines: int | None = None) -> list[Line]:
    """Split ``text`` into labelled, normalised lines with the header's columns taken apart.

    Only the first ``full_lines`` raw lines (all when None) get the full :func:`~nlp.normalize.normalize`;
    later ones only have their spaces collapsed, which is enough to find a signature block and keeps a
    300-page decree fast. Callers normalise what they take from those lines.

    Example
    -------
    >>> [(ln.kind, ln.text) for ln in prepare_lines("UBND TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")]
    [('text', 'UBND TỈNH LÀO CAI'), ('motto', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')]
    """
    text = unicodedata.normalize("NFC", text)
    for wrong, right in _PDF_LOOKALIKES:
        text = text.replace(wrong, right)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if max_lines is not None:
        raw_lines = raw_lines[:max_lines]
    out: list[Line] = []
    for index, raw in enumerate(raw_lines):
        pieces = split_columns(raw[:_MAX_LINE_CHARS])
        if not pieces:
            out.append(Line("", "blank"))
            continue
        full = full_lines is None or index < full_lines
        for piece in pieces:
            piece = normalize(piece, keep_newlines=False) if full else _SPACES_RE.sub(" ", piece).strip()
            if not piece:
                continue
            if _RULE_RE.match(piece):
                out.append(Line(piece, "rule"))
                continue
            if _RUNNING_RE.match(piece) or _MARK_RE.match(piece):
                out.append(Line(piece, "running"))
                continue
            for part in _split_motto(piece):
                if part.kind != "text":
                    out.append(part)
                    continue
                for sub in _split_number(part.text):
                    for chunk in _split_date(sub) if full else [sub]:
                        chunk = _EDGE_RULE_RE.sub("", chunk).strip()
                        if chunk:
                            out.append(Line(chunk, "rule" if _RULE_RE.match(chunk) else "text"))
    return out

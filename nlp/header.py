"""Read the header of a Vietnamese administrative document (Decree 30/2020/NĐ-CP layout).

A document opens with the issuing body (left) and the national motto (right), then the number ("Số:
16/2026/QĐ-UBND") beside the place and date ("Lào Cai, ngày 12 tháng 3 năm 2026"), then the type line
("QUYẾT ĐỊNH") with the summary (trích yếu) under it — or, for a công văn, the summary after "V/v" under
the number. It ends with the signature block and the "Nơi nhận" list. :func:`parse_header` reads those
fields from extracted text, whichever way the two header columns came out (see :mod:`nlp.header_layout`).

Conventions
-----------
* ``number``: as printed without spaces (``5973 /UBND-KT`` → ``5973/UBND-KT``); None when the numeric part
  is blank in a draft (``Số:      /KH-SCT``). ``symbol`` is the part after the number and year (``KH-SCT``).
* ``doc_type``: from the type line; else from the number's type code; else ``cong-van`` when the number
  has no type code and a "V/v" line is present.
* ``issuer``/``parent``: see :mod:`nlp.header_issuer` for the block and capitalisation rules.
* ``issued_date``: None unless day, month and year are all printed (drafts leave day and month blank).
* ``title``: one line; trailing punctuation removed; a leading "Về việc" is kept, a "V/v" is not. It ends
  at the body ("Căn cứ", "Kính gửi", a numbered section, a sentence opening with a date or an adverbial such
  as "Hiện nay,", a long sentence after a complete summary line), a rule, a blank line, "Nơi nhận", a
  signature block, or where the case changes (a mixed-case summary followed by "ỦY BAN NHÂN DÂN TỈNH …" in
  capitals).
* ``signer``: the name of the first complete signature block (rank and degree removed).
* ``recipients``: the entries of the first "Nơi nhận" list, without the leading "-" and final ";".
* Laws and resolutions passed at a session without a date line take the day they were "thông qua".
* Page headers of the Official Gazette, page numbers, draft stamps and urgency/secrecy marks are ignored.

Example
-------
>>> h = parse_header('''ỦY BAN NHÂN DÂN
... TỈNH LÀO CAI
... CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
... Độc lập - Tự do - Hạnh phúc
... Số: 16/2026/QĐ-UBND
... Lào Cai, ngày 05 tháng 3 năm 2026
... QUYẾT ĐỊNH
... Về việc ban hành Quy chế làm việc
... Căn cứ Luật Tổ chức chính quyền địa phương;''')
>>> (h.number, h.doc_type, h.issuer, h.place, h.issued_date.isoformat(), h.title)
('16/2026/QĐ-UBND', 'quyet-dinh', 'Ủy ban nhân dân tỉnh Lào Cai', 'Lào Cai', '2026-03-05', 'Về việc ban hành Quy chế làm việc')
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from nlp.abbreviations import TYPE_NAMES
from nlp.header_issuer import continues_strongly, issuer_and_parent, starts_body
from nlp.header_layout import DateLine, Line, fold_same_length, match_date_line, prepare_lines
from nlp.header_signature import find_recipients, find_signer
from nlp.normalize import normalize
from nlp.numbers import DocNumber, parse_number


@dataclass(frozen=True)
class Header:
    """Fields read from a document's header and signature block; None where the text does not say."""

    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    parent: str | None = None
    place: str | None = None
    issued_date: date | None = None
    title: str | None = None
    signer: str | None = None
    recipients: tuple[str, ...] = ()
    # (day, month, year) as the date line prints them, all three given: what a date that does not exist
    # ("ngày 31 tháng 02") was, to say so (:func:`checked_issued_date`). Not part of :meth:`to_dict`.
    date_printed: tuple[int, int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the date as ISO text, the recipients as a list."""
        data = asdict(self)
        del data["date_printed"]
        data["issued_date"] = self.issued_date.isoformat() if self.issued_date else None
        data["recipients"] = list(self.recipients)
        return data


def checked_issued_date(header: Header, today: date | None = None) -> tuple[Header, str | None]:
    """``header`` with its date kept only when it is a plausible issue date (the range a clerk may type,
    :func:`nlp.typed_dates.check_issued_date`), and what to tell the uploader otherwise (Vietnamese): a
    date line printing 1/1/2099 or 31/02/2025 was filed as is, or dropped without a word (QA)."""
    from nlp.typed_dates import TypedDateError, check_issued_date

    advice = " Chưa lưu ngày ban hành; hãy kiểm tra văn bản và nhập ngày đúng."
    if header.issued_date is None:
        if header.date_printed is None:
            return header, None
        day, month, year = header.date_printed
        return header, f"Ngày ban hành in trong văn bản ({day:02d}/{month:02d}/{year}) không có thật.{advice}"
    try:
        check_issued_date(header.issued_date, today)
    except TypedDateError as exc:
        return replace(header, issued_date=None), f"{exc.message}{advice}"
    return header, None


# How far down the header may reach (lines after preparation), and the whole text searched for the
# signature: enough for a 300-page decree, bounded so that a pathological input cannot run for long.
_HEADER_LINES = 60
_FULL_RAW_LINES = 120
_MAX_TEXT_CHARS = 2_000_000

_NUMBER_LINE_RE = re.compile(
    r"^(?:(?:Luật|Bộ luật|Pháp lệnh|Lệnh|Nghị quyết)\s+)?Số(?:\s+ký\s+hiệu)?\s*[:.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_PASSED_RE = re.compile(
    r"thông\s+qua\s+ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.IGNORECASE
)
_PASSED_TYPES = {"luat", "nghi-quyet", "phap-lenh"}
_LAW_PREFIX_RE = re.compile(r"^(?:Luật|Bộ luật)\s+số", re.IGNORECASE)
_VV_RE = re.compile(r"^V\s*/\s*v\b\s*[:.]?\s*(?P<rest>.*)$", re.IGNORECASE)
# Case-sensitive on purpose: "thực hiện …" in lower case continues a summary, "Thực hiện …" opens the body.
_BODY_START_RE = re.compile(
    r"^(?:(?:[-+•]\s*)?(?:Căn cứ|CĂN CỨ)|Kính gửi|KÍNH GỬI|Điều\s+\d|Chương\s+[IVXLC\d]+\b|Phần\s+(?:thứ|[IVXLC\d]+)\b|"
    r"Mục\s+\d|[IVX]{1,5}\.\s|\d{1,2}\.\s|[a-zđ]\)\s)"
)
# Openings of a body that can also open a summary ("KẾ HOẠCH / Thực hiện Nghị quyết số …"): they end a
# summary only after its first line.
_WEAK_BODY_START_RE = re.compile(
    r"^(?:Thực hiện|Xét\s|Trả lời|Theo đề nghị|Theo\s+(?:chỉ đạo|ý kiến)|Hôm nay|Để\s|Nhằm\s)"
)
# Openings that only a sentence of the body has: a date or a time adverbial followed by a comma ("Ngày
# 15/7/2025, Bộ Công an …", "Hiện nay, …", "Chiều ngày 14/7/2025, …"). No summary starts like this.
_BODY_OPENER_RE = re.compile(
    r"^(?:Ngày\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|-\d{1,2}-\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4})\s*,"
    r"|(?:Sáng|Trưa|Chiều|Tối|Đêm)\s+(?:nay|qua|ngày\s+\d)"
    r"|(?:Hiện nay|Vừa qua|Gần đây|Thời gian qua|Thời gian vừa qua|Những năm qua|Những năm gần đây"
    r"|Trong (?:thời gian|những năm|năm|tháng|tuần) (?:qua|vừa qua|gần đây)|Năm \d{4}|Thời gian tới)\s*,)"
)
# Words that start an account in the body ("Qua kiểm tra …", "Tiếp tục …", "Theo báo cáo …") but may also
# open a summary ("Tiếp tục thực hiện …"): like the weak openings, they end a summary after its first line,
# whose wrapped lines go on in lower case ("… / theo Nghị quyết số …").
_WEAK_BODY_OPENER_RE = re.compile(r"^(?:Qua\s|Tiếp tục\s|Theo\s(?!dõi\b))")
# Lines a summary never reaches into: the recipients' list and a signature block's authority or position
# ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ GIÁM ĐỐC" alone on its line).
_SUMMARY_STOP_RE = re.compile(
    r"^(?:N[ơo]i\s+nh[ậa]n\b|(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\s*[.:/]\s*\S"
    r"|(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|CHÁNH VĂN PHÒNG|TRƯỞNG BAN|BỘ TRƯỞNG|THỦ TRƯỞNG|BÍ THƯ)\s*$)"
)
# A body paragraph after a complete summary line: longer than any summary line and ending a sentence.
_LONG_BODY_LINE = 120
_ENACTING_RE = re.compile(r"^(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|NGHỊ QUYẾT)\s*:")
# The type line: the known type names (folded), longest first; "NGHỊ ĐỊNH THƯ" is a treaty protocol.
# "BỘ LUẬT" (a code: Bộ luật Lao động) is a law.
# "PHIẾU TRÌNH" (giải quyết công việc): the office's submission slip to the chairman, an internal form whose
# subject is its "Vấn đề trình:" item.
_EXTRA_TYPE_NAMES = {"BỘ LUẬT": "luat", "PHIẾU TRÌNH": "phieu-trinh"}
# An annex printed on its own ("Phụ lục VIII", "PHỤ LỤC 01.", "Phụ lục I DANH MỤC …"), its heading under it or
# on the same line, then "(Kèm theo Nghị quyết số …)" naming the document it belongs to.
_ANNEX_RE = re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?[IVXLC\d]+[a-z]?\b)?[.:]?\s*(?P<rest>.*)$")
_ATTACHED_RE = re.compile(r"\(\s*(?:Ban hành\s+)?kèm theo\b", re.IGNORECASE)
_ANNEX_TOP_LINES = 3  # "Phụ lục" opens the text (after the motto at most)
# A law or an ordinance is named by its type and subject together ("Luật Đường bộ", "Bộ luật Lao động"); the
# subject printed under the type line alone is not its name.
_NAMED_WITH_TYPE = frozenset({"luat", "phap-lenh"})
_SUBMITTED_RE = re.compile(r"^(?:\d+\.\s*)?Vấn đề trình\s*:\s*(?P<rest>\S.*)$", re.IGNORECASE)
_SUBMISSION_LINES = 15  # the "Vấn đề trình" item comes within the first lines after the heading
_TYPE_KEYS = sorted(
    ((fold_same_length(name), slug) for name, slug in (dict(TYPE_NAMES) | _EXTRA_TYPE_NAMES).items()),
    key=lambda t: -len(t[0]),
)
_NOT_TYPE_LINES = ("NGHI DINH THU",)


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and sum(ch.isupper() for ch in letters) >= 0.9 * len(letters)


def _type_of_line(text: str) -> str | None:
    if not _is_upper(text) or text.rstrip().endswith(":") or len(text.split()) > 7:
        return None
    folded = re.sub(r"\s+", " ", fold_same_length(text).strip(" .")).strip()
    if any(folded.startswith(bad) for bad in _NOT_TYPE_LINES):
        return None
    for key, slug in _TYPE_KEYS:
        if folded == key or folded.startswith(key + " "):
            return slug
    return None


def _clean_number_text(text: str) -> str:
    text = re.sub(r"/\s*/", "/", text)
    # OCR reads "11" as "II"/"Il": only in the sequence number, before the first slash
    m = re.match(r"^\s*([0-9IlO|]{1,6})\s*/", text)
    if m and not m.group(1).isdigit():
        digits = m.group(1).translate(str.maketrans("IlO|", "1101"))
        text = digits + text[m.end(1) :]
    return text


def _parse_number_line(text: str) -> tuple[DocNumber | None, bool]:
    m = _NUMBER_LINE_RE.match(text)
    if not m:
        return None, False
    rest = m.group("rest").strip()
    if not rest or not re.match(r"^[\dIlO|/.…_\[]", rest):
        return None, False
    parsed = parse_number(_clean_number_text(rest))
    return parsed, bool(_LAW_PREFIX_RE.match(text))


def _join_title(parts: list[str]) -> str | None:
    title = " ".join(p.strip() for p in parts if p.strip())
    title = re.sub(r"\s+", " ", title)
    title = re.sub(r"\s+([,.;:)])", r"\1", title)
    title = re.sub(r"([(])\s+", r"\1", title)
    title = title.strip(" .;:,-_")
    return title or None


def _date_from(parts: DateLine | None) -> date | None:
    if parts is None or None in (parts.day, parts.month, parts.year):
        return None
    try:
        return date(parts.year, parts.month, parts.day)  # type: ignore[arg-type]
    except ValueError:
        return None


def _printed(parts: DateLine | None) -> tuple[int, int, int] | None:
    if parts is None or parts.day is None or parts.month is None or parts.year is None:
        return None
    return parts.day, parts.month, parts.year


def _title_after_type(lines: list[Line], start: int) -> tuple[str | None, int]:
    """Summary lines under the type line; returns (title, index after the last line used)."""
    parts: list[str] = []
    upper_title: bool | None = None
    i = start
    while i < len(lines) and len(parts) < 10:
        line = lines[i]
        if line.kind == "running":
            i += 1
            continue
        if line.kind == "blank":
            if not parts:
                i += 1
                continue
            nxt = next((ln for ln in lines[i + 1 : i + 3] if ln.kind == "text"), None)
            if nxt is not None and nxt.text[:1].islower():
                i += 1
                continue
            break
        if line.kind != "text":
            break
        text = line.text
        vv = _VV_RE.match(text)
        if vv and not parts:
            text = vv.group("rest")  # "QUYẾT ĐỊNH / V/v phê duyệt …": the summary written as for a công văn
        elif (
            _BODY_START_RE.match(text)
            or _ENACTING_RE.match(text)
            or vv
            or _SUMMARY_STOP_RE.match(text)
            or _BODY_OPENER_RE.match(text)
            or (parts and (_WEAK_BODY_START_RE.match(text) or _WEAK_BODY_OPENER_RE.match(text)))
        ):
            break
        found = match_date_line(text)
        if found and found[0] == 0:
            break
        is_upper = _is_upper(text)
        if parts and not upper_title and _ends_short(parts[-1]) and text[:1].isupper() and _reads_as_body(text):
            # "Về việc nghỉ lễ" / "Nội dung thông báo …": a short summary line that does not wrap (nor
            # dangle a connector) is complete; a capitalised sentence on the next line opens the body, which
            # PDFs and plain texts often print without a blank line between. A short capitalised line
            # without a sentence's end continues the summary ("… kỷ niệm 70 năm" / "Ngày Chiến thắng …").
            break
        if (
            parts
            and not upper_title
            and text[:1].isupper()
            and text.rstrip().endswith(":")
            and _DANGLING.search(parts[-1]) is None
        ):
            # "Sở Văn hóa và Thể thao trân trọng kính mời:", "… Chủ tịch UBND tỉnh chỉ thị:": a sentence that
            # introduces the body's list; no summary line ends with a colon (Word files print the body right
            # under the summary, QA).
            break
        if parts and _DANGLING.search(parts[-1]) is None and _is_long_sentence(text):
            # a summary printed as one paragraph (Word) followed by a body paragraph without a blank line
            break
        if upper_title is None:
            upper_title = is_upper
        elif is_upper != upper_title:
            # A mixed-case summary ends at the enacting body's name in capitals ("ỦY BAN NHÂN DÂN TỈNH …",
            # "BỘ TRƯỞNG BỘ XÂY DỰNG"); a summary in capitals ends where mixed case starts.
            break
        parts.append(text)
        i += 1
    return _join_title(parts), i


_SHORT_TITLE_LINE = 40  # characters: a summary line this short did not wrap
_DANGLING = re.compile(r"(?:[,\-–(]|\b(?:và|của|về|cho|tại|trên|theo|đối với|với|các|những))\s*$", re.IGNORECASE)


def _reads_as_body(line: str) -> bool:
    """A paragraph of the body rather than the rest of a summary: a sentence's end, or paragraph length."""
    return line.rstrip().endswith((".", ":", ";")) or len(line) >= _BODY_LINE


_BODY_LINE = 80  # characters: a summary's wrapped line is shorter


def _is_long_sentence(line: str) -> bool:
    text = line.rstrip()
    return len(text) > _LONG_BODY_LINE and text[:1].isupper() and text.endswith(".")


def _ends_short(line: str) -> bool:
    return len(line) < _SHORT_TITLE_LINE and _DANGLING.search(line) is None


def _title_after_vv(lines: list[Line], start: int, first: str) -> str | None:
    parts = [first]
    i = start
    while i < len(lines) and len(parts) < 8:
        line = lines[i]
        i += 1
        if line.kind in ("motto", "rule", "running"):
            continue
        if line.kind == "blank":
            break
        text = line.text
        found = match_date_line(text)
        if (found and found[0] == 0) or _parse_number_line(text)[0] is not None:
            continue  # the right column interleaved with the summary
        if (
            _BODY_START_RE.match(text)
            or _WEAK_BODY_START_RE.match(text)
            or _BODY_OPENER_RE.match(text)
            or _WEAK_BODY_OPENER_RE.match(text)
            or _SUMMARY_STOP_RE.match(text)
            or _is_upper(text)
            or _type_of_line(text)
            or (_DANGLING.search(parts[-1]) is None and _is_long_sentence(text))
        ):
            break
        parts.append(text)
    return _join_title(parts)


@dataclass
class _Top:
    """What the top of the document says (the part above the body)."""

    number: DocNumber | None = None
    law: bool = False
    date_parts: DateLine | None = None
    type_slug: str | None = None
    title: str | None = None
    vv_title: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    addressed: bool = False
    end: int = 0  # index of the first line after the header

    @property
    def anchored(self) -> bool:
        """True when a header element was found: without one, capitals at the top are not an issuer."""
        found = (self.number, self.date_parts, self.type_slug, self.vv_title)
        return any(x is not None for x in found) or self.addressed


# The rest of a long joint number wrapped onto the next line ("Số: 24/HDLN-BCA-BQP-BYT-" then
# "BCT-BTC-VKSNDTC-TANDTC"): code groups only, nothing else on the line.
_NUMBER_TAIL_RE = re.compile(r"^[A-ZĐ][A-ZĐa-z0-9]*(?:\s*-\s*[A-ZĐ0-9][A-ZĐa-z0-9]*)*$")


def _wrapped_number(lines: list[Line], i: int) -> DocNumber | None:
    """The number of line ``i`` joined with the next text line when the number breaks after a hyphen; a
    blank line or the motto between them (PDF reading order puts the right column in between) is skipped."""
    text = lines[i].text
    if not text.endswith("-"):
        return None
    for line in lines[i + 1 : i + 4]:
        if line.kind == "text":
            tail = line.text.strip()
            if not _NUMBER_TAIL_RE.match(tail):
                return None
            joined, _ = _parse_number_line(text + tail)
            return joined
    return None


def _read_top(lines: list[Line]) -> _Top:
    top = _Top()
    issuer_closed = False  # the issuer block ends at the number, the date or the "V/v" line
    motto_seen = False
    seen_text = 0
    for i in range(min(len(lines), _HEADER_LINES)):
        line = lines[i]
        if line.kind != "text":
            motto_seen = motto_seen or line.kind == "motto"
            continue
        text = line.text
        seen_text += 1
        parsed, is_law = _parse_number_line(text)
        found = match_date_line(text)
        vv = _VV_RE.match(text)
        if parsed is not None and top.number is None:
            top.number, top.law = _wrapped_number(lines, i) or parsed, is_law
        elif found and found[0] == 0 and top.date_parts is None:
            top.date_parts = found[1]
        elif vv and top.vv_title is None:
            top.vv_title = _title_after_vv(lines, i + 1, vv.group("rest"))
        elif seen_text <= _ANNEX_TOP_LINES and top.number is None and (annex := _ANNEX_RE.match(text)):
            top.type_slug = "phu-luc"
            top.title, top.end = _annex_title(lines, i, annex.group("rest"))
            return top
        elif slug := _type_of_line(text):
            top.type_slug = slug
            top.title, top.end = _title_after_type(lines, i + 1)
            if top.title is None:
                top.title = _title_without_lines_below(lines, i, slug)
            elif slug in _NAMED_WITH_TYPE and not fold_same_length(top.title).upper().startswith(
                    fold_same_length(text.strip()).upper()):
                top.title = f"{text.strip()} {top.title}"  # "LUẬT" / "ĐƯỜNG BỘ" is the Luật Đường bộ
            return top
        elif _BODY_START_RE.match(text) or _WEAK_BODY_START_RE.match(text):
            # a letter without number or type line (phiếu trình) still has its issuer above "Kính gửi"
            top.addressed = text.startswith(("Kính gửi", "KÍNH GỬI"))
            return top
        elif not issuer_closed and _is_upper(text):
            # after the motto, only a new body or the end of a wrapped one can still be part of the block
            # (a repeated header's caption or a "PHIẾU TRÌNH …" heading is not)
            previous = top.issuer_lines[-1] if top.issuer_lines else None
            if not motto_seen or previous is None or starts_body(text) or continues_strongly(previous, text):
                top.issuer_lines.append(text)
            motto_seen = False
            continue
        elif not issuer_closed and seen_text > 12:
            return top  # twelve lines and no header element: this text has no header
        else:
            continue
        issuer_closed = True
        top.end = i + 1
    return top


def _annex_title(lines: list[Line], i: int, rest: str) -> tuple[str | None, int]:
    """The heading of an annex: the rest of its "Phụ lục" line, else the lines under it, up to "(Kèm theo …)"."""
    rest = _ATTACHED_RE.split(rest, maxsplit=1)[0]
    if rest.strip(" ._-"):
        return _join_title([rest]), i + 1
    title, end = _title_after_type(lines, i + 1)
    return (_join_title([_ATTACHED_RE.split(title, maxsplit=1)[0]]) if title else None), end


def _title_without_lines_below(lines: list[Line], i: int, slug: str) -> str | None:
    """The summary of a document whose type line has no summary under it.

    A phiếu trình states its subject as an item ("2. Vấn đề trình: Về việc ban hành …"); other documents may
    print the summary on the type line itself ("BIÊN BẢN LÀM VIỆC", "BÁO CÁO TÓM TẮT …"), which then is the
    title as printed.
    """
    if slug == "phieu-trinh":
        for line in lines[i + 1 : i + 1 + _SUBMISSION_LINES]:
            found = _SUBMITTED_RE.match(line.text) if line.kind == "text" else None
            if found:
                return _join_title([found.group("rest")])
    words = lines[i].text.split()
    folded = fold_same_length(" ".join(words))
    names = [len(key.split()) for key, key_slug in _TYPE_KEYS if key_slug == slug and folded.startswith(key)]
    return _join_title([lines[i].text.strip()]) if names and len(words) > names[0] else None


def _doc_type(top: _Top) -> str | None:
    if top.type_slug:
        return top.type_slug
    if top.number is not None:
        if top.law:
            return "luat"
        if top.number.type_code:
            return top.number.doc_type
    return "cong-van" if top.vv_title else None


def parse_header(text: str) -> Header:
    """Read number, type, issuer, place, date, title, signer and recipients from a document's text.

    Fields the text does not show are None (or an empty tuple). Never raises on odd input.
    """
    if not text or not text.strip():
        return Header()
    source = text[:_MAX_TEXT_CHARS]
    lines = prepare_lines(source, full_lines=_FULL_RAW_LINES)
    top = _read_top(lines)
    issuer, parent = issuer_and_parent(top.issuer_lines) if top.anchored else (None, None)
    doc_type = _doc_type(top)
    date_parts = top.date_parts
    if date_parts is None and doc_type in _PASSED_TYPES:
        # Laws and resolutions of the National Assembly (and its Standing Committee) may print no date
        # line: their date is the day they were passed, stated in the closing sentence.
        passed = _PASSED_RE.search(source)
        if passed:
            day, month, year = (int(passed.group(g)) for g in ("d", "m", "y"))
            date_parts = DateLine(None, day, month, year)
    signer, _ = find_signer(lines, top.end)
    recipients, _ = find_recipients(lines, top.end)
    number = top.number
    return Header(
        number=number.number if number else None,
        symbol=(number.symbol or None) if number else None,
        doc_type=doc_type,
        issuer=issuer,
        parent=parent,
        place=date_parts.place if date_parts else None,
        issued_date=_date_from(date_parts),
        date_printed=_printed(date_parts),
        title=top.title if top.title is not None else top.vv_title,
        signer=normalize(signer, keep_newlines=False) if signer else None,
        recipients=tuple(normalize(r, keep_newlines=False) for r in recipients),
    )

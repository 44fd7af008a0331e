"""Document numbers (số ký hiệu) and dates: parse, normalise, find in text.

A number such as ``49/2015/QĐ-TTg`` is sequence ``49``, year ``2015``, type code ``QĐ`` (quyết định) and
issuing-body code ``TTg`` (Thủ tướng). Numbers without a type code are công văn (``3637/UBND-VX``). Party
documents write ``161-TB/TU``. Real data is messy — ``QÐ`` with an Icelandic eth, ``1906 /QĐ-UBND``,
``157/TB_UBND``, ``19/Ctr-UBND``, ``109/UBND - VX`` — and all of those parse to their canonical form.
Code groups some bodies print after a space belong to the symbol and are joined with "-", the separator
every number key uses: ``22/QĐ-TT HĐND`` → ``22/QĐ-TT-HĐND``; a sequence number may hold decimals
(``66.18/2026/NQ-CP``).

Example
-------
>>> parse_number("Số: 49/2015/QÐ-TTg").number
'49/2015/QĐ-TTg'
>>> parse_number("19/Ctr-UBND").doc_type
'chuong-trinh'
>>> parse_number("3637/UBND-VX").doc_type
'cong-van'
>>> parse_number("90/TB-BCH PCTT-TKCN").number
'90/TB-BCH-PCTT-TKCN'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from nlp.abbreviations import TYPE_CODES, TYPE_NAMES, canonical_abbreviation, canonical_type_code
from nlp.normalize import fold, normalize

_UPPER = "A-ZĐÂĂÊÔƠƯ"
# A symbol part: starts with a capital; may hold digits and a few lower-case letters (TTg, CTr, QyĐ).
_PART = rf"[{_UPPER}][{_UPPER}a-zđ0-9]*(?:&[{_UPPER}]+)?"
_SEQ = r"\d{1,6}(?:\.\d{1,3})?[a-z]?"
_BLANK_SEQ = r"(?:\[trống\]|\.{2,}|…+|_+)?"
# A group of codes printed after a space in a symbol (``HĐND`` in ``22/QĐ-TT HĐND``): capitals only.
_CODE_PART = rf"[{_UPPER}][{_UPPER}0-9&]+"
_CODE_GROUP = re.compile(rf"{_CODE_PART}(?:-{_CODE_PART})*")
_VOWEL = re.compile(r"[AEIOUY]", re.IGNORECASE)

# Strict form used to find numbers in running text: no spaces except around "/" and "-".
_NUMBER_IN_TEXT = re.compile(
    rf"(?<![\w/.)-])"  # not after ")": "Pb(CH3)4/Pb" is a formula
    rf"(?P<seq>{_SEQ})"
    # the year after "/", or after "-" as the Government prints its yearly resolutions ("19-2018/NQ-CP")
    rf"(?:(?:\s?/\s?|-)(?P<year>(?:19|20)\d\d))?"
    rf"\s?/\s?(?P<symbol>{_PART}(?:\s?-\s?{_PART})*)"
    rf"(?![\w/])"
)
_SPACED_CODES = re.compile(rf" ({_CODE_PART}(?:-{_CODE_PART})*)(?![\w/])")
_PARTY_IN_TEXT = re.compile(
    rf"(?<![\w/.-])(?P<seq>\d{{1,6}})-(?P<type>[{_UPPER}][{_UPPER}a-z]*)/(?P<body>{_PART}(?:-{_PART})*)(?![\w/])"
)
_QCVN_IN_TEXT = re.compile(rf"\b(?P<std>QCVN|TCVN)\s?(?P<seq>[\d.\-]+[a-z]?):(?P<year>\d{{4}})(?:/(?P<body>{_PART}))?")

_DATE_NUMERIC = re.compile(r"(?<![\d/])(?P<d>\d{1,2})\s?[/.-]\s?(?P<m>\d{1,2})\s?[/.-]\s?(?P<y>(?:19|20)\d\d)(?!\d)")
_DATE_WORDS = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20)\d\d)", re.IGNORECASE
)
# What every match of _DATE_NUMERIC holds: a separator, an optional space and the year. The finders' patterns
# open with a look-behind, which the regex engine tries at every position of a line; this one opens with a
# character class, which it scans for in C, so a line without it is dismissed ~5x faster (see find_dates).
_DATE_NUMERIC_HINT = re.compile(r"[/.-]\s?(?:19|20)\d\d")


@dataclass(frozen=True)
class DocNumber:
    """A parsed số ký hiệu. ``number`` is None when the numeric part is blank (a draft)."""

    number: str | None
    seq: str | None
    year: int | None
    symbol: str
    type_code: str | None
    body_codes: tuple[str, ...]
    doc_type: str | None
    raw: str = ""

    @property
    def key(self) -> str:
        """Matching key: folded, upper case, separators unified (``139/kh - ubnd`` → ``139/KH-UBND``)."""
        return number_key(self.number or self.symbol)


def number_key(text: str) -> str:
    """Folded, upper-cased form of a number for exact lookups that ignore case and diacritics."""
    return fold(normalize(text, keep_newlines=False)).upper().replace(" ", "")


def _clean(text: str) -> str:
    text = normalize(text, keep_newlines=False)
    text = re.sub(r"^(?:số\s*(?:ký hiệu|kí hiệu)?\s*[:.]?\s*)", "", text, flags=re.IGNORECASE)
    text = text.replace("_", "-")
    text = re.sub(r"\s*([/-])\s*", r"\1", text)
    return text.strip(" .,;:()")


def _split_symbol(symbol: str) -> tuple[str | None, tuple[str, ...], str]:
    """(type code, body codes, canonical symbol) of a symbol such as ``kh-ubnd``."""
    parts = [p for p in re.split(r"-+", symbol) if p]
    if not parts:
        return None, (), ""
    type_code = canonical_type_code(parts[0])
    # A lone part is a body code (``QH15``, ``BCĐ``), except for real type codes printed alone
    # (``[trống]/QĐ`` in templates).
    if type_code and (len(parts) > 1 or parts[0].upper() in {c.upper() for c in TYPE_CODES}):
        bodies = tuple(_canonical_body(p) for p in parts[1:])
        return type_code, bodies, "-".join((type_code, *bodies))
    bodies = tuple(_canonical_body(p) for p in parts)
    return None, bodies, "-".join(bodies)


# Body codes printed in mixed case, by their upper-case form: a title in capitals or a source that
# lower-cased its summaries ("49/2015/qđ-ttg") still gives the number as the Prime Minister's office prints it.
_MIXED_CASE_BODIES = {"TTG": "TTg"}


def _canonical_body(part: str) -> str:
    # Body codes are printed in capitals except a few mixed-case ones (TTg); keep mixed case as printed
    # when it has an upper-case letter after the first, otherwise upper-case it.
    if part.isupper() or part.islower():
        return _MIXED_CASE_BODIES.get(part.upper(), part.upper())
    return part


def _symbol_text(printed: str) -> str:
    """The symbol of a number as printed after its last "/", its parts joined by "-".

    Some bodies print the rest of their symbol after a space (``22/QĐ-TT HĐND`` of the Standing Committee
    of a People's Council, ``140/BCĐ VĐ HMTN``): those code groups belong to the number and are joined with
    "-" (``QĐ-TT-HĐND``), the separator a clerk types and every number key uses. A trailing note such as
    ``(138)`` or words after the number (``ngày …``, a place name) are not part of it.
    """
    groups = printed.split("(")[0].split()
    if not groups:
        return ""
    kept = [groups[0]]
    for group in groups[1:]:
        if not _is_code_group(group):
            break
        kept.append(group)
    return "-".join(kept)


def _is_code_group(group: str) -> bool:
    # Codes printed in capitals (HĐND, PCTT-TKCN, VĐ HMTN): known ones, or letters no Vietnamese word is made
    # of (no vowel), so that a place printed in capitals on the number line ("AN GIANG") stays out. Typed in
    # lower case (a clerk's "22/qđ-tt hđnd"), only known codes of three letters or more.
    parts = group.split("-")
    if _CODE_GROUP.fullmatch(group):
        return all(_known_code(part) or not _VOWEL.search(fold(part)) for part in parts)
    return all(len(part) >= 3 and _known_code(part) for part in parts)


def _known_code(part: str) -> bool:
    return bool(canonical_type_code(part) or canonical_abbreviation(part))


def _doc_type(type_code: str | None, year: int | None, bodies: tuple[str, ...]) -> str | None:
    if type_code:
        return TYPE_CODES[type_code][0]
    if year is not None:
        # Numbered with a year but no type code: a law or a resolution of the National Assembly.
        return None
    return "cong-van" if bodies else None


def parse_number(text: str | None) -> DocNumber | None:
    """Parse a số ký hiệu typed or printed loosely; None when ``text`` holds no number.

    Example
    -------
    >>> n = parse_number("1906 /QĐ-UBND")
    >>> (n.number, n.seq, n.type_code, n.body_codes, n.doc_type)
    ('1906/QĐ-UBND', '1906', 'QĐ', ('UBND',), 'quyet-dinh')
    >>> parse_number("Số:      /KH-SCT").number is None
    True
    """
    if not text or not text.strip():
        return None
    raw = text
    cleaned = _clean(text)
    if not cleaned:
        return None
    standard = _QCVN_IN_TEXT.fullmatch(cleaned)
    if standard:
        body = standard.group("body")
        head = f"{standard.group('std')} {standard.group('seq')}:{standard.group('year')}"
        return DocNumber(
            number=f"{head}/{body}" if body else head,
            seq=standard.group("seq"),
            year=int(standard.group("year")),
            symbol=standard.group("std"),
            type_code=None,
            body_codes=(body,) if body else (),
            doc_type="quy-chuan" if standard.group("std") == "QCVN" else "tieu-chuan",
            raw=raw,
        )
    party = re.fullmatch(rf"(\d{{1,6}})-([{_UPPER}][{_UPPER}a-z]*)/(.+)", cleaned)
    if party:
        seq, code, body = party.groups()
        type_code = canonical_type_code(code)
        bodies = tuple(_canonical_body(p) for p in body.split("-") if p)
        if type_code:
            return DocNumber(
                number=f"{seq}-{type_code}/{'-'.join(bodies)}",
                seq=seq,
                year=None,
                symbol=f"{type_code}/{'-'.join(bodies)}",
                type_code=type_code,
                body_codes=bodies,
                doc_type=TYPE_CODES[type_code][0],
                raw=raw,
            )
    # "1830 QĐ-UBND": the slash was forgotten
    cleaned = re.sub(r"^(\d{1,6})\s+(?=[^\W\d_])", r"\1/", cleaned)
    m = re.fullmatch(
        rf"(?P<seq>{_SEQ}|{_BLANK_SEQ})(?:(?P<sep>[/-])(?P<year>(?:19|20)\d\d))?/(?P<symbol>[^\s/]+(?:\s+[^\s/]+)*)",
        cleaned,
        flags=re.IGNORECASE,
    )
    if not m:
        return None
    seq = m.group("seq")
    seq = seq if seq and seq[0].isdigit() else None
    year = int(m.group("year")) if m.group("year") else None
    symbol_text = _symbol_text(m.group("symbol"))
    if not re.search(r"[^\W\d_]", symbol_text):
        return None
    type_code, bodies, symbol = _split_symbol(symbol_text)
    if not symbol:
        return None
    if seq is None:
        number = None
    elif year is not None:
        number = f"{seq}{m.group('sep')}{year}/{symbol}"  # "19-2018/NQ-CP" stays as printed
    else:
        number = f"{seq}/{symbol}"
    return DocNumber(
        number=number,
        seq=seq,
        year=year,
        symbol=symbol,
        type_code=type_code,
        body_codes=bodies,
        doc_type=_doc_type(type_code, year, bodies),
        raw=raw,
    )


@dataclass(frozen=True)
class Span:
    """A piece of text found by a finder: ``text`` is as printed, ``start``/``end`` index the input."""

    text: str
    start: int
    end: int


def _number_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """The number patterns that can match in ``text``, in :func:`find_numbers`' order.

    Each pattern opens with a look-behind that the regex engine tries at every position, so running the
    three on every line with a digit cost more than segmenting it; a substring test (in C) skips those that
    cannot match: a standard needs ``QCVN``/``TCVN``, every other number a ``/``. Skipping a pattern that
    finds nothing cannot change the spans (overlaps are settled between finds only).
    """
    if "/" not in text:
        return (_QCVN_IN_TEXT,) if "CVN" in text else ()
    if "CVN" in text:
        return (_QCVN_IN_TEXT, _PARTY_IN_TEXT, _NUMBER_IN_TEXT)
    return (_PARTY_IN_TEXT, _NUMBER_IN_TEXT)


def find_numbers(text: str) -> list[Span]:
    """Every document number in ``text`` (as printed), in order; overlapping finds are merged."""
    spans: list[Span] = []  # in order, none overlapping another
    for pattern in _number_patterns(text):
        # Finds of one pattern never overlap each other: each is checked against the earlier patterns'
        # spans next to it only (a law code holds thousands of numbers: testing every span was quadratic).
        starts = [s.start for s in spans]
        found: list[Span] = []
        for m in pattern.finditer(text):
            i = bisect_right(starts, m.start())
            if (i and spans[i - 1].end > m.start()) or (i < len(spans) and spans[i].start < m.end()):
                continue
            if pattern is _NUMBER_IN_TEXT and not (_plausible_symbol(m["symbol"]) and _plausible_dash_year(text, m)):
                continue
            end = m.end()
            if pattern is _NUMBER_IN_TEXT:
                # the rest of the symbol printed after a space ("145/2020/NĐ CP", "22/QĐ-TT HĐND"), up to the
                # next number found ("… QCVN 01:2009/BYT")
                limit = spans[i].start if i < len(spans) else len(text)
                while (more := _SPACED_CODES.match(text, end)) and more.end() <= limit and _is_code_group(more[1]):
                    end = more.end()
            found.append(Span(text[m.start() : end], m.start(), end))
        if found:
            spans = sorted(spans + found, key=lambda s: s.start)
    return spans


def _plausible_dash_year(text: str, m: re.Match[str]) -> bool:
    """A year after a dash ("19-2018/NQ-CP") is not read after a year ("giai đoạn 2021-2025/KH-UBND") nor in a
    code after a colon ("QTKĐ:06-2021/BLĐTBXH", a procedure's code in page headers)."""
    if not m["year"] or text[m.end("seq")] != "-":
        return True
    return not (_YEAR_LIKE.fullmatch(m["seq"]) or text[max(0, m.start() - 1) : m.start()] == ":")


_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


def _plausible_symbol(symbol: str) -> bool:
    # In running text a symbol part must look like a code: at least two capitals or a known type code,
    # so that "5/Tháng" or "3/Hà" do not pass.
    parts = re.split(r"\s?-\s?", symbol)
    first = parts[0]
    return sum(ch.isupper() for ch in first) >= 2 or canonical_type_code(first) is not None


def parse_date(text: str) -> date | None:
    """The first valid date in ``text``: ``12/7/2022``, ``12-07-2022``, ``ngày 12 tháng 7 năm 2022``."""
    for pattern in (_DATE_WORDS, _DATE_NUMERIC):
        for m in pattern.finditer(text):
            try:
                return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
    return None


def find_dates(text: str) -> list[Span]:
    """Every valid date written with numbers in ``text``; impossible dates (31/2/2022) are skipped."""
    spans: list[Span] = []
    # Each pattern only where a match could be (the same finds, far cheaper): _DATE_NUMERIC where its hint
    # occurs, _DATE_WORDS where "tháng" does in any case (none of its letters has a case-insensitive
    # equivalent besides its capital, so the lower-cased text holds it wherever the pattern matches).
    patterns: tuple[re.Pattern[str], ...] = (_DATE_WORDS,) if "tháng" in text.lower() else ()
    if _DATE_NUMERIC_HINT.search(text):
        patterns += (_DATE_NUMERIC,)
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in spans):
                continue
            try:
                date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            spans.append(Span(m.group(0), m.start(), m.end()))
    spans.sort(key=lambda s: s.start)
    return spans


@dataclass(frozen=True)
class Reference:
    """A document cited in a text: "thực hiện Quyết định số 49/2015/QĐ-TTg ngày 14/10/2015 của …"."""

    number: DocNumber
    span: Span
    doc_type: str | None  # from the words before the number, else from its type code
    issued_date: date | None
    issuer_text: str | None  # "Thủ tướng Chính phủ" when the text says "của Thủ tướng Chính phủ"


_TYPE_WORDS = sorted(TYPE_NAMES, key=len, reverse=True)
_TYPE_BEFORE = re.compile(
    r"(?P<type>" + "|".join(re.escape(t) for t in _TYPE_WORDS) + r")\s+(?:số\s*)?[:]?\s*$",
    re.IGNORECASE,
)
# Words that begin what the cited document does or who carries it out, never part of its issuer's name: "của
# Chính phủ sửa đổi, bổ sung …", "của Chính phủ do Ủy ban nhân dân cấp xã thực hiện". A line break ends the
# name as well (the issuer may not hold one).
_NOT_ISSUER = (
    r"(?:về|sửa(?:\s+đổi)?|bổ\s+sung|quy\s+định|hướng\s+dẫn|ban\s+hành|phê\s+duyệt|thay\s+thế|bãi\s+bỏ"
    r"|thực\s+hiện|triển\s+khai|đối\s+với|kèm\s+theo|đã|được|đang|sẽ|là|theo|do|bằng"
    r"|điều\s+chỉnh|công\s+bố|thành\s+lập|tăng\s+cường|tiếp\s+tục|chấp\s+thuận|phân\s+công)\b"
)
# The date and the issuer after a cited number. The issuer must end where a name can end; when it cannot be
# told ("… của ủy ban nhân dân tỉnh và cho phép công ty …"), the date is still read.
_AFTER = re.compile(
    r"^\s*(?:ngày\s+(?P<date>\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
    r"(?:\s*của\s+(?P<issuer>[^,;.()\n]{3,80}?)(?=\s*(?:[,;.()\n]|" + _NOT_ISSUER + r"|$)))?",
    re.IGNORECASE,
)


_ISSUER_STOP = re.compile(
    r"\s+(?:và\s+|số\s+)?(?:" + "|".join(re.escape(t) for t in _TYPE_WORDS) + r")\b|\s+số\s|\s+và\s+(?=\d)",
    re.IGNORECASE,
)


_DANGLING_AND = re.compile(r"\s+và$", re.IGNORECASE)


def _trim_issuer(issuer: str) -> str | None:
    # "của Thủ tướng Chính phủ và Kế hoạch số …" — the issuer ends where the next citation starts.
    issuer = _ISSUER_STOP.split(issuer, maxsplit=1)[0].strip()
    issuer = _DANGLING_AND.sub("", issuer)  # "của Chính phủ và | được sửa đổi …"
    return issuer or None


# A line break before a word in lower case: a PDF's or a Word file's wrapped line, inside a sentence.
_WRAPPED = re.compile(r"[ \t]*\n[ \t]*(?=([^\W\d_]))")


def _unwrapped(text: str) -> str:
    """``text`` with wrapped lines joined: "của Thủ tướng Chính\nphủ;" names "Thủ tướng Chính phủ" (QA: 47
    issuers cut at the line end, "Văn", "Bộ trưởng Bộ Giao"). A line starting in capitals starts anew. The
    dot of "TP.HCM" is a space, so that the issuer does not end there."""
    return _CITY_DOT.sub("TP ", _WRAPPED.sub(lambda m: " " if m.group(1).islower() else "\n", text))


_CITY_DOT = re.compile(r"\bTP\.\s?(?=[A-ZĐ])")


def find_references(text: str) -> list[Reference]:
    """Documents cited in ``text``, with the type word, date and issuer printed around each number.

    Example
    -------
    >>> ref = find_references("thực hiện Quyết định số 49/2015/QĐ-TTg ngày 14/10/2015 của Thủ tướng Chính phủ")[0]
    >>> (ref.number.number, ref.doc_type, ref.issued_date.isoformat(), ref.issuer_text)
    ('49/2015/QĐ-TTg', 'quyet-dinh', '2015-10-14', 'Thủ tướng Chính phủ')
    """
    text = normalize(text)
    refs: list[Reference] = []
    for span in find_numbers(text):
        parsed = parse_number(span.text)
        if parsed is None or parsed.number is None:
            continue
        before = _TYPE_BEFORE.search(text[max(0, span.start - 40) : span.start])
        doc_type = TYPE_NAMES.get(before.group("type").upper()) if before else None
        after = _AFTER.match(_unwrapped(text[span.end : span.end + 160]))
        issued = parse_date("ngày " + after.group("date")) if after and after.group("date") else None
        issuer = _trim_issuer(after.group("issuer")) if after and after.group("issuer") else None
        refs.append(
            Reference(
                number=parsed,
                span=span,
                doc_type=parsed.doc_type if parsed.type_code else (doc_type or parsed.doc_type),
                issued_date=issued,
                issuer_text=issuer,
            )
        )
    return refs

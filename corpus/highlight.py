"""Snippets of the original text with the matched words marked (``<mark>…</mark>``), HTML-escaped.

The index matches analysed terms (alphanumeric runs, lower-cased, optionally folded); to show *why* a
document matched, the original title and body are searched for the same terms and marked where they
stand, with their own capitals and diacritics.

Speed matters here (ten bodies per search): the text is lower-cased once and searched with ``str.find``
for the surface forms of each term — the exact form for words typed with diacritics, every form the
index knows (``duong`` → ``đường``, ``dương``, ``dưỡng``…, see :meth:`corpus.index.SearchIndex.surface_forms`)
for words typed without. A per-term pattern over all Vietnamese letters is the fallback when no known
form occurs (a form the vocabulary has not seen yet).

Example
-------
>>> m = Matcher.for_terms({"duong"}, forms=lambda t: ("đường", "dương"))
>>> highlight_title("Nâng cấp Đường ĐT 743", m)
'Nâng cấp <mark>Đường</mark> ĐT 743'
>>> highlight_text("Dự án nâng cấp tuyến đường ĐT 743 qua thị xã Thuận An.", m, fragment_chars=30)
('…cấp tuyến <mark>đường</mark> ĐT 743 qua thị xã…',)
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from corpus.query import fold_term as fold
from corpus.query_model import ParsedQuery
from nlp.header_signature import closing_block_start, is_authority_line

MAX_SCAN_CHARS = 50_000  # a body is searched for snippets this far (a law code is not read to its end)
_TITLE_CHARS = 400
_PER_FORM = 8  # occurrences of one form worth knowing about when choosing fragments
_GAP = re.compile(r"[\s/\-.,&]{1,3}")  # what may separate two marks that read as one (phòng, chống; 139/KH)

Span = tuple[int, int, str]  # start, end, folded term

_HEADER_CHARS = 3000  # the header of an administrative document fits in its first lines
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "tu do", "hanh phuc")
_HEADER_LINE = re.compile(
    r"(?:số|so|v/v|kính gửi|kinh gui)\b\s*[:.]?"  # number, subject marker, addressee
    r"|.{0,30}\bsố\s*:"  # "Luật số: 84/2025/QH15"
    r"|.{0,60}\bngày\s*[\d.…_ ]*\s*tháng\s*[\d.…_ ]*\s*năm\b.{0,20}$",  # "Hà Nội, ngày 12 tháng 6 năm 2025"
    re.IGNORECASE,
)


_SUBJECT_LINE = re.compile(r"(?:v/v|về việc)\b", re.IGNORECASE)
_ADDRESSEES_LINE = re.compile(r"(?:kính gửi|kinh gui)\b", re.IGNORECASE)


def content_start(text: str, title: str | None = None) -> int:
    """Offset of what a document says, after its header boilerplate: the issuer block and the document
    type in capitals, the national motto (``CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM``, ``Độc lập - Tự do -
    Hạnh phúc``), rules, the number, place and date, ``Kính gửi``, and the summary when it is the
    document's ``title`` (shown above the snippets already: a snippet that opens with it says it twice).
    Snippets start there: the header says the same thing in every document of a province. 0 when the text
    has no such header, or is all header.

    Example
    -------
    >>> content_start("ỦY BAN NHÂN DÂN\\nTỈNH LÀO CAI\\nSố: 12/KH-UBND\\nLào Cai, ngày 5 tháng 5 năm 2026\\nKế hoạch…")
    77
    """
    offset = 0
    skipped = False
    subject = False  # within a "V/v …" summary, which may wrap onto lines starting in lower case
    addressees = False  # within the list after "Kính gửi:" ("- Sở Tài chính;")
    rest_of_title = _comparable(title) if title else ""
    for line in text[:_HEADER_CHARS].splitlines(keepends=True):
        stripped = line.strip()
        if stripped and _is_header_line(stripped):
            subject = _SUBJECT_LINE.match(stripped) is not None
            addressees = _ADDRESSEES_LINE.match(stripped) is not None
        elif stripped and subject and (stripped[0].islower() or stripped[0].isdigit()) and len(stripped) <= 160:
            pass  # "V/v tăng cường phòng, chống dịch bệnh / trên cá tra …", "V/v … Nghị định số / 32/2024/NĐ-CP …"
        elif stripped and addressees and stripped[0] in "-–+•" and len(stripped) <= 160:
            pass
        elif stripped:
            subject = addressees = False
            words = _comparable(stripped)
            if not (skipped and rest_of_title and words and rest_of_title.startswith(words)):
                return offset if skipped else 0
            rest_of_title = rest_of_title[len(words) :].lstrip()  # the summary, over one line or several
        skipped = skipped or bool(stripped)
        offset += len(line)
    return 0  # nothing but header lines in reach (a template, a header-only scan): keep everything


def _comparable(text: str) -> str:
    """``text`` in lower case with white space collapsed: a title as stored against its lines in the body."""
    return " ".join(text.lower().split())


def _is_header_line(line: str) -> bool:
    if not any(c.isalnum() for c in line):
        return True  # rules: "-------", "___"
    if len(line) > 400:
        return False  # a paragraph (the checks below look at short lines only; a news lead is long)
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return True  # issuer block, type name, title in capitals
    if len(line) > 160:
        return False
    if any(m in fold(line).lower() for m in _MOTTO):
        return True  # also beside the issuer when columns were joined: "TỈNH LÀO CAI Độc lập - Tự do…"
    return _HEADER_LINE.match(line) is not None


@lru_cache(maxsize=1)
def _letter_classes() -> dict[str, str]:
    """Folded letter → regex class of every lower-case Latin letter that folds to it (``d`` → ``[dđ]``)."""
    variants: dict[str, set[str]] = {}
    for code in (*range(0x61, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        if ch != ch.lower():
            continue
        folded = fold(ch).lower()
        if len(folded) == 1 and folded.isascii() and folded.isalpha():
            variants.setdefault(folded, set()).add(ch)
    return {k: "[" + "".join(sorted(v)) + "]" for k, v in variants.items()}


@lru_cache(maxsize=4096)
def _any_form(term: str) -> re.Pattern[str]:
    """Every diacritic form of a folded term, as a whole word, in lower-cased text (cached per term)."""
    classes = _letter_classes()
    body = "".join(classes.get(ch, re.escape(ch)) for ch in term)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


Phrase = tuple[tuple[str, ...], bool]  # terms of a run matched as a phrase, typed with diacritics or not


@lru_cache(maxsize=1024)
def _phrase_pattern(terms: tuple[str, ...], exact: bool) -> re.Pattern[str]:
    """A run of terms as one pattern: whole words, in this order, separated as a text separates them
    (``phòng, chống``, ``khoa học - công nghệ``); typed without diacritics, each term in any form."""
    classes = _letter_classes()
    words = [
        re.escape(t.lower()) if exact else "".join(classes.get(ch, re.escape(ch)) for ch in t.lower())
        for t in terms
    ]
    # Matched in lower-cased text, case-sensitively, at the places str.find gives (see _phrase_matches).
    return re.compile(r"(?<![^\W_])" + r"[\W_]{1,4}".join(words) + r"(?![^\W_])")


def _phrase_matches(low: str, pattern: re.Pattern[str], prefix: str, most: int) -> list[tuple[int, int]]:
    """Up to ``most`` (start, end) of ``pattern`` in lower-cased ``low``; ``prefix`` (the first word of an
    exact phrase, else empty) is looked for with ``str.find`` first — a regex search over a 50,000-character
    body costs ten times more, its look-behind defeating the engine's own literal scan."""
    if not prefix:
        return [m.span() for m in pattern.finditer(low)][:most]
    out: list[tuple[int, int]] = []
    at = low.find(prefix)
    while at >= 0 and len(out) < most:
        m = pattern.match(low, at)
        if m:
            out.append(m.span())
            at = low.find(prefix, m.end())
        else:
            at = low.find(prefix, at + 1)
    return out


@dataclass(frozen=True)
class Matcher:
    """The surface forms to mark, each with the folded term it stands for.

    ``forms``: forms that are marked wherever they occur. ``fallback``: folded collisions of terms typed
    with diacritics (``dương`` for ``đường``), marked only in a text holding no exact form at all — such a
    text was found through folding. ``loose``: folded terms typed without diacritics, searched with the
    all-forms pattern when none of their known forms occurs.
    """

    forms: tuple[tuple[str, str], ...] = ()
    fallback: tuple[tuple[str, str], ...] = ()
    loose: tuple[str, ...] = ()  # folded terms typed without diacritics whose forms are not all known
    # Runs of terms marked only together (a quoted phrase, an abbreviation's expansion), each with its key.
    phrases: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # pattern, literal first word, key
    # Words typed side by side (folded): in a text holding the pair together, either word on its own
    # elsewhere is another word ("hoạch" of "thu hoạch" for "kế hoạch") and is not marked.
    pairs: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def for_terms(
        cls,
        folded_terms: Iterable[str],
        exact_terms: Iterable[str] = (),
        forms: Callable[[str], Iterable[str]] | None = None,
        phrases: Iterable[Phrase] = (),
        pairs: Iterable[tuple[str, str]] = (),
    ) -> Matcher:
        exact = tuple(sorted({t.lower() for t in exact_terms if t}))
        folded = tuple(sorted({fold(t).lower() for t in folded_terms if t}))
        vocabulary = None
        if forms is not None:  # looked up on every call: the index refreshes its forms now and then
            needed = sorted({*folded, *(fold(t).lower() for t in exact)})
            vocabulary = tuple((t, tuple(forms(t))) for t in needed)
        return _matcher(exact, folded, vocabulary, tuple(sorted(set(phrases))), tuple(sorted(set(pairs))))

    def spans(self, text: str) -> list[Span]:
        """Spans of matched terms in ``text`` (the first :data:`MAX_SCAN_CHARS`), merged where neighbours
        read as one (``phòng, chống``, ``139/KH-UBND``)."""
        if not text or not (self.forms or self.loose or self.phrases):
            return []
        scanned = text[:MAX_SCAN_CHARS]
        low = scanned.lower()
        if len(low) != len(scanned):  # a character whose lower case is longer: keep offsets exact
            low = scanned
        found = self._find(low, self.forms)
        for pattern, prefix, key in self.phrases:
            found += [(start, end, key) for start, end in _phrase_matches(low, pattern, prefix, _PER_FORM)]
        if self.loose:
            keys = {key for _, _, key in found}
            for term in [t for t in self.loose if t not in keys]:
                found += [(m.start(), m.end(), term) for m in _any_form(term).finditer(low)][:_PER_FORM]
        if not found and self.fallback:
            found = self._find(low, self.fallback)
        if self.pairs and len(found) > 1:
            found = self._without_strays(low, found)
        if len(found) > 1:
            found.sort(key=_longest_first)  # at one place, the longest match
        merged: list[Span] = []
        for start, end, key in found:
            if merged and start < merged[-1][1]:
                continue  # overlaps a longer form found first
            if merged and _GAP.fullmatch(low, merged[-1][1], start):
                merged[-1] = (merged[-1][0], end, merged[-1][2] + " " + key)
            else:
                merged.append((start, end, key))
        return merged

    def _without_strays(self, low: str, found: list[Span]) -> list[Span]:
        """``found`` without the single words of a typed pair that stand apart from it, when the text holds
        the pair together somewhere ("kế hoạch … thu hoạch": the second "hoạch" is not marked)."""
        # The spans are the words' own occurrences: a pair stands together where one's span is followed by
        # the other's with only a separator between (no pattern to compile per query).
        ordered = sorted(found)
        keys = [_same_figure(key) for _, _, key in ordered]
        words = [i for i, key in enumerate(keys) if " " not in key]  # phrases (several words) stand aside
        anchored: set[int] = set()
        paired: set[str] = set()
        for i, j in zip(words, words[1:], strict=False):
            if (keys[i], keys[j]) in self.pairs and _GAP.fullmatch(low, ordered[i][1], ordered[j][0]):
                anchored |= {i, j}
                paired |= {keys[i], keys[j]}
        if not paired:
            return found
        return [span for i, span in enumerate(ordered) if keys[i] not in paired or i in anchored]

    @staticmethod
    def _find(low: str, forms: tuple[tuple[str, str], ...]) -> list[Span]:
        # Whole words only (no letter or digit either side), tested inline: this runs for every form on
        # every fragment of every hit.
        found: list[Span] = []
        size = len(low)
        find = low.find
        for form, key in forms:
            start = find(form)
            count = 0
            while start >= 0 and count < _PER_FORM:
                end = start + len(form)
                if (start == 0 or not low[start - 1].isalnum()) and (end >= size or not low[end].isalnum()) and (
                    not form[0].isdigit() or _whole_figure(low, start, end)
                ):
                    found.append((start, end, key))
                    count += 1
                start = find(form, start + 1)
        return found


def _whole_figure(low: str, start: int, end: int) -> bool:
    """A figure at ``low[start:end]`` is not the tail or head of a larger number written with a decimal or
    thousands mark ("75" in "188,75" or "1.075"; QA: "1,75 m" marked the 75 of "188,75")."""
    if start >= 2 and low[start - 1] in ",." and low[start - 2].isdigit():
        return False
    return not (end + 1 < len(low) and low[end] in ",." and low[end + 1].isdigit())


def _same_figure(key: str) -> str:
    """A number's sequence without its padding ("03" and "3" are one figure), any other key as it is."""
    return (key.lstrip("0") or "0") if key.isdigit() else key


def _longest_first(span: Span) -> tuple[int, int]:
    return span[0], -span[1]


# Every search builds a matcher for its terms (sets, folding, sorting: tens of microseconds); the same
# terms recur across requests (pages, refinements, popular words). Keyed by the terms and the forms the
# vocabulary gave them, so a refreshed vocabulary makes a new entry; bounded.
@lru_cache(maxsize=2048)
def _matcher(
    exact: tuple[str, ...],
    folded: tuple[str, ...],
    vocabulary: tuple[tuple[str, tuple[str, ...]], ...] | None,
    phrases: tuple[Phrase, ...] = (),
    pairs: tuple[tuple[str, str], ...] = (),
) -> Matcher:
    known = dict(vocabulary or ())
    pairs_of_forms = {(t, fold(t).lower()) for t in exact}
    pairs_of_forms |= {(f.lower(), t) for t in folded for f in (t, *known.get(t, ()))}
    fallback = {
        (f.lower(), fold(t).lower())
        for t in exact
        for f in (fold(t).lower(), *known.get(fold(t).lower(), ()))
    }
    fallback -= pairs_of_forms
    by_length = lambda p: (-len(p[0]), p)  # noqa: E731 - longest first: "phòng chống" before "phòng"
    # Without a vocabulary (``forms``) a folded term could stand for any form: search them all.
    loose = () if vocabulary is not None else folded
    patterns = tuple(
        (
            _phrase_pattern(terms, exact),
            terms[0].lower() if exact else "",
            " ".join(fold(t).lower() for t in terms),
        )
        for terms, exact in phrases
    )
    return Matcher(
        tuple(sorted(pairs_of_forms, key=by_length)), tuple(sorted(fallback, key=by_length)), loose, patterns,
        frozenset(pairs),
    )


def _render(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` HTML-escaped with ``spans`` marked and runs of white space collapsed. Marks go in
    as control characters first so that the whole piece is escaped in one pass (ten bodies a search)."""
    pieces: list[str] = []
    cursor = start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        pieces += (text[cursor:s], "\x01", text[s:e], "\x02")
        cursor = e
    pieces.append(text[cursor:end])
    raw = "".join(pieces) if len(pieces) > 1 else pieces[0]
    escaped = html.escape(raw, quote=False).replace("\x01", "<mark>").replace("\x02", "</mark>")
    return collapse_spaces(escaped)


def collapse_spaces(text: str) -> str:
    """``" ".join(text.split())``: runs of white space as one space, none at either end.

    Splitting a fragment into its forty-odd words costs more than the rest of its rendering; most
    fragments hold no white space but spaces and line breaks. Every white-space character but the space
    is unprintable (``str.isprintable``), so once line breaks are spaces a printable text needs only its
    double spaces collapsed and its ends stripped; anything else (tabs, no-break spaces…) takes the split.

    Example
    -------
    >>> collapse_spaces(" Điều 1.\\n\\nBan hành  kèm theo ")
    'Điều 1. Ban hành kèm theo'
    """
    flat = text.replace("\n", " ")
    if not flat.isprintable():
        return " ".join(text.split())
    while "  " in flat:
        flat = flat.replace("  ", " ")
    return flat.strip(" ")


def highlight_document(title: str | None, body: str | None, matcher: Matcher) -> tuple[str | None, tuple[str, ...]]:
    """(the title marked, the body's fragments) of one document. Folded collisions of words typed with
    diacritics (``lý`` for ``ly``) are marked only in a document holding none of the exact forms, title and
    body together: "cách ly" marked "LÝ" of a title's "QUẢN LÝ" while the body said "cách ly" (QA)."""
    if matcher.fallback and any(text and _holds_form(text, matcher.forms) for text in (title, body)):
        matcher = replace(matcher, fallback=())
    return highlight_title(title, matcher), highlight_text(body, matcher)


def _holds_form(text: str, forms: tuple[tuple[str, str], ...]) -> bool:
    scanned = text[:MAX_SCAN_CHARS]
    if _firsts(scanned, forms):
        return True
    low = scanned.lower()
    return len(low) == len(scanned) and bool(_firsts(low, forms))


def highlight_title(title: str | None, matcher: Matcher) -> str | None:
    """The title with its matched words marked; None when nothing in it matched."""
    if not title:
        return None
    spans = matcher.spans(title)
    if not spans:
        return None
    if len(title) <= _TITLE_CHARS:
        return _render(title, 0, len(title), spans)
    fragments = highlight_text(title, matcher, max_fragments=1, fragment_chars=_TITLE_CHARS, body_only=False)
    return fragments[0] if fragments else None


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges out of the middle of words (at most 20 characters)."""
    if start > 0:
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.find(" ", end, min(len(text), end + 20))
        end = space if space >= 0 else end
    return start, end


# How far past a fragment the closing block is looked for: "Nơi nhận:" counts as its heading only with its
# list or a signer's name after it (nlp.header_signature.closing_block_start), which may lie past the window.
_CLOSING_LOOKAHEAD = 300
_CLOSING_HEADING = re.compile(r"^\s*n[ơo]i\s+nh[ậa]n", re.IGNORECASE | re.MULTILINE)


def _closing_after(text: str, anchor: int, end: int) -> int:
    """Where the closing block starts between a fragment's first match at ``anchor`` and its ``end``; ``end``
    when it does not (or when the match is the first word of the block itself)."""
    # Reading lines the way closing_block_start does costs ~0.2 ms a window: only a fragment where a block
    # could start is read so, one with a line (after its first) starting "Nơi nhận" or a position line in
    # capitals ("TRƯỞNG BAN"); the block must start before ``end`` to matter.
    head = text[anchor:end]
    first_break = head.find("\n")
    if first_break < 0:
        return end
    lines = head[first_break + 1 :]
    if not _CLOSING_HEADING.search(lines) and not any(
        line.isupper() and is_authority_line(line.strip()) for line in lines.splitlines()
    ):
        return end
    cut = anchor + closing_block_start(text[anchor : end + _CLOSING_LOOKAHEAD])
    return cut if anchor < cut < end else end


def _firsts(low: str, forms: tuple[tuple[str, str], ...]) -> list[tuple[int, str]]:
    found = []
    size = len(low)
    find = low.find
    for form, key in forms:
        start = find(form)
        while start >= 0:
            end = start + len(form)  # a whole word, as in Matcher._find
            if (start == 0 or not low[start - 1].isalnum()) and (end >= size or not low[end].isalnum()) and (
                not form[0].isdigit() or _whole_figure(low, start, end)
            ):
                found.append((start, key))
                break
            start = find(form, start + 1)
    return found


def _later_occurrence(text: str, matcher: Matcher) -> int | None:
    """Where a word, a phrase or a loose word of the matcher first stands past :data:`MAX_SCAN_CHARS` of
    ``text`` (:func:`_first_occurrences` on the rest); None when none does."""
    found = _first_occurrences(text[MAX_SCAN_CHARS:], matcher)
    return MAX_SCAN_CHARS + found[0][0] if found else None


def _first_occurrences(text: str, matcher: Matcher) -> list[tuple[int, str]]:
    """(position, term) of the first whole-word occurrence of each form, cheapest search first: the text
    as it is (most words are in lower case), then a lower-cased copy, then folded collisions of exact
    terms, then every diacritic form of loose terms."""
    found = _firsts(text, matcher.forms)
    low = text.lower() if matcher.phrases or not found else text
    if len(low) != len(text):
        low = text
    for pattern, prefix, key in matcher.phrases:
        first = _phrase_matches(low, pattern, prefix, 1)
        if first:
            found.append((first[0][0], key))
    if found:
        return sorted(found)
    found = _firsts(low, matcher.forms) or _firsts(low, matcher.fallback)
    if not found:
        for term in matcher.loose:
            m = _any_form(term).search(low)
            if m:
                found.append((m.start(), term))
    return sorted(found)


def highlight_text(
    text: str | None, matcher: Matcher, *, max_fragments: int = 1, fragment_chars: int = 200, body_only: bool = True
) -> tuple[str, ...]:
    """Up to ``max_fragments`` fragments of ``text``, in document order, each about ``fragment_chars``
    long with ``…`` where the text was cut: the first where the first occurrences of the most distinct
    query words meet, the next ones around the first occurrence of a word the earlier ones lack. Every
    occurrence inside a fragment is marked. Empty when no word of the query occurs in the text.

    Only first occurrences are searched for in the whole text (``str.find`` stops there), so a long body
    costs little more than a short one; marking then works on the fragments alone.

    With ``body_only`` (a document's text, not a title) a fragment ends where the closing block starts
    (the "Nơi nhận" list, the signature) when its first match stands before it."""
    if not text:
        return ()
    base = 0  # where ``scanned`` starts in ``text``
    scanned = text[:MAX_SCAN_CHARS]
    firsts = _first_occurrences(scanned, matcher)
    if not firsts and len(text) > MAX_SCAN_CHARS:
        # A law code may answer only past its first pages: read on from the first place a form stands
        # (str.find, in C: a millisecond or two on the longest texts, and only for such documents).
        later = _later_occurrence(text, matcher)
        if later is not None:
            base = max(0, later - fragment_chars)
            scanned = text[base : base + MAX_SCAN_CHARS]
            firsts = _first_occurrences(scanned, matcher)
    if not firsts:
        return ()
    reach = fragment_chars * 3 // 4
    best, best_count, j = 0, 0, 0
    for i, (position, _) in enumerate(firsts):  # the window gathering the most distinct words
        j = max(j, i)
        while j + 1 < len(firsts) and firsts[j + 1][0] < position + reach:
            j += 1
        count = len({key for _, key in firsts[i : j + 1]})
        if count > best_count:
            best, best_count = i, count
    anchors = [firsts[best][0], *(p for p, _ in firsts if p != firsts[best][0])]
    fragments: list[tuple[int, int, str]] = []
    covered: set[str] = set()
    for anchor in anchors:
        if len(fragments) >= max_fragments:
            break
        lead = min(fragment_chars // 4, anchor)
        start, end = _snap(scanned, anchor - lead, min(len(scanned), anchor - lead + fragment_chars))
        text_end = len(text) - base  # no "…" after a fragment that ends where the text does
        if body_only and (cut := _closing_after(scanned, anchor, end)) < end:
            # the fragment reaches back instead: "Nơi nhận: - Như trên; - Lưu: VT." is not worth reading
            start, end = _snap(scanned, max(0, cut - fragment_chars), cut)[0], cut
            text_end = cut
        if any(start < e and s < end for s, e, _ in fragments):
            continue
        window = scanned[start:end]
        spans = matcher.spans(window)
        keys = {t for _, _, key in spans for t in key.split(" ")}
        if not spans or (fragments and keys <= covered):
            continue  # nothing new to show
        covered |= keys
        body = _render(window, 0, len(window), spans)
        fragments.append((start, end, ("…" if base + start > 0 else "") + body + ("…" if end < text_end else "")))
    return tuple(fragment for _, _, fragment in sorted(fragments))


def matcher_for_query(parsed: ParsedQuery, forms: Callable[[str], Iterable[str]] | None = None) -> Matcher:
    """The matcher of a parsed query: what its snippets mark (the search's hits, the document page opened
    from one). ``forms``: the index's surface forms of a folded term (``SearchIndex.surface_forms``)."""
    exact, folded = parsed.highlight_terms()
    return Matcher.for_terms(
        folded, exact, forms=forms, phrases=parsed.highlight_phrases(), pairs=parsed.highlight_pairs()
    )


# The whole text of a document, marked on its page: read in windows of this size (Matcher.spans reads one
# window at a time), and no more marks than a clerk could step through (a law code says "đất" 5,000 times).
MAX_PAGE_MARKS = 3000
_PAGE_WINDOW = 10_000
_MIN_PAGE_WINDOW = 1000


def document_spans(
    title: str | None, body: str | None, matcher: Matcher, most: int = MAX_PAGE_MARKS
) -> tuple[list[Span], list[Span], bool]:
    """(spans of the title, spans of the body, whether the body has more matches than ``most``): every place
    of the whole text, matched as snippets match (:func:`highlight_document`), at most ``most`` in the body.

    What a snippet decides over its text is decided here over the whole document: folded collisions are
    marked only when title and body hold no exact form anywhere, and a word of a typed pair standing apart
    is not marked when the text holds the pair together anywhere (:meth:`Matcher._without_strays`)."""
    if matcher.fallback and any(text and _holds_form_anywhere(text, matcher.forms) for text in (title, body)):
        matcher = replace(matcher, fallback=())
    title_spans, _ = spans_everywhere(title or "", matcher, most)
    body_spans, capped = spans_everywhere(body or "", matcher, most)
    return title_spans, body_spans, capped


def _holds_form_anywhere(text: str, forms: tuple[tuple[str, str], ...]) -> bool:
    if _firsts(text, forms):
        return True
    low = text.lower()
    return len(low) == len(text) and bool(_firsts(low, forms))


def spans_everywhere(text: str, matcher: Matcher, most: int = MAX_PAGE_MARKS) -> tuple[list[Span], bool]:
    """Spans of matched terms in the whole of ``text`` (:meth:`Matcher.spans` reads its first
    :data:`MAX_SCAN_CHARS`), at most ``most``; and whether the text holds more than were given.

    The text is read in windows that end at a line break or a space. :meth:`Matcher.spans` finds a form
    at most ``_PER_FORM`` times in what it reads: a window where one term reached that many is taken up
    to that term's last mark only, and the next window starts there. Pairs are judged over the whole text."""
    if not text or not (matcher.forms or matcher.loose or matcher.phrases):
        return [], False
    pairs = matcher.pairs
    per_window = replace(matcher, pairs=frozenset()) if pairs else matcher
    found: list[Span] = []
    together: set[str] = set()  # words of the pairs seen together so far
    start, size = 0, len(text)
    window = _PAGE_WINDOW
    while start < size and len(found) <= most:
        end = _window_end(text, start, window)
        spans = per_window.spans(text[start:end])
        cut = _saturated_at(spans)
        if cut is not None:
            spans = [span for span in spans if span[1] <= cut]
            end = start + cut
            # Where a term stands this densely, the next window is read about as far (each window is
            # lower-cased and searched whole: a dense page would otherwise be read many times over).
            window = max(_MIN_PAGE_WINDOW, 2 * cut)
        else:
            window = min(_PAGE_WINDOW, 2 * window)
        if pairs:  # strays dropped as they come, so that they do not count against ``most``
            together |= _pairs_together(spans, pairs)
            spans = _without_page_strays(spans, pairs, together)
        found += [(start + s, start + e, key) for s, e, key in spans]
        start = end
    if together:  # strays read before their pair first stood together
        found = _without_page_strays(found, pairs, together)
    return found[:most], len(found) > most or start < size


def _window_end(text: str, start: int, window: int) -> int:
    """Where a window of about ``window`` characters from ``start`` ends: at a line break or else a space
    in its last tenth, never in a word if it can."""
    end = start + window
    if end >= len(text):
        return len(text)
    line = text.rfind("\n", end - window // 10, end)
    if line > start:
        return line + 1
    space = text.rfind(" ", end - window // 10, end)
    return space + 1 if space > start else end


def _saturated_at(spans: list[Span]) -> int | None:
    """The end of the span where a term is counted the ``_PER_FORM``-th time (in document order), when one
    is: past it the window may hold occurrences :meth:`Matcher.spans` stopped looking for."""
    counts: dict[str, int] = {}
    for _, end, key in spans:
        for term in key.split(" "):
            counts[term] = counts.get(term, 0) + 1
            if counts[term] >= _PER_FORM:
                return end
    return None


def _pair_terms(key: str) -> list[str]:
    return [_same_figure(t) for t in key.split(" ")]


def _pairs_together(spans: list[Span], pairs: frozenset[tuple[str, str]]) -> set[str]:
    """The words of typed pairs that stand together in ``spans`` (as one span: neighbours are merged)."""
    together: set[str] = set()
    for _, _, key in spans:
        terms = _pair_terms(key)
        for a, b in zip(terms, terms[1:], strict=False):
            if (a, b) in pairs:
                together |= {a, b}
    return together


def _without_page_strays(spans: list[Span], pairs: frozenset[tuple[str, str]], together: set[str]) -> list[Span]:
    """``spans`` without the words of a pair standing apart from it when the pair stands together somewhere
    (``together``, see :meth:`Matcher._without_strays`). A span holding a pair, or a word of no pair, stays."""
    if not together:
        return spans
    kept: list[Span] = []
    for span in spans:
        terms = _pair_terms(span[2])
        holds_pair = any((a, b) in pairs for a, b in zip(terms, terms[1:], strict=False))
        if holds_pair or not all(t in together for t in terms):
            kept.append(span)
    return kept

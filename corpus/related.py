"""Related documents: what a document cites, what cites it, and what is similar to it.

* **cites**: references found by :func:`nlp.numbers.find_references` in its title and body ("thực hiện Chỉ
  thị số 3/CT-TTg ngày …"), resolved through the store by number; when several stored documents share the
  number (numbers restart every year), the one whose date matches the citation's date, else its year, is
  kept. A document cannot cite one issued after it: when both dates are known, a later document with the
  number is never a candidate (a dateless "Chỉ thị số 21/CT-TTg" in a 2025 document is not the 21/CT-TTg
  of 2026). References to documents the store does not hold, or only holds issued later, are listed as
  ``unresolved``.
* **cited_by**: documents whose title or body holds this document's number (a phrase search on the
  index), excluding documents that carry the same number themselves and, by the same rule, documents
  issued before this one.
* **similar**: more-like-this on the segmented words of what the document says, most distinctive first,
  leaving out what is already listed under cites or cited_by: its title and its body from after the
  header to the closing block ("Nơi nhận", signature), without the signer's name, numbers and dates; the
  words of its own issuer, parent body and place are stop words, since they find the same province, not
  the same subject.

Example
-------
>>> rel = find_related(store, index, "bd-01384")  # doctest: +SKIP
>>> [d.number for d in rel.cites]                  # doctest: +SKIP
['3/CT-TTg', '100/2019/NĐ-CP']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import combinations
from typing import Any

from tantivy import FieldType, Occur, Query

from corpus.document import Document, day_number
from corpus.highlight import content_start
from corpus.index import SearchIndex
from corpus.query import fold_terms, lookup_key, term_parts
from corpus.query_terms import printed_seqs
from corpus.search_filters import same_issuing_body
from nlp.analyzer import analyze
from nlp.header_issuer import agency_name, issuer_place
from nlp.header_signature import closing_block_start
from nlp.normalize import fold
from nlp.numbers import Reference, find_references

# The start of a long body says what it is about; the rest only costs time (segmenting 20,000 characters
# into words takes ~0.9 s, 8,000 ~0.35 s).
_MLT_CHARS = 8_000
_CLOSING_LOOKAHEAD = 6_000  # enough for a signature block and its "Nơi nhận" list
# The title part's weight in "similar": on the QA data (admin/ + 128 Lào Cai full texts), 0 / 1 / 2 put 99 /
# 203 / 294 long texts in the 870 similar slots of the 87 long ones, twins found 6 / 19 / 19 of 19; the
# same-field share of bench/related_quality.py moves within 0.1 point across 0.5–3.
_TITLE_WEIGHT = 2.0
_SIMILAR_FLOOR = 0.25  # a similar document scores at least this share of the document's own score
_LONG_TEXT = 5_000  # characters: a full text, not a portal's summary
# Rare in a corpus of summaries, hence "distinctive", yet about nothing: any token holding a digit (years,
# dates, document numbers with their codes) and the frame of a legal text.
_NOT_SUBJECT_RE = re.compile(
    r"\S*\d\S*|\bCăn cứ\b|\b(?:Điều|Khoản|Chương|Mục)\s+(?:[IVXLC]+\b|\d)", re.IGNORECASE
)
# Words every kind of document uses: a small corpus (a new province's first import) cannot tell them apart
# from subject words by their document frequency alone.
_STOP_WORDS = frozenset(
    (
        "của", "và", "các", "về", "cho", "là", "có", "được", "trong", "với", "theo", "tại", "những", "một",
        "này", "do", "để", "khi", "thì", "ở", "đến", "từ", "năm", "số", "ngày", "tháng", "việc",
        "ban_hành", "tỉnh", "ủy", "ban_nhân_dân", "ủy_ban", "nhân_dân", "ubnd",
    )
)  # fmt: skip


@dataclass(frozen=True)
class RelatedDoc:
    id: str
    number: str | None
    title: str | None
    doc_type: str | None
    issued_date: date | None
    score: float | None = None
    via: str | None = None  # the citation as printed, for cites / cited_by
    copies: tuple[str, ...] = ()  # ids of other stored copies of the same document (:func:`one_per_document`)

    @classmethod
    def of(
        cls, doc: Document, score: float | None = None, via: str | None = None, copies: tuple[str, ...] = ()
    ) -> RelatedDoc:
        return cls(doc.id, doc.number, doc.title, doc.doc_type, doc.issued_date, score, via, copies)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "doc_type": self.doc_type,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "score": None if self.score is None else round(self.score, 4),
            "via": self.via,
            "copies": list(self.copies),
        }


@dataclass(frozen=True)
class UnresolvedReference:
    """A citation of a document the store does not hold."""

    number: str
    doc_type: str | None
    issued_date: date | None
    issuer: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "doc_type": self.doc_type,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "issuer": self.issuer,
            "text": self.text,
        }


@dataclass(frozen=True)
class Related:
    id: str
    cites: tuple[RelatedDoc, ...]
    unresolved: tuple[UnresolvedReference, ...]
    cited_by: tuple[RelatedDoc, ...]
    similar: tuple[RelatedDoc, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "cites": [d.to_dict() for d in self.cites],
            "unresolved": [r.to_dict() for r in self.unresolved],
            "cited_by": [d.to_dict() for d in self.cited_by],
            "similar": [d.to_dict() for d in self.similar],
        }


def references(doc: Document) -> list[Reference]:
    """Citations in the title and body. Summaries some portals lower-case (``chỉ thị số 3/ct-ttg``) are
    read in capitals too, since numbers are only recognised with their capital codes."""
    found: list[Reference] = []
    seen: set[str] = set()
    for text in (doc.title, doc.text):
        if not text:
            continue
        variants = [text] if any(ch.isupper() for ch in text) else [text, text.upper()]
        for variant in variants:
            for ref in find_references(variant):
                if _OWN_NUMBER_LINE.search(variant, max(0, ref.span.start - 24), ref.span.start):
                    continue  # "Số: 141/UBND-KT" heads the document itself, whatever it is filed as now (QA)
                key = lookup_key(ref.number.number or "")
                if key and key not in seen:
                    seen.add(key)
                    found.append(ref)
    return found


class _Citer:
    """The citing document, with its places read once: a citation naming no issuer ("Quyết định số
    1471/QĐ-UBND") means a body of a place the citing document speaks of (its own province), not one of another
    province with the same number."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.place = _place_of(doc)
        self._words: str | None = None

    def speaks_of(self, place: str) -> bool:
        """Whether the document names ``place`` (folded) anywhere; True for a document of no known place
        of its own (a portal's bare summary), which cannot tell."""
        if self.place is None:
            return True
        if self._words is None:
            said = " ".join(filter(None, (self.doc.issuer, self.doc.parent, self.doc.place, self.doc.title,
                                          self.doc.text)))  # fmt: skip
            self._words = " " + " ".join(_WORD_RE.findall(fold(said).lower())) + " "
        return f" {place} " in self._words


_WORD_RE = re.compile(r"[^\W_]+")


def _place_of(doc: Document) -> tuple[str, str] | None:
    return next(filter(None, (issuer_place(name) for name in (doc.issuer, doc.parent) if name)), None)


def may_mean(ref: Reference, doc: Document, citer: _Citer) -> bool:
    """Whether ``ref``, a citation of ``doc``'s number in ``citer``, may mean ``doc``. Numbers restart every
    year and every body numbers its own, so the number alone does not say which document is meant:

    * a citation dated another day names another document ("1522/QĐ-UBND ngày 04/5/2026" is not the 1522 of
      23/6/2026; QA: every one of the 7 links whose dates differed was a wrong document);
    * a citation naming its issuer's place names a document of that place, at that level (tỉnh Hà Tĩnh is
      not thành phố Hà Tĩnh); one naming none and no day, a document of a place the citing document speaks
      of (QA: a Lào Cai plan's "Quyết định số 1471/QĐ-UBND" was linked to Bình Dương's of 2015)."""
    if ref.issued_date is not None and doc.issued_date is not None and ref.issued_date != doc.issued_date:
        return False
    place = _place_of(doc)
    if place is None:  # a body of no place (Thủ tướng Chính phủ, a ministry): one of its kind
        return True
    named = issuer_place(ref.issuer_text) if ref.issuer_text else None
    if named is not None:
        return named == place
    # Number and day both agree: the document meant, whoever cites it (a district's plan names its province's
    # decision "của UBND tỉnh", never the province: QA). Without a day, the number alone needs the place.
    same_day = ref.issued_date is not None and ref.issued_date == doc.issued_date
    return same_day or citer.speaks_of(place[1])


# The number line of a document's own header: "Số: 141/UBND-KT" at the start of a line.
_OWN_NUMBER_LINE = re.compile(r"(?:^|\n)[ \t]*Số[ \t]*(?:ký hiệu)?[ \t]*[:.]?[ \t]*$", re.IGNORECASE)


def _pick(candidates: list[Document], ref: Reference, citer: _Citer) -> list[Document]:
    """Among documents with the cited number, those the citation may mean (:func:`may_mean`); when several
    remain, those of the cited date before the undated ones."""
    possible = [d for d in candidates if may_mean(ref, d, citer)]
    same_day = [d for d in possible if ref.issued_date is not None and d.issued_date == ref.issued_date]
    return same_day or possible


def _cites_this_one(citer: Document, doc: Document) -> bool:
    """Whether ``citer`` cites ``doc``: a citation of its number, read whole (the phrase search also finds
    "71/2025/QĐ-UBND" for 2025/QĐ-UBND), that may mean it (:func:`may_mean`)."""
    if doc.number is None:
        return False
    key = lookup_key(doc.number)
    reader = _Citer(citer)
    return any(
        lookup_key(ref.number.number or "") == key and may_mean(ref, doc, reader) for ref in references(citer)
    )


def issued_after(candidate: Document, citing_doc: Document) -> bool:
    """True when both dates are known and ``candidate`` was issued after ``citing_doc``, which therefore
    cannot cite it. Same-day citations are common (a decision and the plan it approves) and stay allowed."""
    if candidate.issued_date is None or citing_doc.issued_date is None:
        return False
    return candidate.issued_date > citing_doc.issued_date


def same_document(a: Document, b: Document) -> bool:
    """Two filings of one document: the same number, day and issuing body (a portal listed it twice, or it
    was imported from two exports)."""
    return (
        a.number is not None
        and b.number is not None
        and lookup_key(a.number) == lookup_key(b.number)
        and a.issued_date == b.issued_date
        and same_issuing_body(a.issuer, a.parent, b.issuer, b.parent)
    )


class _Copies:
    """Documents folded into one entry per document (:func:`same_document`), in the order of their first
    appearance; compared only within a bucket of one number and day, so many candidates stay cheap."""

    def __init__(self) -> None:
        self.groups: list[list[Document]] = []
        self._buckets: dict[tuple[str, object], list[list[Document]]] = {}

    def add(self, doc: Document) -> None:
        key = (lookup_key(doc.number), doc.issued_date) if doc.number else ("", doc.id)
        bucket = self._buckets.setdefault(key, [])
        group = next((g for g in bucket if same_document(g[0], doc)), None)
        if group is None:
            group = [doc]
            bucket.append(group)
            self.groups.append(group)
        elif doc.id not in {d.id for d in group}:
            group.append(doc)

    def entries(self) -> list[tuple[Document, tuple[str, ...]]]:
        out = []
        for group in self.groups:
            shown = max(group, key=lambda d: len(d.text or ""))  # max keeps the first of equals
            out.append((shown, tuple(d.id for d in group if d.id != shown.id)))
        return out


def one_per_document(docs: list[Document]) -> list[tuple[Document, tuple[str, ...]]]:
    """``docs`` with each document's stored copies (:func:`same_document`) folded into one entry, in the
    order of their first appearance: the copy holding the longest text shown, the others' ids beside it. A
    store holding one decree twice listed it twice among the citations (QA)."""
    copies = _Copies()
    for doc in docs:
        copies.add(doc)
    return copies.entries()


def cited(store: Any, doc: Document) -> tuple[list[RelatedDoc], list[UnresolvedReference]]:
    own = lookup_key(doc.number) if doc.number else None
    found: list[tuple[Document, str]] = []  # (document, the citation as printed)
    unresolved: list[UnresolvedReference] = []
    citer = _Citer(doc)
    for ref in references(doc):
        number = ref.number.number or ""
        if own and lookup_key(number) == own:
            continue  # the document's own number, printed in its header
        # Numbers restart every year, so a dateless citation may share its number with a later document.
        matches = [d for d in _with_number(store, ref) if d.id != doc.id and not issued_after(d, doc)]
        picked = _pick(matches, ref, citer)
        if not picked:
            # a lower-cased summary is read in capitals (references): its issuer is named as a body names itself
            issuer = agency_name(ref.issuer_text) if ref.issuer_text and ref.issuer_text.isupper() else ref.issuer_text
            unresolved.append(UnresolvedReference(number, ref.doc_type, ref.issued_date, issuer, ref.span.text))
        found += [(d, ref.span.text) for d in picked if d.id not in {f.id for f, _ in found}]
    via = {d.id: printed for d, printed in found}
    out = [RelatedDoc.of(d, via=via[d.id], copies=copies) for d, copies in one_per_document([d for d, _ in found])]
    return out, unresolved


def _with_number(store: Any, ref: Reference) -> list[Document]:
    """Stored documents with the cited number, also in the Government's spelling of its yearly resolutions:
    "19/NQ-CP ngày 15/5/2018" is its "19-2018/NQ-CP", and "19-2018/NQ-CP" a "19/NQ-CP" of 2018 (QA). Not
    "49/2015/QĐ-TTg" for "49/QĐ-TTg": a year after "/" numbers another series of the same body."""
    parsed = ref.number
    number = parsed.number or ""
    found = {d.id: d for d in store.find_by_number(number)}
    dashed = parsed.year is not None and f"{parsed.seq}-{parsed.year}/" in number
    year = parsed.year if dashed else (ref.issued_date.year if ref.issued_date and parsed.year is None else None)
    if parsed.seq and year and parsed.symbol:
        spelling = f"{parsed.seq}/{parsed.symbol}" if dashed else f"{parsed.seq}-{year}/{parsed.symbol}"
        for other in store.find_by_number(spelling):
            if other.issued_date is None or other.issued_date.year == year:
                found.setdefault(other.id, other)
    return list(found.values())


def citing(store: Any, index: SearchIndex, doc: Document, limit: int) -> list[RelatedDoc]:
    if not doc.number:
        return []
    terms = fold_terms(term_parts(doc.number))
    if len(terms) < 2:
        return []
    searcher = index.searcher()
    # A copy typed as tantivy wants it: phrase_query takes a list of words or (position, word) pairs. The
    # sequence with and without its leading zeros: "6/2024/TT-BYT" cites the "06/2024/TT-BYT" (QA).
    phrases = [Query.phrase_query(index.schema, "all_fold", [form, *terms[1:]]) for form in printed_seqs(terms[0])]
    phrase = phrases[0] if len(phrases) == 1 else Query.boolean_query([(Occur.Should, p) for p in phrases])
    same_number = Query.term_query(index.schema, "number_key", lookup_key(doc.number))
    clauses = [(Occur.Must, phrase), (Occur.MustNot, same_number)]
    if doc.issued_date is not None:
        # A document issued earlier cannot cite this one (it cites an older document with the same number,
        # numbers restarting every year). Excluded in the query, not afterwards, so that ``limit`` still
        # counts real citers; undated documents have no ``day`` and stay in.
        day = day_number(doc.issued_date)
        earlier = Query.range_query(index.schema, "day", FieldType.Integer, None, day, include_upper=False)
        clauses.append((Occur.MustNot, earlier))
    # More than ``limit`` are read: the phrase has no left edge, so some hold the number inside a longer one.
    result = searcher.search(Query.boolean_query(clauses), limit=limit * 3)
    citers = _Copies()
    scores: dict[str, float] = {}
    for score, address in result.hits:
        found = store.find(searcher.doc(address).get_first("id"))
        if found is not None and found.id != doc.id and _cites_this_one(found, doc):
            citers.add(found)
            scores[found.id] = score
            if len(citers.groups) > limit:  # one more than asked: enough to say there are more
                break
    entries = citers.entries()[:limit]
    return [RelatedDoc.of(d, max(scores[i] for i in (d.id, *copies)), doc.number, copies) for d, copies in entries]


def _subject_words(text: str) -> list[str]:
    """Segmented words of ``text`` (``giá_đất``, ``nhập_ngũ``) without what every document has: numbers,
    years and dates, document numbers (``88/TTr-STNMT``) and the frame of a legal text ("Căn cứ", "Điều
    2")."""
    return [w for w in analyze(_NOT_SUBJECT_RE.sub(" ", text)).words if any(ch.isalpha() for ch in w)]


def _said(doc: Document) -> str:
    """What ``doc`` says: its body from after the header (:func:`~corpus.highlight.content_start`) to its
    closing block ("Nơi nhận", the signature), without its signer's name, at most :data:`_MLT_CHARS`."""
    text = doc.text or ""
    start = content_start(text[:_MLT_CHARS])
    # Read a little past _MLT_CHARS so that a closing block starting before it is confirmed by its name.
    window = text[start : start + _MLT_CHARS + _CLOSING_LOOKAHEAD]
    body = window[: closing_block_start(window)][:_MLT_CHARS]
    if doc.signer:
        body = body.replace(doc.signer, " ")
    return body


def _own_stop_words(doc: Document) -> list[str]:
    """Words (and their syllables) of the document's own issuer, parent body and place. They name the
    province, rare in the corpus and so the most "distinctive" terms, and would find documents of the same
    issuer instead of documents on the same subject."""
    words: set[str] = set()
    for name in filter(None, (doc.issuer, doc.parent, doc.place)):
        for word in analyze(name.lower()).words:
            words.add(word)
            words.update(word.split("_"))
    return sorted(words)


def similar(
    store: Any, index: SearchIndex, doc: Document, limit: int, exclude: tuple[str, ...] = ()
) -> list[RelatedDoc]:
    """More-like-this for ``doc`` on what it says (title and :func:`_said`), leaving out ``doc`` itself and
    the ids in ``exclude``. Segmented words, not single syllables: "giá đất" is a subject, "giá" and
    "đất" alone are found in documents on anything (on 35 full texts of a new province, similar documents
    sharing the document's field went from 52% on folded syllables to 62% on words)."""
    title = _subject_words(doc.title or "")
    body = _subject_words(_said(doc))
    if not title and not body:
        return []
    searcher = index.searcher()
    stop_words = sorted(_STOP_WORDS.union(_own_stop_words(doc)))

    def more_like(field: str, words: list[str]) -> Query:
        return Query.more_like_this_document_fields_query(
            index.schema,
            {field: " ".join(words)},
            min_doc_frequency=2,
            max_doc_frequency=max(2, searcher.num_docs // 5),  # words in a fifth of the corpus say nothing
            min_term_frequency=1,
            max_query_terms=30,
            min_word_length=2,
            stop_words=stop_words,
        )

    # Two parts: the whole text, and the title alone against titles. A 40,000-character report scores
    # little on the whole text next to one-line summaries (BM25 divides by length), so only the title part
    # lets a long text be found similar at all (QA: the same report filed twice did not list its twin among
    # 50 similar documents).
    parts = [(Occur.Should, more_like("all_words", title + body))]
    # A summary's title is all it says: any of its words count. A long text's title part asks for two of its
    # words at least, or nothing: one common word would bring lists of anything (QA: "DANH MỤC HÀNG NGUY HIỂM"
    # had ten "danh mục" summaries as similar, the texts on dangerous goods gone).
    by_title = (
        _shared_title_words(index, searcher, title, stop_words)
        if len(doc.text or "") > _LONG_TEXT
        else more_like("title_words", title) if title else None
    )
    if by_title is not None:
        parts.append((Occur.Should, Query.boost_query(by_title, _TITLE_WEIGHT)))
    # Excluded in the query rather than filtered afterwards, so that ``limit`` similar documents still come. The
    # document itself is left in: its own score under its query is the yardstick of the others'.
    clauses = [(Occur.Must, Query.boolean_query(parts))] + [
        (Occur.MustNot, Query.term_query(index.schema, "id", doc_id))
        for doc_id in dict.fromkeys(exclude)
        if doc_id != doc.id
    ]
    query = Query.boolean_query(clauses)
    scored = []
    own: float | None = None
    for score, address in searcher.search(query, limit=limit + 1).hits:
        found_id = searcher.doc(address).get_first("id")
        if found_id == doc.id:
            own = score
        else:
            scored.append((score, found_id))
    # A document sharing one word with this one scores a small part of what the document scores against itself:
    # below a quarter, 32 % of them shared its field against 65 % of all similar documents (the QA's data
    # directory, 300 documents, /tmp/s11/simthr.py): a fish-disease letter listed dog keeping for "nuôi".
    # Not for a long text: its own score is inflated by its whole body matching itself (with the floor, the 79
    # Lào Cai texts over 5,000 characters kept 270 of 790 similar slots).
    floor = _SIMILAR_FLOOR * own if own and len(doc.text or "") <= _LONG_TEXT else 0.0
    out = []
    for score, found_id in scored[:limit]:
        if score < floor:
            break
        found = store.find(found_id)
        if found is not None:
            out.append(RelatedDoc.of(found, score))
    return out


_TITLE_TERMS = 8  # the rarest words of a title that the title part asks for


def _shared_title_words(index: SearchIndex, searcher: Any, title: list[str], stop_words: list[str]) -> Query | None:
    """Titles sharing at least two of the title's distinctive words, a pair of words per clause, so that a
    title holding k of them scores k(k-1)/2 pairs; None for a title of fewer. A single common word ("danh
    mục") finds every list of anything (QA: a list of dangerous goods had ten "danh mục" summaries as
    similar)."""
    stop = set(stop_words)
    most = max(2, searcher.num_docs // 5)  # as more-like-this: a word in a fifth of the corpus says nothing
    frequency = {}
    for word in dict.fromkeys(w.lower() for w in title):
        if word not in stop and len(word) >= 2 and 2 <= (df := searcher.doc_freq("title_words", word)) <= most:
            frequency[word] = df
    words = sorted(frequency, key=frequency.__getitem__)[:_TITLE_TERMS]
    if len(words) < 2:
        return None
    term = partial(Query.term_query, index.schema, "title_words")
    pairs = [Query.boolean_query([(Occur.Must, term(a)), (Occur.Must, term(b))]) for a, b in combinations(words, 2)]
    return Query.boolean_query([(Occur.Should, pair) for pair in pairs])


def find_related(store: Any, index: SearchIndex, doc_id: str, limit: int = 10) -> Related:
    """Everything related to ``doc_id``; raises :class:`corpus.errors.DocumentNotFound` for an unknown id."""
    doc = store.get(doc_id)
    cites, unresolved = cited(store, doc)
    cited_by = citing(store, index, doc, limit)
    # A document already listed as cited or citing would only repeat itself under "similar".
    listed = tuple(i for d in (*cites, *cited_by) for i in (d.id, *d.copies))
    try:
        similar_docs = similar(store, index, doc, limit, exclude=listed)
    except ValueError:  # tantivy refuses a more-like-this query without usable terms
        similar_docs = []
    return Related(doc.id, tuple(cites), tuple(unresolved), tuple(cited_by), tuple(similar_docs))


def related(searcher: Any, store: Any, doc: Document | str, limit: int = 10) -> Related:
    """:func:`find_related` for callers holding a :class:`corpus.search.Searcher` (the service)."""
    return find_related(store, searcher.index, doc if isinstance(doc, str) else doc.id, limit)


__all__ = ["Related", "RelatedDoc", "UnresolvedReference", "find_related", "one_per_document", "references", "related",
           "same_document"]

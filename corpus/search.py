"""The search API: ``Searcher.search(SearchRequest) -> SearchResult``, shared by the CLI and HTTP.

A request is understood by :mod:`corpus.query`, its filters are validated here (unknown values are a
:class:`~corpus.search_errors.QueryError` with a Vietnamese message, never a crash), and everything is
compiled into tantivy query objects — never a query string, so no input can cause a syntax error.

Ranking: BM25 over title and body (the title adds weight), exact-diacritic fields weighted above folded
ones so that ``đường`` ranks documents saying ``đường`` above those saying ``dương``; compound words
(``kế_hoạch``) and words side by side add to the score; a document number typed any way scores a constant
far above any text score, so that number's documents come first every time. Equal scores are ordered
newest first. Facet counts cover every match; snippets come from the original text (:mod:`corpus.highlight`).

Example
-------
>>> searcher = Searcher.open(Path("var"))                                  # doctest: +SKIP
>>> result = searcher.search(SearchRequest("ke hoach phong chong dich", topic="y-te"))  # doctest: +SKIP
>>> result.hits[0].highlights.title                                       # doctest: +SKIP
'<mark>kế hoạch phòng, chống dịch</mark> covid-19 năm 2021'
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from corpus.highlight import MAX_SCAN_CHARS, Matcher, content_start, highlight_document, matcher_for_query
from corpus.index import SearchIndex, index_path
from corpus.query import ParsedQuery, lookup_key, parse_query
from corpus.query_terms import canonical_type_code
from corpus.search_compile import QueryCompiler, Weights, query_title_terms, title_rerank
from corpus.search_errors import IndexMissing, QueryError
from corpus.search_filters import Filters, SearchRequest, compile_filters, status_class

__all__ = ["FacetCounts", "Highlights", "Hit", "SearchRequest", "SearchResult", "Searcher", "Weights"]

FACETS = {"doc_type": "doc_type", "topic": "topic", "issuer": "issuer", "year": "year", "status": "status"}
# status: every status text the sources use (a few dozen at most), summed into validity classes below
_FACET_SIZES = {"doc_type": 50, "topic": 20, "issuer": 30, "year": 100, "status": 100}
_TOTAL_FACET = "doc_type"  # single-valued: its buckets count the matches (see Searcher._facets)
_MISSING = "\x00"  # the bucket of documents without a type: no type can be this
_TIE_EXTRA = 8  # hits fetched beyond the page so that equal scores can be ordered by date across it
# Equal scores running on past the page are fetched whole up to this many hits, so that every page cuts the
# same order (a block of ties cut where tantivy's top-k happened to stop gave pages that repeated and skipped
# documents, QA); a deeper block of ties is paged by date alone (see _by_relevance).
_MAX_TIE_FETCH = 4096
# Title terms whose frequencies a searcher remembers (a few MB at most) before it starts again.
TITLE_FREQS_KEPT = 50_000
# The title rerank (search_compile.title_rerank) reorders this many top hits, whatever the page: a window
# that followed the page would rank the same query differently at 10 and at 50 hits a page, and scores
# would rise across a page boundary (Elasticsearch's rescore window has the same rule for the same reason).
# Ten, the default page: a first page reads no stored document beyond its own (each costs ~25 µs on long
# bodies; a window of 20 cost 0.3 ms a search on VNTC).
RERANK_WINDOW = 10
# Where a search's time goes: filters, analysis and compilation; the ranked search; the hits' stored fields
# and highlights; what is left to wait for of the facet pass (with the count), which runs beside the two before.
_PHASES = ("analyse", "rank", "hits", "facets")

FacetCounts = dict[str, dict[str, int]]

_facet_pool: ThreadPoolExecutor | None = None
_facet_pool_lock = threading.Lock()


def _facet_threads() -> ThreadPoolExecutor:
    """Threads for facet passes, started on the first search (none exist in a process that never searches,
    or before it forks its workers)."""
    global _facet_pool
    with _facet_pool_lock:
        if _facet_pool is None:
            _facet_pool = ThreadPoolExecutor(os.cpu_count() or 2, thread_name_prefix="vanban-facets")
        return _facet_pool


@dataclass(frozen=True)
class Highlights:
    """The title with matched words marked (None when none matched) and fragments of the body."""

    title: str | None = None
    text: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "text": list(self.text)}


@dataclass(frozen=True)
class Hit:
    id: str
    number: str | None
    title: str | None
    doc_type: str | None
    topic: str | None
    issuer: str | None
    issued_date: date | None
    score: float | None  # None when sorted by date
    highlights: Highlights = field(default_factory=Highlights)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "doc_type": self.doc_type,
            "topic": self.topic,
            "issuer": self.issuer,
            "issued_date": self.issued_date.isoformat() if self.issued_date else None,
            "score": None if self.score is None else round(self.score, 4),
            "highlights": self.highlights.to_dict(),
        }


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: tuple[Hit, ...]
    facets: FacetCounts
    took_ms: float
    query: ParsedQuery | None = None
    # Milliseconds per phase (see _PHASES), for benchmarks and logs; not part of the API's JSON.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def relaxed(self) -> bool:
        """No document held every word of the query: these hold at least half of them."""
        return bool(self.query is not None and self.query.relaxed)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "took_ms": round(self.took_ms, 2),
        }
        if self.relaxed:
            out["relaxed"] = True
        return out


class Searcher:
    """Searches one index. Everything a hit shows comes from the index; ``store`` (the system of record)
    serves related documents and callers that want whole documents. Thread-safe: one per process."""

    def __init__(self, index: SearchIndex, store: Any | None = None, weights: Weights | None = None) -> None:
        self.index = index
        self.store = store
        self.weights = weights or Weights()
        self._compiler = QueryCompiler(
            index.schema, self.weights, index.issuer_pair, index.issuer_word, index.place_pair
        )
        self._owns_store = False
        # The active model's field labels (a researcher's taxonomy), given on demand by whoever knows the model
        # (the service's can change at any time): a request filtering by field without its own
        # ``own_topics`` reads fields with these (SearchRequest.own_topics).
        self.own_topics: Callable[[], tuple[str, ...]] = tuple
        # Title-term document frequencies of the rerank, per index generation: the same common title words
        # come back query after query, and each lookup crosses into tantivy.
        self._title_freqs: tuple[object, dict[str, int]] = (None, {})

    @classmethod
    def open(cls, data_dir: Path | str, store: Any | None = None) -> Searcher:
        """Open the index of ``data_dir`` (and its store unless one is given). An index that does not
        exist yet is created empty when the store is empty too; otherwise it must be built first."""
        from corpus.store import Store

        data_dir = Path(data_dir)
        owns = store is None
        store = store if store is not None else Store.open(data_dir)
        path = index_path(data_dir)
        try:
            try:
                index = SearchIndex.open(path, create=False)
            except IndexMissing:
                if store.count() > 0:
                    raise
                index = SearchIndex.open(path, create=True)
        except BaseException:
            if owns:
                store.close()
            raise
        searcher = cls(index, store)
        searcher._owns_store = owns
        return searcher

    def close(self) -> None:
        """Close the store if :meth:`open` opened it (a store passed in belongs to the caller)."""
        if self._owns_store and self.store is not None:
            self.store.close()

    def parse(self, text: str | None) -> ParsedQuery:
        searcher = self.index.searcher()
        known: dict[str, bool] = {}

        def is_code(code: str) -> bool:
            # asked several times per token by the parser (a loose number's every check): one lookup each
            if code not in known:
                known[code] = searcher.doc_freq("number_parts", f"c:{code}") > 0
            return known[code]

        return parse_query(text, is_code)

    def search(self, request: SearchRequest | str) -> SearchResult:
        """Run one search; raises :class:`QueryError` for a request that cannot be understood."""
        started = time.perf_counter()
        if isinstance(request, str):
            request = SearchRequest(request)
        if request.topic is not None and not request.own_topics and (own := self.own_topics()):
            request = replace(request, own_topics=own)
        filters: Filters = compile_filters(request, self.index)
        parsed = self.parse(request.query)
        # "*" lists every document (newest first, with facets): how a clerk browses by type, field, year.
        browse = isinstance(request.query, str) and request.query.strip() == "*"
        if parsed.is_empty and not parsed.excluded and not filters.queries and not browse:
            if request.query and request.query.strip():
                raise QueryError(
                    "query has no letters or digits",
                    "Truy vấn không có chữ hoặc số nào để tìm; hãy nhập từ khóa hoặc số ký hiệu.",
                )
            raise QueryError("empty query", "Hãy nhập từ khóa, số ký hiệu hoặc chọn ít nhất một bộ lọc.")
        result = self._run(request, parsed, filters, started)
        relaxed = None
        if result.total == 0:  # on every page: page 2 of a relaxed answer goes on with it (QA)
            # A number that matched nothing: by its sequence and type code (an old or mistyped body code).
            relaxed = parsed.relax() or parsed.loosen_numbers(lambda code: canonical_type_code(code) is not None)
        if relaxed is not None and (filters.queries or parsed.excluded) and self._matches(parsed):
            relaxed = None  # documents hold every word: the filters or the words left out emptied the answer
        if relaxed is not None:
            # No document holds every word (a question's own words, a typo): the documents holding most of
            # them, marked as such, rather than nothing. When the filters leave nothing either, the answer
            # stays the strict one (the words were not what emptied it).
            wider = self._run(request, relaxed, filters, started)
            result = wider if wider.total else result
        return result

    def same_sequence(self, text: str | None, limit: int = 5) -> list[dict[str, Any]]:
        """Documents whose number has the sequence (and year, when typed) of the first number in ``text``,
        whatever their codes: what a clerk meant by a number that finds nothing ("3190/QĐ-UBND" when the
        office holds 3190/KH-UBND; QA). Empty when ``text`` holds no number."""
        number = next((n for n in self.parse(text).numbers if n.seq), None)
        if number is None:
            return []
        parts = [f"s:{number.seq}", *([f"y:{number.year}"] if number.year else [])]
        query = Query.boolean_query(
            [(Occur.Must, Query.term_query(self.index.schema, "number_parts", part)) for part in parts]
        )
        searcher = self.index.searcher()
        out: list[dict[str, Any]] = []
        typed = number.key  # the number as typed, when it has codes: not offered as "another" one (filters hid it)
        for _, address in searcher.search(query, limit=limit + 5).hits:
            document = searcher.doc(address)
            if typed and lookup_key(document.get_first("number") or "") == typed:
                continue
            if len(out) == limit:
                break
            issued = document.get_first("issued_date")
            out.append({"id": document.get_first("id"), "number": document.get_first("number"),
                        "title": _title(document), "doc_type": document.get_first("doc_type"),
                        "issued_date": issued.date() if issued is not None else None})  # fmt: skip
        return out

    def _matches(self, parsed: ParsedQuery) -> bool:
        """Whether any document holds what ``parsed`` asks for, without filters or words left out."""
        _, matching = self._compiler.compile(replace(parsed, excluded=()), [])
        return bool(self.index.searcher().search(matching, limit=1, count=False).hits)

    def _run(self, request: SearchRequest, parsed: ParsedQuery, filters: Filters, started: float) -> SearchResult:
        query, matching = self._compiler.compile(parsed, filters.queries)
        compiled = time.perf_counter()
        searcher = self.index.searcher()
        sort = (
            request.sort if not parsed.is_empty else ("date" if request.sort == "relevance" else request.sort)
        )
        # With facets the aggregation counts the matches too: the ranked search need not (it can skip).
        count = not request.facets
        # The facet pass runs inside tantivy without the interpreter lock: on a pool thread, beside the ranked
        # search and the hits, a search waits for the longer of them rather than for their sum.
        pending_facets: Future[tuple[int, FacetCounts]] | None = None
        if request.facets:
            pending_facets = _facet_threads().submit(self._facets, searcher, matching)
        rerank = (
            sort == "relevance"
            and self.weights.title_cosine > 0
            and request.offset < RERANK_WINDOW
            and bool(query_title_terms(parsed))
        )
        if sort == "relevance":
            fetch = max(request.offset + request.limit, RERANK_WINDOW if rerank else 0)
            total, addresses, scores = self._by_relevance(searcher, query, fetch, count)
        else:
            order = tantivy.Order.Asc if sort == "date_asc" else tantivy.Order.Desc
            # By the integer day: it holds dates tantivy's date type cannot (before 1678).
            result = searcher.search(query, request.limit, count, "day", request.offset, order)
            total = _match_count(result)
            addresses = [a for _, a in result.hits]
            scores = [None] * len(addresses)
        ranked = time.perf_counter()
        # Stored documents are read once each: the rerank window's for their titles, then the page's.
        documents: list[tantivy.Document | None] = [None] * len(addresses)
        if rerank and len(addresses) > 1:
            # Titles holding the same words: the one the query describes best first (see title_rerank).
            window = min(len(addresses), RERANK_WINDOW)
            documents[:window] = [searcher.doc(a) for a in addresses[:window]]
            reordered = title_rerank(
                parsed,
                [score or 0.0 for score in scores[:window]],
                [_title(doc) for doc in documents[:window] if doc is not None],
                self._title_freq(searcher),
                searcher.num_docs,
                self.weights.title_cosine,
            )
            positions = [i for i, _ in reordered]
            addresses[:window] = [addresses[i] for i in positions]
            documents[:window] = [documents[i] for i in positions]
            scores[:window] = [score for _, score in reordered]
        if sort == "relevance":
            page = slice(request.offset, request.offset + request.limit)
            addresses, scores, documents = addresses[page], scores[page], documents[page]
        page_documents = [doc or searcher.doc(a) for doc, a in zip(documents, addresses, strict=True)]
        matcher = matcher_for_query(parsed, self.index.surface_forms) if request.highlights else None
        hits = self._hits(page_documents, scores, matcher)
        hits_done = time.perf_counter()
        facets: FacetCounts = {}
        if pending_facets is not None:
            total, facets = pending_facets.result()
        done = time.perf_counter()
        marks = (started, compiled, ranked, hits_done, done)
        timings = {name: (b - a) * 1000 for name, a, b in zip(_PHASES, marks[:-1], marks[1:], strict=True)}
        return SearchResult(total, hits, facets, (done - started) * 1000, parsed, timings)

    def _title_freq(self, searcher: tantivy.Searcher) -> Callable[[str], int]:
        """``doc_freq`` of a folded title term in ``searcher``, remembered until the index changes."""
        generation = self.index.generation()
        owner, freqs = self._title_freqs
        if owner != generation or len(freqs) > TITLE_FREQS_KEPT:
            freqs = {}
            self._title_freqs = (generation, freqs)

        def freq(term: str) -> int:
            found = freqs.get(term)
            if found is None:
                found = freqs[term] = searcher.doc_freq("title_fold", term)
            return found

        return freq

    def _by_relevance(
        self, searcher: tantivy.Searcher, query: Query, n: int, count: bool
    ) -> tuple[int, list[Any], list[float | None]]:
        """(number of matches, the addresses and scores of the best ``n``) in one total order: score, then
        newest first, then index order — the same whatever ``n``, so that pages neither repeat nor skip.

        tantivy's top-k stops at ``n`` hits wherever a block of equal scores is cut; the block is fetched
        whole (up to :data:`_MAX_TIE_FETCH`) so that its newest documents are the ones kept."""
        limit = n + _TIE_EXTRA
        while True:
            result = searcher.search(query, limit=limit, count=count)
            hits = result.hits
            if len(hits) < limit or limit >= _MAX_TIE_FETCH:
                break
            cut = round(hits[n - 1][0], 4)
            if round(hits[-1][0], 4) < cut:
                break  # the block at the cut ends inside what was fetched
            limit = min(limit * 4, _MAX_TIE_FETCH)
        if not hits:
            return _match_count(result), [], []
        days = searcher.fast_field_values("day", [a for _, a in hits])
        order = sorted(
            range(len(hits)),
            key=lambda i: (-round(hits[i][0], 4), -(days[i] or 0), hits[i][1].segment_ord, hits[i][1].doc),
        )[:n]
        return _match_count(result), [hits[i][1] for i in order], [hits[i][0] for i in order]

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> tuple[int, FacetCounts]:
        """(number of matches, counts per value of each facet) in one pass over the matches.

        The number of matches is the sum of the doc_type buckets (documents without a type in a bucket
        of their own, dropped from the counts shown) plus tantivy's count of the values beyond the size
        asked: a single-valued field puts every match in exactly one of them, so no value-count
        aggregation over the matches is needed for the total."""
        aggs: dict[str, Any] = {
            name: {"terms": {"field": f, "size": _FACET_SIZES[name]}} for name, f in FACETS.items()
        }
        aggs[_TOTAL_FACET]["terms"].update(missing=_MISSING, size=_FACET_SIZES[_TOTAL_FACET] + 1)
        raw = searcher.aggregate(query, aggs)
        out: FacetCounts = {}
        total = 0
        for name in FACETS:
            result = raw.get(name, {})
            buckets = result.get("buckets", [])
            if name == _TOTAL_FACET:
                other = int(result.get("sum_other_doc_count") or 0)
                total = sum(int(b["doc_count"]) for b in buckets) + other
                buckets = [b for b in buckets if b["key"] != _MISSING][: _FACET_SIZES[name]]
            if name == "status":
                out[name] = _status_classes(buckets)
                continue
            out[name] = {
                str(int(b["key"]) if name == "year" else b["key"]): int(b["doc_count"]) for b in buckets
            }
        return total, out

    def _hits(
        self, documents: list[tantivy.Document], scores: list[float | None], matcher: Matcher | None
    ) -> tuple[Hit, ...]:
        # Ten hits a search, each read field by field (get_first is the cheapest way out of a tantivy
        # document); this loop holds the GIL, so it does no more than the page needs.
        hits = []
        no_highlights = Highlights()
        for document, score in zip(documents, scores, strict=True):
            first = document.get_first
            title = _title(document)
            issued = first("issued_date")
            highlights = no_highlights
            doc_id = first("id")
            assert doc_id is not None, "every indexed document stores its id (corpus.index_fields)"
            if matcher is not None:
                body_bytes = first("body")
                body = body_bytes.decode("utf-8") if body_bytes else None
                highlights = Highlights(*highlight_document(title, body, matcher))
                if not highlights.text and body and len(body) >= MAX_SCAN_CHARS:
                    highlights = self._from_whole_text(doc_id, title, matcher) or highlights
            hits.append(
                Hit(
                    id=doc_id,
                    number=first("number"),
                    title=title,
                    doc_type=first("doc_type"),
                    topic=first("topic"),
                    issuer=first("issuer"),
                    # a date out of tantivy's range is kept as the integer day only
                    issued_date=issued.date() if issued is not None else _from_day(first("day")),
                    score=score,
                    highlights=highlights,
                )
            )
        return tuple(hits)

    def _from_whole_text(self, doc_id: str, title: str | None, matcher: Matcher) -> Highlights | None:
        """Highlights read from the store's whole text of a document whose stored body (its first
        :data:`MAX_SCAN_CHARS`, kept in the index for speed) holds none of the words: a law code may answer
        only on a later page (QA: "phốt pho" at character 62,939 gave an empty snippet). A few long texts a
        page at most."""
        doc = self.store.find(doc_id) if self.store is not None else None
        if doc is None or not doc.text:
            return None
        body = doc.text[content_start(doc.text, doc.title) :]
        return Highlights(*highlight_document(title, body, matcher))


def _status_classes(buckets: list[dict[str, Any]]) -> dict[str, int]:
    """Counts per validity class (``con-hieu-luc``…) from counts per status text: sources word one status
    many ways ("Văn bản đang có hiệu lực", "Đang hiệu lực"), and the status filter matches the class, so a
    facet per text would advertise counts its own link does not give (QA). Texts of no known class are left
    out: no filter could select them."""
    counts: dict[str, int] = {}
    for bucket in buckets:
        klass = status_class(str(bucket["key"]))
        if klass is not None:
            counts[klass] = counts.get(klass, 0) + int(bucket["doc_count"])
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _title(document: tantivy.Document) -> str | None:
    title_bytes = document.get_first("title")
    return title_bytes.decode("utf-8") if title_bytes else None


def _from_day(day: int | None) -> date | None:
    if not day:
        return None
    try:
        return date(day // 10000, day // 100 % 100, day % 100)
    except ValueError:
        return None


def _match_count(result: tantivy.SearchResult) -> int:
    """The number of matches tantivy counted, 0 when the search was asked not to count (count=False)."""
    # tantivy's .pyi omits SearchResult.count, an int (None when not counted) that exists at run time.
    return result.count or 0  # type: ignore[attr-defined]

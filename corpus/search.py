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

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur, Query

from corpus.highlight import Matcher, highlight_text, highlight_title
from corpus.index import SearchIndex, index_path
from corpus.query import Clause, ParsedQuery, parse_query
from corpus.search_errors import IndexMissing, QueryError
from corpus.search_filters import Filters, SearchRequest, compile_filters

__all__ = ["FacetCounts", "Highlights", "Hit", "SearchRequest", "SearchResult", "Searcher", "Weights"]

FACETS = {"doc_type": "doc_type", "topic": "topic", "issuer": "issuer", "year": "year"}
_FACET_SIZES = {"doc_type": 50, "topic": 20, "issuer": 30, "year": 100}
_TIE_EXTRA = 8  # hits fetched beyond the page so that equal scores can be ordered by date across it

FacetCounts = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Weights:
    """Field boosts and number scores; the quality harness tunes them (see docs/search.md)."""

    title_exact: float = 0.5  # on top of the "all" fields, which hold the title too
    title_fold: float = 0.3
    all_exact: float = 1.2
    all_fold: float = 1.0
    title_words: float = 0.0
    all_words: float = 1.0
    number_exact: float = 1000.0
    number_parts: float = 500.0
    number_loose: float = 200.0
    year: float = 1.0
    coordination: float = 1.0  # bonus per clause for matching all of them
    title_phrase: float = 2.0  # words typed side by side, side by side in the title
    pair: float = 1.5  # two words typed side by side, side by side anywhere
    pair_from: int = 4  # runs at least this long score each pair of neighbours


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "took_ms": round(self.took_ms, 2),
        }


class _Compiler:
    """ParsedQuery → tantivy Query, given the schema and the weights.

    Matching and scoring are separated for speed: a word *matches* through the folded "all" field alone,
    which holds every form the other fields hold (title ⊂ all, exact ⊂ folded), so the conjunction runs
    over plain term postings; the exact-diacritic and title fields only *score*, as optional clauses that
    tantivy evaluates on the documents the conjunction found.
    """

    def __init__(self, schema: tantivy.Schema, weights: Weights) -> None:
        self.schema = schema
        self.w = weights

    def match(self, name: str, terms: tuple[str, ...], boost: float = 1.0, slop: int = 0) -> Query:
        if len(terms) == 1:
            query = Query.term_query(self.schema, name, terms[0])
        else:
            query = Query.phrase_query(self.schema, name, list(terms), slop)
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def clause(self, clause: Clause) -> tuple[Query, list[Query]]:
        """(what a document must contain for this clause, optional clauses that refine its score)."""
        w = self.w
        forms = [self.match("all_fold", a.folded, w.all_fold * a.weight) for a in clause.alternatives]
        match = forms[0] if len(forms) == 1 else Query.boolean_query([(Occur.Should, q) for q in forms])
        if clause.constant:
            return Query.const_score_query(match, 1.0), []
        extras = []
        for alt in clause.alternatives:
            if w.title_fold:
                extras.append(self.match("title_fold", alt.folded, w.title_fold * alt.weight))
            if alt.exact and w.all_exact:
                extras.append(self.match("all_syl", alt.terms, w.all_exact * alt.weight))
            if alt.exact and w.title_exact:
                extras.append(self.match("title_syl", alt.terms, w.title_exact * alt.weight))
        return match, extras

    def excluded(self, clause: Clause) -> list[Query]:
        return [
            self.match("all_syl", a.terms) if a.exact else self.match("all_fold", a.folded)
            for a in clause.alternatives
        ]

    def text(self, parsed: ParsedQuery) -> tuple[Query, Query] | None:
        """(ranking query, matching query) of the words and phrases; None when there are none."""
        w = self.w
        required: list[Query] = []
        optional: list[Query] = []
        extras: list[Query] = []
        for c in parsed.clauses:
            match, more = self.clause(c)
            (required if c.required else optional).append(match)
            extras += more
        must: list[Query] = []
        for phrase in parsed.phrases:
            match, more = self.clause(phrase)
            must.append(match)
            extras += more
        k = parsed.minimum_match
        if required and k >= len(required):
            must += required
        elif required:
            must.append(Query.boolean_query([(Occur.Should, q) for q in required], k))
        if w.coordination and len(parsed.clauses) >= 2 and (optional or k < len(required)):
            # Lucene's old "coord": a document with every word beats one missing some that repeats the
            # others in a shorter text. (With every clause required all matches have them all.)
            every = Query.boolean_query([(Occur.Must, q) for q in (*required, *optional)])
            extras.append(Query.const_score_query(every, w.coordination * len(parsed.clauses)))
        for gram in parsed.ngrams:
            word = ("_".join(gram),)
            if w.title_words:
                extras.append(self.match("title_words", word, w.title_words))
            if w.all_words:
                extras.append(self.match("all_words", word, w.all_words))
        for run in parsed.runs:
            if w.title_phrase:
                extras.append(self.match("title_fold", run, w.title_phrase, slop=1))
            if w.pair and len(run) >= w.pair_from:
                # Proximity for long queries, where it ranks (ALQAC +0.02 MRR); in short ones every word
                # is required anyway, and phrase queries cost more than the rest of the query together.
                extras += [self.match("all_fold", run[i : i + 2], w.pair) for i in range(len(run) - 1)]
        for year in parsed.years:
            extras.append(Query.const_score_query(Query.term_query(self.schema, "year", year), w.year))
        if not must and not optional:
            return None
        if not must:  # only optional words ("của", "2021"): any of them
            must = [Query.boolean_query([(Occur.Should, q) for q in optional])]
            optional = []
        matching = Query.boolean_query([(Occur.Must, q) for q in must]) if len(must) > 1 else must[0]
        ranking = Query.boolean_query(
            [(Occur.Must, q) for q in must] + [(Occur.Should, q) for q in optional + extras]
        )
        return ranking, matching

    def numbers(self, parsed: ParsedQuery) -> list[Query]:
        out = []
        for number in parsed.numbers:
            if number.key:
                exact = Query.term_query(self.schema, "number_key", number.key)
                out.append(Query.const_score_query(exact, self.w.number_exact))
            parts = [f"s:{number.seq}", *(f"c:{c}" for c in number.codes)]
            if number.year:
                parts.append(f"y:{number.year}")
            query = Query.boolean_query(
                [(Occur.Must, Query.term_query(self.schema, "number_parts", p)) for p in parts]
            )
            score = self.w.number_parts if number.codes else self.w.number_loose
            out.append(Query.const_score_query(query, score))
        return out

    def compile(self, parsed: ParsedQuery, filters: list[Query]) -> tuple[Query, Query]:
        """(the query that ranks, the query that only matches — the same documents, no scoring clauses —
        for counting and facets, which would otherwise evaluate every scoring clause on every match)."""
        numbers = self.numbers(parsed)
        text = self.text(parsed)
        negatives = [q for c in parsed.excluded for q in self.excluded(c)]
        ranking = self._assemble(numbers + ([text[0]] if text else []), filters, negatives)
        return ranking, self._assemble(numbers + ([text[1]] if text else []), filters, negatives)

    @staticmethod
    def _assemble(positives: list[Query], filters: list[Query], negatives: list[Query]) -> Query:
        if not positives:
            content = Query.all_query()
        elif len(positives) == 1:
            content = positives[0]
        else:
            content = Query.boolean_query([(Occur.Should, q) for q in positives])
        if not filters and not negatives:
            return content
        clauses = [(Occur.Must, content)]
        clauses += [(Occur.Must, Query.const_score_query(f, 0.0)) for f in filters]
        clauses += [(Occur.MustNot, q) for q in negatives]
        return Query.boolean_query(clauses)


class Searcher:
    """Searches one index. Everything a hit shows comes from the index; ``store`` (the system of record)
    serves related documents and callers that want whole documents. Thread-safe: one per process."""

    def __init__(self, index: SearchIndex, store: Any | None = None, weights: Weights | None = None) -> None:
        self.index = index
        self.store = store
        self.weights = weights or Weights()
        self._compiler = _Compiler(index.schema, self.weights)
        self._owns_store = False

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

        def is_code(code: str) -> bool:
            return searcher.doc_freq("number_parts", f"c:{code}") > 0

        return parse_query(text, is_code)

    def search(self, request: SearchRequest | str) -> SearchResult:
        """Run one search; raises :class:`QueryError` for a request that cannot be understood."""
        started = time.perf_counter()
        if isinstance(request, str):
            request = SearchRequest(request)
        filters: Filters = compile_filters(request, self.index)
        parsed = self.parse(request.query)
        if parsed.is_empty and not parsed.excluded and not filters.queries:
            if request.query and request.query.strip():
                raise QueryError(
                    "query has no letters or digits",
                    "Truy vấn không có chữ hoặc số nào để tìm; hãy nhập từ khóa hoặc số ký hiệu.",
                )
            raise QueryError("empty query", "Hãy nhập từ khóa, số ký hiệu hoặc chọn ít nhất một bộ lọc.")
        query, matching = self._compiler.compile(parsed, filters.queries)
        searcher = self.index.searcher()
        sort = (
            request.sort if not parsed.is_empty else ("date" if request.sort == "relevance" else request.sort)
        )
        # With facets the aggregation counts the matches too: the ranked search need not (it can skip).
        count = not request.facets
        if sort == "relevance":
            total, addresses, scores = self._by_relevance(
                searcher, query, request.limit, request.offset, count
            )
        else:
            order = tantivy.Order.Asc if sort == "date_asc" else tantivy.Order.Desc
            result = searcher.search(query, request.limit, count, "issued_date", request.offset, order)
            total = result.count or 0
            addresses = [a for _, a in result.hits]
            scores = [None] * len(addresses)
        facets: FacetCounts = {}
        if request.facets:
            total, facets = self._facets(searcher, matching)
        matcher = None
        if request.highlights:
            exact, folded = parsed.highlight_terms()
            matcher = Matcher.for_terms(folded, exact, forms=self.index.surface_forms)
        hits = self._hits(searcher, addresses, scores, matcher)
        return SearchResult(total, hits, facets, (time.perf_counter() - started) * 1000, parsed)

    def _by_relevance(
        self, searcher: tantivy.Searcher, query: Query, limit: int, offset: int, count: bool
    ) -> tuple[int, list[Any], list[float | None]]:
        result = searcher.search(query, limit=offset + limit + _TIE_EXTRA, count=count)
        hits = result.hits
        if not hits:
            return result.count or 0, [], []
        days = searcher.fast_field_values("day", [a for _, a in hits])
        order = sorted(range(len(hits)), key=lambda i: (-round(hits[i][0], 4), -(days[i] or 0)))
        page = order[offset : offset + limit]
        return result.count or 0, [hits[i][1] for i in page], [hits[i][0] for i in page]

    def _facets(self, searcher: tantivy.Searcher, query: Query) -> tuple[int, FacetCounts]:
        """(number of matches, counts per value of each facet) in one pass over the matches."""
        aggs: dict[str, Any] = {
            name: {"terms": {"field": f, "size": _FACET_SIZES[name]}} for name, f in FACETS.items()
        }
        aggs["_total"] = {"value_count": {"field": "one"}}
        raw = searcher.aggregate(query, aggs)
        out: FacetCounts = {}
        for name in FACETS:
            buckets = raw.get(name, {}).get("buckets", [])
            out[name] = {
                str(int(b["key"]) if name == "year" else b["key"]): int(b["doc_count"]) for b in buckets
            }
        return int(raw.get("_total", {}).get("value") or 0), out

    def _hits(
        self,
        searcher: tantivy.Searcher,
        addresses: list[Any],
        scores: list[float | None],
        matcher: Matcher | None,
    ) -> tuple[Hit, ...]:
        hits = []
        for address, score in zip(addresses, scores, strict=True):
            doc = searcher.doc(address)
            doc_id = doc.get_first("id")
            title_bytes = doc.get_first("title")
            title = title_bytes.decode("utf-8") if title_bytes else None
            issued = doc.get_first("issued_date")
            highlights = Highlights()
            if matcher is not None:
                body_bytes = doc.get_first("body")
                body = body_bytes.decode("utf-8") if body_bytes else None
                highlights = Highlights(highlight_title(title, matcher), highlight_text(body, matcher))
            hits.append(
                Hit(
                    id=doc_id,
                    number=doc.get_first("number"),
                    title=title,
                    doc_type=doc.get_first("doc_type"),
                    topic=doc.get_first("topic"),
                    issuer=doc.get_first("issuer"),
                    issued_date=issued.date() if issued is not None else None,
                    score=score,
                    highlights=highlights,
                )
            )
        return tuple(hits)

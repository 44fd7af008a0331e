"""ParsedQuery → tantivy queries: what matches, what scores, with which weights.

Matching and scoring are separated for speed: a word *matches* through the folded "all" field alone, which
holds every form the other fields hold (title ⊂ all, exact ⊂ folded), so the conjunction runs over plain
term postings; the exact-diacritic, title, compound-word and proximity fields only *score*, as optional
clauses tantivy evaluates on the documents the conjunction found. Filters and excluded words join the
words' boolean query rather than wrapping it, and the coordination bonus (a conjunction itself) is sought
on matching documents only (:func:`_ranked`). :func:`title_rerank` reorders a page of hits by how well the
query describes each title, which no tantivy query can score.

The issuer is not in the text fields (``duong`` must not match every document of Bình Dương). Two
neighbouring words that name an issuer together (``bình dương``, ``ubnd sơn la``) may match through the
issuer's words instead, scoring nothing: the clerk narrowed the search to that issuer.

Example
-------
>>> compiler = QueryCompiler(index.schema, Weights())                  # doctest: +SKIP
>>> ranking, matching = compiler.compile(parse_query("đường bộ"), [])  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import tantivy
from tantivy import Occur, Query

from corpus.query import Clause, ParsedQuery, content_word, fold_term, symbol_word, term_parts
from corpus.query_model import NumberQuery
from corpus.query_terms import seq_form

# The type code of a công văn, which its numbers rarely print, and its type slug.
_LETTER_CODE = "CV"
_LETTER_TYPE = "cong-van"


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
    # A symbol among other words ("nq-cp ngày 18/11", a citation in a title) only adds to the words' score;
    # typed alone ("UBND-VX") it ranks its numbers first, as a number does.
    symbol_with_words: float = 10.0
    year: float = 1.0
    # A date typed in full matches documents issued that day as well as texts that print it.
    issued_day: float = 3.0
    # Words, a date or a year typed with a number tell apart the documents sharing that number (a number
    # is reused every year, and by every issuer): scored on the number's documents, far below the number's
    # own score. A date or a year is what a citation gives to single one out, so they weigh the most.
    number_context: float = 1.0
    number_day: float = 40.0
    number_year: float = 20.0
    coordination: float = 3.0  # bonus per clause for matching all of them
    # Bonus per clause when the title alone holds every word: a clerk types what the title says, and a long
    # body holding the words here and there (a law, a report) must not bury the title that says them all.
    title_all: float = 8.0
    title_phrase: float = 2.0  # words typed side by side, side by side in the title
    pair: float = 1.5  # two words typed side by side, side by side anywhere
    pair_from: int = 4  # runs at least this long score each pair of neighbours
    issuer_alias: float = 0.0  # an abbreviation of an issuer (UBND, ủy ban nhân dân) found in the issuer
    issuer_pair: float = 10.0  # both words of a pair naming the issuer (nghệ an), found in the issuer
    issuer_alone: float = 4.0  # times issuer_pair when the pair is the whole query and names a place
    # Rerank of a page of hits by how much of its title the query covers (:func:`title_rerank`), as a
    # fraction of the page's best score.
    title_cosine: float = 0.2


@dataclass(frozen=True)
class TextClauses:
    """The words and phrases of a query as tantivy clauses: what every match must satisfy, what scores
    in one union with it, and what scores evaluated on matches alone (see :func:`_ranked`)."""

    must: list[Query]
    should: list[Query]
    late: list[Query]


class QueryCompiler:
    """ParsedQuery → tantivy Query, given the schema and the weights (see the module docstring).

    ``issuer_pair(a, b)`` tells whether two folded words stand near each other in an issuer name the index
    holds; by default no pair does and words match text only.
    """

    def __init__(
        self,
        schema: tantivy.Schema,
        weights: Weights,
        issuer_pair: Callable[[str, str], bool] | None = None,
        issuer_word: Callable[[str], bool] | None = None,
        place_pair: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.schema = schema
        self.w = weights
        self.issuer_pair = issuer_pair or (lambda a, b: False)
        self.issuer_word = issuer_word or (lambda a: False)
        self.place_pair = place_pair or (lambda a, b: False)

    def issuer_matches(self, clauses: tuple[Clause, ...]) -> dict[int, list[Query]]:
        """Clause index → queries through which that word may match the issuer instead of the text: both
        words of a neighbouring pair naming an issuer (``bình dương``: both in the issuer's words), or an
        issuer's abbreviation. They score nothing (:attr:`Weights.issuer_alias` for abbreviations)."""
        keys = [_single_term(c) for c in clauses]
        out: dict[int, list[Query]] = {}
        for i in range(len(keys) - 1):
            a, b = keys[i], keys[i + 1]
            if a and b and a != b and self.issuer_pair(a, b):
                both = Query.boolean_query(
                    [(Occur.Must, Query.term_query(self.schema, "issuer_terms", t)) for t in (a, b)]
                )
                # A query that is nothing but the place ("dong thap", "nghe an") asks for its documents: typed
                # without marks its words also match unrelated folded words ("bất động sản … thấp").
                # Only a place: "môi trường" alone names the subject of Sở Nông nghiệp và Môi trường too (QA).
                alone = len(keys) == 2 and self.place_pair(a, b)
                weight = self.w.issuer_pair * (self.w.issuer_alone if alone else 1.0)
                query = Query.const_score_query(both, weight)
                out.setdefault(i, []).append(query)
                out.setdefault(i + 1, []).append(query)
        for i, clause in enumerate(clauses):
            # An abbreviation of an issuer, or its expansion (UBND, ủy ban nhân dân), names the issuer alone.
            alias = len(clause.alternatives) > 1 and any(len(a.folded) > 1 for a in clause.alternatives)
            key = keys[i]
            if alias and key and self.issuer_word(key):
                own = Query.term_query(self.schema, "issuer_terms", key)
                out.setdefault(i, []).append(Query.const_score_query(own, self.w.issuer_alias))
        return out

    def match(self, name: str, terms: tuple[str, ...], boost: float = 1.0, slop: int = 0) -> Query:
        if len(terms) == 1:
            query = Query.term_query(self.schema, name, terms[0])
        else:
            query = Query.phrase_query(self.schema, name, list(terms), slop)
        return Query.boost_query(query, boost) if boost != 1.0 else query

    def clause(self, clause: Clause, issuer: list[Query] | None = None) -> tuple[Query, list[Query]]:
        """(what a document must contain for this clause, optional clauses that refine its score);
        ``issuer``: other ways to match it (:meth:`issuer_matches`)."""
        w = self.w
        forms = [self.match("all_fold", a.folded, w.all_fold * a.weight) for a in clause.alternatives]
        forms += issuer or []
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

    def text(self, parsed: ParsedQuery) -> TextClauses | None:
        """The clauses of the words and phrases; None when there are none."""
        w = self.w
        required: list[Query] = []
        optional: list[Query] = []
        extras: list[Query] = []
        late: list[Query] = []  # scoring clauses worth evaluating on matches only (see compile)
        in_text: list[Query] = []  # each word in the text itself: the coordination bonus ignores the issuer
        # Other ways than the text to satisfy a clause: through the issuer's words, or a date through the day
        # the document was issued.
        other_ways = self.issuer_matches(parsed.clauses)
        for i, c in enumerate(parsed.clauses):
            if c.day is not None:
                other_ways.setdefault(i, []).append(self.issued_on(c.day, self.w.issued_day))
            if c.required and not c.constant and c.text.isdigit():
                # "1818 sơn la", "1203 hà tĩnh": a bare figure beside words is as often the sequence of a number
                # the text never prints (QA: the numbered decisions were not found at all).
                seq = Query.term_query(self.schema, "number_parts", f"s:{seq_form(c.text)}")
                other_ways.setdefault(i, []).append(Query.const_score_query(seq, self.w.symbol_with_words))
            match, more = self.clause(c, other_ways.get(i))
            (required if c.required else optional).append(match)
            in_text.append(self.clause(c)[0] if i in other_ways else match)
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
            every = Query.boolean_query([(Occur.Must, q) for q in in_text])
            late.append(Query.const_score_query(every, w.coordination * len(parsed.clauses)))
        words = [c for c in parsed.clauses if not c.constant]
        if w.title_all and len(words) >= 2 and k >= len(required):
            in_title = [
                Query.boolean_query([(Occur.Should, self.match("title_fold", a.folded)) for a in c.alternatives])
                for c in words
            ]
            every_in_title = Query.boolean_query([(Occur.Must, q) for q in in_title])
            late.append(Query.const_score_query(every_in_title, w.title_all * len(words)))
        for gram in parsed.ngrams:
            word = ("_".join(gram),)
            if w.title_words:
                extras.append(self.match("title_words", word, w.title_words))
            if w.all_words:
                extras.append(self.match("all_words", word, w.all_words))
        two_words = len(words) == 2 and k >= len(required)
        for run in parsed.runs:
            if w.title_phrase:
                extras.append(self.match("title_fold", run, w.title_phrase, slop=1))
            if two_words and len(run) == 2 and w.title_all:
                # Two words typed side by side are often one name ("Lý Sơn", "Tịnh Phong"): side by side anywhere
                # they weigh more than a title holding both apart ("quản lý … Sơn La" outranked the documents
                # naming the island; QA). As late as the title bonus: a phrase costs more than the rest.
                side_by_side = Query.const_score_query(self.match("all_fold", run), w.title_all * 3)
                late.append(side_by_side)
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
        return TextClauses(must, optional + extras, late)

    def issued_on(self, day: int, score: float) -> Query:
        on_day = Query.range_query(self.schema, "day", tantivy.FieldType.Integer, day, day)
        return Query.const_score_query(on_day, score)

    def number_context(self, parsed: ParsedQuery) -> Query | None:
        """What the rest of a query with a number says about which of that number's documents is meant
        (``45/KH-UBND an toàn thực phẩm``, ``1203/QĐ-UBND ngày 18/5/2023``, ``… năm 2023``): each word,
        date and year, optional, scored on the documents the query matched (see :meth:`compile`). None
        when the query holds nothing but numbers."""
        if not parsed.numbers and not parsed.symbols:
            return None
        w = self.w
        scoring: list[Query] = []
        for clause in parsed.clauses:
            if clause.constant or not clause.required:
                continue  # the number itself, a printed date, "số", "ngày", "của"
            match, extras = self.clause(clause)
            scoring += [match, *extras]
        # "56/KH-UBND Nghệ An": the words may name the issuer, which the text fields leave out (two provinces'
        # plans of one number tied on the words of their texts; QA).
        issuer_ways = self.issuer_matches(parsed.clauses)
        named = {id(q): q for i, qs in issuer_ways.items() if not parsed.clauses[i].constant for q in qs}
        scoring += named.values()
        scoring += [self.issued_on(day, w.number_day) for day in parsed.days]
        scoring += [
            Query.const_score_query(Query.term_query(self.schema, "year", year), w.number_year)
            for year in parsed.years
        ]
        if not scoring:
            return None
        context = Query.boolean_query([(Occur.Should, q) for q in scoring])
        return Query.boost_query(context, w.number_context) if w.number_context != 1.0 else context

    def numbers(self, parsed: ParsedQuery) -> list[Query]:
        out = []
        for number in parsed.numbers:
            issued = (
                [(Occur.Must, Query.term_query(self.schema, "year", number.issued))] if number.issued else []
            )
            if number.key:
                exact = Query.term_query(self.schema, "number_key", number.key)
                if issued:
                    exact = Query.boolean_query([(Occur.Must, exact), *issued])
                out.append(Query.const_score_query(exact, self.w.number_exact))
            parts = [f"s:{number.seq}", *(f"c:{c}" for c in number.codes)]
            if number.year:
                parts.append(f"y:{number.year}")
            query = Query.boolean_query(
                [(Occur.Must, Query.term_query(self.schema, "number_parts", p)) for p in parts] + issued
            )
            score = self.w.number_parts if number.codes else self.w.number_loose
            out.append(Query.const_score_query(query, score))
            if _LETTER_CODE in number.codes:
                out.append(self._letter(number, score))
            if number.codes and not number.year and not number.issued and _year_like(number.seq) and "/" not in number.text:
                # "KH-UBND 2021", "SNNMT 2026": as often the code's documents of that year as a sequence 2021
                # (QA: nothing was found); below the documents numbered so, as a figure alone is.
                of_year = [(Occur.Must, Query.term_query(self.schema, "number_parts", f"c:{c}")) for c in number.codes]
                of_year.append((Occur.Must, Query.term_query(self.schema, "year", int(number.seq))))
                out.append(Query.const_score_query(Query.boolean_query(of_year), self.w.number_loose))
        return out

    def _letter(self, number: NumberQuery, score: float) -> Query:
        """``công văn 2419``, ``cv 2419``: a công văn's number carries no type code (``2419/UBND-KT``) but
        for the oldest ones (``123/CV-UB``), so the letter is its figure and its type, with any other code."""
        parts = [f"s:{number.seq}", *(f"c:{c}" for c in number.codes if c != _LETTER_CODE)]
        if number.year:
            parts.append(f"y:{number.year}")
        clauses = [(Occur.Must, Query.term_query(self.schema, "number_parts", p)) for p in parts]
        clauses.append((Occur.Must, Query.term_query(self.schema, "doc_type", _LETTER_TYPE)))
        return Query.const_score_query(Query.boolean_query(clauses), score)

    def symbols(self, parsed: ParsedQuery) -> tuple[list[Query], bool]:
        """(one query per symbol, whether the query's words decide what matches). A symbol typed alone
        (``UBND-VX``), or with nothing that says what about (``UBND-VX năm 2021``, ``KH-UBND của``), matches
        the numbers with every one of its codes, scored as a number without its sequence (the year then ranks
        its documents, see :meth:`number_context`), and the symbol's words still match titles that spell it;
        among words that say what about (``UBND-VX cách ly``, ``UBND-VX "cách ly"``) it only adds to their
        score (see :meth:`compile`)."""
        if not parsed.symbols:
            return [], False
        words_decide = bool(parsed.phrases) or any(
            content_word(c) and not symbol_word(c, parsed.symbols) for c in parsed.clauses
        )
        score = self.w.symbol_with_words if words_decide else self.w.number_loose
        out = []
        for codes in parsed.symbols:
            parts = [(Occur.Must, Query.term_query(self.schema, "number_parts", f"c:{c}")) for c in codes]
            out.append(Query.const_score_query(Query.boolean_query(parts), score))
        return out, words_decide

    def compile(self, parsed: ParsedQuery, filters: list[Query]) -> tuple[Query, Query]:
        """(the query that ranks, the query that only matches — the same documents, no scoring clauses —
        for counting and facets, which would otherwise evaluate every scoring clause on every match)."""
        symbols, words_decide = self.symbols(parsed)
        numbers = self.numbers(parsed)
        text = self.text(parsed)
        if text is not None and symbols and words_decide:
            # The words decide what matches; a document whose number carries the symbol ranks higher. As an
            # alternative to the words, "UBND chuyển đổi số" matched every UBND document (QA).
            text = TextClauses(text.must, text.should, text.late + symbols)
        else:
            numbers += symbols
        negatives = [q for c in parsed.excluded for q in self.excluded(c)]
        restrict = [Query.const_score_query(f, 0.0) for f in filters]  # filters score nothing
        if text and not numbers:
            # Words, filters and exclusions in one boolean query: nested inside another, the words'
            # query costs a scorer level on every match (and filters no longer lead the intersection).
            return (
                _ranked(text.must + restrict, text.should, negatives, text.late),
                _ranked(text.must + restrict, [], negatives, []),
            )
        ranking = [_ranked(text.must, text.should, [], text.late)] if text else []
        if ranking and numbers:
            # The words find the texts citing the number; on the number's own documents they would only
            # reorder them by whether their text prints it (a full text's header does, a summary not: an
            # older upload above a newer record of the same number, QA). Those are ranked by number_context.
            ranking = [_ranked(ranking, [], numbers, [])]
        matching = [_ranked(text.must, [], [], [])] if text else []
        ranked = self._assemble(numbers + ranking, restrict, negatives)
        context = self.number_context(parsed)
        if context is not None:
            # Sought on the matches alone: the number's few documents and the texts citing it.
            ranked = _ranked([ranked], [], [], [context])
        return ranked, self._assemble(numbers + matching, restrict, negatives)

    @staticmethod
    def _assemble(positives: list[Query], restrict: list[Query], negatives: list[Query]) -> Query:
        if not positives:
            content = Query.all_query()
        elif len(positives) == 1:
            content = positives[0]
        else:
            content = Query.boolean_query([(Occur.Should, q) for q in positives])
        if not restrict and not negatives:
            return content
        return _ranked([content, *restrict], [], negatives, [])


def _ranked(must: list[Query], should: list[Query], must_not: list[Query], late: list[Query]) -> Query:
    """``must`` AND NOT ``must_not``, scored by ``must``, ``should`` and ``late``; a lone required clause
    stands for itself.

    tantivy scores the optional clauses of a boolean query as one union that walks their own postings
    (window by window around the matches), so a dense optional clause — the coordination conjunction of
    common words — is evaluated on far more documents than match. Each ``late`` clause is therefore the
    only optional clause of a level of its own, which is only sought on matching documents: the same
    score (up to float rounding), for a fraction of the work."""
    if len(must) == 1 and not should and not must_not:
        query = must[0]
    else:
        query = Query.boolean_query(
            [(Occur.Must, q) for q in must]
            + [(Occur.Should, q) for q in should]
            + [(Occur.MustNot, q) for q in must_not]
        )
    for clause in late:
        query = Query.boolean_query([(Occur.Must, query), (Occur.Should, clause)])
    return query


def _year_like(seq: str) -> bool:
    return len(seq) == 4 and seq.isdigit() and 1945 <= int(seq) <= 2100


def _single_term(clause: Clause) -> str | None:
    """The one folded term a word clause stands for (an abbreviation: its own form, ``ubnd``), or None."""
    if clause.constant:
        return None
    for alt in clause.alternatives:
        if len(alt.folded) == 1:
            return alt.folded[0].lower()
    return None


# -- title rerank -----------------------------------------------------------------------------------------
#
# BM25 sees a document's length, not what else its title is about. Several titles often hold the same few
# rare words a clerk remembers (``sot xuat huyet``, ``tay chan mieng`` in a dozen campaign plans); the title
# the query describes best is the one with the fewest *other* rare words: the cosine of the query and the
# title over idf-weighted folded terms (the classic vector-space model, whose document norm is dominated by
# rare terms). tantivy cannot score by a norm of terms a document holds and the query lacks, so the page of
# hits is reranked after the search, from the titles it fetches anyway.


def query_title_terms(parsed: ParsedQuery) -> tuple[str, ...]:
    """Folded terms of the words and phrases of ``parsed`` in the form typed: what the title rerank
    compares with a title. Empty — no rerank — when the query asks for a number (its documents come
    first, newest first, and must stay so) or is long: a question of more than six words needs only a
    third of them (:attr:`ParsedQuery.minimum_match`) and ranks by which it holds, where a title's
    coverage measured nothing useful (ALQAC MRR@10 0.866 → 0.860). In a short query every hit holds
    every word, and BM25 tells their titles apart by length alone."""
    required = sum(1 for c in parsed.clauses if c.required)
    if parsed.numbers or parsed.minimum_match < required:
        return ()
    terms: list[str] = []
    for clause in (*parsed.clauses, *parsed.phrases):
        if clause.constant or not clause.alternatives:
            continue
        terms += clause.alternatives[0].folded
    return tuple(dict.fromkeys(terms))


def title_terms(title: str | None) -> frozenset[str]:
    """Folded terms of a stored (original) title, cut as the index cuts them. Folded first: folding
    decomposes and drops every mark, so tone placement (``hoà``/``hòa``) needs no normalising."""
    return frozenset(term_parts(fold_term(title))) if title else frozenset()


def idf(doc_freq: int, num_docs: int) -> float:
    """BM25's idf (tantivy's and Lucene's formula)."""
    return math.log(1.0 + (num_docs - doc_freq + 0.5) / (doc_freq + 0.5))


def title_rerank(
    parsed: ParsedQuery,
    scores: Sequence[float],
    titles: Sequence[str | None],
    doc_freq: Callable[[str], int],
    num_docs: int,
    weight: float,
) -> list[tuple[int, float]]:
    """(position in the page, new score) of a page of hits ranked by relevance, best first: each score
    plus ``weight`` × the page's best score × cos(query, title), over distinct folded terms weighted by
    idf (``doc_freq`` of a term in ``title_fold``). Ties keep the order given (equal scores newest
    first); queries :func:`query_title_terms` leaves out keep their order and scores."""
    unchanged = [(i, score) for i, score in enumerate(scores)]
    query = set(query_title_terms(parsed)) if weight > 0 and len(scores) > 1 else set()
    if not query:
        return unchanged
    squares: dict[str, float] = {}

    def w2(term: str) -> float:
        if term not in squares:
            squares[term] = idf(doc_freq(term), num_docs) ** 2
        return squares[term]

    title_sets = [title_terms(title) for title in titles]
    # Where no title holds a term (untitled texts, a news corpus) every cosine is 0: no idf to look up.
    query_norm = (math.sqrt(sum(w2(t) for t in query)) or 1.0) if any(title_sets) else 1.0
    scale = weight * max(scores)
    new = []
    for score, terms in zip(scores, title_sets, strict=True):
        norm = math.sqrt(sum(w2(t) for t in terms))
        cosine = sum(w2(t) for t in query & terms) / (norm * query_norm) if norm else 0.0
        new.append(score + scale * cosine)
    order = sorted(range(len(new)), key=lambda i: -new[i])  # stable: equal scores keep their order
    return [(i, new[i]) for i in order]

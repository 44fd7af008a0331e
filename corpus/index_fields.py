"""Documents → index fields: the schema, the tokenizer and what each field holds.

Text is analysed by :mod:`nlp` (never by tantivy's tokenizers, which cut Vietnamese badly): title and body
go into fields of exact syllables, folded syllables and segmented words, joined by spaces and split again by
a whitespace tokenizer. The type name (``Kế hoạch``) is indexed with the body ("all" fields): clerks type it
and summaries leave it out. The issuer is **not**: it is a filter and a facet (``issuer``,
``issuer_terms``), so that ``duong`` does not match every document of Bình Dương through its issuer;
a query naming an issuer (``ubnd bình dương``) matches it through ``issuer_terms`` (see
:mod:`corpus.search_compile`).

The stored body, used for snippets only, starts after the header boilerplate (national motto, issuer block,
number and date lines: :func:`corpus.highlight.content_start`), so snippets show what the document says.

Example
-------
>>> fields = document_fields(doc, title_analysis, None)  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache, partial
from itertools import chain
from operator import is_not, itemgetter
from typing import Any

import tantivy

from corpus.document import Document, day_number
from corpus.highlight import MAX_SCAN_CHARS, content_start
from corpus.query_terms import fold_term, fold_terms, index_terms, number_terms, term_parts
from corpus.search_filters import issuer_key, issuer_terms, status_class
from nlp.abbreviations import DOC_TYPE_LABELS
from nlp.analyzer import Analysis, Piece, read_batch, token_words
from nlp.forkpool import can_fork, chunk_by_size, chunk_size, fork_map
from nlp.header_issuer import qualified_issuer
from nlp.header_layout import without_motto
from nlp.segment import PARALLEL_MIN_CHARS, default_segmenter, reset_after_fork

TOKENIZER = "vanban_terms"
# tantivy stores dates as nanoseconds (i64): outside these years a date cannot be indexed; such a date
# (a typo in the source: 1202 for 2012) keeps its integer ``day`` and ``year``, which filters and sorts use.
DATE_YEARS = range(1678, 2262)


# Text fields analysed by nlp: (title|text) × (syl: exact syllables, fold: folded, words: segmented words).
# The "all" fields hold head, title and body together, so that every document has them and their term
# statistics are comparable (a body-only field would give words of the few documents with a body the
# idf of rare words); the title fields add weight to what the title says.
TEXT_FIELDS = ("title_syl", "title_fold", "title_words", "all_syl", "all_fold", "all_words")
FACET_FIELDS = ("doc_type", "topic", "issuer", "status")


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("number", stored=True, tokenizer_name="raw")
    sb.add_text_field("number_key", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("number_parts", tokenizer_name="raw", index_option="basic")
    for name in FACET_FIELDS:
        sb.add_text_field(name, stored=True, tokenizer_name="raw", fast=True, index_option="basic")
    sb.add_text_field("status_class", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("issuer_terms", tokenizer_name=TOKENIZER, index_option="basic")
    # the issuer facet's name folded and in lower case: a quoted issuer typed without marks finds it too
    sb.add_text_field("issuer_key", tokenizer_name="raw", index_option="basic")
    sb.add_date_field("issued_date", stored=True, indexed=True, fast=True)
    sb.add_integer_field("year", indexed=True, fast=True)
    sb.add_integer_field(
        "day", stored=True, fast=True
    )  # yyyymmdd: date fast fields cannot be read back from Python
    sb.add_integer_field("updated", stored=True, fast=True)
    sb.add_bytes_field("title", stored=True, indexed=False)
    # The start of the body, for snippets: stored here so that a search needs nothing but the index.
    sb.add_bytes_field("body", stored=True, indexed=False)
    sb.add_integer_field("one", fast=True)  # 1 in every document: facet aggregations count matches with it
    for name in TEXT_FIELDS:
        option = "freq" if name.endswith("_words") else "position"
        sb.add_text_field(name, tokenizer_name=TOKENIZER, index_option=option)
    return sb.build()


def register_tokenizer(index: tantivy.Index) -> None:
    # Tokens arrive analysed and lower-cased; the tokenizer only splits on spaces and drops junk runs
    # (base64, URLs glued together) that would bloat the term dictionary.
    analyzer = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .build()
    )
    index.register_tokenizer(TOKENIZER, analyzer)


def _head_terms(doc: Document) -> tuple[list[str], list[str]]:
    """(terms, words) of the document head: its type name (``Kế hoạch``), which summaries leave out but
    clerks type ("kế hoạch bhyt"). Neither the number (own fields; its codes would make every head hold
    ``ubnd``) nor the issuer (a filter: its words would match every document of the province)."""
    name = DOC_TYPE_LABELS.get(doc.doc_type or "", "") if doc.doc_type else ""
    words = [name.lower().replace(" ", "_")] if name else []
    return term_parts(name), words


# Index terms and their folded forms per distinct syllable: a body has thousands of syllables but few
# distinct ones, and cutting and folding each again cost as much as segmenting it. Pure, so cached.
@lru_cache(maxsize=65_536)
def _syllable_terms(syllable: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    terms = index_terms((syllable,))
    return tuple(terms), tuple(fold_terms(terms))


def _terms(syllables: Iterable[str]) -> tuple[list[str], list[str]]:
    """(:func:`~corpus.query_terms.index_terms`, their :func:`~corpus.query_terms.fold_terms`)."""
    pairs = list(map(_syllable_terms, syllables))  # map/chain: the per-syllable loop stays in C
    terms = list(chain.from_iterable(map(itemgetter(0), pairs)))
    return terms, list(chain.from_iterable(map(itemgetter(1), pairs)))


# An import repeats a handful of issuers over thousands of documents, and their names and terms (normalised,
# folded, abbreviations expanded) cost a tenth of a millisecond each time. Pure, so cached.
@lru_cache(maxsize=4096)
def issuer_fields(issuer: str, parent: str | None) -> tuple[str, str, str]:
    """(facet name, issuer terms, facet key) of an issuer: the facet names the body one way however its
    sources spell it, with its parent's place when it names none (``Sở Y tế`` under ``UBND tỉnh Quảng
    Trị``: ``Sở Y tế tỉnh Quảng Trị``); the terms are those of that name and of the name as filed."""
    name = qualified_issuer(issuer, parent)
    terms = dict.fromkeys([*issuer_terms(name), *issuer_terms(issuer)])
    return name, " ".join(terms), issuer_key(name)


def _add_text(
    fields: dict[str, Any], prefix: str, terms: tuple[list[str], list[str]], words: Iterable[str]
) -> None:
    exact, folded = terms
    if exact:
        fields[f"{prefix}_syl"] = " ".join(exact)
        fields[f"{prefix}_fold"] = " ".join(folded)
    joined = " ".join(map(str.lower, filter(None, words)))
    if joined:
        fields[f"{prefix}_words"] = joined


# -- the batch path: text fields straight from what the analyser reads --------------------------------
#
# A text field is the space-joined words, index terms or folded terms of the head, title and body in order;
# :func:`field_values` gets them from whole :class:`~nlp.analyzer.Analysis` lists. A batch gets the same
# strings piece by piece instead: each unit (a segmented token, a protected number or date) has its three
# strings cached, a free-text run joins its units' strings once, a text joins its runs'. Joining the joined
# parts of non-empty lists is joining the lists (" ".join(a + b) == " ".join(a) + " " + " ".join(b)), so the
# fields are the same strings, built without the per-syllable lists and lookups in between.

# (words, index terms, folded terms), each space-joined, None where there are none (None, not "": a part
# is left out of a join by whether its list was empty, never by what its string holds).
_Parts = tuple[str | None, str | None, str | None]
_NO_PARTS: _Parts = (None, None, None)
_present = partial(is_not, None)  # filter(_present, …) drops None only, in C
_HAS_ALNUM = re.compile(r"\w")  # what nlp.analyzer.token_words asks of a token that is not punctuation


def _joined(parts: Iterable[_Parts]) -> _Parts:
    """The parts of a sequence of units (or of runs, texts), in order. A unit has folded terms exactly when
    it has terms, so whether there are any is read from the terms (a folded string could be empty)."""
    parts = list(parts)
    exact = list(filter(_present, map(itemgetter(1), parts)))
    return (
        " ".join(filter(_present, map(itemgetter(0), parts))) or None,  # words are never empty strings
        " ".join(exact) if exact else None,
        " ".join(filter(_present, map(itemgetter(2), parts))) if exact else None,
    )


def _unit_parts(word: str | None, syllables: Sequence[str]) -> _Parts:
    exact, folded = _terms(syllables)
    return (
        word.lower() if word else None,  # as _add_text: empty words dropped, the others lower-cased
        " ".join(exact) if exact else None,
        " ".join(folded) if exact else None,
    )


# A token of letters only, single-spaced once lower-cased: most tokens of prose ("kế hoạch").
_PLAIN_TOKEN = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@lru_cache(maxsize=65_536)
def _token_parts(token: str) -> _Parts:
    """Parts of one token of a free-text run: its word and syllables as the analyser makes them."""
    lower = token.lower()
    if _PLAIN_TOKEN.fullmatch(lower) and _HAS_ALNUM.search(token):
        # The general path, worked out for such a token: its syllables are lower.split(" "), each one
        # index term (a run of letters, no digit to cut at), and lowering again changes nothing (str.lower
        # is idempotent), so the word is lower with "_" for spaces and the terms joined are lower itself.
        return lower.replace(" ", "_"), lower, " ".join(map(fold_term, lower.split(" ")))
    return _unit_parts(*token_words(token))


@lru_cache(maxsize=16_384)
def _protected_parts(canonical: str) -> _Parts:
    """Parts of a protected token (number, date, "V/v"): one word and one syllable, its canonical form."""
    return _unit_parts(canonical, (canonical,))


def _text_parts(pieces: Sequence[Piece], runs: dict[str, _Parts]) -> _Parts:
    return _joined(runs[p.text] if p.protected is None else _protected_parts(p.protected) for p in pieces)


def _head_parts(doc: Document) -> _Parts:
    terms, words = _head_terms(doc)
    return (
        " ".join(map(str.lower, filter(None, words))) or None,
        " ".join(terms) if terms else None,
        " ".join(fold_terms(terms)) if terms else None,
    )


def _field_values_batch(docs: Sequence[Document]) -> list[dict[str, Any]]:
    """:func:`field_values` of ``docs`` analysed in this process, in one reading of all their texts."""
    texts: list[str] = []
    for doc in docs:
        texts.append(doc.title or "")
        texts.append(without_motto(doc.text or ""))  # in every full text: it would match "hòa", "tự do"…
    prepared, tokens = read_batch(texts)
    runs = {run: _joined(map(_token_parts, run_tokens)) for run, run_tokens in tokens.items()}
    out: list[dict[str, Any]] = []
    for i, doc in enumerate(docs):
        title = _text_parts(prepared[2 * i][1], runs) if doc.title else _NO_PARTS
        text = _text_parts(prepared[2 * i + 1][1], runs) if doc.text else _NO_PARTS
        fields: dict[str, Any] = {"id": doc.id}
        _add_parts(fields, "title", title)
        _add_parts(fields, "all", _joined((_head_parts(doc), title, text)))
        _add_keywords(fields, doc)
        out.append(fields)
    return out


def _add_parts(fields: dict[str, Any], prefix: str, parts: _Parts) -> None:
    words, exact, folded = parts
    if exact is not None:
        fields[f"{prefix}_syl"] = exact
        fields[f"{prefix}_fold"] = folded
    if words:
        fields[f"{prefix}_words"] = words


def document_fields(doc: Document, title: Analysis | None, text: Analysis | None) -> tantivy.Document:
    """The tantivy document of ``doc``, given the analyses of its title and body."""
    return tantivy_document(doc, field_values(doc, title, text))


def field_values(doc: Document, title: Analysis | None, text: Analysis | None) -> dict[str, Any]:
    """The text, keyword and stored fields of ``doc`` as plain values (what a worker process sends back)."""
    fields: dict[str, Any] = {"id": doc.id}
    head_terms, head_words = _head_terms(doc)
    head = (head_terms, fold_terms(head_terms))
    title_terms = _terms(title.syllables) if title else ([], [])
    text_terms = _terms(text.syllables) if text else ([], [])
    title_words = title.words if title else []
    _add_text(fields, "title", title_terms, title_words)
    _add_text(
        fields,
        "all",
        (
            head[0] + title_terms[0] + text_terms[0],
            head[1] + title_terms[1] + text_terms[1],
        ),
        [*head_words, *title_words, *(text.words if text else [])],
    )
    _add_keywords(fields, doc)
    return fields


def _add_keywords(fields: dict[str, Any], doc: Document) -> None:
    """The keyword, number and stored fields of ``doc`` (after its text fields)."""
    for name in FACET_FIELDS:
        value = getattr(doc, name)
        if value:
            fields[name] = value
    if doc.number:
        fields["number"] = doc.number
        fields["number_key"], fields["number_parts"] = number_terms(doc.number)
    if doc.status and (klass := status_class(doc.status)):
        fields["status_class"] = klass
    if doc.issuer:
        fields["issuer"], fields["issuer_terms"], fields["issuer_key"] = issuer_fields(doc.issuer, doc.parent)
    if doc.title:
        fields["title"] = doc.title.encode("utf-8")
    if doc.text:
        start = content_start(doc.text, doc.title)
        fields["body"] = doc.text[start : start + MAX_SCAN_CHARS].encode("utf-8")


def tantivy_document(doc: Document, fields: dict[str, Any]) -> tantivy.Document:
    """``fields`` (from :func:`field_values`) plus the date and integer fields of ``doc``."""
    out = tantivy.Document(**fields)
    out.add_integer("one", 1)
    if doc.issued_date is not None:
        d = doc.issued_date
        if d.year in DATE_YEARS:
            out.add_date("issued_date", datetime(d.year, d.month, d.day, tzinfo=UTC))
        out.add_integer("year", d.year)
        out.add_integer("day", day_number(d))
    if doc.updated_at is not None:
        out.add_integer("updated", micros(doc.updated_at))
    return out


def micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def analyze_documents(
    docs: Sequence[Document],
    workers: int | None = None,
    add: Callable[[Document, tantivy.Document], object] | None = None,
) -> list[tantivy.Document]:
    """Analyse titles and bodies of ``docs`` → index documents; all cores for large batches.

    A large batch (:data:`~nlp.segment.PARALLEL_MIN_CHARS` characters of title and body or more) is cut into
    chunks of consecutive documents; this process and ``workers - 1`` forked ones (default: all cores) each
    analyse a chunk and build its field values (:func:`field_values`: normalising, segmenting, folding,
    index terms — all single-threaded Python), and only the tantivy documents are made here. A smaller batch
    is done here in one call of the batch analyser.

    ``add``, when given, receives each document as soon as it is made: handed to a tantivy writer, it is
    indexed by tantivy's own threads while this process goes on.
    """
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    size = sum(len(d.title or "") + len(d.text or "") for d in docs)
    if workers > 1 and size >= PARALLEL_MIN_CHARS and can_fork():
        default_segmenter().load()  # before forking, so that the workers share the model
        chunks = chunk_by_size(docs, chunk_size(size, workers), _doc_chars)
        values = fork_map(_field_values_batch, chunks, workers, child_init=reset_after_fork)
        out: list[tantivy.Document] = []
        for chunk, chunk_values in zip(chunks, values, strict=True):
            for doc, fields in zip(chunk, chunk_values, strict=True):
                made = tantivy_document(doc, fields)
                if add is not None:
                    add(doc, made)
                out.append(made)
        return out
    out = []
    for doc, fields in zip(docs, _field_values_batch(docs), strict=True):
        made = tantivy_document(doc, fields)
        if add is not None:
            add(doc, made)
        out.append(made)
    return out


def _doc_chars(doc: Document) -> int:
    return len(doc.title or "") + len(doc.text or "")



"""The Vietnamese analyser: normalise, protect numbers and dates, segment into words, fold.

This is the single definition of "how vanban reads a text" shared by the classifiers and the search index.
Its version, :data:`ANALYZER_VERSION`, is recorded in every model manifest and index; changing what this
module outputs means bumping it, which makes stale models and indexes refuse to load ("rebuild").

Example
-------
>>> a = analyze("Kế hoạch số 139/KH-UBND ngày 12/7/2022 của UBND tỉnh Đắk Lắk")
>>> a.words[:4]
['kế_hoạch', 'số', '139/KH-UBND', 'ngày']
>>> a.numbers, a.dates
(['139/KH-UBND'], ['12/7/2022'])
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

from nlp.forkpool import can_fork, chunk_by_size, chunk_size, fork_map
from nlp.normalize import fold, normalize
from nlp.numbers import find_dates, find_numbers, parse_number
from nlp.segment import (
    PARALLEL_MIN_CHARS,
    UNDERTHESEA_VERSION,
    default_segmenter,
    pack_strings,
    reset_after_fork,
    segment_batch,
    unpack_strings,
)

# Bump the first part whenever the output of analyze() changes for any input.
ANALYZER_VERSION = f"vanban-analyzer-1+underthesea-{UNDERTHESEA_VERSION}"

# Tokens kept whole besides numbers and dates: "V/v" (về việc) opens every công văn summary.
_KEEP_WHOLE = re.compile(r"(?<!\w)[Vv]/[Vv](?!\w)")
_HAS_ALNUM = re.compile(r"\w")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Analysis:
    """The analysis of one text.

    ``words``: lower-cased words, compounds joined with ``_`` (``kế_hoạch``); numbers and dates kept whole in
    their canonical form. ``syllables``: the words split on ``_`` (numbers and dates stay whole).
    ``folded``: the syllables without diacritics, for matching text typed without them.
    """

    normalized: str
    words: list[str] = field(default_factory=list)
    syllables: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"analyzer": ANALYZER_VERSION}


class Piece(NamedTuple):
    """A run of a line: either free text to segment or a protected token (a tuple: made per run)."""

    text: str
    protected: str | None = None  # canonical form when protected
    kind: str = ""  # "number" | "date" | "keep"


def _split_line(line: str) -> list[Piece]:
    found: list[tuple[int, int, str, str]] = []
    # Every number and date pattern needs a digit (``\d``, as the finders' patterns spell it) and "V/v" a
    # slash: most lines of prose have neither, and running the finders on them cost as much as segmenting.
    if _HAS_DIGIT.search(line):
        for span in find_numbers(line):
            parsed = parse_number(span.text)
            canonical = parsed.number if parsed and parsed.number else re.sub(r"\s+", "", span.text)
            found.append((span.start, span.end, canonical, "number"))
        for span in find_dates(line):
            if not span.text[:1].isdigit():
                continue  # "ngày 12 tháng 7 năm 2022" stays words; only numeric dates are one token
            found.append((span.start, span.end, re.sub(r"\s+", "", span.text), "date"))
    if "/" in line:
        for m in _KEEP_WHOLE.finditer(line):
            found.append((m.start(), m.end(), "V/v", "keep"))
    if not found:
        return [Piece(line)] if line else []
    found.sort()
    pieces: list[Piece] = []
    cursor = 0
    for start, end, canonical, kind in found:
        if start < cursor:
            continue  # overlaps an earlier find
        if start > cursor:
            pieces.append(Piece(line[cursor:start]))
        pieces.append(Piece(line[start:end], canonical, kind))
        cursor = end
    if cursor < len(line):
        pieces.append(Piece(line[cursor:]))
    return pieces


def _word_form(token: str) -> str:
    return token.lower().replace(" ", "_")


# Per-token work is cached: a batch holds a few hundred thousand tokens but only tens of thousands of
# distinct ones, and folding (NFD + filtering combining marks) per syllable cost more than segmenting.
# Pure functions of their argument, so caching cannot change any output. Bounded (a few hundred bytes an
# entry): frequent tokens stay, the long tail of names and codes is recomputed.
_TokenForms = tuple[str | None, tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=65_536)
def _fold(syllable: str) -> str:
    return fold(syllable)


def token_words(token: str) -> tuple[str | None, tuple[str, ...]]:
    """(word, syllables) of one token of a free-text run (see :func:`read_batch`), as :class:`Analysis`
    holds them; word None and no syllables for punctuation."""
    if not _HAS_ALNUM.search(token):
        return None, ()  # punctuation carries no meaning for matching or classification
    return _word_form(token), tuple(s for s in token.lower().split(" ") if s)


@lru_cache(maxsize=65_536)
def _token_forms(token: str) -> _TokenForms:
    """(word, syllables, folded syllables) of one segmented token; word None for punctuation."""
    word, syllables = token_words(token)
    return word, syllables, tuple(map(_fold, syllables))


def _run_forms(tokens: Sequence[str]) -> tuple[list[str], list[str], list[str]]:
    """(words, syllables, folded) of one segmented free-text run."""
    # map/filter/chain keep the per-token loop in C; punctuation has no word and empty syllables.
    forms = list(map(_token_forms, tokens))
    words = list(filter(None, map(itemgetter(0), forms)))
    syllables = list(chain.from_iterable(map(itemgetter(1), forms)))
    folded = list(chain.from_iterable(map(itemgetter(2), forms)))
    return words, syllables, folded


def _assemble(
    normalized: str, pieces: list[Piece], runs: dict[str, tuple[list[str], list[str], list[str]]]
) -> Analysis:
    words: list[str] = []
    syllables: list[str] = []
    folded: list[str] = []
    numbers: list[str] = []
    dates: list[str] = []
    for piece in pieces:
        if piece.protected is not None:
            words.append(piece.protected)
            syllables.append(piece.protected)
            folded.append(_fold(piece.protected))
            if piece.kind == "number":
                numbers.append(piece.protected)
            elif piece.kind == "date":
                dates.append(piece.protected)
            continue
        run_words, run_syllables, run_folded = runs[piece.text]
        words += run_words
        syllables += run_syllables
        folded += run_folded
    return Analysis(normalized, words, syllables, folded, numbers, dates)


def _prepare(text: str) -> tuple[str, list[Piece]]:
    normalized = normalize(text)
    pieces: list[Piece] = []
    for line in normalized.split("\n"):
        if line.strip():
            pieces.extend(_split_line(line))
    return normalized, pieces


def read_batch(texts: Sequence[str]) -> tuple[list[tuple[str, list[Piece]]], dict[str, list[str]]]:
    """What the analyser reads in ``texts``, in this process: each text's normal form and its pieces (in
    order: protected tokens and free-text runs), and the segmenter's tokens of every distinct run.

    :func:`analyze_batch` derives its analyses from this; the search index derives its fields from it
    directly (:mod:`corpus.index_fields`), without building word lists it would only join again.
    """
    prepared = [_prepare(t) for t in texts]
    runs = list(dict.fromkeys(p.text for _, pieces in prepared for p in pieces if p.protected is None))
    return prepared, dict(zip(runs, segment_batch(runs, workers=1), strict=True))


def _analyze_here(texts: Sequence[str]) -> list[Analysis]:
    """:func:`analyze_batch` in this process alone."""
    prepared, tokens = read_batch(texts)
    forms = {run: _run_forms(run_tokens) for run, run_tokens in tokens.items()}
    return [_assemble(normalized, pieces, forms) for normalized, pieces in prepared]


# An analysis travels from a worker as a few strings (see nlp.segment.pack_strings), not as lists of
# thousands of small ones: pickling those cost a third of the work the worker saved.
_Packed = tuple[str, str | tuple[str, ...], str | tuple[str, ...], str | tuple[str, ...], list[str], list[str]]


def _pack(analyses: Sequence[Analysis]) -> list[_Packed]:
    return [
        (a.normalized, pack_strings(a.words), pack_strings(a.syllables), pack_strings(a.folded), a.numbers, a.dates)
        for a in analyses
    ]


def _unpack(packed: Sequence[_Packed]) -> list[Analysis]:
    return [
        Analysis(normalized, unpack_strings(w), unpack_strings(s), unpack_strings(f), numbers, dates)
        for normalized, w, s, f, numbers, dates in packed
    ]


def analyze_batch(texts: Sequence[str], workers: int | None = None) -> list[Analysis]:
    """Analyse many texts at once; identical to ``[analyze(t) for t in texts]``.

    Lines are the unit of work: every free-text run of every line is segmented once however often it
    repeats in a share of the batch. Large batches (:data:`~nlp.segment.PARALLEL_MIN_CHARS` characters or
    more) are split into chunks of consecutive texts analysed whole — normalising, protecting numbers,
    segmenting, folding — by this process and ``workers - 1`` forked ones (default: all cores), which start
    from this process's loaded segmenter model. Analysing a text depends on that text alone, so the split
    cannot change any output.
    """
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    size = sum(map(len, texts))
    if workers <= 1 or size < PARALLEL_MIN_CHARS or not can_fork():
        return _analyze_here(texts)
    default_segmenter().load()  # before forking, so that the workers share the model
    chunks = chunk_by_size(list(texts), chunk_size(size, workers))
    done = fork_map(_analyze_here, chunks, workers, encode=_pack, decode=_unpack, child_init=reset_after_fork)
    return [analysis for chunk in done for analysis in chunk]


def analyze(text: str) -> Analysis:
    """Analyse one text (see :class:`Analysis`)."""
    return analyze_batch([text], workers=1)[0]


def words(text: str) -> list[str]:
    """Shortcut for ``analyze(text).words`` — a module-level callable, safe inside saved pipelines."""
    return analyze(text).words

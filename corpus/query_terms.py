"""Terms: the unit the index and the query match on, and the number keys and parts both sides share.

Pure, cached functions. :func:`term_parts` cuts text the way :func:`index_terms` cuts the analyser's
syllables at index time, so a query never needs the word segmenter to produce the index's terms.

Example
-------
>>> term_parts("139/KH-UBND covid-19"), fold_terms(["đường"]), lookup_key("01/CT-UBND")
(['139', 'kh', 'ubnd', 'covid', '19'], ['duong'], '1/CT-UBND')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from nlp import abbreviations
from nlp.abbreviations import ABBREVIATIONS, TYPE_CODES, TYPE_NAMES
from nlp.normalize import fold
from nlp.numbers import number_key, parse_number

# Alphanumeric runs; a leading figure is cut from the letters after it ("5d" → 5, d; "10h30" → 10, h30) as
# the word segmenter does, while "h5n1" or "covid19" stay whole.
_TERM = re.compile(r"\d+(?=[^\W\d_])|[^\W_]+")


# Per-token caches: a query is a handful of tokens that recur across queries, and the nlp functions behind
# them normalise their input first (tens of microseconds each). Pure functions, so caching is safe.
@lru_cache(maxsize=200_000)
def fold_term(term: str) -> str:
    """:func:`nlp.normalize.fold` of one term, cached."""
    return fold(term)


@lru_cache(maxsize=65_536)
def has_diacritics(text: str) -> bool:
    return fold_term(text) != text


@lru_cache(maxsize=65_536)
def canonical_type_code(token: str) -> str | None:
    return abbreviations.canonical_type_code(token)


@lru_cache(maxsize=65_536)
def canonical_abbreviation(token: str) -> str | None:
    return abbreviations.canonical_abbreviation(token)


def fold_lower(text: str) -> str:
    """Folded, lower-cased text (``Đường`` → ``duong``)."""
    return fold_term(text).lower()


def term_parts(text: str) -> list[str]:
    """Lower-cased alphanumeric runs of ``text``: the unit both the index and the query match on."""
    return _TERM.findall(text.lower())


def index_terms(syllables: Iterable[str]) -> list[str]:
    """Index terms of the analyser's syllables: each cut into alphanumeric runs (``139/kh-ubnd`` → three)."""
    return [part for syllable in syllables for part in _TERM.findall(syllable.lower())]


def fold_terms(terms: Sequence[str]) -> list[str]:
    """Folded forms of terms, one per term (a few thousand distinct syllables make up any text)."""
    return [fold_term(t) for t in terms]


def code_form(code: str) -> str:
    """How number codes are indexed and matched: folded upper case (``QĐ`` → ``QD``, ``TTg`` → ``TTG``)."""
    return fold(code).upper()


def seq_form(seq: str) -> str:
    """Sequence numbers compare without leading zeros (``01/CT-UBND`` is typed ``1/CT-UBND``)."""
    return seq.lstrip("0") or "0"


def printed_seqs(seq: str) -> tuple[str, ...]:
    """A number's sequence as texts print it: as given, bare, and padded to two and three figures ("03" →
    "03", "3", "003"); a sequence that is not all figures as given."""
    if not seq.isdigit():
        return (seq,)
    bare = seq_form(seq)
    return tuple(dict.fromkeys((seq, bare, bare.zfill(2), bare.zfill(3))))


def lookup_key(number: str) -> str:
    """:func:`nlp.numbers.number_key` without leading zeros: ``01/CT-UBND`` and ``1/CT-UBND`` are one key."""
    key = number_key(number)
    stripped = key.lstrip("0")
    return stripped if stripped[:1].isdigit() else key


def number_terms(number: str) -> tuple[list[str], list[str]]:
    """(exact keys, parts) of a document number as indexed: keys are :func:`nlp.numbers.number_key` of the
    number as filed and as canonicalised, with and without leading zeros; parts are ``s:<seq>``,
    ``y:<year>``, ``c:<code>`` (``139/KH-UBND`` → ``s:139 c:KH c:UBND``; a joint body ``PCCC&CNCH`` also as
    ``c:PCCC c:CNCH``)."""
    parsed = parse_number(number)
    keys = {number_key(number)}
    parts: list[str] = []
    if parsed is not None and parsed.seq:
        if parsed.number:
            keys.add(number_key(parsed.number))
        keys |= {lookup_key(k) for k in keys}
        parts.append(f"s:{seq_form(parsed.seq)}")
        if parsed.year:
            parts.append(f"y:{parsed.year}")
        codes = [c for c in (parsed.type_code, *parsed.body_codes) if c]
        # A joint body ("PCCC&CNCH") is also each of its bodies: "4321 pccc cnch" is typed as often.
        codes += [piece for c in codes if "&" in c for piece in c.split("&") if piece]
        parts += [f"c:{code_form(c)}" for c in codes]
    else:
        for part in term_parts(number):
            parts.append(f"s:{seq_form(part)}" if part.isdigit() else f"c:{code_form(part)}")
    keys.discard("")
    return sorted(keys), list(dict.fromkeys(parts))


@lru_cache(maxsize=1)
def expansion_table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded expansion terms → abbreviations, for spotting ``ủy ban nhân dân`` in a query."""
    table: dict[tuple[str, ...], list[str]] = {}
    for abbreviation, expansions in ABBREVIATIONS.items():
        for expansion in expansions:
            table.setdefault(tuple(fold_terms(term_parts(expansion))), []).append(abbreviation)
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def type_name_terms() -> dict[tuple[str, ...], str]:
    """Folded type names (``quyet dinh``) → type code (``QĐ``), to read ``quyết định 1906`` as a number."""
    by_slug = {slug: code for code, (slug, _) in reversed(list(TYPE_CODES.items()))}
    return {
        tuple(fold_terms(term_parts(name))): by_slug[slug]
        for name, slug in TYPE_NAMES.items()
        if slug in by_slug
    }

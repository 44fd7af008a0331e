"""What a parsed query is: clauses of alternatives, numbers, phrases and exclusions (no logic but views).

:func:`corpus.query.parse_query` builds a :class:`ParsedQuery`; :mod:`corpus.search_compile` turns it into
tantivy queries.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from corpus.query_terms import printed_seqs


@dataclass(frozen=True)
class Alternative:
    """One way a clause can match: a run of terms (one term, or a phrase), exact and folded forms."""

    terms: tuple[str, ...]
    folded: tuple[str, ...]
    exact: bool  # typed with diacritics: the exact form ranks above folded collisions
    weight: float = 1.0


@dataclass(frozen=True)
class Clause:
    """What one typed word (or abbreviation, phrase, number) asks for; any alternative satisfies it."""

    text: str
    alternatives: tuple[Alternative, ...]
    required: bool = True  # counted for the minimum number of clauses a document must match
    constant: bool = False  # scores a constant (a number as text: no length-normalised preference)
    day: int | None = None  # a date typed in full: the day it names (yyyymmdd, the index's ``day``)


@dataclass(frozen=True)
class NumberQuery:
    """A document number typed loosely. ``key`` is the exact :func:`nlp.numbers.number_key` when the
    number is complete; ``seq``/``year``/``codes`` match its parts (codes in :func:`code_form`)."""

    text: str
    seq: str
    year: int | None = None
    codes: tuple[str, ...] = ()
    key: str | None = None
    explicit: bool = True  # typed as a number (codes or "số"), not just a bare figure
    issued: int | None = None  # only the documents issued that year ("404/2017/KH-UBND" read as 404/KH-UBND)


@dataclass(frozen=True)
class ParsedQuery:
    """The understood query. ``clauses`` are free words; ``phrases`` must match; ``excluded`` must not."""

    text: str
    clauses: tuple[Clause, ...] = ()
    phrases: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    numbers: tuple[NumberQuery, ...] = ()
    years: tuple[int, ...] = ()
    ngrams: tuple[tuple[str, ...], ...] = ()  # adjacent exact terms: candidate compound words
    runs: tuple[tuple[str, ...], ...] = ()  # folded terms of words typed next to each other (proximity)
    symbols: tuple[tuple[str, ...], ...] = ()  # code groups typed without a number ("UBND-VX"): c: parts
    figures: tuple[tuple[str, ...], ...] = ()  # figures with a decimal or thousands mark ("1,75"): marked whole
    relaxed: bool = False  # no document held every word: matched on half of them (see Searcher.search)
    loosened: bool = False  # no document had the number typed: matched on its sequence and type code

    @property
    def days(self) -> tuple[int, ...]:
        """The days named by dates typed in full (yyyymmdd, the index's ``day``)."""
        return tuple(dict.fromkeys(c.day for c in self.clauses if c.day is not None))

    @property
    def is_empty(self) -> bool:
        return not (self.clauses or self.phrases or self.numbers)

    @property
    def minimum_match(self) -> int:
        """How many required clauses a document must match: all of a short query (up to six words), a
        third of a longer one (a question pasted from a citizen has many words no article uses; ranking,
        with its bonus for matching every word, puts the complete matches first)."""
        required = sum(1 for c in self.clauses if c.required)
        if self.relaxed:
            return math.ceil(required / 2)
        return required if required <= 6 else math.ceil(required / 3)

    def relax(self) -> ParsedQuery | None:
        """The same query needing half of its words, for when no document holds them all ("Hiệp hội trọng
        tài" has no article that also says "định nghĩa"); None when that would not match more."""
        required = sum(1 for c in self.clauses if c.required)
        if self.relaxed or self.numbers or required < 2 or math.ceil(required / 2) >= self.minimum_match:
            return None
        return replace(self, relaxed=True)

    def loosen_numbers(self, is_type_code: Callable[[str], bool]) -> ParsedQuery | None:
        """For a query of numbers alone that found nothing ("1455/QĐ-UB", "3637/UB-VX": an old or mistyped
        body code): the same numbers by their sequence and type code only, marked ``relaxed`` and
        ``loosened`` so that the answer says so. None when there is nothing to loosen."""
        if self.relaxed or not self.numbers or any(c.required and not c.constant for c in self.clauses):
            return None
        loose = tuple(
            NumberQuery(n.text, n.seq, n.year, tuple(c for c in n.codes if is_type_code(c)), None, n.explicit, n.issued)
            for n in self.numbers
        )  # fmt: skip
        if loose == self.numbers:
            return None
        return replace(self, clauses=(), phrases=(), numbers=loose, relaxed=True, loosened=True)

    def highlight_terms(self) -> tuple[frozenset[str], frozenset[str]]:
        """(exact terms, folded terms) worth marking in snippets: a term typed with diacritics is marked in
        its exact form, one typed without in any form. Runs of several terms (a quoted phrase, the expansion
        of an abbreviation) are :meth:`highlight_phrases`: their syllables alone are not marked ("công" of
        "khoa học công nghệ" must not light up in "công bố")."""
        exact: set[str] = set()
        folded: set[str] = set()
        for clause in (*self.clauses, *self.phrases):
            if self.numbers and not clause.required:
                continue  # "số" of "số 56", "của": they only score; marked, "số" lit up every "Sở" (QA)
            for alt in clause.alternatives:
                if len(alt.terms) == 1:
                    (exact if alt.exact else folded).update(alt.terms if alt.exact else alt.folded)
        # A number is marked whole, as a phrase (highlight_phrases): its parts alone ("UBND" in "Nơi nhận",
        # "CP" of another decree, "2025" of a date) are not the number (QA).
        return frozenset(exact), frozenset(folded)

    def highlight_pairs(self) -> frozenset[tuple[str, str]]:
        """Folded pairs of words typed side by side in a short query ("kế hoạch", "công dân"): where a text
        holds a pair together, the same words elsewhere on their own ("thu hoạch", "nhân dân") are other
        words and are not marked. Long questions (more than six words) are left out: their words are not
        one description."""
        if sum(1 for c in self.clauses if c.required) > 6:
            return frozenset()
        pairs = {(a, b) for run in self.runs for a, b in zip(run, run[1:], strict=False) if a != b}
        return frozenset(pairs)

    def highlight_phrases(self) -> frozenset[tuple[tuple[str, ...], bool]]:
        """(terms, typed with diacritics) of every run of several terms the query matches as a phrase."""
        return frozenset(
            (alt.terms if alt.exact else alt.folded, alt.exact)
            for clause in (*self.clauses, *self.phrases)
            for alt in clause.alternatives
            if len(alt.terms) > 1
        ) | {(figure, True) for figure in self.figures} | {(printed, False) for printed in self._printed_numbers()}

    def _printed_numbers(self) -> set[tuple[str, ...]]:
        """Each number asked for as the run of terms a text prints ("56/KH-UBND": 56 kh ubnd; "71/2024/NĐ-CP":
        71 2024 nd cp), its sequence bare and padded; one typed without its year, also with it after the
        sequence is not required: the phrase matches the parts given, in order, side by side."""
        runs: set[tuple[str, ...]] = set()
        for number in self.numbers:
            codes = tuple(c.lower() for c in number.codes)
            year = (str(number.year),) if number.year else ()
            for seq in printed_seqs(number.seq):
                runs.add((seq.lower(), *year, *codes))
        return runs



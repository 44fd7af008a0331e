"""Query understanding: what a clerk typed → numbers, phrases, exclusions and word clauses.

Pure functions, no index: :func:`parse_query` turns ``"kế hoạch 139 kh ubnd -covid"`` into a
:class:`ParsedQuery` that :mod:`corpus.search` compiles into tantivy queries. The rules:

* **terms** are the alphanumeric runs of the normalised text, lower-cased — exactly how
  :func:`index_terms` cuts the analyser's syllables at index time (``covid-19`` → ``covid 19`` as a phrase),
  so a query never needs the word segmenter (1–4 ms per query) to match what the index holds;
* **numbers** typed any way (``139/KH-UBND``, ``139/kh-ubnd``, ``139 kh ubnd``, ``kh-ubnd 139``,
  ``số 139/KH``, ``quyết định 1906``) become a :class:`NumberQuery` (sequence, year, codes, exact key);
* **diacritics**: a term typed with diacritics matches exactly and, ranked lower, its folded form; a term
  typed without them matches the folded form only;
* **abbreviations** match their expansions both ways (``UBND`` ↔ ``ủy ban nhân dân``);
* ``"quoted phrases"`` must match as phrases, ``-word`` / ``-"phrase"`` exclude; a stray quote is ignored.

Example
-------
>>> q = parse_query('ke hoach 139 kh ubnd "phong chong" -covid')
>>> [n.key for n in q.numbers], [p.alternatives[0].folded for p in q.phrases], q.excluded[0].text
(['139/KH-UBND'], [('phong', 'chong')], 'covid')
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.search_errors import QueryError
from nlp import abbreviations
from nlp.abbreviations import ABBREVIATIONS, TYPE_CODES, TYPE_NAMES
from nlp.normalize import fold, normalize
from nlp.numbers import number_key, parse_number

MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 64
# Alphanumeric runs; a leading figure is cut from the letters after it ("5d" → 5, d; "10h30" → 10, h30) as
# the word segmenter does, while "h5n1" or "covid19" stay whole.
_TERM = re.compile(r"\d+(?=[^\W\d_])|[^\W_]+")
# A token as typed: alphanumeric runs joined by connectors inside abbreviations and codes (tp.hcm, gd&đt,
# kt-xh, covid-19), optionally preceded by "-" (exclusion) when it starts a word.
_TOKEN = re.compile(r"(?P<neg>(?:(?<=[\s(\[])|^)-)?(?P<tok>[^\W_]+(?:[.&'\-][^\W_]+)*)|(?P<sep>/)")
_PHRASE = re.compile(r'(?:(?<=\s)|^)(?P<neg>-?)"(?P<body>[^"]*)"')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"', "＂": '"'})
_SLASH_NUMBER = re.compile(
    r"(?<![\w/])\d{1,6}[a-z]?\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?[^\W\d_][\w&]*(?:\s*[-_]\s*[\w&]+)*(?![\w/])"
    r"|(?<![\w/])\d{1,6}-[^\W\d_]+/[\w&]+(?:-[\w&]+)*(?![\w/])",
    re.IGNORECASE,
)
_DATE = re.compile(r"(?<![\w/.-])\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(?:19|20)\d\d(?![\w/])")
_YEAR = re.compile(r"19[4-9]\d|20\d\d")
_SEQ = re.compile(r"\d{1,6}[a-z]?")
# Syllables so common that requiring them would drop documents a clerk means (folded forms); they still
# count for ranking.
_OPTIONAL = frozenset(
    [
        "cua",
        "va",
        "cac",
        "ve",
        "cho",
        "la",
        "co",
        "duoc",
        "trong",
        "voi",
        "theo",
        "tai",
        "nhung",
        "mot",
        "nay",
        "do",
        "de",
        "khi",
        "thi",
        "o",
        "den",
        "tu",
        "nam",
        "so",
        "ngay",
        "thang",
        "viec",
        "ban",
        "hanh",
        "v",
        "ve",
    ]
)
# Type codes that are also common syllables typed without diacritics ("da": da, đa, đã): codes only in capitals.
_AMBIGUOUS_CODES = frozenset(("DA",))
_OTHER_FORM = 0.4  # weight of an abbreviation's other form than the one typed
_NUMBER_WORDS = frozenset(("so", "ky", "hieu", "ki"))  # "số", "ký hiệu" before a number (folded)


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


def lookup_key(number: str) -> str:
    """:func:`nlp.numbers.number_key` without leading zeros: ``01/CT-UBND`` and ``1/CT-UBND`` are one key."""
    key = number_key(number)
    stripped = key.lstrip("0")
    return stripped if stripped[:1].isdigit() else key


def number_terms(number: str) -> tuple[list[str], list[str]]:
    """(exact keys, parts) of a document number as indexed: keys are :func:`nlp.numbers.number_key` of the
    number as filed and as canonicalised, with and without leading zeros; parts are ``s:<seq>``,
    ``y:<year>``, ``c:<code>`` (``139/KH-UBND`` → ``s:139 c:KH c:UBND``)."""
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
        parts += [f"c:{code_form(c)}" for c in (parsed.type_code, *parsed.body_codes) if c]
    else:
        for part in term_parts(number):
            parts.append(f"s:{seq_form(part)}" if part.isdigit() else f"c:{code_form(part)}")
    keys.discard("")
    return sorted(keys), list(dict.fromkeys(parts))


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

    @property
    def is_empty(self) -> bool:
        return not (self.clauses or self.phrases or self.numbers)

    @property
    def minimum_match(self) -> int:
        """How many required clauses a document must match: all of a short query (up to six words), a
        third of a longer one (a question pasted from a citizen has many words no article uses; ranking,
        with its bonus for matching every word, puts the complete matches first)."""
        required = sum(1 for c in self.clauses if c.required)
        return required if required <= 6 else math.ceil(required / 3)

    def highlight_terms(self) -> tuple[frozenset[str], frozenset[str]]:
        """(exact terms, folded terms) worth marking in snippets: a term typed with diacritics is marked in
        its exact form, one typed without in any form."""
        exact: set[str] = set()
        folded: set[str] = set()
        for clause in (*self.clauses, *self.phrases):
            for alt in clause.alternatives:
                (exact if alt.exact else folded).update(alt.terms if alt.exact else alt.folded)
        for number in self.numbers:
            folded.update(t.lower() for t in (number.seq, *number.codes))
        return frozenset(exact), frozenset(folded)


@lru_cache(maxsize=1)
def expansion_table() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded expansion terms → abbreviations, for spotting ``ủy ban nhân dân`` in a query."""
    table: dict[tuple[str, ...], list[str]] = {}
    for abbreviation, expansions in ABBREVIATIONS.items():
        for expansion in expansions:
            table.setdefault(tuple(fold_terms(term_parts(expansion))), []).append(abbreviation)
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _type_name_terms() -> dict[tuple[str, ...], str]:
    """Folded type names (``quyet dinh``) → type code (``QĐ``), to read ``quyết định 1906`` as a number."""
    by_slug = {slug: code for code, (slug, _) in reversed(list(TYPE_CODES.items()))}
    return {
        tuple(fold_terms(term_parts(name))): by_slug[slug]
        for name, slug in TYPE_NAMES.items()
        if slug in by_slug
    }


def _alternative(text: str, exact_query: bool | None, weight: float = 1.0) -> Alternative | None:
    """``exact_query`` None: never exact (numbers and codes: ``QĐ`` is typed ``QD`` as often)."""
    terms = tuple(term_parts(text))
    if not terms:
        return None
    exact = exact_query is not None and (exact_query or has_diacritics(text))
    return Alternative(terms, tuple(fold_terms(terms)), exact, weight)


def _abbreviation_clause(token: str, exact_query: bool) -> Clause | None:
    # Two-letter abbreviations (TP, TU, CP) are ordinary syllables when typed in lower case ("tu", "cp").
    canonical = canonical_abbreviation(token)
    if canonical is None or (len(term_parts(token)[0]) < 3 and not token.isupper() and "." not in token):
        return None
    alts = [_alternative(token, None)]
    # A phrase scores the idf of each of its words: scaled by length, the spelled-out form of an
    # abbreviation weighs about what the abbreviation the clerk typed weighs, and less.
    typed = len(term_parts(token))
    for expansion in ABBREVIATIONS[canonical]:
        alts.append(_alternative(expansion, True, _OTHER_FORM * typed / max(1, len(term_parts(expansion)))))
    return Clause(token, tuple(a for a in alts if a))


@dataclass
class _Token:
    text: str
    negated: bool = False
    slash_before: bool = False
    used: bool = False
    folded: str = ""

    def __post_init__(self) -> None:
        self.folded = fold_lower(self.text)


@dataclass
class _Parser:
    exact_query: bool
    is_code: Callable[[str], bool]
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    numbers: list[NumberQuery] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    ngrams: list[tuple[str, ...]] = field(default_factory=list)
    runs: list[tuple[str, ...]] = field(default_factory=list)

    def code_of(self, token: _Token) -> str | None:
        """The code a token stands for in a number (``kh`` → ``KH``), or None when it is a word."""
        text = token.text
        if has_diacritics(text.replace("đ", "d").replace("Đ", "D")) or not text.isalnum() or text.isdigit():
            return None
        type_code = canonical_type_code(text)
        if (
            type_code
            and len(type_code) >= 2
            and (text.isupper() or code_form(type_code) not in _AMBIGUOUS_CODES)
        ):
            return code_form(type_code)
        abbreviation = canonical_abbreviation(text)
        if abbreviation and (len(text) >= 3 or text.isupper()):
            return code_form(abbreviation)
        # Any code the index's numbers use (VX in 3637/UBND-VX); it only makes a number next to a figure and,
        # unless typed in capitals or after "/", a strong code (below).
        return code_form(text) if len(text) <= 10 and self.is_code(code_form(text)) else None

    def strong(self, token: _Token) -> bool:
        text = token.text
        if canonical_type_code(text) and len(text) >= 2 and code_form(text) not in _AMBIGUOUS_CODES:
            return True
        return token.slash_before or text.isupper() or bool(canonical_abbreviation(text) and len(text) >= 3)

    def loose_numbers(self, tokens: list[_Token]) -> None:
        """Runs of figures and codes (``139 kh ubnd``, ``kh-ubnd 139``) and ``quyết định 1906``."""
        i = 0
        while i < len(tokens):
            if tokens[i].negated or not (self.code_of(tokens[i]) or _SEQ.fullmatch(tokens[i].text)):
                i += 1
                continue
            j = i
            while (
                j < len(tokens)
                and not tokens[j].negated
                and (self.code_of(tokens[j]) or _SEQ.fullmatch(tokens[j].text))
            ):
                j += 1
            run = tokens[i:j]
            figures = [t.text for t in run if _SEQ.fullmatch(t.text)]
            codes = [c for t in run if (c := self.code_of(t))]
            type_code = self._type_before(tokens, i)
            words_before = i > 0 and tokens[i - 1].folded in _NUMBER_WORDS
            explicit = bool(codes and any(self.strong(t) for t in run if self.code_of(t)))
            if figures and (explicit or type_code or words_before or len(tokens) == len(run)):
                seq = next((f for f in figures if not (_YEAR.fullmatch(f) and len(figures) > 1)), figures[0])
                year = next((int(f) for f in figures if f != seq and _YEAR.fullmatch(f)), None)
                if type_code and code_form(type_code) not in codes:
                    codes.insert(0, code_form(type_code))
                key = None
                if codes:
                    built = f"{seq}/{year}/" if year else f"{seq}/"
                    parsed = parse_number(built + "-".join(codes))
                    key = lookup_key(parsed.number) if parsed and parsed.number else None
                self.numbers.append(
                    NumberQuery(
                        " ".join(t.text for t in run), seq_form(seq), year, tuple(codes), key, explicit
                    )
                )
                if explicit:
                    for t in run:
                        t.used = True
                    # In canonical order (seq, year, codes) the phrase also finds the number where the index
                    # holds it as text: document heads and citations in bodies.
                    printed = [seq, *([str(year)] if year else []), *(c.lower() for c in codes)]
                    self.clauses.append(self._phrase_clause(" ".join(printed), required=True, number=True))
            i = j

    def _type_before(self, tokens: list[_Token], i: int) -> str | None:
        folded = [t.folded for t in tokens[max(0, i - 5) : i]]
        while folded and folded[-1] in _NUMBER_WORDS:
            folded.pop()
        for size in (4, 3, 2):
            if len(folded) >= size and (code := _type_name_terms().get(tuple(folded[-size:]))):
                return code
        return None

    def _phrase_clause(self, text: str, required: bool, *, number: bool = False) -> Clause:
        alt = _alternative(text, None if number else self.exact_query)
        return Clause(text, (alt,) if alt else (), required, constant=number)

    def words(self, tokens: list[_Token]) -> None:
        """Free words → clauses, merging abbreviation expansions typed in full into one clause."""
        table = expansion_table()
        i = 0
        run: list[str] = []  # exact terms of consecutive words, for compound-word candidates
        while i < len(tokens):
            token = tokens[i]
            if token.used:
                self._flush_ngrams(run)
                run = []
                i += 1
                continue
            if token.negated:
                self.excluded.append(self._phrase_clause(token.text, required=True))
                self._flush_ngrams(run)
                run = []
                i += 1
                continue
            merged = self._expansion_at(tokens, i, table)
            if merged is not None:
                clause, width = merged
                self.clauses.append(clause)
                run.extend(clause.alternatives[0].terms)
                i += width
                continue
            clause = _abbreviation_clause(token.text, self.exact_query)
            if clause is None:
                clause = self._phrase_clause(token.text, required=True)
                if clause.alternatives and len(clause.alternatives[0].terms) == 1:
                    folded = clause.alternatives[0].folded[0]
                    if _YEAR.fullmatch(folded):
                        self.years.append(int(folded))
                    if folded in _OPTIONAL or _YEAR.fullmatch(folded):
                        clause = Clause(clause.text, clause.alternatives, required=False)
            if clause.alternatives:
                self.clauses.append(clause)
                run.extend(clause.alternatives[0].terms)
            i += 1
        self._flush_ngrams(run)

    def _expansion_at(
        self, tokens: list[_Token], i: int, table: dict[tuple[str, ...], tuple[str, ...]]
    ) -> tuple[Clause, int] | None:
        for width in range(min(8, len(tokens) - i), 1, -1):
            window = tokens[i : i + width]
            if any(t.used or t.negated for t in window):
                continue
            key = tuple(t.folded for t in window)
            if key in table:
                text = " ".join(t.text for t in window)
                alts = [_alternative(text, self.exact_query)]
                alts += [_alternative(abbr, None, _OTHER_FORM) for abbr in table[key]]
                return Clause(text, tuple(a for a in alts if a)), width
        return None

    def _flush_ngrams(self, run: list[str]) -> None:
        if len(run) >= 2:
            self.runs.append(tuple(fold_terms(run[:12])))
        if not self.exact_query:
            return
        for size in (2, 3):
            for start in range(0, len(run) - size + 1):
                gram = tuple(run[start : start + size])
                if not any(t.isdigit() for t in gram):
                    self.ngrams.append(gram)


def _tokens(text: str, parser: _Parser) -> list[_Token]:
    tokens: list[_Token] = []
    slash = False
    for m in _TOKEN.finditer(text):
        if m.group("sep"):
            slash = True
            continue
        tok, negated = m.group("tok"), bool(m.group("neg"))
        parts = re.split(r"[-_]", tok)
        # "kh-ubnd 139": a hyphenated run of codes and figures is read part by part (abbreviations such as
        # KT-XH or COVID-19 stay whole).
        if (
            len(parts) > 1
            and not negated
            and canonical_abbreviation(tok) is None
            and all(p and (_SEQ.fullmatch(p) or parser.code_of(_Token(p, slash_before=True))) for p in parts)
        ):
            tokens += [_Token(p, slash_before=slash or k > 0) for k, p in enumerate(parts)]
        else:
            tokens.append(_Token(tok, negated, slash))
        slash = False
    return tokens


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long: {len(text)} characters (max {MAX_QUERY_CHARS})",
            f"Truy vấn quá dài ({len(text):,} ký tự); hãy rút gọn còn tối đa {MAX_QUERY_CHARS:,} ký tự.".replace(
                ",", "."
            ),
        )


def _no_codes(code: str) -> bool:
    return False


def parse_query(text: str | None, is_code: Callable[[str], bool] = _no_codes) -> ParsedQuery:
    """Understand a clerk's query. ``is_code(code)`` tells whether an indexed number uses ``code``
    (e.g. ``VX`` in ``3637/UBND-VX``), so that ``3637 ubnd vx`` reads as a number.

    Raises :class:`QueryError` for a query over :data:`MAX_QUERY_CHARS` characters; an empty query, or
    one of punctuation only, parses to an empty :class:`ParsedQuery` (``is_empty``).
    """
    if text is None:
        return ParsedQuery("")
    if not isinstance(text, str):
        raise QueryError("query must be a string", "Truy vấn phải là một chuỗi ký tự.")
    _check_length(text)
    text = text if text.isascii() else normalize(text, keep_newlines=False)
    text = " ".join(text.translate(_QUOTES).split())
    letters = term_parts(text)
    accented = sum(1 for t in letters if has_diacritics(t))
    # A query mostly typed with diacritics means its plain syllables (bia, cho, ma) are exact too.
    exact_query = accented > 0 and accented * 2 >= sum(1 for t in letters if not t.isdigit())
    parser = _Parser(exact_query, is_code)
    phrases: list[Clause] = []
    free: list[str] = []
    cursor = 0
    for m in _PHRASE.finditer(text):
        free.append(text[cursor : m.start()])
        cursor = m.end()
        clause = parser._phrase_clause(m.group("body"), required=True)
        if clause.alternatives:
            (parser.excluded if m.group("neg") else phrases).append(clause)
    free.append(text[cursor:])
    rest = " ".join(free).replace('"', " ")
    for m in _SLASH_NUMBER.finditer(rest):
        parsed = parse_number(m.group(0)) or parse_number(m.group(0).upper())  # "29-ctr/tu" (party numbers)
        if parsed and parsed.number and parsed.seq:
            codes = tuple(code_form(c) for c in (parsed.type_code, *parsed.body_codes) if c)
            parser.numbers.append(
                NumberQuery(
                    parsed.number, seq_form(parsed.seq), parsed.year, codes, lookup_key(parsed.number)
                )
            )
            parser.clauses.append(parser._phrase_clause(m.group(0), required=True, number=True))
    rest = _SLASH_NUMBER.sub(" ", rest)
    for m in _DATE.finditer(rest):
        parser.clauses.append(parser._phrase_clause(m.group(0), required=True, number=True))
    rest = _DATE.sub(" ", rest)
    tokens = _tokens(rest, parser)
    parser.loose_numbers(tokens)
    parser.words(tokens)
    if len(parser.clauses) + len(phrases) + len(parser.excluded) > MAX_CLAUSES:
        raise QueryError(
            f"query has more than {MAX_CLAUSES} words",
            f"Truy vấn có quá nhiều từ (tối đa {MAX_CLAUSES}); hãy giữ lại những từ đặc trưng nhất.",
        )
    return ParsedQuery(
        text=text,
        clauses=tuple(parser.clauses),
        phrases=tuple(phrases),
        excluded=tuple(parser.excluded),
        numbers=tuple(parser.numbers),
        years=tuple(dict.fromkeys(parser.years)),
        ngrams=tuple(dict.fromkeys(parser.ngrams)),
        runs=tuple(dict.fromkeys(parser.runs)),
    )

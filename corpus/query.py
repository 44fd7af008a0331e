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

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from corpus.document import day_number
from corpus.query_model import Alternative, Clause, NumberQuery, ParsedQuery
from corpus.query_terms import (
    canonical_abbreviation,
    canonical_type_code,
    code_form,
    expansion_table,
    fold_lower,
    fold_term,  # noqa: F401 - re-exported for the index and callers
    fold_terms,
    has_diacritics,
    index_terms,  # noqa: F401 - re-exported for the index and callers
    lookup_key,
    number_terms,  # noqa: F401 - re-exported for the index and callers
    printed_seqs,
    seq_form,
    term_parts,
    type_name_terms,
)
from corpus.search_errors import QueryError
from nlp.abbreviations import ABBREVIATIONS, TYPE_CODES
from nlp.normalize import fold, normalize
from nlp.numbers import parse_date, parse_number

MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 64
# A token as typed: alphanumeric runs joined by connectors inside abbreviations and codes (tp.hcm, gd&đt,
# kt-xh, covid-19), optionally preceded by "-" (exclusion) when it starts a word.
_TOKEN = re.compile(r"(?P<neg>(?:(?<=[\s(\[])|^)-)?(?P<tok>[^\W_]+(?:[.&'\-][^\W_]+)*)|(?P<sep>/)")
_PHRASE = re.compile(r'(?:(?<=\s)|^)(?P<neg>-?)"(?P<body>[^"]*)"')
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"', "＂": '"'})
# Full-width forms (an East Asian input method left on): "1203／QĐ－UBND", "１２０３". Queries only: the
# analyser's normal form, which indexes and models record, stays as it is.
_FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_SLASH_NUMBER = re.compile(
    # the year after the sequence with "/", or with "-" as in the Government's "19-2018/NQ-CP"
    r"(?<![\w/.])\d{1,6}(?:\.\d{1,3})?[a-z]?(?:-(?:19|20)\d\d(?=\s*/))?\s*/\s*(?:(?:19|20)\d\d\s*/\s*)?"
    r"[^\W\d_][\w&]*(?:\s*[-_]\s*[\w&]+)*"
    # code groups printed after a space (22/QĐ-TT HĐND): in capitals only, so that words typed after a number
    # stay words
    r"(?-i:(?:\s+[A-ZĐÂĂÊÔƠƯ][A-ZĐÂĂÊÔƠƯ0-9&]+(?:-[A-ZĐÂĂÊÔƠƯ][A-ZĐÂĂÊÔƠƯ0-9&]+)*)*)(?![\w/])"
    r"|(?<![\w/])\d{1,6}-[^\W\d_]+/[\w&]+(?:-[\w&]+)*(?![\w/])",
    re.IGNORECASE,
)
_DATE = re.compile(r"(?<![\w/.-])\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(?:19|20)\d\d(?![\w/])")
_YEAR = re.compile(r"19[4-9]\d|20\d\d")
_SEQ = re.compile(r"\d{1,6}[a-z]?")
# Syllables so common that requiring them would drop documents a clerk means (folded forms); they still
# count for ranking.
_OPTIONAL_WORDS = (
    "cua va cac ve cho la co duoc trong voi theo tai nhung mot nay do "
    "de khi thi o den tu nam so ngay thang viec ban hanh v"
)
_OPTIONAL = frozenset(_OPTIONAL_WORDS.split())
# The same words as typed with their marks: a syllable typed with diacritics is optional only when it is one of
# them ("tư pháp", "đô thị", "tham nhũng", "Sở Y tế", "trọng tài" stay required; "từ", "do", "những" do not).
_OPTIONAL_EXACT_WORDS = (
    "của và các về cho là có được trong với theo tại những một này do để khi thì ở đến từ năm số ngày tháng "
    "việc ban hành v"
)
_OPTIONAL_EXACT = frozenset(_OPTIONAL_EXACT_WORDS.split())
# Question words: what a citizen's or clerk's question asks, never what a document says ("Hiệp hội trọng tài
# là gì?", "Hành vi nào bị cấm?"). Exact forms (folded, "đâu" would be "đầu", "bao" "báo"), and the folded
# forms that stand for nothing else.
_QUESTION_WORDS = frozenset(("gì", "nào", "đâu", "bao", "nhiêu", "lâu", "ai", "sao", "gi", "nao"))
# Type codes that are also common syllables typed without diacritics ("da": da, đa, đã): codes only in capitals.
_AMBIGUOUS_CODES = frozenset(("DA",))
_OTHER_FORM = 0.4  # weight of an abbreviation's other form than the one typed
# A figure, then "ngày" and the date that follows it ("1203 ngày 18/5/2023"); not "30 ngày kể từ ngày …".
_FIGURE_THEN_DAY = re.compile(r"(?<![\w/.-])(\d+)\s+ng[aà]y\s*$", re.IGNORECASE)
# A date, then a figure alone ("ngày 20/5/2026 1203"): the number issued that day, typed in the other order.
_DAY_THEN_FIGURE = re.compile(r"\s+(\d{1,6})(?=\s*$)")
# "số", "ký hiệu" before a figure: it is a number. As typed, not folded: "sở", "kỳ", "hiếu" fold alike and
# are everyday words before a figure ("y tế cơ sở 2024", "định kỳ 6 tháng", "học kỳ 2"; QA).
_NUMBER_WORD = frozenset(("số", "so"))
_SIGN_WORD = frozenset(("ký", "kí", "ky", "ki"))
_MARK_WORD = frozenset(("hiệu", "hieu"))


# Syllables spelled with i or y by the old and the new orthography alike (quí/quý, lí/lý, kĩ/kỹ, mĩ/mỹ, hi/hy
# sinh, sĩ/sỹ, tỉ/tỷ): folded, one onset and the vowel alone. Old documents and clerks use both.
_IY_SYLLABLE = re.compile(r"(qu|[hklmst])([iy])")


# A word and a figure typed together ("covid19", "sarscov2"): printed apart or with a hyphen in texts.
_LETTERS_THEN_FIGURES = re.compile(r"([a-z]{2,})(\d{1,4})")


def spelling_variant(folded: str) -> str | None:
    """The other spelling of a folded syllable written with i or y after its onset ("qui" → "quy",
    "ly" → "li"); None for any other syllable."""
    m = _IY_SYLLABLE.fullmatch(folded)
    if m is None:
        return None
    return m.group(1) + ("y" if m.group(2) == "i" else "i")


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
    if canonical is None:
        return _type_code_clause(token)
    # ("gd&đt", "tn&mt" are abbreviations in any case: nobody writes a syllable with "&")
    if (
        len(term_parts(token)[0]) < 3 and not token.isupper() and "." not in token and "&" not in token
    ):
        return None
    alts = [_alternative(token, None)]
    # A phrase scores the idf of each of its words: scaled by length, the spelled-out form of an
    # abbreviation weighs about what the abbreviation the clerk typed weighs, and less.
    typed = len(term_parts(token))
    for expansion in ABBREVIATIONS[canonical]:
        alts.append(_alternative(expansion, True, _OTHER_FORM * typed / max(1, len(term_parts(expansion)))))
    # Other spellings of the same thing (TPHCM, TP.HCM, HCM): the abbreviations sharing an expansion.
    for sibling in _siblings(canonical):
        alts.append(_alternative(sibling, None, _OTHER_FORM))
    return Clause(token, _distinct(alts))


def _type_code_clause(token: str) -> Clause | None:
    """A type's code typed in capitals alone ("KH chuyển đổi số", "TB lịch tiếp công dân") stands for the type
    too: the code as typed or the type's name ("kế hoạch", which every document of the type holds in its
    head terms). QA: "KH" was a required literal word, and "kế hoạch chuyển đổi số năm 2022" came 15th."""
    code = canonical_type_code(token)
    if code is None or len(token) < 2 or token.lower() == token or not token.isalpha():
        return None
    name = TYPE_CODES[code][1]
    typed = len(term_parts(token))
    alts = [_alternative(token, None), _alternative(name, True, _OTHER_FORM * typed / max(1, len(term_parts(name))))]
    return Clause(token, _distinct(alts))


def _partly_abbreviated(
    window: list[_Token], table: dict[tuple[str, ...], tuple[str, ...]], length: int
) -> list[Alternative | None]:
    """The typed expansion with an expansion inside it abbreviated: "ủy ban mặt trận tổ quốc" is also
    printed "Ủy ban MTTQ". Weighted like the whole abbreviation, spread over the alternative's words."""
    out: list[Alternative | None] = []
    for start in range(len(window)):
        for end in range(start + 2, len(window) + 1):
            if end - start == len(window):
                continue
            inner = tuple(t.folded for t in window[start:end])
            for abbreviation in table.get(inner, ()):
                words = [t.text for t in window[:start]] + [abbreviation] + [t.text for t in window[end:]]
                terms = len(words)
                out.append(_alternative(" ".join(words), None, _OTHER_FORM * length / terms))
    return out


def _distinct(alternatives: list[Alternative | None]) -> tuple[Alternative, ...]:
    """The alternatives without repeats of the same folded form (two expansions may fold alike)."""
    seen: set[tuple[str, ...]] = set()
    out: list[Alternative] = []
    for alt in alternatives:
        if alt is not None and alt.folded not in seen:
            seen.add(alt.folded)
            out.append(alt)
    return tuple(out)


def _siblings(canonical: str) -> list[str]:
    table = expansion_table()
    found: list[str] = []
    for expansion in ABBREVIATIONS[canonical]:
        for other in table.get(tuple(fold_terms(term_parts(expansion))), ()):
            if other != canonical and other not in found:
                found.append(other)
    return found


@dataclass
class _Token:
    text: str
    negated: bool = False
    slash_before: bool = False
    used: bool = False
    folded: str = ""

    def __post_init__(self) -> None:
        self.folded = fold_lower(self.text)


def _number_words_before(tokens: list[_Token], i: int) -> int:
    """How many tokens just before ``tokens[i]`` say a number follows: "số", "ký hiệu", "số ký hiệu" (0 when
    none). "so" typed without marks after "co" is "cơ sở"."""
    words = [t.text.lower() for t in tokens[max(0, i - 3) : i]]
    taken = 0
    if len(words) >= 2 and words[-1] in _MARK_WORD and words[-2] in _SIGN_WORD:
        taken = 2
    elif len(words) >= 2 and words[-1] in _MARK_WORD and words[-2] in _NUMBER_WORD:
        return 2  # "số hiệu 1460" (QA)
    if len(words) > taken and words[-1 - taken] in _NUMBER_WORD:
        before = words[-2 - taken] if len(words) > taken + 1 else None
        if not (words[-1 - taken] == "so" and before is not None and fold_lower(before) == "co"):
            taken += 1
    return taken


@dataclass
class _Parser:
    exact_query: bool
    is_code: Callable[[str], bool]
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    numbers: list[NumberQuery] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    dated_figures: set[str] = field(default_factory=set)  # figures typed just before "ngày <date>"
    figures_after_date: set[str] = field(default_factory=set)  # a figure ending the query just after a date
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

    def _code_at(self, tokens: list[_Token], k: int) -> str | None:
        """:meth:`code_of` ``tokens[k]``, unless it ends a type name typed before it: "tu" of "thong tu 06" is
        thông tư, not the party code TU (QA: "thong tu 06/2024" listed a letter citing it first)."""
        folded = [t.folded for t in tokens[max(0, k - 3) : k + 1]]
        if any(tuple(folded[-size:]) in type_name_terms() for size in (2, 3, 4) if len(folded) >= size):
            return None
        return self.code_of(tokens[k])

    def loose_numbers(self, tokens: list[_Token]) -> None:
        """Runs of figures and codes (``139 kh ubnd``, ``kh-ubnd 139``) and ``quyết định 1906``."""
        i = 0
        while i < len(tokens):
            if tokens[i].negated or not (self._code_at(tokens, i) or _SEQ.fullmatch(tokens[i].text)):
                i += 1
                continue
            j = i
            while (
                j < len(tokens)
                and not tokens[j].negated
                and (self._code_at(tokens, j) or _SEQ.fullmatch(tokens[j].text))
            ):
                j += 1
            run = tokens[i:j]
            figures = [t.text for t in run if _SEQ.fullmatch(t.text)]
            codes = [c for k, t in enumerate(run, start=i) if (c := self._code_at(tokens, k))]
            type_code = self._type_before(tokens, i)
            words_before = _number_words_before(tokens, i) > 0
            # "1203 ngày 18/5/2023": a figure then the day it was issued is how a citation names a number
            dated = (j < len(tokens) and tokens[j].folded == "ngay" and run[-1].text in self.dated_figures) or (
                j == len(tokens) and len(run) == 1 and run[0].text in self.figures_after_date
            )
            explicit = bool(codes and any(self.strong(t) for k, t in enumerate(run, start=i) if self._code_at(tokens, k)))
            if (
                explicit
                and not (type_code or words_before)
                and all(_YEAR.fullmatch(f) for f in figures)
                and not any(t.slash_before or canonical_type_code(t.text) for t in run)
                and not any(self.is_code(c) for c in codes)
            ):
                # "bhyt 2023", "ctcp 2024": a year and abbreviations no indexed number uses are words
                explicit = False
                if len(tokens) != len(run):
                    i = j
                    continue
            year_after_number = (
                self.numbers and not codes and not (type_code or words_before or dated)
                and all(_YEAR.fullmatch(f) for f in figures)
            )  # fmt: skip
            if year_after_number:
                i = j  # "1203/QĐ-UBND 2026": the year the number was issued, not a number of its own
                continue
            if figures and (explicit or type_code or words_before or dated or len(tokens) == len(run)):
                seq = next((f for f in figures if not (_YEAR.fullmatch(f) and len(figures) > 1)), figures[0])
                year = next((int(f) for f in figures if f != seq and _YEAR.fullmatch(f)), None)
                # A law's or an ordinance's number carries no type code ("luật 06/2022" is 06/2022/QH15): the
                # name makes the figures a number, the parts are its sequence and year (QA).
                if type_code and code_form(type_code) not in codes and type_code not in _UNCODED_TYPES:
                    codes.insert(0, code_form(type_code))
                # A year typed with a loose number ("kh 45 2024", "QĐ 1203 2023", "kh 404/2017") is either part
                # of the number (the 49/2015/QĐ-TTg of normative documents) or the year the number was issued
                # (45/KH-UBND, whose sequence restarts every year; clerks write "404/2017" for it too): both
                # readings, the year then ranking among the number's documents as "năm 2024" would.
                loose_year = year is not None
                readings = (year, None) if loose_year else (year,)
                for reading in readings:
                    self.numbers.append(
                        NumberQuery(
                            " ".join(t.text for t in run), seq_form(seq), reading, tuple(codes),
                            self._key(seq, reading, codes), explicit,
                        )
                    )
                if loose_year and year is not None:
                    self.years.append(year)
                if explicit:
                    for t in run:
                        t.used = True
                    # In canonical order (seq, year, codes) the phrase also finds the number where the index
                    # holds it as text: document heads and citations in bodies.
                    clauses = [
                        self._phrase_clause(
                            " ".join([seq, *([str(r)] if r else []), *(c.lower() for c in codes)]),
                            required=True,
                            number=True,
                        )
                        for r in readings
                    ]
                    every = tuple(alt for clause in clauses for alt in clause.alternatives)
                    self.clauses.append(replace(clauses[0], alternatives=every))
            i = j

    @staticmethod
    def _key(seq: str, year: int | None, codes: list[str]) -> str | None:
        """The exact lookup key of the number these parts spell, None without a code."""
        if not codes:
            return None
        built = f"{seq}/{year}/" if year else f"{seq}/"
        parsed = parse_number(built + "-".join(codes))
        return lookup_key(parsed.number) if parsed and parsed.number else None

    def _type_before(self, tokens: list[_Token], i: int) -> str | None:
        folded = [t.folded for t in tokens[max(0, i - 5) : i - _number_words_before(tokens, i)]]
        for size in (4, 3, 2, 1):  # "luật 06/2022": the one-word name too
            if len(folded) >= size and (code := type_name_terms().get(tuple(folded[-size:]))):
                return code
        return None

    def _phrase_clause(self, text: str, required: bool, *, number: bool = False) -> Clause:
        alt = _alternative(text, None if number else self.exact_query)
        if not (number and alt and alt.terms[0].isdigit()):
            return Clause(text, (alt,) if alt else (), required, constant=number)
        # A number printed in a text with leading zeros or without (citations write "01/CT-UBND", clerks
        # type "1/CT-UBND"): the short sequence numbers that get padded, in both forms.
        alts = [
            Alternative((s, *alt.terms[1:]), (s, *alt.folded[1:]), False) for s in printed_seqs(alt.terms[0])
        ]
        return Clause(text, tuple(alts), required, constant=True)

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
                # Typed without marks, a word to leave out is every form of it ("-khanh": Khánh too), as a
                # word to find is; typed with marks, that form only.
                alt = _alternative(token.text, has_diacritics(token.text))
                self.excluded.append(Clause(token.text, (alt,) if alt else (), True))
                self._flush_ngrams(run)
                run = []
                i += 1
                continue
            split = self._split_abbreviation_at(tokens, i)
            if split is not None:
                self.clauses.append(split)
                run.extend(split.alternatives[0].terms)
                i += 2
                continue
            merged = self._expansion_at(tokens, i, table)
            if merged is not None:
                expanded, width = merged
                self.clauses.append(expanded)
                # Proximity and compound-word bonuses stop at an expansion: inside it they would count its
                # words again, and across it only a document spelling it out can earn them, so "công ty
                # trách nhiệm hữu hạn Quang Vinh" would rank every spelled-out title above "công ty TNHH
                # Quang Vinh". The clause itself weighs both forms.
                self._flush_ngrams(run)
                run = []
                i += width
                continue
            clause = _abbreviation_clause(token.text, self.exact_query)
            if clause is None:
                clause = self._phrase_clause(token.text, required=True)
                if clause.alternatives and len(clause.alternatives[0].terms) == 1:
                    folded = clause.alternatives[0].folded[0]
                    if variant := spelling_variant(folded):
                        variant_alt = Alternative((variant,), (variant,), False)
                        clause = replace(clause, alternatives=(*clause.alternatives, variant_alt))
                    if glued := _LETTERS_THEN_FIGURES.fullmatch(folded):
                        # "covid19": texts print "COVID-19", read as two words; both spellings match
                        apart = _alternative(f"{glued.group(1)} {glued.group(2)}", None)
                        clause = replace(clause, alternatives=(*clause.alternatives, *(a for a in (apart,) if a)))
                    if _YEAR.fullmatch(folded):
                        self.years.append(int(folded))
                    question = clause.alternatives[0].terms[0].lower() in _QUESTION_WORDS
                    typed = clause.alternatives[0].terms[0].lower()
                    common = typed in _OPTIONAL_EXACT if typed != folded else folded in _OPTIONAL
                    if common or question or _YEAR.fullmatch(folded):
                        clause = Clause(clause.text, clause.alternatives, required=False)
            if clause.alternatives:
                self.clauses.append(clause)
                run.extend(clause.alternatives[0].terms)
            i += 1
        self._flush_ngrams(run)

    def _split_abbreviation_at(self, tokens: list[_Token], i: int) -> Clause | None:
        """``tp hcm``: an abbreviation typed in two pieces (TPHCM), with its expansions and spellings."""
        if i + 1 >= len(tokens):
            return None
        first, second = tokens[i], tokens[i + 1]
        if any(t.used or t.negated or not t.text.isalpha() for t in (first, second)):
            return None
        joined = first.text + second.text
        canonical = canonical_abbreviation(joined)
        if canonical is None or len(joined) < 4:
            return None
        clause = _abbreviation_clause(canonical, self.exact_query)
        if clause is None:
            return None
        typed = _alternative(f"{first.text} {second.text}", None)
        return Clause(f"{first.text} {second.text}", tuple(a for a in (typed, *clause.alternatives) if a))

    def _expansion_at(
        self, tokens: list[_Token], i: int, table: dict[tuple[str, ...], tuple[str, ...]]
    ) -> tuple[Clause, int] | None:
        for width in range(min(8, len(tokens) - i), 1, -1):
            window = tokens[i : i + width]
            if any(t.used or t.negated for t in window):
                continue
            key = tuple(t.folded for t in window)
            if key in table and _spelled_as_typed(window, table[key]):
                text = " ".join(t.text for t in window)
                alts = [_alternative(text, self.exact_query)]
                # The mirror of _abbreviation_clause: the typed phrase scores the idf of each of its words,
                # so the abbreviation's one term is scaled up by the phrase's length (times the other-form
                # weight) — else "công ty TNHH Quang Vinh" loses to every title spelling the phrase out.
                alts += [
                    _alternative(abbr, None, _OTHER_FORM * len(key) / max(1, len(term_parts(abbr))))
                    for abbr in table[key]
                ]
                alts += _partly_abbreviated(window, table, len(key))
                return Clause(text, _distinct(alts)), width
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
        parts = re.split(r"[-_&]", tok)
        # "kh-ubnd 139", "4321 pccc&cnch p6": a run of codes and figures joined by hyphens or "&" is read part
        # by part (abbreviations such as KT-XH or COVID-19 stay whole).
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
    text = text if text.isascii() else normalize(text.translate(_FULL_WIDTH), keep_newlines=False)
    text = " ".join(text.translate(_QUOTES).split())
    # Codes typed in capitals (UBND-VX, KH) carry no diacritics by nature: they do not make "UBND-VX cách ly"
    # a query typed without marks (QA: its "ly" then marked every "lý" of "quản lý").
    letters = term_parts(" ".join(w for w in text.split() if not _CODE_WORD.fullmatch(w))) or term_parts(text)
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
        if m.group("neg"):  # as a word left out: without marks, every form of it
            alt = _alternative(m.group("body"), has_diacritics(m.group("body")))
            if alt:
                parser.excluded.append(Clause(m.group("body"), (alt,), True))
            continue
        clause = parser._phrase_clause(m.group("body"), required=True)
        if clause.alternatives:
            phrases.append(clause)
    free.append(text[cursor:])
    rest = _unglue_numbers(" ".join(free).replace('"', " "), is_code)
    for m in _SLASH_NUMBER.finditer(rest):
        parsed = parse_number(m.group(0)) or parse_number(m.group(0).upper())  # "29-ctr/tu" (party numbers)
        if parsed and parsed.number and parsed.seq:
            codes = tuple(code_form(c) for c in (parsed.type_code, *parsed.body_codes) if c)
            parser.numbers.append(
                NumberQuery(
                    parsed.number, seq_form(parsed.seq), parsed.year, codes, lookup_key(parsed.number)
                )
            )
            if parsed.year and codes:
                # "404/2017/KH-UBND" is also how some write the 404/KH-UBND issued in 2017: that reading too,
                # after the number holding the year, and only for that year (typed in full, the year is meant).
                without = parse_number(f"{parsed.seq}/{parsed.symbol}")
                key = lookup_key(without.number) if without and without.number else None
                parser.numbers.append(
                    NumberQuery(m.group(0), seq_form(parsed.seq), None, codes, key, issued=parsed.year)
                )
                parser.years.append(parsed.year)
            parser.clauses.append(parser._phrase_clause(m.group(0), required=True, number=True))
    rest = _SLASH_NUMBER.sub(" ", rest)
    typed_symbols = _symbols(rest, parser)
    for m in _DATE.finditer(rest):
        if figure := _FIGURE_THEN_DAY.search(rest, max(0, m.start() - 30), m.start()):
            parser.dated_figures.add(figure.group(1))
        if figure := _DAY_THEN_FIGURE.match(rest, m.end()):
            parser.figures_after_date.add(figure.group(1))
        clause = parser._phrase_clause(m.group(0), required=True, number=True)
        typed = parse_date(m.group(0).replace(" ", ""))  # "31/02/2024" names no day: text only
        parser.clauses.append(replace(clause, day=day_number(typed)) if typed else clause)
    rest = _DATE.sub(" ", rest)
    figures = tuple(dict.fromkeys(tuple(re.split(r"[,.]", m.group(0))) for m in _DECIMAL.finditer(rest)))
    tokens = _tokens(rest, parser)
    parser.loose_numbers(tokens)
    parser.words(tokens)
    # a symbol that is part of a number typed loosely ("qđ-ubnd 2021") is that number's, not a search of its own
    symbols = tuple(s for s in typed_symbols if not any(set(s) <= set(n.codes) for n in parser.numbers))
    if symbols and (phrases or any(content_word(c) and not symbol_word(c, symbols) for c in parser.clauses)):
        # "UBND-VX cách ly": the symbol's own words are found in the number (scored by the symbol's clause)
        # as often as in the text; only the other words are required.
        parser.clauses = [replace(c, required=False) if symbol_word(c, symbols) else c for c in parser.clauses]
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
        symbols=symbols,
        figures=figures,
    )


# Types whose numbers print no type code (a law 31/2024/QH15, an ordinance 09/2014/UBTVQH13): their name
# before a figure makes a number of sequence and year, without a code to require.
_UNCODED_TYPES = frozenset({"L", "PL"})

# Numbers typed with a separator missing or another one: a figure glued to its codes ("3584QĐ-UBND",
# "qd1203"), codes glued to each other ("3584/QĐUBND"), dots for slashes ("3584.QĐ.UBND").
_FIGURE_THEN_CODES = re.compile(r"(?<![\w/.-])(\d{1,6})([^\W\d_]{2,8})(?=[-/\s]|$)")
# ... and a type code glued to a figure, alone or with its year ("qd1203", "NĐ15/2023": QA)
_CODES_THEN_FIGURE = re.compile(r"(?<![\w/.-])([^\W\d_]{2,4})(\d{1,6})(?=/\d{4}(?![\w/.-])|(?![\w/.-]))")
_CODE_FIGURE_BODY = re.compile(r"(?<![\w/.-])([^\W\d_]{2,4})(\d{1,6})((?:/\d{4})?)/([^\W\d_][\w&]*(?:-[\w&]+)*)(?![\w/])")
_DOTTED = re.compile(r"(?<![\w/.])(\d{1,6})\.([^\W\d_]{2,8}(?:\.[^\W\d_]{2,8})+)(?![\w/])")
_GLUED_CODES = re.compile(r"(?<=\d/)([^\W\d_]{4,12})(?![\w])")


def _unglue_numbers(text: str, is_code: Callable[[str], bool] = _no_codes) -> str:
    """``text`` with the numbers typed without their separators written with them; only where the letters
    are a number's code (the first of them), so "covid19" or "f0" stay as typed.

    Example
    -------
    >>> _unglue_numbers("3584QĐ-UBND qd1203 3584.QĐ.UBND 12/QĐUBND 2419UBND-KTN covid19 NĐ15/2023 QĐ1657/UBND")
    '3584/QĐ-UBND qd 1203 3584/QĐ-UBND 12/QĐ-UBND 2419/UBND-KTN covid19 NĐ 15/2023 1657/QĐ-UBND'
    """
    if not any(ch.isdigit() for ch in text):
        return text
    text = _DOTTED.sub(
        lambda m: (
            m.group(1) + "/" + m.group(2).replace(".", "-")
            if _number_code(m.group(2).split(".")[0], is_code)
            else m.group(0)
        ),
        text,
    )
    # "QĐ1657/UBND", "NĐ15/2023/CP": the type code glued before the figure, the body after it (QA)
    text = _CODE_FIGURE_BODY.sub(
        lambda m: (
            f"{m.group(2)}{m.group(3)}/{m.group(1)}-{m.group(4)}"
            if canonical_type_code(m.group(1))
            else m.group(0)
        ),
        text,
    )
    text = _FIGURE_THEN_CODES.sub(
        lambda m: f"{m.group(1)}/{m.group(2)}" if _number_code(m.group(2), is_code) else m.group(0), text
    )
    # ... unless the whole is a code of the index's numbers (PC07, the police's fire-fighting unit)
    text = _CODES_THEN_FIGURE.sub(
        lambda m: (
            f"{m.group(1)} {m.group(2)}"
            if canonical_type_code(m.group(1)) and not is_code(code_form(m.group(0)))
            else m.group(0)
        ),
        text,
    )
    return _GLUED_CODES.sub(lambda m: _split_codes(m.group(1), is_code) or m.group(0), text)


def _number_code(letters: str, is_code: Callable[[str], bool]) -> bool:
    """Whether ``letters`` open a number's symbol: a type code, an issuer's abbreviation (``UBND`` of
    ``2419UBND-KTN``), or such codes glued together (``QĐUBND``)."""
    return bool(
        canonical_type_code(letters)
        or (len(letters) >= 3 and canonical_abbreviation(letters))
        or _split_codes(letters, is_code)
    )


def _split_codes(letters: str, is_code: Callable[[str], bool]) -> str | None:
    """Two codes typed as one: a type code and an issuer's abbreviation (``QĐUBND`` → ``QĐ-UBND``), or an
    issuer's abbreviation and a code the index's numbers use (``UBNDKTN`` → ``UBND-KTN``); else None."""
    for cut in range(2, min(len(letters) - 1, 6)):
        head, tail = letters[:cut], letters[cut:]
        if canonical_type_code(head) and canonical_abbreviation(tail):
            return f"{head}-{tail}"
        if (
            cut >= 3
            and canonical_abbreviation(head)
            and (canonical_abbreviation(tail) or is_code(code_form(tail)))
        ):
            return f"{head}-{tail}"
    return None


# A figure written with a decimal or thousands mark ("1,75 m", "4.862 lượt"): its parts are searched as words,
# and marked together in a text (corpus.highlight), not inside another number ("188,75").
_DECIMAL = re.compile(r"(?<![\w,./])\d+(?:[,.]\d+)+(?![\w/]|[,.]\d)")


# Code groups joined by "-" or "&" with no figure (UBND-VX, KH-UBND, TTLT-BCA-BYT, PCCC&CNCH): the symbol of
# a number, typed to find a body's documents of a kind ("tất cả công văn UBND-VX").
_SYMBOL = re.compile(r"(?<![\w/.])([^\W\d_]+(?:[-&][^\W\d_]+)+)(?![\w/])")


# One code typed in capitals (TCHQ, BTNMT, HĐND): a body's documents, by the codes of their numbers. Three
# letters at least, and only a code the index's numbers use: "TỈNH" or a two-letter "VX" stay words.
_CODE_ALONE = re.compile(r"(?<![\w/.&-])([A-ZĐ]{3,10})(?![\w/&-])")


_CODE_WORD = re.compile(r"[A-ZĐ]{2,}(?:[-&/][A-ZĐ]{2,})*[.,;:]?")


def _spelled_as_typed(window: list[_Token], abbreviations: tuple[str, ...]) -> bool:
    """Whether words typed with diacritics are an expansion as spelled: "chính phụ" of "đính chính phụ lục"
    folds like "chính phủ" (CP) but is not it (QA: the document about "đính chính … phụ lục" was lost).
    Words typed without marks may be any expansion that folds like them."""
    typed = " ".join(t.text for t in window)
    if not has_diacritics(typed):
        return True
    written = normalize(typed).lower()
    return any(
        normalize(expansion).lower() == written
        for abbreviation in abbreviations
        for expansion in ABBREVIATIONS.get(canonical_abbreviation(abbreviation) or abbreviation, ())
    )


def content_word(clause: Clause) -> bool:
    """A word that says what a document is about: required, not a function word or a constant (a number,
    a date), not a bare figure ("2021": the year of a code's documents in "UBND-VX năm 2021")."""
    return clause.required and not clause.constant and not clause.text.isdigit()


def symbol_word(clause: Clause, symbols: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``clause`` is made of codes of the typed ``symbols`` (``ubnd``, ``vx`` of ``UBND-VX``)."""
    codes_typed = {fold(c).lower() for codes in symbols for c in codes}
    return bool(codes_typed) and set(filter(None, re.split(r"[-&\s]+", fold(clause.text).lower()))) <= codes_typed


def _symbols(text: str, parser: _Parser) -> tuple[tuple[str, ...], ...]:
    """The symbols typed in ``text``: every group a code (a type code, a known abbreviation, or a code the
    index's numbers use), at least one of them a type code or a known abbreviation (so that "ca-dao" or
    "covid-ncov" are words); and single codes typed in capitals that the index's numbers use."""
    found: list[tuple[str, ...]] = []
    for m in _SYMBOL.finditer(text):
        groups = re.split(r"[-&]", m.group(1))
        codes = [parser.code_of(_Token(g, slash_before=True)) for g in groups]
        if all(codes) and any(canonical_type_code(g) or canonical_abbreviation(g) for g in groups):
            found.append(tuple(c for c in codes if c))
    for m in _CODE_ALONE.finditer(text):
        code = parser.code_of(_Token(m.group(1), slash_before=True))
        if code and parser.is_code(code):
            found.append((code,))
    return tuple(dict.fromkeys(found))

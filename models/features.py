"""Features for the classifiers: analysed text in, token streams out, each token with the syllables it covers.

Everything here follows the scikit-learn estimator contract and is importable by a stable path, so a saved
pipeline loads again: :class:`Analyze` is the first step of every pipeline, and the analyzer callables
(:class:`NgramAnalyzer`, :class:`CharAnalyzer`, :class:`PrefixAnalyzer`) are handed to
``TfidfVectorizer(analyzer=...)``. No lambdas, no work at import time.

Why these streams (measured, see ``docs/models.md``):

* syllable n-grams carry most of the signal and do not depend on segmentation errors;
* underthesea words add compounds (``thuê_đất``) that syllable pairs blur;
* folded syllables (no diacritics) match text typed without them, as other provinces' portals often are;
* character n-grams inside a word catch spelling variants and typos ("hoà"/"hòa", "doanh nhiệp");
* the first syllables of a title say what kind of document it is ("v/v …", "kết luận …", "về việc …").
* for the field, features made only of frame phrases ("kế hoạch tổ chức triển khai", "trên địa bàn tỉnh")
  are dropped (``skip_frame``, :mod:`models.boilerplate`): they say nothing about the field.

Text is lower-cased before analysis for every source, because the Bình Dương summaries are lower-cased
by their publisher and a model must not learn capitalisation as a province marker.

Example
-------
>>> doc = analyze_texts(["Về việc giao đất cho UBND huyện"], segment=False)[0]
>>> NgramAnalyzer("syllables", (1, 2))(doc)[:3]
['về', 'việc', 'giao']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sklearn.base import BaseEstimator, TransformerMixin

from models.boilerplate import frame_mask, is_frame
from nlp.abbreviations import expand
from nlp.normalize import fold, normalize

# Bump when the output of any analyzer below changes for some input: it is recorded in every manifest.
FEATURES_VERSION = "vanban-features-8"  # 3: abbreviations UBMTTQ, HCM, TNHH, MTV, CTCP expanded;
# 4: frame phrases matched with their diacritics in text that has them ("chợ" is not "cho");
# 5: every province name is frame, not only the three of the training data;
# 6: abbreviations TN&MT, KHĐT, KH&ĐT, GTVT, TT&TT, LĐ-TB&XH expanded;
# 7: a law's name and an implementing decree's frame are frame ("biện pháp thi hành Luật …" → the subject);
# 8: so is the setting up of a committee ("thành lập/kiện toàn Ban Chỉ đạo, Hội đồng …" → its task)

_SYLLABLE = re.compile(r"\w+(?:[/.,-]\w+)*")
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[^\W\d_]")
NUMBER_TOKEN = "#"  # every number, amount and date reads the same: "năm 2021" and "năm 2019" agree


@dataclass(frozen=True)
class AnalyzedText:
    """A text as the classifiers see it.

    ``text`` is the normalised original (case kept) for explanations; the token tuples are lower case.
    ``word_sizes[i]`` is the number of syllables of ``words[i]``, so a word maps back to its syllables.
    """

    text: str
    words: tuple[str, ...]
    syllables: tuple[str, ...]
    folded: tuple[str, ...]
    word_sizes: tuple[int, ...]


def _token(raw: str) -> str:
    token = raw.lower()
    if _HAS_DIGIT.search(token) and not _HAS_LETTER.search(token):
        return NUMBER_TOKEN
    return token


def _from_analysis(text: str, words: Sequence[str], syllables: Sequence[str]) -> AnalyzedText:
    sizes: list[int] = []
    for word in words:
        # The analyser joins compound syllables with "_"; protected tokens (numbers, "V/v") are one syllable.
        sizes.append(max(1, sum(1 for part in word.split("_") if part)))
    syl = tuple(_token(s) for s in syllables)
    if sum(sizes) != len(syl):
        sizes = [1] * len(syl)  # alignment lost (should not happen): treat every syllable as a word
        words = syllables
    wds = tuple(_token(w) for w in words)
    return AnalyzedText(text, wds, syl, tuple(fold(s) for s in syl), tuple(sizes))


def analyze_texts(texts: Sequence[str], *, segment: bool = True, workers: int | None = None) -> list[AnalyzedText]:
    """Analyse many texts at once (one pass of the batch analyser; repeated texts are analysed once).

    ``segment=False`` skips word segmentation (words are the syllables): an order of magnitude faster,
    used for large news corpora such as VNTC.
    """
    normalized = [normalize(t or "") for t in texts]
    if not segment:
        out = []
        for text in normalized:
            syl = _SYLLABLE.findall(text.lower())
            out.append(_from_analysis(text, syl, syl))
        return out
    from nlp.analyzer import analyze_batch

    unique = list(dict.fromkeys(t.lower() for t in normalized))
    analysed = dict(zip(unique, analyze_batch(unique, workers=workers), strict=True))
    return [_from_analysis(t, analysed[t.lower()].words, analysed[t.lower()].syllables) for t in normalized]


class Analyze(TransformerMixin, BaseEstimator):
    """First pipeline step: raw strings become :class:`AnalyzedText`; analysed texts pass through.

    Passing pre-analysed texts is how training avoids segmenting the same corpus again for every
    cross-validation fold.
    """

    def __init__(self, segment: bool = True) -> None:
        self.segment = segment

    def fit(self, X: Iterable[object], y: object = None) -> Analyze:
        self.analyzer_version_ = analyzer_version(self.segment)
        return self

    def transform(self, X: Iterable[object]) -> list[AnalyzedText]:
        items = list(X)
        raw = [i for i, x in enumerate(items) if not isinstance(x, AnalyzedText)]
        for i in raw:
            if not isinstance(items[i], str):
                raise TypeError(f"expected str or AnalyzedText, got {type(items[i]).__name__}")
        if raw:
            done = analyze_texts([items[i] for i in raw], segment=self.segment)  # type: ignore[misc]
            for i, analysed in zip(raw, done, strict=True):
                items[i] = analysed
        return items  # type: ignore[return-value]


def analyzer_version(segment: bool = True) -> str:
    """The analyser identity recorded in manifests: features version plus the nlp analyser version."""
    if not segment:
        return f"{FEATURES_VERSION}+syllables"
    from nlp.analyzer import ANALYZER_VERSION

    return f"{FEATURES_VERSION}+{ANALYZER_VERSION}"


@lru_cache(maxsize=50_000)
def _expansion(token: str) -> tuple[str, ...]:
    # Only abbreviations of three letters or more: "tt" (thị trấn / thông tư) and "cp" are too ambiguous.
    if len(token) < 3 or not _HAS_LETTER.search(token):
        return ()
    found = expand(token)
    if not found:
        return ()
    return tuple(_SYLLABLE.findall(found[0].lower()))


Span = tuple[str, int, int]  # feature, first syllable, end syllable (exclusive)


class NgramAnalyzer:
    """Token n-grams of one stream (``syllables``, ``words`` or ``folded``) with their syllable spans.

    ``expand_abbreviations`` adds the expansion of known abbreviations after them ("bhyt" → "bảo hiểm y
    tế"), so that a province writing the words in full and one writing the abbreviation look alike.
    """

    def __init__(self, stream: str = "syllables", ngram_range: tuple[int, int] = (1, 2),
                 expand_abbreviations: bool = False, skip_frame: bool = False) -> None:
        if stream not in ("syllables", "words", "folded"):
            raise ValueError(f"unknown stream {stream!r}")
        self.stream = stream
        self.ngram_range = tuple(ngram_range)
        self.expand_abbreviations = expand_abbreviations
        self.skip_frame = skip_frame

    def __repr__(self) -> str:
        return (f"NgramAnalyzer({self.stream!r}, {self.ngram_range}, {self.expand_abbreviations}, "
                f"{getattr(self, 'skip_frame', False)})")

    def _units(self, doc: AnalyzedText) -> list[tuple[str, int, int]]:
        units: list[tuple[str, int, int]] = []
        if self.stream == "words":
            start = 0
            for word, size in zip(doc.words, doc.word_sizes, strict=True):
                units.append((word, start, start + size))
                start += size
            return units
        tokens = doc.syllables if self.stream == "syllables" else doc.folded
        for i, tok in enumerate(tokens):
            units.append((tok, i, i + 1))
            if self.expand_abbreviations:
                for part in _expansion(doc.syllables[i]):
                    units.append((part if self.stream == "syllables" else fold(part), i, i + 1))
        return units

    def spans(self, doc: AnalyzedText) -> list[Span]:
        units = self._units(doc)
        prefix = {"syllables": "", "words": "w:", "folded": "f:"}[self.stream]
        lo, hi = self.ngram_range
        out: list[Span] = []
        for n in range(lo, hi + 1):
            for i in range(len(units) - n + 1):
                grams = units[i : i + n]
                out.append((prefix + " ".join(g[0] for g in grams), grams[0][1], grams[-1][2]))
        return _drop_frame(out, doc) if getattr(self, "skip_frame", False) else out

    def __call__(self, doc: AnalyzedText) -> list[str]:
        return [feature for feature, _, _ in self.spans(doc)]


def _drop_frame(spans: list[Span], doc: AnalyzedText) -> list[Span]:
    """``spans`` without those made only of frame syllables (see :mod:`models.boilerplate`)."""
    mask = frame_mask(doc.syllables)
    return [span for span in spans if not is_frame(mask, span[1], span[2])]


class CharAnalyzer:
    """Character n-grams inside each word (padded with spaces), never across words."""

    def __init__(self, ngram_range: tuple[int, int] = (3, 5), skip_frame: bool = False) -> None:
        self.ngram_range = tuple(ngram_range)
        self.skip_frame = skip_frame

    def __repr__(self) -> str:
        return f"CharAnalyzer({self.ngram_range}, {getattr(self, 'skip_frame', False)})"

    def spans(self, doc: AnalyzedText) -> list[Span]:
        lo, hi = self.ngram_range
        out: list[Span] = []
        start = 0
        for word, size in zip(doc.words, doc.word_sizes, strict=True):
            padded = f" {word.replace('_', ' ')} "
            for n in range(lo, hi + 1):
                for i in range(len(padded) - n + 1):
                    out.append(("c:" + padded[i : i + n], start, start + size))
            start += size
        return _drop_frame(out, doc) if getattr(self, "skip_frame", False) else out

    def __call__(self, doc: AnalyzedText) -> list[str]:
        return [feature for feature, _, _ in self.spans(doc)]


class PrefixAnalyzer:
    """The first 1…``length`` syllables of the text as position-marked features (``^v/v``, ``^kết luận``)."""

    def __init__(self, length: int = 3) -> None:
        self.length = length

    def __repr__(self) -> str:
        return f"PrefixAnalyzer({self.length})"

    def spans(self, doc: AnalyzedText) -> list[Span]:
        syl = doc.syllables
        return [("^" + " ".join(syl[:n]), 0, n) for n in range(1, min(self.length, len(syl)) + 1)]

    def __call__(self, doc: AnalyzedText) -> list[str]:
        return [feature for feature, _, _ in self.spans(doc)]


def surface_offsets(doc: AnalyzedText) -> list[tuple[int, int] | None]:
    """Character offsets of every syllable in ``doc.text`` (None where it cannot be found).

    Lets explanations quote the original, with its case, diacritics and spacing, instead of a token.
    """
    lowered = doc.text.lower()
    if len(lowered) != len(doc.text):  # lower() changed the length: offsets would not line up
        return [None] * len(doc.syllables)
    out: list[tuple[int, int] | None] = []
    cursor = 0
    raw = _SYLLABLE.finditer(lowered)
    pending = list(raw)
    k = 0
    for syl in doc.syllables:
        found = None
        if syl != NUMBER_TOKEN:
            at = lowered.find(syl, cursor)
            if at >= 0:
                found = (at, at + len(syl))
        else:
            while k < len(pending) and pending[k].start() < cursor:
                k += 1
            while k < len(pending) and not _HAS_DIGIT.search(pending[k].group()):
                k += 1
            if k < len(pending):
                token = pending[k].group()
                # A lower-cased code is not part of the number ("140-kh/tu" is "#", "kh", "tu"): the number
                # ends before its first letter, or the code's syllables are looked for after the whole token
                # (QA: "kh" was quoted from "khai", and the code letters "ct", "tu" given as reasons).
                letter = _HAS_LETTER.search(token)
                end = pending[k].end()
                if letter is not None and _HAS_DIGIT.search(token, 0, letter.start()):
                    end = pending[k].start() + len(token[: letter.start()].rstrip("/.,-"))
                found = (pending[k].start(), end)
        if found:
            cursor = found[1]
        out.append(found)
    return out

"""Why a linear model chose a label: the words of the text that pushed it most, quoted as written.

Every TF-IDF feature of every stream (syllable n-grams, words, folded forms, character n-grams, opening
words) knows which syllables it came from (:mod:`models.features`). A feature's contribution to a class —
its weight times its value in this text — is spread over those syllables; syllables add up into the words
the segmenter found; adjacent winning words merge into one phrase. The phrase is cut from the original
text, so a clerk reads "chuyển mục đích sử dụng đất", never ``f:chuyen muc``.

What a clerk must not see: the same phrase twice (a word repeated in a title is one reason, its weights
added), and the frame of the document ("Về việc tổ chức", "trên địa bàn tỉnh"). Frame syllables
(:mod:`models.boilerplate`) never start, end or join a reason for a model that drops frame features (the
topic model); for other models only function words ("của", "về việc") are left out.

Example
-------
>>> reasons = explain(pipeline, analysed_title, class_index=3)   # doctest: +SKIP
>>> [r.text for r in reasons]                                     # doctest: +SKIP
['thuê đất', 'gia hạn thời gian']
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.boilerplate import FUNCTION_WORDS, reason_mask
from models.features import NUMBER_TOKEN, AnalyzedText, surface_offsets
from nlp.normalize import fold as _fold


@dataclass(frozen=True)
class Reason:
    """A phrase of the text and how much it pushed the prediction (in decision-score units)."""

    text: str
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "weight": round(float(self.weight), 4)}


def _syllable_scores(pipeline: Any, doc: AnalyzedText, class_index: int, row: Any = None) -> np.ndarray:
    union = pipeline.named_steps["features"]
    coef = pipeline.named_steps["clf"].coef_[class_index]
    row = (union.transform([doc]) if row is None else row).tocsr()
    values = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
    scores = np.zeros(len(doc.syllables))
    offset = 0
    for _, vectorizer in union.transformer_list:
        vocabulary = vectorizer.vocabulary_
        spans = vectorizer.analyzer.spans(doc)
        counts = Counter(feature for feature, _, _ in spans)
        for feature, start, end in spans:
            column = vocabulary.get(feature)
            if column is None or end <= start:
                continue
            column += offset
            value = values.get(column)
            if not value:
                continue
            share = value * coef[column] / counts[feature] / (end - start)
            scores[start:end] += share
        offset += len(vocabulary)
    return scores


def _drops_frame(pipeline: Any) -> bool:
    union = pipeline.named_steps["features"]
    return any(getattr(v.analyzer, "skip_frame", False) for _, v in union.transformer_list)


def explain(pipeline: Any, doc: AnalyzedText, class_index: int, k: int = 5, row: Any = None) -> tuple[Reason, ...]:
    """The ``k`` phrases of ``doc`` that pushed class ``class_index`` most (positive contributions only).

    ``row`` is the document's feature row when the caller already has it (batch classification). Phrases
    are distinct (compared case- and diacritic-insensitively after merging repeats).
    """
    if not doc.syllables:
        return ()
    scores = _syllable_scores(pipeline, doc, class_index, row)
    offsets = surface_offsets(doc)
    names = _proper_names(doc, offsets)
    banned = [b or i in names for i, b in enumerate(reason_mask(doc.syllables, _drops_frame(pipeline)))]
    words: list[tuple[int, int, float]] = []  # (first syllable, end syllable, score)
    start = 0
    for size in doc.word_sizes:
        end = start + size
        # A word of frame syllables only is never a reason; its share of mixed n-grams is not moved elsewhere.
        score = -np.inf if all(banned[start:end]) else float(scores[start:end].sum())
        words.append((start, end, score))
        start = end
    top = max((w for _, _, w in words if np.isfinite(w)), default=0.0)
    # Words far weaker than the strongest one are noise to a reader: keep those within 20% of it.
    candidates = sorted(
        (i for i, (s, e, w) in enumerate(words) if w > 0.2 * top and doc.syllables[s:e] != (NUMBER_TOKEN,)),
        key=lambda i: -words[i][2],
    )
    # The k strongest distinct words; a repeat of a chosen word is kept too (it merges into the same reason).
    chosen_set: set[int] = set()
    keys: set[tuple[str, ...]] = set()
    for i in candidates:
        folded = doc.folded[words[i][0] : words[i][1]]
        if folded not in keys and len(keys) == k:
            continue
        keys.add(folded)
        chosen_set.add(i)
    phrases: list[tuple[int, int, float]] = []
    for i in sorted(chosen_set):
        s, e, w = words[i]
        if phrases and i - 1 in chosen_set and phrases[-1][1] == s and not _punctuation_between(doc, offsets, s):
            ps, _, pw = phrases[-1]
            phrases[-1] = (ps, e, pw + w)
        else:
            phrases.append((s, e, w))
    merged: dict[str, tuple[str, float]] = {}  # key → (first surface form, summed weight)
    for s, e, w in phrases:
        first, last = offsets[s], offsets[e - 1]
        text = doc.text[first[0] : last[1]] if first and last else " ".join(doc.syllables[s:e])
        text = " ".join(text.split()).strip(" ,.;:-–()\"“”'")
        if not text:
            continue
        key = reason_key(text)
        shown, total = merged.get(key, (text, 0.0))
        merged[key] = (shown, total + w)
    ranked = sorted(merged.values(), key=lambda item: -item[1])
    out: list[Reason] = []
    for text, w in ranked:
        key = f" {reason_key(text)} "
        # "công nghiệp" after "khu công nghiệp" tells the reader nothing new.
        if any(key in f" {reason_key(r.text)} " for r in out):
            continue
        out = [r for r in out if f" {reason_key(r.text)} " not in key] + [Reason(text, w)]
        if len(out) == k:
            break
    return tuple(sorted(out, key=lambda r: -r.weight))


_STOP = frozenset(_fold(w) for w in FUNCTION_WORDS) | {"#"}


def _punctuation_between(doc: AnalyzedText, offsets: list[tuple[int, int] | None], syllable: int,
                         marks: str = ";:()\"“”") -> bool:
    """Whether one of ``marks`` separates ``syllable`` from the one before it in the text.

    Commas do not split a reason by default: "phòng, chống dịch" is one phrase in Vietnamese usage.
    """
    before, here = offsets[syllable - 1] if syllable else None, offsets[syllable]
    if not (before and here):
        return False
    return any(ch in marks for ch in doc.text[before[1] : here[0]])


# Markers of a name: the words after them name one place or company ("xã An Điền", "thị xã Tân Uyên",
# "Công ty TNHH Minh Phát"). A name is true of one document, never a reason for its class.
_PLACE_MARKERS = frozenset({("xa",), ("phuong",), ("huyen",), ("quan",), ("thi", "xa"), ("thi", "tran"),
                            ("thanh", "pho"), ("ap",), ("khu", "pho"), ("tinh",)})
_COMPANY_MARKERS = frozenset({("cong", "ty"), ("tnhh",), ("co", "phan"), ("doanh", "nghiep", "tu", "nhan")})
_MARKERS = _PLACE_MARKERS | _COMPANY_MARKERS
_NAME_SYLLABLES = 3  # the longest name taken after a marker ("thành phố Thủ Dầu Một")


def _proper_names(doc: AnalyzedText, offsets: list[tuple[int, int] | None]) -> set[int]:
    """Syllables of place and company names, and the company words themselves ("Công ty TNHH").

    A name is the whole words after a marker, up to three syllables, stopping at punctuation or a function
    word; in texts written in normal case, capitalised syllables after a marker count whatever their length.
    "xã hội" is not a commune.
    """
    folded = doc.folded
    starts, at = set(), 0
    for size in doc.word_sizes:
        starts.add(at)
        at += size
    cased = doc.text not in (doc.text.lower(), doc.text.upper())
    names: set[int] = set()
    for j in range(1, len(folded)):
        marker = next((m for m in _MARKERS if tuple(folded[max(0, j - len(m)) : j]) == m), None)
        if marker is None or j not in starts or (marker == ("xa",) and folded[j] == "hoi"):
            continue
        if marker in _COMPANY_MARKERS:
            names.update(range(j - len(marker), j))
        k = j
        while k < len(folded) and not _punctuation_between(doc, offsets, k, ",;:()\"“”") and folded[k] not in _STOP:
            if cased:  # the name is its capitalised syllables
                span = offsets[k]
                if span is None or not doc.text[span[0]].isupper():
                    break
            elif k - j >= _NAME_SYLLABLES or (k in starts and k + _word_size(doc, k) - j > _NAME_SYLLABLES):
                break  # lower-cased text: whole words, at most three syllables
            names.add(k)
            k += 1
    return names


def _word_size(doc: AnalyzedText, syllable: int) -> int:
    at = 0
    for size in doc.word_sizes:
        if at == syllable:
            return size
        at += size
    return 1


def reason_key(text: str) -> str:
    """How two reasons are compared for duplicates: case, diacritics and spacing ignored."""
    from nlp.normalize import fold

    return " ".join(fold(text.lower()).split())

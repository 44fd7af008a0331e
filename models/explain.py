"""Why a linear model chose a label: the words of the text that pushed it most, quoted as written.

Every TF-IDF feature of every stream (syllable n-grams, words, folded forms, character n-grams, opening
words) knows which syllables it came from (:mod:`models.features`). A feature's contribution to a class —
its weight times its value in this text — is spread over those syllables; syllables add up into the words
the segmenter found; adjacent winning words merge into one phrase. The phrase is cut from the original
text, so a clerk reads "chuyển mục đích sử dụng đất", never ``f:chuyen muc``.

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

from models.features import NUMBER_TOKEN, AnalyzedText, surface_offsets


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


def explain(pipeline: Any, doc: AnalyzedText, class_index: int, k: int = 5, row: Any = None) -> tuple[Reason, ...]:
    """The ``k`` phrases of ``doc`` that pushed class ``class_index`` most (positive contributions only).

    ``row`` is the document's feature row when the caller already has it (batch classification).
    """
    if not doc.syllables:
        return ()
    scores = _syllable_scores(pipeline, doc, class_index, row)
    words: list[tuple[int, int, float]] = []  # (first syllable, end syllable, score)
    start = 0
    for size in doc.word_sizes:
        words.append((start, start + size, float(scores[start : start + size].sum())))
        start += size
    top = max((w for _, _, w in words), default=0.0)
    # Words far weaker than the strongest one are noise to a reader: keep those within 20% of it.
    chosen = sorted(
        (i for i, (s, e, w) in enumerate(words) if w > 0.2 * top and doc.syllables[s:e] != (NUMBER_TOKEN,)),
        key=lambda i: -words[i][2],
    )[:k]
    chosen_set = set(chosen)
    phrases: list[tuple[int, int, float]] = []
    for i in sorted(chosen_set):
        s, e, w = words[i]
        if phrases and i - 1 in chosen_set and phrases[-1][1] == s:
            ps, _, pw = phrases[-1]
            phrases[-1] = (ps, e, pw + w)
        else:
            phrases.append((s, e, w))
    offsets = surface_offsets(doc)
    out = []
    for s, e, w in sorted(phrases, key=lambda p: -p[2]):
        first, last = offsets[s], offsets[e - 1]
        text = doc.text[first[0] : last[1]] if first and last else " ".join(doc.syllables[s:e])
        out.append(Reason(" ".join(text.split()), w))
    return tuple(out)

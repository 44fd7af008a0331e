"""One scikit-learn Pipeline per task: analyse → TF-IDF feature streams → calibrated linear SVM.

Parameters are a plain JSON-ready dict (recorded verbatim in the manifest), so a researcher can retrain
with other settings (``vanban train --param topic.C=0.3``) and compare versions on the same report.

Example
-------
>>> pipe = build_pipeline("topic")
>>> [name for name, _ in pipe.steps]
['analyze', 'features', 'clf']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from models.features import Analyze, CharAnalyzer, NgramAnalyzer, PrefixAnalyzer
from models.linear import CalibratedLinearSVC

TASKS = ("topic", "doc_type")

_COMMON: dict[str, Any] = {
    "segment": True,
    "syllable_ngrams": [1, 3],
    "word_ngrams": [1, 2],
    "folded_ngrams": [1, 2],
    "char_ngrams": [3, 5],
    "expand_abbreviations": True,
    "sublinear_tf": True,
    "min_df": 1,
    "class_weight": None,
    "calibration_folds": 3,
    "skip_frame": False,
}

# Chosen by 5-fold cross-validation on the training part of Bình Dương (docs/models.md has the table).
DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    # Topic: the subject words matter, the frame of the summary ("kế hoạch tổ chức triển khai thực hiện …
    # trên địa bàn tỉnh") does not: features made only of frame phrases are dropped (models/boilerplate.py).
    "topic": _COMMON | {"prefix": 0, "C": 1.0, "skip_frame": True},
    # Type: how a summary opens is the strongest hint ("v/v" công văn, "kết luận" thông báo).
    "doc_type": _COMMON | {"prefix": 3, "C": 0.3},
}


def default_params(task: str) -> dict[str, Any]:
    if task not in DEFAULT_PARAMS:
        raise ValueError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    return dict(DEFAULT_PARAMS[task])


def merge_params(task: str, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults of ``task`` with ``overrides`` applied; unknown keys are an error (a typo must not pass)."""
    params = default_params(task)
    for key, value in (overrides or {}).items():
        if key not in params:
            raise ValueError(f"unknown parameter {key!r} for task {task}; known: {', '.join(sorted(params))}")
        params[key] = value
    return params


def _vectorizer(analyzer: Any, params: Mapping[str, Any]) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer,
        lowercase=False,
        sublinear_tf=bool(params["sublinear_tf"]),
        min_df=int(params["min_df"]),
        dtype=np.float32,
    )


def build_pipeline(task: str, params: Mapping[str, Any] | None = None) -> Pipeline:
    """The untrained pipeline of ``task`` with ``params`` (see :data:`DEFAULT_PARAMS`)."""
    p = merge_params(task, params)
    streams: list[tuple[str, TfidfVectorizer]] = []
    expand, frame = bool(p["expand_abbreviations"]), bool(p["skip_frame"])
    if p["syllable_ngrams"]:
        streams.append(("syllables", _vectorizer(NgramAnalyzer("syllables", tuple(p["syllable_ngrams"]), expand, frame), p)))
    if p["word_ngrams"] and p["segment"]:
        streams.append(("words", _vectorizer(NgramAnalyzer("words", tuple(p["word_ngrams"]), skip_frame=frame), p)))
    if p["folded_ngrams"]:
        streams.append(("folded", _vectorizer(NgramAnalyzer("folded", tuple(p["folded_ngrams"]), expand, frame), p)))
    if p["char_ngrams"]:
        streams.append(("chars", _vectorizer(CharAnalyzer(tuple(p["char_ngrams"]), frame), p)))
    if p["prefix"]:
        streams.append(("prefix", _vectorizer(PrefixAnalyzer(int(p["prefix"])), p)))
    if not streams:
        raise ValueError("every feature stream is disabled: enable at least one")
    return Pipeline(
        [
            ("analyze", Analyze(segment=bool(p["segment"]))),
            ("features", FeatureUnion(streams)),
            (
                "clf",
                CalibratedLinearSVC(
                    C=float(p["C"]),
                    class_weight=p["class_weight"],
                    calibration_folds=int(p["calibration_folds"]),
                ),
            ),
        ]
    )

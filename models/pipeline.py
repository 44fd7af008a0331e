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

from models.errors import TrainingDataError
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


_SWITCHES = ("segment", "expand_abbreviations", "sublinear_tf", "skip_frame")
_NGRAMS = ("syllable_ngrams", "word_ngrams", "folded_ngrams", "char_ngrams")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_problem(name: str, value: Any) -> str | None:
    """What is wrong with one parameter's value (Vietnamese), None when it is acceptable."""
    if name in _SWITCHES:
        return None if isinstance(value, bool) else "cần true hoặc false"
    if name in _NGRAMS:
        if value in (None, False, []):
            return None  # the stream is disabled
        ok = (isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value)
              and 1 <= value[0] <= value[1])  # fmt: skip
        return None if ok else "cần [nhỏ nhất, lớn nhất], hai số nguyên 1 ≤ nhỏ nhất ≤ lớn nhất (ví dụ [1, 3]), hoặc null để tắt"
    if name == "C":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < float("inf")
        return None if ok else "cần một số dương (ví dụ 0.5)"
    if name == "min_df":
        return None if _is_int(value) and value >= 1 else "cần một số nguyên từ 1 trở lên"
    if name == "prefix":
        return None if _is_int(value) and value >= 0 else "cần một số nguyên từ 0 trở lên (0: tắt)"
    if name == "calibration_folds":
        return None if _is_int(value) and (value == 0 or value >= 2) else "cần 0 (không hiệu chỉnh) hoặc từ 2 trở lên"
    if name == "class_weight":
        if value is None or value == "balanced":
            return None
        ok = isinstance(value, dict) and all(
            isinstance(w, int | float) and not isinstance(w, bool) and w > 0 for w in value.values())
        return None if ok else 'cần null, "balanced" hoặc {"nhãn": trọng số dương, ...}'
    return None


def check_params(params: Mapping[str, Mapping[str, Any] | None]) -> None:
    """Refuse parameter overrides a pipeline cannot use, before any text is analysed (``--param``).

    Each value is checked for its type and range, then the unfitted pipeline is built and scikit-learn's own
    parameter validation runs on its vectorizers and SVM, so that a mistake is said in seconds rather than
    after the analysis of thousands of texts. Raises :class:`TrainingDataError` (Vietnamese).
    """
    from sklearn.utils._param_validation import InvalidParameterError

    for task, overrides in params.items():
        if task not in DEFAULT_PARAMS:
            raise TrainingDataError(f"--param: không có tác vụ “{task}”; chọn một trong {', '.join(TASKS)}.")
        known = DEFAULT_PARAMS[task]
        for name, value in (overrides or {}).items():
            if name not in known:
                raise TrainingDataError(f"--param {task}.{name}: không có tham số này; các tham số: "
                                        f"{', '.join(sorted(known))}.")  # fmt: skip
            if problem := _value_problem(name, value):
                raise TrainingDataError(f"--param {task}.{name}={_shown(value)}: {problem}. Chưa huấn luyện gì.")
        try:
            pipeline = build_pipeline(task, overrides)
            clf = pipeline.named_steps["clf"]
            clf._svc()._validate_params()
            for _, vectorizer in pipeline.named_steps["features"].transformer_list:
                vectorizer._validate_params()
        except (InvalidParameterError, ValueError, TypeError) as exc:
            raise TrainingDataError(f"--param cho tác vụ {task}: giá trị không dùng được ({exc}). "
                                    "Chưa huấn luyện gì.") from exc  # fmt: skip


def _shown(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


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

"""Scores shared by training (cross-validation) and evaluation: one definition of every figure.

Macro-F1 averages over the classes present in the evaluated documents —
``f1_score(average="macro", labels=sorted(set(y_true)))`` — so a class the model predicts but the
corpus lacks does not drag it down, and one the corpus has but the model never predicts counts as 0.

Example
-------
>>> m = task_metrics(["a", "b", "b"], ["a", "b", "a"])
>>> m["n"], round(m["accuracy"], 3), round(m["macro_f1"], 3)
(3, 0.667, 0.667)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

REVIEW_PRECISION = 0.95  # accepted (not "cần xem xét") predictions should be right this often
_THRESHOLDS = np.round(np.arange(0.30, 0.91, 0.05), 2)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Weighted mean gap between confidence and accuracy over equal-width confidence bins."""
    if len(confidence) == 0:
        return float("nan")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(confidence[mask].mean() - correct[mask].mean())
    return float(total / len(confidence))


def reliability_bins(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append({"low": float(edges[b]), "high": float(edges[b + 1]), "n": int(mask.sum()),
                        "confidence": float(confidence[mask].mean()), "accuracy": float(correct[mask].mean())})
    return out


def task_metrics(y_true: Iterable[str], y_pred: Iterable[str], confidence: Iterable[float] | None = None,
                 threshold: float | None = None) -> dict[str, Any]:
    """n, accuracy, macro-F1, weighted F1, per-class P/R/F1, and calibration figures when confidences are given."""
    yt = np.asarray(list(y_true), dtype=object)
    yp = np.asarray(list(y_pred), dtype=object)
    out: dict[str, Any] = {"n": int(len(yt))}
    if len(yt) == 0:
        return out | {"accuracy": None, "macro_f1": None, "per_class": {}}
    labels = sorted(set(yt.tolist()))
    p, r, f, s = precision_recall_fscore_support(yt, yp, labels=labels, zero_division=0)
    out["accuracy"] = float((yt == yp).mean())
    out["macro_f1"] = float(f1_score(yt, yp, average="macro", labels=labels, zero_division=0))
    out["weighted_f1"] = float(f1_score(yt, yp, average="weighted", labels=labels, zero_division=0))
    out["per_class"] = {
        label: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])}
        for i, label in enumerate(labels)
    }
    if confidence is not None:
        conf = np.asarray(list(confidence), dtype=float)
        correct = (yt == yp).astype(float)
        out["ece"] = expected_calibration_error(conf, correct)
        out["mean_confidence"] = float(conf.mean())
        if threshold is not None:
            accepted = conf >= threshold
            out["review"] = {
                "threshold": float(threshold),
                "coverage": float(accepted.mean()),
                "accepted_accuracy": float(correct[accepted].mean()) if accepted.any() else None,
                "needs_review": int((~accepted).sum()),
            }
    return out


def confusion(y_true: Sequence[str], y_pred: Sequence[str]) -> tuple[list[str], list[list[int]]]:
    """(labels, counts[true][predicted]) over the labels that occur in either.

    Counted here rather than with scikit-learn's ``confusion_matrix``: an evaluation where one label is all
    there is (a five-type subset holding one plan, predicted right) is a valid 1×1 matrix, and that function
    warns about every 1×1 result unless ``labels`` lists labels that do not occur, which would only add empty
    rows and columns to the plot.
    """
    order = sorted(set(y_true) | set(y_pred))
    index = {label: i for i, label in enumerate(order)}
    matrix = [[0] * len(order) for _ in order]
    for true, guess in zip(y_true, y_pred, strict=True):
        matrix[index[true]][index[guess]] += 1
    return order, matrix


def choose_threshold(confidence: Sequence[float], correct: Sequence[bool], target: float = REVIEW_PRECISION) -> float:
    """The lowest confidence threshold whose accepted predictions reach ``target`` accuracy (cross-validated).

    Falls back to the threshold with the best accepted accuracy when none reaches it, and to 0.5 when
    there are too few predictions to tell.
    """
    conf = np.asarray(list(confidence), dtype=float)
    ok = np.asarray(list(correct), dtype=bool)
    if len(conf) < 20:
        return 0.5
    best, best_acc = 0.5, -1.0
    for t in _THRESHOLDS:
        accepted = conf >= t
        if accepted.sum() < max(5, 0.05 * len(conf)):
            break
        acc = float(ok[accepted].mean())
        if acc >= target:
            return float(t)
        if acc > best_acc:
            best, best_acc = float(t), acc
    return best

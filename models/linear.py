"""A linear SVM with temperature-scaled probabilities, one coefficient row per class (for explanations).

Why not ``CalibratedClassifierCV``: it keeps one SVM per fold, so there is no single coefficient vector to
explain a prediction with, and its sigmoid/isotonic fits break on classes with one or two examples (the
demo corpus has such classes). Temperature scaling learns one number on out-of-fold decision scores — it
cannot overfit a small class, and it keeps the ranking of the SVM. How well it calibrates is *measured*
(expected calibration error and a reliability diagram in ``vanban evaluate``), not assumed.

Example
-------
>>> import numpy as np
>>> X = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]] * 3)
>>> clf = CalibratedLinearSVC(calibration_folds=2).fit(X, ["a", "a", "b", "b"] * 3)
>>> clf.predict(np.array([[1.0, 0.0]]))[0]
'a'
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

# Used when there is too little data to fit a temperature: typical of LinearSVC margins on text, where a
# margin of ~1 separates the winner from the rest.
DEFAULT_TEMPERATURE = 0.35


class CalibratedLinearSVC(ClassifierMixin, BaseEstimator):
    """One-vs-rest LinearSVC; ``predict_proba`` is ``softmax(decision / temperature_)``.

    ``calibration_weight`` (a fit parameter) weighs rows in the temperature fit: training adds auxiliary
    examples (lexicon phrases, procedure names) that must shape the SVM but not the calibration.
    ``temperature``, when given, is used as is (training passes the one fitted on its cross-validation
    scores, which saves refitting the SVM ``calibration_folds`` times); ``calibration_folds=0`` skips
    calibration (cross-validation folds, which are calibrated together afterwards).
    """

    def __init__(self, C: float = 0.5, class_weight: Any = None, calibration_folds: int = 3,
                 temperature: float | None = None, tol: float = 1e-3, max_iter: int = 5000,
                 random_state: int = 0) -> None:
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.temperature = temperature
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state

    def _svc(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight=self.class_weight, tol=self.tol, max_iter=self.max_iter,
                         random_state=self.random_state)

    def fit(self, X: Any, y: Any, sample_weight: Any = None, calibration_weight: Any = None) -> CalibratedLinearSVC:
        y = np.asarray(y, dtype=object)
        if X.shape[0] != len(y):
            raise ValueError(f"X has {X.shape[0]} rows but y has {len(y)} labels")
        classes = np.array(sorted(set(y.tolist())), dtype=object)
        if len(classes) < 2:
            raise ValueError(f"need at least two classes to train, got {classes.tolist()}")
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        calib = np.ones(len(y)) if calibration_weight is None else np.asarray(calibration_weight, dtype=float)
        self.classes_ = classes
        self.coef_, self.intercept_ = self._fit_rows(X, y, weights, classes)
        self.n_features_in_ = X.shape[1]
        if self.temperature is not None:
            if not self.temperature > 0:
                raise ValueError(f"temperature must be positive, got {self.temperature}")
            self.temperature_, self.calibrated_ = float(self.temperature), True
        else:
            self.temperature_, self.calibrated_ = self._fit_temperature(X, y, weights, calib)
        return self

    def _fit_rows(self, X: Any, y: np.ndarray, weights: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coefficient and intercept rows for ``classes`` (rows of classes absent from ``y`` stay at -inf)."""
        present = sorted(set(y.tolist()))
        coef = np.zeros((len(classes), X.shape[1]))
        intercept = np.full(len(classes), -1e3)  # a class never seen in this fold must not win
        index = {c: i for i, c in enumerate(classes)}
        if len(present) == 1:
            intercept[index[present[0]]] = 0.0
            return coef, intercept
        svc = self._svc().fit(X, y, sample_weight=weights)
        if len(svc.classes_) == 2:
            # Binary SVMs keep one row; split it so each class has its own (softmax of ±d/2 = sigmoid of d).
            rows = np.vstack([-svc.coef_[0] / 2, svc.coef_[0] / 2])
            icpt = np.array([-svc.intercept_[0] / 2, svc.intercept_[0] / 2])
        else:
            rows, icpt = svc.coef_, svc.intercept_
        for row, b, label in zip(rows, icpt, svc.classes_, strict=True):
            coef[index[label]] = row
            intercept[index[label]] = b
        return coef, intercept

    def _folds(self, y: np.ndarray) -> np.ndarray | None:
        """Stratified fold numbers built by hand: classes smaller than the fold count are allowed."""
        k = min(self.calibration_folds, len(y) // 2)
        if k < 2:
            return None
        rng = np.random.RandomState(self.random_state)
        folds = np.empty(len(y), dtype=int)
        offset = 0
        for label in sorted(set(y.tolist())):
            members = np.flatnonzero(y == label)
            rng.shuffle(members)
            folds[members] = (np.arange(len(members)) + offset) % k
            offset += len(members)  # rotate so that singletons do not all land in fold 0
        return folds

    def _fit_temperature(self, X: Any, y: np.ndarray, weights: np.ndarray, calib: np.ndarray) -> tuple[float, bool]:
        folds = self._folds(y) if self.calibration_folds >= 2 else None
        if folds is None:
            return DEFAULT_TEMPERATURE, False
        scores = np.zeros((len(y), len(self.classes_)))
        seen = np.zeros(len(y), dtype=bool)  # was the row's class in its fold's training part?
        for k in np.unique(folds):
            train, test = folds != k, folds == k
            present = set(y[train].tolist())
            if len(present) < 2:
                return DEFAULT_TEMPERATURE, False
            coef, icpt = self._fit_rows(X[train], y[train], weights[train], self.classes_)
            scores[test] = X[test] @ coef.T + icpt
            seen[test] = [label in present for label in y[test]]
        index = {c: i for i, c in enumerate(self.classes_)}
        target = np.array([index[label] for label in y])
        mask = (calib > 0) & seen
        if mask.sum() < 2:
            return DEFAULT_TEMPERATURE, False
        return fit_temperature(scores[mask], target[mask], calib[mask]), True

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        return np.asarray(X @ self.coef_.T + self.intercept_)

    def predict_proba(self, X: Any) -> np.ndarray:
        return probabilities(self.decision_function(X), self.temperature_)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]


def fit_temperature(scores: np.ndarray, target: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The temperature minimising the (weighted) log loss of ``softmax(scores / T)`` for the true classes."""
    w = np.ones(len(target)) if weights is None else np.asarray(weights, dtype=float)
    rows = np.arange(len(target))

    def nll(log_t: float) -> float:
        logp = log_softmax(scores / np.exp(log_t), axis=1)
        return float(-(w * logp[rows, target]).sum() / w.sum())

    best = minimize_scalar(nll, bounds=(np.log(0.02), np.log(5.0)), method="bounded")
    return float(np.exp(best.x))


def probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of decision scores at a temperature (shared by the classifier and blended scores)."""
    return softmax(np.asarray(scores) / temperature, axis=1)

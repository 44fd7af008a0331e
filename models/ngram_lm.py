"""A per-class syllable n-gram language-model classifier (Vu et al., RIVF 2007; Peng et al., 2003).

Each class ``c`` gets its own smoothed n-gram model of lower-cased syllables; a document goes to
``argmax_c log P(c) + sum_i log P(w_i | w_{i-n+1..i-1}, c)``. Unlike a bag of n-grams in a linear model,
the language model scores every syllable *in its context* and backs off to shorter contexts smoothly,
which is what lifts it above TF-IDF + SVM on long news texts.

Smoothing is interpolated Kneser-Ney (lower orders count distinct left contexts, not occurrences) or,
with ``kneser_ney=False``, interpolated absolute discounting on raw counts. The unigram level is
interpolated with a uniform distribution over the training vocabulary plus one unknown-word slot, so a
syllable never seen in training gets a small, finite probability in every class (no ``-inf``).

Speed: n-grams are packed into int64 keys (``id_1 * V^(k-1) + ... + id_k``); fitting computes, per order,
a dense ``(n-gram types × classes)`` table of discounted probabilities and a ``(histories × classes)``
table of back-off weights. Scoring looks every position up with ``np.searchsorted`` and sums log
probabilities per document with ``np.add.reduceat`` — no Python loop over classes or n-grams.

Example
-------
>>> clf = NgramLMClassifier(order=2).fit([["giá", "vàng", "tăng"], ["đội", "tuyển", "thắng"]], ["kt", "tt"])
>>> clf.predict([["giá", "vàng", "giảm"]]).tolist()
['kt']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

UNK, BOS = 0, 1  # reserved ids (never in ``vocabulary_``): unknown syllable, start-of-document padding
_RESERVED = 2
_BATCH_DOCS = 2_000  # documents scored at once: ~1M news syllables, ~100 MB per table lookup


def _tokens(doc: object, lowercase: bool) -> Sequence[str]:
    """The syllables of an :class:`~models.features.AnalyzedText` or a sequence of tokens."""
    syllables = getattr(doc, "syllables", None)
    if syllables is not None:
        return syllables  # already lower-cased by the analyser
    if isinstance(doc, str) or not isinstance(doc, Sequence):
        raise TypeError(
            f"expected an AnalyzedText or a sequence of syllables, got {type(doc).__name__}; "
            "put models.features.Analyze before this step to classify raw strings"
        )
    return [t.lower() for t in doc] if lowercase else doc


def _lookup(sorted_keys: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row of each key in ``sorted_keys`` (clipped) and whether it is really there."""
    if sorted_keys.size == 0:
        return np.zeros(keys.shape, dtype=np.int64), np.zeros(keys.shape, dtype=bool)
    rows = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return rows, sorted_keys[rows] == keys


class NgramLMClassifier(ClassifierMixin, BaseEstimator):
    """Naive-Bayes over per-class n-gram language models of syllables.

    Parameters
    ----------
    order : int
        n of the n-grams (1 = unigram model, 2 = bigrams, 3 = trigrams).
    discount : float or None
        Absolute discount ``D`` in (0, 1) subtracted from every seen n-gram count; ``None`` estimates it
        per order and class as ``n1 / (n1 + 2 n2)`` from the counts of counts (Ney et al., 1994).
    kneser_ney : bool
        Lower orders use continuation counts (interpolated Kneser-Ney) instead of raw counts.
    modified : bool
        With ``discount=None``: modified Kneser-Ney, three discounts (counts 1, 2, 3+) per order and class.
    background : bool
        The class unigram model backs off to the unigram model of all classes together (itself smoothed
        with the uniform distribution) rather than straight to the uniform one: a syllable common in the
        corpus but unseen in one class then costs that class less than a truly rare syllable.
    fit_prior : bool
        Add ``log P(c)`` from the class frequencies; otherwise the classes are equally likely a priori.
    lowercase : bool
        Lower-case token sequences (analysed texts are lower case already).

    ``predict_proba`` is a softmax over the per-class log joint probability divided by the number of
    syllables (the mean log probability per syllable): the exact posterior of a long document is 0/1 to
    machine precision, the per-syllable view keeps a usable ranking and has the same argmax as ``predict``.
    """

    def __init__(self, order: int = 3, discount: float | None = None, kneser_ney: bool = True,
                 modified: bool = False, background: bool = False, fit_prior: bool = True,
                 lowercase: bool = True) -> None:
        self.order = order
        self.discount = discount
        self.kneser_ney = kneser_ney
        self.modified = modified
        self.background = background
        self.fit_prior = fit_prior
        self.lowercase = lowercase

    # ---------------------------------------------------------------- encoding
    def _encode(self, X: Iterable[object], grow: bool) -> tuple[np.ndarray, np.ndarray]:
        """Concatenated ids, each document preceded by ``order - 1`` BOS, and each document's length."""
        vocab = self.vocabulary_
        pad = [BOS] * (self.order - 1)
        ids: list[int] = []
        lengths: list[int] = []
        for doc in X:
            toks = _tokens(doc, self.lowercase)
            if grow:
                for t in toks:
                    if t not in vocab:
                        vocab[t] = len(vocab) + _RESERVED
            ids.extend(pad)
            ids.extend([vocab.get(t, UNK) for t in toks])
            lengths.append(len(toks))
        return np.asarray(ids, dtype=np.int64), np.asarray(lengths, dtype=np.int64)

    def _keys(self, seq: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """Positions of the real syllables in ``seq`` and, per order k, the key of the k-gram ending there."""
        pad = self.order - 1
        starts = np.cumsum(lengths + pad) - lengths  # first real position of every document
        real = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + np.arange(lengths.sum())
        keys = [seq[real]]
        size = np.int64(self.n_ids_)
        for k in range(1, self.order):  # padding guarantees real - k stays inside the same document
            keys.append(seq[real - k] * size ** k + keys[-1])
        return real, keys

    # ---------------------------------------------------------------- fitting
    def fit(self, X: Iterable[object], y: Sequence[Any]) -> NgramLMClassifier:
        if not isinstance(self.order, int | np.integer) or self.order < 1:
            raise ValueError(f"order must be an integer >= 1, got {self.order!r}")
        if self.discount is not None and not 0.0 < float(self.discount) < 1.0:
            raise ValueError(f"discount must be in (0, 1) or None, got {self.discount!r}")
        docs = list(X)
        labels = np.asarray(y)
        if len(docs) != len(labels) or not docs:
            raise ValueError(f"X and y must be non-empty and of equal length ({len(docs)} vs {len(labels)})")
        self.classes_, doc_class = np.unique(labels, return_inverse=True)
        n_classes = len(self.classes_)
        self.vocabulary_: dict[str, int] = {}
        seq, lengths = self._encode(docs, grow=True)
        self.n_ids_ = len(self.vocabulary_) + _RESERVED  # syllables plus <unk> and <s>
        if self.n_ids_ ** self.order >= 2 ** 62:
            raise ValueError("vocabulary too large for int64 n-gram keys at this order")
        _, keys = self._keys(seq, lengths)
        pos_class = np.repeat(doc_class, lengths)
        counts = self.class_count_ = np.bincount(doc_class, minlength=n_classes).astype(np.float64)
        self.class_log_prior_ = np.log(counts / counts.sum()) if self.fit_prior else np.zeros(n_classes)

        size = np.int64(self.n_ids_)
        self.ngrams_: list[np.ndarray] = []  # per order: sorted keys of seen n-grams
        self.histories_: list[np.ndarray] = []  # per order: sorted keys of seen histories
        self.alpha_: list[np.ndarray] = []  # per order: discounted probability of each n-gram, per class
        self.gamma_: list[np.ndarray] = []  # per order: back-off weight of each history, per class
        self.discounts_: list[np.ndarray] = []
        raw: list[np.ndarray] = []
        for k in range(self.order):
            grams, inv = np.unique(keys[k], return_inverse=True)
            self.ngrams_.append(grams)
            # float32 is exact for counts below 2^24 per n-gram and class, and halves the trigram tables.
            raw.append(np.bincount(inv * n_classes + pos_class, minlength=grams.size * n_classes)
                       .reshape(grams.size, n_classes).astype(np.float32))
        del keys, pos_class, seq
        for k in range(self.order):
            table = raw[k]
            if self.kneser_ney and k < self.order - 1:
                # Continuation count: in how many distinct contexts (k+2-grams types) this k+1-gram follows.
                suffix, _ = _lookup(self.ngrams_[k], self.ngrams_[k + 1] % size ** (k + 1))
                seen = raw[k + 1] > 0
                table = np.stack([np.bincount(suffix, weights=seen[:, c], minlength=table.shape[0])
                                  for c in range(n_classes)], axis=1).astype(np.float32)
                del seen
            if k == 0:
                self.base_ = self._base(table)
            self._fit_order(k, table, size)
            raw[k] = np.empty((0, n_classes), dtype=np.float32)  # no longer needed: free it early
        return self

    def _base(self, unigrams: np.ndarray) -> np.ndarray:
        """What the class unigram models back off to, by syllable id: uniform or the all-class unigram."""
        uniform = 1.0 / (self.n_ids_ - 1)  # every id but BOS can be predicted
        base = np.full(self.n_ids_, uniform)
        base[BOS] = 0.0
        if not self.background:
            return base
        total = unigrams.sum(axis=1, dtype=np.float64)
        d = self._discount(total[:, None])[0]
        base *= d * np.count_nonzero(total) / total.sum()  # the mass discounting frees goes to uniform
        base[self.ngrams_[0]] += np.maximum(total - d, 0.0) / total.sum()
        return base

    @staticmethod
    def _modified_discounts(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """D1, D2, D3+ per class from the counts of counts n1..n4, each kept inside (0, its count)."""
        n = [np.maximum((table == i).sum(axis=0), 1).astype(np.float64) for i in range(1, 5)]
        y = n[0] / (n[0] + 2 * n[1])
        return (np.clip(1 - 2 * y * n[1] / n[0], 0.05, 0.95), np.clip(2 - 3 * y * n[2] / n[1], 0.05, 1.95),
                np.clip(3 - 4 * y * n[3] / n[2], 0.05, 2.95))

    def _discount(self, table: np.ndarray) -> np.ndarray:
        """D per class: fixed, or n1 / (n1 + 2 n2) (0.5 when the counts say nothing), kept in [0.05, 0.95]."""
        if self.discount is not None:
            return np.full(table.shape[1], float(self.discount))
        n1, n2 = (table == 1).sum(axis=0), (table == 2).sum(axis=0)
        d = np.where(n1 + 2 * n2 > 0, n1 / np.maximum(n1 + 2 * n2, 1), 0.5)
        return np.clip(d, 0.05, 0.95)

    def _fit_order(self, k: int, table: np.ndarray, size: np.int64) -> None:
        """Discounted probabilities and back-off weights of order ``k + 1`` from its count ``table``."""
        if k == 0:
            hist, inv = np.zeros(1, dtype=np.int64), np.zeros(table.shape[0], dtype=np.int64)
        else:
            hist, inv = np.unique(self.ngrams_[k] // size, return_inverse=True)
        d = self._discount(table)
        if self.modified and self.discount is None:  # D1, D2, D3+ by count (Chen & Goodman, 1998)
            d = np.vstack(self._modified_discounts(table))
            taken = np.select([table == 1, table == 2, table >= 3], list(d.astype(np.float32)), np.float32(0))
        else:
            taken = np.where(table > 0, d.astype(np.float32), np.float32(0))
        total = np.stack([np.bincount(inv, weights=table[:, c], minlength=hist.size)
                          for c in range(table.shape[1])], axis=1)
        freed = np.stack([np.bincount(inv, weights=taken[:, c], minlength=hist.size)
                          for c in range(table.shape[1])], axis=1)
        safe = np.maximum(total, 1.0)  # counts are whole numbers: a history seen in a class has total >= 1
        alpha = table - taken  # 0 where the n-gram is not seen in the class
        del taken
        alpha /= safe.astype(np.float32)[inv]
        # Mass taken by discounting goes to the lower order; an unseen history passes everything down.
        gamma = np.where(total > 0, freed / safe, 1.0)
        if k == 0:  # dense over the vocabulary, so a unigram is looked up by its id directly
            dense = np.zeros((self.n_ids_, table.shape[1]), dtype=np.float32)
            dense[self.ngrams_[0]] = alpha
            alpha = dense
        self.histories_.append(hist)
        self.alpha_.append(alpha)
        self.gamma_.append(gamma.astype(np.float32))
        self.discounts_.append(d)

    # ---------------------------------------------------------------- scoring
    def _log_likelihood(self, X: Iterable[object]) -> tuple[np.ndarray, np.ndarray]:
        """Per-document, per-class sum of log P(syllable | context, class), and the document lengths."""
        check_is_fitted(self, "alpha_")
        docs = list(X)
        scores, lengths = [], []
        for start in range(0, len(docs), _BATCH_DOCS):  # bounded memory whatever the size of X
            seq, doc_len = self._encode(docs[start : start + _BATCH_DOCS], grow=False)
            _, keys = self._keys(seq, doc_len)
            out = np.zeros((doc_len.size, len(self.classes_)))
            nonempty = doc_len > 0
            if nonempty.any():
                logp = np.log(self._probabilities(keys))
                offsets = np.cumsum(np.r_[0, doc_len[:-1]])[nonempty]
                out[nonempty] = np.add.reduceat(logp, offsets, axis=0)
            scores.append(out)
            lengths.append(doc_len)
        if not scores:
            return np.zeros((0, len(self.classes_))), np.zeros(0, dtype=np.int64)
        return np.concatenate(scores), np.concatenate(lengths)

    def _probabilities(self, keys: list[np.ndarray]) -> np.ndarray:
        """P(w_i | context, class) for every position, shape (positions, classes), interpolated upwards."""
        size = np.int64(self.n_ids_)
        prob = self.alpha_[0][keys[0]].astype(np.float64) + self.gamma_[0][0] * self.base_[keys[0]][:, None]
        for k in range(1, self.order):
            rows, found = _lookup(self.ngrams_[k], keys[k])
            hrows, hfound = _lookup(self.histories_[k], keys[k] // size)
            gamma = np.where(hfound[:, None], self.gamma_[k][hrows], 1.0)
            prob = np.where(found[:, None], self.alpha_[k][rows], 0.0) + gamma * prob
        return prob

    def decision_function(self, X: Iterable[object]) -> np.ndarray:
        """Log joint probability ``log P(c) + log P(document | c)`` per class."""
        loglik, _ = self._log_likelihood(X)
        return loglik + self.class_log_prior_

    def predict(self, X: Iterable[object]) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]

    def predict_proba(self, X: Iterable[object]) -> np.ndarray:
        """Softmax of the log joint probability per syllable (see the class docstring)."""
        loglik, lengths = self._log_likelihood(X)
        scores = (loglik + self.class_log_prior_) / np.maximum(lengths, 1)[:, None]
        scores -= scores.max(axis=1, keepdims=True)
        proba = np.exp(scores)
        return proba / proba.sum(axis=1, keepdims=True)

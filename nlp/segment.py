"""Vietnamese word segmentation: underthesea's CRF segmenter, driven in batches.

:func:`segment` gives exactly what ``underthesea.word_tokenize(text)`` gives. :func:`segment_batch` gives the
same for many texts, but loads the model once, reuses results for repeated texts (administrative boilerplate
repeats a lot) and can fan the work out over processes. Nothing here downloads anything: the CRF model ships
inside the underthesea wheel.

Example
-------
>>> segment("Kế hoạch triển khai công tác phòng chống dịch")
['Kế hoạch', 'triển khai', 'công tác', 'phòng chống', 'dịch']
"""

from __future__ import annotations

import multiprocessing
import os
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import underthesea

UNDERTHESEA_VERSION: str = underthesea.__version__
_MODEL_NAME = "ws_crf_vlsp2013_20230727"


class Segmenter:
    """Holds underthesea's CRF model and an LRU cache of segmented texts.

    One instance per process; it is cheap to keep and not thread-safe for concurrent writes to the cache
    (the service gives each worker thread its own via :func:`default_segmenter` under the GIL, where a
    dict update is atomic, so the worst case is a duplicated computation).
    """

    def __init__(self, cache_size: int = 200_000) -> None:
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._tagger: Any = None
        self._featurizer: Any = None

    def _load(self) -> None:
        from os.path import dirname, join

        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
        from underthesea.pipeline import word_tokenize as wt_module

        tagger = FastCRFSequenceTagger()
        tagger.load(join(dirname(wt_module.__file__), "models", _MODEL_NAME))
        self._featurizer = tagger.featurizer
        self._tagger = tagger.estimator

    def _segment_uncached(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

        if self._tagger is None:
            self._load()
        token_lists = [tokenize(text, use_token_normalize=True, fixed_words=[]) for text in texts]
        featurize = self._featurizer.process
        features = [featurize([[[tok] for tok in toks]])[0] for toks in token_lists]
        out: list[tuple[str, ...]] = []
        for tokens, feats in zip(token_lists, features, strict=True):
            tags = self._tagger.tag(feats) if tokens else []
            words: list[str] = []
            for index, (tag, token) in enumerate(zip(tags, tokens, strict=True)):
                if tag == "I-W" and index > 0:
                    words[-1] = words[-1] + " " + token
                else:
                    words.append(token)
            out.append(tuple(words))
        return out

    def segment_many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Segment ``texts`` in this process, using and filling the cache."""
        results: list[tuple[str, ...] | None] = [None] * len(texts)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                results[i] = hit
            else:
                missing.setdefault(text, []).append(i)
        if missing:
            unique = list(missing)
            for text, words in zip(unique, self._segment_uncached(unique), strict=True):
                self._remember(text, words)
                for i in missing[text]:
                    results[i] = words
        return [r if r is not None else () for r in results]

    def _remember(self, text: str, words: tuple[str, ...]) -> None:
        if self.cache_size <= 0:
            return
        self._cache[text] = words
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        self._cache.clear()


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The process-wide segmenter (``default_segmenter.cache_clear()`` resets it, e.g. in tests)."""
    return Segmenter()


def segment(text: str) -> list[str]:
    """Words of ``text`` exactly as ``underthesea.word_tokenize(text)`` returns them."""
    return list(default_segmenter().segment_many([text])[0])


# Work below this many characters is not worth starting worker processes for.
_PARALLEL_MIN_CHARS = 200_000


def _worker_segment(texts: list[str]) -> list[tuple[str, ...]]:
    return default_segmenter().segment_many(texts)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def segment_batch(
    texts: Sequence[str], workers: int | None = None, parallel_threshold: int = _PARALLEL_MIN_CHARS
) -> list[list[str]]:
    """Segment many texts; output identical to ``[segment(t) for t in texts]``.

    Repeated texts are segmented once. With ``workers`` > 1 (default: all cores) and enough text, unique
    texts are split across a process pool; each worker keeps its own model and cache. Batches smaller than
    ``parallel_threshold`` characters stay in this process, where a pool would cost more than it saves.
    """
    segmenter = default_segmenter()
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    cached = {t: segmenter._cache[t] for t in set(texts) if t in segmenter._cache}
    unique = [t for t in dict.fromkeys(texts) if t not in cached]
    if workers > 1 and unique and sum(map(len, unique)) >= parallel_threshold:
        size = max(64, len(unique) // (workers * 8) + 1)
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(workers) as pool:
            for chunk, words in zip(
                _chunks(unique, size), pool.imap(_worker_segment, _chunks(unique, size)), strict=True
            ):
                for text, w in zip(chunk, words, strict=True):
                    segmenter._remember(text, w)
                    cached[text] = w
    elif unique:
        for text, w in zip(unique, segmenter.segment_many(unique), strict=True):
            cached[text] = w
    return [list(cached[t]) for t in texts]

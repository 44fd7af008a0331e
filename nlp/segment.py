"""Vietnamese word segmentation: underthesea's CRF segmenter, reimplemented exactly and run in batches.

:func:`segment` gives exactly what ``underthesea.word_tokenize(text)`` gives. :func:`segment_batch` gives the
same for many texts, but reuses results for repeated texts (administrative boilerplate repeats a lot) and can
fan the work out over processes. Nothing here downloads anything: the CRF model ships inside the underthesea
wheel.

Why it is fast: underthesea spends most of its time building 43 feature strings per token in Rust and
handing them to Python and back, then tries its ~40 tokenizer alternatives at every character. Here
(:mod:`nlp.segment_fast`) tokens come from an equivalent form of its regex that takes plain words in one
step, :mod:`nlp.crf_features` scores a whole batch with array lookups (weights read from the model file by
:mod:`nlp.crf_model`, per-token facts from :mod:`nlp.crf_tokens`) and a two-label Viterbi repeats the
tagger's float operations exactly. Where that path cannot be exact (a token containing a space,
underthesea's tokenizer regex replaced by a ``fixed_words`` call, a model it does not recognise) the text
goes through ``underthesea.word_tokenize`` itself.

Example
-------
>>> segment("Kế hoạch triển khai công tác phòng chống dịch")
['Kế hoạch', 'triển khai', 'công tác', 'phòng chống', 'dịch']
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import underthesea

from nlp.crf_features import UnsupportedFeatures
from nlp.crf_model import CRFModelError
from nlp.forkpool import can_fork, chunk_by_size, chunk_size, fork_map
from nlp.segment_fast import FastSegmenter, model_dir

UNDERTHESEA_VERSION: str = underthesea.__version__
_log = logging.getLogger(__name__)


class Segmenter:
    """The fast exact segmenter plus an LRU cache of segmented texts.

    One instance per process (see :func:`default_segmenter`). Methods are safe to call from several threads:
    the token tables grow under one lock, the cache changes under another.

    The cache is bounded by entries (``cache_size``) and by the characters of its texts (``cache_chars``): an
    entry with its words costs ~20 bytes a character, so that 200,000 news paragraphs would have held over a
    gigabyte in a long-running service worker. What repeats in administrative text (header and signature
    lines, "Nơi nhận:", summaries) is short; a text longer than 1% of the budget is not cached at all.
    """

    def __init__(
        self, cache_size: int = 200_000, batch_chars: int = 400_000, cache_chars: int = 4_000_000
    ) -> None:
        self.cache_size = cache_size
        self.cache_chars = cache_chars
        self.batch_chars = batch_chars
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._cached_chars = 0
        self._fast: FastSegmenter | None = None
        self._fast_failed = False
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()

    def load(self) -> None:
        """Load the model now (before forking workers, so that they share it)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> None:
        if self._fast is None and not self._fast_failed:
            try:
                self._fast = FastSegmenter(model_dir())
            except (CRFModelError, UnsupportedFeatures, OSError) as exc:
                self._fast_failed = True
                _log.warning("fast word segmentation unavailable (%s); using underthesea.word_tokenize", exc)

    def _segment_uncached(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"segment expects str, got {type(text).__name__}")
        results: list[tuple[str, ...] | None] = [None] * len(texts)
        with self._lock:
            self._load_locked()
            fast = self._fast
            if fast is not None:
                for batch in _batches(range(len(texts)), texts, self.batch_chars):
                    try:
                        found = fast.segment([texts[i] for i in batch])
                    except Exception:
                        # A bug here must not cost correctness: log it loudly, start the token tables
                        # afresh and let underthesea itself segment this batch.
                        _log.exception("fast word segmentation failed; using underthesea.word_tokenize")
                        fast._reset()
                        continue
                    for i, words in zip(batch, found, strict=True):
                        results[i] = words
        return [
            words if words is not None else tuple(underthesea.word_tokenize(text))
            for text, words in zip(texts, results, strict=True)
        ]

    def segment_many(self, texts: Sequence[str]) -> list[tuple[str, ...]]:
        """Segment ``texts`` in this process, using and filling the cache."""
        results: list[tuple[str, ...] | None] = [None] * len(texts)
        missing: dict[str, list[int]] = {}
        with self._cache_lock:
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

    def cached(self, text: str) -> tuple[str, ...] | None:
        """The cached words of ``text``, if any (does not refresh its place in the LRU order)."""
        return self._cache.get(text)

    def _remember(self, text: str, words: tuple[str, ...]) -> None:
        if self.cache_size <= 0 or len(text) > self.cache_chars // 100:
            return
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return
            self._cache[text] = words
            self._cached_chars += len(text)
            while self._cache and (len(self._cache) > self.cache_size or self._cached_chars > self.cache_chars):
                old, _ = self._cache.popitem(last=False)
                self._cached_chars -= len(old)

    def replace_locks(self) -> None:
        """Fresh locks (in a forked process: the fork copied them in whatever state another thread held them)."""
        self._lock, self._cache_lock = threading.Lock(), threading.Lock()

    def cache_stats(self) -> tuple[int, int]:
        """(entries, characters of their texts) in the cache."""
        with self._cache_lock:
            return len(self._cache), self._cached_chars

    def clear_cache(self) -> None:
        """Forget cached texts and learned tokens (the model stays loaded)."""
        with self._cache_lock:
            self._cache.clear()
            self._cached_chars = 0
        with self._lock:
            if self._fast is not None:
                self._fast._reset()


def _batches(indices: Iterable[int], texts: Sequence[str], max_chars: int) -> Iterable[list[int]]:
    batch: list[int] = []
    size = 0
    for i in indices:
        batch.append(i)
        size += len(texts[i])
        if size >= max_chars:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The process-wide segmenter (``default_segmenter.cache_clear()`` resets it, e.g. in tests)."""
    return Segmenter()


def segment(text: str) -> list[str]:
    """Words of ``text`` exactly as ``underthesea.word_tokenize(text)`` returns them."""
    return list(default_segmenter().segment_many([text])[0])


# Work below this many characters is not worth starting worker processes for.
PARALLEL_MIN_CHARS = 200_000
# Words travel back from workers as one string per text, joined by a character no word contains.
_SEP = "\x00"


def _pack(results: Sequence[tuple[str, ...]]) -> list[str | tuple[str, ...]]:
    return [pack_strings(words) for words in results]


def _unpack(packed: Sequence[str | tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [tuple(unpack_strings(p)) for p in packed]


def pack_strings(strings: Sequence[str]) -> str | tuple[str, ...]:
    """``strings`` as one string when the separator occurs in none of them (cheap to send to a process)."""
    joined = _SEP.join(strings)
    if joined.count(_SEP) != max(0, len(strings) - 1) or (strings and not joined):  # [""] would read as []
        return tuple(strings)
    return joined


def unpack_strings(packed: str | Sequence[str]) -> list[str]:
    """The inverse of :func:`pack_strings`."""
    if not isinstance(packed, str):
        return list(packed)
    return packed.split(_SEP) if packed else []


def reset_after_fork() -> None:
    """In a forked worker: fresh locks for the process-wide segmenter.

    The fork copied its locks as they were at that moment, possibly held by another thread of the parent.
    """
    default_segmenter().replace_locks()


def _segment_parallel(segmenter: Segmenter, unique: list[str], workers: int) -> dict[str, tuple[str, ...]]:
    """Segment ``unique`` with this process and ``workers - 1`` forked ones sharing a queue of chunks."""
    chunks = chunk_by_size(unique, chunk_size(sum(map(len, unique)), workers))
    results = fork_map(
        segmenter.segment_many, chunks, workers, encode=_pack, decode=_unpack, child_init=reset_after_fork
    )
    out: dict[str, tuple[str, ...]] = {}
    for chunk, words_list in zip(chunks, results, strict=True):
        for text, words in zip(chunk, words_list, strict=True):
            segmenter._remember(text, words)  # workers' results, for the next batches of this process
            out[text] = words
    return out


def segment_batch(
    texts: Sequence[str], workers: int | None = None, parallel_threshold: int = PARALLEL_MIN_CHARS
) -> list[list[str]]:
    """Segment many texts; output identical to ``[segment(t) for t in texts]``.

    Repeated texts are segmented once, and texts seen before come from the cache. With ``workers`` > 1
    (default: all cores) and at least ``parallel_threshold`` characters of new text, this process and
    ``workers - 1`` forked ones (which start from this process's loaded model) take chunks of the texts from
    a shared counter until none are left; smaller batches stay in this process, where starting a worker
    would cost more than it saves.

    Example
    -------
    >>> segment_batch(["Về việc tăng cường phòng, chống dịch bệnh"] * 2, workers=1)[1]
    ['Về', 'việc', 'tăng cường', 'phòng', ',', 'chống', 'dịch bệnh']
    """
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"segment_batch expects str texts, got {type(text).__name__}")
    segmenter = default_segmenter()
    workers = (os.cpu_count() or 1) if workers is None else max(1, workers)
    cached: dict[str, tuple[str, ...]] = {}
    unique: list[str] = []
    for text in dict.fromkeys(texts):
        hit = segmenter.cached(text)
        if hit is not None:
            cached[text] = hit
        else:
            unique.append(text)
    if workers > 1 and can_fork() and unique and sum(map(len, unique)) >= parallel_threshold:
        segmenter.load()  # before forking, so that workers inherit the model
        cached.update(_segment_parallel(segmenter, unique, workers))
    elif unique:
        cached.update(zip(unique, segmenter.segment_many(unique), strict=True))
    return [list(cached[t]) for t in texts]

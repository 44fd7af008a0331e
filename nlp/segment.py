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

import contextlib
import gc
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import underthesea

from nlp.crf_features import UnsupportedFeatures
from nlp.crf_model import CRFModelError
from nlp.segment_fast import FastSegmenter, model_dir

UNDERTHESEA_VERSION: str = underthesea.__version__
_log = logging.getLogger(__name__)


class Segmenter:
    """The fast exact segmenter plus an LRU cache of segmented texts.

    One instance per process (see :func:`default_segmenter`). Methods are safe to call from several threads:
    the token tables grow under one lock, the cache changes under another.
    """

    def __init__(self, cache_size: int = 200_000, batch_chars: int = 400_000) -> None:
        self.cache_size = cache_size
        self.batch_chars = batch_chars
        self._cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
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
        if self.cache_size <= 0:
            return
        with self._cache_lock:
            self._cache[text] = words
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        """Forget cached texts and learned tokens (the model stays loaded)."""
        with self._cache_lock:
            self._cache.clear()
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
# Words travel back from workers as one string per text, joined by a character no such text contains.
_SEP = "\x00"


def _pack(texts: Sequence[str], results: Sequence[tuple[str, ...]]) -> list[str | tuple[str, ...]]:
    return [
        _SEP.join(words) if _SEP not in text else words for text, words in zip(texts, results, strict=True)
    ]


def _unpack(packed: str | tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(packed, tuple):
        return packed
    return tuple(packed.split(_SEP)) if packed else ()


def _chunks(texts: list[str], chars: int) -> list[list[str]]:
    """Consecutive runs of ``texts`` of about ``chars`` characters each."""
    chunks: list[list[str]] = [[]]
    size = 0
    for text in texts:
        if size >= chars:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text)
    return chunks


def _claim(counter: Any) -> int:
    with counter.get_lock():
        index = int(counter.value)
        counter.value = index + 1
    return index


def _child_main(conn: Any, counter: Any, chunks: list[list[str]]) -> None:
    """A worker: claim chunks until none are left, then send all results at once.

    Sending once at the end keeps the worker from blocking on a full pipe while the parent is busy with its
    own chunks.
    """
    segmenter = default_segmenter()
    # The fork copied the parent's lock as it was; another parent thread may have held it.
    segmenter._lock, segmenter._cache_lock = threading.Lock(), threading.Lock()
    done: dict[int, list[str | tuple[str, ...]]] = {}
    try:
        while (index := _claim(counter)) < len(chunks):
            done[index] = _pack(chunks[index], segmenter.segment_many(chunks[index]))
        conn.send(done)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work
        with contextlib.suppress(Exception):
            conn.send(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _segment_parallel(segmenter: Segmenter, unique: list[str], workers: int) -> dict[str, tuple[str, ...]]:
    """Segment ``unique`` with this process and ``workers - 1`` forked ones sharing a queue of chunks."""
    chunks = _chunks(unique, max(20_000, sum(map(len, unique)) // (workers * 6)))
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    counter = ctx.Value("q", 0)
    children = []
    # Objects that exist at the fork stay out of the workers' garbage collections, so that a collection
    # does not write to (and copy) every page inherited from this process (the gc.freeze recipe).
    gc.freeze()
    try:
        for _ in range(workers - 1):
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child_main, args=(send, counter, chunks), daemon=True)
            process.start()
            send.close()
            children.append((process, receive))
    finally:
        gc.unfreeze()
    results: dict[int, Sequence[tuple[str, ...]]] = {}
    try:
        while (index := _claim(counter)) < len(chunks):
            results[index] = segmenter.segment_many(chunks[index])
        for process, receive in children:
            try:
                message = receive.recv()
            except EOFError:
                message = f"worker exited with code {process.exitcode}"
            if isinstance(message, str):
                _log.warning("segmentation worker failed (%s); redoing its share here", message)
                continue
            for index, packed in message.items():
                words = [_unpack(p) for p in packed]
                for text, w in zip(chunks[index], words, strict=True):
                    segmenter._remember(text, w)
                results[index] = words
    finally:
        for process, receive in children:
            receive.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    out: dict[str, tuple[str, ...]] = {}
    for index, chunk in enumerate(chunks):
        words_list = results.get(index)
        if words_list is None:  # claimed by a worker that failed
            words_list = segmenter.segment_many(chunk)
        out.update(zip(chunk, words_list, strict=True))
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
    # A daemonic process (say, a worker of someone else's pool) may not start processes of its own.
    can_fork = not multiprocessing.current_process().daemon
    if workers > 1 and can_fork and unique and sum(map(len, unique)) >= parallel_threshold:
        segmenter.load()  # before forking, so that workers inherit the model
        cached.update(_segment_parallel(segmenter, unique, workers))
    elif unique:
        cached.update(zip(unique, segmenter.segment_many(unique), strict=True))
    return [list(cached[t]) for t in texts]

"""Fan chunks of work out over forked processes that share one queue, for batch text analysis.

Forked workers start from this process's memory: a loaded model (the segmenter's CRF tables) is shared, not
copied or reloaded, which is why this is not a :class:`multiprocessing.Pool` (whose workers outlive the call
and would not see a model loaded later). The parent works too, so ``workers`` processes are busy in all.

Chunks are claimed through a shared counter, so a process that finishes early takes the next chunk; each
worker sends all its results once, at the end, so that it never blocks on a full pipe while the parent is busy
with its own chunks. A worker that fails is logged and its chunks are redone here: a bug in a worker costs
time, never output.

Example
-------
>>> fork_map(lambda chunk: [len(t) for t in chunk], [["ab", "c"], ["def"]], workers=1)
[[2, 1], [3]]
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
from collections.abc import Callable, Sequence, Sized
from typing import Any, TypeVar, overload

_log = logging.getLogger(__name__)

Item = TypeVar("Item")
SizedItem = TypeVar("SizedItem", bound=Sized)
Result = TypeVar("Result")


def can_fork() -> bool:
    """Whether this process may start workers (a daemonic process, say a pool's worker, may not)."""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


@overload
def chunk_by_size(items: Sequence[SizedItem], chars: int) -> list[list[SizedItem]]: ...
@overload
def chunk_by_size(items: Sequence[Item], chars: int, size: Callable[[Item], int]) -> list[list[Item]]: ...


# ``size`` may be left out only for items that have a length (the overloads above say so).
def chunk_by_size(items: Sequence[Item], chars: int, size: Callable[[Any], int] = len) -> list[list[Item]]:
    """Consecutive runs of ``items`` of about ``chars`` characters (as ``size`` counts them) each; no empty run."""
    chunks: list[list[Item]] = [[]]
    filled = 0
    for item in items:
        if filled >= chars:
            chunks.append([])
            filled = 0
        chunks[-1].append(item)
        filled += size(item)
    return chunks if chunks[0] else []


# About six chunks per process, so that one that finishes early takes another; none smaller than this, where
# a chunk would cost more to hand over than to analyse.
_MIN_CHUNK_CHARS = 20_000


def chunk_size(total_chars: int, workers: int) -> int:
    """Characters per chunk for :func:`fork_map` over ``workers`` processes."""
    return max(_MIN_CHUNK_CHARS, total_chars // (workers * 6))


def _claim(counter: Any) -> int:
    with counter.get_lock():
        index = int(counter.value)
        counter.value = index + 1
    return index


def _child_main(
    conn: Any,
    counter: Any,
    chunks: Sequence[Sequence[Any]],
    work: Callable[[Sequence[Any]], Any],
    encode: Callable[[Any], Any],
    child_init: Callable[[], None] | None,
) -> None:
    try:
        if child_init is not None:
            child_init()
        done: dict[int, Any] = {}
        while (index := _claim(counter)) < len(chunks):
            done[index] = encode(work(chunks[index]))
        conn.send(done)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which redoes the work
        with contextlib.suppress(Exception):
            conn.send(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _same(value: Any) -> Any:
    return value


def fork_map(
    work: Callable[[Sequence[Item]], Result],
    chunks: Sequence[Sequence[Item]],
    workers: int,
    *,
    encode: Callable[[Result], Any] = _same,
    decode: Callable[[Any], Result] = _same,
    child_init: Callable[[], None] | None = None,
) -> list[Result]:
    """``[work(chunk) for chunk in chunks]``, computed by this process and ``workers - 1`` forked ones.

    ``encode``/``decode`` turn a worker's result into something cheaper to send through a pipe and back
    (pickling one joined string costs far less than a list of thousands of small ones). ``child_init`` runs
    first in each worker, e.g. to replace locks the fork copied in whatever state another thread held them.
    With ``workers`` <= 1, one chunk, or no way to fork, everything runs here.
    """
    if workers <= 1 or len(chunks) <= 1 or not can_fork():
        return [work(chunk) for chunk in chunks]
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    children = []
    # Objects that exist at the fork stay out of the workers' garbage collections, so that a collection
    # does not write to (and copy) every page inherited from this process (the gc.freeze recipe).
    gc.freeze()
    try:
        for _ in range(min(workers, len(chunks)) - 1):
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(
                target=_child_main, args=(send, counter, chunks, work, encode, child_init), daemon=True
            )
            process.start()
            send.close()
            children.append((process, receive))
    finally:
        gc.unfreeze()
    results: dict[int, Result] = {}
    try:
        while (index := _claim(counter)) < len(chunks):
            results[index] = work(chunks[index])
        for process, receive in children:
            try:
                message = receive.recv()
            except EOFError:
                message = f"worker exited with code {process.exitcode}"
            if isinstance(message, str):
                _log.warning("analysis worker failed (%s); redoing its share here", message)
                continue
            for index, encoded in message.items():
                results[index] = decode(encoded)
    finally:
        for process, receive in children:
            receive.close()
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
    return [results[i] if i in results else work(chunk) for i, chunk in enumerate(chunks)]

"""The fork pool under batch analysis: same results as one process, in order, and a failing worker costs
time but never output. Analysis and index fields built over two processes equal those built in one."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

import pytest

import corpus.index_fields
import nlp.analyzer
from nlp.analyzer import analyze_batch
from nlp.forkpool import can_fork, chunk_by_size, fork_map
from nlp.segment import pack_strings, unpack_strings

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork worker processes")


def _pid_and_lengths(chunk: Sequence[str]) -> tuple[int, list[int]]:
    time.sleep(0.05)  # long enough for the worker to start and claim chunks of its own
    return os.getpid(), [len(text) for text in chunk]


@needs_fork
def test_results_come_back_in_chunk_order_from_both_processes() -> None:
    chunks = [[f"văn bản số {i}", "x" * i] for i in range(20)]
    results = fork_map(_pid_and_lengths, chunks, workers=2)
    assert [lengths for _, lengths in results] == [[len(a), len(b)] for a, b in chunks]
    assert len({pid for pid, _ in results}) == 2  # the worker took a share


def _fails_in_worker(parent: int) -> Callable[[Sequence[str]], list[str]]:
    def work(chunk: Sequence[str]) -> list[str]:
        time.sleep(0.02)
        if os.getpid() != parent:
            raise RuntimeError("worker bug")
        return [text.upper() for text in chunk]

    return work


@needs_fork
def test_a_failing_worker_costs_time_not_output(caplog: pytest.LogCaptureFixture) -> None:
    chunks = [["hòa bình", "đắk lắk"]] * 12
    results = fork_map(_fails_in_worker(os.getpid()), chunks, workers=2)
    assert results == [["HÒA BÌNH", "ĐẮK LẮK"]] * 12
    assert "redoing its share here" in caplog.text


def test_one_worker_or_one_chunk_runs_here() -> None:
    assert fork_map(lambda c: [t[::-1] for t in c], [["ab"], ["cd"]], workers=1) == [["ba"], ["dc"]]
    assert fork_map(lambda c: len(c), [["a", "b"]], workers=4) == [2]
    assert fork_map(lambda c: len(c), [], workers=4) == []


def test_chunks_keep_order_and_never_come_out_empty() -> None:
    items = ["aaaa", "bb", "cccccc", "d", "ee"]
    chunks = chunk_by_size(items, 5)
    assert [x for chunk in chunks for x in chunk] == items
    assert all(chunks) and len(chunks) == 3
    assert chunk_by_size([], 5) == []
    assert chunk_by_size([("a", 3), ("b", 9)], 5, size=lambda item: item[1]) == [[("a", 3), ("b", 9)]]


@pytest.mark.parametrize(
    "strings", [[], [""], ["", ""], ["kế_hoạch", "139/KH-UBND"], ["a\x00b", "c"], ["ủy ban"]]
)
def test_packed_strings_read_back_the_same(strings: list[str]) -> None:
    assert unpack_strings(pack_strings(strings)) == strings


@needs_fork
def test_analysis_over_two_processes_equals_one_process(
    demo_documents: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [t for d in demo_documents for t in (d.title or "", d.text or "")]
    texts += ["Kế hoạch số 139/KH-UBND ngày 12/7/2022 về phòng, chống dịch", "V/v a\x00b", ""]
    in_one = analyze_batch(texts, workers=1)
    monkeypatch.setattr(nlp.analyzer, "PARALLEL_MIN_CHARS", 0)
    assert analyze_batch(texts, workers=2) == in_one


@needs_fork
def test_index_fields_over_two_processes_equal_one_process(
    demo_documents: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_one = [d.to_dict() for d in corpus.index_fields.analyze_documents(demo_documents, workers=1)]
    monkeypatch.setattr(corpus.index_fields, "PARALLEL_MIN_CHARS", 0)
    added: list[str] = []
    fields = corpus.index_fields.analyze_documents(
        demo_documents, workers=2, add=lambda doc, _fields: added.append(doc.id)
    )
    assert [d.to_dict() for d in fields] == in_one
    assert added == [d.id for d in demo_documents]

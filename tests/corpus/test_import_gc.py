"""Imports collect garbage less often while they run, and leave the collector's thresholds as they were."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import corpus.importer as importer
from corpus.importer import import_paths
from corpus.store import Store


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield gc.get_threshold()
    gc.set_threshold(*saved)


def test_threshold_raised_during_an_import_and_restored_after(
    tmp_path: Path, thresholds: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []
    real = importer._import_table

    def recording(*args: object, **kwargs: object) -> None:
        seen.append(gc.get_threshold())
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "_import_table", recording)
    records = tmp_path / "docs.jsonl"
    record = {
        "id": "a-1",
        "doc_type": "ke-hoach",
        "title": "Kế hoạch phòng chống thiên tai",
        "text": "Nội dung",
    }
    records.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store.open(tmp_path / "var") as store:
        report = import_paths(store, [records], progress=False)
    assert report.inserted == 1
    assert seen == [(importer._IMPORT_GC_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == thresholds


def test_overlapping_imports_restore_the_thresholds_once_the_last_ends(
    thresholds: tuple[int, int, int],
) -> None:
    raised = (importer._IMPORT_GC_THRESHOLD, 10, 10)
    guard = importer._fewer_collections
    guard.__enter__()
    guard.__enter__()  # a second import (another service thread) starts
    guard.__exit__(None, None, None)
    assert gc.get_threshold() == raised  # the first is still running
    guard.__exit__(None, None, None)
    assert gc.get_threshold() == thresholds


def test_threshold_restored_when_an_import_fails(
    tmp_path: Path, thresholds: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_import_all", failing)
    with Store.open(tmp_path / "var") as store, pytest.raises(RuntimeError):
        import_paths(store, [tmp_path], progress=False)
    assert gc.get_threshold() == thresholds

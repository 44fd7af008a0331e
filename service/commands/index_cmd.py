"""``vanban index``: bring the search index up to date with the store (``--rebuild``: from scratch)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Protocol

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "index",
        help="update the search index from the store, or rebuild it (--rebuild)",
        description=(
            "Without options, index documents the index lacks or holds an older version of, and drop deleted "
            "ones. --rebuild builds a new index from every stored document and swaps it in (needed after an "
            "analyser upgrade: the index then refuses to serve and says so). --status only reports."
        ),
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild the whole index from the store")
    parser.add_argument("--status", action="store_true", help="report the index state, change nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.index import SearchIndex, index_path
    from corpus.search_errors import IndexOutdated, SearchError
    from corpus.store import Store

    data_dir = Path(args.data_dir)
    path = index_path(data_dir)
    started = time.perf_counter()
    try:
        with Store.open(data_dir) as store:
            total = store.count()
            if args.status:
                return _status(path, total, args.json)
            bar = _progress(total, not args.quiet)
            try:
                if args.rebuild:
                    index = SearchIndex.rebuild(store, path, progress=bar.update)
                    report = {"action": "rebuild", "indexed": index.num_docs, "deleted": 0}
                else:
                    try:
                        index = SearchIndex.open(path, create=True)
                    except IndexOutdated as exc:
                        raise CliError(exc.message) from exc
                    sync = index.sync(store, progress=bar.update)
                    report = {"action": "sync", "indexed": sync.indexed, "deleted": sync.deleted}
            finally:
                bar.close()
    except (SearchError, StoreError) as exc:
        raise CliError(exc.message) from exc
    seconds = round(time.perf_counter() - started, 2)
    report |= {
        "documents": index.num_docs,
        "seconds": seconds,
        "path": str(path),
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        verb = "Đã tạo lại chỉ mục" if args.rebuild else "Đã cập nhật chỉ mục"
        print(f"{verb}: {report['indexed']} văn bản được lập chỉ mục, {report['deleted']} bị xóa khỏi chỉ mục; "
              f"chỉ mục có {report['documents']} văn bản ({vn_seconds(seconds)}).")  # fmt: skip
    return 0


def _status(path: Path, stored: int, as_json: bool) -> int:
    from corpus.index import IndexManifest, SearchIndex
    from corpus.search_errors import SearchError

    manifest = IndexManifest.read(path)
    state: dict = {"path": str(path), "stored": stored, "manifest": manifest.__dict__ if manifest else None}
    try:
        state["indexed"] = SearchIndex.open(path, create=False).num_docs
        state["ok"] = state["indexed"] == stored
        state["message"] = (
            "Chỉ mục dùng được." if state["ok"] else "Chỉ mục lệch với kho: hãy chạy vanban index."
        )
    except SearchError as exc:
        state |= {"indexed": None, "ok": False, "message": exc.message}
    if as_json:
        print(json.dumps(state, ensure_ascii=False))
    else:
        message = state["message"].rstrip()
        if not message.endswith((".", "!", "?")):
            message += "."  # an error message may end with the command to run
        indexed = "không đọc được" if state["indexed"] is None else f"{state['indexed']} văn bản"
        print(f"{message}\nKho: {stored} văn bản; chỉ mục: {indexed} ({path}).")
    return 0 if state["ok"] else 1


class _Progress(Protocol):
    """What the command needs of a progress bar (tqdm's, or none)."""

    def update(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, show: bool) -> _Progress:
    if not show or not sys.stderr.isatty():
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc="lập chỉ mục", unit="văn bản", file=sys.stderr, leave=False)


def vn_seconds(seconds: float) -> str:
    """A duration as a Vietnamese reader writes it, with a decimal comma: ``7,36 giây`` (``--json`` keeps the
    number)."""
    return f"{seconds:.2f}".replace(".", ",") + " giây"

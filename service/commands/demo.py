"""``vanban demo``: load the demo corpus into an empty data directory, index it, train the default
model, and print what is there with a few searches to try."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from service.errors import CliError

# Searches a clerk might type, shown with their hit counts so that the summary proves the index works.
SAMPLE_QUERIES = ("ke hoach phong chong thien tai", "tiếp công dân", "03/CT-UBND", "chuyen doi so")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="load the demo corpus (tỉnh Sông Mây) into an empty data directory, index it, train a model",
        description=(
            "Prepare --data-dir with vanban's own demo corpus: import it when the directory is empty, build "
            "the search index, train and activate the default model, then print a summary and sample searches."
        ),
    )
    parser.add_argument("--no-train", action="store_true", help="do not train a model")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.search import Searcher, SearchRequest
    from corpus.search_errors import SearchError
    from corpus.store import Store
    from service.bootstrap import bootstrap_demo

    data_dir = Path(args.data_dir)
    say = (lambda m: None) if args.json else (lambda m: print(f"vanban: {m}", file=sys.stderr, flush=True))
    try:
        report = bootstrap_demo(data_dir, train=not args.no_train, say=say)
        with Store.open(data_dir) as store:
            docs = list(store.iter_documents())
            searcher = Searcher.open(data_dir, store)
            samples = {q: searcher.search(SearchRequest(q, limit=1, facets=False)).total for q in SAMPLE_QUERIES}
    except (StoreError, SearchError) as exc:
        raise CliError(exc.message) from None
    types = Counter(d.doc_type or "?" for d in docs)
    topics = Counter(d.topic or "?" for d in docs)
    summary = {
        "data_dir": str(data_dir.resolve()),
        "documents": report.documents,
        "imported": report.imported,
        "index_rebuilt": report.rebuilt,
        "model_version": report.model_version,
        "model_trained": report.trained,
        "doc_types": dict(types.most_common()),
        "topics": dict(topics.most_common()),
        "sample_searches": samples,
        "notes": report.notes,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(f"Thư mục dữ liệu: {summary['data_dir']}")
    print(f"Văn bản: {report.documents} ({report.imported} vừa nhập)")
    print("Loại văn bản: " + ", ".join(f"{k} {v}" for k, v in types.most_common(8)))
    print("Lĩnh vực:     " + ", ".join(f"{k} {v}" for k, v in topics.most_common(8)))
    print(f"Mô hình:      {report.model_version or 'chưa có'}{' (vừa huấn luyện)' if report.trained else ''}")
    print("Thử tìm:")
    for query, total in samples.items():
        print(f"  vanban search {json.dumps(query, ensure_ascii=False)}  → {total} văn bản")
    for note in report.notes:
        print(f"Ghi chú: {note}")
    print(f"Chạy dịch vụ: vanban --data-dir {args.data_dir} serve   (rồi mở http://127.0.0.1:8000/)")
    return 0

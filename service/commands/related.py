"""``vanban related ID``: documents a document cites, documents citing it, and similar documents."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from service.errors import CliError, require_store


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "related",
        help="documents cited by, citing, or similar to a document",
        description="Show what a document cites (resolved by number in the store), what cites it, and similar documents.",
    )
    parser.add_argument("id", help="document id")
    parser.add_argument(
        "--limit", type=int, default=10, help="at most this many citing and similar documents"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.related import find_related
    from corpus.search import Searcher
    from corpus.search_errors import SearchError

    if not 1 <= args.limit <= 100:
        raise CliError("--limit phải từ 1 đến 100", exit_code=2)
    if not args.id.strip():  # a usage error, like an unknown id
        raise CliError("thiếu mã văn bản: hãy cho mã (id) của một văn bản đã nhập, ví dụ `vanban related bd-00001`",
                       exit_code=2)
    require_store(args.data_dir)
    try:
        searcher = Searcher.open(Path(args.data_dir))
    except (SearchError, StoreError) as exc:
        raise CliError(exc.message) from exc
    try:
        related = find_related(searcher.store, searcher.index, args.id, limit=args.limit)
    except StoreError as exc:  # DocumentNotFound included
        raise CliError(exc.message, exit_code=2 if "not found" in str(exc) else 1) from exc
    finally:
        searcher.close()
    if args.json:
        print(json.dumps(related.to_dict(), ensure_ascii=False))
        return 0
    sections = (
        ("Văn bản này dẫn chiếu", related.cites),
        ("Được dẫn chiếu bởi", related.cited_by),
        ("Văn bản tương tự", related.similar),
    )
    for heading, docs in sections:
        print(f"{heading} ({len(docs)}):")
        for d in docs:
            date = d.issued_date.strftime("%d/%m/%Y") if d.issued_date else "?"
            print(f"  {d.number or '(không số)'} · {date} · {d.id} · {(d.title or '')[:100]}")
            if d.copies:
                print(f"    (cùng văn bản, lưu thêm: {', '.join(d.copies)})")
    if related.unresolved:
        print(f"Dẫn chiếu chưa có trong kho ({len(related.unresolved)}):")
        for ref in related.unresolved:
            print(f"  {ref.number}" + (f" ngày {ref.issued_date:%d/%m/%Y}" if ref.issued_date else ""))
    return 0

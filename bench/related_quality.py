"""Similar documents: how many of a document's similar documents are about its field (lĩnh vực).

Usage (from the repository root)::

    .venv/bin/python bench/related_quality.py                    # Bình Dương + Sơn La, every 15th BD document
    .venv/bin/python bench/related_quality.py --data-dir D --every 1   # any data directory, every document

Without ``--data-dir`` the ``admin/`` files of Bình Dương and Sơn La are imported into a work directory (kept
under the bench work dir, rebuilt with ``--rebuild``). For each sampled document with a field, the 10 similar
documents of ``corpus.related.find_related`` (what ``vanban related ID --json`` lists) are read, and the
share of them holding the document's own field is reported per source (id prefix). The field labels are the
sources' (two annotation passes), so the share is a proxy for "about the same subject", not a judgement.

Long texts (over 5,000 characters; Lào Cai's full texts are imported too, without fields): how many of the
similar documents of each are long texts as well — summaries of one line must not crowd them out — and, for
those whose title another document repeats (the same report filed twice), whether that twin is listed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import import_with_index, shared_data_dir, work_dir  # noqa: E402


def _source(doc_id: str) -> str:
    return doc_id.split("-")[0].split("_")[0]


def same_field_share(data_dir: Path, every: int, sl_every: int) -> dict[str, tuple[int, int]]:
    """(similar documents sharing the field, similar documents listed) per source of the sampled documents."""
    from corpus.related import find_related
    from corpus.search import Searcher
    from corpus.store import Store

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with Store.open(data_dir) as store:
        searcher = Searcher.open(data_dir, store=store)
        docs = [d for d in store.iter_documents() if d.topic]
        for i, doc in enumerate(docs):
            source = _source(doc.id)
            if i % (sl_every if source == "sl" else every):
                continue
            similar = find_related(store, searcher.index, doc.id, limit=10).similar
            counts[source][0] += sum(1 for s in similar if store.get(s.id).topic == doc.topic)
            counts[source][1] += len(similar)
    return {source: (same, listed) for source, (same, listed) in sorted(counts.items())}


LONG_TEXT = 5_000  # characters: a full text, not a portal's summary


def long_text_lists(data_dir: Path) -> dict[str, int]:
    """For the documents over :data:`LONG_TEXT` characters: long texts among their similar documents, slots
    listed, and how many of those with a title twin list that twin (similar, cites or cited by)."""
    from corpus.related import find_related
    from corpus.search import Searcher
    from corpus.store import Store

    figures = {"documents": 0, "long_listed": 0, "listed": 0, "twins": 0, "twins_found": 0}
    with Store.open(data_dir) as store:
        searcher = Searcher.open(data_dir, store=store)
        docs = list(store.iter_documents())
        long_ids = {d.id for d in docs if len(d.text or "") > LONG_TEXT}
        by_title: dict[str, list[str]] = defaultdict(list)
        for doc in docs:
            if doc.title:
                by_title[" ".join(doc.title.lower().split())].append(doc.id)
        for doc in docs:
            if doc.id not in long_ids:
                continue
            related = find_related(store, searcher.index, doc.id, limit=10)
            listed = [d.id for d in (*related.similar, *related.cites, *related.cited_by)]
            figures["documents"] += 1
            figures["listed"] += len(related.similar)
            figures["long_listed"] += sum(1 for d in related.similar if d.id in long_ids)
            twins = [i for i in by_title.get(" ".join((doc.title or "").lower().split()), []) if i != doc.id]
            if twins:
                figures["twins"] += 1
                figures["twins_found"] += any(t in listed for t in twins)
    return figures


def _outdated(data_dir: Path) -> bool:
    """Whether the work directory's index was built by another schema or analyser (imported again then)."""
    from corpus.index import SearchIndex, index_path
    from corpus.search_errors import IndexOutdated

    try:
        SearchIndex.open(index_path(data_dir), create=False)
    except IndexOutdated:
        return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="a data directory to measure (default: BD + SL imported)")
    parser.add_argument("--every", type=int, default=15, help="sample every N-th document (default 15)")
    parser.add_argument("--sl-every", type=int, default=1, help="every N-th Sơn La document (default 1: all)")
    parser.add_argument("--rebuild", action="store_true", help="import the admin files again")
    args = parser.parse_args(argv)
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = work_dir() / "related-quality"
        if args.rebuild or not (data_dir / "index").is_dir() or _outdated(data_dir):
            shutil.rmtree(data_dir, ignore_errors=True)
            admin = shared_data_dir() / "admin"
            import_with_index(data_dir, [admin / name for name in ("binhduong.jsonl", "sonla.jsonl", "laocai_fulltext.jsonl")])
    shares = same_field_share(data_dir, args.every, args.sl_every)
    print(f"command: .venv/bin/python bench/related_quality.py {' '.join(argv or sys.argv[1:])}".rstrip())
    for source, (same, listed) in shares.items():
        print(f"  {source:6} similar documents sharing the field: {same}/{listed} ({100 * same / max(listed, 1):.1f} %)")
    long = long_text_lists(data_dir)
    print(f"  long texts ({long['documents']} over {LONG_TEXT:,} characters): long texts among their similar documents "
          f"{long['long_listed']}/{long['listed']}; the same title filed twice found {long['twins_found']}/{long['twins']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

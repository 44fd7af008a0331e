"""Similar documents: how many of a document's similar documents are about its field (lĩnh vực).

Usage (from the repository root)::

    .venv/bin/python bench/related_quality.py                    # Bình Dương + Sơn La, every 15th BD document
    .venv/bin/python bench/related_quality.py --data-dir D --every 1   # any data directory, every document

Without ``--data-dir`` the ``admin/`` files of Bình Dương and Sơn La are imported into a work directory (kept
under the bench work dir, rebuilt with ``--rebuild``). For each sampled document with a field, the 10 similar
documents of ``corpus.related.find_related`` (what ``vanban related ID --json`` lists) are read, and the
share of them holding the document's own field is reported per source (id prefix). The field labels are the
sources' (two annotation passes), so the share is a proxy for "about the same subject", not a judgement.
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
            import_with_index(data_dir, [admin / "binhduong.jsonl", admin / "sonla.jsonl"])
    shares = same_field_share(data_dir, args.every, args.sl_every)
    print(f"command: .venv/bin/python bench/related_quality.py {' '.join(argv or sys.argv[1:])}".rstrip())
    for source, (same, listed) in shares.items():
        print(f"  {source:6} similar documents sharing the field: {same}/{listed} ({100 * same / max(listed, 1):.1f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

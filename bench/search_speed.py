"""Search speed on VNTC: vanban search vs a raw tantivy term query, bm25s and SQLite FTS5, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/search_speed.py                 # all ~80k VNTC documents (about an hour to build)
    .venv/bin/python bench/search_speed.py --limit 5000    # a subset, for development
    .venv/bin/python bench/search_speed.py --quick         # = --limit 2000 --queries 1000

Pipeline: VNTC records (``text``; ``topic`` = the VNTC label as a slug, ``issuer`` = the newspaper) are
written as JSONL, imported into a store with :func:`corpus.importer.import_paths` and indexed with
:meth:`corpus.index.SearchIndex.rebuild` (the analyser segments every text); both steps are timed, with the
peak memory of this process and its analysis workers, and the index size on disk. Built directories are
cached under ``--work``.

Queries: ``--queries`` (≥ 1000) mixed clerk-style queries drawn with a fixed seed from the documents: 2–3
consecutive syllables (with and without diacritics), a single word, a quoted phrase, an excluded word,
and the same with a topic or issuer filter. vanban runs each with facets and highlights on (limit 10).
In the same run, on the same data:

* **raw tantivy**: ``Query.term_query`` on the index's syllable field for the query's first term, top 10,
  reading each hit's id — the engine with nothing of ours around it;
* **bm25s** over the same syllable tokens (numpy backend), top 10 for the query's tokens;
* **SQLite FTS5** with ``tokenize="unicode61 remove_diacritics 0 tokenchars '_'"`` over the same tokens,
  ``MATCH`` of the quoted tokens (AND, like vanban's short queries) ``ORDER BY rank LIMIT 10``.

The peers receive the query already tokenised (their timing excludes any query analysis; vanban's
includes it). Reported: median and p99 latency of each, ratios, build times, index sizes, peak memory, and
where vanban's time goes — the median of each phase :class:`corpus.search.SearchResult` times (analysis and
compilation, ranked search, hits with highlights, and what is left to wait for of the facet pass, which runs
on a thread beside the ranked search and the hits) over the same timed runs.
The last two lines are machine-readable: ``fts5: ratio F …`` (FTS5 median / vanban median, goal ≥ 10) and
``search: ratio R (goal 3.0) PASS|FAIL`` (vanban median / raw tantivy term median, PASS when R ≤ 3).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import tantivy  # noqa: E402

from bench.common import PeakMemory, result_line  # noqa: E402
from corpus.importer import import_paths  # noqa: E402
from corpus.index import SCHEMA_VERSION, SearchIndex, index_path  # noqa: E402
from corpus.query import fold_terms, term_parts  # noqa: E402
from corpus.search import Searcher, SearchRequest  # noqa: E402
from corpus.store import Store  # noqa: E402
from nlp.analyzer import ANALYZER_VERSION  # noqa: E402
from nlp.normalize import fold, normalize  # noqa: E402

AGENCIES = {"VNE": "VnExpress", "NLD": "Báo Người Lao Động", "TT": "Báo Tuổi Trẻ", "TN": "Báo Thanh Niên"}


def shared_data() -> Path:
    env = os.environ.get("VANBAN_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def vntc_records(limit: int | None) -> Iterator[dict]:
    count = 0
    for split in ("train", "test"):
        with gzip.open(shared_data() / "bench" / "vntc" / f"{split}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                slug = "-".join(fold(row["label"]).lower().split())
                yield {
                    "id": f"vntc-{count:06d}",
                    "text": row["text"],
                    "topic": slug,
                    "issuer": AGENCIES.get(row.get("source_agency") or "", row.get("source_agency")),
                    "source_url": row["id"],
                }
                count += 1
                if limit is not None and count >= limit:
                    return


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build(work: Path, limit: int | None, force: bool) -> dict:
    stamp = {"limit": limit, "analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION}
    marker = work / "built.json"
    if not force and marker.exists():
        saved = json.loads(marker.read_text())
        if saved.get("stamp") == stamp:
            return saved["figures"]
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    records = work / "vntc.jsonl"
    with open(records, "w", encoding="utf-8") as f:
        for row in vntc_records(limit):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    figures: dict = {}
    with Store.open(work / "data") as store:
        with PeakMemory() as mem:
            started = time.perf_counter()
            report = import_paths(store, [records], progress=False)
            figures["import_s"] = time.perf_counter() - started
        figures["import_peak_mb"] = mem.peak / 2**20
        figures["documents"] = report.inserted
        with PeakMemory() as mem:
            started = time.perf_counter()
            SearchIndex.rebuild(store, index_path(work / "data"))
            figures["index_s"] = time.perf_counter() - started
        figures["index_peak_mb"] = mem.peak / 2**20
    figures["index_mb"] = dir_size(index_path(work / "data")) / 2**20
    figures["store_mb"] = dir_size(work / "data") / 2**20 - figures["index_mb"]
    marker.write_text(json.dumps({"stamp": stamp, "figures": figures}))
    return figures


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    request: SearchRequest
    tokens: tuple[str, ...]  # the query's syllables, as the peers receive them
    first: str  # the term the raw tantivy query looks up
    first_field: str
    excluded: str | None = None


def make_queries(texts: list[tuple[str, str, str]], n: int, seed: int) -> list[BenchQuery]:
    """``texts``: (text, topic, issuer) of documents to draw from."""
    rng = random.Random(seed)
    kinds = ["words", "words", "words_nodiac", "word", "phrase", "exclude", "topic", "issuer"]
    out: list[BenchQuery] = []
    while len(out) < n:
        text, topic, issuer = rng.choice(texts)
        words = [w for w in re.findall(r"[^\W\d_]+", normalize(text).lower()) if len(w) > 1]
        if len(words) < 20:
            continue
        kind = kinds[len(out) % len(kinds)]
        start = rng.randrange(0, len(words) - 4)
        size = 1 if kind == "word" else rng.randint(2, 3)
        picked = words[start : start + size]
        query = " ".join(picked)
        request: dict = {}
        excluded = None
        if kind == "words_nodiac":
            query = fold(query)
        elif kind == "phrase":
            query = f'"{query}"'
        elif kind == "exclude":
            excluded = rng.choice([w for w in words if w not in picked] or ["xyz"])
            query = f"{query} -{excluded}"
        elif kind == "topic":
            request["topic"] = topic
        elif kind == "issuer":
            request["issuer"] = issuer
        tokens = tuple(fold_terms(picked) if kind == "words_nodiac" else picked)
        field = "all_fold" if kind == "words_nodiac" else "all_syl"
        out.append(
            BenchQuery(kind, SearchRequest(query, limit=10, **request), tokens, tokens[0], field, excluded)
        )
    return out


def timed(
    engines: dict[str, Callable[[BenchQuery], object]], queries: Sequence[BenchQuery]
) -> dict[str, list[float]]:
    """Latency (ms) of every engine on every query, interleaved query by query so that load from other
    processes on the machine falls on all engines alike."""
    for q in queries[:20]:
        for fn in engines.values():
            fn(q)  # warm caches the same way for every engine
    out: dict[str, list[float]] = {name: [] for name in engines}
    for q in queries:
        for name, fn in engines.items():
            started = time.perf_counter()
            fn(q)
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def stats(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {
        "median_ms": statistics.median(ordered),
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "mean_ms": statistics.fmean(ordered),
    }


def fts5_match(q: BenchQuery) -> str:
    """The FTS5 query for a benchmark query: quoted tokens (AND), a phrase, or NOT the excluded word."""

    def quote(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    if q.kind == "phrase":
        return quote(" ".join(q.tokens))
    match = " ".join(quote(t) for t in q.tokens)
    return f"{match} NOT {quote(q.excluded)}" if q.excluded else match


def peers(work: Path, store: Store) -> tuple[dict[str, Callable[[BenchQuery], object]], dict]:
    """bm25s and SQLite FTS5 over the syllable tokens of every document; their query functions by name.

    ``sqlite_fts5`` ranks only (top 10 by bm25, with the query's topic/issuer filter); ``sqlite_fts5_full``
    does the work a vanban search does: top 10 with a snippet each, plus the number of matches and the
    facet counts (GROUP BY over the matches)."""
    import bm25s

    ids: list[str] = []
    corpus: list[list[str]] = []
    meta: list[tuple[str, str]] = []
    for doc in store.iter_documents(batch_size=1000):
        ids.append(doc.id)
        corpus.append(term_parts(doc.text or "") or ["∅"])
        meta.append((doc.topic or "", doc.issuer or ""))
    figures: dict = {}
    started = time.perf_counter()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    figures["bm25s_index_s"] = time.perf_counter() - started
    fts_path = work / "fts5.sqlite3"
    fts_path.unlink(missing_ok=True)
    conn = sqlite3.connect(fts_path)
    started = time.perf_counter()
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(body, topic UNINDEXED, issuer UNINDEXED, "
        "tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\")"
    )
    rows = ((i, " ".join(t), *meta[i]) for i, t in enumerate(corpus))
    conn.executemany("INSERT INTO docs(rowid, body, topic, issuer) VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    figures["fts5_index_s"] = time.perf_counter() - started
    figures["fts5_mb"] = fts_path.stat().st_size / 2**20
    del corpus

    def where(q: BenchQuery) -> tuple[str, tuple[str, ...]]:
        sql = "docs MATCH ?"
        params: tuple[str, ...] = (fts5_match(q),)
        if q.request.topic:
            sql, params = sql + " AND topic = ?", (*params, q.request.topic)
        if q.request.issuer:
            sql, params = sql + " AND issuer = ?", (*params, q.request.issuer)
        return sql, params

    def bm25s_query(q: BenchQuery) -> list[str]:
        docs, _ = retriever.retrieve([list(q.tokens)], k=10, show_progress=False, n_threads=1)
        return [ids[i] for i in docs[0]]

    def fts5_query(q: BenchQuery) -> list[str]:
        sql, params = where(q)
        found = conn.execute(f"SELECT rowid FROM docs WHERE {sql} ORDER BY rank LIMIT 10", params).fetchall()
        return [ids[r[0]] for r in found]

    def fts5_full(q: BenchQuery) -> tuple[list, list]:
        sql, params = where(q)
        top = conn.execute(
            f"SELECT rowid, snippet(docs, 0, '<mark>', '</mark>', '…', 24) FROM docs WHERE {sql} "
            "ORDER BY rank LIMIT 10",
            params,
        ).fetchall()
        facets = conn.execute(
            f"SELECT topic, issuer, count(*) FROM docs WHERE {sql} GROUP BY topic, issuer", params
        )
        return top, facets.fetchall()

    engines: dict[str, Callable[[BenchQuery], object]] = {
        "bm25s": bm25s_query,
        "sqlite_fts5": fts5_query,
        "sqlite_fts5_full": fts5_full,
    }
    return engines, figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="index only the first N VNTC documents")
    parser.add_argument("--quick", action="store_true", help="small run: --limit 2000 --queries 1000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vanban-search-speed")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.quick:
        args.limit = args.limit or 2000
    work = args.work / (f"limit-{args.limit}" if args.limit else "full")
    figures = build(work, args.limit, args.rebuild)
    data = work / "data"
    with Store.open(data) as store:
        searcher = Searcher.open(data, store=store)
        sample: list[tuple[str, str, str]] = []
        for doc in store.iter_documents(batch_size=1000):
            if len(sample) < 5000:
                sample.append((doc.text or "", doc.topic or "", doc.issuer or ""))
        queries = make_queries(sample, args.queries, args.seed)
        tsearcher = searcher.index.searcher()
        schema = searcher.index.schema

        phases: list[dict[str, float]] = []

        def vanban(q: BenchQuery) -> object:
            result = searcher.search(q.request)
            phases.append(result.timings)
            return result

        def raw(q: BenchQuery) -> list[str | None]:
            result = tsearcher.search(tantivy.Query.term_query(schema, q.first_field, q.first), 10)
            return [tsearcher.doc(address).get_first("id") for _, address in result.hits]

        import psutil

        for q in queries[:200]:
            vanban(q)  # the searcher as a service holds it: index open, caches warm
        figures["vanban_rss_mb"] = psutil.Process().memory_info().rss / 2**20
        peer_engines, peer_figures = peers(work, store)
        figures.update(peer_figures)
        engines = {"vanban": vanban, "tantivy_raw_term": raw, **peer_engines}
        with PeakMemory() as mem:
            latencies = timed(engines, queries)
        results = {name: stats(ms) for name, ms in latencies.items()}
        by_kind: dict[str, dict[str, float]] = {}
        for kind in dict.fromkeys(q.kind for q in queries):
            picked = [i for i, q in enumerate(queries) if q.kind == kind]
            by_kind[kind] = {n: statistics.median([latencies[n][i] for i in picked]) for n in engines}
        figures["search_peak_mb"] = mem.peak / 2**20
        timed_phases = phases[-len(queries) :]  # the timed runs, after the warm-up ones
        figures["vanban_phase_median_ms"] = {
            name: statistics.median(p[name] for p in timed_phases) for name in timed_phases[0]
        }
    ours = results["vanban"]["median_ms"]
    figures["ratio_vanban_vs_raw_median"] = ours / results["tantivy_raw_term"]["median_ms"]
    figures["ratio_fts5_vs_vanban_median"] = results["sqlite_fts5"]["median_ms"] / ours
    figures["ratio_fts5_full_vs_vanban_median"] = results["sqlite_fts5_full"]["median_ms"] / ours
    figures["ratio_bm25s_vs_vanban_median"] = results["bm25s"]["median_ms"] / ours
    figures["queries"] = len(queries)
    print(f"\nVNTC: {figures['documents']} documents, {len(queries)} queries (seed {args.seed})")
    print(f"  import {figures['import_s']:.0f} s (peak {figures['import_peak_mb']:.0f} MB), "
          f"index build {figures['index_s']:.0f} s (peak {figures['index_peak_mb']:.0f} MB)")  # fmt: skip
    print(f"  index {figures['index_mb']:.0f} MB, store {figures['store_mb']:.0f} MB, FTS5 {figures['fts5_mb']:.0f} MB; "
          f"bm25s build {figures['bm25s_index_s']:.1f} s, FTS5 build {figures['fts5_index_s']:.1f} s")  # fmt: skip
    print(f"  {'engine':18} {'median ms':>10} {'p99 ms':>9} {'mean ms':>9}")
    for name, s in results.items():
        print(f"  {name:18} {s['median_ms']:10.3f} {s['p99_ms']:9.3f} {s['mean_ms']:9.3f}")
    print(f"  median ms by query kind: {'':8}" + " ".join(f"{n[:12]:>12}" for n in results))
    for kind, medians in by_kind.items():
        print(f"    {kind:28}" + " ".join(f"{medians[n]:12.3f}" for n in results))
    print(
        "  vanban median ms by phase: "
        + ", ".join(f"{name} {ms:.3f}" for name, ms in figures["vanban_phase_median_ms"].items())
    )
    print(f"  vanban / raw tantivy (median): {figures['ratio_vanban_vs_raw_median']:.2f}× (target ≤ 3)")
    print(
        f"  FTS5 ranking only / vanban (median): {figures['ratio_fts5_vs_vanban_median']:.1f}× (target ≥ 10)"
    )
    print(
        f"  FTS5 with count, facets, snippets / vanban (median): {figures['ratio_fts5_full_vs_vanban_median']:.1f}×"
    )
    print(f"  bm25s / vanban (median): {figures['ratio_bm25s_vs_vanban_median']:.1f}×")
    print(
        f"  memory: vanban searching {figures['vanban_rss_mb']:.0f} MB resident (before the peers are built); "
        f"peak with all four engines loaded {figures['search_peak_mb']:.0f} MB"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"figures": figures, "results": results, "by_kind": by_kind}, indent=2)
        )
    ratio = figures["ratio_vanban_vs_raw_median"]
    print(
        f"fts5: ratio {figures['ratio_fts5_vs_vanban_median']:.2f} (FTS5 median / vanban median, goal ≥ 10)"
    )
    print(result_line("search", ratio, 3.0, ratio <= 3.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())

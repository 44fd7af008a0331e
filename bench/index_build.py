"""Index build: VNTC through vanban's import pipeline vs a naive per-document loop, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/index_build.py --quick            # 1,500 VNTC articles, naive loop on 150 of them
    .venv/bin/python bench/index_build.py                    # all ~80k VNTC articles, naive loop on 1,000
    .venv/bin/python bench/index_build.py --json out.json    # figures as JSON too ("-": stdout)

vanban: the articles are written as import records (JSONL, outside the timing: that is the input), then
imported exactly as ``vanban import`` does (:func:`bench.common.import_with_index`): records are parsed and
normalised, stored in SQLite in batches of 1,000, and each stored batch is handed to the index's feed thread
(:mod:`corpus.index_feed`) while the next batch is stored. There it is cut into chunks of articles that this
process and a forked worker (one per core in all) analyse and turn into index field values (numbers
protected, segmentation, folding, index terms); this process makes the tantivy documents and commits per
batch. The segmenter starts cold (no cached texts); its model is loaded beforehand, as underthesea's is.

Where the time goes is measured by wrapping functions for the run, on the feed thread's timeline: segmentation
is the wall time inside ``nlp.segment.segment_batch`` as the analyser calls it there, i.e. for this process's
chunks (the worker analyses its chunks with the same mix at the same time), waiting for the interpreter
while the main thread stores the next batch included; "rest of the analyser" is the
rest of ``nlp.analyzer.read_batch`` as :mod:`corpus.index_fields` calls it (normalising, protecting
numbers, cutting runs for the segmenter); "index fields" is the rest of ``analyze_documents`` (index terms of this
process's chunks, waiting for the worker's, making the tantivy documents and handing them to the writer,
whose own threads index meanwhile); "tantivy writes and commits" is the rest of ``SearchIndex.upsert``
(what is left to wait for at the commit); the remainder is the wall time not covered by indexing: reading,
parsing and storing before the first batch is handed over and after the last, and what did not overlap.

naive loop: for one document after the other, ``underthesea.word_tokenize(text)``, then one tantivy document
(lower-cased words and syllables, topic, issuer, the stored text) added to a writer; one commit at the end.
It does less than vanban (no store, no folding, no number protection, one commit), so the ratio is, if
anything, unfavourable to vanban. Running it over all of VNTC would take hours, so it runs on an evenly
spread sample (every k-th article of the same set, in this run, half before vanban and half after) and its
documents per second are extrapolated per document; the sample's characters per document are shown beside
the full set's.

Peak memory of this process plus its analysis workers, sampled every 100 ms: RSS summed (forked workers'
shared pages counted twice: an upper bound) and PSS summed (shared pages divided: what they really hold).
The naive loop runs half of its sample before vanban and half after (load on a shared machine drifts);
its peak is the first half's, so that it is not this process's leftovers of the vanban run.

The ratio is vanban's documents per second over the naive loop's; PASS needs ratio >= 2.5 and time outside
segmentation <= 10%.
The last line is ``index: ratio R (goal 2.5) PASS|FAIL``.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import (  # noqa: E402
    PeakMemory,
    describe_machine,
    import_with_index,
    load_average,
    publish,
    vntc_records,
    work_dir,
    write_jsonl,
)

GOAL = 2.5
MAX_OUTSIDE_SHARE = 0.10
LIBRARIES = ("underthesea", "underthesea-core", "tantivy", "numpy")


class Stopwatch:
    """Total wall time spent inside one function while the stopwatch is installed (not re-entrant)."""

    def __init__(self, owner: Any, name: str) -> None:
        self.owner, self.name = owner, name
        self.original = getattr(owner, name)
        self.seconds = 0.0
        self.calls = 0

    def __enter__(self) -> Stopwatch:
        original = self.original

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        setattr(self.owner, self.name, timed)
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(self.owner, self.name, self.original)


def run_vanban(records: Path, data_dir: Path, documents: int) -> dict[str, Any]:
    import corpus.index
    import nlp.analyzer
    from nlp.segment import default_segmenter

    # analyze_documents calls read_batch by name in the module that defines it: wrap it there.
    fields_module = sys.modules[corpus.index.analyze_documents.__module__]
    segmenter = default_segmenter()
    segmenter.load()  # the model is loaded beforehand, as underthesea's is for the naive loop
    segmenter.clear_cache()  # cold: no cached texts
    with (
        Stopwatch(nlp.analyzer, "segment_batch") as seg,
        Stopwatch(fields_module, "read_batch") as analysis,
        Stopwatch(corpus.index, "analyze_documents") as fields,
        Stopwatch(corpus.index.SearchIndex, "upsert") as upsert,
        PeakMemory() as memory,
    ):
        started = time.perf_counter()
        report = import_with_index(data_dir, [records])
        seconds = time.perf_counter() - started
    if report.inserted != documents or report.errors:
        raise SystemExit(f"vanban import stored {report.inserted} of {documents}: {report.errors[:3]}")
    return {
        "documents": documents,
        "seconds": seconds,
        "docs_per_second": documents / seconds,
        "peak_rss_mb": memory.peak / 2**20,
        "peak_pss_mb": memory.peak_pss / 2**20,
        "breakdown_seconds": {
            "segmentation": seg.seconds,
            "analysis_around_segmentation": analysis.seconds - seg.seconds,
            "index_fields_from_analyses": fields.seconds - analysis.seconds,
            "tantivy_write_commit": upsert.seconds - fields.seconds,
            "read_parse_store": seconds - upsert.seconds,
        },
        "segment_batch_calls": seg.calls,
        "outside_segmentation_share": 1 - seg.seconds / seconds,
    }


def run_naive(texts: Sequence[tuple[str, str, str | None]], path: Path) -> dict[str, Any]:
    """``texts``: (text, topic, issuer) of the sampled articles."""
    import tantivy
    import underthesea

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("topic", stored=True, tokenizer_name="raw")
    sb.add_text_field("issuer", stored=True, tokenizer_name="raw")
    sb.add_bytes_field("body", stored=True, indexed=False)
    sb.add_text_field("all_syl", tokenizer_name="ws", index_option="position")
    sb.add_text_field("all_words", tokenizer_name="ws", index_option="freq")
    path.mkdir(parents=True)
    index = tantivy.Index(sb.build(), path=str(path), reuse=False)
    index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    underthesea.word_tokenize("Ủy ban nhân dân tỉnh ban hành kế hoạch")  # load the model beforehand
    with PeakMemory() as memory:
        started = time.perf_counter()
        writer = index.writer(heap_size=64_000_000, num_threads=1)
        for i, (text, topic, issuer) in enumerate(texts):
            words = [w.lower() for w in underthesea.word_tokenize(text)]
            fields: dict[str, Any] = {"id": f"doc-{i}", "topic": topic, "body": text.encode("utf-8")}
            if issuer:
                fields["issuer"] = issuer
            fields["all_syl"] = " ".join(s for w in words for s in w.split(" "))
            fields["all_words"] = " ".join(w.replace(" ", "_") for w in words)
            writer.add_document(tantivy.Document(**fields))
        writer.commit()
        writer.wait_merging_threads()
        seconds = time.perf_counter() - started
    return {
        "documents": len(texts),
        "seconds": seconds,
        "docs_per_second": len(texts) / seconds,
        "peak_rss_mb": memory.peak / 2**20,
        "peak_pss_mb": memory.peak_pss / 2**20,
    }


def _noting_lengths(records: Iterable[dict[str, Any]], lengths: list[int]) -> Iterator[dict[str, Any]]:
    for record in records:
        lengths.append(len(record["text"] or ""))
        yield record


def _release_vanban_caches() -> None:
    """Empty vanban's process-wide caches (segmented texts, token forms, index terms) and collect.

    After a full run they hold millions of objects, which every garbage collection during the naive loop's
    second half would walk again: released, that half runs in a process comparable to the first one's.
    """
    import corpus.index_fields
    import nlp.analyzer
    from nlp.segment import default_segmenter

    default_segmenter().clear_cache()
    for cached in (nlp.analyzer._token_forms, nlp.analyzer._fold, corpus.index_fields._syllable_terms):
        cached.cache_clear()
    gc.collect()


def measure(documents: int | None, sample: int, keep: Callable[[Path, int | None], object] | None) -> dict:
    run_dir = work_dir() / "index-build" / uuid.uuid4().hex[:8]
    run_dir.mkdir(parents=True)
    try:
        records = run_dir / "vntc.jsonl"
        lengths: list[int] = []
        count = write_jsonl(records, _noting_lengths(vntc_records(documents), lengths))
        step = max(1, count // sample)
        picked = [
            (r["text"] or "", r["topic"], r["issuer"])
            for i, r in enumerate(vntc_records(documents))
            if i % step == 0
        ][:sample]
        print(f"VNTC: {count} articles; naive loop on every {step}th ({len(picked)} articles)", flush=True)
        # Half of the naive sample before vanban and half after, so that a change of load on the shared
        # machine during the run falls on both peers. Its peak memory is the first half's: this process's
        # memory does not shrink after the larger vanban run.
        first = run_naive(picked[::2], run_dir / "naive-index-1")
        print(f"naive loop, first half done in {first['seconds']:.1f} s (load average {load_average()})")
        vanban = run_vanban(records, run_dir / "data", count)
        print(
            f"vanban pipeline done in {vanban['seconds']:.1f} s (load average {load_average()})", flush=True
        )
        _release_vanban_caches()
        second = run_naive(picked[1::2], run_dir / "naive-index-2")
        print(f"naive loop, second half done in {second['seconds']:.1f} s (load average {load_average()})")
        seconds = first["seconds"] + second["seconds"]
        naive = first | {
            "documents": len(picked),
            "seconds": seconds,
            "docs_per_second": len(picked) / seconds,
            "halves_docs_per_second": [first["docs_per_second"], second["docs_per_second"]],
        }
        if keep is not None:
            keep(run_dir / "data", documents)
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    ratio = vanban["docs_per_second"] / naive["docs_per_second"]
    outside = vanban["outside_segmentation_share"]
    return {
        "documents": count,
        "chars_per_doc": {
            "all": sum(lengths) / count,
            "naive_sample": sum(len(t) for t, _, _ in picked) / len(picked),
        },
        "vanban": vanban,
        "naive": naive,
        "naive_extrapolated_seconds": count / naive["docs_per_second"],
        "ratio": ratio,
        "goal": GOAL,
        "pass": ratio >= GOAL and outside <= MAX_OUTSIDE_SHARE,
    }


def report(result: dict[str, Any]) -> None:
    vanban, naive = result["vanban"], result["naive"]
    print(f"machine: {describe_machine(result['machine'])}; load average {result['load_average']}")
    print(f"command: {result['command']}")
    chars = result["chars_per_doc"]
    print(f"\nVNTC: {result['documents']} articles, {chars['all']:.0f} characters per article on average "
          f"(naive-loop sample: {naive['documents']} articles, {chars['naive_sample']:.0f} characters each)")  # fmt: skip
    print(
        f"  {'peer':<34}{'documents':>10}{'seconds':>10}{'docs/s':>9}{'peak RSS MB':>13}{'peak PSS MB':>13}"
    )
    for name, row in (("vanban import (store + index)", vanban), ("naive loop (sample)", naive)):
        print(f"  {name:<34}{row['documents']:>10}{row['seconds']:>10.1f}{row['docs_per_second']:>9.1f}"
              f"{row['peak_rss_mb']:>13.0f}{row['peak_pss_mb']:>13.0f}")  # fmt: skip
    print(f"  naive loop extrapolated to all {result['documents']} articles: "
          f"{result['naive_extrapolated_seconds']:.0f} s (per document)")  # fmt: skip
    print("\nwhere vanban's time goes:")
    for part, seconds in vanban["breakdown_seconds"].items():
        print(f"  {part:<30}{seconds:>9.1f} s {100 * seconds / vanban['seconds']:>6.1f}%")
    share = vanban["outside_segmentation_share"]
    print(f"time outside segmentation: {100 * share:.1f}% (goal <= {100 * MAX_OUTSIDE_SHARE:.0f}%) "
          f"{'met' if share <= MAX_OUTSIDE_SHARE else 'NOT met'}")  # fmt: skip
    print(
        f"vanban / naive loop: {result['ratio']:.2f}x documents per second (goal >= {GOAL}); "
        "PASS needs both goals"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,500 articles, naive loop on 150")
    parser.add_argument("--docs", type=int, help="VNTC articles (default: all; 1,500 with --quick)")
    parser.add_argument(
        "--naive-sample", type=int, help="articles of the naive loop (default 1,000; 150 quick)"
    )
    parser.add_argument("--keep-for-service", action="store_true",
                        help="keep the built data directory for http_load/memory (adds Bình Dương, untimed)")  # fmt: skip
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON ('-' for stdout)")
    args = parser.parse_args(argv)
    documents = args.docs if args.docs is not None else (1500 if args.quick else None)
    sample = args.naive_sample or (150 if args.quick else 1000)
    keep = None
    if args.keep_for_service:
        from bench.common import adopt_service_data_dir

        keep = adopt_service_data_dir
    figures = measure(documents, sample, keep)
    publish("index", "bench/index_build.py", argv, args.quick, figures, LIBRARIES, GOAL, report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

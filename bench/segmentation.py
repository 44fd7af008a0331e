"""Word-segmentation throughput: vanban's segmenter vs ``underthesea.word_tokenize`` and pyvi, in one run.

Usage (from the repository root)::

    .venv/bin/python bench/segmentation.py --quick             # 100 VNTC articles + 400 titles, < 60 s
    .venv/bin/python bench/segmentation.py                     # 3,000 VNTC articles + all 3,077 titles
    .venv/bin/python bench/segmentation.py --quick --json out.json   # figures as JSON too ("-": stdout)

Corpora (read by path from the shared data, never copied): the first VNTC test articles
(``bench/vntc/test.jsonl.gz``, field ``text``, one article = one text) and the Bình Dương summaries
(``admin/binhduong.jsonl``, field ``title``).

Peers, on the same texts, in this process, interleaved (the order rotates every round) and repeated;
medians are reported because the machine is shared:

* ``underthesea``: a plain loop of ``underthesea.word_tokenize(text)`` (model loaded beforehand);
* ``vanban-batch``: ``nlp.segment.segment_batch(texts, workers=2)`` with default settings, started cold
  every round (no cached texts, no learned tokens; the model is loaded beforehand, as underthesea's is);
* ``vanban-single``: the same segmenter in this process only (``Segmenter.segment_many``), cold;
* ``pyvi``: ``ViTokenizer.tokenize(text)`` for reference (a different, less accurate model).

Both vanban outputs must be identical to underthesea's, text by text: the run stops with an error
otherwise. Throughput is syllables per second, syllables being the tokens of underthesea's segmentation
(the same count for every peer). The ratio is vanban-batch over underthesea on both corpora together
(total syllables / total median time); PASS needs ratio >= 3.0 and vanban-batch at least as fast as pyvi.
The last line is ``segmentation: ratio R (goal 3.0) PASS|FAIL``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import describe_machine, load_average, machine_info, median, shared_data_dir, timed  # noqa: E402
from nlp.segment import PARALLEL_MIN_CHARS  # noqa: E402

GOAL = 3.0
PEERS = ("underthesea", "vanban-batch", "vanban-single", "pyvi")
LIBRARIES = ("underthesea", "underthesea-core", "numpy", "pyvi", "python-crfsuite")


@dataclass
class Corpus:
    name: str
    texts: list[str]
    reference: list[list[str]] = field(default_factory=list)
    seconds: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PEERS})

    @property
    def syllables(self) -> int:
        return sum(len(word.split(" ")) for words in self.reference for word in words)


def read_vntc(data: Path, limit: int) -> list[str]:
    with gzip.open(data / "bench" / "vntc" / "test.jsonl.gz", "rt", encoding="utf-8") as handle:
        return [json.loads(line)["text"] or "" for line in islice(handle, limit)]


def read_titles(data: Path, limit: int) -> list[str]:
    with open(data / "admin" / "binhduong.jsonl", encoding="utf-8") as handle:
        return [json.loads(line)["title"] or "" for line in islice(handle, limit)]


def check_identical(peer: str, corpus: Corpus, output: Sequence[Sequence[str]]) -> None:
    """Stop the benchmark if ``output`` differs from underthesea's on any text."""
    for i, (got, want) in enumerate(zip(output, corpus.reference, strict=True)):
        if list(got) != want:
            raise SystemExit(
                f"{peer} differs from underthesea.word_tokenize on {corpus.name} text {i}: {got!r} != {want!r}"
            )


def make_peers(workers: int) -> dict[str, Callable[[list[str]], Any]]:
    import underthesea
    from pyvi import ViTokenizer

    from nlp.segment import Segmenter, default_segmenter, segment_batch

    single = Segmenter(cache_size=0)

    def batch(texts: list[str]) -> list[list[str]]:
        default_segmenter().clear_cache()  # cold: no cached texts, no learned tokens
        return segment_batch(texts, workers=workers)

    def single_process(texts: list[str]) -> list[tuple[str, ...]]:
        single.clear_cache()
        return single.segment_many(texts)

    # Load every model before timing anything.
    warm = "Ủy ban nhân dân tỉnh ban hành kế hoạch"
    underthesea.word_tokenize(warm)
    default_segmenter().load()
    single.load()
    ViTokenizer.tokenize(warm)
    return {
        "underthesea": lambda texts: [underthesea.word_tokenize(t) for t in texts],
        "vanban-batch": batch,
        "vanban-single": single_process,
        "pyvi": lambda texts: [ViTokenizer.tokenize(t) for t in texts],
    }


def run(corpora: list[Corpus], rounds: int, workers: int) -> None:
    """Time every peer on every corpus, ``rounds`` times, rotating the order; check outputs as it goes.

    underthesea's first output is the reference (its later outputs must equal it too); vanban's outputs of a
    round are checked against it once the round is over.
    """
    peers = make_peers(workers)
    for round_no in range(rounds):
        order = PEERS[round_no % len(PEERS) :] + PEERS[: round_no % len(PEERS)]
        for corpus in corpora:
            outputs: dict[str, Any] = {}
            for peer in order:
                seconds, outputs[peer] = timed(partial(peers[peer], corpus.texts))
                corpus.seconds[peer].append(seconds)
            if not corpus.reference:
                corpus.reference = outputs["underthesea"]
                chars = sum(map(len, set(corpus.texts)))
                processes = workers if workers > 1 and chars >= PARALLEL_MIN_CHARS else 1
                print(
                    f"{corpus.name}: {len(corpus.texts)} texts ({len(set(corpus.texts))} distinct, {chars} "
                    f"characters), {corpus.syllables} syllables; vanban-batch uses {processes} process(es)",
                    flush=True,
                )
            for peer in ("underthesea", "vanban-batch", "vanban-single"):
                check_identical(peer, corpus, outputs[peer])
        print(f"round {round_no + 1}/{rounds} done (load average {load_average()})", flush=True)


def figures(corpora: list[Corpus]) -> dict[str, Any]:
    def peer_figures(syllables: int, seconds: dict[str, float]) -> dict[str, Any]:
        base = syllables / seconds["underthesea"]
        return {
            peer: {
                "median_seconds": round(seconds[peer], 4),
                "syllables_per_second": round(syllables / seconds[peer]),
                "ratio_vs_underthesea": round(syllables / seconds[peer] / base, 2),
            }
            for peer in PEERS
        }

    out: dict[str, Any] = {"corpora": {}}
    total_seconds = dict.fromkeys(PEERS, 0.0)
    for corpus in corpora:
        medians = {peer: median(corpus.seconds[peer]) for peer in PEERS}
        for peer in PEERS:
            total_seconds[peer] += medians[peer]
        out["corpora"][corpus.name] = {
            "texts": len(corpus.texts),
            "distinct_texts": len(set(corpus.texts)),
            "syllables": corpus.syllables,
            "rounds_seconds": {peer: [round(s, 4) for s in corpus.seconds[peer]] for peer in PEERS},
            "peers": peer_figures(corpus.syllables, medians),
        }
    syllables = sum(c.syllables for c in corpora)
    out["total"] = {"syllables": syllables, "peers": peer_figures(syllables, total_seconds)}
    peers = out["total"]["peers"]
    out["ratio"] = peers["vanban-batch"]["ratio_vs_underthesea"]
    out["ratio_vs_pyvi"] = round(
        peers["vanban-batch"]["syllables_per_second"] / peers["pyvi"]["syllables_per_second"], 2
    )
    out["goal"] = GOAL
    out["pass"] = out["ratio"] >= GOAL and out["ratio_vs_pyvi"] >= 1.0
    return out


def report(result: dict[str, Any]) -> None:
    print(f"machine: {describe_machine(result['machine'])}; load average {result['load_average']}")
    print(f"command: {result['command']}")
    print(
        "identical output: vanban-batch and vanban-single equal underthesea.word_tokenize on every text, every round"
    )
    for name, corpus in [*result["corpora"].items(), ("total", result["total"])]:
        print(f"\n{name}: {corpus['syllables']} syllables")
        print(f"  {'peer':<15}{'median s':>10}{'syllables/s':>14}{'× underthesea':>15}")
        for peer, row in corpus["peers"].items():
            print(
                f"  {peer:<15}{row['median_seconds']:>10.3f}{row['syllables_per_second']:>14,}"
                f"{row['ratio_vs_underthesea']:>15.2f}"
            )
    print(f"\nvanban-batch vs pyvi: {result['ratio_vs_pyvi']:.2f}× (goal >= 1.0)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small corpora (under a minute)")
    parser.add_argument("--docs", type=int, help="VNTC articles (default 100 quick, 3000 full)")
    parser.add_argument("--titles", type=int, help="Bình Dương titles (default 400 quick, all full)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per peer (median reported)")
    parser.add_argument("--workers", type=int, default=2, help="processes for vanban-batch")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON ('-' for stdout)")
    args = parser.parse_args(argv)
    docs = args.docs if args.docs is not None else (100 if args.quick else 3000)
    titles = args.titles if args.titles is not None else (400 if args.quick else 10**9)

    data = shared_data_dir()
    corpora = [Corpus("vntc", read_vntc(data, docs)), Corpus("binhduong-titles", read_titles(data, titles))]
    run(corpora, max(1, args.rounds), args.workers)
    result = {
        "benchmark": "segmentation",
        "command": " ".join(
            [".venv/bin/python", "bench/segmentation.py", *(argv if argv is not None else sys.argv[1:])]
        ),
        "mode": "quick" if args.quick else "full",
        "rounds": args.rounds,
        "workers": args.workers,
        "machine": machine_info(LIBRARIES),
        "load_average": load_average(),
        **figures(corpora),
        "identical_output": True,
    }
    report(result)
    if args.json == "-":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    elif args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"segmentation: ratio {result['ratio']:.1f} (goal {GOAL:.1f}) {'PASS' if result['pass'] else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Memory: resident memory of the running service with the VNTC index loaded, after a warm-up of queries.

Usage (from the repository root)::

    .venv/bin/python bench/memory.py            # all of VNTC (80,790 articles) + Bình Dương
    .venv/bin/python bench/memory.py --quick    # 1,500 VNTC articles + Bình Dương: a SMALLER index
    .venv/bin/python bench/memory.py --json out.json

The service is started exactly as in ``bench/http_load.py`` (``vanban serve --workers W``, W = the
service's default 1 unless ``--workers``; ``--threads``; production access settings) on the same kind of data directory, then warmed up with the same query
mix under the same 32-client load (``bench/loadgen.py``, a separate process; 20 s, quick 5 s), so that
every worker has opened the index, built its caches and answered every kind of query. The data directory
holds an active model of the default recipe (:func:`bench.common.ensure_model`), as a deployed one does:
every worker loads it.

Measured: the memory of the service's process tree (the ``vanban serve`` supervisor and its worker
processes, or with one worker the one process uvicorn then serves in, plus any helper process: resource
tracker, extraction server; read from /proc through psutil) before and after the warm-up:

* **RSS summed over the processes** — what the ratio uses. Pages shared between processes (the index files
  each worker maps, shared libraries) count once per process, so this is an upper bound;
* PSS summed (shared pages divided among the processes sharing them: what the tree really holds) and USS
  summed (pages private to each process), for reference.

Ratio = 1 GB (10^9 bytes) / RSS sum; PASS when >= 1.0. The last line is
``memory: ratio R (goal 1.0) PASS|FAIL``; a run in which uvicorn replaced a worker during the warm-up
cannot PASS (the new worker starts cold, so the figure would understate).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import (  # noqa: E402
    describe_machine,
    process_tree_memory,
    publish,
    service_data_dir,
)
from bench.http_load import Service, load, query_mix, service_workers, target  # noqa: E402

GOAL = 1.0
LIMIT_BYTES = 1_000_000_000
LIBRARIES = ("tantivy", "underthesea-core", "fastapi", "uvicorn", "numpy", "scikit-learn")


def index_size(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in (data_dir / "index").rglob("*") if p.is_file())


def measure(
    vntc_limit: int | None, warmup_s: float, workers: int, threads: int | None = None
) -> dict[str, Any]:
    from corpus.store import Store

    data_dir = service_data_dir(vntc_limit)
    with Store.open(data_dir) as store:
        documents = store.count()
    targets = [target(params) for _, params in query_mix(vntc_limit)]
    with (
        tempfile.TemporaryDirectory(prefix="vanban-memory-") as tmp,
        Service(data_dir, workers, Path(tmp) / "serve.log", threads) as service,
    ):
        idle = process_tree_memory(service.pid)
        workers_before = service.worker_pids()
        warm = load(service, targets, warmup_s, 32, Path(tmp))
        # A worker uvicorn replaced during the warm-up (died, or missed its health check on a starved
        # machine) starts cold again: the figure would understate, so such a run cannot PASS.
        replaced = len(workers_before - service.worker_pids())
        loaded = process_tree_memory(service.pid)
        command = service.describe(data_dir)
    rss = loaded["rss"]
    return {
        "vntc_documents": vntc_limit or "all",
        "documents": documents,
        "index_mb": index_size(data_dir) / 2**20,
        "service_command": command,
        "workers": workers,
        "request_threads": threads,
        "warmup": {
            "seconds": warm["duration_s"],
            "requests": warm["requests"],
            "errors": warm["errors"],
            "error_kinds": warm["error_kinds"],
            "latency_ms": warm["latency_ms"],
        },
        "idle": idle,
        "after_warmup": loaded,
        "replaced_workers": replaced,
        "ratio": LIMIT_BYTES / rss,
        "goal": GOAL,
        "pass": LIMIT_BYTES / rss >= GOAL and replaced == 0,
    }


def report(result: dict[str, Any]) -> None:
    mb = 2**20
    print(f"machine: {describe_machine(result['machine'])}; load average {result['load_average']}")
    print(f"command: {result['command']}")
    print(f"service: {result['service_command']}")
    print(f"data: {result['documents']} documents (VNTC {result['vntc_documents']} + Bình Dương), "
          f"index {result['index_mb']:.0f} MB on disk")  # fmt: skip
    w = result["warmup"]
    print(f"warm-up: {w['requests']} searches in {w['seconds']:.0f} s (p50 {w['latency_ms']['p50']:.0f} ms, "
          f"p99 {w['latency_ms']['p99']:.0f} ms), {w['errors']} errors {w['error_kinds'] or ''}")  # fmt: skip
    print(f"  {'process':<64}{'RSS MB':>9}{'PSS MB':>9}{'USS MB':>9}")
    for row in result["after_warmup"]["processes"]:
        print(f"  {str(row['pid']) + ' ' + row['cmd'][:56]:<64}{row['rss'] / mb:>9.0f}{row['pss'] / mb:>9.0f}"
              f"{row['uss'] / mb:>9.0f}")  # fmt: skip
    for name in ("idle", "after_warmup"):
        m = result[name]
        print(f"  {'total, ' + name.replace('_', ' '):<64}{m['rss'] / mb:>9.0f}{m['pss'] / mb:>9.0f}"
              f"{m['uss'] / mb:>9.0f}")  # fmt: skip
    if result["replaced_workers"]:
        print(f"WARNING: {result['replaced_workers']} worker process(es) replaced during the warm-up (started "
              "cold again): the figure understates and cannot PASS")  # fmt: skip
    print(f"limit 1 GB (10^9 bytes) / RSS summed over the {len(result['after_warmup']['processes'])} processes "
          f"= {result['ratio']:.2f} (goal >= {GOAL})")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="a smaller index: 1,500 VNTC articles, 5 s warm-up"
    )
    parser.add_argument(
        "--vntc", type=int, help="VNTC articles in the data directory (default all; 1,500 quick)"
    )
    parser.add_argument(
        "--warmup", type=float, help="seconds of query load before measuring (default 20; quick 5)"
    )
    parser.add_argument(
        "--workers", type=int, default=service_workers(), help="service workers (default: the service's, 1)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="request threads per worker (VANBAN_REQUEST_THREADS; default: the service's)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON ('-' for stdout)")
    args = parser.parse_args(argv)
    vntc = args.vntc if args.vntc is not None else (1500 if args.quick else None)
    figures = measure(vntc, args.warmup or (5.0 if args.quick else 20.0), args.workers, args.threads)
    publish("memory", "bench/memory.py", argv, args.quick, figures, LIBRARIES, GOAL, report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""HTTP load: ``/api/search`` with a clerk-like query mix vs the no-op ``/healthz`` of the same service.

Usage (from the repository root)::

    .venv/bin/python bench/http_load.py --quick     # 1,500 VNTC articles + Bình Dương, 10 s per route
    .venv/bin/python bench/http_load.py             # all of VNTC + Bình Dương, 30 s per route
    .venv/bin/python bench/http_load.py --json out.json

The service is the real one, started as ``vanban --data-dir D serve --workers W --log-level warning`` (W =
the service's own default, 1, unless ``--workers``; ``--threads T`` sets ``VANBAN_REQUEST_THREADS``, else
the service's default 4) with production access settings: ``VANBAN_API_KEYS`` holds a reader key (made
up for the run) and local mode is off, so every ``/api`` request is authenticated with
``Authorization: Bearer``. The data directory holds VNTC articles and the 3,077 Bình Dương documents
(numbers, types, dates, topics), imported and indexed (see :func:`bench.common.service_data_dir`).

Queries (fixed seed) mix what clerks type: document numbers as printed (``3637/UBND-VX``) and loosely
(``3637 ubnd vx``), title words with and without diacritics, with type / topic / date-range filters, a
filter-only listing, and 2–3 consecutive words of news articles with and without diacritics, quoted, or with
a topic filter. Before the load every distinct query is asked once: all must answer 200, and the share
that finds something is reported.

Load: ``bench/loadgen.py`` in a separate process, 32 clients (closed loop, keep-alive), first against
``/api/search`` then against ``/healthz`` (async like search, same middleware, no work: the no-op route),
each after a 2 s warm-up. Both run in this one run. Ratio = search requests per second / no-op requests per
second; PASS needs ratio >= 0.5, search p99 <= 50 ms and no error on either route.
The last line is ``http: ratio R (goal 0.5) PASS|FAIL``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import (  # noqa: E402
    describe_machine,
    load_average,
    publish,
    service_data_dir,
    shared_data_dir,
    vntc_records,
    work_dir,
)

GOAL = 0.5
MAX_P99_MS = 50.0
LIBRARIES = ("fastapi", "starlette", "uvicorn", "tantivy", "underthesea-core")
NOOP = "/healthz"


def service_workers() -> int:
    """The worker count ``vanban serve`` runs with by default: what a deployed service runs, so the figures
    describe it. ``--workers`` measures another count."""
    from service.commands.serve import default_workers

    return default_workers()


class Service:
    """``vanban serve`` in a child process with production settings; a context manager."""

    def __init__(self, data_dir: Path, workers: int, log: Path, threads: int | None = None) -> None:
        self.data_dir, self.workers, self.log = data_dir, workers, log
        self.threads = threads  # VANBAN_REQUEST_THREADS of each worker; None: the service's default
        self.token = secrets.token_urlsafe(24)
        with socket.socket() as probe:  # a free port now; nothing else of ours binds in between
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def command(self) -> list[str]:
        vanban = Path(sys.executable).parent / "vanban"
        return [str(vanban), "--data-dir", str(self.data_dir), "serve", "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning"]  # fmt: skip

    def __enter__(self) -> Service:
        env = dict(os.environ)
        env.pop("VANBAN_LOCAL_MODE", None)
        env["VANBAN_API_KEYS"] = f"bench-reader:reader:{self.token}"
        if self.threads is not None:
            env["VANBAN_REQUEST_THREADS"] = str(self.threads)
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(self.command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout: float = 180.0) -> None:
        """Until every worker runs: /readyz answers 200 several times in a row and the supervisor has
        its worker processes."""
        import httpx
        import psutil

        assert self.process is not None
        deadline = time.monotonic() + timeout
        streak = 0
        while streak < 4 * self.workers:
            if self.process.poll() is not None:
                raise SystemExit(f"vanban serve exited with {self.process.returncode}; see {self.log}")
            if time.monotonic() > deadline:
                raise SystemExit(f"vanban serve not ready after {timeout:.0f} s; see {self.log}")
            try:
                ok = httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200
            except httpx.HTTPError:
                ok = False
            children = len(psutil.Process(self.process.pid).children()) if self.workers > 1 else 1
            streak = streak + 1 if ok and children >= self.workers else 0
            time.sleep(0.05 if ok else 0.3)

    def worker_pids(self) -> set[int]:
        """The supervisor's child processes now: a pid that changes during a load is a worker that uvicorn
        replaced (it died, or missed its health check and was killed), dropping its connections."""
        import psutil

        return {child.pid for child in psutil.Process(self.pid).children()}

    def describe(self, data_dir: Path) -> str:
        """The command as a report shows it (data directory elided, request threads if set)."""
        command = " ".join(self.command).replace(str(data_dir), "<data-dir>")
        return f"VANBAN_REQUEST_THREADS={self.threads} {command}" if self.threads is not None else command

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown, workers included
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _loose_number(number: str) -> str:
    return " ".join(re.findall(r"\w+", number.lower()))


def _words(text: str) -> list[str]:
    from nlp.normalize import normalize

    return [w for w in re.findall(r"[^\W\d_]+", normalize(text).lower()) if len(w) > 1]


def query_mix(vntc_limit: int | None, n: int = 2000, seed: int = 6) -> list[tuple[str, dict[str, str]]]:
    """(kind, query parameters) of ``n`` queries drawn from the documents of the served data directory."""
    from nlp.normalize import fold

    rng = random.Random(seed)
    with open(shared_data_dir() / "admin" / "binhduong.jsonl", encoding="utf-8") as handle:
        admin = [json.loads(line) for line in handle]
    news = [
        (r["text"] or "", r["topic"]) for r, _ in zip(vntc_records(vntc_limit), range(5000), strict=False)
    ]
    numbered = [d for d in admin if d.get("number")]
    kinds = ["number", "number_loose", "title", "title_nodiac", "title_type", "title_topic_date",
             "type_date_only", "news", "news_nodiac", "news_phrase", "news_topic"]  # fmt: skip
    out: list[tuple[str, dict[str, str]]] = []
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        params: dict[str, str] = {}
        if kind.startswith("number"):
            number = rng.choice(numbered)["number"]
            params["q"] = number if kind == "number" else _loose_number(number)
        elif kind.startswith(("title", "type")):
            doc = rng.choice(admin)
            words = _words(doc.get("title") or "")
            if len(words) < 4 or not doc.get("doc_type") or not doc.get("issued_date"):
                continue
            start = rng.randrange(0, len(words) - 2)
            picked = " ".join(words[start : start + rng.randint(2, 3)])
            params["q"] = fold(picked) if kind == "title_nodiac" else picked
            year = doc["issued_date"][:4]
            if kind == "title_type":
                params["type"] = doc["doc_type"]
            elif kind == "title_topic_date":
                params |= {"topic": doc["topic"], "from": f"{year}-01-01", "to": f"{year}-12-31"}
            elif kind == "type_date_only":
                params = {
                    "type": doc["doc_type"],
                    "from": f"{year}-01-01",
                    "to": f"{year}-12-31",
                    "sort": "date",
                }
        else:
            text, topic = rng.choice(news)
            words = _words(text)
            if len(words) < 20:
                continue
            start = rng.randrange(0, len(words) - 4)
            picked = " ".join(words[start : start + rng.randint(2, 3)])
            params["q"] = {"news_nodiac": fold(picked), "news_phrase": f'"{picked}"'}.get(kind, picked)
            if kind == "news_topic":
                params["topic"] = topic
        out.append((kind, params))
    return out


def target(params: dict[str, str]) -> str:
    return "/api/search?" + urlencode(params, quote_via=quote)


def check_queries(
    service: Service, queries: list[tuple[str, dict[str, str]]], per_kind: int | None
) -> dict[str, Any]:
    """Ask every distinct query once (``per_kind``: only the first N of each kind): all must answer 200;
    per kind, the share that finds something."""
    import httpx

    found: dict[str, list[int]] = {}
    headers = {"Authorization": f"Bearer {service.token}"}
    with httpx.Client(base_url=service.url, headers=headers, timeout=30) as client:
        for kind, params in dict.fromkeys((k, tuple(sorted(p.items()))) for k, p in queries):
            if per_kind is not None and len(found.get(kind, ())) >= per_kind:
                continue
            response = client.get(target(dict(params)))
            if response.status_code != 200:
                raise SystemExit(
                    f"{target(dict(params))} answered {response.status_code}: {response.text[:300]}"
                )
            found.setdefault(kind, []).append(int(response.json()["total"] > 0))
    return {kind: {"queries": len(v), "found_share": sum(v) / len(v)} for kind, v in found.items()}


def load(
    service: Service, targets: list[str], seconds: float, concurrency: int, work: Path
) -> dict[str, Any]:
    paths = work / f"targets-{len(targets)}.txt"
    paths.write_text("\n".join(targets) + "\n", encoding="utf-8")
    command = [sys.executable, str(REPO / "bench" / "loadgen.py"), "--port", str(service.port),
               "--paths", str(paths), "--header", f"Authorization: Bearer {service.token}",
               "--concurrency", str(concurrency), "--duration", str(seconds), "--warmup", "2"]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"loadgen failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def measure(
    vntc_limit: int | None,
    seconds: float,
    workers: int,
    concurrency: int,
    check_per_kind: int | None,
    threads: int | None = None,
) -> dict[str, Any]:
    data_dir = service_data_dir(vntc_limit)
    queries = query_mix(vntc_limit)
    with tempfile.TemporaryDirectory(prefix="vanban-http-") as tmp:
        work = Path(tmp)
        log = work_dir() / "http-serve.log"  # kept after the run, for errors
        with Service(data_dir, workers, log, threads) as service:
            print(f"service up: {' '.join(service.command)} (pid {service.pid})", flush=True)
            kinds = check_queries(service, queries, check_per_kind)
            before = service.worker_pids()
            search = load(service, [target(p) for _, p in queries], seconds, concurrency, work)
            search["replaced_processes"] = len(before - service.worker_pids())
            print(f"search: {search['rps']:.0f} req/s (load average {load_average()})", flush=True)
            before = service.worker_pids()
            noop = load(service, [NOOP], seconds, concurrency, work)
            noop["replaced_processes"] = len(before - service.worker_pids())
            print(f"no-op: {noop['rps']:.0f} req/s (load average {load_average()})", flush=True)
            command = service.describe(data_dir)
    ratio = search["rps"] / noop["rps"] if noop["rps"] else 0.0
    errors = search["errors"] + noop["errors"]
    return {
        "vntc_documents": vntc_limit or "all",
        "service_command": command,
        "workers": workers,
        "request_threads": threads,
        "concurrency": concurrency,
        "query_kinds": kinds,
        "search": search,
        "noop": noop,
        "ratio": ratio,
        "goal": GOAL,
        "pass": ratio >= GOAL and search["latency_ms"]["p99"] <= MAX_P99_MS and errors == 0,
    }


def report(result: dict[str, Any]) -> None:
    print(f"machine: {describe_machine(result['machine'])}; load average {result['load_average']}")
    print(f"command: {result['command']}")
    print(f"service: {result['service_command']} (reader key in VANBAN_API_KEYS, local mode off)")
    print(f"data: VNTC {result['vntc_documents']} articles + 3,077 Bình Dương documents; "
          f"{result['concurrency']} clients, bench/loadgen.py in its own process")  # fmt: skip
    print("queries (distinct, share finding something): " + ", ".join(
        f"{k} {v['queries']} {100 * v['found_share']:.0f}%" for k, v in result["query_kinds"].items()))  # fmt: skip
    print(f"  {'route':<14}{'seconds':>8}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}")  # fmt: skip
    for name in ("search", "noop"):
        r = result[name]
        lat = r["latency_ms"]
        route = "/api/search" if name == "search" else NOOP
        print(f"  {route:<14}{r['duration_s']:>8.1f}{r['requests']:>10}{r['rps']:>9.1f}{lat['p50']:>9.1f}"
              f"{lat['p90']:>9.1f}{lat['p99']:>9.1f}{r['errors']:>8}")  # fmt: skip
    replaced = result["search"]["replaced_processes"] + result["noop"]["replaced_processes"]
    if replaced:
        print(f"service worker processes replaced during the load: {replaced} (their connections dropped)")
    print(f"search / no-op throughput: {result['ratio']:.2f} (goal >= {GOAL}); search p99 "
          f"{result['search']['latency_ms']['p99']:.1f} ms (goal <= {MAX_P99_MS:.0f}); errors "
          f"{result['search']['errors'] + result['noop']['errors']} (goal 0)")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,500 VNTC articles, 10 s per route")
    parser.add_argument(
        "--vntc", type=int, help="VNTC articles in the data directory (default all; 1,500 quick)"
    )
    parser.add_argument("--seconds", type=float, help="measured seconds per route (default 30; 10 quick)")
    parser.add_argument(
        "--workers", type=int, default=service_workers(), help="service workers (default: the service's, 1)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="request threads per worker (VANBAN_REQUEST_THREADS; default: the service's)",
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON ('-' for stdout)")
    args = parser.parse_args(argv)
    vntc = args.vntc if args.vntc is not None else (1500 if args.quick else None)
    seconds = args.seconds or (10.0 if args.quick else 30.0)
    figures = measure(vntc, seconds, args.workers, args.concurrency, 10 if args.quick else None, args.threads)
    publish("http", "bench/http_load.py", argv, args.quick, figures, LIBRARIES, GOAL, report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())

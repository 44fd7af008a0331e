"""Shared helpers for the benchmarks: where the shared data is, what machine ran them, robust timing.

Every benchmark reports the machine beside its figures (cores, memory, Python and library versions), so that
``docs/benchmarks.md`` says what produced each number.

Example
-------
>>> info = machine_info(["numpy"])
>>> sorted(info)
['cores', 'cpu', 'libraries', 'memory_gb', 'platform', 'python']
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """``$VANBAN_SHARED_DATA`` or ``<repo>/../shared/data``; exits with a clear message if it is missing."""
    env = os.environ.get("VANBAN_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    if not (path / "README.md").is_file():
        raise SystemExit(
            f"shared data not found at {path}: put the shared/ folder beside the repository "
            "or set VANBAN_SHARED_DATA=/path/to/shared/data"
        )
    return path


def _memory_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(libraries: Iterable[str] = ()) -> dict[str, Any]:
    """Cores (usable by this process), memory, CPU, OS, Python and the versions of ``libraries``."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions: dict[str, str] = {}
    for name in libraries:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cores": usable,
        "memory_gb": _memory_gb(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "libraries": versions,
    }


def describe_machine(info: dict[str, Any]) -> str:
    """One line for a report: ``2 cores, 23.4 GB, <cpu>, Python 3.11.7, numpy 2.1.0, ...``."""
    libs = ", ".join(f"{name} {version}" for name, version in info["libraries"].items())
    return f"{info['cores']} cores, {info['memory_gb']} GB, {info['cpu']}, Python {info['python']}" + (
        f", {libs}" if libs else ""
    )


def load_average() -> str:
    """The 1/5/15-minute load average: other work on the machine makes timings noisy; say so."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """Wall-clock seconds of one call, and its result."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


# -- shared by index_build, http_load and memory -------------------------------------------------------

# VNTC's newspapers, as the issuer of the imported articles (the records name them by code).
VNTC_AGENCIES = {
    "VNE": "VnExpress",
    "NLD": "Báo Người Lao Động",
    "TT": "Báo Tuổi Trẻ",
    "TN": "Báo Thanh Niên",
}


def work_dir() -> Path:
    """Where benchmarks keep what they build (``$VANBAN_BENCH_WORK`` or ``<tmp>/vanban-bench``)."""
    import tempfile

    env = os.environ.get("VANBAN_BENCH_WORK")
    path = Path(env) if env else Path(tempfile.gettempdir()) / "vanban-bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def vntc_records(limit: int | None = None) -> Iterable[dict[str, Any]]:
    """VNTC articles (train then test) as vanban import records: ``text``, ``topic`` (the VNTC label as a
    slug), ``issuer`` (the newspaper). ``limit``: only the first N."""
    import gzip
    import json

    from nlp.normalize import fold

    count = 0
    for split in ("train", "test"):
        path = shared_data_dir() / "bench" / "vntc" / f"{split}.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if limit is not None and count >= limit:
                    return
                row = json.loads(line)
                agency = row.get("source_agency") or ""
                yield {
                    "id": f"vntc-{count:06d}",
                    "text": row["text"],
                    "topic": "-".join(fold(row["label"]).lower().split()),
                    "issuer": VNTC_AGENCIES.get(agency, agency or None),
                    "source_url": row["id"],
                }
                count += 1


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    import json

    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def process_tree_memory(pid: int) -> dict[str, Any]:
    """Memory of process ``pid`` and all its descendants: RSS summed over the processes (counts pages
    shared between them, e.g. the mapped index files, once per process: an upper bound), PSS summed
    (shared pages split between the processes sharing them: what the tree really holds) and USS summed
    (pages private to each process). Bytes; ``processes`` lists each one."""
    import psutil

    root = psutil.Process(pid)
    rows = []
    for proc in [root, *root.children(recursive=True)]:
        try:
            full = proc.memory_full_info()
            rows.append(
                {
                    "pid": proc.pid,
                    "cmd": " ".join(proc.cmdline()[:4])[:120],
                    "rss": full.rss,
                    "pss": getattr(full, "pss", full.rss),
                    "uss": full.uss,
                }
            )
        except (psutil.NoSuchProcess, psutil.AccessDenied):  # a process may exit between listing and reading
            continue
    return {
        "rss": sum(r["rss"] for r in rows),
        "pss": sum(r["pss"] for r in rows),
        "uss": sum(r["uss"] for r in rows),
        "processes": rows,
    }


class PeakMemory:
    """Samples this process plus its children (analysis workers) every 100 ms; peaks in bytes.

    ``peak``: RSS summed over the processes. Forked workers share their parent's pages copy-on-write and
    RSS counts those once per process, so this overstates; ``peak_pss`` (proportional set size, shared
    pages divided among their sharers) is what the processes really hold together.

    >>> with PeakMemory() as mem:  # doctest: +SKIP
    ...     build()
    >>> mem.peak, mem.peak_pss  # doctest: +SKIP
    """

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        import psutil

        self._process = psutil.Process()
        self._interval = interval
        self.peak = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[int, int]:
        import psutil

        rss = pss = 0
        for proc in [self._process, *self._process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a worker may exit between listing and reading
                full = proc.memory_full_info()
                rss += full.rss
                pss += getattr(full, "pss", full.rss)
        return rss, pss

    def _update(self) -> None:
        rss, pss = self.sample()
        self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._update()
            self._stop.wait(self._interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._update()


def result_line(name: str, ratio: float, goal: float, passed: bool) -> str:
    """The last line of every benchmark, which ``run_all`` collects: ``NAME: ratio R (goal G) PASS|FAIL``."""
    return f"{name}: ratio {ratio:.2f} (goal {goal:.1f}) {'PASS' if passed else 'FAIL'}"


def publish(
    name: str,
    script: str,
    argv: Sequence[str] | None,
    quick: bool,
    figures: dict[str, Any],
    libraries: Iterable[str],
    goal: float,
    report: Callable[[dict[str, Any]], None],
    json_path: str | None,
) -> dict[str, Any]:
    """The common ending of the issue-6 benchmarks: wrap ``figures`` (which carry ``ratio`` and ``pass``)
    with the command, mode and machine, print the human report, write the JSON (``-``: stdout) and end
    with :func:`result_line`, which ``run_all`` collects."""
    import json

    shown = argv if argv is not None else sys.argv[1:]
    result = {
        "benchmark": name,
        "command": " ".join([".venv/bin/python", script, *shown]),
        "mode": "quick" if quick else "full",
        **figures,
        "machine": machine_info(libraries),
        "load_average": load_average(),
    }
    report(result)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if json_path == "-":
        print(text)
    elif json_path:
        Path(json_path).write_text(text + "\n", encoding="utf-8")
    print(result_line(name, result["ratio"], goal, result["pass"]))
    return result


def import_with_index(data_dir: Path, paths: Iterable[Path]) -> Any:
    """What ``vanban import PATH...`` does: store the records and index them as they are stored (the
    index listens to the store and analyses each batch of 1,000 documents with all cores). Returns the
    :class:`corpus.importer.ImportReport`."""
    from corpus.importer import import_paths
    from corpus.index import SearchIndex
    from corpus.store import Store

    with Store.open(data_dir) as store:
        detach = SearchIndex.for_store(store, data_dir).attach(store, background=True)
        try:
            return import_paths(store, list(paths), progress=False)
        finally:
            detach()


def service_data_dir(vntc_limit: int | None, say: Callable[[str], None] = print) -> Path:
    """A data directory holding the first ``vntc_limit`` VNTC articles (None: all of VNTC) and the 3,077
    Bình Dương documents (numbers, types, dates, topics: what clerks filter on), imported and indexed.
    Built once and reused while the analyser and index schema stay the same (``built.json``)."""
    import json
    import shutil

    root = _service_root(vntc_limit)
    stamp = _service_stamp(vntc_limit)
    marker = root / "built.json"
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == stamp:
        ensure_model(root / "data", say)
        return root / "data"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    records = root / "vntc.jsonl"
    say(f"building the service data directory {root} (VNTC {vntc_limit or 'all'} + Bình Dương) …")
    started = time.perf_counter()
    write_jsonl(records, vntc_records(vntc_limit))
    import_with_index(root / "data", [records, shared_data_dir() / "admin" / "binhduong.jsonl"])
    records.unlink()
    ensure_model(root / "data", say)
    marker.write_text(json.dumps(stamp), encoding="utf-8")
    say(f"built in {time.perf_counter() - started:.0f} s")
    return root / "data"


def ensure_model(data_dir: Path, say: Callable[[str], None] = print) -> None:
    """An active model in ``data_dir``, as a deployed service has (its vocabularies and coefficients are
    part of every worker's memory): the default recipe, trained without cross-validation (~15 s), again
    whenever the active one cannot be loaded by this code (another features or scikit-learn version)."""
    import subprocess

    from models.registry import Registry

    registry = Registry.open(data_dir)
    active = registry.active_version()
    if active is not None:
        try:
            registry.check(active)
            return
        except Exception as exc:  # noqa: BLE001 - any refusal means: train a current one
            say(f"the service data directory's model {active} is not usable here ({exc}); training again")
    say("training the default model (no cross-validation) into the service data directory …")
    vanban = Path(sys.executable).with_name("vanban")
    env = {**os.environ, "VANBAN_SHARED_DATA": str(shared_data_dir())}
    command = [str(vanban), "--data-dir", str(data_dir), "train", "--cv", "0", "--activate"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"training the service model failed: {done.stderr[-2000:]}")


def _service_root(vntc_limit: int | None) -> Path:
    return work_dir() / "service" / (f"vntc-{vntc_limit}" if vntc_limit else "vntc-full")


def _service_stamp(vntc_limit: int | None) -> dict[str, Any]:
    from corpus.index import SCHEMA_VERSION
    from nlp.analyzer import ANALYZER_VERSION

    return {"vntc": vntc_limit, "binhduong": True, "analyzer": ANALYZER_VERSION, "schema": SCHEMA_VERSION}


def adopt_service_data_dir(data_dir: Path, vntc_limit: int | None) -> Path:
    """Make ``data_dir`` (the first ``vntc_limit`` VNTC articles, imported and indexed by index_build) the
    cached service data directory: move it in place and add the Bình Dương documents. Saves building the
    same VNTC index twice in one ``make bench``."""
    import json
    import shutil

    root = _service_root(vntc_limit)
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.move(str(data_dir), str(root / "data"))
    import_with_index(root / "data", [shared_data_dir() / "admin" / "binhduong.jsonl"])
    ensure_model(root / "data")
    (root / "built.json").write_text(json.dumps(_service_stamp(vntc_limit)), encoding="utf-8")
    return root / "data"

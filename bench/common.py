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

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable
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

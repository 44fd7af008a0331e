"""Run every benchmark of issue 6, one after the other, and end with one verdict line each.

Usage (from the repository root; ``make bench-quick`` / ``make bench`` run these)::

    .venv/bin/python bench/run_all.py --quick                        # small sizes, under 3 minutes
    .venv/bin/python bench/run_all.py --docs docs/benchmarks.md      # full sizes, rewrites the generated part

Each benchmark runs as its own process with ``--json``; its report is shown as it runs. The output ends with
exactly five lines, in this order::

    segmentation: ratio R (goal 3.0) PASS|FAIL
    index: ratio R (goal 2.5) PASS|FAIL
    search: ratio R (goal 3.0) PASS|FAIL
    http: ratio R (goal 0.5) PASS|FAIL
    memory: ratio R (goal 1.0) PASS|FAIL

Every ratio is "higher is better" except ``search``: there R = vanban's median latency / a raw tantivy term
query's median latency on the same index (lower is better; PASS when R <= 3.0), taken from the line
``search_speed.py`` prints if it prints one, else computed here from its JSON. A benchmark that crashes
gets ``ratio n/a`` and FAIL.

With ``--docs FILE`` the part of FILE between ``<!-- bench:generated:start -->`` and
``<!-- bench:generated:end -->`` (appended when missing) is replaced by the figures of this run: the verdict
table, each benchmark's exact command, wall time and printed report, and the machine (cores, memory, CPU,
Python and library versions, load average before and after). The hand-written sections stay as they are.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import describe_machine, load_average, machine_info  # noqa: E402

START = "<!-- bench:generated:start -->"
END = "<!-- bench:generated:end -->"
LIBRARIES = ("underthesea", "underthesea-core", "pyvi", "tantivy", "numpy", "scikit-learn", "bm25s",
             "fastapi", "starlette", "uvicorn", "httpx", "psutil")  # fmt: skip
_VERDICT = re.compile(r"^(\w+): ratio (\S+) \(goal ([\d.]+)\) (PASS|FAIL)$")


@dataclass
class Bench:
    name: str
    script: str
    goal: float
    quick: list[str]
    full: list[str] = field(default_factory=list)
    line: str = ""
    seconds: float = 0.0
    command: str = ""
    output: str = ""


BENCHES = [
    Bench("segmentation", "segmentation.py", 3.0, ["--quick"]),
    # index keeps its VNTC data directory for http and memory, which then need not build it again.
    Bench("index", "index_build.py", 2.5, ["--quick", "--keep-for-service"], ["--keep-for-service"]),
    Bench("search", "search_speed.py", 3.0, ["--quick"]),
    Bench("http", "http_load.py", 0.5, ["--quick"]),
    Bench("memory", "memory.py", 1.0, ["--quick"]),
]


def search_line(output: str, result_json: Path, goal: float) -> str:
    """``search: ratio R (goal 3.0) PASS|FAIL`` with R = vanban median / raw tantivy median (lower is better)."""
    for line in reversed(output.splitlines()):
        if line.startswith("search: ratio "):
            return line
    data = json.loads(result_json.read_text(encoding="utf-8"))
    results = data["results"]
    ratio = results["vanban"]["median_ms"] / results["tantivy_raw_term"]["median_ms"]
    return f"search: ratio {ratio:.2f} (goal {goal:.1f}) {'PASS' if ratio <= goal else 'FAIL'}"


def run_one(bench: Bench, quick: bool, tmp: Path) -> None:
    result_json = tmp / f"{bench.name}.json"
    args = [*(bench.quick if quick else bench.full), "--json", str(result_json)]
    bench.command = " ".join([".venv/bin/python", f"bench/{bench.script}", *args[:-2]])
    print(f"\n=== {bench.name}: {bench.command} (load average {load_average()})", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "bench" / bench.script), *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:  # shown as it comes: full runs take long
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    process.wait()
    bench.seconds = time.perf_counter() - started
    bench.output = "\n".join(lines)
    try:
        if process.returncode != 0:
            raise RuntimeError(f"exit code {process.returncode}")
        line = search_line(bench.output, result_json, bench.goal) if bench.name == "search" else lines[-1]
        if not (match := _VERDICT.match(line)) or match.group(1) != bench.name:
            raise RuntimeError(f"unexpected last line {line!r}")
        bench.line = line
    except (RuntimeError, OSError, KeyError, ValueError, IndexError) as exc:
        print(f"{bench.name} failed: {exc}", flush=True)
        bench.line = f"{bench.name}: ratio n/a (goal {bench.goal:.1f}) FAIL"


def generated_section(quick: bool, machine: dict[str, Any], loads: tuple[str, str], total_s: float) -> str:
    out = [
        START,
        "## Generated by `make bench` (issue 6)",
        "",
        f"Written by `bench/run_all.py{' --quick' if quick else ''} --docs docs/benchmarks.md` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {total_s / 60:.1f} min; do not edit by hand.",
        f"Machine: {describe_machine(machine)}; {machine['platform']}.",
        f"Load average (1/5/15 min) before: {loads[0]}; after: {loads[1]} (other work on the machine slows "
        "every peer of a run alike; ratios are measured within one run).",
        "",
        "All ratios are higher-is-better except search, where R = vanban's median latency / a raw tantivy "
        "term query's on the same index (PASS when R <= 3).",
        "",
        "| benchmark | ratio | goal | result | wall time | command |",
        "|---|---|---|---|---|---|",
    ]
    for b in BENCHES:
        match = _VERDICT.match(b.line)
        ratio, verdict = (match.group(2), match.group(4)) if match else ("n/a", "FAIL")
        goal = f"≤ {b.goal}" if b.name == "search" else f"≥ {b.goal}"
        out.append(f"| {b.name} | {ratio} | {goal} | {verdict} | {b.seconds:.0f} s | `{b.command}` |")
    for b in BENCHES:
        out += [
            "",
            f"### {b.name}",
            "",
            f"`{b.command}` ({b.seconds:.0f} s):",
            "",
            "```text",
            b.output,
            "```",
        ]
    out.append(END)
    return "\n".join(out) + "\n"


def write_docs(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="every benchmark at its small size")
    parser.add_argument("--docs", type=Path, help="rewrite the generated part of this Markdown file")
    args = parser.parse_args(argv)
    before = load_average()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as tmp:
        for bench in BENCHES:
            run_one(bench, args.quick, Path(tmp))
    total = time.perf_counter() - started
    machine = machine_info(LIBRARIES)
    print(f"\n=== all benchmarks: {total:.0f} s; {describe_machine(machine)}; load average before {before}, "
          f"after {load_average()}")  # fmt: skip
    if args.docs:
        write_docs(args.docs, generated_section(args.quick, machine, (before, load_average()), total))
        print(f"wrote the generated part of {args.docs}")
    print("search: R = vanban median latency / raw tantivy term query median latency, lower is better "
          "(PASS when R <= 3.0); the other ratios are higher-is-better")  # fmt: skip
    for bench in BENCHES:
        print(bench.line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

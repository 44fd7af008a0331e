"""A closed-loop HTTP/1.1 load generator: N clients, each on one keep-alive connection, for a fixed time.

Run as its own process (``http_load`` starts it with ``subprocess``), so that its work is not the served
process's work. Plain ``asyncio`` streams, no HTTP library: on a 2-core machine shared with the service, a
light client leaves more of the CPU to what is measured.

Usage::

    python bench/loadgen.py --port 8000 --paths paths.txt --concurrency 32 --duration 30 --warmup 2 \
        --header "Authorization: Bearer KEY" --json -

``--paths``: one request target per line (``/api/search?q=...``); client ``i`` starts at line
``i * len / N`` and goes round the list. Every request counts once it has been answered in full: status
200 is a success, any other status, a broken connection or a 10 s timeout is an error (counted by kind).
Latency is from writing the request to reading the last byte of the body. Requests in flight at the end
are not counted. Output (JSON): requests, errors, requests per second, latency percentiles (ms).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TIMEOUT_S = 10.0


@dataclass
class Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    bytes_read: int = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """(status, body bytes, keep-alive) of one response; Content-Length or chunked bodies."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding") == "chunked":
        size = 0
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                break
    else:
        raise ValueError("response without Content-Length")
    return status, size, headers.get("connection") != "close"


class Client:
    def __init__(self, host: str, port: int, headers: list[str]) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{h}\r\n" for h in headers)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, target: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.extra}\r\n".encode("ascii")
        )
        await self.writer.drain()
        status, size, keep = await _read_response(self.reader)
        if not keep:
            await self.close()
        return status, size


async def _client(
    client: Client, targets: Sequence[str], start: int, until: float, tally: Tally | None
) -> None:
    i = start
    while time.perf_counter() < until:
        target = targets[i % len(targets)]
        i += 1
        began = time.perf_counter()
        try:
            status, size = await asyncio.wait_for(client.request(target), TIMEOUT_S)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            await client.close()
            if tally is not None and time.perf_counter() < until:
                tally.errors[type(exc).__name__] += 1
            continue
        elapsed = time.perf_counter() - began
        if tally is None or time.perf_counter() > until:
            continue  # warm-up, or answered after the end: not counted
        tally.statuses[status] += 1
        tally.bytes_read += size
        if status == 200:
            tally.latencies_ms.append(elapsed * 1000)
        else:
            tally.errors[f"HTTP {status}"] += 1


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of sorted values (q in 0..100)."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(round(q / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


async def run(
    host: str,
    port: int,
    targets: Sequence[str],
    headers: list[str],
    concurrency: int,
    duration: float,
    warmup: float,
) -> dict[str, Any]:
    clients = [Client(host, port, headers) for _ in range(concurrency)]
    offsets = [i * len(targets) // concurrency for i in range(concurrency)]
    if warmup > 0:
        until = time.perf_counter() + warmup
        await asyncio.gather(
            *(_client(c, targets, o, until, None) for c, o in zip(clients, offsets, strict=True))
        )
    tally = Tally()
    started = time.perf_counter()
    until = started + duration
    await asyncio.gather(
        *(_client(c, targets, o + 7919, until, tally) for c, o in zip(clients, offsets, strict=True))
    )
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.close()
    ordered = sorted(tally.latencies_ms)
    return {
        "concurrency": concurrency,
        "duration_s": round(elapsed, 2),
        "warmup_s": warmup,
        "targets": len(targets),
        "requests": len(ordered),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "statuses": {str(k): v for k, v in tally.statuses.items()},
        "rps": len(ordered) / elapsed,
        "mean_response_bytes": tally.bytes_read / max(1, sum(tally.statuses.values())),
        "latency_ms": {
            "p50": percentile(ordered, 50),
            "p90": percentile(ordered, 90),
            "p99": percentile(ordered, 99),
            "max": ordered[-1] if ordered else float("nan"),
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paths", type=Path, required=True, help="request targets, one per line")
    parser.add_argument("--header", action="append", default=[], help='"Name: value", repeatable')
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--duration", type=float, default=30.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--json", default="-", help="where to write the result ('-': stdout)")
    args = parser.parse_args(argv)
    targets = [line.strip() for line in args.paths.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not targets:
        raise SystemExit(f"no request targets in {args.paths}")
    result = asyncio.run(
        run(args.host, args.port, targets, args.header, args.concurrency, args.duration, args.warmup)
    )
    text = json.dumps(result, indent=2)
    if args.json == "-":
        print(text)
    else:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

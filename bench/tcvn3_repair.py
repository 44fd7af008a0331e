"""TCVN3 (.VnTime) repair on real text: no Unicode text converted, TCVN3 text restored.

Usage (from the repository root)::

    .venv/bin/python bench/tcvn3_repair.py            # every text of admin/, legal/, procedures/, ALQAC, 5,000 VNTC

For each text of ../shared/data (all Unicode): ``repair_tcvn3`` must leave it alone (a *false conversion*
otherwise). The same text written out in TCVN3 — each letter as its TCVN3 code, capitals with a tone mark
as the lowercase code, as the capitals font (.VnTimeH) stores them — must come back: *restored* counts the
texts equal to the original after ``normalize``, ignoring case (a capital with a tone mark in a mixed-case
word cannot be told from the lowercase letter in TCVN3 itself). Texts whose original holds Latin-1 symbols
that are also TCVN3 codes (©, ÷, µ) cannot round-trip, and texts with fewer than three words that conversion
makes Vietnamese (short titles, English text) are left alone by design: both count as not restored.
Exit status 1 when any Unicode text was converted.
"""

from __future__ import annotations

import gzip
import itertools
import json
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import shared_data_dir  # noqa: E402
from nlp.legacy_fonts import TCVN3_CODES, repair_tcvn3  # noqa: E402
from nlp.normalize import normalize  # noqa: E402

_CODE_OF = {letter: code for code, letter in TCVN3_CODES.items()}


def to_tcvn3(text: str) -> str:
    """``text`` as a TCVN3 document stores it (capitals with a tone mark at the lowercase codes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _CODE_OF.get(ch) or (_CODE_OF.get(ch.lower()) if ch.isupper() else None)
        out.append(code or ch)
    return "".join(out)


def texts(data: Path) -> Iterator[tuple[str, str]]:
    files = {
        "admin/laocai_fulltext.jsonl": "text",
        "admin/sonla.jsonl": "title",
        "admin/binhduong.jsonl": "title",
        "legal/vilegalbert.jsonl": "title",
        "bench/alqac2023/corpus.jsonl": "text",
    }
    for name, key in files.items():
        with (data / name).open(encoding="utf-8") as f:
            for line in f:
                value = json.loads(line).get(key)
                if value:
                    yield name, value
    with (data / "procedures/tthc_dichvucong.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            yield "procedures/tthc_dichvucong.jsonl", "\n".join(v for v in row.values() if isinstance(v, str))
    with gzip.open(data / "bench/vntc/test.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in itertools.islice(f, 5000):
            yield "bench/vntc/test.jsonl.gz (5,000)", json.loads(line)["text"]


def main() -> int:
    started = time.perf_counter()
    total: Counter[str] = Counter()
    false_conversions: Counter[str] = Counter()
    restored: Counter[str] = Counter()
    for source, text in texts(shared_data_dir()):
        total[source] += 1
        false_conversions[source] += repair_tcvn3(text)[1]
        back, converted = repair_tcvn3(to_tcvn3(text))
        restored[source] += converted and normalize(back).lower() == normalize(text).lower()
    print(f"{'source':40} {'texts':>6} {'false conversions':>18} {'TCVN3 restored':>15}")
    for source, n in total.items():
        print(f"{source:40} {n:6} {false_conversions[source]:18} {restored[source] / n:14.1%}")
    n = sum(total.values())
    print(f"all: {n} texts, {sum(false_conversions.values())} false conversions, "
          f"{sum(restored.values()) / n:.1%} restored ({time.perf_counter() - started:.0f} s)")  # fmt: skip
    return 1 if sum(false_conversions.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())

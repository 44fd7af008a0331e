"""Legacy-font repair (TCVN3 .VnTime, VNI-Times) on real text: no Unicode text converted, legacy text restored.

Usage (from the repository root)::

    .venv/bin/python bench/legacy_fonts.py      # every text of admin/, legal/, procedures/, ALQAC, 5,000 VNTC

For each text of ../shared/data (all Unicode): ``repair_legacy_fonts`` must leave it alone (a *false
conversion* otherwise). The same text written out in each legacy font must come back converted by that
family: *restored* counts the texts equal to the original after ``normalize`` (for TCVN3 ignoring case: its
capitals with a tone mark are the lowercase codes drawn by the capitals font, so a capital with a tone mark
in a mixed-case word cannot be told from the lowercase letter). The writers below are the inverse of the
tables in :mod:`nlp.legacy_fonts`, so the round trip checks the detection and the casing, not the tables
(those are checked against known legacy strings in ``tests/nlp/test_legacy_fonts.py``). Texts whose
original holds Latin-1 symbols that are also legacy codes (©, ÷, µ) cannot round-trip, and texts with fewer
than three words that conversion makes Vietnamese (short titles, English text) are left alone by design:
both count as not restored. Exit status 1 when any Unicode text was converted.
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
from nlp.legacy_fonts import TCVN3_CODES, repair_legacy_fonts  # noqa: E402
from nlp.normalize import normalize  # noqa: E402

_CODE_OF = {letter: code for code, letter in TCVN3_CODES.items()}


def to_tcvn3(text: str) -> str:
    """``text`` as a TCVN3 document stores it (capitals with a tone mark at the lowercase codes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _CODE_OF.get(ch) or (_CODE_OF.get(ch.lower()) if ch.isupper() else None)
        out.append(code or ch)
    return "".join(out)


_TONE_CODES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_SHAPE_CODES = {
    "\u0302": {
        "": "â",
        "\u0301": "á",
        "\u0300": "à",
        "\u0309": "å",
        "\u0303": "ã",
        "\u0323": "ä",
    },  # circumflex
    "\u0306": {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"},  # breve
}
_VIETNAMESE_MARKS = {*_TONE_CODES, "\u0302", "\u0306", "\u031b"}
_I_CODES = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def to_vni(text: str) -> str:
    """``text`` as a VNI document stores it: a vowel and its mark code; ơ, ư, đ, i with a tone, ỵ single."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if not marks or base.lower() not in "aeiouy" or any(m not in _VIETNAMESE_MARKS for m in marks):
            out.append(ch)
            continue
        case = str.upper if base.isupper() else str.lower
        tone = next((m for m in marks if m in _TONE_CODES), "")
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        if shape == "\u031b":  # ơ, ư: one code, then the tone's
            out.append(case("ô" if base.lower() == "o" else "ö") + (case(_TONE_CODES[tone]) if tone else ""))
        elif base.lower() == "i":
            out.append(case(_I_CODES[tone]))
        elif base.lower() == "y" and tone == "\u0323":
            out.append(case("î"))
        elif shape:
            out.append(base + case(_SHAPE_CODES[shape][tone]))
        else:
            out.append(base + case(_TONE_CODES[tone]))
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
    restored: dict[str, Counter[str]] = {"TCVN3": Counter(), "VNI": Counter()}
    for source, text in texts(shared_data_dir()):
        total[source] += 1
        false_conversions[source] += repair_legacy_fonts(text)[1] is not None
        back, family = repair_legacy_fonts(to_tcvn3(text))
        restored["TCVN3"][source] += family == "TCVN3" and normalize(back).lower() == normalize(text).lower()
        back, family = repair_legacy_fonts(to_vni(text))
        restored["VNI"][source] += family == "VNI" and normalize(back) == normalize(text)
    print(f"{'source':40} {'texts':>6} {'false conversions':>18} {'TCVN3 restored':>15} {'VNI restored':>13}")
    for source, n in total.items():
        print(f"{source:40} {n:6} {false_conversions[source]:18} {restored['TCVN3'][source] / n:14.1%} "
              f"{restored['VNI'][source] / n:12.1%}")  # fmt: skip
    n = sum(total.values())
    print(f"all: {n} texts, {sum(false_conversions.values())} false conversions, "
          f"{sum(restored['TCVN3'].values()) / n:.1%} restored from TCVN3, "
          f"{sum(restored['VNI'].values()) / n:.1%} from VNI ({time.perf_counter() - started:.0f} s)")  # fmt: skip
    return 1 if sum(false_conversions.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())

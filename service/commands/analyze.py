"""``vanban analyze TEXT``: show how vanban reads a Vietnamese text."""

from __future__ import annotations

import argparse
import json
import sys

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="normalise, segment and fold a text (words, syllables, numbers, dates)",
        description="Show the analysis vanban applies to text before classifying or indexing it.",
    )
    parser.add_argument("text", nargs="?", help="the text; '-' or nothing reads standard input")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from nlp.analyzer import analyze

    text = args.text
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise CliError("no text given: pass it as an argument or pipe it on standard input")
        text = sys.stdin.read()
    if not text.strip():
        raise CliError("the text is empty")
    result = analyze(text)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
        return 0
    print(f"normalized: {result.normalized}")
    print(f"words:      {' '.join(result.words)}")
    print(f"syllables:  {' '.join(result.syllables)}")
    print(f"folded:     {' '.join(result.folded)}")
    print(f"numbers:    {', '.join(result.numbers) or '-'}")
    print(f"dates:      {', '.join(result.dates) or '-'}")
    return 0

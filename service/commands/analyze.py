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


NOT_UTF8 = (
    "văn bản đưa vào không phải mã hóa UTF-8 (có thể là Windows-1258 hoặc TCVN3); "
    "hãy lưu lại hoặc chuyển văn bản sang UTF-8 rồi chạy lại"
)


def require_utf8(text: str) -> str:
    """``text`` unchanged, or :class:`CliError` (exit code 2) when it came from bytes that were not UTF-8.

    Python decodes command-line arguments (and, in the C locale, standard input) with ``surrogateescape``:
    each invalid byte becomes a lone surrogate, which the analyser would silently turn into U+FFFD — a
    legacy-encoded text would be read as garbage without a word said. Used by every command that takes
    text on the command line or on standard input.
    """
    from nlp.normalize import has_surrogates

    if has_surrogates(text):
        raise CliError(NOT_UTF8, exit_code=2)
    return text


def read_stdin_utf8() -> str:
    """Standard input decoded as UTF-8 (a BOM is dropped); :class:`CliError` (exit code 2) otherwise."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # replaced by a text stream (tests, embedding)
        return require_utf8(sys.stdin.read())
    try:
        return require_utf8(buffer.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CliError(NOT_UTF8, exit_code=2) from None


def run(args: argparse.Namespace) -> int:
    from nlp.analyzer import analyze

    text = args.text
    if text is None or text == "-":
        if sys.stdin.isatty():
            raise CliError("no text given: pass it as an argument or pipe it on standard input")
        text = read_stdin_utf8()
    require_utf8(text)
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

"""The ``vanban`` command line: a thin shell over the library.

Each verb lives in its own module under :mod:`service.commands` and exposes ``register(subparsers)``;
the verb's handler receives the parsed arguments and returns an exit code. Heavy imports happen inside
handlers so that ``vanban --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from service.errors import CliError

# Order here is the order shown by --help.
_COMMAND_MODULES = (
    "analyze",
    "extract",
    "import_",
    "export",
    "backup",
    "index_cmd",
    "search",
    "related",
    "train",
    "evaluate",
    "classify",
    "tag",
    "models_cmd",
    "serve",
    "demo",
)


# argparse's usage errors, said in Vietnamese like the commands' own errors (a clerk runs `vanban search`).
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"argument (?P<arg>[^:]+): invalid (?:int|float) value: (?P<value>.+)",
         "tham số {arg}: {value} không phải là số"),
        (r"argument (?P<arg>[^:]+): invalid choice: (?P<value>'[^']*') \(choose from (?P<choices>.+)\)",
         "tham số {arg}: không có {value}; hãy chọn một trong: {choices}"),
        (r"argument (?P<arg>[^:]+): invalid (?P<type>\w+) value: (?P<value>.+)",
         "tham số {arg}: giá trị {value} không hợp lệ"),
        (r"argument (?P<arg>[^:]+): expected one argument", "tham số {arg} cần một giá trị"),
        (r"argument (?P<arg>[^:]+): not allowed with argument (?P<other>.+)",
         "không dùng được {arg} cùng với {other}"),
        (r"the following arguments are required: (?P<args>.+)", "thiếu tham số: {args}"),
        (r"unrecognized arguments: (?P<args>.+)", "không hiểu các tham số: {args}"),
    )
)  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are in Vietnamese (exit code 2, as argparse's)."""

    def error(self, message: str) -> NoReturn:
        for pattern, vietnamese in _USAGE_ERRORS:
            found = pattern.fullmatch(message)
            if found:
                message = vietnamese.format(**found.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vanban",
        description="Read, tag and search Vietnamese administrative documents (offline).",
    )
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("VANBAN_DATA_DIR", "./var"),
        help="data directory holding the store, index and models (env VANBAN_DATA_DIR, default ./var)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMAND_MODULES:
        module = importlib.import_module(f"service.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CliError as exc:
        print(f"vanban {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``vanban search … | head``): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

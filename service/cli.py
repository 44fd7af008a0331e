"""The ``vanban`` command line: a thin shell over the library.

Each verb lives in its own module under :mod:`service.commands` and exposes ``register(subparsers)``;
the verb's handler receives the parsed arguments and returns an exit code. Heavy imports happen inside
handlers so that ``vanban --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from service.errors import CliError

# Order here is the order shown by --help.
_COMMAND_MODULES = (
    "analyze",
    "extract",
    "import_",
    "index_cmd",
    "search",
    "related",
    "train",
    "evaluate",
    "classify",
    "models_cmd",
    "serve",
    "demo",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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

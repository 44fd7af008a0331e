from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType


def run_commands(modules: Iterable[ModuleType], data_dir: Path, *argv: str) -> int:
    """``vanban --data-dir DATA_DIR ARGV…`` through argparse with only ``modules``' commands registered (each
    module's ``register(sub)``), in this process; the handler's exit code (None counts as 0)."""
    parser = argparse.ArgumentParser(prog="vanban")
    parser.add_argument("--data-dir")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in modules:
        module.register(sub)
    args = parser.parse_args(["--data-dir", str(data_dir), *argv])
    return int(args.handler(args) or 0)

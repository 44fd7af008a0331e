"""Errors raised by command handlers to end a command with a message and a non-zero exit code."""

from __future__ import annotations


class CliError(Exception):
    """A command failed in a way the user can act on; the message is printed to stderr."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code

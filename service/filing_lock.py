"""One upload filed at a time across the service's workers and threads.

Filing checks for a stored document with the same number and issuer (or the same file) and then inserts:
two uploads of one document arriving together (two clerks, a double click, a retrying client) would both
pass the check before either inserted (QA: two 201s for one number). The check and the insert run under an
exclusive lock on a file in the data directory, which every worker process of the service shares; an
``flock`` is held per open file, so threads of one worker exclude each other too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: one process, a thread lock is all there is
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".filing.lock"
_in_process = threading.Lock()


@contextmanager
def filing_lock(data_dir: Path | str) -> Iterator[None]:
    """Hold the data directory's filing lock (blocking; filing takes milliseconds)."""
    if fcntl is None:  # pragma: no cover
        with _in_process:
            yield
        return
    with open(Path(data_dir) / LOCK_FILE, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

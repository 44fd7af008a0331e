"""What runs inside an extraction child process (see :mod:`service.extraction`).

Kept apart from the parent's side so that the fork server preloads only the extractors: importing
:mod:`service.extraction` would bring FastAPI and pydantic (through :mod:`service.problems`) into the fork
server and into every child, ~13 MB each for nothing.
"""

from __future__ import annotations

from multiprocessing.connection import Connection

from nlp.extract import ExtractionError, extract_bytes
from nlp.syllable_join import lexicon

# The fork server imports this module once: the word list that rejoins a PDF's split syllables is read here
# (~0.1 s, a few MB shared by every fork) rather than in each child that reads a PDF.
lexicon()

MEMORY_LIMIT = 2 * 1024**3  # address space of one extraction: far above any real document's needs


def work(conn: Connection, data: bytes, filename: str, max_bytes: int, max_seconds: float) -> None:
    """Child process: extract and send back ("ok", Extracted) or ("error", class, detail, message)."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # not every platform lets a process lower its limit
        pass
    try:
        result = extract_bytes(data, filename, max_bytes=max_bytes, max_seconds=max_seconds)
        conn.send(("ok", result))
    except ExtractionError as exc:
        # Sent as parts: the errors' constructors take other arguments than (detail,), so pickling the
        # exception itself would rebuild it wrongly on the other side.
        conn.send(("error", type(exc).__name__, str(exc), exc.message))
    except MemoryError:
        conn.send(("crash", "memory limit exceeded"))
    except Exception as exc:  # a bug or a hostile file: report it; the parent answers 422
        conn.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def noop() -> None:
    """Started once to bring the fork server up before the first upload needs it."""
    return None

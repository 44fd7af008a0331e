"""vanban's own demo corpus: administrative documents of the fictional province of Sông Mây.

The corpus ships with the package so that the service can be shown, and its pipeline exercised, without
the shared research data (which may not be redistributed). Every text was written for this project; see
``README.md`` beside this file for how, and for the label scheme.

Example
-------
>>> from corpus.demo import demo_corpus_path
>>> demo_corpus_path().name
'documents.jsonl'
"""

from __future__ import annotations

from pathlib import Path

DEMO_FILENAME = "documents.jsonl"


def demo_corpus_path() -> Path:
    """Path of the demo corpus (JSON Lines in the import format, one document per line).

    Raises ``FileNotFoundError`` when the package was installed without its data file, so that the
    caller fails with the reason instead of importing an empty corpus.

    Example
    -------
    >>> demo_corpus_path().is_file()
    True
    """
    # Path(__file__) rather than importlib.resources: callers need a real file to open and to hand to
    # the importer, and the package is always installed unzipped (editable or wheel).
    path = Path(__file__).resolve().parent / DEMO_FILENAME
    if not path.is_file():
        raise FileNotFoundError(
            f"demo corpus missing at {path}: the package was installed without its data file"
        )
    return path

"""Text cells of the CSV files vanban writes, safe to open in a spreadsheet, and read back as they were.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken for a formula by
spreadsheets (OWASP "CSV injection": a title typed ``=HYPERLINK(…)`` would run as one). Such a cell is
written with a leading apostrophe, which spreadsheets read as "text"; vanban's own CSV import takes it off,
so that an export imported again gives the same values.

Example
-------
>>> guarded("=HYPERLINK(\\"x\\")"), unguarded(guarded("- Như trên"))
('\\'=HYPERLINK("x")', '- Như trên')
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet keeps as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """A cell read back: the apostrophe :func:`guarded` put before a formula character taken off."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text

"""Dates as a clerk types them: one reader for every form and API (correction, upload, search, import).

A date is accepted as ``2022-07-20``, ``20/7/2022``, ``20-7-2022``, ``20.7.2022`` or as printed on a document,
``ngày 20 tháng 7 năm 2022``; in any Unicode form (macOS and some browsers send decomposed marks, NFD) and
with stray spaces, since the text is normalised (:func:`nlp.normalize.normalize`) before it is read. A search
range also takes a month (``7/2022``) or a year (``2022``), its first day or, at the end of a range, its last.

Errors are :class:`TypedDateError` with a Vietnamese message; each caller wraps it in its own error (a query
error for the search, an invalid document for the store) so the field it names is the one the client sent.

Example
-------
>>> parse_typed_date("ngày 5 tháng 3 năm 2024"), parse_typed_date("13.7.2022")
(datetime.date(2024, 3, 5), datetime.date(2022, 7, 13))
>>> parse_typed_day("7/2022", end=True)
datetime.date(2022, 7, 31)
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from nlp.normalize import normalize

# The forms named in error messages and form hints.
DATE_FORMS = "2022-07-20, 20/7/2022, 20-7-2022, 20.7.2022 hoặc “ngày 20 tháng 7 năm 2022”"
RANGE_FORMS = "2022-07-20, 20/7/2022, 20-7-2022, 20.7.2022, “ngày 20 tháng 7 năm 2022”, 7/2022 hoặc 2022"
# The founding of the Democratic Republic of Vietnam: no administrative document of the state is older, so
# an issue date before it is a typing slip (1500 for 2015), not history.
EARLIEST_ISSUED = date(1945, 9, 2)
# A document may be dated ahead of its filing (a plan for next year), but not by more than a year.
LATEST_AHEAD = timedelta(days=366)

_ISO = re.compile(r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")  # 2022-07-20, 2022/07/20
# One separator throughout: "13-07.2022" is more likely a slip than a date.
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<y>\d{4})")
_IN_WORDS = re.compile(r"ngày\s*(?P<d>\d{1,2})\s*tháng\s*(?P<m>\d{1,2})\s*năm\s*(?P<y>\d{4})", re.IGNORECASE)
_MONTH = re.compile(r"(?:tháng\s*)?(?P<m>\d{1,2})\s?[/.-]\s?(?P<y>\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?:năm\s*)?(?P<y>\d{4})", re.IGNORECASE)


class TypedDateError(ValueError):
    """A typed date that cannot be read or is out of range; ``message`` is Vietnamese, for the clerk."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(message)
        self.text = text
        self.message = message


# What a date pasted from a document's header carries before it: its place ("Hà Nội, ") and "ngày" before a
# date in figures ("ngày 5/3/2024").
_PLACE_BEFORE = re.compile(r"^[^\d,]{2,40},\s*(?=ngày\b)", re.IGNORECASE)
_DAY_WORD = re.compile(r"^ngày\s+(?=\d{1,2}\s?[/.-])", re.IGNORECASE)
_FIRST_YEAR = 1  # date's own floor: year 0 does not exist


def typed_date_text(value: str) -> str:
    """A typed date normalised (NFC, look-alike characters, spaces collapsed), as it is read and shown; a
    place before it ("Hà Nội, ngày 5 tháng 3 năm 2024") and "ngày" before figures left out."""
    text = " ".join(normalize(value, keep_newlines=False).split())
    return _DAY_WORD.sub("", _PLACE_BEFORE.sub("", text))


def _full_date(text: str) -> re.Match[str] | None:
    for pattern in (_ISO, _DAY_FIRST, _IN_WORDS):
        if found := pattern.fullmatch(text):
            return found
    return None


def _day(text: str, year: str, month: str, day: str) -> date:
    _check_year(text, int(year))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        if not 1 <= int(month) <= 12:
            reason = f"không có tháng {int(month)}"
        else:
            reason = f"tháng {int(month)} năm {int(year)} không có ngày {int(day)}"
        raise TypedDateError(text, f'Ngày "{text}" không hợp lệ: ngày không tồn tại ({reason}).') from None


def parse_typed_date(value: str) -> date:
    """A whole date in any accepted form (see the module); :class:`TypedDateError` otherwise."""
    text = typed_date_text(value)
    found = _full_date(text)
    if found is None:
        raise TypedDateError(text, f'Ngày "{text}" không đúng định dạng; hãy viết dạng {DATE_FORMS}.')
    return _day(text, found["y"], found["m"], found["d"])


def parse_typed_day(value: str, *, end: bool = False) -> date:
    """A bound of a date range: a whole date, a month (``7/2022``) or a year (``2022``); a month or a year is
    its first day, or its last with ``end``. :class:`TypedDateError` otherwise."""
    text = typed_date_text(value)
    if found := _full_date(text):
        return _day(text, found["y"], found["m"], found["d"])
    if found := _MONTH.fullmatch(text):
        year, month = _check_year(text, int(found["y"])), int(found["m"])
        if 1 <= month <= 12:
            return date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        raise TypedDateError(text, f'Ngày "{text}" không hợp lệ: không có tháng {month}.')
    if found := _YEAR.fullmatch(text):
        year = _check_year(text, int(found["y"]))
        return date(year, 12, 31) if end else date(year, 1, 1)
    raise TypedDateError(text, f'Ngày "{text}" không hợp lệ; hãy viết dạng {RANGE_FORMS}.')


def _check_year(text: str, year: int) -> int:
    if year < _FIRST_YEAR:
        raise TypedDateError(text, f'Ngày "{text}" không hợp lệ: không có năm {year}.')
    return year


def issued_date_bounds(today: date | None = None) -> tuple[date, date]:
    """The earliest and latest issue date a clerk may give a document."""
    return EARLIEST_ISSUED, (today or date.today()) + LATEST_AHEAD


def check_issued_date(day: date, today: date | None = None) -> date:
    """``day`` itself when it is a plausible issue date (see :data:`EARLIEST_ISSUED`, :data:`LATEST_AHEAD`);
    :class:`TypedDateError` saying the range otherwise."""
    first, last = issued_date_bounds(today)
    if not first <= day <= last:
        shown = shown_date(day)
        raise TypedDateError(
            shown,
            f"Ngày ban hành {shown} nằm ngoài khoảng cho phép: từ {shown_date(first)} (ngày thành lập nước) "
            f"đến {shown_date(last)} (không quá một năm sau hôm nay).",
        )
    return day


def shown_date(day: date) -> str:
    """A date as a clerk reads it: dd/mm/yyyy."""
    return f"{day:%d/%m/}{day.year:04d}"

"""A document's whole text with the words of a search marked, for its page opened from a hit.

The marks are the snippets' own (:mod:`corpus.highlight`): the query is parsed by the open index as a
search parses it, and its matcher is the one the hits were marked with. Each mark of the body carries an
anchor (``id="m1"``, ``"m2"``…) so that the page can offer "first / next" as plain links.

Example
-------
>>> from corpus.highlight import Matcher
>>> marked = mark_document("Quy hoạch khoáng sản", "Thăm dò <khoáng sản> & khai thác.", Matcher.for_terms({"khoang"}))
>>> marked.title
'Quy hoạch <mark>khoáng</mark> sản'
>>> marked.text
'Thăm dò &lt;<mark id="m1">khoáng</mark> sản&gt; &amp; khai thác.'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.highlight import MAX_PAGE_MARKS, Matcher, Span, document_spans, matcher_for_query
from corpus.query import parse_query
from corpus.search_errors import QueryError

if TYPE_CHECKING:
    from corpus.search import Searcher

MAX_QUERY_CHARS = 2000  # as the search page: a longer q is not a search the clerk came from


@dataclass(frozen=True)
class MarkedDocument:
    """The title and body HTML-escaped with their matches marked (the body's with anchors ``m1``…)."""

    title: str | None  # None when nothing in the title matched
    text: str
    count: int  # marks in the body
    capped: bool  # the body matched in more places than were marked (MAX_PAGE_MARKS)


def query_matcher(searcher: Searcher | None, query: str | None) -> Matcher | None:
    """The matcher a search for ``query`` marks its snippets with, the query parsed against ``searcher``'s
    index (its number codes, its words' surface forms); without an index, parsed alone. None for a query
    with nothing to mark, or one a search would refuse (the page is then shown unmarked)."""
    if not query or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return None
    try:
        parsed = searcher.parse(query) if searcher is not None else parse_query(query)
    except QueryError:
        return None
    matcher = matcher_for_query(parsed, searcher.index.surface_forms if searcher is not None else None)
    return matcher if matcher.forms or matcher.loose or matcher.phrases else None


def mark_document(
    title: str | None, body: str | None, matcher: Matcher, most: int = MAX_PAGE_MARKS
) -> MarkedDocument:
    """``title`` and ``body`` escaped, with every match marked (at most ``most`` in the body)."""
    title_spans, body_spans, capped = document_spans(title, body, matcher, most)
    marked_title = _render(title, title_spans, anchors=False) if title and title_spans else None
    return MarkedDocument(marked_title, _render(body or "", body_spans, anchors=True), len(body_spans), capped)


def _render(text: str, spans: list[Span], *, anchors: bool) -> str:
    """``text`` escaped, white space kept (the page shows it as written), with ``spans`` marked."""
    pieces: list[str] = []
    cursor = 0
    for number, (start, end, _) in enumerate(spans, start=1):
        anchor = f' id="m{number}"' if anchors else ""
        pieces += (html.escape(text[cursor:start], quote=False), f"<mark{anchor}>",
                   html.escape(text[start:end], quote=False), "</mark>")  # fmt: skip
        cursor = end
    pieces.append(html.escape(text[cursor:], quote=False))
    return "".join(pieces)

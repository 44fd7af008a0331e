"""The search page (``/``) and the document page (``/documents/{id}``) with its correction form."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import Response

from corpus.document import FIELD_MAX_CHARS, Document
from corpus.highlight_page import MarkedDocument, mark_document, query_matcher
from corpus.search import SearchRequest
from corpus.search_errors import QueryError, SearchError
from corpus.search_filters import STATUS_WORDING, filed_status, parse_day
from nlp.typed_dates import TypedDateError, parse_typed_date, shown_date, typed_date_text
from service import documents as docs
from service.auth import Principal
from service.deps import ServicesDep
from service.pages.common import (
    MAX_DATE_CHARS,
    checked_form,
    date_in_words,
    field_errors,
    login_redirect,
    page_user,
    redirect,
    render,
    shown_proposals,
    too_long,
    topic_choices,
)
from service.problems import Problem, problem_for
from service.related import related_documents
from service.settings import Role
from service.taxonomy import taxonomy_of

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20
CORRECTION_FIELDS = ("doc_type", "topic", "number", "issuer", "issued_date", "title", "signer", "status")
# The longest value each field of the correction form takes (the date has its own check, in form_date).
CORRECTION_LIMITS = {f: FIELD_MAX_CHARS[f] for f in CORRECTION_FIELDS if f in FIELD_MAX_CHARS}
_FILTERS = ("type", "topic", "issuer", "status", "from", "to")
_SORTS = {"relevance": "Phù hợp nhất", "date": "Mới nhất", "date_asc": "Cũ nhất"}


# The longest value each parameter of the search page takes, and its name on the page.
_LIMITS = {"q": 2000, "type": 100, "topic": 100, "issuer": 300, "status": 100, "from": MAX_DATE_CHARS,
           "to": MAX_DATE_CHARS, "sort": 20}  # fmt: skip
_PARAM_NAMES = {"q": "Từ khóa", "type": "Loại văn bản", "topic": "Lĩnh vực", "issuer": "Cơ quan ban hành",
                "status": "Hiệu lực", "from": "Từ ngày", "to": "Đến ngày", "sort": "Sắp xếp"}  # fmt: skip


def _too_long_message(params: dict[str, str]) -> str | None:
    """What the page says about parameters too long to search with (None when all fit)."""
    errors = too_long(params, _LIMITS)
    if not errors:
        return None
    message = "; ".join(f"{_PARAM_NAMES[e['field']]} {e['message']}" for e in errors) + ". Hãy rút gọn rồi tìm lại."
    if any(e["field"] in ("from", "to") for e in errors):
        message += " Ngày viết dạng 20/7/2022, 7/2022, 2022 hoặc “ngày 20 tháng 7 năm 2022”."
    return message


class SearchLinks:
    """URLs of the search page with one parameter changed (facet toggles, paging, sort)."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = {k: v for k, v in params.items() if v}

    def url(self, **changes: str | None) -> str:
        merged = dict(self.params)
        for key, value in changes.items():
            key = key.rstrip("_")
            if value is None or value == "":
                merged.pop(key, None)
            else:
                merged[key] = value
        if "page" not in changes:
            merged.pop("page", None)  # a new filter starts at the first page
        return "/?" + urlencode(merged) if merged else "/"

    def document_query(self, page: int) -> str:
        """The query string of a hit's link: the words to mark (``q``) and ``back``, the results page it came
        from (filters, sort and page), for the document page's "back to search" link without JavaScript or
        in a new tab (QA: it went back to ``/?q=…`` alone)."""
        here = dict(self.params)
        if page > 1:
            here["page"] = str(page)
        out = {"q": here["q"]} if here.get("q", "").strip() else {}
        if here:
            out["back"] = urlencode(here)
        return "?" + urlencode(out) if out else ""

    def list_url(self, suffix: str = "xlsx") -> str:
        """The results as a list to download (service.pages.search_list: xlsx or csv), whatever the page."""
        merged = {k: v for k, v in self.params.items() if k != "page"}
        return f"/search.{suffix}?" + urlencode(merged) if merged else f"/search.{suffix}"

    def toggle(self, name: str, value: str) -> str:
        return self.url(**{name: None if self.params.get(name) == value else value})

    def year(self, year: str) -> str:
        """The year's facet link: that year, within the dates already chosen (the facet counted the
        documents of the year inside them: "2021: 5" under 1/4/2020–10/8/2021 must give those 5); the link
        of the year already chosen removes it."""
        start, end = self.params.get("from", ""), self.params.get("to", "")
        if start == year and end == year:
            return self.url(from_=None, to=None)
        try:
            chosen_start = parse_day(start, "date_from") if start else None
            chosen_end = parse_day(end, "date_to", end=True) if end else None
        except QueryError:
            chosen_start = chosen_end = None  # the page says what is wrong with them; the year stands alone
        if not re.fullmatch(r"\d{4}", year):
            return self.url(from_=year, to=year)
        first, last = date(int(year), 1, 1), date(int(year), 12, 31)
        if not (chosen_start and chosen_start > first) and not (chosen_end and chosen_end < last):
            return self.url(from_=year, to=year)
        narrowed_start = max(first, chosen_start or first)
        narrowed_end = min(last, chosen_end or last)
        if narrowed_start > narrowed_end:  # a year outside the dates chosen (no facet shows one)
            return self.url(from_=year, to=year)
        return self.url(from_=narrowed_start.isoformat(), to=narrowed_end.isoformat())


def recent_uploads(services: Any, limit: int = 5) -> list[Any]:
    """The last documents clerks uploaded (from the audit log, newest first): undated drafts included,
    which the date-sorted list of the home page cannot show."""
    out: list[Any] = []
    seen: set[str] = set()
    for entry in services.store.audit(limit=300):
        if entry.action != "insert" or entry.document_id in seen:
            continue
        seen.add(entry.document_id)
        doc = services.store.find(entry.document_id)
        if doc is not None and doc.extra.get("uploaded_by"):
            out.append(doc)
            if len(out) >= limit:
                break
    return out


LIST_MAX_ROWS = 5000  # the downloadable list of results (service.pages.search_list): a report, not a backup


def page_request(
    params: dict[str, str], sort: str, *, limit: int, offset: int, facets: bool = True, highlights: bool = True
) -> SearchRequest:
    """The search the page's parameters ask for (the page itself, and the list it offers to download)."""
    browsing = not params["q"].strip() and not any(params[f] for f in _FILTERS)
    return SearchRequest(
        # With nothing typed the page lists every document, newest first and undated ones last ("*"; QA:
        # a date range from 1800 left the 72 undated ones out of the listing and its facets).
        query="*" if browsing else params["q"], doc_type=params["type"] or None, topic=params["topic"] or None,
        issuer=params["issuer"] or None, status=params["status"] or None,
        date_from=date_in_words(params["from"]) or None, date_to=date_in_words(params["to"]) or None,
        # browsing: newest first unless the clerk asked for the oldest (QA: "Cũ nhất" was ignored there)
        sort=("date_asc" if sort == "date_asc" else "date") if browsing else (sort if sort in _SORTS else "relevance"),
        limit=limit, offset=offset, facets=facets, highlights=highlights,
    )  # fmt: skip


def page_params(
    # Lengths are checked by the page, so that a long value is explained next to what was typed.
    q: str = "",
    # Several types or fields: "type=qd&type=kh" as "type=qd,kh" (QA: the page kept only the last).
    type: Annotated[list[str] | None, Query()] = None,  # noqa: A002 - the public parameter name, as in the API
    topic: Annotated[list[str] | None, Query()] = None,
    issuer: str = "",
    status: str = "",
    from_: Annotated[str, Query(alias="from")] = "",
    to: str = "",
    sort: str = "relevance",
) -> dict[str, str]:
    """The search page's parameters (also those of the list it offers to download); ``sort`` empty for
    relevance, the page's own default."""
    return {"q": q, "type": ",".join(v for v in type or () if v), "topic": ",".join(v for v in topic or () if v),
            "issuer": issuer, "status": status, "from": from_, "to": to,
            "sort": "" if sort == "relevance" else sort}  # fmt: skip


PageParams = Annotated[dict[str, str], Depends(page_params)]


@router.get("/")
def search_page(
    request: Request,
    services: ServicesDep,
    params: PageParams,
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    page_user(request, Role.READER)
    q, sort = params["q"], params["sort"] or "relevance"
    links = SearchLinks(params)
    browsing = not q.strip() and not any(params[f] for f in _FILTERS)
    error = _too_long_message(params)
    result = None
    if error is None:
        request_ = page_request(params, sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        try:
            result = services.search().search(request_)
        except QueryError as exc:
            error = exc.message
    total = result.total if result else 0
    pages = max(1, -(-total // PAGE_SIZE))
    # A number that finds nothing: the documents of the same sequence under other codes, offered
    same_sequence = services.search().same_sequence(q) if result is not None and not total and q.strip() else []
    context: dict[str, Any] = {
        "params": params,
        "q": q,
        "sort": sort if sort in _SORTS else "relevance",
        "sorts": _SORTS,
        "links": links,
        "result": result,
        "error": error,
        "browsing": browsing,
        "list_max": LIST_MAX_ROWS,
        "page": page,
        "pages": pages,
        "page_range": [p for p in range(max(1, page - 3), min(pages, page + 3) + 1)],
        "status_names": STATUS_WORDING,
        "date_chip": _date_chip(params["from"], params["to"]),
        "filters_active": any(params[f] for f in _FILTERS),
        "document_count": services.store.count(),
        "recent": recent_uploads(services) if browsing and page == 1 else [],
        "same_sequence": same_sequence,
        # the fields the page names together: a built-in field's short name must not repeat one of them
        "topic_neighbours": [*(result.facets.get("topic", {}) if result else ()), params["topic"]],
    }
    return render(request, "search.html", context, status=422 if error else 200)


def _date_chip(start: str, end: str) -> str:
    """The date filter as a clerk reads it: "Năm 2022" for a year's facet, dates as dd/mm/yyyy."""
    if start and start == end and re.fullmatch(r"\d{4}", start):
        return f"Năm {start}"

    def shown(value: str) -> str:
        # A whole date in any form it was typed in ("13-07-2022", "ngày 13 tháng 7 năm 2022") as 13/07/2022;
        # a month or a year, or what is not a date (the page explains it), as typed.
        text = typed_date_text(value)
        try:
            return shown_date(parse_typed_date(text))
        except TypedDateError:
            return text or "…"

    return f"Ngày: {shown(start)} – {shown(end)}"


# The forms a document page posts to: their addresses opened as pages lead back to the document.
_FORM_SUFFIXES = ("/correct", "/delete")


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: str, services: ServicesDep) -> Response:
    principal = page_user(request, Role.READER)
    doc = services.store.find(doc_id)
    if doc is None:
        # A form's address opened as a page (after signing in again, from the history): its document's page
        # (QA: "/documents/X/correct" answered "no document X/correct").
        form_of = next((doc_id[: -len(end)] for end in _FORM_SUFFIXES if doc_id.endswith(end)), None)
        if form_of and services.store.find(form_of) is not None:
            return redirect(f"/documents/{docs.id_path(form_of)}")
        doc = services.store.get(doc_id)  # raises the page's "not found"
    # After a correction to a number another document has (?warn=same-number), those documents are named;
    # the page finds them itself, so the redirect carries a fixed code, never text or ids.
    # Otherwise only the document's own other filings (same number, day and body) are named: every page says
    # when a document is stored twice (QA: the twin was named only after a correction).
    corrected = request.query_params.get("warn") == "same-number"
    same_number = docs.same_number_documents(services, doc) if corrected else docs.stored_copies(services, doc)
    # Opened from a hit (?q=…): the search's words marked in the whole text, as its snippets marked them. A
    # query that cannot be searched, or an index that cannot be read, leaves the page unmarked.
    query = request.query_params.get("q", "")
    marked = None
    if query.strip():
        try:
            searcher = services.search()
        except (Problem, SearchError):  # search unavailable: the words are still marked, by their letters alone
            searcher = None
        matcher = query_matcher(searcher, query)
        marked = mark_document(doc.title, doc.text, matcher) if matcher is not None else None
    # A query that marks nothing is said so, not silently ignored (QA: a 2,000-character q left the page bare)
    unmarked = query.strip()[:80] if query.strip() and marked is None else ""
    return _document_page(request, services, doc, principal, same_number=same_number, copies=not corrected,
                          query=query if marked is not None else "", marked=marked, unmarked=unmarked)  # fmt: skip


RELATED_SHOWN = 8  # documents of each related list on a document's page
RELATED_ALL = 100  # with ?related=all


_BACK_KEYS = ("q", *_FILTERS, "sort", "page")


def back_to_search(back: str | None, query: str) -> str:
    """The search page a document was opened from: ``back`` (a results page's query string, see
    :meth:`SearchLinks.document_query`) kept to the search page's own parameters, else the words alone."""
    kept = [(k, v) for k, v in parse_qsl(back or "", keep_blank_values=False) if k in _BACK_KEYS and len(v) <= 1000]
    if not kept and query.strip():
        kept = [("q", query)]
    return "/?" + urlencode(kept) if kept else "/"


def _form_values(doc: Document) -> dict[str, str]:
    """The correction form's fields as the document has them."""
    values = {f: str(getattr(doc, f) or "") for f in CORRECTION_FIELDS}
    values["issued_date"] = doc.issued_date.strftime("%d/%m/%Y") if doc.issued_date else ""
    return values


def _document_page(request: Request, services: Any, doc: Document, principal: Principal, *,
                   values: dict[str, str] | None = None, error: Problem | None = None,
                   same_number: tuple[Document, ...] = (), copies: bool = False, query: str = "",
                   marked: MarkedDocument | None = None, unmarked: str = "") -> Response:  # fmt: skip
    detail = docs.document_detail(services, doc)
    # Eight of each list, unless the clerk asked for them all (?related=all): one more is read to know whether
    # there are more citers (QA: 8 of 13 shown with no word of the others).
    shown = RELATED_ALL if request.query_params.get("related") == "all" else RELATED_SHOWN
    related = related_documents(services, doc, limit=shown + 1)
    more_cited_by = len(related.cited_by) > shown
    related.cited_by[shown:] = []
    related.similar[shown:] = []
    audit = services.store.audit(doc.id, limit=30)
    form = values or _form_values(doc)
    # The document's own field is always an option: one the select lacked came back as "chưa xác định" and
    # replaced the field with the clerk's empty label when another field was corrected (QA).
    taxonomy = taxonomy_of(services)
    choices = topic_choices(taxonomy, doc.topic, form.get("topic"))
    proposals = shown_proposals(doc.extra.get("classification"), {"doc_type": doc.doc_type, "topic": doc.topic},
                                active_version=services.registry.active_version(), taxonomy=taxonomy)  # fmt: skip
    return render(request, "document.html", {
        "doc": doc, "detail": detail, "labels": detail["labels"], "file": detail["file"], "related": related,
        "audit": audit, "can_edit": principal.can(Role.UPLOADER) and not principal.is_anonymous,
        "can_delete": principal.can(Role.ADMIN), "proposals": proposals,
        "review_fields": detail["needs_review"], "form": form, "topic_choices": choices, "error": error,
        "field_errors": field_errors(error, CORRECTION_FIELDS) if error else {},
        "same_number": [docs.duplicate_summary(d) for d in same_number], "copies": copies, "query": query, "marked": marked, "unmarked": unmarked,
        "more_cited_by": more_cited_by, "all_related": shown == RELATED_ALL,
        "back_url": back_to_search(request.query_params.get("back"), request.query_params.get("q", "")),
        "back_param": request.query_params.get("back", ""),
    }, status=error.status if error else 200)  # fmt: skip


@router.post("/documents/{doc_id:path}/correct")
def correct_document(
    request: Request,
    doc_id: str,
    services: ServicesDep,
    csrf_token: Annotated[str, Form()] = "",
    # Lengths and the date are checked below, so that an error keeps the page and what was typed.
    doc_type: Annotated[str, Form()] = "",
    topic: Annotated[str, Form()] = "",
    number: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form()] = "",
    issued_date: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    signer: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    results: Annotated[str, Form(alias="back")] = "",
) -> Response:
    """Only fields whose value changed become labels; confirming the type and field is explicit
    (``doc_type``/``topic`` are always labelled when the clerk presses "Xác nhận"). ``back``: the results page
    the document was opened from, kept for its "Quay lại tìm kiếm" after the save (QA)."""
    back = f"/documents/{docs.id_path(doc_id)}"
    results = back_to_search(results, "").removeprefix("/").removeprefix("?")  # kept to the search's own keys
    try:
        principal = page_user(request, Role.UPLOADER, csrf=csrf_token)
    except Problem as refused:
        if refused.status == 401:  # signed out meanwhile: back to this document after logging in (QA: to /)
            return login_redirect(back)
        raise
    doc = services.store.get(doc_id)
    submitted = {"doc_type": doc_type, "topic": topic, "number": number, "issuer": issuer,
                 "issued_date": issued_date, "title": title, "signer": signer, "status": status}  # fmt: skip
    current = _form_values(doc)
    changes: dict[str, Any] = {}
    waiting = doc.extra.get("review_fields", [])
    for field, value in submitted.items():
        # A waiting type or field is confirmed by saving it with a value; one left at "chưa xác định" stays
        # waiting rather than becoming the clerk's empty label (as on the review page).
        confirmed = field in docs.TAG_FIELDS and field in waiting and bool(value.strip())
        if value.strip() != current[field] or confirmed:
            changes[field] = value.strip() or None
    if not changes:
        return redirect(back, back=results)
    if changes.get("status"):
        changes["status"] = filed_status(changes["status"])
    try:
        checked_form(submitted, CORRECTION_LIMITS, changes)
        corrected = docs.correct(services, doc_id, changes, actor=principal.name)
    except Exception as exc:  # the store's own InvalidDocument (a date that does not exist…) included
        problem = problem_for(exc)
        if problem.status != 422:
            raise
        return _document_page(request, services, doc, principal, values=submitted, error=problem)
    warn = "same-number" if "number" in changes and docs.same_number_documents(services, corrected) else ""
    return redirect(back, ok="corrected", warn=warn, back=results)


@router.post("/documents/{doc_id:path}/delete")
def delete_document(request: Request, doc_id: str, services: ServicesDep,
                    csrf_token: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    principal = page_user(request, Role.ADMIN, csrf=csrf_token)
    docs.delete(services, doc_id, actor=principal.name)
    return redirect("/", ok="deleted")


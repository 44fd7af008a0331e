"""Rendering pages: the Jinja environment, display names in Vietnamese, the CSRF cookie, error pages."""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.responses import RedirectResponse, Response

from corpus.search_filters import TOPICS, label_key
from nlp.abbreviations import DOC_TYPE_LABELS
from nlp.header_issuer import qualified_issuer
from nlp.normalize import fold
from nlp.typed_dates import TypedDateError, parse_typed_date, typed_date_text
from service.auth import CSRF_COOKIE, Principal, csrf_token_for, role_label
from service.documents import STATUS_WORDS, id_path
from service.problems import Problem, return_path
from service.settings import Role
from service.taxonomy import Taxonomy, taxonomy_of

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

# A signed-in clerk's role as the header shows it, in the words the login page uses ("quyền đọc, tải lên
# hoặc quản trị"); role_label's English keys in parentheses are for those who configure keys, not clerks.
ROLE_BADGES = {Role.READER: "Đọc", Role.UPLOADER: "Tải lên", Role.ADMIN: "Quản trị"}

SOURCE_NAMES = {
    "human": "Cán bộ sửa/xác nhận",
    "model": "Mô hình đề xuất",
    "header": "Đọc từ văn bản",
    "number": "Theo số ký hiệu",
    "source": "Dữ liệu nguồn",
    "none": "Chưa xác định",
}
FIELD_NAMES = {
    "number": "Số ký hiệu",
    "doc_type": "Loại văn bản",
    "topic": "Lĩnh vực",
    "issuer": "Cơ quan ban hành",
    "parent": "Cơ quan chủ quản",
    "place": "Nơi ban hành",
    "issued_date": "Ngày ban hành",
    "title": "Trích yếu",
    "signer": "Người ký",
    "status": "Hiệu lực",
    "recipients": "Nơi nhận",
    "text": "Nội dung",
    "source_url": "Nguồn",
    "symbol": "Ký hiệu",
    "file": "Tệp gốc",
    "extra": "Thông tin thêm",
    # Parameters of the pages' own forms and links, named in a validation error
    "q": "Từ khóa",
    "page": "Trang",
    "at": "Vị trí trong hàng đợi",
    "token": "Phiên tải lên",
}
ACTION_NAMES = {"insert": "Thêm mới", "update": "Cập nhật", "delete": "Xóa", "label": "Gắn nhãn"}
# Messages shown after a redirect (?ok=code): only these fixed texts, never text from the URL.
NOTICES = {
    "saved": "Đã lưu văn bản; văn bản đã tìm được ngay.",
    "already-saved": "Văn bản này đã được lưu từ lần bấm Lưu trước; không lưu thêm bản nào, và thay đổi của lần "
                     "bấm sau (nếu có) chưa được áp dụng: hãy sửa ngay trên trang này.",
    "corrected": "Đã lưu chỉnh sửa. Nhãn được ghi là của bạn và văn bản đã được lập chỉ mục lại.",
    "accepted": "Đã xác nhận nhãn.",
    "partial": "Đã lưu nhãn đã chọn. Trường còn để “chưa xác định” vẫn chờ duyệt: hãy chọn giá trị cho nó.",
    "deleted": "Đã xóa văn bản.",
    "activated": "Đã chuyển mô hình; mọi tiến trình dùng phiên bản mới trong vòng một giây. Nhãn do phiên bản "
                 "cũ đề xuất vẫn giữ nguyên; để đề xuất lại bằng phiên bản này, chạy: vanban tag --refresh",
    "rolledback": "Đã quay lại phiên bản mô hình trước. Để đề xuất lại nhãn bằng phiên bản này, chạy: "
                  "vanban tag --refresh",
    "loggedout": "Đã đăng xuất.",
    "welcome": "Đăng nhập thành công.",
}


def doc_type_name(slug: str | None) -> str:
    if not slug:
        return "—"
    return DOC_TYPE_LABELS.get(slug) or slug.replace("-", " ").capitalize()


def topic_name(code: str | None) -> str:
    """A field's full name: a built-in code's name, any other label (another taxonomy's) whole."""
    if not code:
        return "—"
    return TOPICS.get(code, code)


def _built_in_short(code: str) -> str:
    """A built-in field's short name: its full name's parts up to the one the code names ("an-ninh":
    "Quốc phòng – An ninh", not "Quốc phòng", which is another field's subject); the first part when the
    code names none."""
    parts = TOPICS[code].split(" – ")
    for end, part in enumerate(parts, start=1):
        if "-".join(fold(part).lower().split()) == code:
            return " – ".join(parts[:end])
    return parts[0]


def topic_short(code: str | None, taken: Collection[str] = ()) -> str:
    """A field's name where room is short (facets, chips, hit lines, proposals).

    A label of another taxonomy is shown whole: it has no shorter form of its own ("Thi đua – Khen thưởng"
    cut at its dash read as another field, QA). A built-in code is shown by its short name unless that
    name is one of ``taken`` (the other taxonomy's labels shown beside it): then by its full name — the
    portal's "Đất đai" and the built-in dat-dai were two facet entries both named "Đất đai" (QA).
    """
    if not code:
        return "—"
    if code not in TOPICS:
        return code
    keys = {label_key(name) for name in taken if name not in TOPICS}
    for name in (_built_in_short(code), TOPICS[code]):
        if label_key(name) not in keys:
            return name
    return f"{TOPICS[code]} ({code})"  # a researcher's label spelt as the built-in's full name


def topic_names_taken(request: Request, *shown: str | None) -> tuple[str, ...]:
    """The names a built-in field's short name must not repeat on a page: the active model's own labels
    (a proposal named "Đất đai" must say which taxonomy's), and ``shown``, the labels the page lists
    beside it (a facet can hold labels of an earlier model). The taxonomy is read once per request."""
    cached = getattr(request.state, "topic_model_labels", None)
    if cached is None:
        cached = taxonomy_of(request.app.state.services).extra_labels
        request.state.topic_model_labels = cached
    return (*cached, *(value for value in shown if value and value not in TOPICS))


@pass_context
def _topic_short_filter(context: Context, code: str | None) -> str:
    """``topic_short`` in a template: the names taken are the request's (:func:`topic_names_taken`) and
    ``topic_neighbours``, the labels a page lists together (the search page's facet)."""
    request = context.get("request")
    if not isinstance(request, Request):
        return topic_short(code)
    return topic_short(code, topic_names_taken(request, *(context.get("topic_neighbours") or ())))


TopicChoices = list[tuple[str, list[tuple[str, str]]]]


def topic_choices(taxonomy: Taxonomy, *current: str | None, proposed: tuple[str | None, ...] = ()) -> TopicChoices:
    """The field select's options, in groups (heading, [(value, shown)]).

    The built-in codes alone while the active model knows no others (no heading); otherwise the active
    model's labels first, in Vietnamese order, then the built-in codes. ``current``: the values the page
    shows as the document's (its field, what the clerk typed), offered even outside both — an option the
    select lacks would be submitted as "chưa xác định" and file a clerk's empty field (QA: a proposal of a
    researcher's taxonomy was erased on save). ``proposed``: the proposals the page shows, offered apart
    from them: a proposal is never the document's value (QA: an earlier model's proposal was listed under
    "Giá trị hiện có").
    """
    built_in = list(TOPICS.items())
    model = sorted(taxonomy.extra_labels, key=vietnamese_order)
    known = {*TOPICS, *model}
    others = list(dict.fromkeys(value for value in current if value and value not in known))
    suggested = [value for value in dict.fromkeys(proposed) if value and value not in known and value not in others]
    if not model and not others and not suggested:
        return [("", built_in)]
    groups: TopicChoices = []
    if others:
        groups.append(("Giá trị hiện có", [(value, value) for value in others]))
    if suggested:
        groups.append(("Mô hình đề xuất", [(value, value) for value in suggested]))
    if model:
        groups.append((f"Lĩnh vực của mô hình đang dùng ({len(model)})", [(label, label) for label in model]))
    groups.append(("Danh mục lĩnh vực mặc định", built_in))
    return groups


def shown_proposals(classification: Mapping[str, Any] | None, values: Mapping[str, str | None], *,
                    active_version: str | None, taxonomy: Taxonomy) -> dict[str, dict[str, Any]]:  # fmt: skip
    """The model's proposals a page shows, per tag field, each with ``version`` (the model version that
    made it) and ``earlier`` (made by a version other than the active one).

    An earlier version's field that the active taxonomy does not have is left out unless it is the
    document's value (``values``): after the 14-field model was activated, the review page still offered
    the portal model's "Quản lý Đê điều và Phòng, chống thiên tai" as if proposed now (QA).
    """
    if not classification:
        return {}
    version = classification.get("model_version")
    shown: dict[str, dict[str, Any]] = {}
    for field in ("doc_type", "topic"):
        proposal = classification.get(field)
        if not isinstance(proposal, Mapping):
            continue
        by_model = proposal.get("source") == "model"
        earlier = by_model and version != active_version
        label = proposal.get("label")
        outside = field == "topic" and bool(label) and taxonomy.resolve(str(label)) != label
        if earlier and outside and label != values.get(field):
            continue
        shown[field] = {**proposal, "version": version if by_model else None, "earlier": earlier}
    return shown


def issuer_shown(issuer: str | None, parent: str | None) -> str | None:
    """The issuer as the search names it (its facet, its hit line): the standard name, with the parent's
    place when it names none ("Sở Tài chính" under "UBND tỉnh Quảng Trị": "Sở Tài chính tỉnh Quảng Trị")."""
    return qualified_issuer(issuer, parent) if issuer else None


def parent_helps(issuer: str | None, parent: str | None) -> bool:
    """Whether the parent body says more than :func:`issuer_shown`: it does unless the shown name already
    took the parent's place (or the parent itself, for the Văn phòng of a council)."""
    if not parent:
        return False
    return not issuer or qualified_issuer(issuer, parent) == qualified_issuer(issuer, None)


# The Vietnamese alphabet's order of base letters (ă, â after a; đ after d; ê after e; ô, ơ after o; ư after
# u); tone marks only break ties, as dictionaries order words.
_LETTER_ORDER = {ch: i for i, ch in enumerate("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def vietnamese_order(text: str) -> tuple[tuple[int, ...], str]:
    """A sort key in Vietnamese alphabetical order ("Báo cáo" < "Biên bản", "Công điện" < "Công văn" <
    "Đề án"), where Unicode code points put "Đề án" after every other word."""
    letters = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        # the letter without its tone mark (ấ → â): tones only break ties
        bare = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in _TONES))
        letters.append(-1 if bare.isspace() else _LETTER_ORDER.get(bare, 100 + ord(bare[:1] or " ")))
    return tuple(letters), text


def vn_date(value: date | datetime | str | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        local = value.astimezone() if value.tzinfo else value
        return local.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def percent(value: float | None) -> str:
    """A confidence in whole per cent; a model's 0.99999 is "99%", never "100%" (only a rule is certain)."""
    if value is None:
        return "—"
    shown = round(float(value) * 100)
    return f"{99 if shown == 100 and float(value) < 1.0 else shown:d}%"


def percent_decimal(value: float | None) -> str:
    """A share with one decimal, written the Vietnamese way ("93,0%", not "93.0%")."""
    return "—" if value is None else f"{float(value) * 100:.1f}%".replace(".", ",")


# How a reading's format is named on the pages: a pasted text has no file format ("TEXT", QA).
FORMAT_NAMES = {"text": "Văn bản dán"}


def format_name(fmt: str | None) -> str:
    return FORMAT_NAMES.get(str(fmt or ""), str(fmt or "").upper())


def capitalize_first(text: str | None) -> str:
    text = str(text or "")
    return text[:1].upper() + text[1:]


# The words naming each tag field in the classifier's notes ("cần xem xét: lĩnh vực có độ tin cậy thấp").
_TAG_WORDS = {"doc_type": "loại văn bản", "topic": "lĩnh vực"}
_REVIEW_PREFIX = "cần xem xét:"


def review_reasons(classification: Mapping[str, Any] | None, waiting: Collection[str]) -> list[str]:
    """Why the tag fields ``waiting`` wait for a clerk, as sentences (capitalised, without the notes'
    "cần xem xét:" the page's heading already says).

    The notes the classification kept (the model's doubts, the service's threshold) about a waiting field or
    about none in particular; for a waiting field no note speaks of, what its proposal lacks. QA: a field
    waited with "83 %" shown and no word of the note "không đủ thông tin…" kept beside it.
    """
    if not waiting:
        return []
    classification = classification or {}
    reasons: list[str] = []
    spoken: set[str] = set()
    for note in classification.get("notes") or ():
        text = str(note).strip()
        named = {f for f, word in _TAG_WORDS.items() if word in text.lower()}
        if named and not named & set(waiting):
            continue  # about a field confirmed since
        spoken |= named
        if text.lower().startswith(_REVIEW_PREFIX):
            text = text[len(_REVIEW_PREFIX) :].strip()
        reasons.append(capitalize_first(text))
    for field in (f for f in _TAG_WORDS if f in waiting and f not in spoken):
        proposal = classification.get(field)
        proposal = proposal if isinstance(proposal, Mapping) else {}
        word = _TAG_WORDS[field]
        if not proposal.get("label"):
            why = [str(r) for r in proposal.get("reasons") or ()][:1]
            reasons.append(f"Chưa có đề xuất {word}" + (f": {why[0].rstrip('.')}." if why else "."))
        elif proposal.get("source") == "model" and proposal.get("confidence") is not None:
            reasons.append(f"Mô hình chưa chắc chắn về {word} (độ tin cậy {percent(proposal['confidence'])}).")
        else:
            reasons.append(f"{capitalize_first(word)} cần được cán bộ xác nhận.")
    return list(dict.fromkeys(reasons))


# How close the label entries of one correction are in the audit (each field is written apart, a moment later).
_ONE_CORRECTION_S = 10


def cleared_fields(audit: Sequence[Any]) -> list[tuple[str, str]]:
    """The fields the latest correction of a document emptied, with the value each had (``audit``: the
    document's entries, newest first): the notice after saving says what was cleared (QA: a number cleared
    on purpose or by mistake was not mentioned)."""
    if not audit:
        return []
    latest = audit[0]
    cleared: dict[str, str] = {}
    for entry in audit:
        if entry.action != "label" or entry.actor != latest.actor:
            break
        if abs((latest.at - entry.at).total_seconds()) > _ONE_CORRECTION_S:
            break
        details = entry.details if isinstance(entry.details, Mapping) else {}
        field, old = str(details.get("field") or ""), details.get("old")
        if field and old and not details.get("new"):
            cleared.setdefault(field, str(old))
    return list(cleared.items())


# Accounts the system writes as, named for a clerk (the audit keeps the names as recorded).
SYSTEM_ACTORS = {
    "import": "nhập từ tệp (dòng lệnh)",
    "local-admin": "quản trị (trên máy chủ)",
    "demo": "dữ liệu mẫu",
    "bootstrap": "khởi tạo dịch vụ",
    "system": "hệ thống",
}


def actor_name(actor: str | None) -> str:
    """An audit entry's or an upload's actor as the pages show it: a key's name as given, the system's own
    accounts in Vietnamese (QA: "import" and "local-admin" read as English in the change log)."""
    return SYSTEM_ACTORS.get(actor or "", actor or "—")


def vn_int(value: int | None) -> str:
    """A count as Vietnamese write it: thousands separated by "." (3.624 văn bản)."""
    return "—" if value is None else f"{value:,}".replace(",", ".")


def filesize(size: int | None) -> str:
    if not size:
        return "—"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    env = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env.env.filters.update(
        doc_type=doc_type_name, topic=topic_name, topic_short=_topic_short_filter, vn_date=vn_date, percent=percent,
        filesize=filesize, source_name=lambda s: SOURCE_NAMES.get(str(s), str(s)),
        field_name=lambda f: FIELD_NAMES.get(str(f), str(f)), action_name=lambda a: ACTION_NAMES.get(a, a),
        role_name=role_label, role_badge=lambda r: ROLE_BADGES.get(r, str(r)), id_path=id_path, capitalize_first=capitalize_first,
        percent_decimal=percent_decimal, format_name=format_name, vn_int=vn_int, actor_name=actor_name,
    )  # fmt: skip
    env.env.globals.update(DOC_TYPES=dict(sorted(DOC_TYPE_LABELS.items(), key=lambda kv: vietnamese_order(kv[1]))), TOPICS=TOPICS,
                           Role=Role, STATUS_WORDS=STATUS_WORDS, issuer_shown=issuer_shown,
                           parent_helps=parent_helps, review_reasons=review_reasons,
                           cleared_fields=cleared_fields)  # fmt: skip
    return env


def principal_of(request: Request) -> Principal | None:
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    try:
        principal = request.app.state.services.access.identify(request)
    except Problem:
        principal = None
    request.state.principal = principal
    return principal


def render(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> Response:
    """Render a page with the shared context and make sure the browser holds a CSRF cookie."""
    services = request.app.state.services
    token = csrf_token_for(request)
    principal = principal_of(request)
    notice = NOTICES.get(request.query_params.get("ok", ""))
    ctx = {
        "request": request,
        "principal": principal,
        "csrf_token": token,
        "local_mode": services.settings.local_mode,
        "anonymous_reads": services.access.anonymous_reads,
        "notice": notice,
        "path": request.url.path,
        # where "Đăng nhập" comes back to: this page with its query, or for a posted form the page it was on
        "return_path": return_path(request),
        "model_version": services.models.serving,
        **(context or {}),
    }
    response = templates().TemplateResponse(request, name, ctx, status_code=status)
    set_csrf_cookie(request, response)
    response.headers["Cache-Control"] = "no-store"
    return response


def set_csrf_cookie(request: Request, response: Response) -> None:
    if getattr(request.state, "csrf_new", False):
        response.set_cookie(
            CSRF_COOKIE, request.state.csrf_token, httponly=True, samesite="strict",
            secure=request.app.state.settings.cookie_secure, path="/",
        )  # fmt: skip


def page_user(request: Request, role: Role, csrf: str | None = None) -> Principal:
    """The signed-in principal allowed ``role`` (a 401 becomes a redirect to the login page)."""
    principal = request.app.state.services.access.authorize(request, role, csrf=csrf)
    request.state.principal = principal
    return principal


MAX_DATE_CHARS = 40


def date_in_words(value: str) -> str:
    """A typed date as the search reads it: normalised (NFC, spaces collapsed), so that a date in words typed
    with decomposed marks ("ngày 5 tháng 3 năm 2024" in NFD) is read like any other (see nlp.typed_dates)."""
    return typed_date_text(value)


def form_date(value: str, field: str = "issued_date") -> str:
    """A form's date as ``YYYY-MM-DD``, read by the one reader of typed dates (:mod:`nlp.typed_dates`, as the
    API and the search read them); a 422 at the field when too long or not a date."""
    text = typed_date_text(value)
    if len(text) > MAX_DATE_CHARS:
        raise Problem("invalid-document", f"{FIELD_NAMES.get(field, field)} quá dài.",
                      errors=[{"field": field, "message": "quá dài; nhập dạng dd/mm/yyyy"}])  # fmt: skip
    try:
        return parse_typed_date(text).isoformat()
    except TypedDateError as exc:
        raise Problem("invalid-document", exc.message, errors=[{"field": field, "message": exc.message}]) from None


def too_long(values: Mapping[str, str], limits: Mapping[str, int]) -> list[dict[str, str]]:
    """Errors (``field``, ``message``) of the values longer than their limit.

    Pages check lengths themselves rather than with ``Form(max_length=…)``: FastAPI's validation error
    comes before the handler, so the page could only answer with an error page that loses what was typed.
    """
    return [{"field": field, "message": f"quá dài (tối đa {limits[field]} ký tự)"}
            for field, value in values.items()
            if field in limits and len(unicodedata.normalize("NFC", value)) > limits[field]]  # fmt: skip


_TITLE_REQUIRED = "Trích yếu không được để trống: hãy sửa lại trích yếu cho đúng thay vì xóa"


def checked_form(
    values: Mapping[str, str], limits: Mapping[str, int], changes: dict[str, Any], *, keep_title: bool = True
) -> None:
    """Check a page form before anything is saved: a 422 :class:`Problem` listing the values longer than
    their limit, or, with ``keep_title``, for a filed title emptied (``changes``: the values changed);
    ``changes["issued_date"]``, when given, turned into a form the store reads (:func:`form_date`)."""
    errors = too_long(values, limits)
    if errors:
        raise Problem("invalid-document", "Có trường quá dài.", errors=errors)
    if keep_title and "title" in changes and not changes["title"]:
        # Only a changed value is in ``changes``: an empty title there empties one the document has (QA: a
        # document became "(không có trích yếu)"). A wrongly read number or date may be cleared; a title is
        # corrected, not removed.
        error = {"field": "title", "message": _TITLE_REQUIRED}
        raise Problem("invalid-document", _TITLE_REQUIRED, errors=[error])
    if changes.get("issued_date"):
        changes["issued_date"] = form_date(str(changes["issued_date"]))


def field_errors(problem: Problem, fields: tuple[str, ...]) -> dict[str, str]:
    """Errors of a form's own fields, keyed by field, for display next to each input."""
    return {str(e["field"]): str(e["message"]) for e in problem.extensions.get("errors") or ()
            if isinstance(e, dict) and e.get("field") in fields}  # fmt: skip


def login_redirect(back: str) -> RedirectResponse:
    """To the login page, and after it back to ``back`` (a path of this site): for a form posted signed out,
    whose own address is no page to come back to (the error handler falls back on the referrer, or ``/``)."""
    return RedirectResponse(f"/login?next={quote(back, safe='')}", status_code=303)


def redirect(url: str, **params: str) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{url}?{query}" if query else url, status_code=303)


def render_problem(request: Request, problem: Problem) -> Response:
    """The error page for a problem met while serving a page."""
    try:
        return render(request, "error.html", {"problem": problem}, status=problem.status)
    except Exception:  # rendering the error page must not fail the error itself
        body = f"<h1>{problem.status} {html.escape(problem.title)}</h1><p>{html.escape(problem.detail)}</p>"
        return Response(body, status_code=problem.status, media_type="text/html; charset=utf-8")

"""Search requests and their filters: validation with Vietnamese messages, and tantivy filter queries.

Filter values are accepted the way clerks type them: a document type as its slug (``quyet-dinh``), its
code (``QĐ``, ``qd``) or its name (``quyết định``); a field (lĩnh vực) as its code or name (``y tế``); an
issuer by any words of its name, abbreviations included (``UBND Bình Dương``); a validity status as a class
(``con-hieu-luc``) or words (``hết hiệu lực``); dates as :mod:`nlp.typed_dates` reads them (``2022-07-20``,
``20/7/2022``, ``ngày 20 tháng 7 năm 2022``…), a month or a year. Several
types or fields may be given separated by commas (a field whose own name has a comma, "Cấp, quản lý căn cước", is
one field); a field the documents hold matches but for case ("hải quan" is "Hải quan"). An unknown type, field,
status or sort, a malformed date or a reversed date range is a :class:`~corpus.search_errors.QueryError`; an
issuer no document has simply matches nothing.

Example
-------
>>> resolve_doc_type("QĐ"), resolve_doc_type("kế hoạch"), resolve_topic("y tế")
('quyet-dinh', 'ke-hoach', 'y-te')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from tantivy import FieldType, Occur, Query

from corpus.document import day_number
from corpus.query import code_form, expansion_table, fold_lower, fold_terms, term_parts
from corpus.search_errors import QueryError
from nlp.abbreviations import ABBREVIATIONS, DOC_TYPE_LABELS, TYPE_CODES, TYPE_NAMES, canonical_abbreviation
from nlp.header_issuer import qualified_issuer, standard_issuer
from nlp.normalize import fold, normalize
from nlp.typed_dates import TypedDateError, parse_typed_day

MAX_LIMIT = 1000
MAX_OFFSET = 100_000
SORTS = ("relevance", "date", "date_asc")

TOPICS: dict[str, str] = {
    "dat-dai": "Đất đai – Tài nguyên – Môi trường",
    "nong-nghiep": "Nông nghiệp – Phát triển nông thôn",
    "xay-dung": "Xây dựng – Giao thông – Đô thị",
    "kinh-te": "Kinh tế – Công thương – Đầu tư – Doanh nghiệp",
    "tai-chinh": "Tài chính – Ngân sách – Đầu tư công",
    "y-te": "Y tế – Phòng chống dịch",
    "giao-duc": "Giáo dục – Đào tạo",
    "lao-dong": "Lao động – Việc làm – An sinh xã hội",
    "van-hoa": "Văn hóa – Thể thao – Du lịch",
    "noi-vu": "Nội vụ – Tổ chức bộ máy – Thi đua khen thưởng",
    "cai-cach-hanh-chinh": "Cải cách hành chính – Thủ tục hành chính",
    "tu-phap": "Tư pháp – Thanh tra – Pháp chế",
    "an-ninh": "Quốc phòng – An ninh – Trật tự",
    "thong-tin": "Thông tin – Truyền thông – Khoa học công nghệ",
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHOWN_TOPICS = 8  # fields of another taxonomy named in an error (a portal's has over a hundred)
_MAX_TOPICS = 65_000  # every field the index holds, for matching a typed one


@dataclass(frozen=True)
class SearchRequest:
    """One search: the query text plus filters, sort and page. Every field has a sensible default."""

    query: str = ""
    doc_type: str | None = None
    topic: str | None = None
    issuer: str | None = None
    status: str | None = None
    date_from: date | str | None = None
    date_to: date | str | None = None
    sort: str = "relevance"  # relevance | date (newest first) | date_asc
    limit: int = 10
    offset: int = 0
    facets: bool = True
    highlights: bool = True
    # The active model's field labels (a researcher's taxonomy), set by the caller that knows the model, not
    # by a request: a topic filter naming one of them means that field (see resolve_topic_label).
    own_topics: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SearchRequest:
        """From JSON-like values (``--batch`` lines); ``q``/``type``/``from``/``to`` are accepted aliases and
        the :data:`HARNESS_KEYS` are ignored.

        Any other key is a :class:`QueryError`: a misspelt filter (``tpye``) silently dropped would run the
        search unfiltered and return plausible but wrong hits. So is a field given under two names with two
        different values (``type`` and ``doc_type``), which has no right answer."""
        fields = tuple(name for name in cls.__dataclass_fields__ if name != "own_topics")
        unknown = [
            k for k in values if k not in fields and k not in REQUEST_ALIASES and k not in HARNESS_KEYS
        ]
        if unknown:
            accepted = {name: (_ALIAS_OF[name],) if name in _ALIAS_OF else () for name in fields}
            raise unknown_parameters(unknown, accepted, ignored=sorted(HARNESS_KEYS))
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if key in HARNESS_KEYS:
                continue
            name = REQUEST_ALIASES.get(key, key)
            if name in kwargs and kwargs[name] != value:
                raise QueryError(
                    f"{name} given twice with different values: {kwargs[name]!r}, {value!r}",
                    f"Tham số {name} được cho hai lần, qua hai tên {name} và {_ALIAS_OF[name]}, với hai giá "
                    f'trị khác nhau ("{kwargs[name]}", "{value}"); hãy chỉ dùng một tên.',
                    name,
                )
            kwargs[name] = value
        return cls(**kwargs)


# Other names a request field goes by (``--batch`` lines use the CLI's and HTTP's short names).
REQUEST_ALIASES: dict[str, str] = {"q": "query", "type": "doc_type", "from": "date_from", "to": "date_to"}
_ALIAS_OF = {name: alias for alias, name in REQUEST_ALIASES.items()}
# Keys an evaluation harness puts on a ``--batch`` line that are not part of the search: the query's id
# (``qid``, or ``id`` as the CLI reads it) and what ``bench/search_quality.py --export-queries`` writes
# beside the query (``kind``, ``relevant``), a file docs/search.md runs through ``vanban search --batch``.
HARNESS_KEYS = frozenset({"qid", "id", "kind", "relevant"})


def unknown_parameters(
    unknown: Sequence[str], accepted: Mapping[str, Sequence[str]], ignored: Sequence[str] = ()
) -> QueryError:
    """The error for request keys nothing reads: each one named, with the closest accepted name as a hint
    (``tpye`` → ``type``), then every accepted parameter. ``accepted``: each name with its other names;
    ``ignored``: keys allowed but not part of the search."""
    names = [n for name, others in accepted.items() for n in (name, *others)]
    described = []
    for key in unknown:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        described.append(f'"{key}"' + (f' (có phải "{close[0]}"?)' if close else ""))
    shown = [f"{name} ({', '.join(others)})" if others else name for name, others in accepted.items()]
    message = f"Không có tham số {', '.join(described)}; hãy dùng một trong: {', '.join(shown)}."
    if ignored:
        message += f" Các khóa {', '.join(ignored)} được chấp nhận nhưng không dùng để tìm."
    return QueryError(
        f"unknown search parameters {list(unknown)}; accepted: {', '.join(shown)}", message, unknown[0]
    )


@dataclass(frozen=True)
class Filters:
    """Validated filters as tantivy queries (all must match)."""

    queries: list[Query] = field(default_factory=list)


# -- vocabularies ---------------------------------------------------------------------------------


def issuer_terms(issuer: str) -> list[str]:
    """Folded terms of an issuer name plus its abbreviations and expansions, so that the filter
    ``UBND Bình Dương`` finds ``Ủy ban nhân dân tỉnh Bình Dương`` and the other way round."""
    folded = fold_terms(term_parts(normalize(issuer, keep_newlines=False)))
    out = list(folded)
    table = expansion_table()
    for size in range(2, 9):
        for start in range(0, len(folded) - size + 1):
            out += [code_form(a).lower() for a in table.get(tuple(folded[start : start + size]), ())]
    for term in folded:
        canonical = canonical_abbreviation(term)
        if canonical and len(term) >= 3:
            for expansion in ABBREVIATIONS[canonical]:
                out += fold_terms(term_parts(expansion))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1024)
def _issuer_filter_terms(issuer: str) -> tuple[str, ...]:
    """:func:`issuer_terms` of the issuer filter's name as the index spells names (``Sở TN&MT`` is ``Sở Tài
    nguyên và Môi trường``), cached: a clerk picks among a few hundred issuers, and normalising and expanding
    one costs tens of microseconds a search."""
    return tuple(issuer_terms(standard_issuer(issuer)))


def issuer_key(name: str) -> str:
    """An issuer's name folded, in lower case, single-spaced: what a quoted issuer filter compares."""
    return " ".join(fold_lower(normalize(name, keep_newlines=False)).split())


def issuer_identity(value: str | None) -> str:
    """An issuer's name as two filings of one body compare: folded, abbreviations of three letters or more
    written out ("UBND tỉnh Lào Cai" is "Ủy ban nhân dân tỉnh Lào Cai"; QA: an upload of a stored number
    under the short name was filed twice). Empty for no issuer."""
    words: list[str] = []
    for word in fold_terms(term_parts(normalize(value or "", keep_newlines=False))):
        abbreviation = canonical_abbreviation(word) if len(word) >= 3 else None
        expansions = ABBREVIATIONS.get(abbreviation, ()) if abbreviation else ()
        words += fold_terms(term_parts(expansions[0])) if expansions else [word]
    return " ".join(words)


def same_issuing_body(a: str | None, a_parent: str | None, b: str | None, b_parent: str | None) -> bool:
    """Whether two filings name one issuing body: the same :func:`issuer_identity` once each is qualified by
    its parent's place (``Sở Tài chính`` under Quảng Ngãi is not ``Sở Tài chính`` under Lào Cai; QA: an upload
    was refused as a duplicate of another province's department), or the same bare name when either filing
    says no parent (nothing tells them apart then)."""
    if not (a and b and a_parent and b_parent) and issuer_identity(a) == issuer_identity(b):
        return True
    a_body, b_body = (qualified_issuer(x, p) if x else "" for x, p in ((a, a_parent), (b, b_parent)))
    return issuer_identity(a_body) == issuer_identity(b_body)


def same_numbering_year(a: date | None, b: date | None) -> bool:
    """Whether two documents of one body with one number may be one document by their dates: the same year,
    or a date unknown. Numbers without a year (21/CT-TTg, 2345/BGDĐT-GDTrH) restart every year, so the
    21/CT-TTg of 2024 is not the one of 2026 (QA: an upload was refused as the other's duplicate)."""
    return a is None or b is None or a.year == b.year


def issuer_word_pairs(issuer: str) -> set[tuple[str, str]]:
    """Ordered pairs of folded words at most two apart in an issuer name, read as printed and with its
    expansions abbreviated (``ủy ban nhân dân tỉnh bình dương`` → ``(ubnd, binh)``, ``(binh, duong)``,
    ``(nhan, dan)``…): two words a clerk types side by side to name that issuer."""
    folded = fold_terms(term_parts(normalize(issuer, keep_newlines=False)))
    sequences = [folded]
    table = expansion_table()
    for size in range(2, 9):
        for start in range(0, len(folded) - size + 1):
            for abbreviation in table.get(tuple(folded[start : start + size]), ()):
                short = [*folded[:start], code_form(abbreviation).lower(), *folded[start + size :]]
                sequences.append(short)
    return {
        (seq[i], seq[j])
        for seq in sequences
        for i in range(len(seq))
        for j in range(i + 1, min(len(seq), i + 3))
    }


# Validity classes of the portals' free-text "hiệu lực" values, with what a clerk reads for each.
STATUS_CLASSES: dict[str, str] = {
    "con-hieu-luc": "còn (đang) hiệu lực",
    "hieu-luc-mot-phan": "còn hiệu lực một phần",
    "het-hieu-luc": "hết hiệu lực",
    "chua-co-hieu-luc": "chưa có hiệu lực",
    "ngung-hieu-luc": "ngưng hiệu lực",
}
_STATUS_RULES = (  # folded phrase → class, most specific first
    ("ngung hieu luc", "ngung-hieu-luc"),  # "Ngưng hiệu lực một phần" is a suspension
    ("tam ngung", "ngung-hieu-luc"),
    ("mot phan", "hieu-luc-mot-phan"),  # "Hết hiệu lực một phần" is still partly in force
    ("1 phan", "hieu-luc-mot-phan"),
    ("het hieu luc", "het-hieu-luc"),
    ("chua co hieu luc", "chua-co-hieu-luc"),
    ("chua hieu luc", "chua-co-hieu-luc"),
    ("hieu luc", "con-hieu-luc"),
)


def _quoted(value: str) -> str | None:
    """The text inside a value written in double quotes ("…" or “…”), or None."""
    value = value.strip()
    if len(value) > 2 and value[0] in "\"“" and value[-1] in "\"”":
        return value[1:-1].strip() or None
    return None


def status_class(status: str) -> str | None:
    """The validity class of a status text (``Văn bản đang có hiệu lực`` → ``con-hieu-luc``), or None.
    A class slug is its own class, so filters accept either."""
    if status in STATUS_CLASSES:
        return status
    # Composed first: decomposed marks (NFD, as macOS and some forms send) would cut every word apart.
    folded = " ".join(fold_terms(term_parts(normalize(status))))
    for phrase, klass in _STATUS_RULES:
        if phrase in folded:
            return klass
    return None


# How each validity class is written on the forms, the filter chips and stored from a clerk's hand (the first
# words of the class's reading in STATUS_CLASSES, with its capital), in the order the forms offer them.
STATUS_WORDING: dict[str, str] = {
    "con-hieu-luc": "Còn hiệu lực",
    "hieu-luc-mot-phan": "Còn hiệu lực một phần",
    "het-hieu-luc": "Hết hiệu lực",
    "chua-co-hieu-luc": "Chưa có hiệu lực",
    "ngung-hieu-luc": "Ngưng hiệu lực",
}


def filed_status(status: str) -> str:
    """A status as filed from a clerk's hand: a class slug or a class's very wording typed without marks or
    in other capitals ("het-hieu-luc", "con hieu luc", "CÒN HIỆU LỰC") in that wording ("Còn hiệu lực"; QA:
    stored without marks); anything else as typed, since its words may say more than its class ("Hết hiệu
    lực một phần", "ngung hieu luc mot phan" is a suspension, not "còn hiệu lực một phần")."""
    text = normalize(status, keep_newlines=False).strip()
    if text in STATUS_WORDING:
        return STATUS_WORDING[text]
    same = [wording for wording in STATUS_WORDING.values() if fold(wording).lower() == fold(text).lower()]
    return same[0] if same else text


def known_doc_types() -> set[str]:
    """Every type slug vanban knows: of the type codes, the type names and the labels it shows."""
    return {slug for slug, _ in TYPE_CODES.values()} | set(TYPE_NAMES.values()) | set(DOC_TYPE_LABELS)


def resolve_doc_type(value: str, present: set[str] | None = None) -> str | None:
    """Slug of a document type given as slug, code or name; None when unknown (``present``: slugs the
    index holds, which are accepted even when no table lists them)."""
    value = normalize(value, keep_newlines=False).strip()
    if _SLUG.fullmatch(value) and (value in known_doc_types() or (present and value in present)):
        return value
    from nlp.abbreviations import doc_type_from_code

    if slug := doc_type_from_code(value):
        return slug
    folded = fold_lower(value)
    for name, slug in TYPE_NAMES.items():
        if fold_lower(name) == folded:
            return slug
    hyphenated = "-".join(folded.split())
    return hyphenated if hyphenated in known_doc_types() else None


# Departments whose names are not runs of a field's name (folded, "và" left out).
_GOVERNING_BODIES = {
    "lao dong thuong binh xa hoi": "lao-dong",
    "giao thong van tai": "xay-dung",
    "cong an": "an-ninh",
    "quoc phong": "an-ninh",
    "thanh tra": "tu-phap",
}


def resolve_topic(value: str, present: set[str] | None = None) -> str | None:
    """Topic code given as code or as (the start of) its Vietnamese name; None when unknown (``present``:
    codes the index holds, accepted even when outside the 14 of the taxonomy, e.g. imported corpora)."""
    value = normalize(value, keep_newlines=False).strip()
    if value in TOPICS or (present and value in present):
        return value
    folded = " ".join(fold_terms(term_parts(value)))
    if "-".join(folded.split()) in TOPICS:
        return "-".join(folded.split())
    for code, name in TOPICS.items():
        parts = [" ".join(fold_terms(term_parts(p))) for p in name.split("–")]
        if folded and (folded in parts or " ".join(parts).split()[: len(folded.split())] == folded.split()):
            return code  # a part of the name, or its first words ("van hoa")
    # The name of the department or ministry that governs the field ("Giáo dục và Đào tạo", "Tài nguyên và
    # Môi trường", "Lao động - Thương binh và Xã hội"): consecutive parts of a field's name, "và" aside.
    words = [w for w in folded.split() if w != "va"]
    if not words:
        return None
    for code, name in TOPICS.items():
        pieces = [[w for w in fold_terms(term_parts(p)) if w != "va"] for p in name.split("–")]
        for start in range(len(pieces)):
            run: list[str] = []
            for part in pieces[start:]:
                run += part
                if run == words:
                    return code
                if len(run) >= len(words):
                    break
    return _GOVERNING_BODIES.get(" ".join(words))


def label_key(value: str) -> str:
    """A label compared but for case, Unicode form and spacing ("hải  quan" and "Hải quan" are one)."""
    return " ".join(normalize(value, keep_newlines=False).casefold().split())


def match_label(value: str, labels: Collection[str]) -> str | None:
    """The label of ``labels`` that ``value`` names: itself, else the only one equal but for case and
    spacing; None otherwise."""
    if value in labels:
        return value
    stripped = value.strip()
    if stripped in labels:
        return stripped
    keyed, folded = _keyed_labels(labels if isinstance(labels, frozenset) else frozenset(labels))
    found = keyed.get(label_key(value), ())
    if not found:  # typed without marks ("hai quan"): only when a single label folds to it
        found = folded.get(fold_lower(label_key(value)), ())
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=16)
def _keyed_labels(labels: frozenset[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """``labels`` by :func:`label_key`, and by that key folded; cached, as an import asks the same model's
    labels for every record."""
    keyed: dict[str, tuple[str, ...]] = {}
    folded: dict[str, tuple[str, ...]] = {}
    for label in sorted(labels):
        key = label_key(label)
        keyed[key] = (*keyed.get(key, ()), label)
        folded[fold_lower(key)] = (*folded.get(fold_lower(key), ()), label)
    return keyed, folded


def topic_values(raw: str, resolve: Callable[[str], str | None], unknown: Callable[[str], QueryError]) -> list[str]:
    """The fields a filter value names. A value that is, whole, a field (``resolve`` finds it) is one field,
    commas and all: a researcher's taxonomy has "Cấp, quản lý căn cước". Only otherwise is it split on
    commas, each part a field (``unknown(part)``: the error for one that is none)."""
    whole = raw.strip()
    if not whole:
        return []
    found = resolve(whole)
    if found is not None:
        return [found]
    # Otherwise the longest run of comma-separated parts that names a field, then the rest: "Cấp, quản lý căn
    # cước, Hải quan" is two fields.
    parts = whole.split(",")
    out = []
    i = 0
    while i < len(parts):
        if not parts[i].strip():
            i += 1
            continue
        for j in range(len(parts), i, -1):
            code = resolve(",".join(parts[i:j]).strip())
            if code is not None:
                out.append(code)
                i = j
                break
        else:
            raise unknown(parts[i].strip())
    return out


def resolve_topic_label(
    value: str, held: Callable[[str], bool], labels: Callable[[], Mapping[str, int]], own: Collection[str] = ()
) -> str | None:
    """The field a filter value names, given what the documents hold: a label held exactly (``held``), else
    one of the held ``labels`` but for case and spacing ("hải quan" is "Hải quan"), else one of ``own`` (the
    active model's taxonomy: "Môi trường" is its field even before a document holds it, not the built-in
    dat-dai), else a built-in code or name (:func:`resolve_topic`). ``labels`` is only called when the value
    is not held as written."""
    value = normalize(value, keep_newlines=False).strip()
    if not value:
        return None
    if held(value):
        return value
    return match_label(value, labels()) or (match_label(value, own) if own else None) or resolve_topic(value)


def names_built_in_topic(label: str) -> bool:
    """Whether ``label`` is a code or a name of one of the 14 built-in fields (``y-te``, "Y tế", "Đất đai")."""
    return label.lower() in TOPICS or resolve_topic(label) is not None


def foreign_taxonomy(labels: Collection[str]) -> bool:
    """Whether a model's field labels are another taxonomy than the built-in one: fewer than half of them are
    codes or names of the 14 (a portal's "Hải quan", "Hộ tịch"…). Names are then not read as built-in codes
    when a field is filed: "Giao thông vận tải" is not xay-dung for such a model."""
    return _foreign_taxonomy(frozenset(labels))


@lru_cache(maxsize=8)
def _foreign_taxonomy(distinct: frozenset[str]) -> bool:
    # Cached: an import asks it of the same model's labels for every record.
    built_in = sum(1 for label in distinct if names_built_in_topic(label))
    return bool(distinct) and built_in * 2 < len(distinct)


def unknown_topic(value: str, labels: Mapping[str, int]) -> QueryError:
    """The error for a field that is none: the 14 codes, and the labels of another taxonomy the documents
    hold (the most used few, and how many there are)."""
    message = f'Lĩnh vực "{value}" không có; hãy dùng một trong: {", ".join(TOPICS)}'
    others = sorted((label for label in labels if label not in TOPICS), key=lambda label: (-labels[label], label))
    if others:
        shown = ", ".join(f'"{label}"' for label in others[:_SHOWN_TOPICS])
        more = " …" if len(others) > _SHOWN_TOPICS else ""
        message += f"; hoặc một trong {len(others)} lĩnh vực khác của các văn bản đã có: {shown}{more}"
    return QueryError(f"unknown topic {value!r}", message + ".", "topic")


def held_topics(index: Any) -> dict[str, int]:
    """Every field (lĩnh vực) the index's documents hold, with how many documents hold it."""
    aggregation = {"topics": {"terms": {"field": "topic", "size": _MAX_TOPICS}}}
    raw = index.searcher().aggregate(Query.all_query(), aggregation)
    return {str(b["key"]): int(b["doc_count"]) for b in raw.get("topics", {}).get("buckets", [])}


def index_topic_values(raw: Any, index: Any, own: Collection[str] = ()) -> list[str]:
    """The fields of a topic filter value, as the index holds them (see :func:`topic_values`); ``own``: the
    active model's fields (:func:`resolve_topic_label`)."""
    if not isinstance(raw, str):
        raise QueryError("filter values must be strings", "Giá trị bộ lọc phải là chuỗi ký tự.", "filter")
    searcher = index.searcher()
    cache: list[dict[str, int]] = []

    def labels() -> dict[str, int]:
        # One pass over the index's field column, only for a value it does not hold as written.
        if not cache:
            cache.append(held_topics(index))
        return cache[0]

    def resolve(value: str) -> str | None:
        return resolve_topic_label(value, lambda label: searcher.doc_freq("topic", label) > 0, labels, own)

    return topic_values(raw, resolve, lambda value: unknown_topic(value, labels()))


# -- validation -----------------------------------------------------------------------------------


def parse_day(value: date | str | None, name: str, *, end: bool = False) -> date | None:
    """A bound of a date range as a clerk types it (:func:`nlp.typed_dates.parse_typed_day`: a date in any
    accepted form, a month or a year); a :class:`QueryError` at ``name`` otherwise."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if not str(value).strip():
        return None
    try:
        return parse_typed_day(str(value), end=end)
    except TypedDateError as exc:
        raise QueryError(f"bad date for {name}: {exc.text!r}", exc.message, name) from None


def _page(request: SearchRequest) -> None:
    for name, low, high in (("limit", 1, MAX_LIMIT), ("offset", 0, MAX_OFFSET)):
        value = getattr(request, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise QueryError(
                f"{name} must be an integer in [{low}, {high}], got {value!r}",
                f"Giá trị {name} phải là số nguyên từ {low} đến {high:,}".replace(",", ".")
                + f" (nhận được {value!r}).",
                name,
            )
    if request.sort not in SORTS:
        raise QueryError(
            f"unknown sort {request.sort!r}",
            f'Cách sắp xếp "{request.sort}" không hợp lệ; chọn một trong: {", ".join(SORTS)}.',
            "sort",
        )


def _values(value: str | None) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        raise QueryError("filter values must be strings", "Giá trị bộ lọc phải là chuỗi ký tự.", "filter")
    return [v.strip() for v in value.split(",") if v.strip()]


def any_of(schema: Any, field: str, values: list[str]) -> Query:
    """Documents whose ``field`` (a keyword field) holds any of ``values``: one term query per value.

    Not ``Query.term_set_query``: it matches the same documents, but measured on VNTC it cost about
    0.2 ms a search at 2,000 and at 20,000 documents, ten times a term query, in the ranked search and
    again in the facet pass — most of what a type or field filter cost."""
    terms = [Query.term_query(schema, field, value) for value in dict.fromkeys(values)]
    return terms[0] if len(terms) == 1 else Query.boolean_query([(Occur.Should, t) for t in terms])


def compile_filters(request: SearchRequest, index: Any) -> Filters:
    """Validate ``request``'s filters and page, and turn the filters into tantivy queries."""
    _page(request)
    schema = index.schema
    queries: list[Query] = []
    if types := _values(request.doc_type):
        slugs = []
        for value in types:
            slug = resolve_doc_type(
                value, present={value} if index.searcher().doc_freq("doc_type", value) else None
            )
            if slug is None:
                # Names, as a clerk reads them (the slugs are accepted too, and named in the OpenAPI document)
                known = ", ".join(sorted({DOC_TYPE_LABELS.get(t, t).lower() for t in known_doc_types()}, key=fold))
                raise QueryError(
                    f"unknown doc_type {value!r}",
                    f'Loại văn bản "{value}" không có; hãy dùng mã (QĐ, KH…) hoặc tên loại văn bản: {known}.',
                    "doc_type",
                )
            slugs.append(slug)
        queries.append(any_of(schema, "doc_type", slugs))
    if request.topic is not None:
        codes = index_topic_values(request.topic, index, request.own_topics)
        if codes:
            queries.append(any_of(schema, "topic", codes))
    exact_issuer = _quoted(str(request.issuer or ""))
    if exact_issuer:
        # "Chính phủ" in quotes: that issuer's name exactly, as its facet counted it (the words alone also
        # match "Thủ tướng Chính phủ"; a facet link must give the count it shows), in any of its spellings.
        queries.append(Query.term_query(schema, "issuer_key", issuer_key(standard_issuer(exact_issuer))))
    elif request.issuer is not None and str(request.issuer).strip():
        terms = _issuer_filter_terms(str(request.issuer))
        if not terms:
            raise QueryError("issuer has no words", "Cơ quan ban hành phải có chữ hoặc số.", "issuer")
        queries.append(
            Query.boolean_query([(Occur.Must, Query.term_query(schema, "issuer_terms", t)) for t in terms])
        )
    if request.status is not None and str(request.status).strip():
        klass = status_class(str(request.status).strip())
        if klass is None:
            options = "; ".join(f"{wording} ({k})" for k, wording in STATUS_WORDING.items())
            raise QueryError(
                f"unknown status {request.status!r}",
                f'Trạng thái hiệu lực "{request.status}" không rõ; hãy dùng: {options}.',
                "status",
            )
        queries.append(Query.term_query(schema, "status_class", klass))
    start = parse_day(request.date_from, "date_from")
    end = parse_day(request.date_to, "date_to", end=True)
    if start and end and start > end:
        raise QueryError(
            f"date range reversed: {start} > {end}",
            f"Khoảng ngày không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.",
            "date_from",
        )
    if start or end:
        # On the integer day (yyyymmdd), not the date field: tantivy dates hold nanoseconds and cannot
        # express years before 1678 or after 2261, which a clerk may well type ("từ năm 1500").
        low = day_number(start) if start else None
        high = day_number(end) if end else None
        queries.append(Query.range_query(schema, "day", FieldType.Integer, low, high))
    return Filters(queries)

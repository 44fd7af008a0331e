"""Records of JSONL and CSV files → validated :class:`Document` objects (or errors saying why not).

The import format is the one of the shared administrative corpora: ``id, number, doc_type, issuer,
issued_date, title, text, topic, status, source_url`` plus optional ``signer, place, parent, symbol,
recipients``; any other key is kept in ``extra``. ``created_at``/``updated_at`` (present in our own
exports) are managed by the store and ignored. Every problem of a record is reported, in Vietnamese,
with the field it concerns; a record with any problem is not imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from corpus.document import (
    LABEL_DETAILS_KEY,
    LABEL_SOURCES_KEY,
    Document,
    LabelProvenance,
    carried_label_provenance,
    too_long,
)
from corpus.errors import InvalidDocument
from corpus.spreadsheet_cells import unguarded
from corpus.store_rows import canonical_number, normalize_value, parse_date_value
from nlp.abbreviations import TYPE_NAMES, doc_type_from_code
from nlp.extract import MAX_TEXT_CHARS
from nlp.header import parse_header
from nlp.legacy_fonts import repair_legacy_fonts
from nlp.normalize import fold, has_surrogates, normalize

_TEXT_FIELDS = ("id", "doc_type", "issuer", "title", "text", "topic", "status", "source_url", "signer", "place",
                "parent", "symbol")  # fmt: skip
KNOWN_FIELDS = frozenset((*_TEXT_FIELDS, "number", "issued_date", "recipients", "extra"))
IGNORED_FIELDS = frozenset(("created_at", "updated_at"))
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Fields a record may leave out when its text has a header that says them (see _fill_from_header).
HEADER_FIELDS = ("number", "symbol", "doc_type", "issuer", "parent", "place", "issued_date", "title", "signer",
                 "recipients")  # fmt: skip
# What the first lines of an administrative document hold and a news article or a law article does not:
# the national motto, or a number line ("Số: 139/KH-UBND", "Số 12/2025/NĐ-CP"). Sought in the lower-cased
# head of the raw text with substring tests first (15 µs a news article; folding it first cost 140 µs).
_MOTTO = ("cộng hòa xã hội", "cộng hoà xã hội", "cong hoa xa hoi")
_INDEPENDENCE = re.compile(r"(?:độc|doc) (?:lập|lap)\s*[-–—]\s*(?:tự|tu) do")
_NUMBER_LINE = re.compile(r"^[^\S\n]*(?:số|so)\s*[:.]?\s*\d*\s*/\s*\w", re.MULTILINE)
_HEADER_REACH = 1500  # characters in which the marks are sought
_SHOWN_LABELS = 8  # a model's own fields named in an error message (a portal's taxonomy has over a hundred)


@dataclass(frozen=True)
class RowProblem:
    """One problem of one record: ``field`` is None when it concerns the whole record."""

    field: str | None
    reason: str


@dataclass(frozen=True)
class Record:
    """A raw record as read from a file: a JSON object or a CSV row (``None`` when unreadable)."""

    line: int
    values: dict[str, Any] | None
    problem: str | None = None


class FileUnreadable(Exception):
    """A whole file cannot be read (not UTF-8, no id column…); ``line`` is where, when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def decode_utf8(data: bytes) -> str:
    """The text of a UTF-8 file (with or without BOM); :class:`FileUnreadable` for anything else, so that
    a wrongly encoded file is refused whole rather than imported as mojibake."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileUnreadable(
            "tệp được lưu bằng UTF-16, không phải UTF-8; hãy lưu lại tệp với mã hóa UTF-8", 1
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FileUnreadable(
            f"tệp không phải UTF-8 (byte 0x{data[exc.start]:02x} không hợp lệ ở dòng {line}; có thể tệp được lưu "
            "bằng Windows-1258 hoặc TCVN3); hãy lưu lại tệp với mã hóa UTF-8. Không dòng nào của tệp được nhập",
            line,
        ) from None


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not, and the store could not write them back.
    raise ValueError(f"{name} không phải giá trị JSON chuẩn")


# The JSON parser's messages, said to a clerk (the English stays out of the import report; QA).
_JSON_REASONS = (
    ("Expecting property name enclosed in double quotes", "tên trường phải đặt trong dấu nháy kép \""),
    ("Expecting value", "thiếu giá trị hoặc giá trị không hợp lệ"),
    ("Expecting ',' delimiter", "thiếu dấu phẩy giữa hai phần tử"),
    ("Expecting ':' delimiter", "thiếu dấu hai chấm sau tên trường"),
    ("Unterminated string", "chuỗi chưa có dấu nháy đóng"),
    ("Extra data", "còn dữ liệu sau đối tượng JSON (mỗi dòng chỉ một bản ghi)"),
    ("Invalid control character", "ký tự điều khiển (xuống dòng, tab) trong chuỗi"),
    ("Invalid \\escape", "dấu \\ không hợp lệ trong chuỗi"),
)


def json_reason(exc: json.JSONDecodeError) -> str:
    """What is wrong with a JSON line, in Vietnamese."""
    return next((said for message, said in _JSON_REASONS if exc.msg.startswith(message)), "sai cú pháp JSON")


def jsonl_records(text: str) -> Iterator[Record]:
    """One record per non-blank line; ``line`` is the 1-based line number as an editor shows it."""
    # split("\n"), not splitlines(): U+2028 and friends may legally sit unescaped inside JSON strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            yield Record(number, None, f"dòng không phải JSON hợp lệ ({json_reason(exc)}, cột {exc.colno})")
            continue
        except ValueError as exc:
            yield Record(number, None, f"dòng không phải JSON hợp lệ ({exc})")
            continue
        if not isinstance(value, dict):
            yield Record(
                number, None, f"dòng JSON phải là một đối tượng {{…}}, nhận được {type(value).__name__}"
            )
            continue
        yield Record(number, value)


# Python's csv module refuses a cell over 131,072 characters by default; the full text of a decree with its
# appendices is several times that (760,000 in the Lào Cai set), and ``vanban export`` writes it whole.
CSV_CELL_LIMIT = 64 * 1024 * 1024


def csv_records(text: str, require_id: bool = True) -> Iterator[Record]:
    """One record per CSV row, keyed by the header's column names (trimmed, lower case). The delimiter is
    ``,``, ``;`` or tab, whichever the header line uses most (Excel in Vietnamese locales writes ``;``).
    ``require_id``: a header without an ``id`` column is refused (imports; classification takes rows without)."""
    if csv.field_size_limit() < CSV_CELL_LIMIT:
        csv.field_size_limit(CSV_CELL_LIMIT)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            return
        columns = [normalize(name, keep_newlines=False).lower() for name in header]
        if require_id and "id" not in columns:
            raise FileUnreadable(f"dòng tiêu đề thiếu cột id (các cột: {', '.join(columns)})", 1)
        duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
        if duplicated:
            raise FileUnreadable(f"dòng tiêu đề có cột trùng tên: {', '.join(duplicated)}", 1)
        end_of_previous = reader.line_num
        for cells in reader:
            start, end_of_previous = end_of_previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                yield Record(start, None, f"dòng có {len(cells)} ô nhưng tiêu đề chỉ có {len(columns)} cột")
                continue
            # Empty cells mean "no value"; short rows (trailing cells left out) likewise.
            # a cell vanban's export guarded against spreadsheets ("'=…") is read as it was
            values = {col: unguarded(cell) for col, cell in zip(columns, cells, strict=False) if col and cell.strip()}
            yield Record(start, values)
    except csv.Error as exc:
        raise FileUnreadable(f"tệp CSV hỏng ở dòng {reader.line_num}: {exc}", reader.line_num) from None


def topic_code(value: str, accepted: Collection[str] = ()) -> str:
    """The field's label for a code or a name as clerks write it; raises :class:`InvalidDocument` otherwise.

    ``accepted``: the labels of the active model's own taxonomy (a researcher's fields, e.g. the portal's
    "Hải quan", "Cấp, quản lý căn cước"). A value that is one of them, exactly or but for case and spacing,
    is filed as the model spells it and never resolved to a built-in code: "Đất đai" of the portal is not
    dat-dai when the active taxonomy is the portal's."""
    from corpus.search_filters import foreign_taxonomy, match_label, resolve_topic

    if accepted and (own := match_label(value, accepted)) is not None:
        return own
    code = value.strip().lower()
    if _SLUG.fullmatch(code):
        return code  # one of the 14, or a researcher's own taxonomy
    if accepted and foreign_taxonomy(accepted):
        # Under another taxonomy a name is not read as a built-in field: the portal's "Giao thông vận tải" the
        # model does not know is not xay-dung (a merge of classes), it is refused and said.
        raise InvalidDocument("topic", unknown_topic_reason(value, accepted))
    # Clerks' spreadsheets write the field by name ("Y tế", "Giáo dục – Đào tạo", "giao duc"), as search takes it;
    # a value with an undecodable character is not guessed at ("y\udce9-te" is not "y-te").
    found = None if has_surrogates(value) or "\ufffd" in value else resolve_topic(value)
    if found:
        return found
    raise InvalidDocument("topic", unknown_topic_reason(value, accepted))


def _listed(cell: str) -> list[str]:
    """A recipients cell: a JSON list (what ``vanban export`` writes when a recipient holds a ";"), else parts
    separated by ";" or line breaks."""
    if cell.lstrip().startswith("["):
        try:
            parsed = json.loads(cell)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(item, str) for item in parsed):
            return parsed
    return [part for part in re.split(r"[;\n]", cell) if part.strip()]


def unknown_topic_reason(value: str, accepted: Collection[str] = ()) -> str:
    """Why a field is refused, with what is accepted: the built-in codes and names, and the active model's
    own fields (their number and a few of them, when there are many)."""
    from corpus.search_filters import TOPICS

    reason = f'lĩnh vực "{value}" không phải mã hay tên lĩnh vực đã biết (dùng mã như dat-dai, y-te hoặc tên như "Y tế"'
    own = sorted(label for label in accepted if label not in TOPICS)
    if not own:
        return reason + "; để dùng danh mục lĩnh vực riêng, hãy huấn luyện và kích hoạt trước một mô hình của danh " \
            "mục đó: vanban train --corpus TỆP --task topic --activate)"
    shown = ", ".join(f'"{label}"' for label in own[:_SHOWN_LABELS])
    more = " …" if len(own) > _SHOWN_LABELS else ""
    return reason + f"; hoặc một trong {len(own)} lĩnh vực của mô hình đang dùng: {shown}{more})"


def doc_type_code(value: str) -> str:
    """The type's slug for a slug, a code (QĐ) or a name; raises :class:`InvalidDocument` otherwise."""
    # Clerks' spreadsheets write the type by name ("Quyết định") or by code ("QĐ", "KH" — which would
    # otherwise pass for a slug of its own).
    name = normalize(value, keep_newlines=False).upper()
    found = TYPE_NAMES.get(name) or doc_type_from_code(name)
    if found:
        return found
    slug = value.strip().lower()
    if _SLUG.fullmatch(slug):
        return slug
    raise InvalidDocument(
        "doc_type", f'loại văn bản "{value}" không hợp lệ (dùng mã như quyet-dinh, ke-hoach)'
    )


def parse_record(
    values: dict[str, Any], accepted_topics: Collection[str] = ()
) -> tuple[Document | None, list[RowProblem]]:
    """Validate one record; returns the document (None when there is any problem) and the problems.

    ``accepted_topics``: the active model's own fields, accepted as written besides the built-in ones (see
    :func:`topic_code`). A label whose provenance the record carries (``label_sources``, ``label_details``,
    written by ``vanban export``: a model's proposal, a clerk's choice…) is restored as it was, whatever the
    taxonomy: it was accepted when it was filed, and a backup must come back the same into a data directory
    without that model. Both keys are kept in ``extra``, where the store reads them to file each label with
    its provenance (model version, confidence, author; a clerk's label without a value too) and drops them.
    """
    problems: list[RowProblem] = []
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    restored = frozenset(_carried_provenance(values))
    for key, value in values.items():
        name = key.strip().lower() if isinstance(key, str) else key
        if name in IGNORED_FIELDS:
            continue
        if name not in KNOWN_FIELDS:
            extra[key] = value
            continue
        try:
            if name in _LABEL_FIELDS and name in restored and isinstance(value, str) and value.strip():
                fields[name] = value.strip()
                continue
            _read_field(name, value, fields, extra, accepted_topics)
        except InvalidDocument as exc:
            problems.append(RowProblem(exc.field or name, exc.reason))
    if not fields.get("id") and "id" not in {p.field for p in problems}:
        problems.append(RowProblem("id", "thiếu mã văn bản (id)"))
    if problems:
        return None, problems
    if is_national_motto(fields.get("issuer")):
        # The Quốc hiệu filed as the issuer (24 records of one legal portal): no body's name. Kept as printed,
        # the field left to the text's header if it has one; the importer says so (QA: it headed the facet).
        extra[MOTTO_ISSUER] = fields.pop("issuer")
    _fill_from_header(fields, extra)
    return Document(**fields, extra=extra), []


MOTTO_ISSUER = "issuer_was_motto"


# The motto's openings with every space and mark taken out: Vietnamese, its abbreviations ("CHXHCN", "C.H.X.H.C.N",
# "Cộng hòa XHCN", "Nước Cộng hòa …"), the second line alone, and the English of bilingual portals.
_MOTTO_OPENINGS = ("conghoaxahoichunghia", "chxhcn", "conghoaxhcn", "nuocconghoa", "doclaptudohanhphuc",
                   "socialistrepublic", "independencefreedomhappiness")  # fmt: skip


def is_national_motto(value: str | None) -> bool:
    """Whether ``value`` is the national motto ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh
    phúc", over one line or two, however spaced or abbreviated, or in English), not a name."""
    if not value:
        return False
    compact = re.sub(r"[\W_]+", "", fold(str(value)).lower())
    return compact.startswith(_MOTTO_OPENINGS)


def _has_header(text: str) -> bool:
    head = unicodedata.normalize("NFC", text[:_HEADER_REACH]).lower().replace("ð", "đ")
    return (
        any(motto in head for motto in _MOTTO)
        or head.lstrip().startswith("phụ lục")  # an annex prints no motto: "Phụ lục II / DANH MỤC …"
        or (("độc" in head or "doc" in head) and _INDEPENDENCE.search(head) is not None)
        or _NUMBER_LINE.search(head) is not None
    )


def _fill_from_header(fields: dict[str, Any], extra: dict[str, Any]) -> None:
    """Fill the header fields a record leaves out from the header of its text, as an uploaded file's are
    read: a full-text export (number, issuer, date only inside the text) is then found by its number and
    filtered by type, issuer and date like any other. The record's own values always win; the fields
    taken from the text are listed in ``extra["header_from_text"]``. Texts whose first lines show no
    header (news, law articles) are not parsed: reading a header costs milliseconds a document."""
    text = fields.get("text")
    missing = [name for name in HEADER_FIELDS if not fields.get(name)]
    if not text or not missing or not _has_header(text):
        return
    header = parse_header(text)
    found: list[str] = []
    for name in missing:
        value = getattr(header, name)
        if name == "number" and value:
            value, symbol = canonical_number(value)
            if symbol and not fields.get("symbol") and not header.symbol:
                fields["symbol"] = symbol
        if value:
            fields[name] = tuple(value) if name == "recipients" else value
            found.append(name)
    if found:
        extra["header_from_text"] = found


_PROSE_FIELDS = frozenset(("title", "text", "issuer", "signer", "parent", "place"))


_LABEL_FIELDS = frozenset(("doc_type", "topic"))


_PROVENANCE_KEYS = (LABEL_SOURCES_KEY, LABEL_DETAILS_KEY)


def _carried_provenance(values: Mapping[str, Any]) -> dict[str, LabelProvenance]:
    """The label provenance a record carries: its ``label_sources`` and ``label_details`` (an export's keys,
    any case), else the ones inside its ``extra`` object."""
    given = {
        name: value
        for key, value in values.items()
        if isinstance(key, str) and (name := key.strip().lower()) in _PROVENANCE_KEYS
    }
    if given:
        return carried_label_provenance(given)
    inner = values.get("extra")
    return carried_label_provenance(inner) if isinstance(inner, dict) else {}


def _read_field(
    name: str, value: Any, fields: dict[str, Any], extra: dict[str, Any], accepted_topics: Collection[str] = ()
) -> None:
    """Convert one known field into ``fields`` (and ``extra``); raises :class:`InvalidDocument`."""
    if value is None:
        return
    if name == "extra":
        if not isinstance(value, dict):
            raise InvalidDocument("extra", f"phải là một đối tượng JSON, nhận được {type(value).__name__}")
        extra.update(value)
        return
    if name == "recipients":
        if isinstance(value, str):
            value = _listed(value)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise InvalidDocument("recipients", "phải là danh sách chuỗi (hoặc chuỗi phân cách bằng dấu ;)")
        fields["recipients"] = tuple(normalize_value(item) for item in value)
        return
    if not isinstance(value, str):
        raise InvalidDocument(
            name, f"phải là chuỗi, nhận được {type(value).__name__} ({json.dumps(value)[:40]})"
        )
    if not value.strip():
        return
    if (length := too_long(name, value.strip())) is not None:
        raise InvalidDocument(name, length)
    if name == "issued_date":
        fields["issued_date"] = parse_date_value(value)
    elif name == "number":
        number, symbol = canonical_number(value)
        fields["number"] = number
        if symbol:
            fields.setdefault("symbol", symbol)
        if number != value:
            extra["number_raw"] = value  # as printed: "1906 /QĐ-UBND", "QÐ" with an eth
    elif name == "doc_type":
        fields["doc_type"] = doc_type_code(value)
    elif name == "topic":
        fields["topic"] = topic_code(value, accepted_topics)
    elif name == "symbol":
        fields["symbol"] = normalize_value(value)  # an explicit symbol beats the parsed one
    elif name == "text" and len(value) > MAX_TEXT_CHARS:
        # The bound of an upload's and a pasted text (nlp.extract): a longer one is refused here as there,
        # rather than filed whole for the analyser to spend minutes on.
        size, limit = (f"{n:,}".replace(",", ".") for n in (len(value), MAX_TEXT_CHARS))
        raise InvalidDocument("text", f"nội dung dài {size} ký tự, quá giới hạn {limit} ký tự; hãy chia văn bản "
                              "thành nhiều bản ghi")  # fmt: skip
    elif name in _PROSE_FIELDS:
        # Exports of pre-Unicode systems keep text typed with the TCVN3/VNI fonts ("Céng hoµ"): converted as an
        # uploaded file's text is, and noted. The store normalises it next.
        repaired, family = repair_legacy_fonts(value)
        if family:
            extra.setdefault("legacy_font", {})[name] = family
        fields[name] = repaired
    else:
        # The store normalises text fields itself; the id is normalised here so duplicates are caught.
        fields[name] = normalize_value(value) if name == "id" else value

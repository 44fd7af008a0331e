"""Labelled corpora for training and evaluation, read from JSON Lines files and CSV files.

Three layouts are recognised from a file's first record:

* the import format (``binhduong.jsonl``, ``sonla.jsonl``, the demo corpus, ``vanban export`` output, as
  JSONL or as CSV read the way ``vanban import`` reads it): ``id``, ``title``, ``text``, ``number``,
  ``doc_type``, ``topic`` — any of them may be missing or null. A record's ``label_sources`` (written by
  ``vanban export``) says where each label came from: a label only a model proposed (``"model"``) is not
  used, so a model is never trained or scored on its own guesses;
* national public-service procedures (``tthc_dichvucong.jsonl``): the procedure name labelled with its
  portal field mapped onto the 14 topic codes (:data:`models.sources.TTHC_TOPIC`);
* national legal documents (``vilegalbert.jsonl``): one record per article, grouped back into one document
  per ``so_hieu``, labelled with its type (:data:`models.sources.LEGAL_TYPES`).

The last two are *auxiliary*: they help train a model but are never scored in cross-validation, because
they are not the documents a clerk files.

Example
-------
>>> corpus = load_corpus("corpus/demo/documents.jsonl")  # doctest: +SKIP
>>> corpus.name, corpus.layout, len(corpus.docs) > 50     # doctest: +SKIP
('documents', 'import', True)
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import io
import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import TrainingDataError
from models.lexicon import TOPIC_LEXICON
from models.sources import LEGAL_TYPES, TTHC_TOPIC

# Weight of one auxiliary example relative to a real document (chosen by cross-validation).
AUX_WEIGHTS = {"tthc": 0.5, "legal": 0.5, "lexicon": 2.0}
BODY_CHARS = 1500  # how much body text stands in for a missing summary
FINGERPRINT_TEXT_CHARS = 4000  # enough to tell documents apart, cheap to normalise
LABEL_TASKS = ("topic", "doc_type")
# Columns a CSV corpus needs: each group is satisfied by any one of its columns.
CSV_REQUIRED_COLUMNS: tuple[tuple[str, ...], ...] = (("id",), ("title", "text"), ("doc_type", "topic"))

log = logging.getLogger("vanban.models.data")


@dataclass(frozen=True)
class LabelledDoc:
    """One document (or auxiliary example) with whatever labels it has."""

    id: str
    title: str | None = None
    text: str | None = None
    number: str | None = None
    doc_type: str | None = None
    topic: str | None = None
    source: str = ""
    auxiliary: bool = False
    weight: float = 1.0

    def label(self, task: str) -> str | None:
        return self.topic if task == "topic" else self.doc_type if task == "doc_type" else None


@dataclass(frozen=True)
class Corpus:
    name: str
    path: str
    layout: str  # "import" | "tthc" | "legal"
    sha256: str
    docs: tuple[LabelledDoc, ...]
    # Labels left out because only a model proposed them (label_sources), per task.
    model_labels: Mapping[str, int] = field(default_factory=dict)
    # Topic labels written as a name of the built-in taxonomy and read as its code ("Y tế" → y-te).
    topic_rewrites: Mapping[str, str] = field(default_factory=dict)
    # True when the corpus's topic labels are another taxonomy, every one kept as written.
    topics_as_written: bool = False


def _lines(path: Path) -> list[str]:
    """The lines of a JSON Lines corpus (``.gz`` decompressed), without their line endings.

    Decoded as ``vanban import`` decodes a file (:func:`corpus.import_rows.decode_utf8`): UTF-8 with or
    without BOM, CRLF line endings accepted; a UTF-16 or Windows-1258 file is refused whole, naming the file
    and how to fix it, rather than read as mojibake or failing with a bare UnicodeDecodeError.
    """
    from corpus.import_rows import FileUnreadable, decode_utf8

    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except OSError as exc:  # unreadable, or a .gz that is not gzip
        raise TrainingDataError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
    try:
        text = decode_utf8(data)
    except FileUnreadable as exc:
        reason = exc.reason.removesuffix(". Không dòng nào của tệp được nhập")  # import's words; nothing is imported here
        where = f"dòng {exc.line}: " if exc.line and "dòng" not in reason else ""
        raise TrainingDataError(f"{path}: {where}{reason}.") from None
    # split("\n"), not splitlines(): U+2028 may sit unescaped inside a JSON string.
    return [line.removesuffix("\r") for line in text.split("\n")]


def _records(path: Path) -> Iterator[dict[str, Any]]:
    for lineno, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TrainingDataError(f"{path}: dòng {lineno} không phải JSON hợp lệ ({exc.msg}).") from exc
        if not isinstance(record, dict):
            raise TrainingDataError(f"{path}: dòng {lineno} không phải một đối tượng JSON.")
        yield record


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _layout(first: dict[str, Any]) -> str:
    if "ten_thu_tuc" in first and "linh_vuc" in first:
        return "tthc"
    if "so_hieu" in first and "type_level1" in first:
        return "legal"
    return "import"


def model_labelled(record: Mapping[str, Any]) -> frozenset[str]:
    """Fields whose label, by the record's ``label_sources``, only a model proposed. The value is a JSON
    object, or its text when it came through a CSV cell; anything else says nothing."""
    value = record.get("label_sources")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return frozenset()
    if not isinstance(value, dict):
        return frozenset()
    return frozenset(str(name) for name, source in value.items() if source == "model")


def _label(value: Any, read: Any) -> str | None:
    """A label as ``vanban import`` files it (a name or code to its slug: "Y tế" → y-te, "QĐ" → quyet-dinh),
    so that one spreadsheet trains, evaluates and imports alike; a value import would refuse is kept as
    written (a researcher's own label set)."""
    from corpus.errors import InvalidDocument

    text = _str(value)
    if text is None:
        return None
    try:
        return str(read(text))
    except InvalidDocument:
        return text


@dataclass(frozen=True)
class TopicReading:
    """How a corpus's topic labels are read. When fewer than half of its distinct labels are codes or names
    of the built-in taxonomy, the corpus is another taxonomy (a portal's fields: "Đất đai", "Hải quan",
    "Giao thông vận tải") and every label is kept as written: read as names, "Đất đai" and "Môi trường" would
    both become dat-dai, two of its classes merged into one. Otherwise names are read as codes ("Y tế" →
    y-te), and ``rewrites`` lists them. ``keep``: labels always kept as written (a model's own, when its
    evaluation corpus is read)."""

    as_written: bool
    rewrites: dict[str, str]
    keep: frozenset[str] = frozenset()

    @classmethod
    def of(cls, labels: Iterable[str], keep: Collection[str] = ()) -> TopicReading:
        from corpus.errors import InvalidDocument
        from corpus.import_rows import topic_code
        from corpus.search_filters import foreign_taxonomy, names_built_in_topic

        kept = frozenset(keep)
        distinct = sorted({label for label in labels if label not in kept})
        built_in = [label for label in distinct if names_built_in_topic(label)]
        as_written = foreign_taxonomy(distinct)
        rewrites: dict[str, str] = {}
        for label in built_in:
            try:
                code = topic_code(label, kept)
            except InvalidDocument:
                continue
            if code != label:
                rewrites[label] = code
        return cls(as_written, rewrites, kept)

    def read(self, value: Any) -> str | None:
        text = _str(value)
        if text is None:
            return None
        if self.as_written or text in self.keep:
            # As the store will file it (NFC, new tone placement, "–" as "-"): the model's labels and the
            # documents' must be one string, or a clerk would be offered "Thi đua – Khen thưởng" beside the
            # stored "Thi đua - Khen thưởng".
            from corpus.store_rows import normalize_value

            return normalize_value(text)
        return self.rewrites.get(text) or _label(text, lambda label: _topic_code(label, self.keep))


def _topic_code(label: str, keep: frozenset[str]) -> str:
    from corpus.import_rows import topic_code

    return topic_code(label, keep)


def _raw_topics(records: Iterable[dict[str, Any]]) -> list[str]:
    """The topic labels of import-format records as written (a model's guesses left out)."""
    return [label for r in records if "topic" not in model_labelled(r) and (label := _str(r.get("topic")))]


def _import_docs(records: Iterable[dict[str, Any]], source: str, topics: TopicReading) -> Iterator[LabelledDoc]:
    from corpus.import_rows import doc_type_code

    for i, r in enumerate(records):
        guessed = model_labelled(r)
        yield LabelledDoc(
            id=_str(r.get("id")) or f"{source}-{i}",
            title=_str(r.get("title")),
            text=_str(r.get("text")),
            number=_str(r.get("number")),
            doc_type=None if "doc_type" in guessed else _label(r.get("doc_type"), doc_type_code),
            topic=None if "topic" in guessed else topics.read(r.get("topic")),
            source=source,
        )


def _model_label_counts(records: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many labels, per task, :func:`_import_docs` leaves out as a model's guesses."""
    counts: Counter[str] = Counter()
    for r in records:
        guessed = model_labelled(r)
        counts.update(task for task in LABEL_TASKS if task in guessed and _str(r.get(task)))
    return dict(counts)


def _tthc_docs(records: Iterable[dict[str, Any]], source: str) -> Iterator[LabelledDoc]:
    for r in records:
        topic = TTHC_TOPIC.get(_str(r.get("linh_vuc")) or "")
        name = _str(r.get("ten_thu_tuc"))
        if topic and name:
            yield LabelledDoc(id=str(r.get("id")), title=name, topic=topic, source=source, auxiliary=True,
                              weight=AUX_WEIGHTS["tthc"])


def _legal_docs(records: Iterable[dict[str, Any]], source: str) -> Iterator[LabelledDoc]:
    seen: set[str] = set()
    for r in records:
        number, title = _str(r.get("so_hieu")), _str(r.get("title"))
        doc_type = LEGAL_TYPES.get(_str(r.get("type_level1")) or "")
        if not (number and title and doc_type) or number in seen:
            continue
        seen.add(number)
        yield LabelledDoc(id=number, title=title, number=number, doc_type=doc_type, source=source,
                          auxiliary=True, weight=AUX_WEIGHTS["legal"])


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def _csv_rows(path: Path, purpose: str) -> list[dict[str, Any]]:
    """The records of a CSV corpus, read as ``vanban import`` reads them (:func:`corpus.import_rows.csv_records`:
    UTF-8 with or without BOM, ``,``/``;``/tab, column names trimmed and lower-cased, empty cells absent)."""
    from corpus.import_rows import FileUnreadable, csv_records, decode_utf8
    from nlp.normalize import normalize

    try:
        text = decode_utf8(path.read_bytes())
        first = text.split("\n", 1)[0]
        header = next(csv.reader(io.StringIO(first, newline=""), delimiter=max(",;\t", key=first.count)), [])
        columns = [normalize(name, keep_newlines=False).lower() for name in header]
        missing = [" hoặc ".join(group) for group in CSV_REQUIRED_COLUMNS if not set(group) & set(columns)]
        if missing:
            raise TrainingDataError(
                f"Tệp CSV {path} thiếu cột {', '.join(missing)}: dữ liệu {purpose} cần cột id, cột title hoặc "
                f"text, và cột doc_type hoặc topic (các cột của tệp: {', '.join(c for c in columns if c) or 'không có'})."
            )
        rows = []
        for record in csv_records(text):
            if record.values is None:
                raise TrainingDataError(f"{path}: dòng {record.line}: {record.problem or 'dòng hỏng'}.")
            rows.append(record.values)
        return rows
    except FileUnreadable as exc:
        where = f"dòng {exc.line}: " if exc.line else ""
        raise TrainingDataError(f"{path}: {where}{exc.reason}.") from None


def load_corpus(path: str | Path, purpose: str = "huấn luyện", keep_topics: Collection[str] = ()) -> Corpus:
    """Read one corpus file (``.jsonl``, ``.jsonl.gz`` or ``.csv`` in the import format); raises
    :class:`TrainingDataError` when unusable.

    ``purpose`` names what the data is for in the messages ("huấn luyện", "đánh giá"). Labels a record's
    ``label_sources`` gives to a model are left out, counted in :attr:`Corpus.model_labels` and logged.
    Topic labels are read as :class:`TopicReading` says (``keep_topics``: labels kept as written, the
    evaluated model's own); the names it reads as codes, or keeps as written, are logged.
    """
    p = Path(path)
    if p.is_dir():
        raise TrainingDataError(
            f"{p} là một thư mục, không phải tệp dữ liệu {purpose}: hãy chỉ định từng tệp JSON Lines "
            f"(.jsonl hoặc .jsonl.gz) hoặc CSV (.csv), ví dụ --corpus {p}/*.jsonl."
        )
    if not p.is_file():
        raise TrainingDataError(f"Không tìm thấy tệp dữ liệu {purpose}: {p}")
    records = _csv_rows(p, purpose) if is_csv(p) else list(_records(p))
    if not records:
        raise TrainingDataError(f"Tệp {p} không có văn bản nào.")
    layout = "import" if is_csv(p) else _layout(records[0])
    source = p.name.split(".")[0]
    topics = TopicReading.of(_raw_topics(records), keep_topics) if layout == "import" else TopicReading(False, {})
    docs = tuple(
        _import_docs(records, source, topics) if layout == "import"
        else _tthc_docs(records, source) if layout == "tthc" else _legal_docs(records, source)
    )  # fmt: skip
    _log_topic_reading(p.name, topics)
    guessed = _model_label_counts(records) if layout == "import" else {}
    for task, n in guessed.items():
        # On stderr of `vanban train`/`evaluate` (no logging configured: Python's last-resort handler).
        log.warning(
            "%s: bỏ qua %d nhãn %s do mô hình đề xuất (label_sources.%s = model), không dùng làm dữ liệu %s.",
            p.name, n, task, task, purpose,
        )  # fmt: skip
    return Corpus(
        name=source, path=str(p), layout=layout, sha256=file_sha256(p), docs=docs, model_labels=guessed,
        topic_rewrites=dict(topics.rewrites) if not topics.as_written else {}, topics_as_written=topics.as_written,
    )  # fmt: skip


_SHOWN_REWRITES = 8


def _log_topic_reading(name: str, topics: TopicReading) -> None:
    """Say (stderr of `vanban train`/`evaluate`) which names were read as built-in codes, or that a corpus of
    another taxonomy keeps the names that could have been."""
    if not topics.rewrites:
        return
    # One label written in two Unicode forms (NFC "Giáo dục" and its decomposed twin) is one label to the
    # reader: listed once, counted once.
    distinct: dict[str, tuple[str, str]] = {}
    for label, code in topics.rewrites.items():
        distinct.setdefault(unicodedata.normalize("NFC", label), (label, code))
    shown = [(nfc, code) for nfc, (_, code) in distinct.items()][:_SHOWN_REWRITES]
    more = " …" if len(distinct) > _SHOWN_REWRITES else ""
    if topics.as_written:
        kept = ", ".join(f"“{label}”" for label, _ in shown)
        log.warning(
            "%s: phần lớn nhãn lĩnh vực không thuộc 14 lĩnh vực có sẵn, nên mọi nhãn được giữ nguyên như đã viết "
            "(kể cả %d nhãn trùng tên một lĩnh vực có sẵn, không đổi sang mã: %s%s).",
            name, len(distinct), kept, more,
        )  # fmt: skip
    else:
        listed = ", ".join(f"“{label}” → {code}" for label, code in shown)
        log.warning("%s: đổi %d nhãn lĩnh vực sang mã của 14 lĩnh vực có sẵn: %s%s.",
                    name, len(distinct), listed, more)  # fmt: skip


def load_corpora(
    paths: Sequence[str | Path], purpose: str = "huấn luyện", keep_topics: Collection[str] = ()
) -> list[Corpus]:
    if not paths:
        raise TrainingDataError("Chưa chỉ định tệp dữ liệu nào (--corpus).")
    corpora = [load_corpus(p, purpose, keep_topics) for p in paths]
    names = Counter(c.name for c in corpora)
    # Two files of one name (sach.jsonl and sach.csv) are two sources: a document in both is a copy.
    return [
        dataclasses.replace(c, docs=tuple(dataclasses.replace(d, source=Path(c.path).name) for d in c.docs))
        if names[c.name] > 1 else c
        for c in corpora
    ]  # fmt: skip


def fingerprint(title: str | None, text: str | None) -> int:
    """A 64-bit hash of a document's content, the same after a re-export.

    Ids are not used (an export may renumber them); the title and the start of the text are normalised
    (NFC, look-alike characters, case, every run of whitespace to one space) so re-encoding or re-wrapping
    the lines does not change the hash.
    """
    from nlp.normalize import normalize

    def canon(value: str | None, limit: int) -> str:
        return " ".join(normalize(value[:limit], keep_newlines=False).lower().split()) if value else ""

    key = canon(title, 2000) + "\x1f" + canon(text, FINGERPRINT_TEXT_CHARS)
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big")


def fingerprints(docs: Iterable[LabelledDoc]) -> list[int]:
    """Sorted distinct fingerprints of the real (non-auxiliary) documents of ``docs``."""
    return sorted({fingerprint(d.title, d.text) for d in docs if not d.auxiliary and (d.title or d.text)})


@dataclass(frozen=True)
class HoldoutSplit:
    """One corpus split by :func:`holdout_split`, not yet written: ``key`` names the split by its content,
    so the files of two different splits never share a name (one version's held-out file is never
    overwritten by another run's) and the same split always gets the same names."""

    stem: str
    key: str
    train_lines: tuple[str, ...]
    held_lines: tuple[str, ...]

    @property
    def train_name(self) -> str:
        return f"{self.stem}.{self.key}.train.jsonl"

    @property
    def held_name(self) -> str:
        return f"{self.stem}.{self.key}.heldout.jsonl"

    def write(self, out_dir: str | Path, held: bool = True) -> tuple[Path, Path]:
        """Write the training part (and with ``held`` the held-out part) under ``out_dir``; returns both paths.

        A file already there has the same content (same name, same key) and is left as it is; one whose
        content differs was edited by hand and is not overwritten (:class:`TrainingDataError`)."""
        out = Path(out_dir)
        self.check_target(out)
        out.mkdir(parents=True, exist_ok=True)
        parts = [(out / self.train_name, self.train_lines)]
        if held:
            parts.append((out / self.held_name, self.held_lines))
        for path, lines in parts:
            if not path.exists():
                tmp = path.with_name(f".{path.name}.tmp")
                tmp.write_bytes(_jsonl_bytes(lines))
                tmp.replace(path)
        return out / self.train_name, out / self.held_name

    def check_target(self, out_dir: str | Path) -> None:
        """Raise :class:`TrainingDataError` when ``out_dir`` holds a file of this split's names with other
        contents (edited by hand): called before training, so that the refusal comes before the work."""
        for name, lines in ((self.train_name, self.train_lines), (self.held_name, self.held_lines)):
            path = Path(out_dir) / name
            if path.exists() and path.read_bytes() != _jsonl_bytes(lines):
                raise TrainingDataError(
                    f"Tệp {path} đã có và khác nội dung của phần chia này (có thể đã bị sửa tay); không ghi đè. "
                    "Hãy đổi tên hoặc chuyển tệp đó đi, hoặc chọn thư mục khác (--holdout-dir)."
                )


def _jsonl_bytes(lines: Iterable[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def holdout_split(path: str | Path, fraction: float, seed: int) -> HoldoutSplit:
    """Split an import-format corpus by document into a training part and a held-out part, in memory.

    Stratified by topic (else doc_type): every label keeps ``fraction`` of its documents in the held-out
    part (rounded, at least one when it has two or more); copies of one text (:func:`fingerprint`) stay on
    one side. Records are copied unchanged, so the held-out
    file can be evaluated with ``vanban evaluate`` like any corpus (a CSV's rows become JSON Lines records
    with the same values). Same file, fraction and seed → same split.
    """
    import random

    if not 0.0 < fraction < 1.0:
        raise TrainingDataError(f"Tỉ lệ giữ lại phải nằm giữa 0 và 1, nhận được {fraction}.")
    source = Path(path)
    if not source.is_file():
        raise TrainingDataError(f"{source} là một thư mục, không phải tệp JSON Lines." if source.is_dir()
                                else f"Không tìm thấy tệp dữ liệu: {source}")
    if is_csv(source):
        # A CSV row may span lines (a text with line breaks): its parts are written as JSON Lines records.
        records = _csv_rows(source, "huấn luyện")
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
    else:
        lines = [line for line in _lines(source) if line.strip()]
        records = list(_records(source))
    # Copies of one text (a portal lists it twice, under two numbers) go to the same side: a held-out copy of
    # a training document scores what the model memorised (QA: 13 of 616 held-out Bình Dương documents).
    copies: dict[object, list[int]] = {}
    for i, r in enumerate(records):
        title, text = _str(r.get("title")), _str(r.get("text"))
        # a record with neither (a number alone) is nobody's copy: all of them share the empty fingerprint
        copies.setdefault(fingerprint(title, text) if title or text else ("row", i), []).append(i)
    groups: dict[str, list[list[int]]] = {}
    for members in copies.values():
        first = records[members[0]]
        key = _str(first.get("topic")) or _str(first.get("doc_type")) or ""
        groups.setdefault(key, []).append(members)
    rng = random.Random(seed)
    held: set[int] = set()
    for key in sorted(groups):
        label_groups = groups[key]
        rng.shuffle(label_groups)  # the same order as shuffling single documents when there are no copies
        size = sum(map(len, label_groups))
        take = round(size * fraction)
        if take == 0 and size >= 2:
            take = 1
        taken = 0
        for members in label_groups:
            if taken >= take:
                break
            held.update(members)
            taken += len(members)
    train_lines = tuple(line for i, line in enumerate(lines) if i not in held)
    held_lines = tuple(line for i, line in enumerate(lines) if i in held)
    digest = hashlib.sha256()
    for line in (*train_lines, "\x00", *held_lines):
        digest.update(line.encode("utf-8") + b"\n")
    return HoldoutSplit(source.name.split(".")[0], digest.hexdigest()[:10], train_lines, held_lines)


def split_holdout(path: str | Path, fraction: float, seed: int, out_dir: str | Path) -> tuple[Path, Path]:
    """Split a corpus (:func:`holdout_split`) and write ``<name>.<key>.train.jsonl`` and
    ``<name>.<key>.heldout.jsonl`` under ``out_dir`` (never overwriting another split's files)."""
    return holdout_split(path, fraction, seed).write(out_dir)


def lexicon_docs(topic_labels: Iterable[str]) -> list[LabelledDoc]:
    """The seed phrases of :mod:`models.lexicon` as auxiliary topic examples.

    Only when the training labels are this taxonomy (at least half of its codes present), and only for
    codes present: a researcher's own taxonomy gets no stray examples.
    """
    labels = set(topic_labels)
    if len(labels & set(TOPIC_LEXICON)) < len(TOPIC_LEXICON) / 2:
        return []
    return [
        LabelledDoc(id=f"lexicon-{code}-{i}", title=phrase, topic=code, source="lexicon", auxiliary=True,
                    weight=AUX_WEIGHTS["lexicon"])
        for code, phrases in TOPIC_LEXICON.items() if code in labels
        for i, phrase in enumerate(phrases)
    ]


def body_after_header(text: str) -> str:
    """The body of a full text: what follows the summary line when the header can be read."""
    try:
        from nlp.header import parse_header
    except ImportError:  # header parsing is optional for the models package
        return text[:BODY_CHARS]
    return body_after_title(text, parse_header(text).title)


def body_after_title(text: str, title: str | None) -> str:
    """:func:`body_after_header` for a caller that has read the header already (``title``: its summary):
    reading a long text's header is the costly part (a 300-page decree: ~50 ms). The body stops where the
    closing block starts ("Nơi nhận", the signature): in a short document the first :data:`BODY_CHARS`
    would otherwise run into the signer's title and the recipients, which then pass for what it is about."""
    body = text
    if title:
        at = text.find(title[:40])
        if at >= 0:
            body = text[at + len(title) :]
        else:
            # A summary read across lines or with its type ("LUẬT" / "ĐƯỜNG BỘ" is "LUẬT ĐƯỜNG BỘ"): the
            # body starts after its last words as printed.
            tail = title[-20:]
            at = text.find(tail)
            if at >= 0:
                body = text[at + len(tail) :]
    try:
        from nlp.header_signature import closing_block_start
    except ImportError:  # header parsing is optional for the models package
        return body[:BODY_CHARS]
    # Read past BODY_CHARS: a block starting within them is confirmed by the signer's name, up to a few
    # dozen lines (the "Nơi nhận" list) further on.
    return body[: closing_block_start(body[: BODY_CHARS + 3000])][:BODY_CHARS]


def summary_of(title: str | None, text: str | None) -> str | None:
    """What the models read: the summary (trích yếu); from the header of ``text`` if no title is given."""
    if title:
        return title
    if text:
        try:
            from nlp.header import parse_header

            found = parse_header(text).title
        except ImportError:
            found = None
        return found or text[:BODY_CHARS]
    return None

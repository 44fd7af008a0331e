"""Tag documents with their type and field: the rules of the number first, then the trained models.

Document type, in order:

1. the number's type code (``139/KH-UBND`` → kế hoạch): confidence 1, source ``number``, reason "số ký hiệu";
2. the type line printed in the header (``KẾ HOẠCH``): confidence 1, source ``header``;
3. a number with no type code (``3637/UBND-VX``): a công văn by the numbering rules of Decree 30/2020
   (source ``number``, confidence 0.95: a convention, not a printed code);
4. otherwise the model, from the summary (trích yếu).

The model's own view is always given too (``model``), so both paths are visible. The field (lĩnh vực)
always comes from the model: from the summary, and when a body text is present from both (the body's
scores count half). Below the version's threshold a prediction is marked "cần xem xét" (needs review).

A prediction is also marked for review when the text gives the model nothing to go on (almost none of its
syllables are in the model's vocabulary: "abc", "xin chào"), because a linear model still answers with a
confident-looking probability there; and every document is, when the version lacks a task's model (a
version trained with ``--task topic``) and no rule decided that field.

Example
-------
>>> clf = Registry.open("./var").load_active()                               # doctest: +SKIP
>>> r = clf.classify(title="về việc cho thuê đất tại phường Phú Hòa", number="1187/QĐ-UBND")  # doctest: +SKIP
>>> r.doc_type.label, r.doc_type.source, r.topic.label                       # doctest: +SKIP
('quyet-dinh', 'number', 'dat-dai')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from models.data import body_after_title
from models.explain import Reason, explain, repeats
from models.features import NUMBER_TOKEN, AnalyzedText, analyze_texts
from models.linear import probabilities

REVIEW = "cần xem xét"
BODY_WEIGHT = 0.5
SHORT_TEXT = 400  # a text shorter than this on one or two lines is taken as a summary
# Fewer known syllables than this, or than this share of the text's syllables: not enough to go on.
MIN_KNOWN_SYLLABLES = 2
MIN_KNOWN_SHARE = 0.25
TASK_NAMES = {"topic": "lĩnh vực", "doc_type": "loại văn bản"}


@dataclass(frozen=True)
class Candidate:
    label: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "confidence": round(float(self.confidence), 4)}


@dataclass(frozen=True)
class Prediction:
    """One field's proposed value. ``reasons`` are strings for people; ``evidence`` adds the weights."""

    label: str | None
    confidence: float | None
    source: str  # "number" | "header" | "model" | "none"
    reasons: tuple[str, ...] = ()
    top_k: tuple[Candidate, ...] = ()
    evidence: tuple[Reason, ...] = ()
    needs_review: bool = False
    model: Prediction | None = None  # doc_type decided by a rule: what the model alone would say
    number: str | None = None
    review_reason: str | None = None  # why it needs review when not simply a low confidence

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "confidence": None if self.confidence is None else round(float(self.confidence), 4),
            "source": self.source,
            "reasons": list(self.reasons),
            "top_k": [c.to_dict() for c in self.top_k],
            "needs_review": self.needs_review,
        }
        if self.evidence:
            out["evidence"] = [r.to_dict() for r in self.evidence]
        if self.number is not None:
            out["number"] = self.number
        if self.model is not None:
            out["model"] = self.model.to_dict()
        return out


NO_PREDICTION = Prediction(label=None, confidence=None, source="none", needs_review=True)


@dataclass(frozen=True)
class Classification:
    id: str | None
    doc_type: Prediction | None
    topic: Prediction | None
    needs_review: bool
    review_reasons: tuple[str, ...]
    header: dict[str, Any]
    model_version: str

    def to_dict(self) -> dict[str, Any]:
        # Always an object per task, so that a consumer can read ``["topic"]["label"]`` of any line: a task
        # with nothing to go on (no number, summary or text) is label None, source "none", to review.
        return {
            "id": self.id,
            "doc_type": (self.doc_type or NO_PREDICTION).to_dict(),
            "topic": (self.topic or NO_PREDICTION).to_dict(),
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
            "header": self.header,
            "model_version": self.model_version,
        }


@dataclass(frozen=True)
class DocumentInput:
    """What can be classified: any of the fields may be missing (a bare title is enough)."""

    id: str | None = None
    title: str | None = None
    text: str | None = None
    number: str | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DocumentInput:
        def get(key: str) -> str | None:
            value = record.get(key)
            return str(value).strip() or None if value is not None else None

        return cls(id=get("id"), title=get("title"), text=get("text"), number=get("number"))


@dataclass
class _Prepared:
    doc: DocumentInput
    header: dict[str, Any] = field(default_factory=dict)
    header_type: str | None = None
    summary: str | None = None
    body: str | None = None


def percent_pair(confidence: float, threshold: float) -> tuple[str, str]:
    """A confidence below a threshold and the threshold, as the pages write confidences (per cent, decimal
    comma): the threshold as set ("70%", "54,5%"), the confidence with as many decimals as it takes to read
    below it — a clerk shown "70% — dưới ngưỡng 70%" (0.6976 against 0.70) would rightly doubt it."""
    limit = 100 * threshold
    for decimals in (0, 1, 2, 3, 4):
        shown = f"{100 * confidence:.{decimals}f}"
        if float(shown) < limit:
            break
    limit_text = f"{limit:.4f}".rstrip("0").rstrip(".")
    return f"{shown.replace('.', ',')}%", f"{limit_text.replace('.', ',')}%"


def below(confidence: float, threshold: float) -> str:
    """"55% — dưới ngưỡng 70%" (:func:`percent_pair`)."""
    shown, limit = percent_pair(confidence, threshold)
    return f"{shown} — dưới ngưỡng {limit}"


def _header_fields(text: str) -> tuple[dict[str, Any], str | None]:
    from nlp.header import parse_header

    header = parse_header(text)
    return header.to_dict(), header.doc_type


# A short text holding its number line ("Số: 1657/QĐ-UBND" then the summary) is a header, not a trích yếu:
# the service read it so, the CLI did not (QA: the type came from the model at 0.41 instead of the number).
_NUMBER_LINE = re.compile(r"^[^\S\n]*(?:số|so)[^\S\n]*(?:ký hiệu)?[^\S\n]*[:.]?[^\S\n]*\d", re.IGNORECASE | re.MULTILINE)


def _prepare(doc: DocumentInput) -> _Prepared:
    prepared = _Prepared(doc)
    text = doc.text
    if text and (len(text) > SHORT_TEXT or text.count("\n") >= 2 or _NUMBER_LINE.search(text)):
        prepared.header, prepared.header_type = _header_fields(text)
        prepared.body = body_after_title(text, prepared.header.get("title")) or None
    elif text and not doc.title:
        prepared.summary = text  # a short text alone is a summary (pasted trích yếu)
    if not prepared.header:
        from nlp.header import Header

        prepared.header = Header().to_dict()
    header = prepared.header
    if doc.number:
        # The record's number as a header line gives it: "Số: 45/QÐ-UBND" → 45/QĐ-UBND, symbol QĐ-UBND. It
        # wins over the text's (the record is what the sender filed); one that cannot be read is kept as is.
        from nlp.numbers import parse_number

        parsed = parse_number(doc.number)
        header["number"] = (parsed.number if parsed else None) or doc.number.strip()
        header["symbol"] = parsed.symbol if parsed else None
    header["title"] = doc.title or header.get("title")
    prepared.header = header
    prepared.summary = prepared.summary or header.get("title")
    if prepared.summary is None and prepared.body is None and text:
        prepared.body = text
    return prepared


# A summary that opens with a type's name and what it is about ("Chỉ thị về việc …", "Nghị quyết về chính
# sách …", "Quyết định ban hành …") is the type line and summary run together, as other provinces' exports
# write it: 9 of 9 such titles in the Bình Dương and Sơn La sets carry that type. Only types issued under
# their own name: "Kết luận …", "Quy định …", "Chương trình …", "Hướng dẫn …" open the summaries of
# thông báo, quyết định and công văn there (63, 11, 35 and 7 titles), and a bare "Kế hoạch …" opens 12
# quyết định that issue a plan, so the name must be followed by "về", "v/v", "ban hành" or "phê duyệt".
TITLE_TYPE_CONFIDENCE = 0.95
_NAMED_TYPES = ("quyet-dinh", "chi-thi", "nghi-quyet", "thong-bao", "ke-hoach", "cong-dien", "to-trinh",
                "bao-cao", "giay-moi", "nghi-dinh", "thong-tu", "luat", "cong-van")
# Legislation is titled by its type's name and its own: "Luật Đất đai", "Thông tư hướng dẫn …", "Pháp lệnh ưu
# đãi người có công" (QA: laws were công văn, kế hoạch). No provincial summary in the Bình Dương, Sơn La or
# Lào Cai sets opens with these names, so the name followed by a word (not "số", not a figure) decides.
_LEGISLATION_TYPES = ("nghi-dinh", "thong-tu", "thong-tu-lien-tich", "luat", "phap-lenh")


@lru_cache(maxsize=2)
def _type_opening(folded: bool) -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern of a summary opening with a type's name and its subject, and name → slug; ``folded``: as
    typed without diacritics ("chi thi ve viec …")."""
    from nlp.abbreviations import TYPE_NAMES
    from nlp.normalize import fold

    def form(text: str) -> str:
        return fold(text).upper() if folded else text

    slugs = {form(n): slug for n, slug in TYPE_NAMES.items() if slug in _NAMED_TYPES + _LEGISLATION_TYPES}
    named = "|".join(re.escape(n) for n in sorted(slugs, key=len, reverse=True) if slugs[n] in _NAMED_TYPES)
    legislation = "|".join(re.escape(n) for n in sorted(slugs, key=len, reverse=True)
                           if slugs[n] in _LEGISLATION_TYPES)  # fmt: skip
    subject = "|".join(form(w) for w in ("về", "v/v", "ban hành", "phê duyệt"))
    # Not a citation ("Thông tư số …") nor a longer name's start ("Luật sư", "Luật gia", "Luật học", "Nghị
    # định thư" are no laws or decrees); the name is atomic, so "Thông tư liên tịch số …" does not fall back to "Thông tư" + "liên".
    not_after = "|".join(form(w) for w in ("số", "sư", "thư", "gia", "học"))
    pattern = rf"\s*(?:(?>({legislation}))\s+(?!(?:{not_after})(?!\w))[^\W\d_]|({named})\s+(?:{subject})(?!\w))"
    return re.compile(pattern, re.IGNORECASE), slugs


def _type_named_in_summary(summary: str | None) -> tuple[str, str] | None:
    """(type slug, the name as printed) when ``summary`` opens with a type's name and its subject, typed
    with diacritics or, for a summary typed without any, without."""
    if not summary:
        return None
    from nlp.normalize import normalize

    head = normalize(summary[:80], keep_newlines=False)
    pattern, slugs = _type_opening(folded=head.isascii())
    m = pattern.match(head)
    if m is None:
        return None
    name = m.group(1) or m.group(2)
    return slugs[name.upper()], name


# The legislature's numbers carry a year and its code, no type code: "31/2024/QH15" is a law or a resolution of
# the National Assembly, "10/2022/UBTVQH15" a resolution or an ordinance of its Standing Committee. The more
# common one is proposed for review; a title naming its type decides (``_type_named_in_summary``).
_LEGISLATURE = re.compile(r"(UBTVQH|QH)\d*")
LEGISLATURE_CONFIDENCE = 0.6


def _legislature_rule(parsed: Any) -> Prediction | None:
    body = next((c for c in parsed.body_codes if _LEGISLATURE.fullmatch(c)), None)
    if body is None or parsed.year is None:
        return None
    standing = body.startswith("UBTVQH")
    # a Standing Committee's number without a code: 7 of 8 in the national legal set are ordinances
    label, other = ("phap-lenh", "nghi-quyet") if standing else ("luat", "nghi-quyet")
    reason = (f"số ký hiệu của Ủy ban Thường vụ Quốc hội ({body}): pháp lệnh hoặc nghị quyết" if standing
              else f"số ký hiệu của Quốc hội ({body}): luật hoặc nghị quyết")  # fmt: skip
    top = (Candidate(label, LEGISLATURE_CONFIDENCE), Candidate(other, 1 - LEGISLATURE_CONFIDENCE))
    from nlp.abbreviations import DOC_TYPE_LABELS

    names = {slug: DOC_TYPE_LABELS[slug].lower() for slug in (label, other)}
    why = f"số ký hiệu không cho biết là {names[label]} hay {names[other]}; trích yếu không nêu tên loại"
    return Prediction(label, LEGISLATURE_CONFIDENCE, "number", (reason,), top, needs_review=True,
                      number=parsed.number, review_reason=why)


def _number_rule(number: str | None) -> Prediction | None:
    from nlp.abbreviations import TYPE_CODES
    from nlp.numbers import parse_number

    parsed = parse_number(number) if number else None
    if parsed is not None and not parsed.doc_type:
        return _legislature_rule(parsed)
    if parsed is None or not parsed.doc_type:
        return None
    shown = parsed.number or parsed.symbol
    if parsed.type_code:
        name = TYPE_CODES[parsed.type_code][1]
        return Prediction(parsed.doc_type, 1.0, "number", ("số ký hiệu",), (Candidate(parsed.doc_type, 1.0),),
                          (Reason(f"{shown}: {parsed.type_code} = {name}", 1.0),), number=shown)
    if parsed.doc_type == "cong-van" and parsed.body_codes:
        return Prediction("cong-van", 0.95, "number", ("số ký hiệu không có mã loại văn bản: công văn",),
                          (Candidate("cong-van", 0.95),), number=shown)
    return None


class Classifier:
    """The tasks of one model version, ready to classify. Build with :meth:`Registry.load`."""

    def __init__(self, pipelines: Mapping[str, Any], manifest: Mapping[str, Any], version: str) -> None:
        self.pipelines = dict(pipelines)
        self.manifest = dict(manifest)
        self.version = version
        tasks = self.manifest.get("tasks") or {}
        self.thresholds = {t: float((tasks.get(t) or {}).get("abstain_threshold", 0.5)) for t in self.pipelines}

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.pipelines)

    def labels(self, task: str) -> list[str]:
        return [str(c) for c in self.pipelines[task].named_steps["clf"].classes_]

    # -- low level: scores of analysed texts -------------------------------------------------------------

    def features(self, task: str, docs: Sequence[AnalyzedText]) -> Any:
        return self.pipelines[task].named_steps["features"].transform(list(docs))

    def scores(self, task: str, docs: Sequence[AnalyzedText]) -> tuple[np.ndarray, Any]:
        """(decision scores, feature rows) of analysed texts."""
        X = self.features(task, docs)
        return self.pipelines[task].named_steps["clf"].decision_function(X), X

    def predict_proba(self, task: str, texts: Sequence[str | AnalyzedText]) -> np.ndarray:
        docs = self.pipelines[task].named_steps["analyze"].transform(list(texts))
        scores, _ = self.scores(task, docs)
        return probabilities(scores, self.pipelines[task].named_steps["clf"].temperature_)

    # -- documents -------------------------------------------------------------------------------------

    def classify(self, text: str | None = None, *, title: str | None = None, number: str | None = None,
                 id: str | None = None, top_k: int = 3) -> Classification:
        """Classify one document: a full text, a summary, or both (and a number if known)."""
        return self.classify_batch([DocumentInput(id=id, title=title, text=text, number=number)], top_k)[0]

    def classify_batch(self, docs: Sequence[DocumentInput], top_k: int = 3) -> list[Classification]:
        """Classify many documents with one pass of the batch analyser."""
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        prepared = [_prepare(d) for d in docs]
        texts = [p.summary or "" for p in prepared] + [p.body or "" for p in prepared]
        segment = all(bool(p.named_steps["analyze"].segment) for p in self.pipelines.values())
        analysed = analyze_texts(texts, segment=segment)
        summaries, bodies = analysed[: len(prepared)], analysed[len(prepared) :]
        model_views = {t: self._model_view(t, prepared, summaries, bodies, top_k) for t in self.pipelines}
        out = []
        for i, p in enumerate(prepared):
            doc_type = self._doc_type(p, model_views.get("doc_type", [None] * len(prepared))[i])
            topic = model_views["topic"][i] if "topic" in model_views else None
            review = []
            for task, pred in (("doc_type", doc_type), ("topic", topic)):
                if pred is None or not pred.needs_review:
                    continue
                if pred.review_reason:
                    review.append(f"{REVIEW}: {pred.review_reason}")
                elif pred.label is not None and pred.confidence is not None:
                    review.append(f"{REVIEW}: {TASK_NAMES[task]} có độ tin cậy thấp "
                                  f"({below(pred.confidence, self.thresholds.get(task, 0.5))})")
            if not (p.summary or p.body):
                review.append(f"{REVIEW}: không có trích yếu hay nội dung để phân loại")
            if "doc_type" not in self.pipelines and doc_type is None:
                review.append(f"{REVIEW}: phiên bản mô hình {self.version} không có mô hình loại văn bản và số "
                              "ký hiệu không cho biết loại văn bản")
            if "topic" not in self.pipelines:
                review.append(f"{REVIEW}: phiên bản mô hình {self.version} không có mô hình lĩnh vực")
            out.append(Classification(p.doc.id, doc_type, topic, bool(review), tuple(review), p.header, self.version))
        return out

    def _model_view(self, task: str, prepared: list[_Prepared], summaries: list[AnalyzedText],
                    bodies: list[AnalyzedText], top_k: int) -> list[Prediction | None]:
        pipeline = self.pipelines[task]
        clf = pipeline.named_steps["clf"]
        s_scores, s_rows = self.scores(task, summaries)
        b_scores, b_rows = self.scores(task, bodies)
        has_s = np.array([bool(p.summary) for p in prepared])
        has_b = np.array([bool(p.body) for p in prepared])
        # The field reads the body too; the type is a matter of the summary's wording (and the rules).
        use_body = has_b & (~has_s | (task == "topic"))
        combined = np.where(has_s[:, None], s_scores, 0.0) + np.where(
            use_body[:, None], np.where(has_s[:, None], BODY_WEIGHT, 1.0) * b_scores, 0.0
        )
        proba = probabilities(combined, clf.temperature_)
        classes = clf.classes_
        vocabulary = self._syllable_vocabulary(task)
        out: list[Prediction | None] = []
        for i in range(len(prepared)):
            if not (has_s[i] or use_body[i]):
                out.append(None)
                continue
            read = [t for t, used in ((summaries[i], has_s[i]), (bodies[i], use_body[i])) if used]
            uninformed = vocabulary is not None and not _informative(read, vocabulary)
            order = np.argsort(-proba[i])
            best = int(order[0])
            reasons: tuple[Reason, ...] = ()
            if has_s[i]:
                reasons = explain(pipeline, summaries[i], best, row=s_rows[i])
            if use_body[i] and len(reasons) < 5:
                # The body repeats the summary's words: a phrase already given, or part of one, is not given
                # again, and the body's own phrases are not given twice either.
                for extra in explain(pipeline, bodies[i], best, k=5, row=b_rows[i]):
                    if len(reasons) == 5:
                        break
                    if not repeats(extra.text, (r.text for r in reasons)):
                        reasons += (extra,)
            confidence = float(proba[i, best])
            # The type model learnt the wording of summaries; read from a body alone (no number, type line or
            # summary found) it mostly guesses "quyết định" for anything that "ban hành" (QA: 2 of 16 right).
            guessed_from_body = task == "doc_type" and not has_s[i]
            out.append(
                Prediction(
                    label=str(classes[best]),
                    confidence=confidence,
                    source="model",
                    reasons=tuple(r.text for r in reasons),
                    top_k=tuple(Candidate(str(classes[j]), float(proba[i, j])) for j in order[:top_k]),
                    evidence=reasons,
                    needs_review=uninformed or guessed_from_body or confidence < self.thresholds[task],
                    review_reason=f"không đủ thông tin để đoán {TASK_NAMES.get(task, task)} (văn bản hầu như "
                    "không có từ ngữ nào mô hình đã học)" if uninformed else (
                        "loại văn bản được đoán từ nội dung vì đầu văn bản không có số ký hiệu, tên loại hay "
                        "trích yếu" if guessed_from_body else None),
                )
            )
        return out

    def _syllable_vocabulary(self, task: str) -> Mapping[str, int] | None:
        """The syllable n-gram vocabulary of ``task``'s model (None if it has no syllable stream)."""
        features = self.pipelines[task].named_steps["features"]
        for name, vectorizer in features.transformer_list:
            if name == "syllables":
                return vectorizer.vocabulary_
        return None

    def _doc_type(self, p: _Prepared, model: Prediction | None) -> Prediction | None:
        rule = _number_rule(p.header.get("number"))
        if rule is not None and rule.confidence == 1.0:
            return _with_model(rule, model)
        if p.header_type and p.header_type != "cong-van":
            reason = "tên loại văn bản in ở đầu văn bản"
            header = Prediction(p.header_type, 1.0, "header", (reason,), (Candidate(p.header_type, 1.0),))
            return _with_model(header, model)
        named = _type_named_in_summary(p.summary)
        if rule is not None and (named is None or (rule.confidence or 0.0) >= TITLE_TYPE_CONFIDENCE):
            return _with_model(rule, model)
        if named is not None:
            slug, opening = named
            reason = f"trích yếu mở đầu bằng tên loại văn bản “{opening} …”"
            header = Prediction(slug, TITLE_TYPE_CONFIDENCE, "header", (reason,),
                                (Candidate(slug, TITLE_TYPE_CONFIDENCE),))
            return _with_model(header, model)
        if p.header_type == "cong-van":
            reason = "trích yếu mở đầu bằng “V/v” (công văn)"
            header = Prediction("cong-van", 0.95, "header", (reason,), (Candidate("cong-van", 0.95),))
            return _with_model(header, model)
        return model


def _informative(texts: Sequence[AnalyzedText], vocabulary: Mapping[str, int]) -> bool:
    """Whether the model knows enough of the texts: some of their distinct syllables (numbers aside), and
    at least one pair of adjacent syllables — common syllables in a sequence never seen in an
    administrative text ("xin chào") are no more to go on than unknown ones."""
    syllables = {s for t in texts for s in t.syllables if s != NUMBER_TOKEN}
    known = sum(1 for s in syllables if s in vocabulary)
    if known < MIN_KNOWN_SYLLABLES or known < MIN_KNOWN_SHARE * len(syllables):
        return False
    return any(f"{a} {b}" in vocabulary for t in texts for a, b in zip(t.syllables, t.syllables[1:], strict=False))


def _with_model(rule: Prediction, model: Prediction | None) -> Prediction:
    return Prediction(rule.label, rule.confidence, rule.source, rule.reasons, rule.top_k, rule.evidence,
                      rule.needs_review, model, rule.number, rule.review_reason)

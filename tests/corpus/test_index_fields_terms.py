"""Index fields: the per-syllable term cache gives exactly index_terms/fold_terms of the whole text."""

from __future__ import annotations

from pathlib import Path

from corpus import index_fields
from corpus.query_terms import fold_terms, index_terms
from nlp.analyzer import analyze_batch
from nlp.header_layout import without_motto

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"


def test_cached_terms_equal_the_plain_functions(demo_documents: list) -> None:
    texts = [d.text or "" for d in demo_documents] + ["139/KH-UBND covid-19 10h30 h5n1 Đắk Lắk — !!"]
    index_fields._syllable_terms.cache_clear()
    for analysis in analyze_batch(texts, workers=1):
        expected = index_terms(analysis.syllables)
        assert index_fields._terms(analysis.syllables) == (expected, fold_terms(expected))
        assert index_fields._terms(analysis.syllables) == (expected, fold_terms(expected))  # warm


def test_document_fields_hold_the_terms_of_head_title_and_body(demo_documents: list) -> None:
    docs = demo_documents[:10]
    fields = index_fields.analyze_documents(docs, workers=1)
    analyses = analyze_batch([t for d in docs for t in (d.title or "", without_motto(d.text or ""))], workers=1)
    for i, (doc, out) in enumerate(zip(docs, fields, strict=True)):
        head, _ = index_fields._head_terms(doc)
        title = index_terms(analyses[2 * i].syllables) if doc.title else []
        body = index_terms(analyses[2 * i + 1].syllables) if doc.text else []
        values = out.to_dict()
        assert values["all_syl"] == [" ".join(head + title + body)]
        assert values["all_fold"] == [" ".join(fold_terms(head + title + body))]
        if title:
            assert values["title_fold"] == [" ".join(fold_terms(title))]


def _tricky_documents() -> list:
    from corpus.document import Document

    texts = {
        "numbers": "Kế hoạch số 139/KH-UBND ngày 12/7/2022 về phòng, chống dịch COVID-19; V/v triển khai 10h30.",
        "case": "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK\nİstanbul ΟΔΟΣ ΑΣ h5n1 covid19 5d “Hoà Bình” — !!",
        "punctuation": "… — !! ?? (…)",
        "blank": "   \n  ",
        "standard": "Áp dụng QCVN 01:2009/BYT và Thông báo số 161-TB/TU ngày 2-3-2024 của Tỉnh ủy.",
    }
    docs = [
        Document(id=f"t-{name}", title=text.split("\n")[0][:60], text=text, doc_type="ke-hoach", issuer="UBND")
        for name, text in texts.items()
    ]
    docs.append(Document(id="t-empty", title="", text=""))
    docs.append(Document(id="t-title-only", title="Quyết định 1906 /QÐ-UBND về việc hoà giải"))
    return docs


def test_batch_fields_equal_the_fields_of_whole_analyses(demo_documents: list) -> None:
    # The batch path joins per-token, per-run and per-text strings; field_values joins whole analyses.
    docs = list(demo_documents) + _tricky_documents()
    analyses = analyze_batch([t for d in docs for t in (d.title or "", without_motto(d.text or ""))], workers=1)
    expected = [
        index_fields.field_values(
            doc, analyses[2 * i] if doc.title else None, analyses[2 * i + 1] if doc.text else None
        )
        for i, doc in enumerate(docs)
    ]
    for cold in (True, False):  # per-token parts computed, then cached
        if cold:
            index_fields._token_parts.cache_clear()
            index_fields._protected_parts.cache_clear()
        assert index_fields._field_values_batch(docs) == expected


def test_batch_fields_of_real_news_and_documents(shared_data: Path) -> None:
    import gzip
    import json

    from corpus.document import Document

    docs = []
    with gzip.open(shared_data / "bench" / "vntc" / "test.jsonl.gz", "rt", encoding="utf-8") as handle:
        for i, line in zip(range(150), handle, strict=False):
            docs.append(Document(id=f"vntc-{i}", text=json.loads(line)["text"]))
    lines = (shared_data / "admin" / "sonla.jsonl").read_text(encoding="utf-8").splitlines()[:150]
    for record in map(json.loads, lines):
        title, text, number = record.get("title"), record.get("text"), record.get("number")
        docs.append(Document(id=record["id"], title=title, text=text, number=number))
    analyses = analyze_batch([t for d in docs for t in (d.title or "", without_motto(d.text or ""))], workers=1)
    expected = [
        index_fields.field_values(
            doc, analyses[2 * i] if doc.title else None, analyses[2 * i + 1] if doc.text else None
        )
        for i, doc in enumerate(docs)
    ]
    index_fields._token_parts.cache_clear()
    assert index_fields._field_values_batch(docs) == expected

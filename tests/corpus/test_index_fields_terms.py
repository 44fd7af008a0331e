"""Index fields: the per-syllable term cache gives exactly index_terms/fold_terms of the whole text."""

from __future__ import annotations

from pathlib import Path

from corpus import index_fields
from corpus.query_terms import fold_terms, index_terms
from nlp.analyzer import analyze_batch

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
    analyses = analyze_batch([t for d in docs for t in (d.title or "", d.text or "")], workers=1)
    for i, (doc, out) in enumerate(zip(docs, fields, strict=True)):
        head, _ = index_fields._head_terms(doc)
        title = index_terms(analyses[2 * i].syllables) if doc.title else []
        body = index_terms(analyses[2 * i + 1].syllables) if doc.text else []
        values = out.to_dict()
        assert values["all_syl"] == [" ".join(head + title + body)]
        assert values["all_fold"] == [" ".join(fold_terms(head + title + body))]
        if title:
            assert values["title_fold"] == [" ".join(fold_terms(title))]

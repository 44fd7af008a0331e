"""Search quality: known-item queries over ../shared/data/admin and ALQAC 2023 legal article retrieval.

Usage (from the repository root)::

    .venv/bin/python bench/search_quality.py                       # both suites, with bm25s baselines
    .venv/bin/python bench/search_quality.py --suite admin --docs 300
    .venv/bin/python bench/search_quality.py --suite alqac --queries path/to/queries_test.jsonl
    .venv/bin/python bench/search_quality.py --export-queries /tmp/ki.jsonl   # for `vanban search --batch`

Both suites go through the full pipeline: records are imported into a store (``corpus.importer``), indexed
from it (``SearchIndex.rebuild``) and searched in-process with :class:`corpus.search.Searcher`, exactly
what ``vanban search --batch`` does. Built data directories are cached under ``--work`` and rebuilt when
the analyser or index schema changes.

Known-item queries are built from binhduong + sonla (documents with a number and a title of 5+ syllables),
one query of each kind per sampled document (``--seed`` fixes the sample):

* ``number``            the number as filed (``3637/UBND-VX``);
* ``number_loose``      one of: lower case, spaces for separators, symbol first, folded (``qd``), or
                        ``số <seq>/<type code>`` (then every document with that sequence and type is right);
* ``title_words``       a run of 4–6 consecutive title syllables that no other title contains all of, as
                        printed (with diacritics);
* ``title_words_nodiac`` the same query without diacritics (the target: within 0.01 of the line above);
* ``partial_reordered`` two or three 2-syllable pieces of the title in shuffled order;
* ``rare3_nodiac``      the three rarest words of a title (syllables in at most 20 titles, codes of cited
                        numbers left out), folded, shuffled (target: found in the top 10 ≥ 99 %); drawn
                        from every title that has three such words, up to ``--docs`` of them (so
                        every seed draws the same documents, in other word orders); other titles often
                        hold the same three words and no rarer one, which caps the MRR any ranking can
                        reach (printed, :func:`rare3_ceiling`);
* ``abbreviation``      a title run where an expansion is replaced by its abbreviation or the reverse;
* ``number_year``       a number that holds no year typed loosely with the year it was issued (``kh 45
                        2024``, ``QĐ 1203 2023``, ``1203 qđ ubnd 2023``, one form per document by a hash of
                        its id, drawing nothing from the seeded sample): the number's documents of that year
                        are right.

A number query is answered correctly by any document carrying that number (numbers are reused across
years); a text query by the target or a document with the very same title.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from corpus.document import Document  # noqa: E402
from corpus.importer import import_paths  # noqa: E402
from corpus.index import SCHEMA_VERSION, SearchIndex, index_path  # noqa: E402
from corpus.query import fold_terms, lookup_key, parse_query, term_parts  # noqa: E402
from corpus.search import Searcher, SearchRequest  # noqa: E402
from corpus.store import Store  # noqa: E402
from nlp.abbreviations import ABBREVIATIONS, canonical_abbreviation  # noqa: E402
from nlp.analyzer import ANALYZER_VERSION  # noqa: E402
from nlp.normalize import fold, normalize  # noqa: E402
from nlp.numbers import parse_number  # noqa: E402


def shared_data() -> Path:
    import os

    env = os.environ.get("VANBAN_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@dataclass(frozen=True)
class KnownItem:
    qid: str
    kind: str
    query: str
    relevant: frozenset[str]


# -- building data directories ------------------------------------------------------------------------


def build(work: Path, sources: Sequence[Path], *, force: bool = False) -> Path:
    """Import ``sources`` into ``work`` and index them, unless an identical build is cached there."""
    stamp = {
        "sources": [str(p) for p in sources],
        "analyzer": ANALYZER_VERSION,
        "schema": SCHEMA_VERSION,
    }
    marker = work / "built.json"
    if not force and marker.exists() and json.loads(marker.read_text()) == stamp:
        return work
    if work.exists():
        import shutil

        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.perf_counter()
    with Store.open(work) as store:
        report = import_paths(store, list(sources), progress=False)
        print(f"  imported {report.inserted} documents ({len(report.errors)} errors)", file=sys.stderr)
        SearchIndex.rebuild(store, index_path(work))
    print(f"  built {work} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    marker.write_text(json.dumps(stamp))
    return work


# -- known-item queries ---------------------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


_RARE_DF = 20  # a "rare" title word is in at most this many titles (of ~3,400)
_NUMBERISH = __import__("re").compile(r"\S*\d[\w.]*[/-][\w./&-]+")


def _spans(title: str) -> list[tuple[int, int, str]]:
    import re

    return [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"[^\W_]+", title)]


def _loose_number(number: str, rng: random.Random) -> tuple[str, Callable[[Document], bool]] | None:
    parsed = parse_number(number)
    if parsed is None or not parsed.number or not parsed.seq:
        return None
    codes = [c for c in (parsed.type_code, *parsed.body_codes) if c]
    same = lookup_key(parsed.number)

    def same_number(d: Document) -> bool:
        return bool(d.number and lookup_key(d.number) == same)

    variants: list[tuple[str, Callable[[Document], bool]]] = [
        (number.lower(), same_number),
        (" ".join([parsed.seq, *([str(parsed.year)] if parsed.year else []), *codes]).lower(), same_number),
        (f"{'-'.join(codes).lower()} {parsed.seq}" if not parsed.year else fold(number).lower(), same_number),
        (fold(number).lower(), same_number),
    ]  # fmt: skip
    if parsed.type_code and len(codes) > 1:
        seq, code = parsed.seq.lstrip("0"), fold(parsed.type_code).upper()

        def same_type(d: Document) -> bool:
            p = parse_number(d.number) if d.number else None
            return bool(p and p.seq and p.seq.lstrip("0") == seq and fold(p.type_code or "").upper() == code)

        variants.append((f"số {parsed.seq}/{parsed.type_code}", same_type))
    return rng.choice(variants)


def _number_with_year(doc: Document, same_number: list[Document]) -> KnownItem | None:
    """``number_year`` (see the module): None for a number holding a year, or without codes or a date."""
    parsed = parse_number(doc.number or "")
    codes = [c for c in (parsed.type_code, *parsed.body_codes) if c] if parsed else []
    if parsed is None or not parsed.seq or parsed.year or not codes or doc.issued_date is None:
        return None
    year = doc.issued_date.year
    forms = (
        f"{fold(codes[0]).lower()} {parsed.seq} {year}",
        f"{codes[0]} {parsed.seq} {year}",
        f"{parsed.seq} {' '.join(codes).lower()} {year}",
    )
    query = forms[zlib.crc32(doc.id.encode("utf-8")) % len(forms)]
    relevant = frozenset(d.id for d in same_number if d.issued_date and d.issued_date.year == year)
    return KnownItem(f"{doc.id}:number_year", "number_year", query, relevant | {doc.id})


def known_items(docs: list[Document], n: int, seed: int) -> list[KnownItem]:
    rng = random.Random(seed)
    titled = [d for d in docs if d.title and d.number and len(term_parts(d.title)) >= 5]
    folded_sets = {d.id: set(fold_terms(term_parts(d.title or ""))) for d in docs if d.title}
    df = Counter(t for s in folded_sets.values() for t in s)
    by_title: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        if d.title:
            by_title[" ".join(fold_terms(term_parts(d.title)))].add(d.id)

    def unique(terms: Sequence[str], target: str) -> bool:
        wanted = set(fold_terms(list(terms)))
        return all(doc_id == target or not wanted <= s for doc_id, s in folded_sets.items())

    # Titles with their abbreviations written out: search matches "tnhh" and "trách nhiệm hữu hạn" alike,
    # so an abbreviation query singles a document out only if no other title holds it in either form.
    expanded_sets = {d.id: set(fold_terms(_expanded(" ".join(term_parts(d.title or ""))))) for d in docs if d.title}

    def unique_expanded(query: str, target: str) -> bool:
        wanted = set(fold_terms(_expanded(query)))
        return all(doc_id == target or not wanted <= s for doc_id, s in expanded_sets.items())

    by_id = {d.id: d for d in docs}
    out: list[KnownItem] = []
    for doc in rng.sample(titled, min(n, len(titled))):
        title = doc.title or ""
        same_title = frozenset(by_title[" ".join(fold_terms(term_parts(title)))] | {doc.id})
        number_docs = frozenset(
            d.id for d in docs if d.number and lookup_key(d.number) == lookup_key(doc.number or "")
        )
        out.append(KnownItem(f"{doc.id}:number", "number", doc.number or "", number_docs))
        with_year = _number_with_year(doc, [by_id[i] for i in number_docs])
        if with_year:
            out.append(with_year)
        loose = _loose_number(doc.number or "", rng)
        if loose:
            out.append(KnownItem(f"{doc.id}:loose", "number_loose", loose[0],
                                 frozenset(d.id for d in docs if loose[1](d)) | {doc.id}))  # fmt: skip
        spans = _spans(title)
        words = [s[2] for s in spans]
        starts = list(range(len(spans)))
        rng.shuffle(starts)
        for start in starts:
            size = rng.randint(4, 6)
            window = spans[start : start + size]
            if len(window) < 4 or not unique([w[2] for w in window], doc.id):
                continue
            text = title[window[0][0] : window[-1][1]]
            if parse_query(text).numbers:
                continue  # a number in the query asks for that number's own documents first
            out.append(KnownItem(f"{doc.id}:words", "title_words", text, same_title))
            out.append(KnownItem(f"{doc.id}:nodiac", "title_words_nodiac", fold(text), same_title))
            break
        pieces = [words[i : i + 2] for i in range(0, len(words) - 1, 2)]
        if len(pieces) >= 3:
            chosen = rng.sample(pieces, 3 if len(pieces) >= 5 else 2)
            reordered = " ".join(" ".join(p) for p in chosen)
            if unique([w for p in chosen for w in p], doc.id) and not parse_query(reordered).numbers:
                out.append(KnownItem(f"{doc.id}:reorder", "partial_reordered",
                                     " ".join(" ".join(p) for p in chosen), same_title))  # fmt: skip
        abbreviated = _abbreviation_query(title, rng)
        if (
            abbreviated
            and len(abbreviated.split()) >= 4
            and not parse_query(abbreviated).numbers
            and unique_expanded(abbreviated, doc.id)
        ):
            out.append(KnownItem(f"{doc.id}:abbr", "abbreviation", abbreviated, same_title))
    # Few titles have three rare words: those documents are drawn from the whole corpus, up to n.
    rare3 = 0
    for doc in rng.sample(titled, len(titled)):
        if rare3 >= n:
            break
        letters = [w for w in _title_letters(doc.title or "") if df[w] <= _RARE_DF]
        if len(letters) >= 3:
            rng.shuffle(letters)
            rare = sorted(letters, key=lambda t: df[t])[:3]
            rng.shuffle(rare)
            same_title = frozenset(by_title[" ".join(fold_terms(term_parts(doc.title or "")))] | {doc.id})
            out.append(KnownItem(f"{doc.id}:rare3", "rare3_nodiac", " ".join(rare), same_title))
            rare3 += 1
    return out


def _title_letters(title: str) -> list[str]:
    """Folded words of a title, without figures or the codes of numbers it cites ("nđ-cp" in "nghị định
    số 30/2020/nđ-cp"): what ``rare3_nodiac`` queries are drawn from."""
    plain = [s[2] for s in _spans(_NUMBERISH.sub(" ", title))]
    return list(dict.fromkeys(w for w in fold_terms(plain) if not any(c.isdigit() for c in w)))


def rare3_ceiling(docs: list[Document], items: list[KnownItem]) -> dict[str, float]:
    """The best MRR@10 any ranking can reach on ``rare3_nodiac``. A query is drawn from every title whose
    three rarest words it holds, so the other titles holding those words and no rarer one (up to ties in
    document frequency) would have produced the very same query: no ranking can tell them from the
    target, and k such titles in any order give the target an expected reciprocal rank of H(k)/k."""
    titles = {d.id: d.title for d in docs if d.title}
    letters = {i: set(_title_letters(t)) for i, t in titles.items()}
    df = Counter(w for ws in (set(fold_terms(term_parts(t))) for t in titles.values()) for w in ws)
    drawable = [d.id for d in docs if d.title and d.number and len(term_parts(d.title)) >= 5]  # as drawn
    best, ambiguous, n = 0.0, 0, 0
    for item in items:
        if item.kind != "rare3_nodiac":
            continue
        words = set(item.query.split())
        rarest = max(df[w] for w in words)
        rivals = {
            " ".join(fold_terms(term_parts(titles[i])))
            for i in drawable
            if i not in item.relevant
            and words <= letters[i]
            and not any(df[w] < rarest for w in letters[i] - words)
        }
        k = len(rivals) + 1
        best += sum(1 / r for r in range(1, k + 1)) / k
        ambiguous += k > 1
        n += 1
    return {"n": n, "ambiguous": ambiguous, "best_mrr@10": best / n if n else 0.0}


def _expanded(query: str) -> list[str]:
    """Terms of ``query`` with abbreviations written out, for checking that it singles a document out."""
    out: list[str] = []
    for token in query.split():
        canonical = canonical_abbreviation(token)
        out += term_parts(ABBREVIATIONS[canonical][0]) if canonical and len(token) >= 3 else term_parts(token)
    return out


def _abbreviation_query(title: str, rng: random.Random) -> str | None:
    """A 6-syllable run of the title around an abbreviation or expansion, with it swapped for the other."""
    words = [s[2] for s in _spans(title)]
    folded = fold_terms(words)
    swaps: list[tuple[int, int, str]] = []
    for abbr, expansions in ABBREVIATIONS.items():
        if len(abbr) < 3:
            continue
        for expansion in expansions:
            exp = fold_terms(term_parts(expansion))
            for i in range(len(folded) - len(exp) + 1):
                if folded[i : i + len(exp)] == exp:
                    swaps.append((i, i + len(exp), abbr))
        for i, w in enumerate(folded):
            if w == fold(abbr).lower():
                swaps.append((i, i + 1, expansions[0]))
    if not swaps:
        return None
    i, j, replacement = rng.choice(swaps)
    left = max(0, i - rng.randint(1, 3))
    return " ".join([*words[left:i], replacement, *words[j : j + 3]])


# -- evaluation ---------------------------------------------------------------------------------------


def reciprocal_rank(ranked: Sequence[str], relevant: frozenset[str], k: int = 10) -> float:
    for rank, doc_id in enumerate(ranked[:k], start=1):
        if doc_id in relevant:
            return 1.0 / rank
    return 0.0


def recall(ranked: Sequence[str], relevant: frozenset[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def summarise(rows: list[tuple[str, list[str], frozenset[str]]], single: bool) -> dict[str, dict[str, float]]:
    """Per kind: n, MRR@10 and recall (success@k for known items, where any one answer suffices)."""
    by_kind: dict[str, list[tuple[list[str], frozenset[str]]]] = defaultdict(list)
    for kind, ranked, relevant in rows:
        by_kind[kind].append((ranked, relevant))
        by_kind["all"].append((ranked, relevant))
    out = {}
    for kind, items in by_kind.items():

        def success(k: int, items: list = items) -> float:
            if single:
                return sum(1.0 for r, rel in items if set(r[:k]) & rel) / len(items)
            return sum(recall(r, rel, k) for r, rel in items) / len(items)

        out[kind] = {
            "n": len(items),
            "mrr@10": sum(reciprocal_rank(r, rel) for r, rel in items) / len(items),
            "recall@1": success(1),
            "recall@5": success(5),
            "recall@10": success(10),
        }
    return out


def run_searcher(searcher: Searcher, queries: list[tuple[str, str]]) -> tuple[list[list[str]], float]:
    ranked = []
    started = time.perf_counter()
    for _, text in queries:
        result = searcher.search(SearchRequest(text, limit=10, facets=False, highlights=False))
        ranked.append([h.id for h in result.hits])
    return ranked, (time.perf_counter() - started) / max(1, len(queries)) * 1000


def bm25s_baseline(docs: list[Document], queries: list[str], folded: bool) -> list[list[str]]:
    """Plain BM25 (bm25s) over syllables of title + body, or their folded forms."""
    import bm25s

    def tokens(text: str) -> list[str]:
        terms = term_parts(normalize(text))
        return fold_terms(terms) if folded else terms

    retriever = bm25s.BM25()
    retriever.index([tokens(f"{d.title or ''} {d.text or ''}") or ["∅"] for d in docs], show_progress=False)
    result = retriever.retrieve(
        [tokens(q) or ["∅"] for q in queries], k=min(10, len(docs)), show_progress=False
    )
    return [[docs[i].id for i in row] for row in result.documents]


def print_table(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':22} {'n':>5} {'MRR@10':>7} {'R@1':>6} {'R@5':>6} {'R@10':>6}")
    for kind, m in sorted(table.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        print(
            f"  {kind:22} {m['n']:5d} {m['mrr@10']:7.4f} {m['recall@1']:6.3f} {m['recall@5']:6.3f} {m['recall@10']:6.3f}"
        )


def admin_suite(args: argparse.Namespace, report: dict) -> None:
    admin = shared_data() / "admin"
    sources = sorted(admin.glob("*.jsonl"))
    work = build(args.work / "admin", sources, force=args.rebuild)
    with Store.open(work) as store:
        docs = list(store.iter_documents())
        searcher = Searcher.open(work, store=store)
        items = known_items([d for d in docs if not d.id.startswith("lc")], args.docs, args.seed)
        if args.export_queries:
            with open(args.export_queries, "w", encoding="utf-8") as f:
                for item in items:
                    f.write(json.dumps({"qid": item.qid, "kind": item.kind, "query": item.query,
                                        "relevant": sorted(item.relevant)}, ensure_ascii=False) + "\n")  # fmt: skip
        ranked, ms = run_searcher(searcher, [(i.qid, i.query) for i in items])
        ours = summarise([(i.kind, r, i.relevant) for i, r in zip(items, ranked, strict=True)], single=True)
        print_table(f"Known items, vanban search ({len(docs)} documents, {ms:.1f} ms/query)", ours)
        report["known_items"] = ours
        ceiling = rare3_ceiling([d for d in docs if not d.id.startswith("lc")], items)
        print(
            f"  rare3_nodiac: {ceiling['ambiguous']} of {ceiling['n']} queries would be drawn from another "
            f"title too; the best MRR@10 any ranking can reach is {ceiling['best_mrr@10']:.4f}"
        )
        report["rare3_ceiling"] = ceiling
        if args.baselines:
            for name, folded in (("bm25s syllables", False), ("bm25s folded syllables", True)):
                base = bm25s_baseline(docs, [i.query for i in items], folded)
                table = summarise(
                    [(i.kind, r, i.relevant) for i, r in zip(items, base, strict=True)], single=True
                )
                print_table(f"Known items, baseline {name}", table)
                report[f"known_items_{name}"] = table
        if args.show_misses:
            for item, r in zip(items, ranked, strict=True):
                if reciprocal_rank(r, item.relevant) < 1.0:
                    print(f"  miss {item.kind:20} {item.query!r} → {r[:3]} want {sorted(item.relevant)[:3]}")


def alqac_suite(args: argparse.Namespace, report: dict) -> None:
    root = shared_data() / "bench" / "alqac2023"
    articles = _read_jsonl(root / "corpus.jsonl")
    records = args.work / "alqac-records.jsonl"
    args.work.mkdir(parents=True, exist_ok=True)
    with open(records, "w", encoding="utf-8") as f:
        for a in articles:
            title = {
                "article": a.get("article_title") or None,
                "law+article": f"{a['law_id']} – Điều {a['article_id']}. {a.get('article_title') or ''}",
                "none": None,
            }[args.alqac_title]
            record = {"id": a["doc_id"], "title": title, "text": a["text"], "parent": a["law_id"]}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    work = build(args.work / f"alqac-{args.alqac_title}", [records], force=args.rebuild)
    questions = _read_jsonl(Path(args.queries) if args.queries else root / "queries_train.jsonl")
    with Store.open(work) as store:
        searcher = Searcher.open(work, store=store)
        ranked, ms = run_searcher(searcher, [(q["qid"], q["text"]) for q in questions])
        rows = [
            ("questions", r, frozenset(q["relevant_doc_ids"])) for q, r in zip(questions, ranked, strict=True)
        ]
        ours = summarise(rows, single=False)
        print_table(
            f"ALQAC 2023 ({len(articles)} articles, {len(questions)} questions, {ms:.1f} ms/query)", ours
        )
        report["alqac"] = ours
        if args.baselines:
            docs = list(store.iter_documents())
            base = bm25s_baseline(docs, [q["text"] for q in questions], folded=False)
            rows = [
                ("questions", r, frozenset(q["relevant_doc_ids"]))
                for q, r in zip(questions, base, strict=True)
            ]
            table = summarise(rows, single=False)
            print_table("ALQAC 2023, baseline bm25s syllables", table)
            report["alqac_bm25s"] = table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", choices=("admin", "alqac", "all"), default="all")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vanban-search-quality")
    parser.add_argument("--docs", type=int, default=400, help="documents sampled for known-item queries")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--queries", help="ALQAC questions file (default: queries_train.jsonl)")
    parser.add_argument(
        "--alqac-title",
        choices=("article", "law+article", "none"),
        default="article",
        help="what an ALQAC article's title is (the law's name is kept as its parent)",
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild cached data directories")
    parser.add_argument("--no-baselines", dest="baselines", action="store_false")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--export-queries", type=Path, help="write the known-item queries as JSONL")
    parser.add_argument("--json", type=Path, help="write all figures to this JSON file")
    args = parser.parse_args(argv)
    report: dict = {"analyzer": ANALYZER_VERSION, "seed": args.seed}
    if args.suite in ("admin", "all"):
        admin_suite(args, report)
    if args.suite in ("alqac", "all"):
        alqac_suite(args, report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

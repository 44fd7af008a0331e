"""``vanban evaluate``: score a model version on labelled corpora; optionally write a report."""

from __future__ import annotations

import argparse
import json
import sys

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="accuracy, macro-F1 and per-class scores of a model on labelled documents",
        description="Evaluate the active model (or --model VERSION) on JSONL corpora. doc_type is the "
        "end-to-end result (number rule, then model); doc_type.title_only is the model alone with the "
        "number hidden; doc_type.number_coded the documents whose number has a type code.",
    )
    parser.add_argument("--corpus", nargs="+", required=True, metavar="PATH")
    parser.add_argument("--model", metavar="VERSION", help="a version id (default: the active one)")
    parser.add_argument("--report", metavar="DIR", help="write report.md/.html, metrics.json and PNG plots here "
                        "(a directory; created if missing)")
    parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    parser.set_defaults(handler=run)


def check_report_option(report: str) -> None:
    """``--report DIR`` can be written (created if missing); a clear error otherwise (evaluate, compare)."""
    from models.report import check_report_dir

    try:
        check_report_dir(report)
    except OSError as exc:
        raise CliError(f"không ghi được báo cáo vào --report {report}: {exc.strerror or exc}; "
                       "--report cần một thư mục (sẽ được tạo nếu chưa có)") from exc


def run(args: argparse.Namespace) -> int:
    from models.data import load_corpora
    from models.errors import ModelError
    from models.evaluate import corpus_files, distinct_documents, evaluate
    from models.registry import Registry
    from models.report import overlap_line

    if args.report:
        check_report_option(args.report)  # first: a wrong path must not be found out after all the classifying
    try:
        registry = Registry.open(args.data_dir)
        version = registry.resolve(args.model)
        classifier = registry.load(version)
        # The model's own fields are read as written ("Đất đai" of a portal's taxonomy stays itself).
        own = classifier.labels("topic") if "topic" in classifier.tasks else ()
        corpora = load_corpora(args.corpus, purpose="đánh giá", keep_topics=own)
        docs, repeated = distinct_documents([d for c in corpora for d in c.docs])
        if repeated:
            shown = ", ".join(dict.fromkeys(repeated[:5]))
            print(f"WARNING: {len(repeated)} records repeat an id read before and are scored once ({shown}"
                  f"{', …' if len(set(repeated)) > 5 else ''})", file=sys.stderr)  # fmt: skip
        result = evaluate(classifier, docs, progress=lambda m: print(m, file=sys.stderr, flush=True),
                          training=registry.training_fingerprints(version))
        result.corpus = corpus_files(corpora)
    except ModelError as exc:
        raise CliError(exc.message) from exc
    print(overlap_line(result), file=sys.stderr)
    if args.report:
        from models.report import write_report

        written = write_report(result, args.report)
        print(f"report: {written[-3]}", file=sys.stderr)
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    print(f"model {result.model_version}, {result.documents} documents")
    for task, m in summary.items():
        print(f"{task}: n={m['n']} accuracy={m['accuracy']:.4f} macro_f1={m['macro_f1']:.4f} ece={m.get('ece', 0):.4f}")
        for variant in ("title_only", "title_only_five_types", "number_coded"):
            if variant in m:
                v = m[variant]
                print(f"  {variant}: n={v['n']} accuracy={v['accuracy']:.4f} macro_f1={v['macro_f1']:.4f}")
    return 0

"""``vanban models list|show|activate|rollback|compare``: the model registry.

``compare VERSION [--baseline VERSION] --corpus PATH...`` pairs the answers of two versions on labelled
documents (:mod:`models.compare`, which documents the ``--json`` shape); ``--report DIR`` writes report.md,
report.html, compare.json and per-class F1 plots (:mod:`models.compare_report`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from service.errors import CliError

if TYPE_CHECKING:
    from corpus.store import Store
    from models.registry import Registry, VersionInfo


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="list, show, activate, roll back or compare model versions",
                                   description="The versioned classifiers under <data-dir>/models.")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = sub.add_parser("list", help="every version, the active one marked, unusable ones with the reason")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("show", help="the manifest of a version (default: the active one), with whether it can "
                       "be loaded here; an unusable version is shown too, with the reason")
    p.add_argument("version", nargs="?")
    p.add_argument("--json", action="store_true", help="the same JSON (show always prints JSON)")
    p = sub.add_parser("activate", help="make a version the active one")
    p.add_argument("version")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("rollback", help="re-activate the version active before the current one")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("compare", help="compare a candidate version with a baseline on labelled documents, "
                       "document by document (fixed/broken answers, exact McNemar test, per-class F1)",
                       description="Classify the same labelled documents with both versions, as `vanban "
                       "evaluate` does, and pair the answers per task (topic; doc_type end to end; doc_type "
                       "from the title alone).")
    p.add_argument("version", metavar="VERSION", help="the candidate version")
    p.add_argument("--baseline", metavar="VERSION", help="the version to compare with (default: the active one)")
    p.add_argument("--corpus", nargs="+", required=True, metavar="PATH", help="labelled JSONL corpora")
    p.add_argument("--report", metavar="DIR", help="write report.md/.html, compare.json and PNG plots here "
                   "(a directory; created if missing)")
    p.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    parser.set_defaults(handler=run)


def _score(metrics: dict | None) -> str:
    """Cross-validated macro-F1 with what it averages over: a task with a few rare labels (types seen in
    two documents) has a low macro-F1 and a high accuracy, and versions are compared on both."""
    if not metrics:
        return "-"
    labels = len(metrics.get("per_class") or {})
    over = f" over {labels} labels" if labels else ""
    return f"macro-F1 {metrics.get('macro_f1', 0):.3f}{over}, accuracy {metrics.get('accuracy', 0):.3f}"


def run(args: argparse.Namespace) -> int:
    from models.errors import IncompatibleModel, ModelError
    from models.registry import Registry

    registry = Registry.open(args.data_dir)
    if args.action == "compare":
        return _compare(args, registry)
    actor = os.environ.get("USER")
    try:
        if args.action == "list":
            versions = registry.versions(check=True)
            if args.json:
                print(json.dumps([{"version": v.version, "active": v.active, "created": v.created_at,
                                   "tasks": list(v.tasks), "documents": v.documents, "cv_metrics": v.metrics,
                                   "usable": v.usable, "problem": v.problem}
                                  for v in versions], ensure_ascii=False))
                return 0
            if not versions:
                print(f"chưa có phiên bản mô hình nào trong {registry.root}")
            for v in versions:
                mark = "*" if v.active else " "
                if v.problem:
                    print(f"{mark} {v.version}  KHÔNG DÙNG ĐƯỢC: {v.problem}")
                    continue
                scores = ", ".join(f"{t} {_score(v.metrics.get(t))}" for t in v.tasks)
                print(f"{mark} {v.version}  {v.created_at}  {v.documents or '-'} docs  {scores}")
            return 0
        if args.action == "show":
            # Showing only reads: an incompatible or damaged version is shown with the reason, so that its
            # manifest can be inspected; loading and activating it are still refused.
            info = registry.inspect(registry.resolve(args.version))
            print(json.dumps(info.manifest | {"active": info.active, "usable": info.usable, "problem": info.problem},
                             ensure_ascii=False, indent=2))
            if info.problem:
                print(IncompatibleModel(info.version, info.problem).message, file=sys.stderr)
            return 0
        if args.action == "activate":
            info, warnings = switch(args.data_dir, registry, "activate", args.version, actor)
        else:
            info, warnings = switch(args.data_dir, registry, "rollback", None, actor)
    except ModelError as exc:
        raise CliError(exc.message) from exc
    for warning in warnings:
        print(warning, file=sys.stderr)
    if args.json:
        print(json.dumps({"active": info.version, "tasks": list(info.tasks), "warnings": warnings}, ensure_ascii=False))
    else:
        print(f"active: {info.version}")
    return 0


def switch(data_dir: str, registry: Registry, action: str, version: str | None,
           actor: str | None) -> tuple[VersionInfo, list[str]]:
    """Activate ``version`` (action "activate") or roll back, from the command line: the one path of
    `vanban models activate|rollback` and `vanban train --activate`. Returns the version now active and the
    Vietnamese warnings every activation gives (:func:`models.registry.activation_warnings`); the switch is
    written to the registry's history and, when the data directory has a store, to its audit log, as the
    web page's switches are."""
    from models.registry import activation_warnings

    previous = registry.active_version()
    if action == "activate":
        assert version is not None
        info = registry.activate(version, actor=actor)
    else:
        info = registry.get(registry.rollback(actor=actor))
    store = _open_store(data_dir)
    if store is None:
        return info, activation_warnings(info.tasks, info.labels.get("topic", ()), None)
    from service.models_adapter import audit_switch

    with store:
        audit_switch(store, action, info.version, previous, actor or "cli")
        return info, activation_warnings(info.tasks, info.labels.get("topic", ()), store.topic_counts())


def _open_store(data_dir: str) -> Store | None:
    """The data directory's store, None when it has none (a researcher's directory of models only): a
    command that switches models must not create an empty store."""
    from corpus.migrations import DB_FILENAME
    from corpus.store import Store

    return Store.open(Path(data_dir)) if (Path(data_dir) / DB_FILENAME).is_file() else None


def _compare(args: argparse.Namespace, registry: Registry) -> int:
    from models.compare import compare_evaluations
    from models.compare_report import render_text, write_compare_report
    from models.data import load_corpora
    from models.errors import ModelError
    from models.evaluate import corpus_files, evaluate
    from service.commands.evaluate import check_report_option

    try:
        candidate = registry.resolve(args.version)
        if args.baseline is None and registry.active_version() is None:
            raise CliError("chưa có phiên bản nào đang dùng để làm phiên bản gốc: hãy chỉ rõ --baseline PHIÊN_BẢN "
                           "(xem `vanban models list`).")  # fmt: skip
        baseline = registry.resolve(args.baseline)
        if candidate == baseline:
            which = "--baseline" if args.baseline else "phiên bản đang dùng, mặc định của --baseline"
            raise CliError(f"phiên bản cần so sánh “{candidate}” cũng là phiên bản gốc ({which}): hãy chọn hai "
                           "phiên bản khác nhau, ví dụ `vanban models compare PHIÊN_BẢN_MỚI --baseline PHIÊN_BẢN_CŨ`.")
        if args.report:
            check_report_option(args.report)  # before the classifying, as `vanban evaluate` does
        classifiers = {"baseline": registry.load(baseline), "candidate": registry.load(candidate)}
        # Both models' own fields are read as written ("Đất đai" of a portal's taxonomy stays itself).
        own = {label for c in classifiers.values() if "topic" in c.tasks for label in c.labels("topic")}
        corpora = load_corpora(args.corpus, purpose="so sánh", keep_topics=own)
        docs = [d for c in corpora for d in c.docs]
        evaluations = {}
        for role, classifier in classifiers.items():
            print(f"{role} {classifier.version}: classifying", file=sys.stderr, flush=True)
            evaluations[role] = evaluate(classifier, docs, training=registry.training_fingerprints(classifier.version))
    except ModelError as exc:
        raise CliError(exc.message) from exc
    files = corpus_files(corpora)  # absolute paths and checksums: a report must say what it is of
    comparison = compare_evaluations(evaluations["baseline"], evaluations["candidate"],
                                     corpus=[f["path"] for f in files], files=files)
    for warning in comparison.warnings:
        print(warning, file=sys.stderr)
    if args.report:
        written = write_compare_report(comparison, args.report)
        print(f"report: {written[-3]}", file=sys.stderr)
    if args.json:
        print(json.dumps(comparison.to_dict(), ensure_ascii=False))
    else:
        print(render_text(comparison))
    return 0

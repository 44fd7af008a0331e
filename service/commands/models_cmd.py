"""``vanban models list|show|activate|rollback``: the model registry."""

from __future__ import annotations

import argparse
import json
import os
import sys

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="list, show, activate or roll back model versions",
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
    from models.registry import Registry, missing_task_warnings

    registry = Registry.open(args.data_dir)
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
            info = registry.activate(args.version, actor=actor)
        else:
            info = registry.get(registry.rollback(actor=actor))
    except ModelError as exc:
        raise CliError(exc.message) from exc
    warnings = missing_task_warnings(info.tasks)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if args.json:
        print(json.dumps({"active": info.version, "tasks": list(info.tasks), "warnings": warnings}, ensure_ascii=False))
    else:
        print(f"active: {info.version}")
    return 0

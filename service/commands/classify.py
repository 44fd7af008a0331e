"""``vanban classify``: propose the type and field of a text, a file, or a batch of records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "classify",
        help="document type and field (lĩnh vực) with confidence, reasons and needs-review",
        description="Classify with the active model (or --model). TEXT may be a summary (trích yếu) or a "
        "full text; --file reads .txt/.docx/.pdf; --batch reads JSONL records (id, title, text, number — "
        "any may be missing) and prints one JSON object per line.",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument("text", nargs="?", help="the text; '-' reads standard input")
    src.add_argument("--file", metavar="PATH", help="a document file (.txt, .docx, .pdf)")
    src.add_argument("--batch", metavar="FILE.jsonl", help="JSON Lines records in the import format")
    parser.add_argument("--number", help="the số ký hiệu, when known separately from TEXT")
    parser.add_argument("--model", metavar="VERSION", help="a version id (default: the active one)")
    parser.add_argument("--top-k", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print JSON (always JSON Lines with --batch)")
    parser.set_defaults(handler=run)


def _load(args: argparse.Namespace) -> Any:
    from models.errors import ModelError
    from models.registry import Registry

    registry = Registry.open(args.data_dir)
    try:
        return registry.load(registry.resolve(args.model))
    except ModelError as exc:
        raise CliError(exc.message) from exc


def _print_one(result: Any) -> None:
    for name, pred in (("loại văn bản", result.doc_type), ("lĩnh vực", result.topic)):
        if pred is None:
            print(f"{name}: -")
            continue
        line = f"{name}: {pred.label} ({pred.confidence:.2f}, {pred.source})"
        if pred.top_k and pred.source == "model":
            line += "  top: " + ", ".join(f"{c.label} {c.confidence:.2f}" for c in pred.top_k)
        print(line)
        if pred.reasons:
            print("  vì: " + "; ".join(pred.reasons))
    for reason in result.review_reasons:
        print(reason)
    header = {k: v for k, v in result.header.items() if v}
    if header:
        print("header: " + json.dumps(header, ensure_ascii=False))


def _batch(args: argparse.Namespace, classifier: Any) -> int:
    from models.classify import DocumentInput

    path = Path(args.batch)
    if not path.is_file():
        raise CliError(f"không tìm thấy tệp {path}")
    records: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CliError(f"{path}: dòng {lineno} không phải JSON hợp lệ ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise CliError(f"{path}: dòng {lineno} không phải một đối tượng JSON")
            records.append(record)
    chunk = 2000  # bounded memory for large files; each chunk is one pass of the batch analyser
    for start in range(0, len(records), chunk):
        part = records[start : start + chunk]
        for result in classifier.classify_batch([DocumentInput.from_record(r) for r in part], top_k=args.top_k):
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    classifier = _load(args)
    if args.batch:
        return _batch(args, classifier)
    if args.file:
        from nlp.extract import ExtractionError, extract_file

        try:
            text = extract_file(Path(args.file)).text
        except ExtractionError as exc:
            raise CliError(str(getattr(exc, "message", exc))) from exc
        except FileNotFoundError as exc:
            raise CliError(f"không tìm thấy tệp {args.file}") from exc
    else:
        text = args.text
        if text is None or text == "-":
            if sys.stdin.isatty():
                raise CliError("chưa có văn bản: truyền TEXT, --file hoặc --batch, hoặc gửi qua stdin")
            text = sys.stdin.read()
    if not text or not text.strip():
        raise CliError("văn bản rỗng: không có gì để phân loại")
    result = classifier.classify(text, number=args.number, top_k=args.top_k)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_one(result)
    return 0

"""``vanban classify``: propose the type and field of a text, a file, or a batch of records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from service.commands.analyze import read_stdin_utf8, require_utf8
from service.errors import CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "classify",
        help="document type and field (lĩnh vực) with confidence, reasons and needs-review",
        description="Classify with the active model (or --model). TEXT may be a summary (trích yếu) or a "
        "full text; --file reads .txt/.docx/.doc/.pdf; --batch reads records in the import format, JSONL or CSV (id, title, text, number — "
        "any may be missing) and prints one JSON object per line.",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument("text", nargs="?", help="the text; '-' reads standard input")
    src.add_argument("--file", metavar="PATH", help="a document file (.txt, .docx, .doc, .pdf)")
    src.add_argument("--batch", metavar="FILE.jsonl", help="records in the import format: JSON Lines, or CSV (.csv)")
    parser.add_argument("--number", help="the số ký hiệu, when known separately from TEXT")
    parser.add_argument("--model", metavar="VERSION", help="a version id (default: the active one)")
    parser.add_argument("--top-k", type=positive_int, default=3, metavar="K",
                        help="how many candidate labels to show (at least 1)")
    parser.add_argument("--json", action="store_true", help="print JSON (always JSON Lines with --batch)")
    parser.set_defaults(handler=run)


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"cần một số nguyên từ 1 trở lên, nhận được {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"cần một số nguyên từ 1 trở lên, nhận được {number}")
    return number


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


def _batch_text(path: Path) -> str:
    """The batch file as text: UTF-8, with or without a byte-order mark; anything else is refused clearly."""
    if path.is_dir():
        raise CliError(f"{path} là một thư mục; --batch cần một tệp JSON Lines (.jsonl)")
    if not path.is_file():
        raise CliError(f"không tìm thấy tệp {path}")
    data = path.read_bytes()
    # A UTF-16 file (Notepad's "Unicode") starts with its byte-order mark, or is full of NUL bytes.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise CliError(f"{path} được mã hóa UTF-16, không phải UTF-8: hãy lưu lại tệp với mã hóa UTF-8 "
                       "(trong Notepad: Lưu thành… → Mã hóa: UTF-8) rồi chạy lại")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CliError(f"{path} không phải UTF-8 (byte không hợp lệ ở dòng {line}); có thể tệp được lưu bằng "
                       "bảng mã khác (Windows-1258, TCVN3…): hãy chuyển sang UTF-8 rồi chạy lại") from exc


_BATCH_TEXT_FIELDS = ("title", "text", "number")


def _batch_entries(path: Path) -> list[tuple[int, dict[str, Any] | str]]:
    """(line, record or why the line cannot be classified) of a JSON Lines or CSV file in the import format.
    Every field may be missing; a present one must be text (an id may be a number): a title that is a list
    or an id that is an object is said wrong on its line, not classified as its Python spelling (QA)."""
    from corpus.import_rows import FileUnreadable, csv_records, jsonl_records

    text = _batch_text(path)
    try:
        records = list(csv_records(text, require_id=False) if path.suffix.lower() == ".csv" else jsonl_records(text))
    except FileUnreadable as exc:
        raise CliError(f"{path}: " + (f"dòng {exc.line}: " if exc.line else "") + exc.reason) from None
    if path.suffix.lower() == ".csv" and records:
        columns = {k for r in records if r.values for k in r.values}
        if not columns & {"title", "text", "number"}:
            # QA: a header "ma,trich_yeu" classified nothing and exited 0, where import refuses it
            raise CliError(f"{path}: không có cột title, text hay number để phân loại (các cột: "
                           f"{', '.join(sorted(columns)) or 'không có'}); đổi tên cột theo định dạng nhập", exit_code=2)  # fmt: skip
    entries: list[tuple[int, dict[str, Any] | str]] = []
    for record in records:
        if record.values is None:
            entries.append((record.line, record.problem or "dòng hỏng"))
            continue
        values = record.values
        wrong = [f for f in _BATCH_TEXT_FIELDS if values.get(f) is not None and not isinstance(values[f], str)]
        ident = values.get("id")
        if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
            wrong.insert(0, "id")
        if wrong:
            entries.append((record.line, "trường " + ", ".join(wrong) + " phải là chuỗi văn bản"))
            continue
        entries.append((record.line, values))
    return entries


def _batch(args: argparse.Namespace, classifier: Any) -> int:
    """Classify every record; a bad line gives an error record in its place and exit code 1 at the end."""
    from models.classify import DocumentInput

    path = Path(args.batch)
    entries = _batch_entries(path)
    if not entries:
        print(f"không đọc được bản ghi nào: {path} rỗng (hoặc chỉ có dòng trống)", file=sys.stderr)
        return 1
    failed = 0
    chunk = 2000  # each chunk is one pass of the batch analyser
    for start in range(0, len(entries), chunk):
        part = entries[start : start + chunk]
        records = [r for _, r in part if isinstance(r, dict)]
        inputs = [DocumentInput.from_record(r) for r in records]
        results = iter(classifier.classify_batch(inputs, top_k=args.top_k) if inputs else ())
        for lineno, entry in part:
            if isinstance(entry, dict):
                out: dict[str, Any] = next(results).to_dict()
                if out["id"] is None:
                    out = {"line": lineno, **out}  # a record without an id is told by its line
            else:
                failed += 1
                out = {"line": lineno, "error": entry}
                print(f"{path}: dòng {lineno} {entry}", file=sys.stderr)
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    if failed:
        print(f"{failed} dòng lỗi, {len(entries) - failed} bản ghi đã được phân loại", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    classifier = _load(args)
    if args.batch:
        return _batch(args, classifier)
    warnings: tuple[str, ...] = ()
    if args.file:
        from nlp.extract import ExtractionError, extract_file

        try:
            extracted = extract_file(Path(args.file))
            text, warnings = extracted.text, extracted.warnings
        except ExtractionError as exc:
            raise CliError(str(getattr(exc, "message", exc))) from exc
        except FileNotFoundError as exc:
            raise CliError(f"không tìm thấy tệp {args.file}") from exc
    else:
        text = args.text
        if text is None or text == "-":
            if sys.stdin.isatty():
                raise CliError("chưa có văn bản: truyền TEXT, --file hoặc --batch, hoặc gửi qua stdin")
            text = read_stdin_utf8()
        require_utf8(text)  # an argument in another encoding reaches Python with lone surrogates
    if not text or not text.strip():
        raise CliError("văn bản rỗng: không có gì để phân loại")
    result = classifier.classify(text, number=args.number, top_k=args.top_k)
    if args.json:
        # what extraction had to say about the file (legacy font converted, scanned pages…), as upload does
        print(json.dumps({**result.to_dict(), **({"warnings": list(warnings)} if args.file else {})},
                         ensure_ascii=False))  # fmt: skip
    else:
        _print_one(result)
        for warning in warnings:
            print(f"lưu ý: {warning}")
    return 0

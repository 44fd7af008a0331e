"""``vanban extract FILE``: the text of a .txt/.docx/.doc/.pdf file and the header read from it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from service.errors import CliError

_LABELS = (
    ("number", "số hiệu"),
    ("symbol", "ký hiệu"),
    ("doc_type", "loại"),
    ("issuer", "cơ quan"),
    ("parent", "cơ quan chủ quản"),
    ("place", "nơi ban hành"),
    ("issued_date", "ngày"),
    ("title", "trích yếu"),
    ("signer", "người ký"),
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="text and header (number, type, issuer, date, title, signer) of a .docx/.doc/.pdf/.txt file",
        description=(
            "Extract the text of a document file and read its header (Decree 30/2020/NĐ-CP layout). "
            "The format is detected from the content, not from the file name."
        ),
    )
    parser.add_argument("file", help="path of a .txt, .docx, .doc or .pdf file")
    parser.add_argument("--json", action="store_true", help="print one JSON object (header fields, text…)")
    parser.add_argument(
        "--max-mb", type=float, default=20.0, help="refuse files larger than this many MB (default 20)"
    )
    parser.set_defaults(handler=run)


def result_dict(path: Path, max_bytes: int) -> dict[str, Any]:
    """Header fields plus ``text``, ``encoding``, ``format``, ``pages``, ``warnings`` for ``path``."""
    from nlp.extract import ExtractionError, FileTooLarge, extract_file
    from nlp.header import checked_issued_date, parse_header

    try:
        extracted = extract_file(path, max_bytes=max_bytes)
    except FileTooLarge as exc:
        # nlp.extract_errors says decimal megabytes (20 MiB reads "21,0 MB"); --max-mb and the service
        # say binary ones: one message, the service's.
        from service.uploads import too_large_message

        raise CliError(f"{path.name}: {too_large_message(exc.size, exc.limit)}") from None
    except ExtractionError as exc:
        raise CliError(f"{path.name}: {exc.message}") from None
    except FileNotFoundError:
        raise CliError(f"không tìm thấy tệp: {path}") from None
    except IsADirectoryError:
        raise CliError(f"{path} là thư mục, không phải tệp") from None
    except OSError as exc:
        raise CliError(f"không đọc được tệp {path}: {exc.strerror or exc}") from None
    header, date_warning = checked_issued_date(parse_header(extracted.text))  # as an upload files it
    data = header.to_dict()
    data.update(
        text=extracted.text,
        encoding=extracted.encoding,
        format=extracted.format,
        pages=extracted.pages,
        warnings=[*extracted.warnings, *([date_warning] if date_warning else [])],
    )
    return data


def run(args: argparse.Namespace) -> int:
    from nlp.normalize import replace_surrogates

    if args.max_mb <= 0:
        raise CliError("--max-mb must be positive")
    data = result_dict(Path(args.file), int(args.max_mb * 1024 * 1024))
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
        return 0
    detail = data["format"] + (f", {data['encoding']}" if data["encoding"] else "")
    if data["pages"]:
        detail += f", {data['pages']} trang"
    # a file name that is not UTF-8 is readable on disk but not printable as it is
    print(f"tệp:              {replace_surrogates(args.file)} ({detail}, {len(data['text'])} ký tự)")
    for key, label in _LABELS:
        print(f"{label + ':':18s}{data[key] if data[key] is not None else '-'}")
    recipients = data["recipients"]
    print(f"{'nơi nhận:':18s}{'; '.join(recipients) if recipients else '-'}")
    for warning in data["warnings"]:
        print(f"cảnh báo:         {warning}")
    return 0

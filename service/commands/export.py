"""``vanban export``: write the store's documents in the import format (JSONL or CSV) for backups,
moves to another machine and retraining on the labels clerks confirmed."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from service.errors import CliError, disk_reason

if TYPE_CHECKING:  # imported lazily at run time, so that `vanban --help` stays fast
    from corpus.export import ExportReport


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export documents in the import format (JSONL or CSV): backups, moves, retraining",
        description=(
            "Write the documents of --data-dir's store in the format `vanban import` reads, ordered by id, "
            "with label_sources saying where each label came from (source, human, model, header) and "
            "label_details giving each label whole (model version, confidence, author; a field a clerk left "
            "empty on purpose). Importing "
            "the file into an empty data directory and exporting again gives the same file. Without --out, "
            "to stdout; with --out, written atomically. A summary goes to stderr."
        ),
    )
    parser.add_argument("--out", metavar="FILE", help="file to write (default: stdout)")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("jsonl", "csv"),
        help="jsonl (complete, the backup format) or csv (spreadsheets); default: from --out's suffix, else jsonl",
    )
    parser.add_argument(
        "--type",
        dest="doc_type",
        metavar="TYPE",
        help="document type: slug (quyet-dinh), code (QĐ) or name; a,b for several",
    )
    parser.add_argument("--topic", help="field (lĩnh vực): code (y-te), name, or a label the documents hold "
                        "(any case; a label with a comma is one field); a,b for several")
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="issued on or after (2022-07-20, 20/7/2022, 7/2022, 2022)",
    )
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="issued on or before")
    parser.add_argument(
        "--labels",
        choices=("all", "confirmed"),
        default="all",
        help="all: every label; confirmed: labels only a model proposed are left blank (for retraining)",
    )
    parser.set_defaults(handler=run)


def _format(args: argparse.Namespace) -> Literal["jsonl", "csv"]:
    if args.fmt in ("jsonl", "csv"):
        return args.fmt
    return "csv" if args.out and Path(args.out).suffix.lower() == ".csv" else "jsonl"


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.export import export_documents, export_to_file, parse_filters
    from corpus.migrations import DB_FILENAME
    from corpus.search_errors import QueryError
    from corpus.store import Store

    data_dir = Path(args.data_dir)
    if not (data_dir / DB_FILENAME).is_file():
        # Opening would create an empty store: exporting nothing from a mistyped directory is worse than an error.
        raise CliError(f"không có kho văn bản trong {data_dir} (thiếu {DB_FILENAME}); kiểm tra --data-dir", 2)
    out = Path(args.out) if args.out else None
    if out is not None and out.parent.exists() and not out.parent.is_dir():
        raise CliError(f"{out.parent} là một tệp, không phải thư mục: không ghi được {out.name} vào đó", 2)
    if out is not None and not out.parent.is_dir():
        raise CliError(f"không có thư mục {out.parent} để ghi {out.name}", 2)
    if out is not None and out.is_dir():
        raise CliError(f"{out} là một thư mục; hãy cho tên tệp, ví dụ {out / 'sao-luu.jsonl'}", 2)
    fmt = _format(args)
    try:
        with Store.open(data_dir) as store:
            from service.commands.import_ import model_topics

            filters = parse_filters(
                store, doc_type=args.doc_type, topic=args.topic, date_from=args.date_from, date_to=args.date_to,
                own_topics=model_topics(data_dir) if args.topic else (),
            )  # fmt: skip
            labels = args.labels
            if out is not None:
                report = export_to_file(store, out, fmt=fmt, filters=filters, labels=labels)
            else:
                report = _to_stdout(
                    lambda stream: export_documents(store, stream, fmt=fmt, filters=filters, labels=labels)
                )
    except QueryError as exc:
        raise CliError(exc.message, 2) from exc
    except StoreError as exc:
        raise CliError(exc.message) from exc
    except BrokenPipeError:
        raise  # the reader went away (`vanban export | head`): the CLI ends quietly
    except OSError as exc:
        raise CliError(f"không ghi được {out or 'đầu ra'}: {disk_reason(exc)}") from exc
    print(_summary(report, out, args.labels), file=sys.stderr)
    return 0



def _to_stdout(write: Callable[[TextIO], ExportReport]) -> ExportReport:
    """Run ``write(stream)`` on a UTF-8 stream over stdout whatever the terminal's locale, without
    translating line breaks (CSV rows end with CRLF, cells may hold LF)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # stdout replaced by a plain text stream (embedding, some test runners)
        return write(sys.stdout)
    stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    try:
        return write(stream)
    finally:
        with contextlib.suppress(OSError):  # the reader went away; what it did not read is lost anyway
            stream.flush()
        stream.detach()  # stdout's buffer stays open for whoever writes next


def _summary(report: ExportReport, out: Path | None, labels: str) -> str:
    where = str(out) if out is not None else "đầu ra chuẩn (stdout)"
    lines = [f"Đã xuất {report.written} văn bản ({report.format}) ra {where}."]
    if labels == "confirmed":
        lines.append(f"Đã để trống {report.blanked} nhãn chỉ do mô hình đề xuất (--labels confirmed).")
    if report.extras_left_out:
        lines.append(
            f"{report.extras_left_out} văn bản có thông tin phụ (extra) không phải chuỗi, CSV không giữ được; "
            "dùng --format jsonl để sao lưu đầy đủ."
        )
    return "\n".join(lines)

"""``vanban import PATH...``: file JSONL/CSV records and folders of .docx/.doc/.pdf/.txt into the store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from service.errors import CliError

if TYPE_CHECKING:  # imported lazily at run time, so that `vanban --help` stays fast
    from corpus.store import Store
    from service.tagging import TaggingReport


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import documents from JSONL, CSV or folders of .docx/.doc/.pdf/.txt files",
        description=(
            "Import documents into the store of --data-dir. Bad records are reported and skipped; "
            "importing the same input again changes nothing. Exit code 0 when the run completed "
            "(even with reported record errors), non-zero when nothing could be read."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a .jsonl/.csv file or a folder (recursive)")
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON on the last line of stdout"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no human summary")
    parser.add_argument("--actor", default="import", help="name recorded in the audit log (default: import)")
    parser.add_argument(
        "--no-tag",
        action="store_true",
        help="do not propose the missing document type and field with the active model (by default documents "
        "imported without them are tagged as uploads are, doubtful ones queued for review)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from corpus.errors import StoreError
    from corpus.importer import import_paths
    from corpus.store import Store
    from nlp.normalize import has_surrogates, replace_surrogates

    misnamed = [replace_surrogates(p) for p in args.paths if has_surrogates(p)]
    if misnamed:
        # Bytes that are not UTF-8 in a name (a file named under a legacy code page): the name could be
        # neither stored nor shown. Refused before anything is imported, like a missing path.
        raise CliError(
            f"tên không phải UTF-8: {', '.join(misnamed)}; hãy đổi tên tệp/thư mục (gõ lại tên bằng "
            "bộ gõ Unicode) rồi chạy lại (không nhập gì)",
            exit_code=2,
        )
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        # Checked before opening the store: a typo in one path imports nothing, rather than half the input.
        raise CliError(f"không tìm thấy: {', '.join(missing)} (không nhập gì)", exit_code=2)
    try:
        with Store.open(Path(args.data_dir)) as store:
            detach = attach_index(store, Path(args.data_dir))
            try:
                report = import_paths(store, paths, actor=args.actor, progress=not args.quiet,
                                      topics=model_topics(Path(args.data_dir)))
                tagging = (
                    tag_stored(store, Path(args.data_dir), report.stored_ids, args.actor, quiet=args.quiet)
                    if report.stored_ids and not args.no_tag
                    else None
                )
            finally:
                if detach is not None:
                    detach()
    except StoreError as exc:
        raise CliError(exc.message) from exc
    # Error reasons quote the bad values as read; a lone surrogate among them (a broken "\udce9" escape
    # in a JSON line) cannot be written to a UTF-8 terminal or pipe.
    if not args.quiet:
        # With --json the summary goes to stderr so that stdout stays machine-readable.
        print(replace_surrogates(report.summary()), file=sys.stderr if args.json else sys.stdout)
        if tagging is not None:
            print(tagging.summary(), file=sys.stderr if args.json else sys.stdout)
    if args.json:
        result = report.to_dict()
        if tagging is not None:
            result["tagging"] = tagging.to_dict()
        print(replace_surrogates(json.dumps(result, ensure_ascii=False)))
    return 0 if report.read > 0 else 1


def model_topics(data_dir: Path) -> tuple[str, ...]:
    """The fields (lĩnh vực) of the active model: a researcher's own taxonomy is accepted on import as its
    model proposes it ("Hải quan", "Cấp, quản lý căn cước"), besides the built-in codes and names."""
    from models.registry import Registry

    return Registry.open(data_dir).active_labels("topic")


def tag_stored(
    store: Store, data_dir: Path, ids: list[str], actor: str, *, refresh: bool = False, quiet: bool = False
) -> TaggingReport:
    """Propose the missing type and field of the documents ``ids`` (see :mod:`service.tagging`), saying on
    stderr how far it got unless ``quiet``."""
    from pydantic import ValidationError

    from service.settings import Settings
    from service.tagging import tag_documents

    try:  # the service's review threshold (VANBAN_REVIEW_THRESHOLD), so import and upload queue alike
        threshold = Settings(data_dir=data_dir).review_threshold
    except ValidationError:  # another setting is wrong: the service will say so; tagging needs only this one
        threshold = Settings.model_fields["review_threshold"].default
    return tag_documents(store, data_dir, ids, threshold=threshold, actor=actor, refresh=refresh,
                         progress=None if quiet else _tagging_progress)  # fmt: skip


def _tagging_progress(done: int, of: int) -> None:
    print(f"gắn nhãn: {done}/{of} văn bản", file=sys.stderr, flush=True)


def attach_index(store: Store, data_dir: Path) -> Callable[[], None] | None:
    """Keep the search index in step with the store while importing, so imports are searchable at once.

    The store stays the system of record: when the index cannot be opened (e.g. built by another analyser
    version), the import still goes ahead and the message says how to rebuild.
    """
    from corpus.index import SearchIndex
    from corpus.search_errors import SearchError

    try:
        return SearchIndex.for_store(store, data_dir).attach(store, background=True)
    except SearchError as exc:
        print(f"vanban import: {exc.message}", file=sys.stderr)
        return None

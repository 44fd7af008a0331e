"""Exporting the store in the import format (corpus.export), on the demo corpus of Sông Mây."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from corpus.demo import demo_corpus_path
from corpus.document import LabelSource
from corpus.export import ExportFilters, export_documents, export_to_file, parse_filters
from corpus.importer import import_paths
from corpus.search_errors import QueryError
from corpus.store import Store

# A clerk's correction with what CSV must quote: a comma, a semicolon and double quotes (line breaks are
# in every text).
CORRECTED_TITLE = 'Về việc điều chỉnh "Kế hoạch" tiếp công dân; năm 2023, đợt 2'


def _demo_rows() -> list[dict]:
    lines = demo_corpus_path().read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def labelled_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus imported, then labelled as the service would: a model's proposal (demo-001 topic),
    a clerk's correction of a type (demo-002) and of a title (demo-003), a model's proposal a clerk then
    confirmed (demo-004). Built once; tests copy it."""
    data = tmp_path_factory.mktemp("export-seed")
    with Store.open(data) as store:
        report = import_paths(store, [demo_corpus_path()], progress=False)
        assert report.inserted == 90 and not report.errors
        store.set_label("demo-001", "topic", "dat-dai", source=LabelSource.MODEL, actor="model",
                        model_version="v1", confidence=0.62)  # fmt: skip
        store.set_label("demo-002", "doc_type", "ke-hoach", source=LabelSource.HUMAN, actor="chi.vanthu")
        store.set_label("demo-003", "title", CORRECTED_TITLE, source=LabelSource.HUMAN, actor="chi.vanthu")
        store.set_label("demo-004", "topic", "y-te", source=LabelSource.MODEL, actor="model")
        store.set_label("demo-004", "topic", "y-te", source=LabelSource.HUMAN, actor="chi.vanthu")
    return data


@pytest.fixture
def store(labelled_seed: Path, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "data"
    shutil.copytree(labelled_seed, target)
    with Store.open(target) as opened:
        yield opened


def _export(store: Store, **options: Any) -> str:
    out = io.StringIO(newline="")
    export_documents(store, out, **options)
    return out.getvalue()


def _records(text: str) -> dict[str, dict]:
    return {r["id"]: r for r in (json.loads(line) for line in text.splitlines())}


def _round_trip(first: str, suffix: str, tmp_path: Path) -> str:
    """Import ``first`` into an empty data directory and export it again in the same format."""
    path = tmp_path / f"backup{suffix}"
    path.write_text(first, encoding="utf-8", newline="")
    with Store.open(tmp_path / "empty") as fresh:
        report = import_paths(fresh, [path], progress=False)
        assert report.errors == [] and report.inserted == 90
        return _export(fresh, fmt=suffix[1:])


def test_jsonl_round_trip_gives_identical_output(store: Store, tmp_path: Path) -> None:
    first = _export(store)
    assert _round_trip(first, ".jsonl", tmp_path) == first
    records = _records(first)
    assert list(records) == sorted(records) and len(records) == 90
    assert records["demo-001"]["label_sources"] == {"doc_type": "source", "topic": "model"}
    assert records["demo-002"]["label_sources"] == {"doc_type": "human", "topic": "source"}
    assert records["demo-003"]["label_sources"]["title"] == "human"
    assert records["demo-003"]["title"] == CORRECTED_TITLE
    assert records["demo-004"]["label_sources"]["topic"] == "human"
    # The import format's fields, not the store's own timestamps; the provenance is not also in extra.
    assert "created_at" not in records["demo-001"] and "label_sources" not in records["demo-001"]["extra"]
    assert records["demo-001"]["issuer"] == "Ủy ban nhân dân tỉnh Sông Mây"


def test_csv_round_trip_gives_identical_output_and_quotes_line_breaks(store: Store, tmp_path: Path) -> None:
    first = _export(store, fmt="csv")
    assert _round_trip(first, ".csv", tmp_path) == first
    assert first.startswith("\ufeffid,number,")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(first.lstrip("\ufeff"), newline=""))}
    assert len(rows) == 90
    assert rows["demo-003"]["title"] == CORRECTED_TITLE
    assert rows["demo-001"]["text"].startswith("ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nCỘNG HÒA XÃ HỘI")
    assert json.loads(rows["demo-001"]["label_sources"]) == {"doc_type": "source", "topic": "model"}
    jsonl = _records(_export(store))
    assert rows["demo-001"]["recipients"] == "; ".join(jsonl["demo-001"]["recipients"])


def test_confirmed_blanks_what_only_a_model_proposed(store: Store, tmp_path: Path) -> None:
    everything = _records(_export(store))
    confirmed_text = _export(store, labels="confirmed")
    confirmed = _records(confirmed_text)
    assert everything["demo-001"]["topic"] == "dat-dai"
    assert confirmed["demo-001"]["topic"] is None
    assert confirmed["demo-001"]["label_sources"] == {"doc_type": "source"}
    # Confirmed by a clerk after the model proposed it: kept.
    assert confirmed["demo-004"]["topic"] == "y-te"
    assert [i for i in everything if everything[i] != confirmed[i]] == ["demo-001"]
    assert _round_trip(confirmed_text, ".jsonl", tmp_path) == confirmed_text


def test_provenance_survives_the_import_and_a_later_correction_replaces_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "backup.jsonl"
    path.write_text(_export(store), encoding="utf-8")
    with Store.open(tmp_path / "moved") as moved:
        import_paths(moved, [path], progress=False)
        assert _records(_export(moved, labels="confirmed"))["demo-001"]["topic"] is None
        moved.set_label("demo-001", "topic", "dat-dai", source=LabelSource.HUMAN, actor="chi.vanthu")
        record = _records(_export(moved, labels="confirmed"))["demo-001"]
    assert record["topic"] == "dat-dai" and record["label_sources"]["topic"] == "human"


def test_reading_in_small_batches_gives_the_same_output(store: Store) -> None:
    assert _export(store, batch_size=7) == _export(store)
    assert _export(store, fmt="csv", batch_size=7) == _export(store, fmt="csv")


def test_filters_accept_what_a_clerk_types(store: Store) -> None:
    rows = _demo_rows()
    filters = parse_filters(store, doc_type="QĐ, kế hoạch", topic="y tế", date_from="01/01/2024", date_to="2024-12-31")
    assert filters == ExportFilters(
        frozenset({"quyet-dinh", "ke-hoach"}), frozenset({"y-te"}), date(2024, 1, 1), date(2024, 12, 31)
    )
    expected = [
        r["id"] for r in rows
        if r["doc_type"] in ("quyet-dinh", "ke-hoach") and r["topic"] == "y-te" and r["issued_date"][:4] == "2024"
    ]  # fmt: skip
    assert expected and list(_records(_export(store, filters=filters))) == expected
    by_year = parse_filters(store, date_from="2025", date_to="2025")
    assert len(_records(_export(store, filters=by_year))) == sum(r["issued_date"][:4] == "2025" for r in rows)


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"doc_type": "quyết định hành chính"}, "doc_type", "Loại văn bản"),
        ({"topic": "thời tiết"}, "topic", "Lĩnh vực"),
        ({"date_from": "31/02/2024"}, "date_from", "không hợp lệ"),
        ({"date_from": "2025", "date_to": "2024"}, "date_from", "Khoảng ngày không hợp lệ"),
    ],
)
def test_bad_filter_values_are_refused_in_vietnamese(store: Store, values: dict, field: str, words: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_filters(store, **values)
    assert caught.value.field == field and words in caught.value.message


def test_a_slug_outside_the_tables_is_accepted_when_a_document_has_it(store: Store) -> None:
    store.set_label("demo-005", "topic", "moi-truong-bien", source=LabelSource.HUMAN, actor="chi.vanthu")
    filters = parse_filters(store, topic="moi-truong-bien")
    assert list(_records(_export(store, filters=filters))) == ["demo-005"]


def test_file_export_is_atomic(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "sao-luu.jsonl"
    target.write_text("bản sao lưu cũ\n", encoding="utf-8")
    real = store.iter_documents

    def failing(batch_size: int = 500) -> Iterator:
        for n, doc in enumerate(real(batch_size)):
            if n == 40:
                raise OSError("đĩa đầy")
            yield doc

    monkeypatch.setattr(store, "iter_documents", failing)
    with pytest.raises(OSError):
        export_to_file(store, target)
    assert target.read_text(encoding="utf-8") == "bản sao lưu cũ\n"
    assert [p.name for p in target.parent.iterdir()] == ["sao-luu.jsonl"]
    monkeypatch.undo()
    report = export_to_file(store, target, fmt="csv")
    assert report.written == 90 and report.format == "csv"
    assert target.read_bytes().startswith("\ufeffid,".encode())


def test_csv_cells_a_spreadsheet_would_run_are_guarded_and_read_back_as_they_were(store: Store, tmp_path: Path) -> None:
    # QA: `vanban export --format csv` wrote "=HYPERLINK(…)" raw, while the search page's list guarded it
    store.set_label("demo-005", "title", '=HYPERLINK("http://x.example","Bấm vào đây")', source=LabelSource.HUMAN,
                    actor="chi.vanthu")  # fmt: skip
    store.set_label("demo-006", "signer", "@Nguyễn Văn A", source=LabelSource.HUMAN, actor="chi.vanthu")
    first = _export(store, fmt="csv")
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(first.lstrip("\ufeff"), newline=""))}
    assert rows["demo-005"]["title"] == '\'=HYPERLINK("http://x.example","Bấm vào đây")'
    assert rows["demo-006"]["signer"] == "'@Nguyễn Văn A"
    assert _round_trip(first, ".csv", tmp_path) == first  # imported again: the values, not the guards
    with Store.open(tmp_path / "empty") as fresh:
        assert fresh.get("demo-005").title == '=HYPERLINK("http://x.example","Bấm vào đây")'
        assert fresh.get("demo-006").signer == "@Nguyễn Văn A"


def test_an_extra_column_with_nulls_in_some_records_is_written_empty_there(store: Store, tmp_path: Path) -> None:
    # QA: extra "number_hint" was a string in one record and null in another: the CSV export crashed
    from corpus.document import Document

    store.upsert(Document(id="vd-hint-1", title="Kế hoạch kiểm tra an toàn hóa chất", extra={"number_hint": "=12"}),
                 actor="import")  # fmt: skip
    store.upsert(Document(id="vd-hint-2", title="Kế hoạch kiểm tra vật liệu nổ", extra={"number_hint": None}),
                 actor="import")  # fmt: skip
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(_export(store, fmt="csv").lstrip("\ufeff"), newline=""))}
    assert (rows["vd-hint-1"]["number_hint"], rows["vd-hint-2"]["number_hint"]) == ("'=12", "")


def test_a_recipient_holding_the_separator_comes_back_whole(store: Store, tmp_path: Path) -> None:
    # QA: "Website Chính phủ; Website Bộ Công Thương", one line of a list, came back as two recipients
    recipients = ["Như Điều 3", "Website Chính phủ; Website Bộ Công Thương", "Lưu: VT"]
    store.set_label("demo-007", "recipients", recipients, source=LabelSource.HUMAN, actor="chi.vanthu")
    first = _export(store, fmt="csv")
    assert _round_trip(first, ".csv", tmp_path) == first
    with Store.open(tmp_path / "empty") as fresh:
        assert list(fresh.get("demo-007").recipients) == recipients

"""The researcher's flows after the QA pass: train --activate goes through activation's checks, corpora in
other encodings get messages instead of tracebacks, rollback never skips a deleted version, held-out files
are never overwritten — all on real Bình Dương records."""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from models.data import file_sha256, load_corpus
from models.registry import MODEL_FILE, Registry
from service.commands import evaluate, models_cmd
from service.commands import train as train_cmd
from service.errors import CliError
from tests import run_commands
from tests.models.test_training import small_corpus, trained  # noqa: F401  (session fixtures)


def _run(data_dir: Path, *argv: str) -> int:
    return run_commands((train_cmd, evaluate, models_cmd), data_dir, *argv)


def _rows(corpus: Path) -> list[dict]:
    return [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def data_dir(trained: tuple[Path, str], tmp_path: Path) -> Path:  # noqa: F811
    """A writable copy of the trained data directory (topic + doc_type active)."""
    target = tmp_path / "data"
    shutil.copytree(trained[0], target)
    return target


@pytest.fixture(scope="module")
def one_type_corpus(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """The slice's documents of its most common type only: a doc_type model cannot be trained on it."""
    rows = _rows(small_corpus)
    common = Counter(r["doc_type"] for r in rows).most_common(1)[0][0]
    return _write(tmp_path_factory.mktemp("one-type") / "mot-loai.jsonl", [r for r in rows if r["doc_type"] == common])


# -- 1. train --activate ------------------------------------------------------------------------------------


def test_train_activate_refuses_to_drop_the_active_doc_type_model(data_dir, trained, one_type_corpus, capsys) -> None:  # noqa: F811
    registry = Registry.open(data_dir)
    before = {v.version for v in registry.versions()}
    with pytest.raises(CliError) as refused:
        _run(data_dir, "train", "--corpus", str(one_type_corpus), "--cv", "0", "--activate")
    (new,) = {v.version for v in registry.versions()} - before
    assert registry.active_version() == trained[1]  # nothing switched
    assert (registry.root / new / MODEL_FILE).is_file()  # the trained version is kept
    message = str(refused.value)
    assert "KHÔNG kích hoạt" in message and new in message and "loại văn bản" in message
    assert "--allow-partial" in message and f"vanban models activate {new}" in message
    assert capsys.readouterr().out.strip() == new


def test_train_activate_allow_partial_gives_the_activation_warnings(data_dir, trained, one_type_corpus, capsys) -> None:  # noqa: F811
    assert _run(data_dir, "train", "--corpus", str(one_type_corpus), "--cv", "0", "--activate", "--allow-partial",
                "--json") == 0  # fmt: skip
    captured = capsys.readouterr()
    result = json.loads(captured.out.strip().splitlines()[-1])
    registry = Registry.open(data_dir)
    assert result["activated"] is True and registry.active_version() == result["version"]
    # The warning `vanban models activate` gives, word for word, in --json and on screen.
    (warning,) = result["warnings"]
    assert warning.startswith("Cảnh báo: phiên bản này không có mô hình loại văn bản")
    assert warning in captured.err
    last = registry.switches(1)[0]
    assert last["version"] == result["version"] and last["previous"] == trained[1]


# -- 2. encodings -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def encoded(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # noqa: F811
    """The slice's first 60 records saved as UTF-16, as Windows-1258, and as UTF-8 with a BOM and CRLF."""
    out = tmp_path_factory.mktemp("encoded")
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _rows(small_corpus)[:60])
    paths = {name: out / f"{name}.jsonl" for name in ("utf16", "cp1258", "bom_crlf")}
    paths["utf16"].write_bytes(text.encode("utf-16"))
    # Windows-1258 spells Vietnamese with combining tones: decomposed first, as a Windows editor saves it.
    paths["cp1258"].write_bytes(unicodedata.normalize("NFD", text).encode("cp1258", errors="replace"))
    paths["bom_crlf"].write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    return paths


def test_a_bom_and_crlf_corpus_is_read_like_import_reads_it(encoded, trained, capsys) -> None:  # noqa: F811
    corpus = load_corpus(encoded["bom_crlf"])
    assert len(corpus.docs) == 60 and corpus.docs[0].id and "\r" not in (corpus.docs[0].title or "")
    assert _run(trained[0], "evaluate", "--corpus", str(encoded["bom_crlf"]), "--json") == 0
    assert json.loads(capsys.readouterr().out)["topic"]["n"] == 60


@pytest.mark.parametrize(("name", "said"), [("utf16", "UTF-16"), ("cp1258", "Windows-1258")])
def test_a_wrongly_encoded_corpus_is_refused_with_its_name(encoded, trained, tmp_path, name, said) -> None:  # noqa: F811
    path = str(encoded[name])
    for data_dir, argv in ((trained[0], ("evaluate", "--corpus", path)),
                           (tmp_path / "data", ("train", "--corpus", path, "--cv", "0", "--task", "topic"))):
        with pytest.raises(CliError) as refused:
            _run(data_dir, *argv)
        message = str(refused.value)
        assert path in message and said in message and "UTF-8" in message
    data_dir = tmp_path / "cmp"  # compare needs two versions
    shutil.copytree(trained[0], data_dir)
    registry = Registry.open(data_dir)
    manifest, pipelines = registry.load_pipelines(trained[1])
    other = registry.save(pipelines, {"tasks": manifest["tasks"], "corpus": manifest["corpus"]})
    with pytest.raises(CliError) as refused:
        _run(data_dir, "models", "compare", other, "--corpus", path)
    assert path in str(refused.value) and said in str(refused.value)


# -- 3. rollback --------------------------------------------------------------------------------------------


def _history_a_b_c(data_dir: Path, first: str) -> tuple[Registry, str, str]:
    """Two more versions (the same pipelines saved again), activated after ``first``: history A → B → C."""
    registry = Registry.open(data_dir)
    manifest, pipelines = registry.load_pipelines(first)
    b = registry.save(pipelines, {"tasks": manifest["tasks"], "corpus": manifest["corpus"], "description": "B"})
    c = registry.save(pipelines, {"tasks": manifest["tasks"], "corpus": manifest["corpus"], "description": "C"})
    registry.activate(b)
    registry.activate(c)
    return registry, b, c


def test_rollback_refuses_when_the_previous_version_was_deleted(data_dir, trained) -> None:  # noqa: F811
    registry, b, c = _history_a_b_c(data_dir, trained[1])
    shutil.rmtree(registry.root / b)
    with pytest.raises(CliError) as refused:
        _run(data_dir, "models", "rollback")
    message = str(refused.value)
    assert b in message and "vanban models activate" in message and trained[1] not in message
    assert registry.active_version() == c  # nothing switched


def test_rollback_names_a_damaged_previous_version(data_dir, trained) -> None:  # noqa: F811
    registry, b, c = _history_a_b_c(data_dir, trained[1])
    (registry.root / b / MODEL_FILE).write_bytes(b"hong")
    with pytest.raises(CliError) as refused:
        _run(data_dir, "models", "rollback")
    assert b in str(refused.value) and MODEL_FILE in str(refused.value)
    assert registry.active_version() == c


def test_cli_switches_record_what_the_pointer_named_before(data_dir, trained, capsys) -> None:  # noqa: F811
    registry, b, c = _history_a_b_c(data_dir, trained[1])
    assert _run(data_dir, "models", "rollback", "--json") == 0
    assert json.loads(capsys.readouterr().out)["active"] == b
    assert _run(data_dir, "models", "activate", c) == 0
    assert [(s["action"], s["version"], s["previous"]) for s in registry.switches(2)] == [
        ("activate", c, b), ("rollback", b, c)]  # fmt: skip


# -- 4. held-out files --------------------------------------------------------------------------------------


def test_held_out_files_are_never_overwritten(data_dir, small_corpus, tmp_path, monkeypatch, capsys) -> None:  # noqa: F811
    monkeypatch.chdir(tmp_path)  # a relative --corpus must be recorded absolute, not relative to here
    shutil.copy(small_corpus, tmp_path / "bd.jsonl")
    heldout = data_dir / "heldout"
    assert _run(data_dir, "train", "--corpus", "bd.jsonl", "--holdout", "0.2", "--cv", "0", "--task", "topic",
                "--json") == 0  # fmt: skip
    first = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    (split,) = first["holdout"]
    held = Path(split["heldout"])
    assert held.is_absolute() and held.parent == heldout.resolve() and held.name.startswith("bd.")
    before = {p.name: file_sha256(p) for p in heldout.iterdir()}
    # A failed run writes nothing; a run with another fraction writes files of its own.
    with pytest.raises(CliError):
        _run(data_dir, "train", "--corpus", "bd.jsonl", "--holdout", "0.99", "--cv", "0", "--task", "topic")
    assert {p.name: file_sha256(p) for p in heldout.iterdir()} == before
    assert _run(data_dir, "train", "--corpus", "bd.jsonl", "--holdout", "0.3", "--cv", "0", "--task", "topic") == 0
    capsys.readouterr()
    after = {p.name: file_sha256(p) for p in heldout.iterdir()}
    assert len(after) == 4 and all(after[name] == digest for name, digest in before.items())
    # The first version's manifest still names the file it was trained on, unchanged.
    manifest = Registry.open(data_dir).get(first["version"]).manifest
    (entry,) = manifest["corpus"]["files"]
    assert entry["path"] == split["train"] and file_sha256(Path(entry["path"])) == entry["sha256"]
    # …and its held-out file is evaluated as documented.
    assert _run(data_dir, "evaluate", "--model", first["version"], "--corpus", str(held), "--json") == 0
    assert json.loads(capsys.readouterr().out)["topic"]["n"] == len(_rows(held))


# -- 7. small things a researcher reads -----------------------------------------------------------------------


def test_a_label_in_two_unicode_forms_is_listed_once(small_corpus, tmp_path, caplog) -> None:  # noqa: F811
    rows = _rows(small_corpus)[:40]
    for i, row in enumerate(rows):
        name = "Giáo dục" if i % 2 else "Y tế"
        row["topic"] = unicodedata.normalize("NFD" if i % 4 < 2 else "NFC", name)
    with caplog.at_level("WARNING", logger="vanban.models.data"):
        corpus = load_corpus(_write(tmp_path / "hai-dang.jsonl", rows))
    assert {d.topic for d in corpus.docs} == {"giao-duc", "y-te"}
    (said,) = [r.getMessage() for r in caplog.records if "đổi" in r.getMessage()]
    assert "đổi 2 nhãn" in said and said.count("“Giáo dục”") == 1 and said.count("“Y tế”") == 1


def test_training_without_cross_validation_says_the_threshold_is_the_default(data_dir, small_corpus, capsys) -> None:  # noqa: F811
    assert _run(data_dir, "train", "--corpus", str(small_corpus), "--cv", "0", "--task", "topic") == 0
    captured = capsys.readouterr()
    version = captured.out.splitlines()[0]
    spec = Registry.open(data_dir).get(version).manifest["tasks"]["topic"]
    assert spec["abstain_threshold"] == 0.5 and spec["abstain_threshold_source"] == "default (no cross-validation)"
    assert "review threshold 0.5 is the default" in captured.out and "review threshold" in captured.err


# -- round 11 QA (researcher): the default data, --param, evaluation overlap and provenance ------------------


def test_a_mistyped_shared_data_variable_trains_nothing(tmp_path, monkeypatch) -> None:
    wrong = tmp_path / "shared" / "dta"
    monkeypatch.setenv("VANBAN_SHARED_DATA", str(wrong))
    with pytest.raises(CliError) as refused:
        _run(tmp_path / "data", "train", "--activate", "--json")
    assert refused.value.exit_code == 2
    message = str(refused.value)
    assert str(wrong) in message and "admin/binhduong.jsonl" in message and "Chưa huấn luyện gì" in message
    assert not Registry.open(tmp_path / "data").versions()


def test_the_variable_naming_the_default_location_is_not_a_choice(monkeypatch) -> None:
    """``make train`` sets VANBAN_SHARED_DATA=../shared/data on every machine: on a fresh one that must still
    fall back to the demo corpus, not be refused as a typo."""
    default, chosen = train_cmd.shared_data_root()
    monkeypatch.delenv("VANBAN_SHARED_DATA", raising=False)
    assert train_cmd.shared_data_root() == (default, False)
    monkeypatch.setenv("VANBAN_SHARED_DATA", str(default) + "/")
    assert train_cmd.shared_data_root()[1] is False


def test_the_demo_fallback_is_a_warning_of_the_result(tmp_path, monkeypatch, capsys) -> None:
    from corpus.demo import demo_corpus_path

    monkeypatch.setattr(train_cmd, "shared_data_root", lambda: (tmp_path / "khong-co", False))
    paths, notices = train_cmd.default_corpora()
    assert paths == [demo_corpus_path()] and len(notices) == 1 and "dữ liệu mẫu (demo)" in notices[0]
    assert _run(tmp_path / "data", "train", "--task", "doc_type", "--cv", "0", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["warnings"] == notices


def test_train_help_gives_the_order_the_code_follows_and_the_parameter_names(capsys) -> None:
    from models.pipeline import DEFAULT_PARAMS

    with pytest.raises(SystemExit):
        _run(Path("."), "train", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert text.index("$VANBAN_SHARED_DATA when it is set") < text.index("../shared/data beside") < text.index("demo")
    names = sorted({name for params in DEFAULT_PARAMS.values() for name in params}, key=str.lower)
    assert train_cmd.PARAM_NAMES.split(", ") == names and train_cmd.PARAM_NAMES in text


@pytest.mark.parametrize(("param", "said"), [("topic.C=abc", "cần một số dương"), ("topic.C=-1", "cần một số dương"),
                                             ("doc_type.min_df=0", "từ 1 trở lên"),
                                             ("topic.word_ngrams=[3,1]", "1 ≤ nhỏ nhất ≤ lớn nhất"),
                                             ("topic.class_weight=\"can-bang\"", "balanced"),
                                             ("topic.Cc=1", "không có tham số này"),
                                             ("foo.C=1", "TÁC_VỤ là topic hoặc doc_type"),
                                             ("C=1", "TÁC_VỤ.THAM_SỐ=GIÁ_TRỊ"), ("topic.=1", "ví dụ topic.C=0.5")])  # fmt: skip
def test_param_values_are_checked_before_any_work(small_corpus, tmp_path, capsys, param, said) -> None:  # noqa: F811
    with pytest.raises(CliError) as refused:
        _run(tmp_path / "data", "train", "--corpus", str(small_corpus), "--param", param)
    assert refused.value.exit_code == 2 and said in str(refused.value) and param.split("=")[0] in str(refused.value)
    assert "analysing" not in capsys.readouterr().err  # refused before the texts were analysed


def test_train_docs_checks_params_before_analysing(small_corpus, tmp_path) -> None:  # noqa: F811
    from models.errors import TrainingDataError
    from models.train import train_docs

    said: list[str] = []
    with pytest.raises(TrainingDataError, match="topic.C"):
        train_docs(load_corpus(small_corpus).docs, Registry.open(tmp_path), params={"topic": {"C": 0}},
                   progress=said.append)  # fmt: skip
    assert said == []


def test_cross_validation_records_each_folds_scores(trained) -> None:  # noqa: F811
    cv = Registry.open(trained[0]).get(trained[1]).manifest["tasks"]["topic"]["cv_metrics"]
    scores = cv["fold_scores"]
    assert len(scores["macro_f1"]) == len(scores["accuracy"]) == cv["folds"] == 2
    assert all(0.0 <= v <= 1.0 for v in scores["macro_f1"])


def _eight(small_corpus: Path, tmp_path: Path) -> Path:  # noqa: F811
    return _write(tmp_path / "tam.jsonl", _rows(small_corpus)[:8])


def test_overlap_names_the_repeated_documents_with_advice_that_fits(trained, small_corpus, tmp_path) -> None:  # noqa: F811
    from models.data import fingerprint
    from models.evaluate import evaluate

    classifier = Registry.open(trained[0]).load(trained[1])
    docs = load_corpus(_eight(small_corpus, tmp_path)).docs
    repeated = evaluate(classifier, docs, training={fingerprint(d.title, d.text) for d in docs[:2]})
    topic = repeated.summary()["topic"]
    assert topic["overlap"] == {"n": 2, "of": 8} and topic["overlap_ids"] == [docs[0].id, docs[1].id]
    (warning,) = [w for w in topic["warnings"] if "in the training data" in w]
    assert "near-duplicates across the split" in warning and docs[0].id in warning and "leave these ids" in warning
    assert "train with --holdout" not in warning  # what the researcher had done
    seen = evaluate(classifier, docs, training={fingerprint(d.title, d.text) for d in docs})
    assert "train with --holdout" in seen.overlap.warning()


def test_evaluate_and_compare_reports_record_the_corpus_files(trained, small_corpus, tmp_path, monkeypatch) -> None:  # noqa: F811
    from models.compare import compare_evaluations
    from models.data import load_corpora
    from models.evaluate import corpus_files, evaluate

    corpus = _eight(small_corpus, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _run(trained[0], "evaluate", "--corpus", corpus.name, "--report", "bao-cao") == 0
    saved = json.loads((tmp_path / "bao-cao" / "metrics.json").read_text(encoding="utf-8"))
    (entry,) = saved["corpus"]["files"]
    assert entry["path"] == str(corpus.resolve()) and entry["sha256"] == file_sha256(corpus) and entry["documents"] == 8
    assert "topic" in saved and entry["sha256"] in (tmp_path / "bao-cao" / "report.md").read_text(encoding="utf-8")
    classifier = Registry.open(trained[0]).load(trained[1])
    corpora = load_corpora([corpus.name])
    evaluation = evaluate(classifier, [d for c in corpora for d in c.docs])
    compared = compare_evaluations(evaluation, evaluation, files=corpus_files(corpora)).to_dict()
    assert compared["corpus"]["files"][0] == entry | {"name": "tam"}


def test_models_compare_records_absolute_paths_and_checksums(
    data_dir, trained, small_corpus, tmp_path, monkeypatch, capsys  # noqa: F811
) -> None:
    assert _run(data_dir, "train", "--corpus", str(small_corpus), "--cv", "0") == 0
    new = capsys.readouterr().out.splitlines()[0]
    corpus = _eight(small_corpus, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert _run(data_dir, "models", "compare", new, "--baseline", trained[1], "--corpus", corpus.name, "--json",
                "--report", "so-sanh") == 0  # fmt: skip
    said = json.loads(capsys.readouterr().out)["corpus"]
    assert said["paths"] == [str(corpus.resolve())]
    assert said["files"] == [{"name": "tam", "path": str(corpus.resolve()), "sha256": file_sha256(corpus), "documents": 8}]
    assert file_sha256(corpus) in (tmp_path / "so-sanh" / "report.md").read_text(encoding="utf-8")

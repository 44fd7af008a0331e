"""Regression tests of the QA pass on the models package, on the repository's own demo corpus (no shared data).

Two small models are trained once per session without cross-validation (a few seconds): both tasks, and a
topic-only version in the same registry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from models.data import LabelledDoc, fingerprint, fingerprints, load_corpora, load_corpus
from models.errors import IncompatibleModel, TrainingDataError
from models.evaluate import evaluate
from models.registry import FINGERPRINTS_FILE, MANIFEST, MODEL_FILE, Registry, missing_task_warnings
from models.train import check_cv, check_taxonomy, likely_code, train_docs

DEMO = Path(__file__).resolve().parents[2] / "corpus" / "demo" / "documents.jsonl"


@pytest.fixture(scope="session")
def demo_docs() -> list[LabelledDoc]:
    return list(load_corpus(DEMO).docs)


@pytest.fixture(scope="session")
def demo_models(demo_docs: list[LabelledDoc], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(data dir, version of both tasks — active, topic-only version). Never written by a test: copy it."""
    data_dir = tmp_path_factory.mktemp("qa-models")
    registry = Registry.open(data_dir)
    both = train_docs(demo_docs, registry, cv=0, activate=True, n_jobs=1).version
    topic = train_docs(demo_docs, registry, tasks=("topic",), cv=0, n_jobs=1).version
    return data_dir, both, topic


def _copy(demo_models: tuple[Path, str, str], tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo_models[0], target)
    return target


# -- 1. a version without a task ----------------------------------------------------------------------------


def test_missing_task_warnings_name_the_task() -> None:
    assert missing_task_warnings(("topic", "doc_type")) == []
    (warning,) = missing_task_warnings(("topic",))
    assert "không có mô hình loại văn bản" in warning and "số ký hiệu" in warning
    assert "lĩnh vực" in missing_task_warnings(("doc_type",))[0]


def test_topic_only_version_marks_review_unless_the_number_decides(demo_models: tuple[Path, str, str]) -> None:
    clf = Registry.open(demo_models[0]).load(demo_models[2])
    assert clf.tasks == ("topic",)
    result = clf.classify(title="Về việc giao đất cho Ủy ban nhân dân huyện để xây dựng trường học")
    assert result.doc_type is None
    assert result.needs_review is True
    assert any("không có mô hình loại văn bản" in r for r in result.review_reasons)
    coded = clf.classify(title="Về việc giao đất cho Ủy ban nhân dân huyện", number="12/QĐ-UBND")
    assert coded.doc_type is not None and coded.doc_type.label == "quyet-dinh"
    assert not any("loại văn bản" in r for r in coded.review_reasons)


def test_a_single_topic_label_is_named_as_the_reason_it_is_skipped(demo_docs: list[LabelledDoc],
                                                                   tmp_path: Path) -> None:
    one_topic = [replace(d, topic="dat-dai") for d in demo_docs]
    said: list[str] = []
    result = train_docs(one_topic, Registry.open(tmp_path), cv=0, n_jobs=1, progress=said.append)
    assert set(result.manifest["tasks"]) == {"doc_type"}
    assert any("topic: skipped, only one topic label" in m and "dat-dai" in m for m in said), said
    with pytest.raises(TrainingDataError, match="cùng một nhãn “dat-dai”"):
        train_docs(one_topic, Registry.open(tmp_path), tasks=("topic",), cv=0, n_jobs=1)


# -- 2. training fingerprints and the overlap of an evaluation ----------------------------------------------


def test_fingerprint_survives_a_re_export() -> None:
    title = "Về việc cho thuê đất tại phường Phú Hòa"
    text = "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nQUYẾT ĐỊNH\nVề việc cho thuê đất"
    again = unicodedata.normalize("NFD", title.upper()) + "  ", text.replace("\n", "\r\n  ")
    assert fingerprint(title, text) == fingerprint(*again)
    assert fingerprint(title, text) != fingerprint(title, text + " khác")
    docs = [LabelledDoc("a", title, text), LabelledDoc("b", title, text), LabelledDoc("x", "y", auxiliary=True)]
    assert fingerprints(docs) == [fingerprint(title, text)]


def test_versions_record_training_fingerprints_and_evaluate_reports_overlap(
    demo_models: tuple[Path, str, str], demo_docs: list[LabelledDoc], tmp_path: Path
) -> None:
    data_dir = _copy(demo_models, tmp_path)
    registry = Registry.open(data_dir)
    version = demo_models[1]
    manifest = registry.get(version).manifest
    assert FINGERPRINTS_FILE in manifest["files"]
    seen = registry.training_fingerprints(version)
    assert seen is not None and len(seen) == len(demo_docs) and seen == sorted(seen)
    clf = registry.load(version)

    overlapping = evaluate(clf, demo_docs[:10], training=seen)
    assert overlapping.overlap.to_dict() == {"n": 10, "of": 10}
    assert overlapping.summary()["topic"]["overlap"] == {"n": 10, "of": 10}
    fresh = [LabelledDoc("n1", "Về việc tăng cường phòng chống dịch sốt xuất huyết tại xã Tân Định", topic="y-te"),
             LabelledDoc("n2", "Về việc thu hồi đất của hộ gia đình ông Nguyễn Văn Bình", topic="dat-dai")]
    assert evaluate(clf, fresh, training=seen).summary()["topic"]["overlap"] == {"n": 0, "of": 2}

    # A version saved before fingerprints were recorded: overlap unknown, not zero.
    (registry.root / version / FINGERPRINTS_FILE).unlink()
    assert registry.training_fingerprints(version) is None
    unknown = evaluate(clf, demo_docs[:3], training=registry.training_fingerprints(version))
    assert unknown.summary()["topic"]["overlap"] == {"n": None, "of": 3}


# -- 3. labels outside the taxonomy ------------------------------------------------------------------------


def test_label_variants_of_known_codes_are_refused_with_the_likely_code(demo_docs: list[LabelledDoc]) -> None:
    docs = list(demo_docs)
    docs[0] = replace(docs[0], topic="Y-te")
    docs[1] = replace(docs[1], topic="dat-dia")
    docs[2] = replace(docs[2], doc_type="quyet_dinh")
    with pytest.raises(TrainingDataError) as caught:
        check_taxonomy("topic", docs)
    message = caught.value.message
    assert "“Y-te”" in message and "“y-te”" in message and "“dat-dia”" in message and "“dat-dai”" in message
    assert "trong kho ở trang văn bản" in message and "danh mục khác" in message  # a store's labels, or a mix
    with pytest.raises(TrainingDataError, match="“quyet_dinh”.*“quyet-dinh”"):
        check_taxonomy("doc_type", docs)
    with pytest.raises(TrainingDataError, match="Y-te"):
        train_docs(docs, Registry(Path("/nonexistent/never-written")), cv=0)  # refused before any work


def test_a_taxonomy_of_ones_own_still_trains() -> None:
    own = [LabelledDoc(str(i), f"văn bản số {i}", topic=label) for i, label in
           enumerate(["nhom-a", "nhom-b", "nhom-c", "y-tee"] * 3)]
    check_taxonomy("topic", own)  # no known codes at all: a researcher's taxonomy, "y-tee" is theirs
    assert likely_code("Đất đai", {"dat-dai", "y-te"}) == "dat-dai"
    assert likely_code("giao-thong", {"dat-dai", "y-te"}) is None


# -- 5. an unreadable manifest -----------------------------------------------------------------------------


def test_a_truncated_manifest_is_listed_as_unusable_and_named_when_used(demo_models: tuple[Path, str, str],
                                                                         tmp_path: Path) -> None:
    data_dir = _copy(demo_models, tmp_path)
    registry = Registry.open(data_dir)
    broken = registry.root / demo_models[2] / MANIFEST
    broken.write_text(broken.read_text(encoding="utf-8")[:200], encoding="utf-8")
    listed = {v.version: v for v in registry.versions()}
    assert demo_models[2] in listed and "manifest hỏng" in (listed[demo_models[2]].problem or "")
    assert listed[demo_models[1]].usable
    for action in (registry.get, registry.check, registry.load, registry.activate):
        with pytest.raises(IncompatibleModel, match="không đọc được manifest"):
            action(demo_models[2])


def test_checked_listing_names_the_library_mismatch(demo_models: tuple[Path, str, str], tmp_path: Path) -> None:
    data_dir = _copy(demo_models, tmp_path)
    registry = Registry.open(data_dir)
    path = registry.root / demo_models[2] / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["versions"]["scikit-learn"] = "1.2.2"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    (registry.root / demo_models[1] / MODEL_FILE).write_bytes(b"damaged")
    assert all(v.usable for v in registry.versions())  # the cheap listing reads manifests only
    problems = {v.version: v.problem or "" for v in registry.versions(check=True)}
    assert "scikit-learn 1.2.2" in problems[demo_models[2]]
    assert "mã kiểm tra" in problems[demo_models[1]]


# -- 6, 8. arguments and paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("cv", [1, -2])
def test_cross_validation_needs_two_folds_or_none(cv: int) -> None:
    with pytest.raises(TrainingDataError, match="--cv"):
        check_cv(cv)
    check_cv(0)
    check_cv(2)


def test_corpus_paths_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="là một thư mục.*jsonl"):
        load_corpus(tmp_path)
    with pytest.raises(TrainingDataError, match=re.escape(f"--corpus {tmp_path}/")):
        load_corpus(tmp_path)
    with pytest.raises(TrainingDataError, match="dữ liệu đánh giá"):
        load_corpora([tmp_path / "nope.jsonl"], purpose="đánh giá")
    with pytest.raises(TrainingDataError, match="dữ liệu huấn luyện"):
        load_corpora([tmp_path / "nope.jsonl"])


# -- 10. nothing to go on -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["abc", "qwzx vbnm", "12345", "xin chào"])
def test_meaningless_input_needs_review(demo_models: tuple[Path, str, str], text: str) -> None:
    clf = Registry.open(demo_models[0]).load(demo_models[1])
    result = clf.classify(text)
    assert result.doc_type is not None and result.doc_type.source == "model"
    assert result.doc_type.needs_review and result.needs_review
    assert any("không đủ thông tin để đoán loại văn bản" in r for r in result.review_reasons)


def test_a_real_summary_is_not_flagged_as_uninformative(demo_models: tuple[Path, str, str]) -> None:
    clf = Registry.open(demo_models[0]).load(demo_models[1])
    result = clf.classify(title="Kế hoạch phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh năm 2024")
    assert not any("không đủ thông tin" in r for r in result.review_reasons)
    with pytest.raises(ValueError, match="top_k"):
        clf.classify("về việc giao đất", top_k=0)


def test_the_body_starts_after_a_summary_printed_over_several_lines() -> None:
    from models.data import body_after_header

    law = ("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLuật số: 99/2026/QH15\n"
           "Hà Nội, ngày 10 tháng 6 năm 2026\n\nLUẬT\nPHÒNG, CHỐNG THIÊN TAI\n"
           "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nĐiều 1. Phạm vi điều chỉnh\n")
    body = body_after_header(law)  # the summary is read as "LUẬT PHÒNG, CHỐNG THIÊN TAI"
    assert body.lstrip().startswith("Căn cứ Hiến pháp") and "QUỐC HỘI" not in body
    letter = ("UBND TỈNH SÔNG MÂY\nSỞ CÔNG THƯƠNG\nSố: 12/SCT-QLCN\nV/v hướng dẫn quản lý, phát triển cụm công\n"
              "nghiệp theo địa giới hành chính mới\nKính gửi: Ủy ban nhân dân các xã.\nThực hiện Nghị định số 32.\n")
    assert body_after_header(letter).lstrip().startswith("Kính gửi")

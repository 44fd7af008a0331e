"""Training, the registry and the classifier, on a small slice of the real Bình Dương corpus."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from models.classify import DocumentInput
from models.errors import (
    IncompatibleModel,
    ModelNotFound,
    NoActiveModel,
    NothingToRollBack,
    TrainingDataError,
)
from models.registry import MANIFEST, MODEL_FILE, Registry
from models.train import train


def _slice(shared: Path, out: Path, per_topic: int = 25) -> Path:
    """A stratified slice: up to ``per_topic`` documents of each field (same every run)."""
    lines = (shared / "admin" / "binhduong.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    random.Random(7).shuffle(rows)
    taken: dict[str, int] = {}
    keep = []
    for row in rows:
        if taken.get(row["topic"], 0) < per_topic:
            taken[row["topic"]] = taken.get(row["topic"], 0) + 1
            keep.append(row)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep), encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def small_corpus(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _slice(shared_data, tmp_path_factory.mktemp("corpus") / "bd-slice.jsonl")


@pytest.fixture(scope="session")
def trained(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("data")
    result = train([small_corpus], data_dir, cv=2, activate=True, n_jobs=1)
    return data_dir, result.version


def test_manifest_records_what_loading_checks(trained: tuple[Path, str]) -> None:
    data_dir, version = trained
    manifest = json.loads((data_dir / "models" / version / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format_version"] == 1
    assert manifest["versions"]["scikit-learn"]
    assert manifest["versions"]["underthesea"]
    assert set(manifest["tasks"]) == {"topic", "doc_type"}
    topic = manifest["tasks"]["topic"]
    assert len(topic["labels"]) == 14 and "dat-dai" in topic["labels"]
    assert topic["analyzer"].startswith("vanban-features-")
    assert 0.0 < topic["cv_metrics"]["macro_f1"] <= 1.0
    assert 0.3 <= topic["abstain_threshold"] <= 0.9
    assert len(manifest["corpus"]["files"][0]["sha256"]) == 64
    assert version.split("-")[2] == "topic+doc_type"


def test_number_decides_the_type_with_confidence_one(trained: tuple[Path, str]) -> None:
    clf = Registry.open(trained[0]).load_active()
    result = clf.classify(title="về việc giao đất cho Ủy ban nhân dân huyện Phú Giáo", number="139/KH-UBND")
    assert result.doc_type.label == "ke-hoach"
    assert (result.doc_type.source, result.doc_type.confidence, result.doc_type.reasons) == ("number", 1.0, ("số ký hiệu",))
    assert result.doc_type.model is not None and result.doc_type.model.source == "model"  # both paths visible
    # Icelandic eth and stray spaces still read as a decision.
    assert clf.classify(title="về việc giao đất", number="1906 /QÐ-UBND").doc_type.label == "quyet-dinh"


def test_title_only_uses_the_model_and_explains_in_vietnamese(trained: tuple[Path, str]) -> None:
    clf = Registry.open(trained[0]).load_active()
    title = "Về việc cho phép Công ty TNHH Minh Phát chuyển mục đích sử dụng đất tại xã Tân Định"
    result = clf.classify(title=title)
    assert result.topic.label == "dat-dai"
    assert result.doc_type.source == "model"
    assert abs(sum(c.confidence for c in result.topic.top_k) - 1.0) < 0.2
    assert result.topic.reasons, "a prediction must say why"
    for phrase in result.topic.reasons:
        assert phrase in title  # quoted from the original: case, diacritics and spaces kept
        assert "_" not in phrase


def test_unreadable_input_is_marked_for_review(trained: tuple[Path, str]) -> None:
    clf = Registry.open(trained[0]).load_active()
    result = clf.classify(title="abc xyz qwerty")
    assert result.needs_review
    assert any("cần xem xét" in r for r in result.review_reasons)
    empty = clf.classify_batch([DocumentInput(id="x")])[0]
    assert empty.needs_review and empty.topic is None


def test_a_type_guessed_from_the_body_alone_is_marked_for_review(trained: tuple[Path, str]) -> None:
    clf = Registry.open(trained[0]).load_active()
    # An extract with no number, no type line and no summary: the type model only sees running text.
    body = ("Điều 3. Trách nhiệm của tổ chức, cá nhân\n"
            "1. Tổ chức, cá nhân sản xuất, kinh doanh hóa chất phải ban hành quy trình bảo quản, vận chuyển hóa "
            "chất nguy hiểm.\n2. Thực hiện kiểm tra định kỳ và báo cáo kết quả theo quy định.\n")
    result = clf.classify_batch([DocumentInput(id="extract", text=body)])[0]
    assert result.doc_type is not None and result.doc_type.source == "model"
    assert result.doc_type.needs_review and result.needs_review
    assert any("đoán từ nội dung" in r for r in result.review_reasons)
    # with a summary the same model decides on its own confidence
    titled = clf.classify_batch([DocumentInput(id="t", title="Kế hoạch kiểm tra an toàn hóa chất năm 2026")])[0]
    assert titled.doc_type is not None and not any("đoán từ nội dung" in r for r in titled.review_reasons)


def test_batch_equals_single_and_full_text_reads_the_header(trained: tuple[Path, str]) -> None:
    clf = Registry.open(trained[0]).load_active()
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 45/KH-UBND\nSông Mây, ngày 12 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "Tiêm vắc xin phòng COVID-19 cho trẻ em từ 5 đến dưới 12 tuổi\n"
        "Thực hiện chỉ đạo của Bộ Y tế về tiêm chủng, Ủy ban nhân dân tỉnh ban hành kế hoạch như sau."
    )
    docs = [DocumentInput("1", text=text), DocumentInput("2", title="triển khai tiêm vắc xin phòng covid-19")]
    batch = clf.classify_batch(docs)
    assert batch[0].header["number"] == "45/KH-UBND"
    assert batch[0].doc_type.label == "ke-hoach" and batch[0].doc_type.source == "number"
    assert batch[0].topic.label == "y-te"
    single = clf.classify(title="triển khai tiêm vắc xin phòng covid-19")
    assert single.topic.label == batch[1].topic.label
    assert single.topic.confidence == pytest.approx(batch[1].topic.confidence)
    json.dumps(batch[0].to_dict(), ensure_ascii=False)  # JSON-ready


def test_activate_and_rollback_round_trip(trained: tuple[Path, str], small_corpus: Path) -> None:
    data_dir, first = trained
    registry = Registry.open(data_dir)
    second = train([small_corpus], data_dir, tasks=["topic"], cv=0).version
    assert registry.active_version() == first
    registry.activate(second)
    assert registry.active_version() == second
    assert registry.load_active().tasks == ("topic",)
    assert registry.rollback() == first
    assert registry.active_version() == first
    with pytest.raises(NothingToRollBack):
        registry.rollback()
    assert [v.version for v in registry.versions()] == sorted([first, second])
    with pytest.raises(ModelNotFound):
        registry.activate("20990101-000000-topic-deadbeef")
    for odd in ("v" * 5000, "../" + first, "a\0b"):  # a name too long for the file system: not found, no OSError
        with pytest.raises(ModelNotFound):
            registry.activate(odd)


def test_other_scikit_learn_version_is_refused_before_unpickling(trained: tuple[Path, str]) -> None:
    data_dir, version = trained
    registry = Registry.open(data_dir)
    copy = registry.root / (version + "-old-sklearn")
    shutil.copytree(registry.root / version, copy)
    manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    manifest["versions"]["scikit-learn"] = "1.2.2"
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (copy / MODEL_FILE).write_bytes(b"not a pickle: must never be loaded")
    with pytest.raises(IncompatibleModel, match="scikit-learn 1.2.2"):
        registry.load(copy.name)
    with pytest.raises(IncompatibleModel):
        registry.activate(copy.name)
    shutil.rmtree(copy)


def test_damaged_file_and_incomplete_directories(trained: tuple[Path, str]) -> None:
    data_dir, version = trained
    registry = Registry.open(data_dir)
    copy = registry.root / (version + "-damaged")
    shutil.copytree(registry.root / version, copy)
    with open(copy / MODEL_FILE, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(IncompatibleModel, match="mã kiểm tra"):
        registry.load(copy.name)
    shutil.rmtree(copy)
    (registry.root / "tmp-123").mkdir()
    (registry.root / "20200101-000000-topic-nomanifest").mkdir()
    assert all(v.version != "20200101-000000-topic-nomanifest" for v in registry.versions())
    assert all(not v.version.startswith("tmp-") for v in registry.versions())


def test_no_active_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoActiveModel, match="vanban train"):
        Registry.open(tmp_path).load_active()


def test_tiny_corpus_with_singleton_classes_trains(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "title": "giao đất cho công ty xây dựng nhà ở", "topic": "dat-dai", "doc_type": "quyet-dinh"},
        {"id": "2", "title": "thu hồi đất để mở rộng đường", "topic": "dat-dai", "doc_type": "quyet-dinh"},
        {"id": "3", "title": "cho thuê đất tại khu công nghiệp", "topic": "dat-dai", "doc_type": "quyet-dinh"},
        {"id": "4", "title": "tiêm vắc xin phòng covid-19", "topic": "y-te", "doc_type": "ke-hoach"},
        {"id": "5", "title": "phòng chống sốt xuất huyết", "topic": "y-te", "doc_type": "ke-hoach"},
        {"id": "6", "title": "khám sức khỏe cho người cao tuổi", "topic": "y-te", "doc_type": "cong-van"},
        {"id": "7", "title": "khen thưởng tập thể có thành tích", "topic": "noi-vu", "doc_type": "quyet-dinh"},
        {"id": "8", "title": "tổ chức kỳ thi tốt nghiệp", "topic": "giao-duc", "doc_type": "thong-bao"},
    ]
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = train([corpus], tmp_path / "data", cv=5, n_jobs=1)
    topic = result.manifest["tasks"]["topic"]
    assert "giao-duc" in topic["dropped_labels"]  # one example cannot be learned
    assert topic["temperature"] > 0
    clf = Registry.open(tmp_path / "data").load(result.version)
    assert clf.classify(title="giao đất cho hộ gia đình").topic.label == "dat-dai"


def test_bad_corpus_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="Không tìm thấy"):
        train([tmp_path / "missing.jsonl"], tmp_path / "data")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "title": "a", "topic": "x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match="dòng 2"):
        train([bad], tmp_path / "data")
    one = tmp_path / "one.jsonl"
    one.write_text('{"id": "1", "title": "giao đất", "topic": "dat-dai", "doc_type": "quyet-dinh"}\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match="ít nhất hai nhãn"):
        train([one], tmp_path / "data")


def test_reasons_are_distinct_subject_words_not_the_frame(trained: tuple[Path, str]) -> None:
    from models.boilerplate import frame_mask
    from models.explain import reason_key

    clf = Registry.open(trained[0]).load_active()
    titles = [
        "Về việc tổ chức hội nghị phát triển công nghiệp, thu hút đầu tư vào khu công nghiệp, cụm công nghiệp",
        "V/v tăng cường công tác phòng, chống dịch bệnh trên địa bàn tỉnh Bình Dương",
        "Kế hoạch tổ chức triển khai thực hiện thu hồi đất, giao đất, cho thuê đất năm 2021",
        "Cho phép Công ty TNHH Minh Phát chuyển mục đích sử dụng đất tại xã Tân Định, thị xã Bến Cát",
        "cho phép công ty tnhh minh phát thuê đất tại phường phú hòa, thành phố thủ dầu một",
    ]
    for result in clf.classify_batch([DocumentInput(id=str(i), title=t) for i, t in enumerate(titles)]):
        reasons = result.topic.reasons
        assert reasons, result.topic
        keys = [f" {reason_key(r)} " for r in reasons]
        assert len(set(keys)) == len(keys), reasons  # no phrase twice
        assert not any(a in b for a in keys for b in keys if a != b), reasons  # nor inside another one
        for phrase in reasons:
            syllables = tuple(phrase.lower().replace(",", " ").split())
            assert not all(frame_mask(syllables)), f"boilerplate given as a reason: {phrase!r}"
            assert reason_key(phrase) not in {"v/v", "ve viec", "to chuc", "ve viec to chuc"}
            for name in ("minh phat", "tan dinh", "ben cat", "phu hoa", "thu dau", "cong ty", "tnhh"):
                assert name not in reason_key(phrase), f"a name given as a reason: {phrase!r}"

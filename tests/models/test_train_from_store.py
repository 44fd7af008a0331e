"""Training on the service's own store uses the labels clerks and sources gave, never a model's guesses."""

from __future__ import annotations

from pathlib import Path

from corpus.document import Document, LabelSource
from corpus.store import Store
from models.train import docs_from_store

DOCS = (
    Document(id="kh-1", number="12/KH-UBND", doc_type="ke-hoach", topic="y-te",
             title="Kế hoạch tiêm chủng mở rộng năm 2025 trên địa bàn tỉnh"),
    Document(id="cv-2", number="340/UBND-KT", title="V/v đẩy nhanh tiến độ giải ngân vốn đầu tư công"),
    Document(id="qd-3", number="88/QĐ-UBND", title="Quyết định công nhận xã đạt chuẩn nông thôn mới"),
    Document(id="tb-4", title="Thông báo lịch tiếp công dân tháng 7"),
)  # fmt: skip


def test_a_models_proposal_is_left_out_a_clerks_label_is_kept(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.upsert_many(list(DOCS), actor="import")
        # the service proposed a field for cv-2 and qd-3; a clerk then corrected qd-3's
        store.set_label("cv-2", "topic", "tai-chinh", source=LabelSource.MODEL, actor="model", confidence=0.71)
        store.set_label("qd-3", "topic", "kinh-te", source=LabelSource.MODEL, actor="model", confidence=0.52)
        store.set_label("qd-3", "topic", "nong-nghiep", source=LabelSource.HUMAN, actor="chuyên viên")
        store.set_label("tb-4", "doc_type", "thong-bao", source=LabelSource.HEADER, actor="upload")
        docs = {d.id: d for d in docs_from_store(store, batch_size=2)}
    assert (docs["kh-1"].doc_type, docs["kh-1"].topic) == ("ke-hoach", "y-te")
    assert "cv-2" not in docs  # its only label is the model's
    assert docs["qd-3"].topic == "nong-nghiep"
    assert (docs["tb-4"].doc_type, docs["tb-4"].topic) == ("thong-bao", None)


def test_provenance_carried_in_by_an_exported_file_counts_too(tmp_path: Path) -> None:
    carried = Document(id="cv-9", number="77/UBND-VX", topic="giao-duc",
                       title="V/v tổ chức kỳ thi tốt nghiệp trung học phổ thông",
                       extra={"label_sources": {"topic": "model"}})  # fmt: skip
    with Store.open(tmp_path) as store:
        store.upsert_many([carried, DOCS[0]], actor="import")
        ids = [d.id for d in docs_from_store(store)]
    assert ids == ["kh-1"]


def test_a_document_given_by_two_sources_is_kept_once(tmp_path: Path) -> None:
    from models.data import LabelledDoc, load_corpora
    from models.train import drop_copies_across_sources

    plan = LabelledDoc(id="kh-1", title="Kế hoạch tiêm chủng mở rộng năm 2025", topic="y-te", source="store")
    copy = LabelledDoc(id="x-9", title="Kế hoạch tiêm chủng mở rộng năm 2025", topic="y-te", source="sao-luu")
    relabelled = LabelledDoc(id="x-10", title="Kế hoạch tiêm chủng mở rộng năm 2025", topic="lao-dong", source="khac")
    twice_in_one = LabelledDoc(id="kh-2", title="Kế hoạch tiêm chủng mở rộng năm 2025", topic="y-te", source="store")
    kept, dropped = drop_copies_across_sources([plan, copy, relabelled, twice_in_one])
    assert [d.id for d in kept] == ["kh-1", "x-10", "kh-2"] and dropped == 1
    # one file exported as JSONL and as CSV: two sources, so the second copy goes
    (tmp_path / "sach.jsonl").write_text('{"id": "a", "title": "Kế hoạch tiêm chủng", "topic": "y-te"}\n',
                                         encoding="utf-8")  # fmt: skip
    (tmp_path / "sach.csv").write_text("id,title,topic\na,Kế hoạch tiêm chủng,y-te\n", encoding="utf-8")
    corpora = load_corpora([tmp_path / "sach.jsonl", tmp_path / "sach.csv"])
    docs = [d for c in corpora for d in c.docs]
    assert {d.source for d in docs} == {"sach.jsonl", "sach.csv"}
    assert drop_copies_across_sources(docs)[1] == 1


def test_a_spreadsheet_naming_fields_and_types_trains_as_it_imports(tmp_path: Path) -> None:
    from models.data import load_corpus

    sheet = tmp_path / "bang-tinh.csv"
    sheet.write_text(
        "\ufeffid;title;doc_type;topic\n"
        "a;Kế hoạch tiêm chủng mở rộng năm 2025;KH;Y tế\n"
        "b;V/v tổ chức kỳ thi học sinh giỏi;Công văn;giao duc\n"
        "c;Quyết định phân bổ dự toán ngân sách;QĐ;TAI CHINH\n"
        "d;Quyết định giao dự toán bổ sung;quyet-dinh;tài chính\n"
        "e;Phương án riêng của đơn vị;phuong-an;ma-rieng\n",
        encoding="utf-8",
    )
    labels = [(d.doc_type, d.topic) for d in load_corpus(sheet).docs]
    assert labels == [("ke-hoach", "y-te"), ("cong-van", "giao-duc"), ("quyet-dinh", "tai-chinh"),
                      ("quyet-dinh", "tai-chinh"), ("phuong-an", "ma-rieng")]  # fmt: skip

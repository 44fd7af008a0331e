"""The JSON bodies of the API's successful answers, for ``/docs`` only.

The routes build their answers as plain dicts (``to_dict`` methods, :mod:`service.documents`) and answer
them without validating them against a model: that is part of the search's 1.5 ms. These models describe
those dicts for integrators reading the OpenAPI document; the routes name them in ``responses`` (with
:func:`described`) and in a ``response_model`` that only documents (:func:`shaped_as`), never as the type an
answer is validated or filtered by. ``tests/service/test_openapi_responses.py`` validates real answers against
them, unknown keys refused, so that they cannot drift from the code.

Field descriptions are in Vietnamese, like the routes' summaries: they are what an integrator reads.
A field without a default is always present (possibly ``null``); one with a default is present only in the
case its description names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema

LabelSourceName = Literal["source", "human", "model", "header"]
ProposalSource = Literal["model", "number", "header", "none"]
Verdict = Literal["better", "worse", "same"]


def described(model: type[BaseModel], description: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` naming ``model`` as the body of ``status``, to merge with
    :func:`service.problems.documented`'s error responses in a route's decorator. Documentation only: the
    answer is neither validated nor filtered by ``model``."""
    return {status: {"model": model, "description": description}}


def shaped_as(model: type[BaseModel], answered: Any = dict[str, Any]) -> Any:
    """A route's ``response_model`` that answers as before and is documented as ``model``.

    A route annotated ``-> dict[str, Any]`` has that type as its response model: FastAPI serialises the dict
    through it (pydantic's JSON encoder), and documents it as "any object", which :func:`described` cannot
    replace, only merge with. This is the same type for serialisation, with ``model``'s schema for the
    documentation (registered in the components by :func:`described`, which must name the same model)."""
    return Annotated[answered, WithJsonSchema({"$ref": f"#/components/schemas/{model.__name__}"})]


# -- search ------------------------------------------------------------------------------------------------


class Highlights(BaseModel):
    title: str | None = Field(
        description="Trích yếu với từ khớp đánh dấu <mark>…</mark>; null khi không từ nào khớp"
    )
    text: list[str] = Field(description="Các đoạn nội dung chứa từ khớp, đánh dấu <mark>…</mark>")


class SearchHit(BaseModel):
    id: str = Field(description="Mã văn bản trong kho")
    number: str | None = Field(description="Số ký hiệu, ví dụ 139/KH-UBND")
    title: str | None = Field(description="Trích yếu")
    doc_type: str | None = Field(description="Loại văn bản (slug, ví dụ ke-hoach)")
    topic: str | None = Field(description="Lĩnh vực (mã, ví dụ y-te)")
    issuer: str | None = Field(description="Cơ quan ban hành")
    issued_date: date | None = Field(description="Ngày ban hành (ISO 8601)")
    score: float | None = Field(description="Điểm phù hợp (4 chữ số thập phân); null khi sắp xếp theo ngày")
    highlights: Highlights = Field(description="Từ khớp được đánh dấu")


class SearchFacets(BaseModel):
    """Counts per value of each filter over all the matches (not only the page)."""

    doc_type: dict[str, int] = Field(description="Số văn bản theo loại văn bản (slug → số lượng)")
    topic: dict[str, int] = Field(description="Số văn bản theo lĩnh vực (mã → số lượng)")
    issuer: dict[str, int] = Field(description="Số văn bản theo cơ quan ban hành")
    year: dict[str, int] = Field(description="Số văn bản theo năm ban hành (năm → số lượng)")
    status: dict[str, int] = Field(description="Số văn bản theo nhóm hiệu lực (con-hieu-luc, het-hieu-luc…)")


class SearchResponse(BaseModel):
    total: int = Field(description="Tổng số văn bản khớp (mọi trang); trang: tham số limit và offset")
    hits: list[SearchHit] = Field(description="Kết quả của trang này, theo thứ tự đã chọn")
    facets: SearchFacets = Field(description="Số đếm theo từng bộ lọc trên toàn bộ kết quả")
    took_ms: float = Field(description="Thời gian tìm (mili giây)")
    relaxed: bool = Field(False, description="Chỉ có (true) khi không văn bản nào chứa mọi từ: kết quả là các văn "
                          "bản chứa phần lớn các từ")  # fmt: skip


# -- documents ---------------------------------------------------------------------------------------------


class DocumentLabel(BaseModel):
    value: str | None = Field(
        description="Giá trị hiện tại của trường, dạng chuỗi (ngày: ISO 8601; nơi nhận: danh sách JSON)"
    )
    source: LabelSourceName = Field(description="Nguồn gốc: source (dữ liệu nhập), human (văn thư), model (mô "
                                    "hình đề xuất), header (đọc từ phần đầu văn bản)")  # fmt: skip
    model_version: str | None = Field(description="Phiên bản mô hình khi nguồn là model")
    confidence: float | None = Field(description="Độ tin cậy của mô hình (0–1)")
    author: str | None = Field(description="Người hoặc tiến trình gán nhãn")
    at: datetime | None = Field(description="Thời điểm gán nhãn")


class StoredFileInfo(BaseModel):
    filename: str = Field(description="Tên tệp gốc")
    content_type: str = Field(description="Kiểu nội dung của tệp gốc")
    size: int = Field(description="Kích thước (byte)")
    sha256: str = Field(description="Mã băm SHA-256 của tệp")
    url: str = Field(description="Đường dẫn API tải tệp gốc")


class DocumentDetail(BaseModel):
    id: str = Field(description="Mã văn bản trong kho")
    number: str | None = Field(description="Số ký hiệu, ví dụ 139/KH-UBND")
    symbol: str | None = Field(description="Phần ký hiệu sau số, ví dụ KH-UBND")
    doc_type: str | None = Field(description="Loại văn bản (slug)")
    issuer: str | None = Field(description="Cơ quan ban hành")
    parent: str | None = Field(description="Cơ quan chủ quản")
    place: str | None = Field(description="Địa danh ghi ở dòng ngày tháng")
    issued_date: date | None = Field(description="Ngày ban hành (ISO 8601)")
    title: str | None = Field(description="Trích yếu")
    text: str | None = Field(description="Toàn văn")
    topic: str | None = Field(description="Lĩnh vực (mã)")
    status: str | None = Field(description="Hiệu lực")
    signer: str | None = Field(description="Người ký")
    recipients: list[str] = Field(description="Nơi nhận")
    source_url: str | None = Field(description="Đường dẫn nguồn của văn bản nhập")
    extra: dict[str, Any] = Field(description="Thông tin khác: định dạng, người tải lên, đề xuất phân loại "
                                  "(classification), các trường chờ duyệt (review_fields)…")  # fmt: skip
    created_at: datetime | None = Field(description="Thời điểm lưu vào kho")
    updated_at: datetime | None = Field(description="Thời điểm sửa gần nhất")
    labels: dict[str, DocumentLabel] = Field(description="Nhãn hiện tại theo từng trường, kèm nguồn gốc")
    file: StoredFileInfo | None = Field(
        description="Tệp gốc đã tải lên; null với văn bản nhập từ dữ liệu bảng"
    )
    needs_review: list[str] = Field(description="Các trường (doc_type, topic) còn chờ văn thư duyệt")


class DocumentLink(BaseModel):
    """What a list names of another document: enough to show it and open it."""

    id: str = Field(description="Mã văn bản trong kho")
    number: str | None = Field(description="Số ký hiệu")
    title: str | None = Field(description="Trích yếu")
    issued_date: date | None = Field(description="Ngày ban hành")
    url: str = Field(description="Trang của văn bản")
    api_url: str = Field(description="Đường dẫn API của văn bản")


class DuplicateSummary(DocumentLink):
    issuer: str | None = Field(description="Cơ quan ban hành")


class CorrectedDocument(DocumentDetail):
    warnings: list[str] = Field(description="Cảnh báo (số ký hiệu mới trùng văn bản khác…)")
    duplicates: list[DuplicateSummary] = Field(description="Các văn bản khác có cùng số ký hiệu mới")


class RelatedDocument(DocumentLink):
    doc_type: str | None = Field(description="Loại văn bản (slug)")
    score: float | None = Field(description="Độ tương đồng (văn bản tương tự); null với dẫn chiếu")
    via: str | None = Field(description="Dẫn chiếu như được ghi trong văn bản; null với văn bản tương tự")
    copies: list[str] = Field(description="Mã các bản lưu khác của cùng văn bản (cùng số, ngày, cơ quan ban hành)")


class UnresolvedCitation(BaseModel):
    number: str = Field(description="Số ký hiệu được dẫn chiếu")
    doc_type: str | None = Field(description="Loại văn bản được dẫn chiếu (slug)")
    issued_date: date | None = Field(description="Ngày ban hành ghi trong dẫn chiếu")
    issuer: str | None = Field(description="Cơ quan ban hành ghi trong dẫn chiếu")
    text: str = Field(description="Dẫn chiếu như được ghi trong văn bản")


class RelatedDocuments(BaseModel):
    cites: list[RelatedDocument] = Field(description="Văn bản trong kho được văn bản này dẫn chiếu")
    unresolved: list[UnresolvedCitation] = Field(description="Dẫn chiếu đến văn bản kho chưa có")
    cited_by: list[RelatedDocument] = Field(description="Văn bản trong kho dẫn chiếu đến văn bản này")
    similar: list[RelatedDocument] = Field(description="Văn bản có nội dung tương tự")


# -- upload and classification ------------------------------------------------------------------------------


class Candidate(BaseModel):
    label: str = Field(description="Nhãn")
    confidence: float = Field(description="Độ tin cậy (0–1)")


class TagProposal(BaseModel):
    label: str | None = Field(description="Giá trị đề xuất; null khi không đề xuất được")
    confidence: float | None = Field(
        description="Độ tin cậy (0–1, 4 chữ số thập phân); null khi không do mô hình"
    )
    source: ProposalSource = Field(description="Nguồn đề xuất: model (mô hình), number (mã loại trong số ký hiệu), "
                                   "header (dòng tên loại văn bản), none (không có)")  # fmt: skip
    reasons: list[str] = Field(description="Lý do đề xuất (tiếng Việt)")
    top_k: list[Candidate] = Field(description="Các nhãn có khả năng nhất theo mô hình")
    needs_review: bool = Field(description="Cần văn thư duyệt")


class ProposedTags(BaseModel):
    doc_type: TagProposal = Field(description="Loại văn bản đề xuất")
    topic: TagProposal = Field(description="Lĩnh vực đề xuất")
    needs_review: bool = Field(description="Có trường cần văn thư duyệt")
    model_version: str | None = Field(description="Phiên bản mô hình đã dùng; null khi chưa có mô hình")
    notes: list[str] = Field(description="Ghi chú về việc duyệt (tiếng Việt)")


class UploadResult(BaseModel):
    document: DocumentDetail = Field(description="Văn bản đã lưu")
    tags: ProposedTags = Field(description="Loại và lĩnh vực đề xuất")
    needs_review: bool = Field(description="Có trường cần văn thư duyệt")
    warnings: list[str] = Field(description="Cảnh báo khi đọc tệp (phông chữ cũ, nội dung bị cắt…)")


class HeaderFields(BaseModel):
    number: str | None = Field(description="Số ký hiệu")
    symbol: str | None = Field(description="Phần ký hiệu sau số")
    doc_type: str | None = Field(description="Loại văn bản ghi ở phần đầu (slug)")
    issuer: str | None = Field(description="Cơ quan ban hành")
    parent: str | None = Field(description="Cơ quan chủ quản")
    place: str | None = Field(description="Địa danh")
    issued_date: date | None = Field(description="Ngày ban hành")
    title: str | None = Field(description="Trích yếu")
    signer: str | None = Field(description="Người ký")
    recipients: list[str] = Field(description="Nơi nhận")


class ClassifyResult(BaseModel):
    filename: str | None = Field(description="Tên tệp gửi lên; null với nội dung dán vào")
    format: str = Field(description="Định dạng đã đọc: docx, doc, pdf, txt hoặc text (nội dung dán vào)")
    pages: int | None = Field(description="Số trang (PDF)")
    encoding: str | None = Field(description="Bảng mã của tệp văn bản thuần")
    warnings: list[str] = Field(description="Cảnh báo khi đọc tệp")
    header: HeaderFields = Field(description="Thông tin đọc từ phần đầu và phần ký của văn bản")
    tags: ProposedTags = Field(description="Loại và lĩnh vực đề xuất")
    needs_review: bool = Field(description="Có trường cần văn thư duyệt")
    duplicates: list[DuplicateSummary] = Field(description="Văn bản trong kho cùng số ký hiệu và cơ quan")
    text: str = Field(description="Nội dung đã đọc (20.000 ký tự đầu)")
    text_chars: int = Field(description="Độ dài toàn bộ nội dung (ký tự)")


# -- review queue and audit log ------------------------------------------------------------------------------


class ReviewItem(BaseModel):
    id: str = Field(description="Mã văn bản trong kho")
    number: str | None = Field(description="Số ký hiệu")
    title: str | None = Field(description="Trích yếu")
    issuer: str | None = Field(description="Cơ quan ban hành")
    issued_date: date | None = Field(description="Ngày ban hành")
    doc_type: str | None = Field(description="Loại văn bản hiện tại")
    topic: str | None = Field(description="Lĩnh vực hiện tại")
    created_at: datetime | None = Field(description="Thời điểm lưu vào kho")
    fields: list[str] = Field(description="Các trường chờ duyệt (doc_type, topic)")
    classification: ProposedTags | None = Field(description="Đề xuất lúc tải lên; null khi không có")


class ReviewList(BaseModel):
    total: int = Field(description="Tổng số văn bản chờ duyệt")
    items: list[ReviewItem] = Field(description="Trang này của hàng chờ, cũ nhất trước")


class AuditEntry(BaseModel):
    id: int = Field(description="Số thứ tự của mục nhật ký (tăng dần)")
    at: datetime = Field(description="Thời điểm")
    actor: str = Field(description="Người hoặc tiến trình thực hiện")
    action: Literal["insert", "update", "delete", "label", "model-activate", "model-rollback"] = Field(
        description="Thao tác"
    )
    document_id: str | None = Field(description="Văn bản liên quan; null với thao tác trên mô hình")
    details: dict[str, Any] = Field(
        description="Chi tiết: giá trị cũ → mới của các trường, phiên bản mô hình…"
    )


class AuditPage(BaseModel):
    total: int = Field(description="Tổng số mục nhật ký")
    entries: list[AuditEntry] = Field(description="Các mục của trang này, mới nhất trước")
    next_before: int | None = Field(description="Giá trị before của trang sau; null ở trang cuối")


class DocumentAuditPage(AuditPage):
    document_id: str = Field(description="Mã văn bản")


# -- models -------------------------------------------------------------------------------------------------


class ModelVersionInfo(BaseModel):
    version: str = Field(description="Mã phiên bản")
    created_at: str | None = Field(description="Thời điểm huấn luyện")
    active: bool = Field(description="Là phiên bản đang được chọn")
    metrics: dict[str, dict[str, Any] | None] = Field(description="Số liệu kiểm định chéo theo tác vụ (doc_type, "
                                                      "topic); null khi huấn luyện không kiểm định chéo")  # fmt: skip
    description: str | None = Field(description="Mô tả")
    documents: int | None = Field(description="Số văn bản huấn luyện")
    labels: dict[str, list[str]] = Field(description="Các nhãn theo tác vụ")
    usable: bool = Field(description="Dùng được ở đây")
    problem: str | None = Field(description="Lý do không dùng được; null khi dùng được")


class ModelsStatus(BaseModel):
    active: str | None = Field(description="Phiên bản đang được chọn")
    loaded: str | None = Field(description="Phiên bản đã nạp trong tiến trình trả lời")
    error: str | None = Field(description="Lỗi nạp hoặc đọc mô hình gần nhất")
    versions: list[ModelVersionInfo] = Field(description="Các phiên bản, cũ nhất trước")


class VersionSummary(BaseModel):
    version: str = Field(description="Mã phiên bản")
    created_at: str | None = Field(description="Thời điểm huấn luyện")
    description: str | None = Field(description="Mô tả")
    active: bool = Field(description="Là phiên bản đang được chọn")


class CorpusSummary(BaseModel):
    documents: int | None = Field(description="Số văn bản huấn luyện")
    hash: str | None = Field(description="Mã băm của các tệp dữ liệu huấn luyện")
    files: list[str] = Field(description="Các tệp JSONL đã dùng; rỗng khi huấn luyện từ kho")


class CorpusComparison(BaseModel):
    same: bool | None = Field(
        description="Hai phiên bản cùng dữ liệu huấn luyện; null khi không xác định được"
    )
    basis: Literal["hash", "fingerprints", "documents", "labels", "unknown"] = Field(
        description="Căn cứ để kết luận"
    )
    base: CorpusSummary = Field(description="Dữ liệu của phiên bản gốc")
    candidate: CorpusSummary = Field(description="Dữ liệu của phiên bản so sánh")


class TaskSide(BaseModel):
    present: bool = Field(description="Phiên bản có mô hình cho tác vụ này")
    has_cv: bool = Field(description="Có số liệu kiểm định chéo")
    status: str | None = Field(description="Lý do không có số liệu; null khi có")
    n: int | None = Field(description="Số văn bản kiểm định")
    folds: int | None = Field(description="Số phần kiểm định chéo")
    labels: list[str] = Field(description="Các nhãn")


class MetricDelta(BaseModel):
    name: Literal["accuracy", "macro_f1", "ece"] = Field(description="Tên số liệu")
    base: float | None = Field(description="Giá trị của phiên bản gốc")
    candidate: float | None = Field(description="Giá trị của phiên bản so sánh")
    delta: float | None = Field(description="Chênh lệch (so sánh − gốc)")
    higher_is_better: bool = Field(description="Giá trị cao hơn là tốt hơn")
    verdict: Verdict | None = Field(description="better, worse hoặc same cho phiên bản so sánh")


class ClassDelta(BaseModel):
    label: str = Field(description="Nhãn")
    base_f1: float | None = Field(description="F1 của phiên bản gốc")
    candidate_f1: float | None = Field(description="F1 của phiên bản so sánh")
    delta: float | None = Field(description="Chênh lệch F1")
    verdict: Verdict | None = Field(description="better, worse hoặc same")
    base_support: int | None = Field(description="Số văn bản của nhãn (phiên bản gốc)")
    candidate_support: int | None = Field(description="Số văn bản của nhãn (phiên bản so sánh)")


class TaskComparison(BaseModel):
    task: str = Field(description="Tác vụ: doc_type, topic")
    name: str = Field(description="Tên tác vụ (tiếng Việt)")
    base: TaskSide = Field(description="Phiên bản gốc")
    candidate: TaskSide = Field(description="Phiên bản so sánh")
    metrics: dict[str, MetricDelta] = Field(description="accuracy, macro_f1, ece")
    noise: dict[str, float] = Field(
        description="Theo từng số liệu: chênh lệch nhỏ nhất được coi là tốt hơn/kém hơn (mức dao động của kiểm "
        "định chéo); nhỏ hơn là same"
    )
    per_class: list[ClassDelta] = Field(description="F1 theo từng nhãn, thay đổi lớn nhất trước")
    only_base: list[str] = Field(description="Nhãn chỉ phiên bản gốc có")
    only_candidate: list[str] = Field(description="Nhãn chỉ phiên bản so sánh có")
    notes: list[str] = Field(description="Ghi chú")


class ModelComparison(BaseModel):
    base: VersionSummary = Field(description="Phiên bản gốc")
    candidate: VersionSummary = Field(description="Phiên bản so sánh")
    same_corpus: bool | None = Field(description="Cùng dữ liệu huấn luyện; null khi không xác định được")
    corpus: CorpusComparison = Field(description="Dữ liệu huấn luyện của hai phiên bản")
    warnings: list[str] = Field(description="Cảnh báo khi đọc số liệu")
    hint: str | None = Field(
        description="Lệnh so sánh trên tập giữ lại khi số liệu không so sánh trực tiếp được"
    )
    paired_compare: str | None = Field(
        description="Lệnh so sánh cặp trên tập giữ lại (held-out), nên chạy trước khi kích hoạt phiên bản so sánh; "
        "null khi hai lựa chọn là cùng một phiên bản"
    )
    tasks: list[TaskComparison] = Field(description="Theo từng tác vụ")


class ActivationResult(BaseModel):
    active: str = Field(description="Phiên bản đang được chọn")
    previous: str | None = Field(description="Phiên bản được chọn trước đó")
    loaded: str = Field(description="Phiên bản đã nạp")
    warnings: list[str] = Field(description="Cảnh báo (thiếu mô hình loại văn bản, lĩnh vực khác kho…)")


class RollbackResult(BaseModel):
    active: str = Field(description="Phiên bản đang được chọn sau khi quay lại")
    previous: str | None = Field(description="Phiên bản được chọn trước đó")
    loaded: str | None = Field(description="Phiên bản đã nạp")


# -- health -------------------------------------------------------------------------------------------------


class Liveness(BaseModel):
    status: Literal["ok"] = Field(description="Luôn là ok")


class StoreCheck(BaseModel):
    ok: bool = Field(description="Kho văn bản dùng được")
    documents: int | None = Field(None, description="Số văn bản (khi ok)")
    error: str | None = Field(None, description="Lỗi (khi không ok)")


class IndexCheck(BaseModel):
    ok: bool = Field(description="Chỉ mục dùng được")
    documents: int | None = Field(None, description="Số văn bản đã lập chỉ mục (khi ok)")
    version: str | None = Field(None, description="Phiên bản lược đồ và bộ phân tích của chỉ mục (khi ok)")
    in_step: bool | None = Field(None, description="Chỉ mục theo kịp kho văn bản (false: có văn bản chưa lập chỉ "
                                 "mục — `vanban index` cập nhật)")  # fmt: skip
    pending: int | None = Field(None, description="Văn bản đã lưu đang chờ chỉ mục rảnh để lập chỉ mục")
    error: str | None = Field(None, description="Lỗi (khi không ok)")


class ModelCheck(BaseModel):
    ok: bool = Field(description="Có mô hình đang được chọn")
    active: str | None = Field(description="Phiên bản đang được chọn")
    loaded: bool | None = Field(None, description="Đã nạp trong tiến trình này (khi ok)")
    error: str | None = Field(None, description="Lỗi nạp gần nhất (khi ok)")
    message: str | None = Field(None, description="Vì sao chưa có mô hình (khi không ok)")


class ReadinessChecks(BaseModel):
    store: StoreCheck = Field(description="Kho văn bản")
    index: IndexCheck = Field(description="Chỉ mục tìm kiếm")
    model: ModelCheck = Field(description="Mô hình phân loại")


class Readiness(BaseModel):
    status: Literal["ready", "unavailable"] = Field(description="ready (200) hoặc unavailable (503)")
    model_version: str | None = Field(description="Phiên bản mô hình dùng để đề xuất")
    checks: ReadinessChecks = Field(description="Kết quả từng phần")

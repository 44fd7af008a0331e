"""Administrative abbreviations and document-type codes.

Two tables clerks rely on every day:

* the document-type codes of Decree 30/2020/NĐ-CP, Appendix III (``KH`` → kế hoạch), plus the codes of legal
  normative documents (``NĐ``, ``TT``, ``TTLT``…) and of Party documents that share the same numbering;
* abbreviations used in titles and headers (``UBND`` ↔ ủy ban nhân dân), in both directions, so that a
  search for one finds the other.

Example
-------
>>> TYPE_CODES["KH"]
('ke-hoach', 'Kế hoạch')
>>> expand("UBND")
('ủy ban nhân dân',)
>>> abbreviate("Hội đồng nhân dân")
('HĐND',)
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

from nlp.normalize import fold, normalize

# code -> (slug, Vietnamese name). Decree 30/2020/NĐ-CP Appendix III first, then legal normative types.
_TYPE_CODES = {
    "NQ": ("nghi-quyet", "Nghị quyết"),
    "QĐ": ("quyet-dinh", "Quyết định"),
    "CT": ("chi-thi", "Chỉ thị"),
    "QC": ("quy-che", "Quy chế"),
    "QCPH": ("quy-che", "Quy chế phối hợp"),
    "QyĐ": ("quy-dinh", "Quy định"),
    "TC": ("thong-cao", "Thông cáo"),
    "TB": ("thong-bao", "Thông báo"),
    "HD": ("huong-dan", "Hướng dẫn"),
    "CTr": ("chuong-trinh", "Chương trình"),
    "KH": ("ke-hoach", "Kế hoạch"),
    "PA": ("phuong-an", "Phương án"),
    "ĐA": ("de-an", "Đề án"),
    "DA": ("du-an", "Dự án"),
    "BC": ("bao-cao", "Báo cáo"),
    "BB": ("bien-ban", "Biên bản"),
    "TTr": ("to-trinh", "Tờ trình"),
    "HĐ": ("hop-dong", "Hợp đồng"),
    "CĐ": ("cong-dien", "Công điện"),
    "GN": ("ban-ghi-nho", "Bản ghi nhớ"),
    "TTh": ("ban-thoa-thuan", "Bản thỏa thuận"),
    "GUQ": ("giay-uy-quyen", "Giấy ủy quyền"),
    "GM": ("giay-moi", "Giấy mời"),
    "GGT": ("giay-gioi-thieu", "Giấy giới thiệu"),
    "GNP": ("giay-nghi-phep", "Giấy nghỉ phép"),
    "PG": ("phieu-gui", "Phiếu gửi"),
    "PC": ("phieu-chuyen", "Phiếu chuyển"),
    "PB": ("phieu-bao", "Phiếu báo"),
    "GP": ("giay-phep", "Giấy phép"),
    "GCN": ("giay-chung-nhan", "Giấy chứng nhận"),
    # legal normative documents (Law 80/2015/QH13) and joint documents
    "NĐ": ("nghi-dinh", "Nghị định"),
    "TT": ("thong-tu", "Thông tư"),
    "TTLT": ("thong-tu-lien-tich", "Thông tư liên tịch"),
    "NQLT": ("nghi-quyet-lien-tich", "Nghị quyết liên tịch"),
    "PL": ("phap-lenh", "Pháp lệnh"),
    "L": ("luat", "Luật"),
    "HDLN": ("huong-dan", "Hướng dẫn liên ngành"),
    "KL": ("ket-luan", "Kết luận"),
    "CV": ("cong-van", "Công văn"),
}
TYPE_CODES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(_TYPE_CODES)

# Upper-case (or folded upper-case) spelling of a code -> canonical code, for loosely typed numbers
# ("Ctr" → "CTr", "QD" → "QĐ"). Codes whose folded forms collide keep the one with the Đ.
_CODE_LOOKUP: dict[str, str] = {}
for _code in _TYPE_CODES:
    _CODE_LOOKUP.setdefault(_code.upper(), _code)
for _code in _TYPE_CODES:
    _CODE_LOOKUP.setdefault(fold(_code).upper(), _code)
# "DA" folds from both ĐA (đề án) and DA (dự án): an undiacritised "DA" is dự án, as printed.
_CODE_LOOKUP["DA"] = "DA"
_CODE_LOOKUP["HD"] = "HD"


@lru_cache(maxsize=4096)
def canonical_type_code(code: str) -> str | None:
    """Canonical spelling of a type code typed in any case, with or without Đ; None if unknown."""
    return _CODE_LOOKUP.get(normalize(code).upper()) or _CODE_LOOKUP.get(fold(normalize(code)).upper())


def doc_type_from_code(code: str) -> str | None:
    """Document-type slug for a type code (``KH`` → ``ke-hoach``); None when it is not a type code."""
    canonical = canonical_type_code(code)
    return _TYPE_CODES[canonical][0] if canonical else None


# The type line of a document (printed in capitals under the header) -> slug.
_TYPE_NAMES = {
    "QUYẾT ĐỊNH": "quyet-dinh",
    "KẾ HOẠCH": "ke-hoach",
    "CHỈ THỊ": "chi-thi",
    "THÔNG BÁO": "thong-bao",
    "NGHỊ QUYẾT": "nghi-quyet",
    "CHƯƠNG TRÌNH": "chuong-trinh",
    "BÁO CÁO": "bao-cao",
    "TỜ TRÌNH": "to-trinh",
    "GIẤY MỜI": "giay-moi",
    "CÔNG ĐIỆN": "cong-dien",
    "HƯỚNG DẪN": "huong-dan",
    "HƯỚNG DẪN LIÊN NGÀNH": "huong-dan",
    "PHƯƠNG ÁN": "phuong-an",
    "ĐỀ ÁN": "de-an",
    "DỰ ÁN": "du-an",
    "QUY CHẾ": "quy-che",
    "QUY ĐỊNH": "quy-dinh",
    "THÔNG CÁO": "thong-cao",
    "THÔNG TƯ": "thong-tu",
    "THÔNG TƯ LIÊN TỊCH": "thong-tu-lien-tich",
    "NGHỊ ĐỊNH": "nghi-dinh",
    "LUẬT": "luat",
    "PHÁP LỆNH": "phap-lenh",
    "BIÊN BẢN": "bien-ban",
    "HỢP ĐỒNG": "hop-dong",
    "GIẤY PHÉP": "giay-phep",
    "GIẤY CHỨNG NHẬN": "giay-chung-nhan",
    "GIẤY ỦY QUYỀN": "giay-uy-quyen",
    "GIẤY GIỚI THIỆU": "giay-gioi-thieu",
    "BẢN GHI NHỚ": "ban-ghi-nho",
    "KẾT LUẬN": "ket-luan",
    "CÔNG VĂN": "cong-van",
}
TYPE_NAMES: MappingProxyType[str, str] = MappingProxyType(_TYPE_NAMES)


def _plain_names() -> dict[str, str]:
    """Each slug's plain name: the shortest of its codes' names. A type with several codes (QC and QCPH,
    HD and HDLN) is named by its own word, not by the last code's longer one (QA: every quy chế was
    labelled "Quy chế phối hợp" because QCPH came after QC)."""
    names: dict[str, str] = {}
    for slug, name in _TYPE_CODES.values():
        if slug not in names or len(name) < len(names[slug]):
            names[slug] = name
    return names


# Slug -> display name (Vietnamese, sentence case), for pages and reports.
DOC_TYPE_LABELS: MappingProxyType[str, str] = MappingProxyType(
    _plain_names() | {"phieu-trinh": "Phiếu trình", "phu-luc": "Phụ lục"}
)

# Abbreviation -> expansions (lower case, as they appear in running text). Written as they are printed.
# Editing this table changes what gets stored elsewhere: the issuer terms of every indexed document
# (corpus.search_filters.issuer_terms) and the features of classifiers that expand abbreviations
# (models.features): stale indexes and models need rebuilding.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "UBND": ("ủy ban nhân dân",),
    "HĐND": ("hội đồng nhân dân",),
    "TTg": ("thủ tướng", "thủ tướng chính phủ"),
    "CP": ("chính phủ",),
    "BCĐ": ("ban chỉ đạo",),
    "BCH": ("ban chỉ huy", "ban chấp hành"),
    "TU": ("tỉnh ủy",),
    "HU": ("huyện ủy",),
    "TW": ("trung ương",),
    "QH": ("quốc hội",),
    "UBTVQH": ("ủy ban thường vụ quốc hội",),
    "MTTQ": ("mặt trận tổ quốc",),
    "UBMTTQ": ("ủy ban mặt trận tổ quốc",),
    "TP": ("thành phố",),
    "TP.HCM": ("thành phố hồ chí minh",),
    "TPHCM": ("thành phố hồ chí minh",),
    "HCM": ("hồ chí minh", "thành phố hồ chí minh"),
    "TX": ("thị xã",),
    "TT": ("thị trấn",),
    "KT-XH": ("kinh tế - xã hội", "kinh tế xã hội"),
    "CCHC": ("cải cách hành chính",),
    "TTHC": ("thủ tục hành chính",),
    "BHXH": ("bảo hiểm xã hội",),
    "BHYT": ("bảo hiểm y tế",),
    "BHTN": ("bảo hiểm thất nghiệp",),
    "THPT": ("trung học phổ thông",),
    "THCS": ("trung học cơ sở",),
    "GD&ĐT": ("giáo dục và đào tạo",),
    "GDĐT": ("giáo dục và đào tạo",),
    "ATGT": ("an toàn giao thông",),
    "ATTP": ("an toàn thực phẩm",),
    "PCCC": ("phòng cháy chữa cháy", "phòng cháy, chữa cháy"),
    "PCTT": ("phòng chống thiên tai",),
    "TKCN": ("tìm kiếm cứu nạn",),
    "CNTT": ("công nghệ thông tin",),
    "KH&CN": ("khoa học và công nghệ",),
    "KHCN": ("khoa học công nghệ", "khoa học và công nghệ"),
    "NTM": ("nông thôn mới",),
    "GPMB": ("giải phóng mặt bằng",),
    "QSDĐ": ("quyền sử dụng đất",),
    "GCNQSDĐ": ("giấy chứng nhận quyền sử dụng đất",),
    "TNMT": ("tài nguyên và môi trường", "tài nguyên môi trường"),
    "TN&MT": ("tài nguyên và môi trường",),
    "KHĐT": ("kế hoạch và đầu tư", "kế hoạch đầu tư"),
    "KH&ĐT": ("kế hoạch và đầu tư",),
    "GTVT": ("giao thông vận tải", "giao thông và vận tải"),
    "TT&TT": ("thông tin và truyền thông",),
    "LĐ-TB&XH": ("lao động - thương binh và xã hội", "lao động thương binh và xã hội"),
    "NN&PTNT": ("nông nghiệp và phát triển nông thôn",),
    "NNPTNT": ("nông nghiệp và phát triển nông thôn",),
    "LĐTBXH": ("lao động - thương binh và xã hội", "lao động thương binh và xã hội"),
    "VH-TT-DL": ("văn hóa, thể thao và du lịch",),
    "VHTTDL": ("văn hóa, thể thao và du lịch", "văn hóa thể thao và du lịch"),
    "KCN": ("khu công nghiệp",),
    "CCN": ("cụm công nghiệp",),
    "DNNN": ("doanh nghiệp nhà nước",),
    "ĐTXD": ("đầu tư xây dựng",),
    "XDCB": ("xây dựng cơ bản",),
    "NSNN": ("ngân sách nhà nước",),
    "HTX": ("hợp tác xã",),
    "TNHH": ("trách nhiệm hữu hạn",),
    "MTV": ("một thành viên",),
    "CTCP": ("công ty cổ phần",),
    "CBCCVC": ("cán bộ, công chức, viên chức", "cán bộ công chức viên chức"),
    "CB,CC,VC": ("cán bộ, công chức, viên chức",),
    "SXKD": ("sản xuất kinh doanh",),
    "PCTN": ("phòng, chống tham nhũng", "phòng chống tham nhũng"),
    "ANTT": ("an ninh trật tự",),
    "TTATXH": ("trật tự an toàn xã hội",),
    "QPPL": ("quy phạm pháp luật",),
    "VBQPPL": ("văn bản quy phạm pháp luật",),
    "PBGDPL": ("phổ biến, giáo dục pháp luật", "phổ biến giáo dục pháp luật"),
    "COVID-19": ("covid-19",),
    "VP": ("văn phòng",),
    "SCT": ("sở công thương",),
    "SYT": ("sở y tế",),
    "STC": ("sở tài chính",),
    "SXD": ("sở xây dựng",),
    "STP": ("sở tư pháp",),
    "SNV": ("sở nội vụ",),
    "SGDĐT": ("sở giáo dục và đào tạo",),
}
ABBREVIATIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(_ABBREVIATIONS)

_BY_EXPANSION: dict[str, list[str]] = {}
for _abbr, _expansions in _ABBREVIATIONS.items():
    for _exp in _expansions:
        _BY_EXPANSION.setdefault(_exp, []).append(_abbr)
_ABBR_LOOKUP = {a.upper(): a for a in _ABBREVIATIONS} | {fold(a).upper(): a for a in _ABBREVIATIONS}


def canonical_abbreviation(token: str) -> str | None:
    """Canonical spelling of a known abbreviation typed in any case or without Đ (``ubnd`` → ``UBND``)."""
    key = normalize(token).upper()
    return _ABBR_LOOKUP.get(key) or _ABBR_LOOKUP.get(fold(key))


def expand(abbreviation: str) -> tuple[str, ...]:
    """Expansions of an abbreviation (lower case); empty when unknown."""
    canonical = canonical_abbreviation(abbreviation)
    return _ABBREVIATIONS[canonical] if canonical else ()


def abbreviate(phrase: str) -> tuple[str, ...]:
    """Abbreviations whose expansion is exactly ``phrase`` (compared in lower case)."""
    return tuple(_BY_EXPANSION.get(normalize(phrase, keep_newlines=False).lower(), ()))


def expansions_index() -> MappingProxyType[str, tuple[str, ...]]:
    """Expansion phrase (lower case) -> abbreviations, for query rewriting."""
    return MappingProxyType({k: tuple(v) for k, v in _BY_EXPANSION.items()})

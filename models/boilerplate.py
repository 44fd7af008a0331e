"""Administrative boilerplate: the frame phrases every field's summaries use, which say nothing about the field.

A summary such as "Kế hoạch tổ chức triển khai thực hiện Quyết định số 49/2015/QĐ-TTg của Thủ tướng Chính
phủ trên địa bàn tỉnh Bình Dương" carries its field in a few words; the rest is the frame of the document.
Left in, the frame becomes a spurious signal (whichever field happens to use "tổ chức" most in one province)
and shows up as a "reason" a clerk cannot make sense of ("Về việc tổ chức").

:func:`frame_mask` marks the syllables of a text that belong to a frame phrase (longest match first), and the
topic features drop a feature whose syllables are *all* frame: "tổ chức" or "triển khai thực hiện" go,
"công chức" (not a frame phrase) stays, and so does "kế hoạch sử dụng đất", which mixes frame and subject.
Province names are frame too — every province and centrally-run city, the names before the 2025 mergers
included, but not "Hồ Chí Minh" (also "tư tưởng Hồ Chí Minh", a subject): the model is used in provinces it
was not trained on and must not learn "bình dương" as a hint. In a text written with diacritics a phrase matches only as written ("chợ" is a
market, not "cho"; "sở" a department, not "số"; "tai" of "thiên tai" is not "tại", "nam" not "năm"); a text
typed without any diacritics is matched on folded phrases, so it agrees.

Written from general administrative usage, not from a corpus; the effect is measured in docs/models.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.normalize import fold

BOILERPLATE_VERSION = "boilerplate-5"  # 2: diacritics respected when present; 3: every province;
# 4: the frame of laws and the decrees that implement them ("quy định chi tiết … biện pháp thi hành Luật …");
# 5: the frame of bodies set up for a task ("thành lập Ban Chỉ đạo …": the annotation guide files a committee
# under its task's field when it has one, under nội vụ otherwise)

# One phrase per line group; matched as whole syllables. Keep them specific: a phrase listed here can never
# be a feature of the topic model.
_PHRASES = """
về việc | về | v/v | vv | của | và | các | cho | trên địa bàn | trên | tại | theo | để | với | đối với | những
một số | số | lần thứ | lần | đợt | năm | tháng | ngày | từ | đến | trong | giai đoạn | định hướng | nhằm
quyết định | chỉ thị | kế hoạch | thông báo | công văn | chương trình | nghị quyết | báo cáo | tờ trình
cho phép | ban hành | phê duyệt | triển khai | thực hiện | tổ chức thực hiện | tổ chức | tăng cường | tiếp tục
đẩy mạnh | nâng cao | hiệu quả | công tác | sửa đổi | bổ sung | điều chỉnh | bãi bỏ | thay thế | quy định
ủy ban nhân dân | ubnd | hội đồng nhân dân | hđnd | chủ tịch | phó chủ tịch | thủ tướng | chính phủ
thủ tướng chính phủ | trung ương | tỉnh | huyện | thị xã | thành phố | xã | phường | thị trấn
bình dương | sơn la | lào cai | an giang | bà rịa | vũng tàu | bắc giang | bắc kạn | bạc liêu
bắc ninh | bến tre | bình định | bình phước | bình thuận | cà mau | cao bằng | đắk lắk | đắk nông | điện biên
đồng nai | đồng tháp | gia lai | hà giang | hà nam | hà tĩnh | hải dương | hậu giang | hưng yên | khánh hòa
kiên giang | kon tum | lai châu | lâm đồng | lạng sơn | long an | nam định | nghệ an | ninh bình | ninh thuận
phú thọ | phú yên | quảng bình | quảng nam | quảng ngãi | quảng ninh | quảng trị | sóc trăng | tây ninh
thái bình | thái nguyên | thanh hóa | thừa thiên huế | tiền giang | trà vinh | tuyên quang | vĩnh long
vĩnh phúc | yên bái | hà nội | hải phòng | đà nẵng | cần thơ
i | ii | iii | iv | v | vi | vii | viii | ix | x | xi | xii | xiii | xiv | xv | #
quy định chi tiết | chi tiết | biện pháp thi hành | hướng dẫn thi hành | một số điều | luật | điều | khoản
thành lập | kiện toàn | củng cố | ban chỉ đạo | ban tổ chức | tổ giúp việc | hội đồng
"""


class _PhraseSet:
    """Phrases as written, for text with diacritics, and folded, for text typed without any."""

    def __init__(self, phrases: str) -> None:
        written = [tuple(p.split()) for p in phrases.replace("\n", "|").split("|") if p.strip()]
        self.written = frozenset(written)
        self.folded = frozenset(tuple(fold(w) for w in phrase) for phrase in written)
        self.longest = max(len(phrase) for phrase in written)


_FRAMES = _PhraseSet(_PHRASES)


@lru_cache(maxsize=100_000)
def frame_mask(syllables: tuple[str, ...]) -> tuple[bool, ...]:
    """For each syllable (lower case), whether it is part of a frame phrase (greedy longest match)."""
    return _match(syllables, _FRAMES)


def _match(syllables: tuple[str, ...], phrases: _PhraseSet) -> tuple[bool, ...]:
    longest = phrases.longest
    lowered = [s.lower() for s in syllables]
    typed_without_diacritics = all(fold(s) == s for s in lowered)
    frames = phrases.folded if typed_without_diacritics else phrases.written
    mask = [False] * len(lowered)
    i = 0
    while i < len(lowered):
        for n in range(min(longest, len(lowered) - i), 0, -1):
            if tuple(lowered[i : i + n]) in frames:
                mask[i : i + n] = [True] * n
                i += n
                break
        else:
            i += 1
    return tuple(mask)


def is_frame(mask: tuple[bool, ...], start: int, end: int) -> bool:
    """True when the syllables ``start:end`` are all frame (an empty span is not)."""
    return end > start and all(mask[start:end])


# Never a reason for any prediction, even where a model may use them (the type model reads "v/v" or "kế
# hoạch" as real hints, but a clerk learns nothing from "của", "thị xã", "UBND" or "năm").
_NEVER_A_REASON = """
v/v | vv | về việc | về | của | và | các | cho | trên | tại | theo | để | với | đối với | đối | những | một
số | trong | từ | đến | này | đó | là | được | có | năm | tháng | ngày | giai đoạn | địa bàn | trên địa bàn
ủy ban nhân dân | ban nhân dân | ubnd | hội đồng nhân dân | hđnd | tỉnh | huyện | thị xã | thành phố | xã
phường | thị trấn | quận | công ty | tổng công ty | tnhh | cổ phần | ctcp | #
"""
_NEVER = _PhraseSet(_NEVER_A_REASON)
# Never a reason for the field (but they may be for the type: "kính mời" is what a giấy mời says): the words a
# document uses to address, invite, request or cite, and the national motto of every header. They came up as
# reasons for the field of full texts (QA on Lào Cai documents: "Căn cứ", "mời", "gọi", "phải").
_NEVER_FOR_FIELD = _PhraseSet("""
căn cứ | kính gửi | kính mời | mời | gọi | phải | cần | đề nghị | ý kiến | vấn đề | trường hợp | thời hạn
hiệu lực | hiệu lực thi hành | cộng hòa xã hội chủ nghĩa việt nam | độc lập tự do hạnh phúc
""")
_DOCUMENT_CODE = re.compile(r"^[a-z]{1,5}(?:-[a-z]{1,6})+$")  # "qđ-ttg", "nđ-cp" left by a split number


def reason_mask(syllables: tuple[str, ...], frame: bool) -> tuple[bool, ...]:
    """Syllables that may not appear in an explanation: frame phrases too when ``frame`` (the topic model)."""
    never = _match(syllables, _NEVER)
    codes = [bool(_DOCUMENT_CODE.match(fold(s).replace("đ", "d"))) for s in syllables]
    if frame:
        base = tuple(a or b for a, b in zip(frame_mask(syllables), _match(syllables, _NEVER_FOR_FIELD), strict=True))
    else:
        base = (False,) * len(syllables)
    return tuple(a or b or c for a, b, c in zip(never, codes, base, strict=True))

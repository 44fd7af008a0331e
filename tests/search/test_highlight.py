"""Snippets of the original text with matched words marked."""

from __future__ import annotations

from corpus.highlight import Matcher, highlight_text, highlight_title
from tests.search import BODY_CITING


def test_marks_keep_the_original_case_and_diacritics() -> None:
    matcher = Matcher.for_terms({"duong", "743"})  # no known forms: every form of the letters matches
    assert (
        highlight_title("Nâng cấp ĐƯỜNG ĐT 743", matcher) == "Nâng cấp <mark>ĐƯỜNG</mark> ĐT <mark>743</mark>"
    )
    known = Matcher.for_terms({"duong"}, forms=lambda term: ("đường", "dương"))
    assert (
        highlight_title("Đường về Bình Dương, dưỡng", known)
        == "<mark>Đường</mark> về Bình <mark>Dương</mark>, dưỡng"
    )


def test_exact_terms_do_not_mark_folded_collisions_unless_nothing_else_matches() -> None:
    matcher = Matcher.for_terms(set(), {"đường"})
    assert highlight_title("Đường về Bình Dương", matcher) == "<mark>Đường</mark> về Bình Dương"
    # a text typed without diacritics was found through folding: show why
    assert highlight_title("Duong ve Binh Duong", matcher) == "<mark>Duong</mark> ve Binh <mark>Duong</mark>"


def test_neighbouring_matches_merge_and_html_is_escaped() -> None:
    matcher = Matcher.for_terms({"phong", "chong", "139", "kh", "ubnd"})
    marked = highlight_title("Phòng, chống <b>dịch</b> theo 139/KH-UBND", matcher)
    assert marked == "<mark>Phòng, chống</mark> &lt;b&gt;dịch&lt;/b&gt; theo <mark>139/KH-UBND</mark>"


def test_whole_terms_only() -> None:
    exact = Matcher.for_terms(set(), {"an"})
    assert (
        highlight_title("Thuận An và an ninh, bản án", exact)
        == "Thuận <mark>An</mark> và <mark>an</mark> ninh, bản án"
    )
    folded = Matcher.for_terms({"an"}, forms=lambda term: ("án", "ăn"))  # typed without diacritics: any form
    assert (
        highlight_title("Thuận An, bản án, anh", folded) == "Thuận <mark>An</mark>, bản <mark>án</mark>, anh"
    )


def test_body_fragments_surround_the_densest_matches() -> None:
    matcher = Matcher.for_terms({"den", "tin", "hieu"})
    (fragment,) = highlight_text(BODY_CITING, matcher, max_fragments=2, fragment_chars=120)
    assert "<mark>đèn tín hiệu</mark>" in fragment and fragment.startswith("…")
    assert "&lt;quan trọng&gt; &amp;" in fragment and len(fragment) < 200


def test_two_fragments_in_document_order() -> None:
    matcher = Matcher.for_terms({"1906", "qd", "ubnd", "thuan", "an"})
    fragments = highlight_text(BODY_CITING, matcher, max_fragments=2, fragment_chars=100)
    assert len(fragments) == 2
    plain = [f.replace("<mark>", "").replace("</mark>", "").strip("…") for f in fragments]
    assert BODY_CITING.replace("\n", " ").index(plain[0]) < BODY_CITING.replace("\n", " ").index(plain[1])


def test_no_match_no_fragment() -> None:
    assert highlight_text(BODY_CITING, Matcher.for_terms({"karaoke"})) == ()
    assert highlight_title(None, Matcher.for_terms({"x"})) is None
    assert highlight_text("", Matcher.for_terms(set())) == ()


def test_a_phrase_is_marked_whole_and_its_syllables_alone_are_not() -> None:
    """An abbreviation's expansion or a quoted phrase matched as a run: "công" of "khoa học và công
    nghệ" must not light up in "công bố" (QA found exactly that for "khcn")."""
    from corpus.highlight import Matcher, highlight_title

    matcher = Matcher.for_terms(
        {"khcn"}, phrases={(("khoa", "học", "và", "công", "nghệ"), True)}, forms=lambda t: ()
    )
    title = "Công bố thủ tục hành chính lĩnh vực Khoa học và Công nghệ; kinh phí KHCN năm 2024"
    assert highlight_title(title, matcher) == (
        "Công bố thủ tục hành chính lĩnh vực <mark>Khoa học và Công nghệ</mark>; kinh phí <mark>KHCN</mark> năm 2024"
    )


def test_a_phrase_spans_punctuation_and_typed_without_diacritics_any_form() -> None:
    from corpus.highlight import Matcher, highlight_text

    matcher = Matcher.for_terms((), phrases={(("phong", "chong", "dich"), False)}, forms=lambda t: ())
    text = "Kế hoạch phòng, chống dịch bệnh cho gia súc; phòng họp số 2 không dùng cho việc này."
    assert highlight_text(text, matcher, fragment_chars=200) == (
        "Kế hoạch <mark>phòng, chống dịch</mark> bệnh cho gia súc; phòng họp số 2 không dùng cho việc này.",
    )


# A body whose last sentence names the body the report goes to, followed by the closing block (QA: the
# snippet of "ban chỉ đạo" ran on into "Nơi nhận: - Như trên; - Lưu: VT. TRƯỞNG BAN …").
_CLOSING_BODY = (
    "Điều 1. Thành lập tổ công tác triển khai Đề án 06 tại các xã, phường, thị trấn trên địa bàn huyện.\n"
    "Điều 2. Chế độ báo cáo: định kỳ hằng tháng trước ngày 20 gửi Công an huyện (Thường trực Ban Chỉ đạo).\n"
    "\n"
    "Nơi nhận:\n"
    "- Như Điều 2;\n"
    "- Sở Tư pháp;\n"
    "- Lưu: VT.\n"
    "TRƯỞNG BAN\n"
    "\n"
    "Nguyễn Văn Hùng\n"
)


def test_a_fragment_ends_where_the_closing_block_starts_and_reaches_back_instead() -> None:
    (fragment,) = highlight_text(_CLOSING_BODY, Matcher.for_terms(set(), {"ban", "chỉ", "đạo"}), fragment_chars=120)
    assert fragment.endswith("(Thường trực <mark>Ban Chỉ đạo</mark>).")  # whole: no "…", no "Nơi nhận"
    assert "Nơi nhận" not in fragment and "Lưu" not in fragment
    assert fragment.startswith("…") and "Chế độ báo cáo" in fragment  # the length goes to what comes before
    assert len(fragment) > 100


def test_a_match_inside_the_closing_block_is_still_shown() -> None:
    # a word only the recipients hold is why the document matched: that is the snippet
    (fragment,) = highlight_text(_CLOSING_BODY, Matcher.for_terms(set(), {"tư", "pháp"}), fragment_chars=120)
    assert "<mark>Tư pháp</mark>" in fragment
    # a title is not a body: nothing is cut from it
    title = "Về việc báo cáo Ban Chỉ đạo\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nTRƯỞNG BAN\nNguyễn Văn Hùng"
    (whole,) = highlight_text(title, Matcher.for_terms(set(), {"chỉ", "đạo"}), fragment_chars=200, body_only=False)
    assert "Nơi nhận" in whole


def test_a_word_standing_only_past_the_first_pages_of_a_long_text_still_has_its_snippet() -> None:
    # a law code: its first 50,000 characters say nothing of the word searched for
    filler = "Điều {k}. Các cơ quan, đơn vị có trách nhiệm thi hành quy định của Luật này.\n"
    text = "".join(filler.format(k=k) for k in range(800)) + (
        "Điều 801. Khai thác khoáng sản làm vật liệu xây dựng thông thường phải có giấy phép.\n"
    ) + "".join(filler.format(k=k) for k in range(802, 900))
    assert text.index("khoáng sản") > 50_000
    (fragment,) = highlight_text(text, Matcher.for_terms({"khoang", "san"}, forms=lambda t: {"khoang": ("khoáng",),
                                                                                            "san": ("sản",)}[t]))
    assert "Khai thác <mark>khoáng sản</mark> làm vật liệu" in fragment
    assert fragment.startswith("…") and fragment.endswith("…")


def test_a_quoted_phrase_standing_only_past_the_first_pages_still_has_its_snippet() -> None:
    # QA: "phốt pho" stood only at character 62,939 of a decree on chemicals: no snippet
    filler = "Điều {k}. Tổ chức, cá nhân hoạt động hóa chất phải tuân thủ quy định của Luật này.\n"
    text = "".join(filler.format(k=k) for k in range(700)) + "Điều 701. Phốt pho vàng được bảo quản ngập trong nước.\n"
    assert text.index("Phốt pho") > 50_000
    matcher = Matcher.for_terms(set(), phrases=[(("phốt", "pho"), True)])
    (fragment,) = highlight_text(text, matcher)
    assert "<mark>Phốt pho</mark> vàng" in fragment

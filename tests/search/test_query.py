"""Query understanding: numbers typed any way, diacritics, abbreviations, phrases, exclusions, bad input."""

from __future__ import annotations

import unicodedata

import pytest

from corpus.query import (
    MAX_QUERY_CHARS,
    index_terms,
    lookup_key,
    number_terms,
    parse_query,
    spelling_variant,
    term_parts,
)
from corpus.search_errors import QueryError
from nlp.analyzer import analyze
from nlp.normalize import normalize


@pytest.mark.parametrize(
    "typed", ["139/KH-UBND", "139/kh-ubnd", "139 kh ubnd", "kh-ubnd 139", "Số 139/KH-UBND", "139 /KH - UBND"]
)
def test_numbers_typed_any_way_give_the_same_exact_key(typed: str) -> None:
    numbers = parse_query(typed).numbers
    assert [n.key for n in numbers] == ["139/KH-UBND"]
    assert numbers[0].seq == "139" and numbers[0].codes == ("KH", "UBND")


def test_partial_and_implied_numbers() -> None:
    (number,) = parse_query("số 139/KH").numbers
    assert (number.seq, number.codes) == ("139", ("KH",))
    (number,) = parse_query("quyết định 1906").numbers
    assert (number.seq, number.codes, number.explicit) == ("1906", ("QD",), False)
    number, issued_that_year = parse_query("49/2015/QÐ-TTg").numbers  # Icelandic eth, as some keyboards type it
    assert (number.seq, number.year, number.key) == ("49", 2015, "49/2015/QD-TTG")
    # also read as 49/QĐ-TTg issued in 2015 (see test_shared_numbers)
    assert (issued_that_year.year, issued_that_year.issued, issued_that_year.key) == (None, 2015, "49/QD-TTG")


def test_leading_zeros_do_not_matter() -> None:
    assert lookup_key("01/CT-UBND") == lookup_key("1/ct-ubnd") == "1/CT-UBND"
    keys, parts = number_terms("01/CT-UBND")
    assert "1/CT-UBND" in keys and parts == ["s:1", "c:CT", "c:UBND"]


def test_ordinary_words_are_not_read_as_codes() -> None:
    # "tu" (tư, từ…) is also the code of a provincial Party committee: without capitals it stays a word.
    assert not parse_query("dau tu 139").numbers
    assert not parse_query("điều 5 khoản 2").numbers


@pytest.mark.parametrize(
    "query", ["báo cáo định kỳ 6 tháng", "y tế cơ sở 2024", "hoa giai o co so 2025", "học kỳ 2", "hiếu 12"]
)
def test_words_folding_like_so_or_ky_hieu_do_not_make_a_figure_a_number(query: str) -> None:
    # "sở", "kỳ", "hiếu" fold like "số", "ký hiệu"; "co so" without marks is "cơ sở" (QA: notices numbered
    # 06 first for "định kỳ 6 tháng", a decision numbered 2024 first for "y tế cơ sở 2024")
    assert not parse_query(query).numbers


@pytest.mark.parametrize(
    ("query", "codes"),
    [("số 139", ()), ("so 139", ()), ("SỐ 139", ()), ("ký hiệu 139", ()), ("so ky hieu 139", ()), ("số hiệu 139", ()),
     ("kế hoạch số 139", ("KH",)), ("quyết định số ký hiệu 1906", ("QD",))],
)
def test_so_and_ky_hieu_before_a_figure_make_it_a_number(query: str, codes: tuple[str, ...]) -> None:
    (number,) = parse_query(query).numbers
    assert number.codes == codes


def test_index_codes_extend_a_loose_number() -> None:
    (number,) = parse_query("3637 ubnd vx", is_code=lambda code: code == "VX").numbers
    assert number.key == "3637/UBND-VX"


def test_diacritics_decide_exact_matching() -> None:
    (clause,) = parse_query("đường").clauses
    assert clause.alternatives[0].exact and clause.alternatives[0].folded == ("duong",)
    (clause,) = parse_query("duong").clauses
    assert not clause.alternatives[0].exact
    # A query mostly typed with diacritics: its plain syllables ("bia") are exact words too.
    assert all(c.alternatives[0].exact for c in parse_query("rượu bia").clauses)


def test_nfd_and_old_tone_placement_parse_like_nfc() -> None:
    text = "kế hoạch hoà giải"
    assert parse_query(unicodedata.normalize("NFD", text)) == parse_query("kế hoạch hòa giải")


def test_abbreviations_match_their_expansions_both_ways() -> None:
    (clause,) = parse_query("UBND").clauses
    assert ("ủy", "ban", "nhân", "dân") in [a.terms for a in clause.alternatives]
    (clause,) = parse_query("ủy ban nhân dân").clauses
    assert ("ubnd",) in [a.terms for a in clause.alternatives]
    (clause,) = parse_query("TP.HCM").clauses
    assert ("thành", "phố", "hồ", "chí", "minh") in [a.terms for a in clause.alternatives]
    # two-letter abbreviations typed in lower case are syllables ("tu", "cp")
    (clause,) = parse_query("tu").clauses
    assert len(clause.alternatives) == 1


def test_phrases_and_exclusions() -> None:
    parsed = parse_query('"phòng chống" dịch -covid -"tác hại"')
    assert [p.alternatives[0].terms for p in parsed.phrases] == [("phòng", "chống")]
    assert [c.text for c in parsed.clauses] == ["dịch"]
    assert sorted(c.alternatives[0].folded for c in parsed.excluded) == [("covid",), ("tac", "hai")]
    # a hyphen inside a word is not an exclusion
    assert not parse_query("kinh tế - xã hội covid-19").excluded


def test_unbalanced_quote_is_ignored() -> None:
    parsed = parse_query('"phòng chống dịch')
    assert not parsed.phrases and [c.text for c in parsed.clauses] == ["phòng", "chống", "dịch"]


def test_bad_input() -> None:
    assert parse_query("").is_empty and parse_query("  ?!… ,;").is_empty and parse_query(None).is_empty
    with pytest.raises(QueryError) as err:
        parse_query("a" * (MAX_QUERY_CHARS + 1))
    assert "quá dài" in err.value.message
    with pytest.raises(QueryError):
        parse_query(" ".join(["từ"] * 70))


def test_short_queries_require_every_word_long_ones_a_third() -> None:
    assert parse_query("nâng cấp tuyến đường").minimum_match == 4
    assert parse_query("công tác cải cách hành chính năm 2022 tỉnh bình dương cấp xã").minimum_match == 3


@pytest.mark.parametrize(
    "text",
    [
        "Khu dân cư 5D, ấp 5 họp lúc 10h30 ngày 12/7/2022 về H5N1 và COVID-19",
        "Căn cứ Quyết định số 1906 /QÐ-UBND của UBND TP.HCM; KT-XH, GD&ĐT, 2,5% và 1.000.000 đồng",
        "V/v triển khai Nghị định 100/2019/NĐ-CP (điểm a, khoản 2, Điều 5)",
    ],
)
def test_query_terms_equal_the_index_terms_of_the_analyser(text: str) -> None:
    # The query side never runs the word segmenter: its terms must still be exactly the index's.
    assert term_parts(normalize(text)) == index_terms(analyze(text).syllables)


def test_a_typed_expansion_weighs_its_abbreviation_by_its_length_and_stops_proximity() -> None:
    # "công ty trách nhiệm hữu hạn Quang Vinh": the phrase scores four words, so TNHH gets 0.4 × 4 of one
    # term (the mirror of a typed TNHH, whose expansion gets 0.4 / 4 per word); pairs and compound words stop
    # at the expansion, which only a title spelling it out could earn.
    parsed = parse_query("công ty trách nhiệm hữu hạn quang vinh")
    expansion = next(c for c in parsed.clauses if any(a.folded == ("tnhh",) for a in c.alternatives))
    assert [(a.folded, round(a.weight, 2)) for a in expansion.alternatives] == [
        (("trach", "nhiem", "huu", "han"), 1.0),
        (("tnhh",), 1.6),
    ]
    assert list(parsed.runs) == [("cong", "ty"), ("quang", "vinh")]
    assert all(set(gram) & {"trách", "hạn"} == set() for gram in parsed.ngrams)
    typed = parse_query("công ty tnhh quang vinh")
    tnhh = next(c for c in typed.clauses if c.alternatives[0].folded == ("tnhh",))
    assert round(tnhh.alternatives[1].weight, 2) == 0.1  # 0.4 × 1 / 4


@pytest.mark.parametrize(("old", "new"), [("qui định", "quy định"), ("lí lịch", "lý lịch"), ("quí I", "quý I"),
                                          ("kĩ thuật", "kỹ thuật"), ("mĩ thuật", "mỹ thuật"), ("hi sinh", "hy sinh")])
def test_old_and_new_i_y_spellings_match_each_other(old: str, new: str) -> None:
    def forms(query: str) -> list[set[tuple[str, ...]]]:
        return [{a.folded for a in c.alternatives} for c in parse_query(query).clauses]

    assert forms(old) == forms(new)
    assert spelling_variant("ly") == "li" and spelling_variant("qui") == "quy" and spelling_variant("y") is None
    assert spelling_variant("thuy") is None and spelling_variant("lyn") is None


def test_a_word_and_a_figure_typed_together_also_match_apart() -> None:
    (clause,) = parse_query("covid19").clauses
    assert {a.folded for a in clause.alternatives} == {("covid19",), ("covid", "19")}
    assert parse_query("f0").clauses[0].alternatives[0].folded == ("f0",)  # one letter: a code, kept whole
    assert [n.seq for n in parse_query("kh3088").numbers] == ["3088"]  # a code and a figure: a number

"""The issuing body of an administrative document: from the upper-case header block to a normal name.

The block at the top left of a Decree 30/2020/NĐ-CP header names one or two bodies, each possibly wrapped
over several lines:

* one body over two lines — ``ỦY BAN NHÂN DÂN`` / ``TỈNH LÀO CAI`` → ``Ủy ban nhân dân tỉnh Lào Cai``;
* two bodies — ``UBND TỈNH LÀO CAI`` / ``SỞ CÔNG THƯƠNG``: the lower one issues the document
  (``Sở Công Thương``), the upper one is its parent (``Ủy ban nhân dân tỉnh Lào Cai``).

A lower body that is not a complete name on its own is qualified by its parent: ``VĂN PHÒNG`` under
``UBND TỈNH LÀO CAI`` is ``Văn phòng Ủy ban nhân dân tỉnh Lào Cai``, ``THƯỜNG TRỰC`` under ``HĐND TỈNH …``
is ``Thường trực Hội đồng nhân dân tỉnh …``, ``THANH TRA`` under a provincial committee ``Thanh tra tỉnh …``.

A line starts a new body when it begins with an agency word (Bộ, Sở, Cục, Ủy ban, UBND…); a line that
begins with a place word (TỈNH, HUYỆN, XÃ…) or with "VÀ", or follows a line ending in "VÀ", "," or "-",
continues the body above it.

Capitalisation rule (Decree 30/2020, Appendix II, as agencies print their own names):

* the first word is capitalised; the rest is lower case unless a rule below says otherwise;
* fixed phrases keep their form: ``Ủy ban nhân dân``, ``Hội đồng nhân dân``; proper names keep theirs:
  ``Chính phủ``, ``Quốc hội``, ``Việt Nam``, ``Công Thương``, ``Mặt trận Tổ quốc``, ``Thường vụ``;
* after the agency word that opens the name (Bộ, Sở, Cục, Ban, Văn phòng…) the next word is capitalised
  (``Cục Hóa chất``, ``Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ``); for ministries,
  departments, offices and boards (Bộ, Sở, Phòng, Ban), whose names list their fields, the first word of
  each field is capitalised too (``Sở Nông nghiệp và Môi trường``, ``Bộ Lao động - Thương binh và Xã hội``,
  ``Phòng Tài chính - Kế hoạch``);
* a place word (tỉnh, huyện, xã, phường, thành phố…) stays lower case and the place name after it is
  capitalised (``tỉnh Lào Cai``); so is the place after a Party committee (``Tỉnh ủy Lào Cai``);
* abbreviations of bodies are written out (UBND, HĐND, PCCC, CNCH, MTTQ); other acronyms stay upper case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.normalize import fold, normalize

# The spelled-out form used inside official names (with the commas of "phòng cháy, chữa cháy"), which is
# not always the first expansion nlp.abbreviations lists for search.
_ABBREVIATIONS = {
    "UBND": "ỦY BAN NHÂN DÂN",
    "HĐND": "HỘI ĐỒNG NHÂN DÂN",
    "PCCC": "PHÒNG CHÁY, CHỮA CHÁY",
    "CNCH": "CỨU NẠN, CỨU HỘ",
    "MTTQ": "MẶT TRẬN TỔ QUỐC",
    "TP.": "THÀNH PHỐ",
    "TP": "THÀNH PHỐ",
}
_FIXED = {
    "ủy ban nhân dân": "Ủy ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân",
    "viện kiểm sát nhân dân": "Viện kiểm sát nhân dân",
    "tòa án nhân dân": "Tòa án nhân dân",
}
_PROPER = {
    "chính phủ": "Chính phủ",
    "quốc hội": "Quốc hội",
    "việt nam": "Việt Nam",
    "công thương": "Công Thương",
    "mặt trận tổ quốc": "Mặt trận Tổ quốc",
    "thường vụ": "Thường vụ",
    "bộ chỉ huy": "Bộ Chỉ huy",
    # Party committees are proper names: "Ban Tuyên giáo Tỉnh ủy", not "tỉnh Ủy" (a place and a word)
    "tỉnh ủy": "Tỉnh ủy",
    "thành ủy": "Thành ủy",
    "huyện ủy": "Huyện ủy",
    "đảng ủy": "Đảng ủy",
}
_LOCALITIES = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường")
# Words that open a body's name. Longer phrases first so "tổng cục" wins over "cục".
_AGENCY_WORDS = (
    "ủy ban",
    "hội đồng",
    "thủ tướng",
    "chủ tịch",
    "tổng cục",
    "chi cục",
    "cục",
    "bộ",
    "sở",
    "vụ",
    "viện kiểm sát",
    "viện",
    "ban",
    "văn phòng",
    "thanh tra",
    "kiểm toán",
    "trung tâm",
    "phòng",
    "tòa án",
    "kho bạc",
    "công an",
    "tổng công ty",
    "công ty",
    "trường",
    "bệnh viện",
    "đài",
    "báo",
    "liên đoàn",
    "liên minh",
    "hội",
    "đoàn",
    "đảng ủy",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "ngân hàng",
    "bảo hiểm xã hội",
    "thuế",
    "hải quan",
    "tập đoàn",
    "học viện",
    "đại học",
    "chính phủ",
    "quốc hội",
    "mặt trận",
    "thường trực",
    "tổ",
    "đảng bộ",
    "quỹ",
)
_TASK_BOARDS = ("chỉ đạo", "chỉ huy", "quản lý", "điều hành", "tổ chức")
# Bodies whose name lists fields: capitalise the first word of each field.
_FIELD_LIST_AGENCIES = {"bộ", "sở", "phòng", "ban"}
# Party committees are named by the place that follows: "Tỉnh ủy Lào Cai".
_PLACE_AFTER = {"tỉnh ủy", "thành ủy", "huyện ủy", "đảng ủy"}
_CONNECTORS = {"và", "-", "–"}
# Bodies that open a new name after " - " in a joint issuer ("BỘ CÔNG AN - BỘ QUỐC PHÒNG - TÒA ÁN NHÂN DÂN
# TỐI CAO"); a field after a hyphen ("Bộ Lao động - Thương binh và Xã hội") is not one of them.
_JOINT_BODIES = (
    "ủy ban", "hội đồng", "tổng cục", "chi cục", "cục", "bộ", "sở", "viện kiểm sát", "viện", "tòa án",
    "ban", "văn phòng", "thanh tra", "kiểm toán", "kho bạc", "ngân hàng", "bảo hiểm xã hội", "công an",
    "tỉnh ủy", "thành ủy",
)  # fmt: skip
# Bodies that are not a complete name on their own: "VĂN PHÒNG" under "UBND TỈNH LÀO CAI" is the
# Văn phòng Ủy ban nhân dân tỉnh Lào Cai, "THƯỜNG TRỰC" under "HĐND TỈNH" the Thường trực Hội đồng nhân dân.
_GENERIC_UNITS = {"văn phòng", "thanh tra", "thường trực"}

# A syllable, folded: also those of the Central Highlands' place names, with their consonant clusters and
# finals k and l (ĐẮK LẮK, KRÔNG PẮC, ĐẮK GLONG, ĐẮK MIL, CƯ JÚT), which must not be taken for acronyms.
_SYLLABLE_RE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|kr|gl|bl|pl|dr|hr|[bcdghjklmnprstvx])?[aeiouy]{1,3}"
    r"(?:ng|nh|ch|[cklmnptiyou])?$"
)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.strip()) if w]


def _bare(word: str) -> str:
    return word.strip(",.;:()").lower()


def is_acronym(word: str) -> bool:
    """True for upper-case tokens that are not Vietnamese syllables: ``ĐCK``, ``QLHC``, ``BCĐ``."""
    core = word.strip(",.;:()&-")
    if not core or not core.isupper() or len(core) < 2:
        return False
    return not _SYLLABLE_RE.match(fold(core).lower())


def _expand(word: str) -> list[str]:
    core = word.rstrip(",;:")
    tail = word[len(core) :]
    upper = core.upper()
    if upper in _ABBREVIATIONS:
        expanded = _ABBREVIATIONS[upper].split()
        expanded[-1] += tail
        return expanded
    # A stray letter glued to UBND/HĐND ("DUBND") is a typing slip, not a new acronym.
    for abbr in ("UBND", "HĐND"):
        if upper.endswith(abbr) and len(upper) == len(abbr) + 1 and upper[0].isalpha():
            expanded = _ABBREVIATIONS[abbr].split()
            expanded[-1] += tail
            return expanded
    return [word]


def _locality_at(words: list[str], i: int, phrases: tuple[str, ...] = _LOCALITIES) -> str | None:
    """The place word (of ``phrases``) at ``words[i]``; "xã hội" is society, not a commune."""
    phrase = _match(words, i, phrases)
    if phrase == "xã" and i + 1 < len(words) and _bare(words[i + 1]) == "hội":
        return None
    return phrase


def _match(words: list[str], i: int, phrases: dict[str, str] | tuple[str, ...]) -> str | None:
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        n = len(phrase.split())
        if i + n <= len(words) and " ".join(_bare(w) for w in words[i : i + n]) == phrase:
            # the phrase must not end inside a word group glued with punctuation ("sáng tạo,")
            return phrase
    return None


def _cap(word: str) -> str:
    for k, ch in enumerate(word):
        if ch.isalpha():
            return word[:k] + ch.upper() + word[k + 1 :]
    return word


def _with_punct(original: str, replacement: str) -> str:
    """``replacement`` carrying the trailing punctuation of ``original`` (``"hộ,"`` keeps its comma)."""
    core = original.rstrip(",.;:")
    return replacement + original[len(core) :]


def agency_name(text: str) -> str:
    """Normal capitalisation of a body's name printed in capitals (rule in the module docstring).

    Example
    -------
    >>> agency_name("UBND TỈNH LÀO CAI")
    'Ủy ban nhân dân tỉnh Lào Cai'
    >>> agency_name("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    'Bộ Lao động - Thương binh và Xã hội'
    >>> agency_name("CỤC CẢNH SÁT PCCC VÀ CNCH")
    'Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ'
    """
    original = [piece for w in _words(normalize(text, keep_newlines=False)) for piece in _expand(w)]
    if not original:
        return ""
    acronyms = {k for k, w in enumerate(original) if is_acronym(w)}
    words = [w.lower() for w in original]
    out: list[str] = []
    i = 0
    place_mode = False
    field_list = False
    capitalise_next = False
    while i < len(words):
        if i in acronyms:
            out.append(original[i])
            i += 1
            capitalise_next = False
            continue
        fixed = _match(words, i, _FIXED)
        proper = None if fixed else _match(words, i, _PROPER)
        phrase = fixed or proper
        if phrase:
            n = len(phrase.split())
            forms = (_FIXED | _PROPER)[phrase].split()
            out.extend(_with_punct(words[i + k], forms[k]) for k in range(n))
            i += n
            place_mode = phrase in _PLACE_AFTER  # "Tỉnh ủy Lào Cai": the place after a Party committee
            capitalise_next = False
            continue
        locality = _locality_at(words, i)
        # a place word right after "và"/","/"-" is part of a field name
        if locality and (_bare(words[i - 1]) in _CONNECTORS or words[i - 1].endswith(",")):
            locality = None
        if locality and i > 0:
            n = len(locality.split())
            out.extend(words[i : i + n])
            i += n
            place_mode = True
            continue
        if i == 0 or (words[i - 1] in ("-", "–") and _match(words, i, _JOINT_BODIES)):
            agency = _match(words, i, _AGENCY_WORDS) or words[i]
            n = len(agency.split())
            out.append(_cap(words[i]))
            out.extend(words[i + 1 : i + n])
            # a steering or managing board is named by its task, not by a list of fields: "Ban Chỉ đạo
            # phòng, chống thiên tai và tìm kiếm cứu nạn", "Ban Quản lý các khu công nghiệp"
            field_list = agency in _FIELD_LIST_AGENCIES and not (
                agency == "ban" and _match(words, i + n, _TASK_BOARDS)
            )
            capitalise_next = agency in _AGENCY_WORDS and agency not in {"thủ tướng", "chủ tịch"}
            place_mode = agency in _PLACE_AFTER
            i += n
            continue
        word = words[i]
        if place_mode or capitalise_next:
            out.append(_cap(word))
        else:
            out.append(word)
        capitalise_next = field_list and (_bare(word) == "và" or word.endswith(",") or word == "-")
        i += 1
    return re.sub(r"\s+", " ", " ".join(out)).strip()


def starts_body(line: str) -> bool:
    """True when an upper-case header line opens a new body (rather than continuing the one above)."""
    words = [
        w.lower()
        for w in (piece for w in _words(normalize(line, keep_newlines=False)) for piece in _expand(w))
    ]
    if not words:
        return False
    if _match(words, 0, _LOCALITIES):
        # "TỈNH ỦY LÀO CAI" is a body; "TỈNH LÀO CAI" is the end of "ỦY BAN NHÂN DÂN / TỈNH LÀO CAI"
        return _match(words, 0, _AGENCY_WORDS) is not None and len(words) > 1 and words[1] == "ủy"
    return _match(words, 0, _AGENCY_WORDS) is not None


def continues_strongly(previous: str, line: str) -> bool:
    """True when ``line`` must belong to the body on ``previous``: a dangling "VÀ"/","/"-", or a place."""
    prev = previous.rstrip()
    if prev.endswith((",", "-", "–")) or _bare(prev.split()[-1]) == "và":
        return True
    words = [w.lower() for w in _words(normalize(line, keep_newlines=False))]
    if not words:
        return False
    return _bare(words[0]) in {"và", "-"} or (
        _match(words, 0, _LOCALITIES) is not None and not starts_body(line)
    )


def _continues(previous: str, line: str) -> bool:
    return continues_strongly(previous, line) or not starts_body(line)


def group_bodies(lines: list[str]) -> list[str]:
    """Group the issuer block's lines into bodies, upper first; repeated bodies are dropped.

    Example
    -------
    >>> group_bodies(["UBND TỈNH LÀO CAI", "SỞ NÔNG NGHIỆP VÀ", "MÔI TRƯỜNG"])
    ['UBND TỈNH LÀO CAI', 'SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG']
    """
    bodies: list[str] = []
    for line in lines:
        if bodies and _continues(bodies[-1], line):
            bodies[-1] = f"{bodies[-1]} {line}"
        elif starts_body(line):
            bodies.append(line)
        # a line before any body that does not name one (a web page's caption) is not part of the block
    unique: list[str] = []
    for body in bodies:
        if not unique or fold(unique[-1]).upper() != fold(body).upper():
            unique.append(body)
    return unique


def issuer_and_parent(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, parent) in normal capitalisation from the upper-case lines of the issuer block."""
    bodies = group_bodies(lines)
    if not bodies:
        return None, None
    issuer = agency_name(bodies[-1])
    parent = agency_name(bodies[-2]) if len(bodies) > 1 else None
    if parent and issuer.lower() in _GENERIC_UNITS:
        if issuer.lower() == "thanh tra" and parent.startswith("Ủy ban nhân dân "):
            # the inspectorate of a province is "Thanh tra tỉnh Lào Cai", not "… Ủy ban nhân dân tỉnh …"
            issuer = f"{issuer} {parent.removeprefix('Ủy ban nhân dân ')}"
        else:
            issuer = f"{issuer} {parent}"
    return issuer, parent


@lru_cache(maxsize=4096)
def standard_issuer(name: str) -> str:
    """One spelling per body, for the issuer facet and its exact filter: ``UBND tỉnh Lào Cai``, ``ỦY BAN
    NHÂN DÂN TỈNH LÀO CAI`` and ``Uỷ Ban Nhân Dân Tỉnh Lào Cai`` are all ``Ủy ban nhân dân tỉnh Lào Cai``.

    A name in capitals, in lower case, or with every word capitalised (a place word or "và" among them
    says so) carries no capitals of its own: :func:`agency_name`'s rule sets them. A name written in normal
    case keeps its writer's capitals — it may hold proper names the rule cannot know (``Sở TN&MT Lào Cai``,
    whose fields are spelled out all the same)
    or several bodies (``Cục Hải quan tỉnh, thành phố``), which the rule, made for one body, would misread —
    and takes from the rule only what is certain: abbreviations of bodies written out (``UBND``), fixed
    phrases in their form (``Ủy ban nhân dân``), place words and "và" in lower case.

    Example
    -------
    >>> standard_issuer("UBND tỉnh Lào Cai")
    'Ủy ban nhân dân tỉnh Lào Cai'
    >>> standard_issuer("Sở TN&MT Lào Cai")
    'Sở Tài nguyên và Môi trường Lào Cai'
    """
    written = normalize(name, keep_newlines=False).strip()
    text = _spell_out_fields(written)
    standard = agency_name(text)
    if not standard:
        return text
    words = _words(text)
    if written in (written.upper(), written.lower()) or _title_cased(_words(written)):
        return standard
    pieces = [(piece, piece is word) for word in words for piece in _expand(word)]
    lowered = [piece.lower() for piece, _ in pieces]
    kept = [piece if as_written else piece.lower() for piece, as_written in pieces]
    for k in _place_words(lowered):
        kept[k] = lowered[k]
    for k, form in _set_forms(lowered).items():
        kept[k] = form
    return " ".join(kept)


def qualified_issuer(issuer: str, parent: str | None) -> str:
    """:func:`standard_issuer`, with the place of the parent body when the issuer names none: ``Sở Y tế``
    under ``UBND tỉnh Quảng Trị`` is ``Sở Y tế tỉnh Quảng Trị`` — a clerk filtering by the province finds
    its departments, and the departments of two provinces stay apart in the issuer facet.

    Example
    -------
    >>> qualified_issuer("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ")
    'Sở Y tế tỉnh Quảng Trị'
    >>> qualified_issuer("THANH TRA TỈNH", "ỦY BAN NHÂN DÂN TỈNH CÀ MAU")
    'Thanh tra tỉnh Cà Mau'
    """
    name = standard_issuer(issuer)
    if not parent or _place_start(name) is not None:
        return name
    parent_name = standard_issuer(parent)
    if name.lower() in _UNITS_OF_A_COUNCIL:  # the Văn phòng Ủy ban nhân dân tỉnh …, not of the province
        return f"{name} {parent_name}"
    start = _place_start(parent_name)
    if start is None:
        return name
    place = _words(parent_name)[start:]
    level = _locality_at([w.lower() for w in place], 0)
    own = [w.lower() for w in _words(name)]
    if level and own[-len(level.split()) :] == level.split():
        # "Thanh tra tỉnh", "Công an tỉnh" end with the level of their place: only its name follows
        # ("Thanh tra tỉnh Cà Mau", not "Thanh tra tỉnh tỉnh Cà Mau", QA)
        place = place[len(level.split()) :]
    return f"{name} {' '.join(place)}"


_UNITS_OF_A_COUNCIL = {"văn phòng", "thường trực"}


def issuer_place(name: str) -> tuple[str, str] | None:
    """(level, name) of the place a body's name names, folded and lower-cased; None for a body of no place.
    The level tells apart the province and its capital city of one name (tỉnh / thành phố Hà Tĩnh).

    Example
    -------
    >>> issuer_place("ỦY BAN NHÂN DÂN TỈNH LÀO CAI"), issuer_place("UBND thành phố Hà Tĩnh")
    (('tinh', 'lao cai'), ('thanh pho', 'ha tinh'))
    >>> issuer_place("Thủ tướng Chính phủ"), issuer_place("Ban Thường vụ Tỉnh ủy")
    (None, None)
    >>> issuer_place("Tỉnh ủy Bình Dương"), issuer_place("UBND TP.HCM")
    (('tinh', 'binh duong'), ('thanh pho', 'ho chi minh'))
    """
    name = _HCM.sub("thành phố Hồ Chí Minh", name)
    party = _PARTY_COMMITTEE.search(name)  # "Tỉnh ủy Bình Dương": the province's party committee
    if party:
        level, words = _PARTY_LEVELS[party[1].lower()], _words(party[2])
    else:
        standard = standard_issuer(name)
        start = _place_start(standard)
        if start is None:
            return None
        all_words = _words(standard)
        level = _locality_at([w.lower() for w in all_words], start) or ""
        words = all_words[start + len(level.split()) :]
    place: list[str] = []
    for word in words:
        bare = _bare(word)
        if not bare.isalpha() or len(place) == 4:
            break
        place.append(bare)
        if word != word.rstrip(",;:"):
            break  # "huyện Bát Xát, tỉnh Lào Cai": the first place is the body's own
    if not place or place[0] == "ủy":  # "Ban Thường vụ Tỉnh ủy": the committee of a place not named
        return None
    return fold(level), fold(" ".join(place))


_HCM = re.compile(r"\b(?:TP|Tp|tp)\.?\s?HCM\b|\bthành phố HCM\b", re.IGNORECASE)
_PARTY_COMMITTEE = re.compile(r"\b(tỉnh|thành|huyện|quận|thị)\s+ủy\s+(\S.*)$", re.IGNORECASE)
_PARTY_LEVELS = {"tỉnh": "tỉnh", "thành": "thành phố", "huyện": "huyện", "quận": "quận", "thị": "thị xã"}


def _place_start(name: str) -> int | None:
    """Index of the word where ``name`` names its place (``tỉnh`` in ``Ủy ban nhân dân tỉnh Quảng Trị``),
    None when it names none: a place word after the first word, with a name after it."""
    words = [w.lower() for w in _words(name)]
    for i in range(1, len(words) - 1):
        phrase = _locality_at(words, i)
        if phrase and i + len(phrase.split()) < len(words):
            return i
    return None


# The fields of a department or ministry written as an acronym after its agency word ("Sở TN&MT", "Bộ
# GD&ĐT", "Sở LĐ-TB&XH"), as the body spells its own name; keys folded, upper case, without & - , .
_DEPARTMENT_FIELDS = {
    "TNMT": "Tài nguyên và Môi trường",
    "GDDT": "Giáo dục và Đào tạo",
    "KHDT": "Kế hoạch và Đầu tư",
    "GTVT": "Giao thông vận tải",
    "TTTT": "Thông tin và Truyền thông",
    "LDTBXH": "Lao động - Thương binh và Xã hội",
    "NNPTNT": "Nông nghiệp và Phát triển nông thôn",
    "NNMT": "Nông nghiệp và Môi trường",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "KHCN": "Khoa học và Công nghệ",
}
_FIELD_AGENCIES = {"sở", "bộ", "phòng"}


# A department named by one acronym, agency letter and fields ("STNMT", "SGDĐT", "BYT"), as numbers and
# clerks write it. Two-letter fields only after S: "BTC" is as often the Ban Tổ chức, "BCT" the Bộ Chính trị.
_BODY_AGENCIES = {"S": "Sở", "B": "Bộ"}
_DEPARTMENT_SHORT_FIELDS = {
    "YT": "Y tế", "TC": "Tài chính", "XD": "Xây dựng", "TP": "Tư pháp", "NV": "Nội vụ", "CT": "Công Thương",
}  # fmt: skip


def _spelled_body(word: str) -> str | None:
    """``STNMT`` → ``Sở Tài nguyên và Môi trường``, ``BYT`` → ``Bộ Y tế``; None for any other word."""
    key = re.sub(r"[&\-,.]", "", fold(word).upper())
    agency, fields = _BODY_AGENCIES.get(key[:1]), key[1:]
    if agency is None:
        return None
    field = _DEPARTMENT_FIELDS.get(fields)
    if field is None and (agency == "Sở" or fields == "YT"):
        field = _DEPARTMENT_SHORT_FIELDS.get(fields)
    return f"{agency} {field}" if field else None


def _spell_out_fields(text: str) -> str:
    """``Sở TN&MT Lào Cai`` → ``Sở Tài nguyên và Môi trường Lào Cai``: a department's fields spelled out
    after its agency word, or with it in one acronym (``STNMT Lào Cai``), so that the spellings are one body."""
    words = text.split(" ")
    if words and (body := _spelled_body(words[0].rstrip(",;:"))):
        words[0] = body + words[0][len(words[0].rstrip(",;:")) :]
    for i in range(1, len(words)):
        if _bare(words[i - 1]) in _FIELD_AGENCIES:
            core = words[i].rstrip(",;:")
            field = _DEPARTMENT_FIELDS.get(re.sub(r"[&\-,.]", "", fold(core).upper()))
            if field:
                words[i] = field + words[i][len(core) :]
    return " ".join(words)


# Words never capitalised inside a name: seeing one capitalised means every word was.
_NEVER_CAPITALISED = {"và", "của", "các", "về", "nhân", "dân", "tỉnh", "huyện", "quận", "xã", "phường"}


def _title_cased(words: list[str]) -> bool:
    """``Sở Tài Nguyên Và Môi Trường``: every word capitalised, one of them a word names never capitalise."""
    lettered = [w for w in words if any(ch.isalpha() for ch in w)]
    return all(map(_opens_upper, lettered)) and any(_bare(w) in _NEVER_CAPITALISED for w in lettered[1:])


def _opens_upper(word: str) -> bool:
    """Whether the first letter of ``word`` is a capital (``(Lào`` → True, ``1`` → True: no letter)."""
    return next((ch.isupper() for ch in word if ch.isalpha()), True)


def _place_words(words: list[str]) -> set[int]:
    """Positions of place words and "và" after the first word (``tỉnh``, ``thành phố``), lower case in a
    name; "xã hội" is society, not a commune."""
    found: set[int] = set()
    for i in range(1, len(words)):
        phrase = _locality_at(words, i, (*_LOCALITIES, "và"))
        if phrase:
            found.update(range(i, i + len(phrase.split())))
    return found


def _set_forms(words: list[str]) -> dict[int, str]:
    """The form of each word inside a fixed phrase or proper name (``ủy ban nhân dân`` → ``Ủy ban nhân
    dân``, ``việt nam`` → ``Việt Nam``), with its punctuation, by position."""
    forms: dict[int, str] = {}
    phrases = _FIXED | _PROPER
    i = 0
    while i < len(words):
        phrase = _match(words, i, phrases)
        size = len(phrase.split()) if phrase else 0
        if not phrase or any(_bare(w) != w for w in words[i : i + size - 1]):  # "tỉnh, ủy ban" is two
            i += 1
            continue
        for k, form in enumerate(phrases[phrase].split()):
            forms[i + k] = _with_punct(words[i + k], form)
        i += size
    return forms

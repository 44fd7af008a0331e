"""PDFs with a real text layer built in a test, for the PDF reader's tests.

One Type 1 font (Helvetica) whose single-byte encoding maps the Vietnamese letters a test uses onto codes
128 and up, so pypdf reads the letters back. A line is a list of runs: one run is drawn as it is, several
are drawn with a wide gap between them, as some fonts set a vowel glyph apart from its syllable (pypdf then
reads a space there). ``None`` for a page is a page with no text layer (a scanned page).
"""

from __future__ import annotations

from io import BytesIO

Line = list[str]


def pdf_from_lines(pages: list[list[Line] | None]) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    letters = sorted(
        {ch for page in pages if page for line in page for run in line for ch in run if ord(ch) > 126}
    )
    assert len(letters) <= 128, "one single-byte font holds at most 128 extra letters"
    codes = {ch: 128 + i for i, ch in enumerate(letters)}
    differences = ArrayObject([NumberObject(128)])
    differences.extend(NameObject(f"/uni{ord(ch):04X}") for ch in letters)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): DictionaryObject(
                {NameObject("/Type"): NameObject("/Encoding"), NameObject("/Differences"): differences}
            ),
        }
    )
    writer = PdfWriter()
    font_ref = writer._add_object(font)
    for lines in pages:
        page = writer.add_blank_page(595, 842)
        if lines is None:
            continue
        ops = [b"BT /F1 10 Tf 14 TL 40 800 Td"]
        for line in lines:
            runs = []
            for run in line:
                raw = bytes(codes.get(ch, ord(ch)) for ch in run)
                runs.append(
                    b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
                )
            ops.append(b"[" + b" -450 ".join(runs) + b"] TJ T*")
        ops.append(b"ET")
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

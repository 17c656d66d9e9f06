"""The PDF renderer, measured from the PDF itself (pdfplumber boxes, pdffonts, pdftotext, pypdf)."""
from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import ALL_INPUTS, SEED
from speechpub.model import Block, Document, Meta
from speechpub.render import RenderOptions, render
from speechpub.typeset.linebreak import NO_END, NO_START
from speechpub.style import FONT_CLASSES, load_style
from speechpub.units import mm_to_pt

STYLE = load_style()
MM = mm_to_pt(1)
LEFT, RIGHT = mm_to_pt(STYLE.margin_left_mm), mm_to_pt(STYLE.page_width_mm - STYLE.margin_right_mm)
TOP, BOTTOM = mm_to_pt(STYLE.margin_top_mm), mm_to_pt(STYLE.page_height_mm - STYLE.margin_bottom_mm)
CELL = STYLE.char_pitch_pt
needs_poppler = pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, corpus_docs):
    """Every fixture rendered once: name -> (doc, pdf path, warnings)."""
    out = tmp_path_factory.mktemp("pdf")
    result = {}
    for name, doc in corpus_docs.items():
        path = out / (Path(name).stem + ".pdf")
        result[name] = (doc, path, render(doc, "pdf", path))
    return result


@pytest.fixture(scope="session")
def pages(rendered):
    """name -> list of pages, each a list of text lines; a line is a list of pdfplumber chars."""
    out = {}
    for name, (_, path, _) in rendered.items():
        with pdfplumber.open(path) as pdf:
            out[name] = [(_lines(p.chars), p.width, p.height) for p in pdf.pages]
    return out


def _lines(chars):
    rows: dict[float, list] = {}
    for c in chars:
        if c["top"] < BOTTOM + MM:          # page numbers sit below the block
            rows.setdefault(round(c["matrix"][5], 1), []).append(c)      # by baseline
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows, reverse=True)]


def _text(line) -> str:
    return "".join(c["text"] for c in line)


def _pdf(doc, tmp_path, name="t.pdf"):
    path = tmp_path / name
    return path, render(doc, "pdf", path)


def _doc(*blocks, **meta) -> Document:
    return Document(Meta(**meta), tuple(blocks))


# -- fonts ------------------------------------------------------------------------------------

@needs_poppler
@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_every_font_embedded(rendered, src):
    _, path, _ = rendered[src.name]
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert re.search(r"\s(yes)\s+(yes)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row   # emb, sub
        assert "Helvetica" not in row and "Type 1" not in row, row
    assert b"Helvetica" not in path.read_bytes()


# -- geometry ---------------------------------------------------------------------------------

@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_a4_and_text_inside_the_block(pages, src):
    for lines, w, h in pages[src.name]:
        assert (round(w / MM), round(h / MM)) == (210, 297)
        for c in (c for line in lines for c in line):
            assert LEFT - MM <= c["x0"] and c["x1"] <= RIGHT + MM, (c["text"], c["x0"], c["x1"])
            assert TOP - MM <= c["top"] and c["bottom"] <= BOTTOM + MM, (c["text"], c["top"])


def test_seed_grid_22_lines_of_28_characters(pages):
    seed = pages[SEED.name]
    assert len(seed) >= 4
    for lines, _, _ in seed[1:-1]:          # full body pages: between the title page and the end
        assert len(lines) == 22
        baselines = [line[0]["matrix"][5] for line in lines]
        pitch = mm_to_pt(STYLE.block_height_mm) / STYLE.lines_per_page
        assert all(abs((a - b) - pitch) < 0.01 for a, b in zip(baselines, baselines[1:]))
    full = short = 0
    body = [line for lines, _, _ in seed for line in lines]
    for line, nxt in zip(body, body[1:]):
        if line[-1]["x1"] < RIGHT - MM or not all(c["width"] > 12 for c in line):
            continue                        # a paragraph's last line, or one with half-width digits
        cells = round((line[0]["x0"] - LEFT) / CELL) + len(line)
        if cells == STYLE.chars_per_line:
            full += 1
            continue
        # one cell short only where a rule forced it: the next line begins with a character
        # pulled down in front of a closing mark, or with an opening mark
        nt = _text(nxt)
        assert cells == STYLE.chars_per_line - 1 and (nt[1] in NO_START or nt[0] in NO_END), _text(line)
        short += 1
    assert full > 60 and short < full / 4, (full, short)


@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_no_line_starts_with_a_closing_or_ends_with_an_opening_mark(rendered, pages, src):
    doc = rendered[src.name][0]
    offs, pos = set(), 0                    # offsets where a block starts, in the joined text
    for b in doc.blocks:
        offs.add(pos)
        pos += len(b.text)
    pos = 0
    for lines, _, _ in pages[src.name]:
        for line in lines:
            s = _text(line)
            if pos not in offs:             # a paragraph may begin with ——: only breaks count
                assert s[0] not in NO_START, s
            if pos + len(s) not in offs:
                assert s[-1] not in NO_END, s
            pos += len(s)


# -- text -------------------------------------------------------------------------------------

@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_extracted_text_equals_the_model(rendered, src):
    doc, path, _ = rendered[src.name]
    model = doc.text().replace("\n", "")
    with pdfplumber.open(path) as pdf:
        chars = "".join(c["text"] for p in pdf.pages for c in p.chars if c["top"] < BOTTOM + MM)
        text = "".join(p.crop((0, 0, p.width, BOTTOM + MM)).extract_text() for p in pdf.pages)
    assert chars == model
    # extract_text turns a whitespace glyph (U+3000) into a word break written as " "
    assert text.replace("\n", "") == model.replace("\u3000", " ")


@needs_poppler
@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.name)
def test_pdftotext_equals_the_model(rendered, src):
    doc, path, _ = rendered[src.name]
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    lines = [ln for ln in out.replace("\f", "\n").split("\n") if not re.fullmatch(r"— \d+ —", ln.strip())]
    assert "".join(lines) == doc.text().replace("\n", "").replace("\u3000", " ")


def test_markup_comes_out_literally(tmp_path):
    text = "<b>粗体</b> & <font name=\"Helvetica\">字</font><para>段</para>&amp;<br/>"
    path, _ = _pdf(_doc(Block("title", "标题<i>"), Block("paragraph", text)), tmp_path)
    with pdfplumber.open(path) as pdf:
        got = "".join(c["text"] for c in pdf.pages[0].chars if c["top"] < BOTTOM)
    assert got == "标题<i>" + text


def test_traditional_document_keeps_its_own_glyphs(rendered):
    doc, path, warnings = rendered["16_tsai-2016-inaugural-trad-bom.txt"]
    with pdfplumber.open(path) as pdf:
        text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    assert "們" in doc.text() and "們" in text and "们" not in text
    for w in warnings:
        assert w.code == "missing_glyph"


def test_fallback_font_and_missing_glyph_warnings(tmp_path):
    # U+30000 (CJK Extension G) and a private-use character are in no installed font
    text = "正文\U00030000字\ue000。"
    path, warnings = _pdf(_doc(Block("paragraph", text)), tmp_path)
    missing = [w for w in warnings if w.code == "missing_glyph" and "\U00030000" in w.message]
    assert missing and "U+30000" in missing[0].message and "U+E000" in missing[0].message
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["top"] < BOTTOM]
    assert "".join(c["text"] for c in chars) == text       # drawn as □, still the character
    assert [c["fontname"].endswith("-Replacement") for c in chars] == [False, False, True, False, True, False]


def test_every_document_gets_its_own_glyph_warnings(tmp_path):
    # measurements are shared between documents in one process; warnings must not be
    text = "正文\U00030000字。"
    for name in ("a.pdf", "b.pdf"):
        _, warnings = _pdf(_doc(Block("paragraph", text)), tmp_path, name)
        assert any("U+30000" in w.message for w in warnings), name
    _, warnings = _pdf(_doc(Block("paragraph", "正文字。")), tmp_path, "c.pdf")
    assert not [w for w in warnings if w.code == "missing_glyph"]


@needs_poppler
def test_characters_beyond_the_bmp_extract_as_themselves(tmp_path):
    text = "见𠀋字😀"                  # 𠀋 from a fallback font, 😀 in none
    path, _ = _pdf(_doc(Block("paragraph", text)), tmp_path)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True).stdout
    assert out.split("\n")[0] == text
    with pdfplumber.open(path) as pdf:
        assert "".join(c["text"] for c in pdf.pages[0].chars if c["top"] < BOTTOM) == text


def test_character_from_a_fallback_font_is_reported(tmp_path):
    path, warnings = _pdf(_doc(Block("paragraph", "臺灣說話")), tmp_path)
    msgs = [w.message for w in warnings if w.code == "missing_glyph"]
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["top"] < BOTTOM]
    assert "".join(c["text"] for c in chars) == "臺灣說話"
    fonts = {c["text"]: c["fontname"] for c in chars}
    for ch in "臺灣說話":
        if "FandolFang" not in fonts[ch]:   # drawn from another font: must be in a warning
            assert any(ch in m for m in msgs), (ch, msgs)


# -- structure --------------------------------------------------------------------------------

def test_heading_never_ends_a_page(tmp_path):
    para = "一" * 26 + "二" * 28 * 20            # 21 lines: 1 + 20
    doc = _doc(Block("paragraph", para), Block("heading", "一、标题", level=1),
               Block("paragraph", "正文" * 30))
    path, _ = _pdf(doc, tmp_path)
    with pdfplumber.open(path) as pdf:
        first, second = (_lines(p.chars) for p in pdf.pages[:2])
    assert len(first) == 21 and _text(second[0]) == "一、标题"


def test_body_keeps_the_grid_full(tmp_path):
    doc = _doc(Block("paragraph", "字" * 28 * 30))
    path, _ = _pdf(doc, tmp_path)
    with pdfplumber.open(path) as pdf:
        first = _lines(pdf.pages[0].chars)
    assert len(first) == 22


def test_fonts_per_element_and_run_in_heading(tmp_path):
    doc = _doc(Block("title", "标题"), Block("dateline", "（2011年11月21日）"),
               Block("heading", "一、黑体标题", level=1), Block("heading", "（一）楷体标题", level=2),
               Block("paragraph", "（二）坚持稳中求进。随后的正文。", lead_level=2, lead_length=10))
    path, _ = _pdf(doc, tmp_path)
    with pdfplumber.open(path) as pdf:
        lines = _lines(pdf.pages[0].chars)
    fonts = [[c["fontname"].split("+")[1] for c in ln] for ln in lines]
    title, date, h1, h2, runin = fonts
    assert lines[0][0]["size"] == 22 and lines[1][0]["size"] == 16
    assert len(set(h1)) == 1 and len(set(h2)) == 1 and h1[0] != h2[0]
    assert set(runin[:10]) == {h2[0]} and set(runin[10:]) != {h2[0]}
    # title centred in the block
    mid = (lines[0][0]["x0"] + lines[0][-1]["x1"]) / 2
    assert abs(mid - (LEFT + RIGHT) / 2) < MM
    # headings indented two characters
    assert abs(lines[2][0]["x0"] - (LEFT + 2 * CELL)) < MM


def test_quotes_in_headings_take_a_full_cell(tmp_path):
    # the free Hei and Kai fonts draw “ ” ‘ ’ narrow; in a heading they still fill a grid cell
    texts = ["一、坚持“两个毫不动摇”，推动‘高质量’发展", "（一）落实“六稳”“六保”任务"]
    doc = _doc(Block("heading", texts[0], level=1), Block("heading", texts[1], level=2))
    path, warnings = _pdf(doc, tmp_path)
    assert not warnings
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lines = _lines(page.chars)
        assert page.extract_text().split("\n")[:2] == texts      # no gap read as a space
    for line in lines:
        starts = [c["x0"] for c in line]
        assert all(abs(b - a - CELL) < 0.05 for a, b in zip(starts, starts[1:])), "on the grid"
        assert all(c["x1"] - c["x0"] > 0.9 * c["size"] for c in line if c["text"] in "“”‘’"), "full-width"


@pytest.mark.parametrize("title, words", [
    ("关于进一步加强和改进新时代区政府领导班子思想政治建设和作风建设工作的讲话", ["领导班子", "区政府"]),
    ("在全市深化改革推进高质量发展动员大会上的讲话", ["高质量"]),           # balanced: 高质 / 量
    ("全国人民代表大会常务委员会关于教师节的决定", ["委员会"]),        # balanced: 常务委 / 员会
    ("李某某同志在全市优化营商环境推进高质量发展工作会议上的讲话", ["推进"]),
])
def test_long_title_is_balanced_without_splitting_a_word(tmp_path, title, words):
    # GB/T 9704 7.3.1: a title broken over lines keeps its words whole
    path, _ = _pdf(_doc(Block("title", title)), tmp_path)
    with pdfplumber.open(path) as pdf:
        lines = [_text(ln) for ln in _lines(pdf.pages[0].chars)]
    assert "".join(lines) == title and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 5
    assert all(any(w in ln for ln in lines) for w in words), lines


def test_date_form_option(tmp_path):
    from speechpub.render.pdf.layout import format_date
    assert format_date("（2011年11月21日）", "chinese") == "（二〇一一年十一月二十一日）"
    assert format_date("（二〇一一年十一月二十一日）", "arabic") == "（2011年11月21日）"
    assert format_date("（二〇二〇年三月六日）", "arabic") == "（2020年3月6日）"
    assert format_date("（2011年11月21日）", "keep") == "（2011年11月21日）"


def test_page_numbers(rendered):
    _, path, _ = rendered[SEED.name]
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages[:2], 1):
            nums = [c for c in page.chars if c["top"] > BOTTOM + MM]
            assert "".join(c["text"] for c in nums) == f"— {n} —"
            assert all(c["fontname"].split("+")[1] == nums[0]["fontname"].split("+")[1] for c in nums)
            assert nums[0]["size"] == 14
            if n % 2:                         # odd: right, one character in
                assert abs(nums[-1]["x1"] - (RIGHT - CELL)) < MM
            else:
                assert abs(nums[0]["x0"] - (LEFT + CELL)) < MM
            assert BOTTOM + 7 * MM < nums[0]["bottom"] < BOTTOM + 14 * MM


def test_outline_and_metadata(rendered):
    doc, path, _ = rendered[SEED.name]
    reader = PdfReader(path)
    heads = [b.text for b in doc.blocks if b.kind == "heading"]

    def titles(items, depth=0):
        for it in items:
            if isinstance(it, list):
                yield from titles(it, depth + 1)
            else:
                yield it.title, depth
    entries = list(titles(reader.outline))
    assert [t for t, _ in entries if t in heads] == heads
    assert reader.metadata.title == doc.meta.title
    assert reader.metadata.author == doc.meta.speaker
    assert reader.metadata.subject == doc.meta.occasion
    assert str(reader.trailer["/Root"]["/Lang"]) == doc.meta.language
    assert reader.pdf_header >= "%PDF-1.4"          # /Lang and XMP need 1.4
    xmp = reader.xmp_metadata
    assert xmp.dc_title == {"x-default": doc.meta.title} and xmp.dc_creator == [doc.meta.speaker]
    assert xmp.dc_language == [doc.meta.language]


def test_metadata_with_markup_characters(tmp_path):
    doc = _doc(Block("title", "甲<乙>&丙"), title="甲<乙>&丙", speaker="A&B", occasion="<会>")
    path, _ = _pdf(doc, tmp_path)
    reader = PdfReader(path)
    assert reader.metadata.title == "甲<乙>&丙" and reader.xmp_metadata.dc_title["x-default"] == "甲<乙>&丙"
    assert reader.xmp_metadata.dc_creator == ["A&B"]


def test_outline_nests_by_level(tmp_path):
    doc = _doc(Block("heading", "一、甲", level=1), Block("heading", "（一）乙", level=2),
               Block("paragraph", "1.丙。正文", lead_level=3, lead_length=4),
               Block("heading", "二、丁", level=1))
    path, _ = _pdf(doc, tmp_path)
    outline = PdfReader(path).outline
    assert [o.title for o in outline if not isinstance(o, list)] == ["一、甲", "二、丁"]
    assert outline[1][0].title == "（一）乙" and outline[1][1][0].title == "1.丙。"


def test_writes_atomically(tmp_path):
    path, _ = _pdf(_doc(Block("paragraph", "正文")), tmp_path)
    assert path.read_bytes().startswith(b"%PDF") and [p.name for p in tmp_path.iterdir()] == ["t.pdf"]


def test_empty_document(tmp_path):
    path, warnings = _pdf(_doc(), tmp_path)
    assert len(PdfReader(path).pages) == 1 and warnings == []


def test_style_numbers_drive_the_layout(tmp_path):
    import dataclasses
    style = dataclasses.replace(STYLE, lines_per_page=20, chars_per_line=25)
    path = tmp_path / "s.pdf"
    render(_doc(Block("paragraph", "字" * 25 * 30)), "pdf", path, RenderOptions(style=style))
    with pdfplumber.open(path) as pdf:
        lines = _lines(pdf.pages[0].chars)
    assert len(lines) == 20 and all(len(ln) == 25 for ln in lines[1:])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["title", "heading", "paragraph", "salutation", "note"]),
                          st.text(min_size=1, max_size=80)), min_size=1, max_size=6))
def test_any_text_renders_without_crashing(tmp_path, blocks):
    doc = _doc(*(Block(k, t, level=1 if k == "heading" else None) for k, t in blocks))
    path, warnings = _pdf(doc, tmp_path)
    assert path.read_bytes().startswith(b"%PDF")
    assert all(w.code == "missing_glyph" for w in warnings)


def test_bold_style_key_draws_stroked_glyphs(tmp_path):
    import dataclasses
    elements = dict(STYLE.elements)
    elements["heading3"] = dataclasses.replace(elements["heading3"], bold=True)
    style = dataclasses.replace(STYLE, elements=elements)
    doc = _doc(Block("heading", "1.加粗标题", level=3), Block("paragraph", "2.加粗。正文不加粗", lead_level=3,
                                                             lead_length=5))
    path = tmp_path / "b.pdf"
    render(doc, "pdf", path, RenderOptions(style=style))
    stream = PdfReader(path).pages[0].get_contents().get_data()
    assert stream.count(b"2 Tr") == 2 and stream.count(b"0 Tr") == 2
    with pdfplumber.open(path) as pdf:
        assert "".join(c["text"] for c in pdf.pages[0].chars if c["top"] < BOTTOM) == "1.加粗标题2.加粗。正文不加粗"


@pytest.mark.parametrize("seq", [[], [500], list(range(10)), list(range(11)),
                                 [1000, 500.5, 0, -3, 1e-3, 333.333] * 43, [1, "x", 2]])
def test_fast_array_formatting_writes_reportlabs_bytes(seq):
    from reportlab.pdfbase import pdfdoc

    from speechpub.render.pdf import tuning as pdf_tuning
    doc = pdfdoc.PDFDocument()
    array = pdfdoc.PDFArray(seq)
    assert pdf_tuning.format_array(array, doc) == pdf_tuning._format_array(array, doc)


def test_streams_compress_to_standard_deflate():
    import zlib

    from speechpub.render.pdf import tuning as pdf_tuning
    data = "BT /F1 16 Tf (\u6b63\u6587) Tj ET\n" * 200
    assert zlib.decompress(pdf_tuning.flate(data)) == data.encode("utf8")


def test_no_break_space_stays_apart_from_the_space(tmp_path):
    # (pdftotext turns every U+00A0 into a space on its own; pdfplumber and pypdf do not)
    text = "第一\u00a0节 第二\u00a0节"
    path, warnings = _pdf(_doc(Block("paragraph", text)), tmp_path)
    assert not warnings
    with pdfplumber.open(path) as pdf:
        assert "".join(c["text"] for c in pdf.pages[0].chars if c["top"] < BOTTOM) == text
    assert PdfReader(path).pages[0].extract_text().split("\n")[0] == text



# ---- the hand-written font subsetter (render.pdf.subset) against ReportLab's own ----------------

def _fallback_fonts() -> list:
    """ReportLab TTFonts of the fallback fonts installed (registered as a PDF would)."""
    from speechpub.render.pdf import fonts as pdf_fonts
    return [pdf_fonts.register(ff).font for ff in pdf_fonts.fallback_files()]


def _class_font(cls: str):
    from speechpub.render.pdf import fonts as pdf_fonts
    return pdf_fonts.FontSet(STYLE).classes[cls].font


def _composite_chars(face) -> list[int]:
    glyf, pos, data = face.get_table_pos("glyf")[0], face.glyphPos, face._ttf_data
    return [cp for cp, g in sorted(face.charToGlyph.items())
            if pos[g + 1] > pos[g] and data[glyf + pos[g]] >= 0x80]    # numberOfContours < 0


def _subsets(font) -> list[list[int]]:
    """Subsets of the font as ReportLab numbers them for a PDF (the first with its reserved
    codes, the next ones with 0 and 32), one with characters the font lacks, one of composite
    glyphs if the font has them, and small ones (a short loca table)."""
    import random

    from reportlab.pdfbase import pdfdoc
    face, rnd = font.face, random.Random(9704)
    covered = sorted(cp for cp in face.charToGlyph if cp > 32)
    doc = pdfdoc.PDFDocument()                 # (ReportLab keeps a font's subsets per document)
    font.splitString("".join(map(chr, rnd.sample(covered, min(600, len(covered))))), doc)
    subsets = [list(s) for s in font.state.pop(doc).subsets]
    missing = [cp for cp in (0x4E00, 0x9FA5, 0x3007, 0x20000, 0x2A6D6, 0xE0001, 0x10FFFD)
               if cp not in face.charToGlyph]
    subsets.append([0, 32, *missing, *rnd.sample(covered, 20), *missing])
    composite = _composite_chars(face)
    if composite:
        subsets.append([0, *rnd.sample(composite, min(255, len(composite)))])
    return subsets + [[0] + [32] * 32, [0, 32, *covered[:3]]]


def _loca_format(font_file: bytes) -> int:
    import struct
    for i in range(struct.unpack(">H", font_file[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sLLL", font_file[12 + 16 * i:28 + 16 * i])
        if tag == b"head":
            return struct.unpack(">h", font_file[offset + 50:offset + 52])[0]
    raise AssertionError("no head table")


def _assert_fast_subsets_are_reportlabs(font) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    from speechpub.render.pdf import subset
    assert TTFontFile.makeSubset is subset.make_subset            # installed by render.pdf.tuning
    face = font.face
    subset._faces.pop(face, None)
    for codes in _subsets(font):
        theirs = subset.reportlab_make_subset(face, codes)
        for _ in range(2):                          # (not ReportLab's on an unexpected glyph)
            assert subset._make_subset(subset._face(face), face.charToGlyph, codes) == theirs, codes[:40]
        assert subset.make_subset(face, codes) == theirs


@pytest.mark.parametrize("cls", FONT_CLASSES)
def test_fast_subsets_are_reportlabs_bytes(cls):
    """The same font file as ReportLab's makeSubset, byte for byte, made with the face's glyphs
    unused so far and again from those kept; a ReportLab upgrade that changes its subsets (or
    speechpub's setup of it) fails here."""
    _assert_fast_subsets_are_reportlabs(_class_font(cls))


def test_fast_subsets_of_fallback_fonts_are_reportlabs_bytes():
    for font in _fallback_fonts():
        _assert_fast_subsets_are_reportlabs(font)


def test_subsets_compared_cover_both_loca_formats_and_composite_glyphs():
    from speechpub.render.pdf import subset
    fonts = [_class_font(cls) for cls in FONT_CLASSES] + _fallback_fonts()
    assert {_loca_format(subset.make_subset(font.face, codes)) for font in fonts
            for codes in _subsets(font)} == {0, 1}
    if not any(_composite_chars(font.face) for font in fonts):
        pytest.skip("no installed font has composite glyphs: their renumbering went untested")


@pytest.mark.parametrize("subset", [[0] + [32] * 32, [0, 32, 0xA0, 0xDFFF, 0x3000, 0x4E00, 0x20000, 0x1F600],
                                    [0, *range(0x4E00, 0x4E00 + 255)], [0] * 300 + [0x2A6D6]])
def test_to_unicode_cmap_lines_made_once_are_the_same(subset):
    from speechpub.render.pdf import fonts as pdf_fonts

    def utf16(v):
        v = 0xA0 if v == pdf_fonts.NBSP_ALIAS else v
        return "%04X" % v if v <= 0xFFFF else "%04X%04X" % (0xD800 + (v - 0x10000) // 0x400, 0xDC00 + v % 0x400)
    cmap = pdf_fonts._to_unicode_cmap("AAAAAA+Face", subset)
    for _ in range(2):                      # the targets made afresh, then kept
        assert cmap.split("\n")[14:-5] == ["<%02X> <%s>" % (i, utf16(v)) for i, v in enumerate(subset)]
        cmap = pdf_fonts._to_unicode_cmap("AAAAAA+Face", subset)
    assert cmap.split("\n")[13] == "%d beginbfchar" % len(subset)


# ---- the hand-written object formatting (render.pdf.objects) against ReportLab's own ------------

@contextlib.contextmanager
def _reportlabs_formatting(monkeypatch):
    """ReportLab's own pdfdocEnc, PDFName, format and PDFDictionary.format put back for a while
    (render.pdf.tuning installed speechpub's process-wide)."""
    from reportlab.pdfbase import pdfdoc

    from speechpub.render.pdf import objects
    with monkeypatch.context() as patch:
        patch.setattr(pdfdoc, "pdfdocEnc", objects.reportlab_pdfdoc_enc)
        patch.setattr(pdfdoc, "PDFName", objects.reportlab_name)
        patch.setattr(pdfdoc, "format", objects.reportlab_format)
        patch.setattr(pdfdoc.PDFDictionary, "format", objects.reportlab_format_dictionary)
        yield


NAMES = ["Type", "Font", "F1+0", "a b", "a/b", "a#b", "(x)", "<>", "[]{}%", "\u4e2d\u6587", "caf\u00e9",
         "\x19", "\x7f", "", "~!"]
TEXTS = ["", "plain", "caf\u00e9", "\x7f\x00\x17", "1 0 R", "%% x\n", "\u00a0", "\u0160"]


def _objects(doc):
    """A variety of PDF objects, some registered with the document (made afresh for each)."""
    from collections import OrderedDict

    from reportlab.pdfbase import pdfdoc as p
    stream = p.PDFStream(p.PDFDictionary({"Type": p.PDFName("XObject")}), content=b"q Q\n")
    page = p.PDFDictionary({"Type": p.PDFName("Page")})
    named = doc.Reference(page, "Page1")
    stream.__Comment__ = "a stream"
    big = p.PDFDictionary({f"K{i:02d}": i for i in range(13)})
    forced = p.PDFDictionary({"Size": 3, "Root": named, "Info": p.PDFString("x")})
    forced.multiline = "forced"
    one_line = p.PDFDictionary({"A": 1, "B": p.PDFArray([1, 2])})
    one_line.multiline = False
    values = [1, -2, 0, 3.25, 1e-4, 12345678.9, True, None, b"\x00raw\xff", "/Name", "caf\u00e9", "\x7f",
              p.PDFString("text"), p.PDFString("\u6f14\u8bb2"), p.PDFString(b"(bytes)\\"), p.PDFString("a(b)c", escape=7),
              p.PDFText("hex"), named, stream, p.PDFArray([named, "/X", 1, 2.5, p.PDFString("s")]),
              p.PDFArrayCompact(list(range(25))), p.PDFArray([p.PDFName(n) for n in NAMES]),
              p.PDFDictionary({n: p.PDFName(n) for n in NAMES}), big, forced, one_line,
              p.PDFDictionary(OrderedDict([("Z", 1), ("A", p.PDFDictionary({"In": p.PDFArray([])}))])),
              p.PDFDictionary({("T", "u"): 1}), p.PDFDictionary({}), p.PDFDictionary({"D": big, "S": stream}),
              p.PDFDate(), p.PDFRectangle(0, 0, 595.27, 841.89)]
    for n in range(1, 16):
        values.append(p.PDFDictionary({k: v for k, v in zip(NAMES[:n], values)}))
    return values


@pytest.mark.parametrize("multiline,comments", [(0, 0), (1, 0), (0, 1)])
def test_fast_object_formatting_writes_reportlabs_bytes(monkeypatch, multiline, comments):
    """pdfdoc.format, PDFDictionary.format, PDFName and pdfdocEnc as installed by render.pdf.tuning
    give ReportLab's own bytes (or its own error) for names with special characters, strings,
    numbers, references, streams, nested dictionaries and arrays, in each of ReportLab's line
    modes; a ReportLab upgrade that changes them fails here."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    from speechpub.render.pdf import objects
    assert pdfdoc.format is objects.format and pdfdoc.PDFDictionary.format is objects.format_dictionary
    assert pdfdoc.PDFName is objects.name and pdfdoc.pdfdocEnc is objects.pdfdoc_enc
    monkeypatch.setattr(rl_config, "pdfMultiLine", multiline)
    monkeypatch.setattr(rl_config, "pdfComments", comments)
    monkeypatch.setattr(rl_config, "invariant", 0)

    def run():
        doc, out = pdfdoc.PDFDocument(), []
        for v in _objects(doc):
            out.append(pdfdoc.format(v, doc))
            out.append(pdfdoc.format(v, doc, toplevel=1))
        for name in NAMES:
            out.append(pdfdoc.PDFName(name))
            out.append(pdfdoc.PDFName(name, "a", "z"))
            out.append(pdfdoc.format(pdfdoc.PDFName(name), doc))
        for text in TEXTS + NAMES:
            try:
                out.append(pdfdoc.pdfdocEnc(text))
            except UnicodeEncodeError as e:
                out.append(("refused", e.start))
        out.append(pdfdoc.pdfdocEnc(b"\x80\xff"))
        for oid in list(doc.idToObject):
            if oid not in ("Outlines", "Catalog"):       # (ReportLab needs a canvas for these)
                out.append(pdfdoc.PDFIndirectObject(oid, doc.idToObject[oid]).format(doc))
        return out

    with _reportlabs_formatting(monkeypatch):
        theirs = run()
    assert run() == theirs
    assert run() == theirs                          # (names and keys kept the first time)
    with pytest.raises(UnicodeEncodeError), _reportlabs_formatting(monkeypatch):
        pdfdoc.pdfdocEnc("\x18")
    with pytest.raises(UnicodeEncodeError):
        pdfdoc.pdfdocEnc("\x18")
    with pytest.raises(UnicodeEncodeError):
        pdfdoc.format("\u4e2d", pdfdoc.PDFDocument())


def test_fast_object_formatting_writes_a_real_pdf_as_reportlab(monkeypatch, tmp_path, corpus_docs):
    """A speech's PDF with ReportLab's own formatting and with speechpub's: the same bytes."""
    from datetime import datetime, timezone

    import speechpub.render.pdf.writer as pdf_writer

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.fromtimestamp(1700000000, tz or timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pdf_writer, "datetime", Clock)
    doc = next(iter(corpus_docs.values()))
    with _reportlabs_formatting(monkeypatch):
        render(doc, "pdf", tmp_path / "theirs.pdf")
    render(doc, "pdf", tmp_path / "ours.pdf")
    assert (tmp_path / "ours.pdf").read_bytes() == (tmp_path / "theirs.pdf").read_bytes()

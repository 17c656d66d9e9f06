"""The end-to-end text check: every character of the model reaches the DOCX, PDF and EPUB."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechpub.errors import SpeechpubError
from speechpub.model import Block, Document, Meta
from speechpub.pipeline import from_text
from speechpub.render import render
from speechpub.verify import Difference, compare, extract_text

from cli_helpers import check_outputs, model_text, no_traceback, snapshot, speechpub
from conftest import ALL_INPUTS

FORMATS = ("docx", "pdf", "epub")


# ---- compare --------------------------------------------------------------------------------

def test_equal_texts_and_line_breaks_aside():
    assert compare("一二\n三", "一二三") is None
    assert compare("一二\n三", "一\n二\r\n三") is None


def test_first_difference_with_its_position():
    d = compare("标题\n同志们：\n今天开会。", "标题\n同志们：\n今天闭会。")
    assert d == Difference(position=8, line=3, column=3, expected="开会。", got="闭会。")
    assert "line 3, column 3" in str(d)


def test_missing_and_extra_text_at_the_end():
    assert compare("一二三", "一二") == Difference(2, 1, 3, "三", "")
    assert compare("一二", "一二三") == Difference(2, 1, 3, "", "三")
    assert compare("一\n二", "一") == Difference(1, 2, 1, "二", "")


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(SpeechpubError, match="cannot extract text from a .odt file"):
        extract_text(tmp_path / "x.odt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_check_sees_a_changed_character(tmp_path, fmt):
    """A check that cannot fail is no check: one character changed in the model is found."""
    doc = from_text("某某在会议上的讲话\n同志们：\n今天开会，研究工作。\n谢谢大家。\n")
    path = tmp_path / f"x.{fmt}"
    render(doc, fmt, path)
    assert compare(doc.text(), extract_text(path)) is None
    d = compare(doc.text().replace("研究", "研讨"), extract_text(path))
    assert d is not None and d.line == 3 and d.expected.startswith("讨")


# ---- the seed and every corpus file, through the command line -------------------------------

@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    src, out = root / "in", root / "out"
    src.mkdir()
    for p in ALL_INPUTS:
        (src / p.name).write_bytes(p.read_bytes())
    before = snapshot(src)
    r = speechpub("convert", src, "-o", out, "-f", "txt,json," + ",".join(FORMATS), timeout=900)
    no_traceback(r)
    assert r.returncode == 0, r.stderr[-2000:]
    assert snapshot(src) == before
    check_outputs(out)
    return out


@pytest.mark.parametrize("fmt", ("txt",) + FORMATS)
@pytest.mark.parametrize("src", ALL_INPUTS, ids=lambda p: p.stem)
def test_corpus_outputs_hold_the_model_text(corpus_out, src, fmt):
    expected = model_text(corpus_out / f"{src.stem}.json")
    assert expected
    diff = compare(expected, extract_text(corpus_out / f"{src.stem}.{fmt}"))
    assert diff is None, f"{src.name} -> {fmt}: {diff}"


# ---- generated speeches -------------------------------------------------------------------

# Pieces of speeches: hanzi, traditional forms, punctuation in both widths, numbered heads,
# spaces of every kind, markup of every kind (it must come out literally), Latin and digits.
_PIECES = st.sampled_from(
    list("我们要坚持发展改革创新人民群众工作同志区委政府学习會議們發展總體") +
    list("，。、；：？！（）“”《》——…,.;:?!()\"'<>&#*_[]{}$%\\/| \u3000\t\n") +
    ["\n\n", "一、", "（一）", "1.", "（1）", "第一，", "3.5%", "2011年", "同志们：", "谢谢大家！",
     "<b>", "</b>", "<font name='x'>", "<para>", "&amp;", "&lt;", "&#20013;", "**粗**", "# ", "`c`",
     "$x$", "\\textbf{x}", "<!--", "]]>", "ABC", "abc def", "GDP", "①", "Ⅱ", "°C", "\u00a0", "\u200b"])
SPEECHES = st.lists(_PIECES, min_size=3, max_size=80).map(lambda parts: "某某在会议上的讲话\n" + "".join(parts))


def _round_trip(raw: str, fmt: str) -> None:
    try:
        doc = from_text(raw)
    except SpeechpubError:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"s.{fmt}"
        render(doc, fmt, path)
        diff = compare(doc.text(), extract_text(path))
        assert diff is None, f"{fmt}: {diff}\nmodel: {doc.text()!r}"
        assert [p.name for p in Path(tmp).iterdir()] == [path.name]     # no temporary file left


_SLOW = int(os.environ.get("SPEECHPUB_RENDER_EXAMPLES", 15))
_OPTS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@settings(max_examples=2 * _SLOW, **_OPTS)
@given(SPEECHES)
def test_property_docx_text_equals_the_model(raw):
    _round_trip(raw, "docx")


@settings(max_examples=_SLOW, **_OPTS)
@given(SPEECHES)
def test_property_pdf_text_equals_the_model(raw):
    _round_trip(raw, "pdf")


@settings(max_examples=_SLOW, **_OPTS)
@given(SPEECHES)
def test_property_epub_text_equals_the_model(raw):
    _round_trip(raw, "epub")


# Any character but surrogates, C0/C1 controls and unassigned code points (clean removes
# controls; XML cannot hold most of them), weighted towards hanzi and CJK punctuation. The PDF
# draws a character no font has as a box but keeps it in its text, so emoji and the rest count.
_ALPHABET = st.one_of(st.characters(exclude_categories=("Cs", "Cc", "Cn")),
                      st.sampled_from("\u2194\u21a9\ufe0e\u00a0"),            # characters pandoc or ReportLab change
                      st.characters(min_codepoint=0x3000, max_codepoint=0x3011),  # CJK punctuation
                      st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),  # hanzi
                      st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E))  # full width
_TEXT = st.text(_ALPHABET, max_size=30)
_KINDS = st.sampled_from(["title", "subtitle", "dateline", "speaker", "salutation", "paragraph", "heading",
                          "closing", "note"])


@st.composite
def _documents(draw):
    """Any block structure the model allows, with any text."""
    blocks = []
    for kind, text in draw(st.lists(st.tuples(_KINDS, _TEXT.filter(lambda t: t.strip())), min_size=1, max_size=8)):
        text = text.strip(" \u3000") or "字"
        if kind == "heading":
            blocks.append(Block(kind, text, level=draw(st.integers(1, 4))))
        elif kind == "paragraph" and draw(st.booleans()):
            blocks.append(Block(kind, text, lead_level=draw(st.integers(1, 4)),
                                lead_length=draw(st.integers(1, len(text)))))
        else:
            blocks.append(Block(kind, text))
    title = next((b.text for b in blocks if b.kind == "title"), "")
    return Document(Meta(title=title), tuple(blocks), source="gen.txt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_property_any_block_structure_reaches_every_format(fmt):
    @settings(max_examples=_SLOW, **_OPTS)
    @given(_documents())
    def check(doc):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"d.{fmt}"
            render(doc, fmt, path)
            diff = compare(doc.text(), extract_text(path))
            assert diff is None, f"{fmt}: {diff}\nblocks: {doc.blocks!r}"
    check()


# ---- known changes, one character at a time --------------------------------------------------

def test_every_character_of_the_bmp_reaches_every_format(tmp_path):
    """All 64,000 assigned BMP characters (controls, surrogates and line separators aside), some
    emoji and extension B, in one document: each format gives them all back."""
    import unicodedata
    codes = [*range(0x20, 0xD800), *range(0xE000, 0x10000), *range(0x1F300, 0x1F700), *range(0x20000, 0x20400)]
    chars = "".join(chr(c) for c in codes if unicodedata.category(chr(c)) not in ("Cc", "Cs", "Cn", "Zl", "Zp"))
    doc = Document(Meta(), tuple(Block("paragraph", chars[i:i + 500]) for i in range(0, len(chars), 500)))
    for fmt in FORMATS:
        path = tmp_path / f"all.{fmt}"
        render(doc, fmt, path)
        diff = compare(doc.text(), extract_text(path))
        assert diff is None, f"{fmt}: {diff}"


# characters a format's tool changes, and speechpub changes back
KNOWN_CHANGES = [
    pytest.param("pdf", "\xa0"),          # ReportLab draws it as a space; pdf_fonts.encode keeps it
    pytest.param("epub", "\u2194"),        # pandoc appends U+FE0E; epub._finish takes it out
    pytest.param("epub", "\u21a9"),
    pytest.param("epub", "\u2194\ufe0e"),  # ... but leaves the speech's own
    pytest.param("epub", "\u2194\ufe0e\u21a9\u21a9\ufe0e\ufe0e\u2194"),
]


@pytest.mark.parametrize("fmt, ch", KNOWN_CHANGES)
def test_known_character_changes(tmp_path, fmt, ch):
    doc = Document(Meta(), (Block("paragraph", f"北京{ch}上海"),))
    path = tmp_path / f"x.{fmt}"
    render(doc, fmt, path)
    assert compare(doc.text(), extract_text(path)) is None

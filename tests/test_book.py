"""`speechpub book`: many speeches in one volume."""
from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from speechpub.book import Volume, format_of, ordered, write
from speechpub.cli import main
from speechpub.errors import SpeechpubError
from speechpub.model import Block, Document, Meta
from speechpub.render import RenderOptions

from conftest import ALL_INPUTS, FIXTURES
from test_epub import DC, OPF, XHTML, _xml, chapter_texts, languages, nav_entries, opf, spine_files

TRAD = FIXTURES / "16_tsai-2016-inaugural-trad-bom.txt"


def doc(name: str, date: str, title: str) -> Document:
    return Document(Meta(title=title, date=date), (Block("title", title), Block("paragraph", "正文。")),
                    source=f"in/{name}")


HAND = [doc("b.txt", "2020-03-06", "乙"), doc("a.txt", "", "甲"), doc("c.txt", "1978-03-18", "丙")]


@pytest.mark.parametrize("order, titles", [
    ("date", ["丙", "乙", "甲"]),      # undated last
    ("name", ["甲", "乙", "丙"]),
    ("input", ["乙", "甲", "丙"]),
])
def test_order(order, titles):
    assert [d.meta.title for d in ordered(HAND, order)] == titles


def test_format_from_suffix_or_option():
    assert format_of(Path("x.epub"), None) == "epub"
    assert format_of(Path("x.bin"), "docx") == "docx"
    with pytest.raises(SpeechpubError, match="-f epub"):
        format_of(Path("x.bin"), None)


@pytest.fixture(scope="module")
def corpus_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "all.epub"
    run = CliRunner().invoke(main, ["book", *map(str, ALL_INPUTS), "-o", str(path),
                                    "--title", "讲话选编", "--editor", "某编辑部"])
    assert run.exit_code == 0, run.output
    assert "7 speeches" in run.output
    return path


def test_book_chapters_in_date_order_with_model_text(corpus_book, corpus_docs):
    docs = ordered([corpus_docs[p.name] for p in ALL_INPUTS], "date")
    assert chapter_texts(corpus_book) == [[b.text for b in d.blocks] for d in docs]
    dates = [d.meta.date for d in docs if d.meta.date]
    assert dates == sorted(dates)


def test_book_contents_lists_each_speech_and_its_level1_headings(corpus_book, corpus_docs):
    expected = []
    for d in ordered([corpus_docs[p.name] for p in ALL_INPUTS], "date"):
        expected.append(d.meta.title or Path(d.source).stem)
        expected += [b.text for b in d.blocks if b.kind == "heading" and b.level == 1]
    assert nav_entries(corpus_book) == expected


def test_book_title_editor_and_pages(corpus_book):
    root = opf(corpus_book)
    assert [e.text for e in root.iter(DC + "title")] == ["讲话选编"]
    assert [e.text for e in root.iter(DC + "creator")] == ["某编辑部"]
    roles = [m.text for m in root.iter(OPF + "meta") if m.get("property") == "role"]
    assert roles == ["edt"]
    files = spine_files(corpus_book)
    assert files[0] == "EPUB/text/cover.xhtml" and files[3] == "EPUB/nav.xhtml"
    with zipfile.ZipFile(corpus_book) as z:
        title_page = ["".join(e.itertext()) for e in _xml(z, files[1]).iter() if e.tag in (XHTML + "h1", XHTML + "p")]
        colophon = "".join(_xml(z, files[2]).itertext())
    assert title_page == ["讲话选编", "某编辑部 编", "1978—2026年"]
    assert "版权信息" in colophon and "收录：7 篇讲话，1978—2026年" in colophon and "编者：某编辑部" in colophon


def test_book_language_per_speech(corpus_book):
    assert languages(corpus_book) == ["zh-CN"]
    with zipfile.ZipFile(corpus_book) as z:
        langs = {sec.get("lang") for name in spine_files(corpus_book) if "/text/" in name
                 for sec in _xml(z, name).iter(XHTML + "section") if "speech" in (sec.get("class") or "")}
    assert langs == {"zh-CN", "zh-TW"}


def test_traditional_book_texts_are_traditional(tmp_path):
    path = tmp_path / "trad.epub"
    run = CliRunner().invoke(main, ["book", str(TRAD), "-o", str(path)])
    assert run.exit_code == 0, run.output
    assert languages(path) == ["zh-TW"]
    assert [e.text for e in opf(path).iter(DC + "title")] == ["講話彙編"]
    assert nav_entries(path)[0] == "16_tsai-2016-inaugural-trad-bom"


def test_book_of_a_folder_and_a_bad_format(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in ALL_INPUTS[:2]:
        (folder / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "b.epub"
    run = CliRunner().invoke(main, ["book", str(folder), "-o", str(out), "--order", "name"])
    assert run.exit_code == 0, run.output
    assert len(chapter_texts(out)) == 2
    run = CliRunner().invoke(main, ["book", str(folder), "-o", str(tmp_path / "b.xyz")])
    assert run.exit_code == 2 and "-f epub" in run.output


def test_empty_volume_is_refused(tmp_path):
    with pytest.raises(SpeechpubError):
        write(Volume("t", "", ()), tmp_path / "x.epub", "epub", RenderOptions())


# ---- PDF and DOCX volumes --------------------------------------------------------------

def _docs(corpus_docs):
    return ordered([corpus_docs[p.name] for p in ALL_INPUTS], "date")


@pytest.fixture(scope="module")
def pdf_book(tmp_path_factory, corpus_docs):
    path = tmp_path_factory.mktemp("pdfbook") / "all.pdf"
    write(Volume("讲话选编", "某编辑部", tuple(_docs(corpus_docs))), path, "pdf", RenderOptions())
    return path


def _bookmarks(reader):
    out = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                out.append((depth, str(it.title), reader.get_destination_page_number(it)))
    walk(reader.outline, 0)
    return out


def test_pdf_book_pages_numbers_and_bookmarks(pdf_book, corpus_docs):
    from pypdf import PdfReader
    from speechpub.book import titled
    reader = PdfReader(pdf_book)
    labels = reader.page_labels
    marks = _bookmarks(reader)
    assert marks[0][:2] == (0, "目录") and labels[marks[0][2]] == "iii"
    speeches = [(title, page) for depth, title, page in marks if depth == 0][1:]
    docs = _docs(corpus_docs)
    assert [t for t, _ in speeches] == [titled(d).blocks[0].text for d in docs]
    assert labels[speeches[0][1]] == "1" and labels[:3] == ["i", "ii", "iii"]
    for (title, page), d in zip(speeches, docs):
        assert int(labels[page]) % 2 == 1, title               # every speech opens on a recto
        text = reader.pages[page].extract_text()
        assert "".join(title.split()) in "".join(text.split())
        assert f"— {labels[page]} —" in text                    # printed number = page label
    heads = [t for depth, t, _ in marks if depth == 1]
    assert heads == [b.text for d in docs for b in d.blocks if b.kind == "heading" and b.level == 1]
    contents = "".join(reader.pages[2].extract_text().split())
    assert "目录" in contents and f"{titled(docs[1]).blocks[0].text}" in contents
    assert reader.metadata.title == "讲话选编"


def test_pdf_book_embeds_each_font_subset_once(pdf_book, corpus_docs):
    from pypdf import PdfReader
    reader = PdfReader(pdf_book)
    fonts = {}
    for page in reader.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            font = font.get_object()
            fonts.setdefault(str(font["/BaseFont"]), set()).add(font.indirect_reference.idnum)
    # one font object per subset name: the speeches share subsets instead of embedding their own
    assert fonts and all(len(ids) == 1 for ids in fonts.values()), fonts
    files = {str(f["/BaseFont"]) for f in (reader.get_object(i) for ids in fonts.values() for i in ids)
             if "/FontFile2" in f["/FontDescriptor"].get_object()}
    assert files == set(fonts)                      # every one embedded
    assert pdf_book.stat().st_size < 4_000_000      # seven speeches; merged per-speech PDFs were 8.7 MB


def test_pdf_book_text_equals_the_speeches(pdf_book, corpus_docs):
    from pypdf import PdfReader
    from speechpub.book import titled
    from speechpub.verify import compare, pdf_text
    n_front = PdfReader(pdf_book).page_labels.index("1")
    pages = pdf_text(pdf_book).split("\n")[n_front:]
    expected = "".join(titled(d).text().replace("\n", "") for d in _docs(corpus_docs))
    assert compare(expected, "".join(pages)) is None


@pytest.fixture(scope="module")
def docx_book(tmp_path_factory, corpus_docs):
    path = tmp_path_factory.mktemp("docxbook") / "all.docx"
    write(Volume("讲话选编", "某编辑部", tuple(_docs(corpus_docs))), path, "docx", RenderOptions())
    return path


def test_docx_book_text_toc_and_sections(docx_book, corpus_docs):
    import docx
    from speechpub.book import titled
    book = docx.Document(str(docx_book))
    paras = book.paragraphs
    docs = [titled(d) for d in _docs(corpus_docs)]
    body_texts = [b.text for d in docs for b in d.blocks]
    start = next(i for i, p in enumerate(paras) if p._p.pPr is not None and p._p.pPr.sectPr is not None) + 1
    assert [p.text for p in paras[start:]] == body_texts
    titles = [p for p in paras[start:] if p.style.name == "Title"]
    assert [p.text for p in titles] == [d.blocks[0].text for d in docs]
    assert all(p.paragraph_format.page_break_before for p in titles)
    assert all(p._p.pPr.outlineLvl.val == 0 for p in titles)
    xml = book.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml and 'w:fldCharType="end"' in xml
    sections = book.sections
    assert len(sections) == 2
    assert sections[1]._sectPr.find(f"{{{W_NS}}}pgNumType").get(f"{{{W_NS}}}start") == "1"
    assert sections[0]._sectPr.find(f"{{{W_NS}}}footerReference") is None
    assert book.core_properties.title == "讲话选编" and book.core_properties.author == "某编辑部"


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_a_book_is_one_pandoc_call(tmp_path, corpus_docs, monkeypatch):
    from speechpub.render.epub import writer as epub
    calls = []
    real = epub.run_pandoc
    monkeypatch.setattr(epub, "run_pandoc", lambda *a: calls.append(a) or real(*a))
    docs = [replace(d, source=f"{i:03d}_{Path(d.source).name}")
            for i, d in enumerate(list(corpus_docs.values()) * 6)]
    path = tmp_path / "many.epub"
    write(Volume("多篇", "", tuple(docs)), path, "epub", RenderOptions())
    assert len(calls) == 1
    assert len(chapter_texts(path)) == len(docs) == 42


def test_pdf_book_title_wraps_between_words(tmp_path, corpus_docs):
    import pdfplumber
    title = "在全市深化改革推进高质量发展暨优化营商环境动员大会上的讲话选编"   # 20 a line: 营商环|境
    path = tmp_path / "b.pdf"
    write(Volume(title, "", tuple(_docs(corpus_docs))[:1]), path, "pdf", RenderOptions())
    with pdfplumber.open(path) as pdf:
        lines = pdf.pages[0].extract_text().split("\n")
    assert "".join(lines[:2]) == title, lines
    assert "营商环境" in lines[0] or "营商环境" in lines[1]

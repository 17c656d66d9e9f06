"""`speechpub book`: many speeches in one volume."""
from __future__ import annotations

import zipfile
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
    assert files[2] == "EPUB/nav.xhtml"
    with zipfile.ZipFile(corpus_book) as z:
        title_page = ["".join(e.itertext()) for e in _xml(z, files[0]).iter() if e.tag in (XHTML + "h1", XHTML + "p")]
        colophon = "".join(_xml(z, files[1]).itertext())
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

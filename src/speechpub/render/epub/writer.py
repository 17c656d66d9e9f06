"""EPUB 3 through pandoc: the model becomes pandoc's JSON AST, which a pandoc process kept
running writes (render.epub.pandoc).

The ebook style, the embedded fonts, the cover and the book's own texts (BookInfo, language,
title and copyright page lines) are in style, fonts, cover and book beside this module.

The AST holds no images, raw markup or file-naming metadata (pandoc refuses them, so it reads
no file but the font subsets it is given). So pandoc writes its default stylesheet and
`_finish` swaps in ours (styles/ebook.css plus rules generated from styles/ebook.toml) and adds
the generated SVG cover as it copies the zip; font subsets go in as pandoc's epub_fonts.

Visual check (apt-get install chromium): unzip a book and run
    chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$(mktemp -d) \
        --screenshot=out.png --window-size=800,1100 EPUB/text/ch001.xhtml
"""
from __future__ import annotations

import os
import re
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from ...model import Document, Warning
from ...outfile import atomic_path
from . import pandoc_ast as ast
from .book import (BookInfo, book_language, chinese_date, colophon_lines, editor_line, iso_date, language,
                   translator)
from .cover import cover_page, cover_svg
from .fonts import embed_fonts, font_files
from .pandoc import check_pandoc, run_pandoc
from .style import EbookStyle, load_ebook_style, style_css

__all__ = ["write", "write_book", "check_pandoc", "run_pandoc"]

_ASCII = "".join(map(chr, range(0x21, 0x7F)))
LEVEL = 1     # zlib's fastest: a third of the time of its default level, the book about 6% larger


# ---- the book --------------------------------------------------------------------------

def write(doc: Document, path: Path, options) -> list[Warning]:
    """One speech as one EPUB 3."""
    m = doc.meta
    dateline = next((b.text for b in doc.blocks if b.kind == "dateline"), chinese_date(m.date))
    speaker = next((b.text for b in doc.blocks if b.kind == "speaker"), m.speaker)   # with position
    info = BookInfo(title=doc.display_title, speaker=speaker, subtitle=m.subtitle,
                    creator=m.speaker, date=m.date, dateline=dateline,
                    subjects=tuple(s for s in (m.occasion, m.kind) if s), single=True)
    return write_book([doc], path, options, info)


def write_book(docs: list[Document], path: Path, options, info: BookInfo) -> list[Warning]:
    """Speeches, in the order given, as one EPUB 3 (one pandoc call)."""
    style = load_ebook_style(getattr(options, "ebook_style", None))
    lang = book_language(docs)
    say = translator(lang)
    warnings: list[Warning] = []
    blocks = [_title_page(info, style, say)]
    if not info.single:
        blocks.append(_colophon(docs, info, style, say))
    for i, d in enumerate(docs, 1):
        blocks.append(ast.chapter(d, f"s{i:03d}", d.display_title, language(d.meta)))
    doc_ast = ast.document(_metadata(docs, info, lang, style, say), blocks)
    depth = style.book("toc_depth_single" if info.single else "toc_depth_book", 2)
    with tempfile.TemporaryDirectory(prefix="speechpub-epub-") as tmp:
        embedded, files, fonts = {}, None, []
        if getattr(options, "embed_fonts", False):
            files = font_files(options)
            every = "".join(ast.strings(doc_ast)) + _ASCII   # ASCII: pandoc's own labels
            embedded, font_warnings = embed_fonts(docs, info, style, options, Path(tmp), every)
            warnings += font_warnings
            fonts = [Path(tmp) / name for name in embedded.values()]
        raw = Path(tmp) / "pandoc.epub"
        said = run_pandoc(doc_ast, raw, depth, fonts)
        warnings += [Warning("pandoc", line) for line in said]
        with atomic_path(Path(path)) as out:
            _finish(raw, out, style_css(style, embedded), cover_svg(info, style, say, files),
                    cover_page(info.title, lang, say), front=len(blocks) - len(docs), dated=bool(iso_date(info.date)))
    return warnings


def _identifier(docs: list[Document], info: BookInfo) -> str:
    """A stable urn:uuid: the same speeches and title give the same identifier."""
    key = info.title + "\n" + "\n".join(d.text() for d in docs)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "speechpub:" + key))


def _metadata(docs, info: BookInfo, lang: str, style: EbookStyle, say) -> dict:
    meta = {
        "title": ast.meta_inlines(info.title),
        "lang": ast.meta_str(lang),
        "identifier": ast.meta_str(_identifier(docs, info)),
        "toc-title": ast.meta_inlines(say(style.book("toc_title", "目录"))),
        "pagetitle": ast.meta_inlines(info.title),
    }
    creators = []
    if info.creator:
        creators.append(ast.meta_map({"role": ast.meta_str("aut"), "text": ast.meta_inlines(info.creator)}))
    if info.editor:
        creators.append(ast.meta_map({"role": ast.meta_str("edt"), "text": ast.meta_inlines(info.editor)}))
    if creators:
        meta["creator"] = ast.meta_list(creators)
    if info.subtitle:
        meta["subtitle"] = ast.meta_inlines(info.subtitle)
    date = iso_date(info.date)
    if date:
        meta["date"] = ast.meta_str(date)
    if info.subjects:
        meta["subject"] = ast.meta_list([ast.meta_inlines(s) for s in info.subjects])
    return meta


def _line(text: str, cls: str) -> dict:
    return ast.div([ast.para(ast.str_(text))], [cls])


def _title_page(info: BookInfo, style: EbookStyle, say) -> dict:
    """The title page: title, subtitle, speaker or editor, date line; not in the contents."""
    lines = [ast.header(1, ast.words_(info.title), "titlepage", ["title", "unlisted", "unnumbered"],
                        [("epub:type", "titlepage")])]
    if info.subtitle:
        lines.append(_line(info.subtitle, "subtitle"))
    if info.speaker:
        lines.append(_line(info.speaker, "speaker"))
    if info.editor:
        lines.append(_line(editor_line(info, style, say), "editor"))
    if info.dateline:
        lines.append(_line(info.dateline, "dateline"))
    return ast.div(lines, ["section", "titlepage"])


def _colophon(docs, info: BookInfo, style: EbookStyle, say) -> dict:
    title, *lines = colophon_lines(docs, info, style, say)
    head = ast.header(1, ast.str_(title), "colophon", ["unlisted", "unnumbered"], [("epub:type", "copyright-page")])
    return ast.div([head, *(_line(text, "colophon-line") for text in lines)], ["section", "colophon"])


# ---- after pandoc ----------------------------------------------------------------------



def _finish(raw: Path, out: Path, css: str, cover: str, cover_page: str, front: int, dated: bool) -> None:
    """Copy pandoc's EPUB with our stylesheet in place of its default, and a cover (image and
    page). The U+FE0E pandoc appends to ↔ and ↩ is taken out again (pandoc_ast.xml_safe), so the
    text stays the speech's."""
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.endswith((".xhtml", ".opf", ".ncx")) and ast.VS15.encode() in data:
                data = ast.restore_vs15(data.decode("utf-8")).encode("utf-8")
            if item.filename == "EPUB/styles/stylesheet1.css":
                data = css.encode("utf-8")
            elif item.filename == "EPUB/content.opf":
                data = _fix_opf(data.decode("utf-8"), front, dated).encode("utf-8")
            method = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(_entry(item.filename), data, compress_type=method, compresslevel=LEVEL)
            if item.filename == "EPUB/content.opf":
                for name, text in (("EPUB/media/cover.svg", cover), ("EPUB/text/cover.xhtml", cover_page)):
                    zout.writestr(_entry(name), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED,
                                  compresslevel=LEVEL)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info


def _fix_opf(opf: str, front: int, dated: bool) -> str:
    """Add the cover image; put the contents after the `front` front-matter pages (pandoc puts
    it first); date dcterms:modified with SOURCE_DATE_EPOCH or now; no dc:date for a speech
    with no date (pandoc would put the time of writing there, as if the speech's)."""
    items = ('<item id="cover-image" href="media/cover.svg" media-type="image/svg+xml" properties="cover-image" />\n'
             '    <item id="cover_xhtml" href="text/cover.xhtml" media-type="application/xhtml+xml" />')
    opf = opf.replace("</manifest>", f"  {items}\n  </manifest>", 1)
    opf = re.sub(r"(<spine[^>]*>\n)", r'\g<1>    <itemref idref="cover_xhtml" />\n', opf, count=1)
    opf = opf.replace("</metadata>", '  <meta name="cover" content="cover-image" />\n  </metadata>', 1)
    nav = '<itemref idref="nav" />'
    if nav in opf and front:
        opf = opf.replace(f"    {nav}\n", "", 1)
        last = f'<itemref idref="ch{front:03d}_xhtml" />'
        opf = opf.replace(last, f"{last}\n    {nav}", 1)
    if not dated:
        opf = re.sub(r'\n *<dc:date id="epub-date">[^<]*</dc:date>', "", opf, count=1)
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    return re.sub(r'(<meta property="dcterms:modified">)[^<]*', rf"\g<1>{stamp}", opf, count=1)

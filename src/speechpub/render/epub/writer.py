"""EPUB 3 through pandoc: the model becomes pandoc's JSON AST, pandoc runs with --sandbox.

The ebook style, the embedded fonts, the cover and the book's own texts (BookInfo, language,
title and copyright page lines) are in style, fonts, cover and book beside this module.

What pandoc 3.9's --sandbox allows (tested): files named by --epub-embed-font, --template and
--metadata-file are read (whatever they are); files named by --css and --epub-cover-image are
refused ("not found in resource path"), even as data: URIs; an image path inside the document
is not fetched (a warning, no file in the EPUB), while a data: URI image is decoded (no IO).
The AST we build holds no images. So pandoc writes its default stylesheet and `_finish`
swaps in ours (styles/ebook.css plus rules generated from styles/ebook.toml) and adds the
generated SVG cover as it copies the zip; font subsets go in through --epub-embed-font.

Visual check (apt-get install chromium): unzip a book and run
    chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$(mktemp -d) \
        --screenshot=out.png --window-size=800,1100 EPUB/text/ch001.xhtml
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
import uuid
import zipfile
from functools import lru_cache
from pathlib import Path

from ...errors import SpeechpubError
from ...model import Document, Warning
from ...outfile import atomic_path
from . import pandoc_ast as ast
from .book import (BookInfo, book_language, chinese_date, colophon_lines, editor_line, iso_date, language,
                   translator)
from .cover import cover_page, cover_svg
from .fonts import embed_fonts, font_files
from .style import EbookStyle, load_ebook_style, style_css

__all__ = ["write", "write_book"]

_ASCII = "".join(map(chr, range(0x21, 0x7F)))


# ---- pandoc ----------------------------------------------------------------------------

def pandoc_path() -> str:
    import pypandoc
    try:
        return pypandoc.get_pandoc_path()
    except OSError as e:
        raise SpeechpubError("", f"pandoc not found: {e}; install pypandoc-binary") from None


@lru_cache(maxsize=1)
def check_pandoc() -> str:
    """The pandoc binary, after checking once that it reads our AST's API version."""
    exe = pandoc_path()
    run = subprocess.run([exe, "--sandbox", "-f", "markdown", "-t", "json"], input=b"",
                         capture_output=True, timeout=60)
    try:
        have = json.loads(run.stdout)["pandoc-api-version"]
    except (ValueError, KeyError):
        raise SpeechpubError("", f"{exe} did not answer as pandoc: {run.stderr.decode(errors='replace')[:200]}") from None
    if have[:2] != ast.API_VERSION[:2]:
        want = ".".join(map(str, ast.API_VERSION[:2]))
        raise SpeechpubError("", f"pandoc at {exe} speaks pandoc API {'.'.join(map(str, have))}, "
                                 f"speechpub builds API {want}; install a pypandoc-binary with pandoc 3.x")
    return exe


# the sandbox also keeps pandoc from its translation files: its own labels (the hidden
# landmarks) stay English; the contents title comes from ebook.toml
_SANDBOX_NOISE = re.compile(r"Could not load translations|has no translation defined")


def run_pandoc(doc_ast: dict, out: Path, args: list[str]) -> list[str]:
    """Write `out` with pandoc in its sandbox; returns pandoc's warnings."""
    exe = check_pandoc()
    cmd = [exe, "--sandbox", "-f", "json", "-t", "epub3", "--wrap=none", "-o", str(out), *args]
    run = subprocess.run(cmd, input=json.dumps(doc_ast, ensure_ascii=False).encode("utf-8"),
                         capture_output=True, timeout=600)
    if run.returncode != 0:
        raise SpeechpubError(out, f"pandoc failed ({run.returncode}): {run.stderr.decode(errors='replace')[:500]}")
    said: list[str] = []
    for line in run.stderr.decode(errors="replace").splitlines():
        if said and line[:1].isspace():          # a message's continuation line
            said[-1] += " " + line.strip()
        elif line.strip():
            said.append(line.strip())
    return [m for m in said if not _SANDBOX_NOISE.search(m)]


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
    args = ["--toc", f"--toc-depth={depth}", "--split-level=1", "--epub-title-page=false"]
    with tempfile.TemporaryDirectory(prefix="speechpub-epub-") as tmp:
        embedded, files = {}, None
        if getattr(options, "embed_fonts", False):
            files = font_files(options)
            every = "".join(ast.strings(doc_ast)) + _ASCII   # ASCII: pandoc's own labels
            embedded, font_warnings = embed_fonts(docs, info, style, options, Path(tmp), every)
            warnings += font_warnings
            args += [f"--epub-embed-font={Path(tmp) / name}" for name in embedded.values()]
        raw = Path(tmp) / "pandoc.epub"
        warnings += [Warning("pandoc", line) for line in run_pandoc(doc_ast, raw, args)]
        with atomic_path(Path(path)) as out:
            _finish(raw, out, style_css(style, embedded), cover_svg(info, style, say, files),
                    cover_page(info.title, lang, say), front=len(blocks) - len(docs))
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



def _finish(raw: Path, out: Path, css: str, cover: str, cover_page: str, front: int) -> None:
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
                data = _fix_opf(data.decode("utf-8"), front).encode("utf-8")
            method = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(_entry(item.filename), data, compress_type=method)
            if item.filename == "EPUB/content.opf":
                for name, text in (("EPUB/media/cover.svg", cover), ("EPUB/text/cover.xhtml", cover_page)):
                    zout.writestr(_entry(name), text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info


def _fix_opf(opf: str, front: int) -> str:
    """Add the cover image; put the contents after the `front` front-matter pages (pandoc puts
    it first); date dcterms:modified (the sandbox's clock says 1970)."""
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
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    return re.sub(r'(<meta property="dcterms:modified">)[^<]*', rf"\g<1>{stamp}", opf, count=1)

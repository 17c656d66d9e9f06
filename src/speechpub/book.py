"""Collected volumes: many speeches in one EPUB (or one PDF / DOCX), in a chosen order."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import SpeechpubError
from .model import Document, Warning

ORDERS = ("date", "name", "input")
BOOK_FORMATS = ("epub", "pdf", "docx", "ofd")
DEFAULT_TITLE = "讲话汇编"


@dataclass(frozen=True)
class Volume:
    title: str
    editor: str
    docs: tuple[Document, ...]


def collect(sources, script: str = "auto") -> tuple[list[Document], list]:
    """Load every speech under `sources` (files, or folders searched for *.txt) in input order.

    Returns (documents, skipped) where skipped holds (path, reason) pairs."""
    from .batch import find_inputs
    from .pipeline import load
    jobs, skipped = find_inputs([Path(s) for s in sources])
    if not jobs:
        raise SpeechpubError(", ".join(map(str, sources)), "no input files found (folders are searched for *.txt)")
    return [load(j.source, script=script) for j in jobs], skipped


def ordered(docs: list[Document], order: str = "date") -> list[Document]:
    """date: by speech date, undated speeches last; name: by file name; input: as given.
    Ties keep the input order."""
    if order == "input":
        return list(docs)
    if order == "name":
        return sorted(docs, key=lambda d: Path(d.source).name)
    if order == "date":
        return sorted(docs, key=lambda d: (not d.meta.date, d.meta.date))
    raise SpeechpubError("", f"unknown order {order!r} (known: {', '.join(ORDERS)})")


def format_of(path: Path, fmt: str | None) -> str:
    """The book's format: as given, else from the output file's suffix."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in BOOK_FORMATS:
        raise SpeechpubError(path, f"cannot tell the book format; use -f {' | '.join(BOOK_FORMATS)}")
    return fmt


def write(volume: Volume, path: Path, fmt: str, options) -> list[Warning]:
    """Write the volume as one file of format `fmt`."""
    if not volume.docs:
        raise SpeechpubError(path, "a book needs at least one speech")
    if fmt == "epub":
        from .render import epub
        return epub.write_book(list(volume.docs), Path(path), options, book_info(volume))
    if fmt == "pdf":
        return _write_pdf(volume, Path(path), options)
    if fmt == "docx":
        return _write_docx(volume, Path(path), options)
    if fmt == "ofd":
        return _write_ofd(volume, Path(path), options)
    raise SpeechpubError(path, f"unknown book format {fmt!r}")


def book_info(volume: Volume):
    from .render.epub.book import BookInfo, book_language, translator, year_span
    title = volume.title or translator(book_language(list(volume.docs)))(DEFAULT_TITLE)
    dates = sorted(d.meta.date for d in volume.docs if d.meta.date)
    return BookInfo(title=title, editor=volume.editor, date=dates[-1] if dates else "",
                    dateline=year_span(list(volume.docs)))


def _texts(volume: Volume, options):
    """(book info, editor line, copyright page lines, contents title) in the book's script."""
    from .render.epub.book import book_language, colophon_lines, editor_line, translator
    from .render.epub.style import load_ebook_style
    info = book_info(volume)
    style = load_ebook_style(getattr(options, "ebook_style", None))   # its [book] texts
    say = translator(book_language(list(volume.docs)))
    editor = editor_line(info, style, say) if info.editor else ""
    return (info, editor, colophon_lines(list(volume.docs), info, style, say),
            say(style.book("toc_title", "目录")))


def titled(doc: Document) -> Document:
    """The speech as a chapter: a speech without a title block first gets one (its fallback
    title: the file name), so every chapter opens with its title (PDF, DOCX books)."""
    if doc.blocks and doc.blocks[0].kind == "title":
        return doc
    from .model import Block
    return replace(doc, blocks=(Block("title", doc.display_title), *doc.blocks))


# ---- PDF: one canvas (each font subset embedded once): front matter, then each speech on a recto

def _write_pdf(volume: Volume, path: Path, options) -> list[Warning]:
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName

    from .outfile import atomic_path
    from .render.epub.book import book_language
    from .render.pdf.writer import Sheet
    sheet = Sheet(options.style)
    docs = [titled(d) for d in volume.docs]
    # first pass, layout only: where each speech and its level-1 headings fall, for the contents
    # (drawing lays a speech out again rather than keep every speech's rows in memory)
    entries, first = [], 0
    for d in docs:
        pages = sheet.layout(d)
        entries.append((d.display_title, 0, first + 1))
        entries += [(row.outline[0], 1, first + k + 1) for k, page in enumerate(pages)
                    for row in page if row.outline and row.outline[1] == 1]
        first += len(pages) + len(pages) % 2    # the next one starts on a recto
    info, editor, colophon, toc_title = _texts(volume, options)
    with atomic_path(path) as tmp:
        c = sheet.open(tmp, book_language(list(volume.docs)))
        c.setTitle(info.title)
        c.setAuthor(info.editor)
        c.setCreator("speechpub")
        c.setProducer("speechpub (ReportLab)")
        c._doc.Catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": PDFName("true")})
        n_front = _front_matter(sheet, info, editor, colophon, toc_title, entries)
        c.addPageLabel(0, "ROMAN_LOWER", 1)     # (by name: ReportLab mistakes "r" for "R")
        c.addPageLabel(n_front, "ARABIC", 1)
        number = 1
        for d in docs:
            pages = sheet.layout(d)
            sheet.bookmark(d.display_title, 0)
            sheet.draw(pages, first_number=number, outline_base=1)
            number += len(pages)
            if len(pages) % 2:                  # a blank verso
                c.showPage()
                number += 1
        c.save()
    return sheet.warnings()


def _front_matter(sheet, info, editor: str, colophon: list[str], toc_title: str,
                  entries: list[tuple[str, int, int]]) -> int:
    """Title page, copyright page on its back, contents from page iii; an even page count."""
    from .units import mm_to_pt
    c, style = sheet.c, sheet.style
    fonts = _BookFonts(sheet.fonts)
    W, H = mm_to_pt(style.page_width_mm), mm_to_pt(style.page_height_mm)
    left, right = mm_to_pt(style.margin_left_mm), W - mm_to_pt(style.margin_right_mm)
    top, bottom = H - mm_to_pt(style.margin_top_mm), mm_to_pt(style.margin_bottom_mm)
    el = style.elements
    # title page: title and editor in the style's title and speaker fonts
    size = el["title"].size_pt
    y = H * 0.68
    for line in _wrap(info.title, fonts, el["title"].font, size, right - left):
        fonts.draw(c, W / 2, y, line, el["title"].font, size, "center")
        y -= size * 1.8
    y = H * 0.42
    for text, e in ((editor, el["speaker"]), (info.dateline, el["dateline"])):
        if text:
            fonts.draw(c, W / 2, y, text, e.font, e.size_pt, "center")
            y -= e.size_pt * 1.8
    c.showPage()
    # copyright page: at the foot of the back of the title page, in the note size
    note = el["note"]
    step = note.size_pt * 1.8
    y = bottom + step * len(colophon)
    for i, text in enumerate(colophon):
        for line in _wrap(text, fonts, note.font, note.size_pt, right - left):
            fonts.draw(c, left, y, line, el["heading1"].font if i == 0 else note.font, note.size_pt)
            y -= step
    c.showPage()
    pages = 2
    # contents: speeches in the level-1 heading font, their headings in the note size
    sheet.bookmark(toc_title, 0)
    speech, head = (el["heading1"].font, el["paragraph"].size_pt), (el["paragraph"].font, note.size_pt)
    y = top - size
    fonts.draw(c, W / 2, y, toc_title, el["title"].font, size, "center")
    y -= size * 2
    for text, level, page in entries:
        cls, fsize = speech if level == 0 else head
        indent = 0 if level == 0 else 2 * fsize
        num = str(page)
        room = right - left - indent - fonts.width(num, head[0], fsize) - 2 * fsize
        lines = _wrap(text, fonts, cls, fsize, room)
        if y - fsize * 1.6 * len(lines) < bottom:
            c.showPage()
            pages += 1
            y = top - size
        for k, line in enumerate(lines):
            fonts.draw(c, left + indent, y, line, cls, fsize)
            if k == len(lines) - 1:
                end = left + indent + fonts.width(line, cls, fsize) + fsize / 2
                fonts.draw(c, right, y, num, head[0], fsize, "right")
                dots = right - fonts.width(num, head[0], fsize) - fsize / 2
                if dots > end:
                    c.setDash(1, 3)
                    c.setLineWidth(0.6)
                    c.line(end, y + fsize / 6, dots, y + fsize / 6)
                    c.setDash()
            y -= fsize * 1.6
        if level == 0:
            y -= fsize * 0.3
    c.showPage()
    pages += 1
    if pages % 2:
        c.showPage()
        pages += 1
    return pages


def _wrap(text: str, fonts, cls: str, size: float, width: float) -> list[str]:
    """Greedy lines of at most `width`, ending between words where the line has room for it."""
    from .typeset.linebreak import can_break
    from .typeset.words import boundaries
    cuts = boundaries(text)
    lines, start = [], 0
    for i in range(1, len(text)):
        if fonts.width(text[start:i + 1], cls, size) > width:
            back = [b for b in range(start + 1, i + 1) if b in cuts and can_break(text, b)]
            end = back[-1] if back else i
            lines.append(text[start:end])
            start = end
    return [*lines, text[start:]]


class _BookFonts:
    """Text in the front matter: the style's font classes through the PDF's own FontSet, so a
    character a class font lacks comes from a fallback font (and is reported), and the front
    matter shares the speeches' font subsets."""

    def __init__(self, fonts):
        self.fonts = fonts

    def _runs(self, text: str, cls: str):
        runs = []
        for ch in text:
            reg = self.fonts.pick(cls, ch)
            if runs and runs[-1][0] is reg:
                runs[-1][1] += ch
            else:
                runs.append([reg, ch])
        return runs

    def width(self, text: str, cls: str, size: float) -> float:
        from .render.pdf.fonts import advance
        return sum(advance(reg, ch, size) for reg, t in self._runs(text, cls) for ch in t)

    def draw(self, c, x: float, y: float, text: str, cls: str, size: float, align: str = "left"):
        from .render.pdf.fonts import advance
        w = self.width(text, cls, size)
        x = {"left": x, "center": x - w / 2, "right": x - w}[align]
        for reg, t in self._runs(text, cls):
            c.setFont(reg.name, size)
            c.drawString(x, y, t)
            x += sum(advance(reg, ch, size) for ch in t)


# ---- OFD: the speeches' pages as the PDF book draws them, written page by page ----------------

def _write_ofd(volume: Volume, path: Path, options) -> list[Warning]:
    from .render import ofd
    from .render.epub.book import book_language
    info = book_info(volume)
    docs = [titled(d) for d in volume.docs]
    dates = sorted(d.meta.date for d in volume.docs if d.meta.date)
    meta = {"title": info.title, "author": volume.editor, "language": book_language(list(volume.docs)),
            "date": f"{dates[0]}/{dates[-1]}" if dates and dates[0] != dates[-1] else (dates[0] if dates else "")}
    return ofd.write_book(docs, [d.display_title for d in docs], path, options, meta)


# ---- DOCX: each speech through render.docx, bodies joined; front matter and a TOC field ----

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _write_docx(volume: Volume, path: Path, options) -> list[Warning]:
    import copy

    import docx
    from docx.text.paragraph import Paragraph
    from .outfile import atomic_path
    from .render import docx as docx_render
    warnings: list[Warning] = []
    with tempfile.TemporaryDirectory(prefix="speechpub-book-") as tmp:
        bodies = []
        for i, d in enumerate(volume.docs):
            part = Path(tmp) / f"{i:05d}.docx"
            warnings += docx_render.write(titled(d), part, options)
            bodies.append(docx.Document(str(part)))
        book = bodies[0]
        body = book.element.body
        sect = body.find(_W + "sectPr")
        for other in bodies[1:]:
            for el in list(other.element.body):
                if el.tag != _W + "sectPr":
                    sect.addprevious(copy.deepcopy(el))
        entries = []
        for p in body.iterchildren(_W + "p"):
            ppr = p.pPr
            sid = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else ""
            if sid == "Title":
                ppr.get_or_add_pageBreakBefore()
                ppr.get_or_add_outlineLvl().val = 0
                entries.append((0, Paragraph(p, book).text))
            elif sid.startswith("Heading") and sid[7:].isdigit():
                ppr.get_or_add_outlineLvl().val = min(int(sid[7:]), 8)
                if sid == "Heading1":
                    entries.append((1, Paragraph(p, book).text))
        _docx_front_matter(book, volume, options, entries, sect)
        book.core_properties.title = book_info(volume).title
        book.core_properties.author = volume.editor
        with atomic_path(path) as dst:
            book.save(str(dst))
    return warnings


def _docx_front_matter(book, volume: Volume, options, entries, body_sect) -> None:
    """Title page, copyright page and contents (a Word TOC field, filled in with the entries)
    in a first section without page numbers; the speeches are numbered from 1."""
    import copy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    info, editor, colophon, toc_title = _texts(volume, options)
    first = book.element.body[0]
    paras = []

    def para(text="", style=None, center=False, before_pt=0, new_page=False, indent_chars=0.0):
        p = book.add_paragraph(text, style=style)
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(0)
        if indent_chars:
            fmt.left_indent = Pt(16 * indent_chars)
        if center:
            fmt.alignment = 1
        if before_pt:
            fmt.space_before = Pt(before_pt)
        p._p.get_or_add_pPr().get_or_add_outlineLvl().val = 9      # body text: not in the TOC
        if new_page:
            p._p.get_or_add_pPr().get_or_add_pageBreakBefore()
        first.addprevious(p._p)
        paras.append(p)
        return p

    para(info.title, "Title", center=True, before_pt=200)      # style names, not ids
    if editor:
        para(editor, "Speaker", center=True, before_pt=100)
    if info.dateline:
        para(info.dateline, "Dateline", center=True)
    para(colophon[0], "heading 1", new_page=True, before_pt=320)
    for line in colophon[1:]:
        para(line)
    para(toc_title, "Title", center=True, new_page=True)
    toc = [para(text, indent_chars=2 * level) for level, text in entries] or [para("")]
    begin = [("begin", None), ("instr", ' TOC \\o "1-2" \\h \\z \\u '), ("separate", None)]
    for kind, text in reversed(begin):
        r = OxmlElement("w:r")
        if kind == "instr":
            t = OxmlElement("w:instrText")
            t.set(qn("xml:space"), "preserve")
            t.text = text
        else:
            t = OxmlElement("w:fldChar")
            t.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                t.set(qn("w:dirty"), "true")     # Word fills in page numbers when it opens the file
        r.append(t)
        ppr = toc[0]._p.pPr
        (ppr.addnext(r) if ppr is not None else toc[0]._p.insert(0, r))
    end = OxmlElement("w:r")
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end.append(fld)
    toc[-1]._p.append(end)
    # the front matter is a section of its own, without footers; the speeches count from 1
    front = copy.deepcopy(body_sect)
    for ref in front.findall(qn("w:footerReference")) + front.findall(qn("w:headerReference")):
        front.remove(ref)
    paras[-1]._p.get_or_add_pPr().append(front)
    num = OxmlElement("w:pgNumType")
    num.set(qn("w:start"), "1")
    after = body_sect.find(qn("w:pgMar"))
    (after.addnext(num) if after is not None else body_sect.insert(0, num))

"""The PDF renderer: a print-ready A4 PDF in official style (GB/T 9704), drawn with ReportLab.

Layout lives in render.pdf.layout (rows on the style's grid, broken by typeset.linebreak) and
render.pdf.placement (each page's glyph positions, which the OFD draws too); here every
character is drawn with the canvas text API at its computed position (never Paragraph markup,
so < > & and ReportLab's tags come out literally), in reading order, with no space characters
added, so pdfplumber and pdftotext extract exactly the model's text.
"""
from __future__ import annotations

import functools
import sys
from collections import Counter
from datetime import datetime, timezone
from itertools import groupby, repeat
from operator import add, itemgetter, sub
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import XMP, PDFArray, PDFDictionary, PDFName, PDFStream
from reportlab.pdfgen.canvas import Canvas

from ...model import Warning
from ...outfile import atomic_path
from ...typeset import words
from . import placement
from . import tuning   # (importing it sets ReportLab up for speed, process-wide)
from .fonts import FontSet, encode
from .layout import Geometry, Row, doc_rows, paginate
from .placement import BOLD_STROKE

__all__ = ["write", "Sheet"]


def write(doc, path: Path, options) -> list[Warning]:
    style = options.style
    sheet = Sheet(style)
    pages = sheet.layout(doc)
    with atomic_path(Path(path)) as tmp:
        c = sheet.open(tmp, doc.meta.language)
        _metadata(c, doc)
        sheet.draw(pages)
        c.save()
    return sheet.warnings()


class Sheet:
    """One PDF being drawn: its canvas, fonts and subset codes, shared by every document drawn
    on it (a book draws many, each font subset embedded once)."""

    def __init__(self, style):
        self.style, self.fonts, self.geo = style, FontSet(style), Geometry.of(style)
        self.c: Canvas | None = None
        self.codes: dict = {}         # (font, char) -> (subset font name, escaped code)
        self.marks = 0                # bookmarks made so far (their keys)

    def layout(self, doc) -> list[list[Row]]:
        return paginate(doc_rows(doc, self.style, self.fonts, self.geo), self.geo.rows)

    def open(self, path: Path, language: str = "") -> Canvas:
        geo = self.geo
        self.c = Canvas(str(path), pagesize=(geo.page_w, geo.page_h), lang=language or None,
                        initialFontName=self.fonts.classes["fangsong"].name, pageCompression=1,
                        pdfVersion=(1, 4))   # /Lang and the XMP stream are PDF 1.4
        return self.c

    def draw(self, pages, first_number: int = 1, outline_base: int = 0) -> None:
        """Draw laid-out pages, printing page numbers from first_number; heading bookmarks
        nest under outline level outline_base."""
        c, codes = self.c, self.codes
        _seed_subsets(c, pages, codes)
        outline = _Outline(self, outline_base)
        # the glyph positions come from placement, as the OFD's do
        for page in placement.place(pages, self.style, self.fonts, self.geo, first_number):
            for line in page.lines:
                if line.outline:
                    outline.add(line.outline, line.top)
                _show(c, line.xs, line.text, line.fonts, line.sizes, line.advs, line.baseline, codes, line.bold)
            if page.folio is not None:     # (the document's first page may go unnumbered)
                f = page.folio
                _show(c, f.xs, f.text, f.fonts, f.sizes, f.advs, f.baseline, codes)
            self.end_page()

    def end_page(self) -> None:
        """c.showPage, with the page's content compressed now rather than when the PDF is saved,
        so that a book of thousands of pages does not keep them all as text meanwhile."""
        c = self.c
        c.showPage()
        page = c._doc.Pages.pages[-1]
        if page.stream and not page.Contents:
            stream = PDFStream(content=tuning.flate(page.stream))
            stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])  # already applied
            page.Contents, page.stream = stream, None

    def bookmark(self, text: str, level: int, top: float | None = None) -> None:
        """An outline entry for the current page (at `top`, default the page's top)."""
        key = f"h{self.marks}"
        self.marks += 1
        self.c.bookmarkPage(key, fit="XYZ", left=0, top=self.geo.page_h if top is None else top)
        self.c.addOutlineEntry(text, key, level=level, closed=False)
        self.c.showOutline()

    def warnings(self) -> list[Warning]:
        return _warnings(self.fonts)


def _seed_subsets(c: Canvas, pages, codes: dict) -> None:
    """Give each font's most frequent characters the first 256-glyph subset: ReportLab numbers
    glyphs in order of first use, so without this a line switches subsets every few glyphs.
    Adds the code of every (font, character) of the pages to `codes`, for _show (the subset
    names are interned strings, compared by identity there); characters coded earlier keep
    their codes."""
    texts: dict = {}        # font -> its characters in order, in pieces (counted at once, in C)
    for page in pages:
        for row in page:
            if not row.fonts:
                continue
            first = row.fonts[0]
            if row.fonts.count(first) == len(row.fonts):   # one font
                texts.setdefault(first, []).append(row.text)
                continue
            for font, run in groupby(zip(row.text, row.fonts), key=itemgetter(1)):
                texts.setdefault(font, []).append("".join(map(itemgetter(0), run)))
    freq = {font: Counter("".join(parts)) for font, parts in texts.items()}
    for font, per in freq.items():
        text = "".join(ch for ch, _ in per.most_common() if (font, ch) not in codes)
        start = 0
        for subset, data in encode(font, text, c._doc):   # one byte per character
            name = sys.intern(font.font.getSubsetInternalName(subset, c._doc))
            chars = text[start:start + len(data)]
            start += len(data)
            codes.update(zip(zip(repeat(font), chars), [(name, _BYTE_CODES[byte]) for byte in data]))


def _show(c: Canvas, xs, text, fonts, sizes, advs, baseline: float, codes: dict, bold: int = 0) -> None:
    """Draw glyphs (columns: x, character, font, size, advance) at exact x positions.

    One Tm places the row (and any change of size); from there the text position runs on, over
    subset changes too, moved by TJ numbers: the row's usual gap is one constant string between
    glyphs, other gaps are numbers of their own. No Tc: the PDF standard applies Tc after the
    last glyph of a string too and pdfminer (pdfplumber) does not, so positions would differ.
    The first `bold` glyphs are drawn filled and stroked (no bold CJK faces exist to embed).
    """
    if 0 < bold < len(xs):          # a bold run-in heading, then plain text
        _show(c, xs[:bold], text[:bold], fonts[:bold], sizes[:bold], advs[:bold], baseline, codes, bold)
        xs, text, fonts, sizes, advs = xs[bold:], text[bold:], fonts[bold:], sizes[bold:], advs[bold:]
        bold = 0
    if not xs:
        c.addLiteral("BT\nET")
        return
    hits = list(map(codes.get, zip(fonts, text)))
    if None in hits:                 # not seeded (page numbers, a character added late)
        doc = c._doc
        for i, key in enumerate(zip(fonts, text)):
            if hits[i] is None and (hit := codes.get(key)) is None:    # (in order: codes as before)
                reg, ch = key
                (subset, code), = encode(reg, ch, doc)
                hit = codes[key] = (sys.intern(reg.font.getSubsetInternalName(subset, doc)), _BYTE_CODES[code[0]])
            hits[i] = hits[i] or hit
    names, glyphs = zip(*hits)
    n = len(hits)
    gap = xs[1] - xs[0] - advs[0] if n > 1 else 0.0     # the row's usual gap
    tfs = {size: " %s Tf" % _num(size) for size in set(sizes)}
    seps = {size: ")%.2f(" % (-gap * 1000 / size) if gap > 1e-3 or gap < -1e-3 else "" for size in tfs}
    dxs = list(map(sub, xs[1:], map(add, xs, advs)))    # the gap before glyph i: x - (px + pa)
    # what goes between glyph i-1 and i: the gap (the usual string, another number or none),
    # and where the subset changes, the end of the TJ string and the next subset's Tf
    if len(tfs) == 1 and (n == 1 or -1e-3 < min(dxs) - gap and max(dxs) - gap < 1e-3):
        sep, number, tf = seps[sizes[0]], seps[sizes[0]][1:-1], tfs[sizes[0]]   # the usual row
        between = [sep if b is a else _NEXT_SUBSET % (number, b, tf) for a, b in zip(names, names[1:])]
    else:
        gaps = [seps[size] if -1e-3 < dx - gap < 1e-3
                else ")%.2f(" % (-dx * 1000 / size) if dx > 1e-3 or dx < -1e-3 else ""
                for dx, size in zip(dxs, sizes[1:])]
        between = [g if a is b and sa == sb else _between(g, a, b, sa, sb, x, baseline, tfs)
                   for g, a, b, sa, sb, x in zip(gaps, names, names[1:], sizes, sizes[1:], xs[1:])]
    seq = [""] * (2 * n - 1)
    seq[0::2] = glyphs
    seq[1::2] = between
    ops = ["BT"]
    if bold:
        ops.append("2 Tr %s w" % _num(round(sizes[0] * BOLD_STROKE, 3)))
    ops.append("%s%s 1 0 0 1 %.3f %.3f Tm" % (names[0], tfs[sizes[0]], xs[0], baseline))
    ops.append("[(%s)] TJ" % "".join(seq))
    ops.append("0 Tr ET" if bold else "ET")
    c.addLiteral("\n".join(ops))


def _between(gap: str, a: str, b: str, size_a: float, size_b: float, x: float, baseline: float, tfs) -> str:
    """Between two glyphs of a row that change subset (the position runs on, by the gap) or
    size (an absolute position)."""
    if size_a != size_b:
        return ")] TJ\n%s%s 1 0 0 1 %.3f %.3f Tm\n[(" % (b, tfs[size_b], x, baseline)
    return _NEXT_SUBSET % (gap[1:-1], b, tfs[size_b])


_NEXT_SUBSET = ")%s] TJ\n%s%s\n[("    # end the string (and the gap's number), select the next subset


_num = functools.lru_cache(maxsize=64)(fp_str)
_BYTE_CODES = tuple(escapePDF(bytes((b,))) for b in range(256))    # a subset's codes in a PDF string


class _Outline:
    """PDF bookmarks for the headings, nested by level (a level never jumps by more than one),
    under outline level `base`."""

    def __init__(self, sheet: Sheet, base: int = 0):
        self.sheet, self.base, self.prev = sheet, base, -1

    def add(self, entry: tuple[str, int], top: float) -> None:
        text, level = entry
        lvl = max(0, min(level - 1, self.prev + 1))
        self.sheet.bookmark(text, self.base + lvl, top)
        self.prev = lvl


def _metadata(c: Canvas, doc) -> None:
    m = doc.meta
    title = m.title or Path(doc.source).stem or "speech"
    c.setTitle(title)
    c.setAuthor(m.speaker)
    c.setSubject(m.occasion)
    c.setCreator("speechpub")
    c.setProducer("speechpub (ReportLab)")
    cat = c._doc.Catalog
    cat.ViewerPreferences = PDFDictionary({"DisplayDocTitle": PDFName("true")})
    packet = _xmp(title, m.speaker, m.occasion, m.language).encode("utf-8")
    cat.Metadata = XMP(creator=lambda _doc: packet)


def _xmp(title: str, author: str, subject: str, lang: str) -> str:
    def alt(v):
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(v)}</rdf:li></rdf:Alt>'
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    desc = f"<dc:description>{alt(subject)}</dc:description>" if subject else ""
    language = f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>" if lang else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<dc:title>{alt(title)}</dc:title>{creator}{desc}{language}"
        "<dc:format>application/pdf</dc:format>"
        f"<pdf:Producer>speechpub (ReportLab)</pdf:Producer><xmp:CreatorTool>speechpub</xmp:CreatorTool>"
        f"<xmp:CreateDate>{now}</xmp:CreateDate>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )


def _warnings(fonts: FontSet) -> list[Warning]:
    out = []
    for (own, used), chars in sorted(fonts.substituted.items()):
        out.append(Warning("missing_glyph", f"{''.join(sorted(chars))}: not in {own}, drawn with {used}"))
    if fonts.missing:
        chars = "".join(sorted(fonts.missing))
        names = ", ".join(f"U+{ord(ch):04X}" for ch in sorted(fonts.missing))
        out.append(Warning("missing_glyph", f"{chars} ({names}): in no installed font, drawn as □ (still the character in the text)"))
    return out


def warm_up(options) -> None:
    """Register the style's class fonts now (about a second per process) and read the word list
    titles are broken by, so that a batch pays it once in the parent and forked workers
    inherit them."""
    FontSet(options.style)
    words.load()

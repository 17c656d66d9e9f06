"""An OFD package (GB/T 33190-2016) written page by page: a zip with OFD.xml, Doc_0/Document.xml,
Doc_0/PublicRes.xml with the fonts (embedded subsets under Doc_0/Res/), one
Doc_0/Pages/Page_N/Content.xml per page, and Doc_0/Tags/ for the speech's own data.

Pages are drawn from placement.Page (the PDF's glyph positions) and written to the zip as they
come, so a book of any length keeps only its outline, page ids and the characters of each font
in memory. Units are millimetres, the y axis points down from the page's top; a TextCode's X/Y
is a baseline point, its DeltaX the distances from each glyph to the next.
"""
from __future__ import annotations

import re
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from ...units import pt_to_mm
from ..pdf.placement import BOLD_STROKE
from . import fonts as ofd_fonts

NS = "http://www.ofdspec.org/2016"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
SPEECH_NS = "urn:speechpub:speech"     # the namespace of the custom tag file (Doc_0/Tags/Speech.xml)
_MM = 25.4 / 72.0
# characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/FFFF): no XML
# part can hold them, so they are left out of the OFD (and counted for a warning)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return XML_FORBIDDEN.sub("", text)


def _n(v: float) -> str:
    """A number in millimetres, three decimals, no trailing zeros."""
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


_STEPS: dict[int, str] = {}        # a step in 0.1 micrometres -> its text (lines repeat a few steps)


def delta_x(xs: list[float], scale: float = 1.0) -> str:
    """DeltaX: the distance from each glyph to the next, to 0.1 micrometre (so the grid's
    pitch stays one value and a line's rounding adds up to under 0.01 mm), runs of one value
    written as 'g count value'. (xs times scale: millimetres.)"""
    out = []
    prev, count = None, 0
    steps = _STEPS
    scale *= 10000
    for a, b in zip(xs, xs[1:]):
        v = int((b - a) * scale + (0.5 if b >= a else -0.5))      # 0.1 micrometres
        if v == prev:
            count += 1
            continue
        if count:
            _run(out, steps[prev], count)
        prev, count = v, 1
        if v not in steps:
            steps[v] = ("%.4f" % (v / 10000)).rstrip("0").rstrip(".")
    if count:
        _run(out, steps[prev], count)
    return " ".join(out)


def _run(out: list, d: str, count: int) -> None:
    if count > 2:
        out += ("g", str(count), d)
    else:
        out += (d,) * count


@dataclass
class _Outline:
    title: str
    page_id: int
    top: float                           # mm from the page's top
    children: list = field(default_factory=list)


class Package:
    """One OFD file being written: open, add pages, close."""

    def __init__(self, path, style, fonts, geo):
        self.style, self.fonts, self.geo = style, fonts, geo
        # deflate level 1: the fonts' deflate at the default level took a fifth of the time
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.next_id = 1
        self.pages: list[tuple[int, str]] = []       # (page id, BaseLoc)
        self.font_ids: dict = {}                     # Registered -> resource id
        self.chars: dict = {}                        # Registered -> characters drawn with it
        self.names = ofd_fonts.official_names(fonts, style)
        self.outlines: list[_Outline] = []
        self._open: list[_Outline] = []              # the last entry of each level
        self.heading_level = -1                      # the last heading's outline level (see new_document)
        self.dropped = 0                             # characters XML forbids, left out
        self.page_w, self.page_h = style.page_width_mm, style.page_height_mm

    def _id(self) -> int:
        i = self.next_id
        self.next_id += 1
        return i

    def _font(self, reg) -> int:
        fid = self.font_ids.get(reg)
        if fid is None:
            fid = self.font_ids[reg] = self._id()
            self.chars[reg] = set()
        return fid

    # -- pages ------------------------------------------------------------------------------

    def add_outline(self, title: str, level: int, page_id: int, top_mm: float) -> None:
        """An outline entry at `level` (0 = top); a level never jumps by more than one."""
        level = max(0, min(level, len(self._open)))
        entry = _Outline(clean(title), page_id, top_mm)
        (self._open[level - 1].children if level else self.outlines).append(entry)
        del self._open[level:]
        self._open.append(entry)

    def new_document(self) -> None:
        """A speech starts: its first heading is a top level entry (under the outline base)."""
        self.heading_level = -1

    def add_page(self, page, outline_base: int = 0, title: str | None = None) -> int:
        """Write one placement.Page, its headings in the outline from level outline_base
        (after a top level entry `title` for the page, if given); returns its page id."""
        pid = self._id()
        if title is not None:
            self.add_outline(title, 0, pid, 0.0)
        k = len(self.pages)
        loc = f"Pages/Page_{k}/Content.xml"
        self.pages.append((pid, loc))
        layer = self._id()
        parts = [HEAD, f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="{layer}" Type="Body">']
        for line in page.lines:
            if line.outline:
                text, level = line.outline
                lvl = max(0, min(level - 1, self.heading_level + 1))
                self.heading_level = lvl
                self.add_outline(text, outline_base + lvl, pid, pt_to_mm(self.geo.page_h - line.top))
            self._line(parts, line)
        if page.folio is not None:
            self._line(parts, page.folio)
        parts.append("</ofd:Layer></ofd:Content></ofd:Page>")
        self.zip.writestr(f"Doc_0/{loc}", "".join(parts))
        return pid

    def add_blank(self) -> int:
        """An empty page (a blank verso in a book)."""
        pid = self._id()
        loc = f"Pages/Page_{len(self.pages)}/Content.xml"
        self.pages.append((pid, loc))
        self.zip.writestr(f"Doc_0/{loc}", f'{HEAD}<ofd:Page xmlns:ofd="{NS}"/>')
        return pid

    def _line(self, parts: list, line) -> None:
        """TextObjects for a line: one per run of glyphs of one font, size and weight."""
        n = len(line.text)
        i = 0
        page_h = self.geo.page_h
        base = (page_h - line.baseline) * _MM
        while i < n:
            reg, size, bold = line.fonts[i], line.sizes[i], i < line.bold
            j = i + 1
            while j < n and line.fonts[j] is reg and line.sizes[j] == size and (j < line.bold) == bold:
                j += 1
            text = line.text[i:j]
            xs, advs, a, b = line.xs, line.advs, i, j     # the run: xs[a:b]
            if XML_FORBIDDEN.search(text):           # left out, the others keep their places
                keep = [k for k in range(i, j) if not XML_FORBIDDEN.match(line.text[k])]
                self.dropped += (j - i) - len(keep)
                i = j
                if not keep:
                    continue
                text = "".join(line.text[k] for k in keep)
                xs, advs, a, b = [line.xs[k] for k in keep], [line.advs[k] for k in keep], 0, len(keep)
            fid = self._font(reg)
            self.chars[reg].update(text)
            size_mm = size * _MM
            pad = 0.2 * size_mm
            x0 = xs[a] * _MM
            right = (xs[b - 1] + advs[b - 1]) * _MM
            bx, by = round(x0 - pad, 3), round(base - size_mm - pad, 3)
            box = f"{_n(bx)} {_n(by)} {_n(right - x0 + 2 * pad)} {_n(1.25 * size_mm + 2 * pad)}"
            attrs = f'ID="{self._id()}" Boundary="{box}" Font="{fid}" Size="{_n(size_mm)}"'
            stroke = ""
            if bold:
                attrs += f' Stroke="true" LineWidth="{_n(size_mm * BOLD_STROKE)}"'
                stroke = '<ofd:StrokeColor Value="0 0 0"/>'
            dx = f' DeltaX="{delta_x(xs[a:b], _MM)}"' if b - a > 1 else ""
            parts.append(f'<ofd:TextObject {attrs}>{stroke}<ofd:TextCode X="{_n(x0 - bx)}" '
                         f'Y="{_n(base - by)}"{dx}>{escape(text)}</ofd:TextCode></ofd:TextObject>')
            i = j

    # -- closing ----------------------------------------------------------------------------

    def close(self, info: dict) -> None:
        """Write the fonts, PublicRes.xml, the custom tags, Document.xml and OFD.xml.
        info: title, author, subject, date (the speech's), language, keywords."""
        z = self.zip
        fonts_xml = []
        info = {k: clean(v) if isinstance(v, str) else v for k, v in info.items()}
        for reg, fid in self.font_ids.items():
            name, family = self.names.get(reg, (reg.family, reg.family))
            if reg.name.endswith(ofd_fonts.REPLACEMENT_SUFFIX):
                name = f"{name} (□)"
            file = f"font_{fid}.ttf"
            z.writestr(f"Doc_0/Res/{file}", ofd_fonts.subset(reg, self.chars[reg]))
            fonts_xml.append(f'<ofd:Font ID="{fid}" FontName={quoteattr(name)} FamilyName={quoteattr(name)}'
                             f'><ofd:FontFile>{file}</ofd:FontFile></ofd:Font>')
        res = f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
        if fonts_xml:
            res += "<ofd:Fonts>" + "".join(fonts_xml) + "</ofd:Fonts>"
        z.writestr("Doc_0/PublicRes.xml", res + "</ofd:Res>")
        # the speech's own data, as a custom tag file
        z.writestr("Doc_0/Tags/CustomTags.xml",
                   f'{HEAD}<ofd:CustomTags xmlns:ofd="{NS}"><ofd:CustomTag NameSpace="{SPEECH_NS}">'
                   '<ofd:FileLoc>Speech.xml</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>')
        z.writestr("Doc_0/Tags/Speech.xml",
                   f'{HEAD}<Speech xmlns="{SPEECH_NS}"><Title>{escape(info.get("title", ""))}</Title>'
                   f'<Speaker>{escape(info.get("author", ""))}</Speaker>'
                   f'<Occasion>{escape(info.get("subject", ""))}</Occasion>'
                   f'<Date>{escape(info.get("date", ""))}</Date>'
                   f'<Language>{escape(info.get("language", ""))}</Language></Speech>')
        w, h = _n(self.page_w), _n(self.page_h)
        pages = "".join(f'<ofd:Page ID="{pid}" BaseLoc="{loc}"/>' for pid, loc in self.pages)
        outlines = ""
        if self.outlines:
            outlines = "<ofd:Outlines>" + "".join(self._outline_xml(o) for o in self.outlines) + "</ofd:Outlines>"
        doc = (f'{HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
               f"<ofd:MaxUnitID>{self.next_id - 1}</ofd:MaxUnitID>"
               f"<ofd:PageArea><ofd:PhysicalBox>0 0 {w} {h}</ofd:PhysicalBox>"
               f"<ofd:ApplicationBox>0 0 {w} {h}</ofd:ApplicationBox></ofd:PageArea>"
               "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
               f"<ofd:Pages>{pages}</ofd:Pages>{outlines}"
               "<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags></ofd:Document>")
        z.writestr("Doc_0/Document.xml", doc)
        z.writestr("OFD.xml", ofd_xml(info))
        z.close()

    def _outline_xml(self, o: _Outline) -> str:
        kids = "".join(self._outline_xml(c) for c in o.children)
        return (f'<ofd:OutlineElem Title={quoteattr(o.title)}><ofd:Actions><ofd:Action Event="CLICK">'
                f'<ofd:Goto><ofd:Dest Type="XYZ" PageID="{o.page_id}" Left="0" Top="{_n(o.top)}"/>'
                f"</ofd:Goto></ofd:Action></ofd:Actions>{kids}</ofd:OutlineElem>")

    def abort(self) -> None:
        self.zip.close()


def ofd_xml(info: dict) -> str:
    """OFD.xml: the entry file, DocInfo first (DocID first in it)."""
    def el(tag, value):
        return f"<ofd:{tag}>{escape(value)}</ofd:{tag}>" if value else ""
    custom = [("speech_date", info.get("date", "")), ("language", info.get("language", "")),
              ("source", info.get("source", ""))]
    custom_xml = "".join(f"<ofd:CustomData Name={quoteattr(k)}>{escape(v)}</ofd:CustomData>"
                         for k, v in custom if v)
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return (f'{HEAD}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
            f"<ofd:DocID>{uuid.uuid4().hex}</ofd:DocID>"
            + el("Title", info.get("title", "")) + el("Author", info.get("author", ""))
            + el("Subject", info.get("subject", ""))
            + f"<ofd:CreationDate>{today}</ofd:CreationDate>"
            + "<ofd:Creator>speechpub</ofd:Creator>"
            + el("CreatorVersion", info.get("version", ""))
            + (f"<ofd:CustomDatas>{custom_xml}</ofd:CustomDatas>" if custom_xml else "")
            + "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")

"""Raw WordprocessingML helpers under python-docx's friendly API.

python-docx's ``Font.name`` writes only w:ascii/w:hAnsi (never w:eastAsia), and its default
template carries Japanese defaults (ja-JP language, ＭＳ 明朝 in the font table, theme fonts
with a Jpan script) plus 860 KB of style parts. This module builds the pieces speechpub needs
from the Style: the styles part, the font table, settings, the footers, and a cleaned template
that is assembled once per (style, language) and re-opened from bytes for every document.
"""
from __future__ import annotations

import io
import math
import re

from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ...units import mm_to_pt, mm_to_twips, pt_to_mm, pt_to_twips

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Characters XML 1.0 forbids (lxml refuses them): C0 controls but tab/LF/CR, lone
# surrogates and the two non-characters U+FFFE/U+FFFF.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}

# model block kind (or heading level) -> (styleId, style name). Word's built-in names are
# used where Word has the role (Title, Subtitle, heading 1-4, Closing), so the navigation
# pane, the table of contents and a user's own template changes work as they expect.
STYLE_IDS = {
    "paragraph": ("Normal", "Normal"),
    "title": ("Title", "Title"),
    "subtitle": ("Subtitle", "Subtitle"),
    "dateline": ("Dateline", "Dateline"),
    "speaker": ("Speaker", "Speaker"),
    "salutation": ("Salutation", "Salutation"),
    "heading1": ("Heading1", "heading 1"),
    "heading2": ("Heading2", "heading 2"),
    "heading3": ("Heading3", "heading 3"),
    "heading4": ("Heading4", "heading 4"),
    "closing": ("Closing", "Closing"),
    "note": ("Note", "Note"),
}
# Elements that keep with the next paragraph: the title block and headings, never body text.
# The title block: the title and the lines under it; the title's space_after_lines follows
# the last of them (as in the PDF).
TITLE_BLOCK = ("title", "subtitle", "dateline", "speaker")
KEEP_NEXT = {"title", "subtitle", "dateline", "speaker", "salutation",
             "heading1", "heading2", "heading3", "heading4"}


def w(tag: str) -> str:
    return qn(f"w:{tag}")


def sub(parent, tag: str, **attrs):
    """Append <w:tag w:k="v" ...> to parent."""
    el = etree.SubElement(parent, w(tag))
    for k, v in attrs.items():
        el.set(w(k), str(v))
    return el


def spacing_after(ppr, lines: float, pitch: int):
    """Paragraph-level space after, in grid lines (Word reads afterLines, LibreOffice after)."""
    sp = sub(ppr, "spacing", after=round(lines * pitch), afterLines=round(lines * 100))
    ind = ppr.find(w("ind"))
    if ind is not None:      # schema order: spacing before ind
        ind.addprevious(sp)
    return sp


def title_block_end(blocks) -> int | None:
    """Index of the last block of the title block (title, subtitle, dateline, speaker at
    the start of the speech), when there is a title; None otherwise."""
    end = None
    for i, b in enumerate(blocks):
        if b.kind not in TITLE_BLOCK:
            break
        end = i
    if end is None or not any(b.kind == "title" for b in blocks[: end + 1]):
        return None
    return end


def strip_forbidden(text: str) -> tuple[str, int]:
    """The text without characters XML cannot carry, and how many were dropped."""
    cleaned, n = XML_FORBIDDEN.subn("", text)
    return cleaned, n


# -- fonts -------------------------------------------------------------------------------

def set_east_asian_font(rpr, name: str, hint: bool = True):
    """Write one font name to all four slots of w:rFonts (ascii, hAnsi, eastAsia, cs) and
    drop the theme-font attributes, which would otherwise win over the names."""
    rfonts = rpr.find(w("rFonts"))
    if rfonts is None:
        rfonts = etree.Element(w("rFonts"))
        rpr.insert(0, rfonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(w(attr), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(w(attr), name)
    if hint:
        rfonts.set(w("hint"), "eastAsia")
    return rfonts


def strip_theme_fonts(root) -> int:
    """Remove every theme-font attribute from w:rFonts elements under root."""
    n = 0
    for rfonts in root.iter(w("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            if rfonts.attrib.pop(w(attr), None) is not None:
                n += 1
    return n


def char_spacing_twips(style, size_pt: float, slack_pt: float = 0.0) -> int:
    """Letter spacing (twentieths of a point) that fits chars_per_line full-width characters
    of the grid's body size into the block with at least slack_pt to spare: 16 pt characters
    on the 156 mm block with 2 pt slack give -6 (-0.3 pt). Other sizes (the 22 pt title, a
    14 pt note) are not on the character grid: 0."""
    base = style.elements["paragraph"].size_pt
    if size_pt != base:
        return 0
    pitch = (mm_to_pt(style.block_width_mm) - slack_pt) / style.chars_per_line
    return min(0, math.floor((pitch - size_pt) * 20))


def run_props(rpr, style, font_class: str, size_pt: float, bold: bool,
              base_size: float | None = None, slack_pt: float = 0.0):
    """Fill a w:rPr with a font class's genuine name, size, weight and grid letter spacing."""
    set_east_asian_font(rpr, style.font_names[font_class][0])
    if bold:
        sub(rpr, "b")
        sub(rpr, "bCs")
    # always explicit: styles are based on Normal, whose letter spacing must not leak into
    # the title or a note that are not on the character grid
    sub(rpr, "spacing", val=char_spacing_twips(style, size_pt, slack_pt))
    if base_size is None or size_pt != base_size:
        sub(rpr, "sz", val=round(size_pt * 2))
        sub(rpr, "szCs", val=round(size_pt * 2))
    return rpr


# -- styles part ------------------------------------------------------------------------

def _ppr(parent, style, name: str, el):
    pitch = style.line_pitch_twips
    ppr = sub(parent, "pPr")
    if name in KEEP_NEXT:
        sub(ppr, "keepNext")
    sub(ppr, "widowControl", val=0)
    if el.size_pt > style.elements["paragraph"].size_pt:
        # LibreOffice gives a line whose font is taller than the grid pitch two grid lines;
        # the exact line spacing below is what this paragraph should keep
        sub(ppr, "snapToGrid", val=0)
    before, after = el.space_before_lines, el.space_after_lines
    if name == "title":
        after = 0       # it follows the whole title block: see title_block_end()
    sp = sub(ppr, "spacing", before=round(before * pitch), after=round(after * pitch),
             line=pitch, lineRule="exact")
    if before:
        sp.set(w("beforeLines"), str(round(before * 100)))
    if after:
        sp.set(w("afterLines"), str(round(after * 100)))
    # Both the character count (Word) and the twips value (LibreOffice ignores the count).
    sub(ppr, "ind", firstLineChars=round(el.indent_chars * 100),
        firstLine=pt_to_twips(el.indent_chars * style.char_pitch_pt))
    sub(ppr, "jc", val=JC[el.align])
    if name.startswith("heading"):
        sub(ppr, "outlineLvl", val=int(name[-1]) - 1)
    return ppr


def styles_xml(style, language: str, slack_pt: float = 0.0) -> bytes:
    """The whole styles part: defaults from the body element, one style per element."""
    body = style.elements["paragraph"]
    root = etree.Element(w("styles"), nsmap={"w": W_NS})
    dd = sub(root, "docDefaults")
    rpr = sub(sub(dd, "rPrDefault"), "rPr")
    set_east_asian_font(rpr, style.font_names[body.font][0], hint=False)
    sub(rpr, "kern", val=0)
    sub(rpr, "sz", val=round(body.size_pt * 2))
    sub(rpr, "szCs", val=round(body.size_pt * 2))
    sub(rpr, "lang", val=language, eastAsia=language, bidi="ar-SA")
    ppr = sub(sub(dd, "pPrDefault"), "pPr")
    sub(ppr, "widowControl", val=0)
    sub(ppr, "spacing", before=0, after=0, line=style.line_pitch_twips, lineRule="exact")

    for name, (sid, sname) in STYLE_IDS.items():
        el = style.elements[name]
        s = sub(root, "style", type="paragraph", styleId=sid)
        if sid == "Normal":
            s.set(w("default"), "1")
        sub(s, "name", val=sname)
        if sid != "Normal":
            sub(s, "basedOn", val="Normal")
            sub(s, "next", val="Normal")
        sub(s, "qFormat")
        _ppr(s, style, name, el)
        run_props(sub(s, "rPr"), style, el.font, el.size_pt, el.bold, slack_pt=slack_pt)

    pn = style.page_number
    s = sub(root, "style", type="paragraph", styleId="Footer")
    sub(s, "name", val="footer")
    sub(s, "basedOn", val="Normal")
    ppr = sub(s, "pPr")
    sub(ppr, "widowControl", val=0)
    sub(ppr, "snapToGrid", val=0)
    # a line exactly one number high, so the footer distance places it (see build_template)
    sub(ppr, "spacing", before=0, after=0, line=pt_to_twips(pn.size_pt), lineRule="exact")
    sub(ppr, "ind", firstLineChars=0, firstLine=0)
    rpr = sub(s, "rPr")
    set_east_asian_font(rpr, style.font_names[pn.font][0])
    sub(rpr, "spacing", val=0)
    sub(rpr, "sz", val=round(pn.size_pt * 2))
    sub(rpr, "szCs", val=round(pn.size_pt * 2))

    s = sub(root, "style", type="character", default="1", styleId="DefaultParagraphFont")
    sub(s, "name", val="Default Paragraph Font")
    sub(s, "uiPriority", val=1)
    sub(s, "semiHidden")
    sub(s, "unhideWhenUsed")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# -- font table, settings, theme --------------------------------------------------------

def font_table_xml(style) -> bytes:
    """One w:font per genuine font name, its free stand-ins in w:altName."""
    root = etree.Element(w("fonts"), nsmap={"w": W_NS})
    for cls, names in style.font_names.items():
        f = sub(root, "font", name=names[0])
        if len(names) > 1:
            sub(f, "altName", val=",".join(names[1:]))
        sub(f, "charset", val="86")            # GB2312
        sub(f, "family", val="modern" if cls == "hei" else "roman")
        sub(f, "pitch", val="variable")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_settings(settings_el, language: str) -> None:
    """Odd/even footers on, Chinese theme language, no revision ids."""
    for tag in ("rsids", "attachedTemplate", "proofState"):
        for el in settings_el.findall(w(tag)):
            settings_el.remove(el)
    tfl = settings_el.find(w("themeFontLang"))
    if tfl is not None:
        tfl.set(w("val"), language)
        tfl.set(w("eastAsia"), language)
    if settings_el.find(w("evenAndOddHeaders")) is None:
        # schema order: after w:proofState/w:defaultTabStop-ish elements; before
        # w:characterSpacingControl is where Word writes it.
        anchor = settings_el.find(w("characterSpacingControl"))
        el = etree.Element(w("evenAndOddHeaders"))
        if anchor is not None:
            anchor.addprevious(el)
        else:
            settings_el.append(el)


_THEME_EA = re.compile(rb'<a:font script="(Jpan|Hang|Hant|Hans)" typeface="[^"]*"/>')


def clean_theme(blob: bytes, major: str, minor: str) -> bytes:
    """Theme fonts: Chinese faces for the east-Asian slot, no per-script Japanese faces."""
    blob = _THEME_EA.sub(b"", blob)
    maj = blob.find(b"<a:majorFont>")
    mnr = blob.find(b"<a:minorFont>")
    if maj < 0 or mnr < 0:
        return blob

    def ea(part: bytes, name: str) -> bytes:
        return re.sub(rb'<a:ea typeface="[^"]*"/>',
                      b'<a:ea typeface="' + name.encode("utf-8") + b'"/>', part, count=1)
    first, second = sorted([(maj, major), (mnr, minor)])
    head, a, b = blob[: first[0]], blob[first[0]: second[0]], blob[second[0]:]
    return head + ea(a, first[1]) + ea(b, second[1])


# -- footers ----------------------------------------------------------------------------

def page_number_paragraph(p, style, align: str) -> None:
    """Fill a footer's w:p with the page number: format text around a PAGE field."""
    for child in list(p):
        p.remove(child)
    pn = style.page_number
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val="Footer")
    inset = pt_to_twips(pn.inset_chars * style.char_pitch_pt)
    if align == "right":
        sub(ppr, "ind", right=inset, firstLine=0)
    elif align == "left":
        sub(ppr, "ind", left=inset, firstLine=0)
    sub(ppr, "jc", val=JC[align])
    before, _, after = pn.format.partition("{n}")

    def run(text=None, fld=None, instr=None):
        r = sub(p, "r")
        if fld:
            sub(r, "fldChar", fldCharType=fld)
        elif instr:
            t = sub(r, "instrText")
            t.set(XML_SPACE, "preserve")
            t.text = instr
        else:
            t = sub(r, "t")
            t.set(XML_SPACE, "preserve")
            t.text = text
    if before:
        run(before)
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    if after:
        run(after)


# -- the cleaned template ----------------------------------------------------------------

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_DROP_DOC_RELS = (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML, RT.WEB_SETTINGS)
_DROP_PKG_RELS = (RT.THUMBNAIL,)


def _drop_rels(rels, reltypes) -> None:
    for rid, rel in list(rels.items()):
        if rel.reltype in reltypes:
            del rels[rid]


def build_template(style, language: str, docx_opts: dict) -> bytes:
    """python-docx's default template, cleaned and laid out for `style`, as .docx bytes.

    Everything that is the same for every speech in one style and language lives here:
    styles, font table, settings, theme, page setup, document grid and the two footers."""
    doc = open_docx()
    package = doc.part.package
    _drop_rels(doc.part.rels, _DROP_DOC_RELS)
    _drop_rels(package.rels, _DROP_PKG_RELS)

    doc.part._styles_part._element = etree.fromstring(
        styles_xml(style, language, float(docx_opts["line_slack_pt"])))  # noqa: SLF001
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml(style)  # noqa: SLF001
        elif rel.reltype == RT.THEME:
            major = style.font_names[style.elements["heading1"].font][0]
            minor = style.font_names[style.elements["paragraph"].font][0]
            rel.target_part._blob = clean_theme(rel.target_part.blob, major, minor)  # noqa: SLF001
    clean_settings(doc.settings.element, language)
    strip_theme_fonts(doc.part.numbering_part.element)

    # app.xml names the producing program
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            part = rel.target_part
            part._blob = re.sub(rb"<Application>[^<]*</Application>",  # noqa: SLF001
                                b"<Application>speechpub</Application>", part.blob)
            part._blob = re.sub(rb"<Template>[^<]*</Template>", b"<Template/>", part._blob)  # noqa: SLF001

    # page setup and grid
    body = doc.element.body
    sect = body.find(w("sectPr"))
    for k in list(sect.attrib):
        del sect.attrib[k]
    section = doc.sections[0]
    section.even_page_footer.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    pn = style.page_number
    odd_p = section.footer._element.find(w("p"))  # noqa: SLF001
    even_p = section.even_page_footer._element.find(w("p"))  # noqa: SLF001
    page_number_paragraph(odd_p, style, pn.odd)
    page_number_paragraph(even_p, style, pn.even)
    if not pn.first_page:
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False

    for tag in ("pgSz", "pgMar", "cols", "docGrid", "titlePg"):
        for el in sect.findall(w(tag)):
            if tag != "titlePg":
                sect.remove(el)
    header_mm = float(docx_opts["header_mm"])
    # the page number's line starts below_block_mm under the text block
    # GB/T 9704 7.5: the dashes beside the number lie below_block_mm under the text block.
    # The footer line is one number high and the dashes sit at its middle.
    footer_mm = style.margin_bottom_mm - pn.below_block_mm - pt_to_mm(pn.size_pt) / 2
    sub(sect, "pgSz", w=mm_to_twips(style.page_width_mm), h=mm_to_twips(style.page_height_mm))
    sub(sect, "pgMar", top=mm_to_twips(style.margin_top_mm), right=mm_to_twips(style.margin_right_mm),
        bottom=mm_to_twips(style.margin_bottom_mm), left=mm_to_twips(style.margin_left_mm),
        header=mm_to_twips(header_mm), footer=mm_to_twips(max(footer_mm, 0)), gutter=0)
    sub(sect, "cols", space=425)
    titlepg = sect.find(w("titlePg"))
    if titlepg is not None:
        sect.remove(titlepg)
        sect.append(titlepg)
    sub(sect, "docGrid", type="lines", linePitch=style.line_pitch_twips)

    # core properties: nothing from the template's author
    cp = doc.core_properties
    cp.author = ""
    cp.comments = ""
    cp.title = ""
    cp.last_modified_by = "speechpub"
    cp.language = language

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

"""Typesetting for the PDF: blocks -> grid rows -> pages. Every number comes from the Style.

Every row is one grid line (block height / lines_per_page); full-width characters take one grid
cell (block width / chars_per_line, scaled by the element's size), half-width characters and
glyphs a font draws narrow take the font's real advance.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ...typeset import linebreak, words
from ...units import mm_to_pt
from .fonts import FontSet, Registered, advance

TITLE_BLOCK = ("title", "subtitle", "dateline", "speaker")
NARROW = 0.75        # a wide character whose glyph is narrower than this keeps its own advance
WIDE_AMBIGUOUS = frozenset("“”‘’…—―·‧※§")   # East Asian Ambiguous, full-width in Chinese text


def is_wide(ch: str) -> bool:
    """Does the character take a grid cell (ideographs, kana, full-width forms and marks)?"""
    return ch in WIDE_AMBIGUOUS or unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass(frozen=True)
class Geometry:
    page_w: float
    page_h: float
    left: float          # block edges, PDF coordinates (origin bottom left)
    top: float
    width: float
    height: float
    rows: int            # grid lines per page
    pitch: float         # line pitch
    cell: float          # character pitch
    body_size: float
    max_stretch: float   # most space added to one gap by justification, in ems

    @classmethod
    def of(cls, style) -> "Geometry":
        w, h = mm_to_pt(style.block_width_mm), mm_to_pt(style.block_height_mm)
        page_h = mm_to_pt(style.page_height_mm)
        return cls(mm_to_pt(style.page_width_mm), page_h, mm_to_pt(style.margin_left_mm),
                   page_h - mm_to_pt(style.margin_top_mm), w, h, style.lines_per_page,
                   h / style.lines_per_page, w / style.chars_per_line,
                   style.elements["paragraph"].size_pt,
                   float(style.section("pdf").get("max_stretch_em", 0.18)))

    def em(self, size: float) -> float:
        """The grid cell of a character of `size` (the body size gives exactly the grid pitch)."""
        return size * self.cell / self.body_size


@dataclass
class Row:
    """One grid line, as parallel columns (one entry per character)."""
    text: str = ""
    xs: list[float] = field(default_factory=list)     # left of each cell, from the block's left
    fonts: list[Registered] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)
    cells: list[float] = field(default_factory=list)  # advances used in the layout
    advs: list[float] = field(default_factory=list)   # the glyphs' own advances
    bold: int = 0                        # the first `bold` characters are bold (style key bold)
    keep: bool = False                   # a heading row: never the last row of a page
    outline: tuple[str, int] | None = None   # (entry text, level) of a bookmark here

    @property
    def size(self) -> float:
        return max(self.sizes, default=0.0)


# -- display text ---------------------------------------------------------------------------

_CN = "〇一二三四五六七八九"
_DATE_AR = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_DATE_CN = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else _CN[tens]) + "十" if tens else "") + (_CN[ones] if ones else "")


def _ar_number(s: str) -> int:
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN.index(a) if a else 1) * 10 + (_CN.index(b) if b else 0)
    return _CN.index(s)


def format_date(text: str, form: str) -> str:
    """A dateline in the style's date_form: keep, chinese (二〇一一年…) or arabic (2011年…)."""
    if form == "chinese":
        return _DATE_AR.sub(lambda m: "".join(_CN[int(d)] for d in m[1]) + "年"
                            + _cn_number(int(m[2])) + "月" + _cn_number(int(m[3])) + "日", text)
    if form == "arabic":
        return _DATE_CN.sub(lambda m: "".join(str(_CN.index(d) if d in _CN else 0) for d in m[1])
                            + f"年{_ar_number(m[2])}月{_ar_number(m[3])}日", text)
    return text


def display_text(block, style) -> str:
    """The text a block shows: the model text, with the dateline in the style's date form."""
    if block.kind == "dateline":
        return format_date(block.text, style.elements["dateline"].options.get("date_form", "keep"))
    return block.text


# -- blocks to rows -------------------------------------------------------------------------

def _advances(text: str, parts, fonts: FontSet, geo: Geometry):
    """(font, cell, advance) of every character: full-width glyphs take a grid cell.
    parts: [(end, font class, size)] covering the text in order."""
    hits, start = [], 0
    for end, cls, size in parts:
        memo = fonts.memo.setdefault((cls, size, geo.cell, geo.body_size), {})
        seg = text[start:end]
        got = list(map(memo.get, seg))
        if None in got:                          # measured on first sight, in text order
            got = [hit or memo.get(ch) or _measure(memo, fonts, geo, cls, size, ch) for hit, ch in zip(got, seg)]
        hits += got
        odd = fonts.odd.get(cls)
        if odd and not odd.isdisjoint(seg):      # the memo is shared: record this document's
            for ch in odd.intersection(seg):     # substitutions (fonts.pick does)
                fonts.pick(cls, ch)
        start = end
    if not hits:
        return [], [], []
    picked, cells, advs = zip(*hits)
    return list(picked), list(cells), list(advs)


def _measure(memo: dict, fonts: FontSet, geo: Geometry, cls: str, size: float, ch: str) -> tuple:
    reg = fonts.pick(cls, ch)
    if reg is not fonts.classes[cls]:
        fonts.odd.setdefault(cls, set()).add(ch)
    a = advance(reg, ch, size)
    if ch in WIDE_AMBIGUOUS and a < NARROW * size:
        # the free Hei and Kai stand-ins draw “ ” ‘ ’ at a third of an em: take the mark from a
        # class font that sets it full-width (the body's first), so it fills its grid cell. (A
        # narrow glyph in a full cell would leave a gap that text extraction reads as a space.)
        for other in sorted(fonts.classes.values(), key=lambda r: r is not fonts.classes["fangsong"]):
            if ord(ch) in other.cmap and advance(other, ch, size) >= NARROW * size:
                reg, a = other, advance(other, ch, size)
                break
    hit = memo[ch] = (reg, geo.em(size) if is_wide(ch) and a >= NARROW * size else a, a)
    return hit


def block_rows(block, style, fonts: FontSet, geo: Geometry) -> list[Row]:
    """The text rows of one block (no blank rows)."""
    el = style.element(block)
    text = display_text(block, style)
    if not text:
        return []
    lead = style.lead_element(block) or el
    n_lead = min(block.lead_length or 0, len(text)) if lead is not el else 0
    parts = [(n_lead, lead.font, lead.size_pt), (len(text), el.font, el.size_pt)]
    picked, cells, advs = _advances(text, parts, fonts, geo)
    sizes = [lead.size_pt] * n_lead + [el.size_pt] * (len(text) - n_lead)
    n_bold = len(text) if el.bold else n_lead if lead.bold else 0   # a bold prefix, if any
    em = geo.em(el.size_pt)
    indent = el.indent_chars * em
    if el.align == "center" and el.options.get("balance_lines", True):   # centred: balanced lines
        lines = linebreak.balanced(text, cells, geo.width, em, words.boundaries(text))
    else:
        lines = linebreak.layout(text, cells, [geo.width - indent, geo.width], em,
                                 justify=el.align == "justify", max_stretch=geo.max_stretch * em)
    rows = []
    for k, line in enumerate(lines):
        if el.align == "center":
            off = (geo.width - line.width) / 2
        elif el.align == "right":
            off = geo.width - line.width
        else:
            off = indent if k == 0 else 0.0
        s, e = line.start, line.end
        bold = n_bold - s if n_bold > s else 0
        rows.append(Row(text[s:e], [off + x for x in line.xs], picked[s:e], sizes[s:e], cells[s:e],
                        advs[s:e], min(bold, e - s), keep=block.kind in ("heading", *TITLE_BLOCK)))
    level = block.heading_level
    if level and rows:
        entry = text if block.kind == "heading" else text[:n_lead]
        rows[0].outline = (entry, level)
    return rows


def _blank(n: float) -> list[Row]:
    return [Row() for _ in range(int(round(n)))]


def doc_rows(doc, style, fonts: FontSet, geo: Geometry) -> list[list[Row]]:
    """Rows grouped by block (blank rows for the style's spacing are groups of their own)."""
    out: list[list[Row]] = []
    blocks = doc.blocks
    in_title = True
    for i, b in enumerate(blocks):
        el = style.element(b)
        if in_title and b.kind not in TITLE_BLOCK:      # the title block has just ended
            in_title = False
            if i > 0 and any(x.kind == "title" for x in blocks[:i]):
                out.append(_blank(style.elements["title"].space_after_lines))
        if el.space_before_lines and out:
            out.append(_blank(el.space_before_lines))
        out.append(block_rows(b, style, fonts, geo))
        if el.space_after_lines and not (in_title and b.kind == "title"):
            out.append(_blank(el.space_after_lines))
    return [g for g in out if g]


def paginate(groups: list[list[Row]], rows_per_page: int) -> list[list[Row]]:
    """Fill pages row by row; a heading never ends a page (it moves to the next page);
    blank rows never start a page; body text keeps the grid full (no widow control)."""
    pages: list[list[Row]] = [[]]
    last = max((gi for gi, group in enumerate(groups) if group), default=-1)
    for gi, group in enumerate(groups):
        page = pages[-1]
        more = gi < last            # a non-empty group follows (any(groups[gi + 1:]) was quadratic)
        if group[0].keep and page and more and len(group) >= rows_per_page - len(page) \
                and len(group) < rows_per_page:
            pages.append([])
        for row in group:
            if len(pages[-1]) == rows_per_page:
                pages.append([])
            if not row.text and not pages[-1]:
                continue
            pages[-1].append(row)
    return [p for p in pages if p] or [[]]

"""Laid-out pages -> positioned glyphs: the one step both fixed-layout drawers (PDF, OFD) take
their glyph positions from.

render.pdf.layout puts the text on the style's grid as rows (columns of characters, cell offsets and
advances); this module turns a page of rows into lines of glyphs at absolute positions in
points, origin at the page's bottom left (PDF coordinates): the left edge of each glyph (a
full-width glyph centred in its cell), the baseline, the font, size and advance of each, and
the page number. The PDF drawer shows them as they are; the OFD drawer converts them to
millimetres from the top left. Neither breaks lines or measures text itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...units import mm_to_pt
from .fonts import advance

EM_DESCENT = 0.12     # the ideographic em box runs from -0.12 to 0.88 em around the baseline
DASH_HEIGHT = 0.3     # height of the dash of "— 1 —" above its baseline, in ems
BOLD_STROKE = 0.03    # outline added to bold glyphs, in ems

__all__ = ["Line", "Page", "place", "row_line", "folio", "EM_DESCENT", "DASH_HEIGHT", "BOLD_STROKE"]


@dataclass(slots=True)
class Line:
    """Glyphs on one baseline, as parallel columns (one entry per character)."""
    text: str
    xs: list            # left edge of each glyph, points from the page's left
    baseline: float     # points from the page's bottom
    fonts: list         # render.pdf.fonts.Registered of each glyph
    sizes: list         # size of each glyph, points
    advs: list          # the glyphs' own advances, points
    bold: int = 0       # the first `bold` glyphs are drawn bold (filled and stroked)
    outline: tuple | None = None    # (entry text, level) of a heading that starts here
    top: float = 0.0    # top of the line's grid cell (where a bookmark points), points from the bottom


@dataclass(slots=True)
class Page:
    number: int                 # the page's number (printed or not)
    lines: list                 # the text lines, in reading order
    folio: Line | None          # the printed page number, below the text block


def row_line(row, geo, cell_top: float) -> Line:
    """A grid row (render.pdf.layout.Row, with text) placed in the grid line whose top is cell_top."""
    size = row.size
    baseline = cell_top - (geo.pitch + size) / 2 + EM_DESCENT * size
    left = geo.left
    # full-width glyphs centred in their cell
    xs = [left + x + (cell - adv) / 2 for x, cell, adv in zip(row.xs, row.cells, row.advs)]
    return Line(row.text, xs, baseline, row.fonts, row.sizes, row.advs, row.bold, row.outline, cell_top)


def folio(n: int, style, fonts, geo) -> Line:
    """The page number of page n (GB/T 9704 7.5): — n — in the style's font, below the block,
    on the side the style gives for odd and even pages."""
    pn = style.page_number
    size = pn.size_pt
    glyphs = [(ch, fonts.pick(pn.font, ch)) for ch in pn.format.format(n=n)]
    glyphs = [(ch, f, advance(f, ch, size)) for ch, f in glyphs]
    width = sum(a for _, _, a in glyphs)
    inset = pn.inset_chars * geo.cell
    side = pn.odd if n % 2 else pn.even
    x = {"left": geo.left + inset, "right": geo.left + geo.width - inset - width,
         "center": geo.left + (geo.width - width) / 2}[side]
    # the dashes sit below_block_mm under the block's lower edge
    y = geo.top - geo.height - mm_to_pt(pn.below_block_mm) - DASH_HEIGHT * size
    xs = []
    for _, _, a in glyphs:
        xs.append(x)
        x += a
    return Line("".join(g[0] for g in glyphs), xs, y, [g[1] for g in glyphs], [size] * len(glyphs),
                [g[2] for g in glyphs])


def place(pages, style, fonts, geo, first_number: int = 1) -> Iterator[Page]:
    """Positioned pages from laid-out pages (lists of rows), numbered from first_number; the
    first page carries no number when the style says so. One page at a time."""
    for k, rows in enumerate(pages):
        lines = [row_line(row, geo, geo.top - i * geo.pitch) for i, row in enumerate(rows) if row.text]
        number = first_number + k
        shown = k or style.page_number.first_page
        yield Page(number, lines, folio(number, style, fonts, geo) if shown else None)

"""Fonts for the OFD: the PDF's own fonts (pdf.fonts.Registered), embedded as TrueType subsets
made with fontTools, each resource named by the official family name the style gives its
class (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体), so that a reader which ignores
embedded fonts falls back to the genuine font and every other reader draws the embedded one.
"""
from __future__ import annotations

import io
import logging

from ..pdf import fonts as pdf_fonts

REPLACEMENT_SUFFIX = "-replacement"

# tables a fixed-layout reader does not need (layout tables are applied by the layout, the
# bitmaps and vertical metrics are unused); dropping them also makes subsetting quicker
_DROP = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "BDF", "EBDT", "EBLC",
         "EBSC", "mort", "morx", "FFTM", "DSIG", "kern", "hdmx", "LTSH", "VDMX", "PCLT"]


def source(reg) -> tuple[str, int, int | None]:
    """(file, face index, code point drawn as □ or None) of a registered font; a □ twin
    (pdf.fonts.replacement) is its base font's file."""
    name = reg.name
    if name.endswith(REPLACEMENT_SUFFIX):
        base = next(r for r in pdf_fonts._registered.values() if r.name == name[:-len(REPLACEMENT_SUFFIX)])
        path, index, _ = source(base)
        return path, index, ord(pdf_fonts.REPLACEMENT)
    for (path, index), r in pdf_fonts._registered.items():
        if r is reg:
            return path, index, None
    raise KeyError(name)


def official_names(fonts, style) -> dict:
    """Registered font -> (resource name, family): a class font takes its class's official
    name (the first of the style's names); a fallback font keeps its own family."""
    out = {}
    for cls, reg in fonts.classes.items():
        out.setdefault(reg, (style.font_names[cls][0], reg.family))
    return out


def subset(reg, chars: set[str]) -> bytes:
    """A TrueType subset of the font with the glyphs of `chars` (a □ twin: those characters
    mapped to the square's glyph, as the PDF draws them)."""
    from fontTools.ttLib import TTFont
    path, index, square = source(reg)
    font = TTFont(path, fontNumber=index, lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    try:
        return _subset(font, chars, square)
    finally:
        font.close()


def _subset(font, chars: set[str], square: int | None) -> bytes:
    from fontTools import subset as ft_subset
    opts = ft_subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.layout_features = []
    opts.layout_closure = False
    opts.hinting = False
    opts.glyph_names = False
    opts.recalc_bounds = False
    opts.canonical_order = False
    opts.prune_unicode_ranges = False
    opts.drop_tables += _DROP
    cps = {ord(ch) for ch in chars}
    sub = ft_subset.Subsetter(opts)
    sub.populate(unicodes=[square] if square else sorted(cps))
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)      # "NOT subset; dropped" notes about unknown tables
    try:
        sub.subset(font)
    finally:
        logger.setLevel(level)
    if square:                          # characters no font has: the square's glyph
        cmap = font["cmap"]
        glyph = next((t.cmap[square] for t in cmap.tables if t.isUnicode() and square in t.cmap), ".notdef")
        for t in cmap.tables:
            if t.isUnicode():
                for cp in cps:
                    if cp <= 0xFFFF or t.format in (12, 13):
                        t.cmap[cp] = glyph
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()

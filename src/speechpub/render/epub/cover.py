"""The generated cover: an SVG image (the title on a red field, speaker or editor and date
below) and the XHTML page that shows it first in the spine."""
from __future__ import annotations

from pathlib import Path

from ...typeset.words import boundaries
from .book import BookInfo, editor_line
from .fonts import may_embed
from .style import EbookStyle, css_family

_BREAK_BEFORE = "在关于对——（("
_BREAK_AFTER = "的上，、：:"


def title_lines(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, of near-equal length, broken between words and
    where a phrase ends (after 的/上/，, before 在/关于) when one is near the middle."""
    cuts = boundaries(text)             # between words only, in one more line if need be
    lines, start = [], 0
    while len(text) - start > width:
        rest = len(text) - start
        n = -(-rest // width)
        target = start + rest / n
        span = range(start + max(1, rest - (n - 1) * width), start + min(width, rest - 1) + 1)
        fits = [i for i in range(start + 1, start + min(width, rest - 1) + 1) if i in cuts]
        best, best_score = None, None
        for i in [i for i in span if i in cuts] or fits[-1:] or span:
            score = abs(i - target) - 2.5 * (text[i] in _BREAK_BEFORE or text[i - 1] in _BREAK_AFTER)
            if best_score is None or score < best_score:
                best, best_score = i, score
        lines.append(text[start:best])
        start = best
    return [*lines, text[start:]]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cover_svg(info: BookInfo, style: EbookStyle, say=str, files: dict | None = None) -> str:
    """A generated cover: the title on a red field, speaker or editor and date below.

    With `files` (font class -> FontFile, when fonts are embedded) the lines are drawn as glyph
    outlines, so the cover needs no font on the reader; else as text in the style's stacks."""
    c = style.data.get("cover", {})
    bg, band, ink, gold = (c.get(k, d) for k, d in (("paper", "#f4efe4"), ("band", "#9b1c1c"),
                                                   ("ink", "#2b2b2b"), ("title_ink", "#f6e7b4")))
    title_cls = style.element("title").get("font", "song-heavy")
    lines = title_lines(info.title, int(c.get("title_chars_per_line", 10)))
    size = c.get("title_size", 48) * (1 if len(lines) <= 3 else 5 / 6)
    top = 300 - (len(lines) - 1) * size * 0.65
    rows = [(line, title_cls, size, gold, top + i * size * 1.3) for i, line in enumerate(lines)]
    y = 610
    for text in (info.speaker, info.editor and editor_line(info, style, say), info.dateline):
        if text:
            rows.append((text, "kai", c.get("line_size", 28), ink, y))
            y += 50
    paths = _outlines(rows, files or {})
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="800" viewBox="0 0 600 800">',
           f'<rect width="600" height="800" fill="{bg}"/>',
           f'<rect x="0" y="90" width="600" height="430" fill="{band}"/>',
           f'<rect x="30" y="110" width="540" height="390" fill="none" stroke="{gold}" stroke-width="2"/>']
    for (text, cls, size, fill, y), drawn in zip(rows, paths):
        if drawn:
            out.append(f'<g role="img" aria-label="{_esc(text)}" fill="{fill}">{drawn}</g>')
        else:
            family = css_family(style.stack(cls)).replace('"', "'")
            out.append(f'<text x="300" y="{y:.0f}" font-family="{family}" font-size="{size}" fill="{fill}" '
                       f'text-anchor="middle">{_esc(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _outlines(rows, files: dict) -> list[str]:
    """SVG paths of each (text, class, size, fill, baseline) row, centred on x=300; '' for a
    row whose font is missing or lacks one of its characters."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.ttLib import TTFont
    out = [""] * len(rows)
    for cls in {r[1] for r in rows}:
        ff = files.get(cls)
        if ff is None or may_embed(Path(ff.path), ff.subfont_index):
            continue
        with TTFont(str(ff.path), fontNumber=ff.subfont_index or 0, lazy=True) as font:
            cmap, glyphs, upem = font.getBestCmap(), font.getGlyphSet(), font["head"].unitsPerEm
            for k, (text, rcls, size, _, y) in enumerate(rows):
                if rcls != cls or any(ord(ch) not in cmap for ch in text):
                    continue
                scale = size / upem
                x = 300 - sum(glyphs[cmap[ord(ch)]].width for ch in text) * scale / 2
                parts = []
                for ch in text:
                    g = glyphs[cmap[ord(ch)]]
                    pen = SVGPathPen(glyphs)
                    g.draw(pen)
                    if pen.getCommands():
                        parts.append(f'<path transform="translate({x:.1f} {y:.1f}) scale({scale:.5f} {-scale:.5f})" '
                                     f'd="{pen.getCommands()}"/>')
                    x += g.width * scale
                out[k] = "".join(parts)
    return out


def cover_page(title: str, lang: str, say) -> str:
    """The first page of the spine: the cover image, full height."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="{lang}" xml:lang="{lang}">
<head>
  <meta charset="utf-8" />
  <title>{_esc(say("封面"))}</title>
  <style>html, body {{ margin: 0; padding: 0; height: 100%; text-align: center; }}
  img {{ display: block; margin: 0 auto; height: 100%; max-width: 100%; object-fit: contain; }}</style>
</head>
<body epub:type="cover">
<img src="../media/cover.svg" alt="{_esc(title)}" />
</body>
</html>
"""

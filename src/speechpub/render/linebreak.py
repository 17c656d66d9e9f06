"""Chinese line breaking for grid typesetting (GB/T 9704), as pure functions.

Written by hand because ReportLab's wordWrap='CJK' is inadequate (see docs/fonts.md): it keeps
only a few closing marks off a line start, lets opening marks end a line, hangs punctuation
over the margin and cannot compress it. Here:

- no line starts with a closing mark (NO_START) and no line ends with an opening mark (NO_END);
- runs of …… / —— and half-width words and numbers (2011, 3.5%, COVID-19) are never split;
- a line never overflows its width: an offending mark pulls the previous character down with it,
  or adjacent full-width marks are compressed by half an em each (no hanging punctuation);
- justified lines spread their slack over the gaps between units (up to a cap per gap);
  the last line is flush left.

Widths come from the caller (one advance in points per character), so this module knows nothing about fonts.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

NO_START = frozenset(
    "，。、；：？！）》」』”’…—―〕】〉〗〙〛｝］％‰・·ヽヾゝゞ々〻ー"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    ",.;:?!)]}%'\"～"
)
NO_END = frozenset("（《「『“‘〔【〈〖〘〚｛［([{")
PUNCT = NO_START | NO_END | frozenset("〃｜")
# Closing marks whose glyph sits in the left half of its cell (their right half may be dropped)
COMPRESS_AFTER = frozenset("，。、；：？！）》」』”’〕】〉〗〙〛｝］")
# Opening marks whose glyph sits in the right half of its cell (their left half may be dropped)
COMPRESS_BEFORE = NO_END - frozenset("([{")
RUN_MARKS = "…—―"          # runs of these (……, ——) are one unit
WORD_JOINERS = frozenset(".,:/-_'’+@&#")  # inside a half-width word: 3.5, 10,000, gov.cn
EPS = 1e-6


@dataclass(frozen=True)
class Line:
    start: int                  # slice of the paragraph text: text[start:end]
    end: int
    xs: tuple[float, ...]       # x of each character, from the line's left edge
    width: float                # right edge of the last character
    last: bool                  # the paragraph's last line


def is_word_char(ch: str) -> bool:
    """Half-width letters and digits that form unbreakable words."""
    return ch.isalnum() and unicodedata.east_asian_width(ch) in ("Na", "N", "H", "A") and ord(ch) < 0x2E80


def _class_of(pred, limit: int = 0x2E80) -> str:
    """A regex character class of the code points below `limit` that satisfy pred."""
    out, start = [], None
    for cp in range(limit + 1):
        ok = cp < limit and pred(chr(cp))
        if ok and start is None:
            start = cp
        elif not ok and start is not None:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(cp - 1)) if cp - 1 > start else ""))
            start = None
    return "[" + "".join(out) + "]"


_WORD = _class_of(is_word_char)
_UNIT_RE = "|".join([*(re.escape(m) + "+" for m in RUN_MARKS),
                     f"{_WORD}+(?:[{re.escape(''.join(sorted(WORD_JOINERS)))}]{_WORD}+)*", "."])
_UNIT = re.compile(_UNIT_RE, re.S)


def _chars(marks) -> str:
    return re.escape("".join(sorted(marks)))


# A group: a unit, then every unit that may not be separated from what precedes it (it starts
# with a closing mark or a space, or the text before it ends with an opening mark). One regex
# instead of a loop over units: the loop was the largest cost of typesetting a PDF.
_GROUP = re.compile(f"(?:{_UNIT_RE})(?:(?<=[{_chars(NO_END)}])(?:{_UNIT_RE})"
                    f"|(?=[{_chars(NO_START)}\\s])(?:{_UNIT_RE}))*", re.S)


def units(text: str) -> list[tuple[int, int]]:
    """Split text into unbreakable units (start, end): a character, a mark run or a word."""
    return [m.span() for m in _UNIT.finditer(text)]


def can_break(text: str, end: int) -> bool:
    """May a line end at `end` (between text[end-1] and text[end])?"""
    before, after = text[end - 1], text[end]
    return after not in NO_START and before not in NO_END and not after.isspace()


def groups(text: str) -> list[tuple[int, int]]:
    """Units glued together where no break is allowed between them (see can_break)."""
    return [m.span() for m in _GROUP.finditer(text)]


def _compress_points(text: str, adv: Sequence[float], s: int, e: int, em: float) -> list[int]:
    """Indexes i in [s+1, e) where the gap before text[i] may shrink by em/2."""
    pts = []
    for i in range(s + 1, e):
        a, b = text[i - 1], text[i]
        if ((a in COMPRESS_AFTER and b in PUNCT) or (b in COMPRESS_BEFORE and a in PUNCT)) \
                and adv[i - 1] >= em - EPS and adv[i] >= em - EPS:   # narrow glyphs: nothing to drop
            pts.append(i)
    return pts


class _Widths:
    """Prefix sums of the advances: the natural width of any slice in O(1)."""

    def __init__(self, text: str, adv: Sequence[float], em: float):
        self.text, self.adv, self.em = text, adv, em
        self.pre = list(accumulate(adv, initial=0.0))

    def fits(self, s: int, e: int, avail: float) -> bool:
        w = self.pre[e] - self.pre[s]
        if w <= avail + EPS:
            return True
        if w - (e - s) * self.em / 2 > avail + EPS:   # cannot fit even if every gap shrank
            return False
        return w - len(_compress_points(self.text, self.adv, s, e, self.em)) * self.em / 2 <= avail + EPS


def break_lines(text: str, adv: Sequence[float], widths: Sequence[float], em: float) -> list[tuple[int, int]]:
    """Line slices of `text`; adv[i] is the advance of text[i], widths[k] line k's width
    (the last value repeats), em the grid cell (for punctuation compression).

    Greedy: each line takes groups while they fit (compressed if need be). The groups that fit
    without compression are found by bisection on the prefix sums, not one by one."""
    avail = lambda k: widths[min(k, len(widths) - 1)]  # noqa: E731
    w = _Widths(text, adv, em)
    pre = w.pre
    ends = [e for _, e in groups(text)]
    lines: list[tuple[int, int]] = []
    start, gi, n = 0, 0, len(ends)
    while gi < n:
        room = avail(len(lines))
        ge = ends[gi]
        # the line's first group is always taken; one wider than a whole line is cut by characters
        while not w.fits(start, ge, room):
            cut = start + 1
            while cut < ge and w.fits(start, cut + 1, room):
                cut += 1
            lines.append((start, cut))
            start = cut
            room = avail(len(lines))
        gi += 1
        limit = room + EPS
        j = bisect_right(ends, bisect_right(pre, pre[start] + limit) - 1, gi)
        while j > gi and pre[ends[j - 1]] - pre[start] > limit:   # rounding at the edge
            j -= 1
        gi = max(gi, j)
        while gi < n and w.fits(start, ends[gi], room):   # fits only when compressed
            gi += 1
        end = ends[gi - 1]
        lines.append((start, end))
        start = end
    return lines or [(0, 0)]


def place(text: str, adv: Sequence[float], s: int, e: int, avail: float, em: float,
          justify: bool, max_stretch: float | None = None,
          starts: Sequence[int] | None = None) -> tuple[float, ...]:
    """x of each character of text[s:e]: compressed if too wide, justified if asked.

    max_stretch caps the space added to one gap: a line that would need more (a long word
    pulled down) stays short at the right rather than spaced out letter by letter.
    starts: the start of every unit of text, sorted (computed here when not given)."""
    natural = sum(adv[s:e])
    shift = [0.0] * (e - s)          # change of the gap before each character
    if natural > avail + EPS:
        need = natural - avail
        for i in reversed(_compress_points(text, adv, s, e, em)):
            if need <= EPS:
                break
            d = min(em / 2, need)
            shift[i - s] -= d
            need -= d
        natural = avail
    if justify and natural < avail - EPS:
        if starts is None:
            starts = [a for a, _ in units(text)]
        # gaps between units, never inside a word
        gaps = [g - s for g in starts[bisect_right(starts, s):bisect_left(starts, e)]]
        if gaps:
            d = (avail - natural) / len(gaps)
            if max_stretch is not None:
                d = min(d, max_stretch)
            for g in gaps:
                shift[g] += d
    xs, x = [], 0.0
    for a, sh in zip(adv[s:e], shift):
        x += sh
        xs.append(x)
        x += a
    return tuple(xs)


def layout(text: str, adv: Sequence[float], widths: Sequence[float], em: float,
           justify: bool = True, max_stretch: float | None = None) -> list[Line]:
    """Break and place a paragraph: justified lines, the last one flush left."""
    slices = break_lines(text, adv, widths, em)
    starts = [a for a, _ in units(text)] if justify and len(slices) > 1 else None
    out = []
    for k, (s, e) in enumerate(slices):
        avail = widths[min(k, len(widths) - 1)]
        last = k == len(slices) - 1
        xs = place(text, adv, s, e, avail, em, justify and not last, max_stretch, starts)
        right = xs[-1] + adv[e - 1] if e > s else 0.0
        out.append(Line(s, e, xs, right, last))
    return out


def balanced(text: str, adv: Sequence[float], width: float, em: float) -> list[Line]:
    """Lines of balanced length for a centred title, never splitting a word."""
    n = len(break_lines(text, adv, [width], em))
    lo, hi = sum(adv) / n, width
    for _ in range(24):          # the narrowest measure that still gives n lines
        mid = (lo + hi) / 2
        if len(break_lines(text, adv, [mid], em)) <= n:
            hi = mid
        else:
            lo = mid
    return layout(text, adv, [hi], em, justify=False)

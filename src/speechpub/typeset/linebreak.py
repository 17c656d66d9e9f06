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
from itertools import accumulate, chain
from operator import add
from typing import Collection, Sequence

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
_WORD_RE = f"{_WORD}+(?:[{re.escape(''.join(sorted(WORD_JOINERS)))}]{_WORD}+)*"
_UNIT_RE = "|".join([*(re.escape(m) + "+" for m in RUN_MARKS), _WORD_RE, "."])
_UNIT = re.compile(_UNIT_RE, re.S)


def _chars(marks) -> str:
    return re.escape("".join(sorted(marks)))


_MULTI = re.compile("|".join([*(re.escape(m) + "{2,}" for m in RUN_MARKS), _WORD_RE]))   # units of 2+ chars
_NO_START_AT = re.compile(f"[{_chars(NO_START)}\\s]")     # no break before these (see can_break)
_NO_END_AT = re.compile(f"[{_chars(NO_END)}]")              # nor after these
_COMPRESSIBLE = re.compile(f"(?=[{_chars(COMPRESS_AFTER)}][{_chars(PUNCT)}]|[{_chars(PUNCT)}][{_chars(COMPRESS_BEFORE)}])")


def units(text: str) -> list[tuple[int, int]]:
    """Split text into unbreakable units (start, end): a character, a mark run or a word."""
    return [m.span() for m in _UNIT.finditer(text)]


def can_break(text: str, end: int) -> bool:
    """May a line end at `end` (between text[end-1] and text[end])?"""
    before, after = text[end - 1], text[end]
    return after not in NO_START and before not in NO_END and not after.isspace()


def groups(text: str) -> list[tuple[int, int]]:
    """Units glued together where no break is allowed between them (see can_break)."""
    ends = _group_ends(text, _inner(text))
    return list(zip([0, *ends[:-1]], ends))


def _inner(text: str) -> list[int]:
    """Positions inside a unit of two or more characters (a word or a mark run), sorted."""
    return [i for m in _MULTI.finditer(text) for i in range(m.start() + 1, m.end())]


def _group_ends(text: str, inner: list[int]) -> list[int]:
    """Where lines may end, sorted: every position but those inside units and those can_break
    refuses. Found as the few exceptions by regex; a loop over the characters was the largest
    cost of typesetting a PDF."""
    blocked = {m.start() for m in _NO_START_AT.finditer(text)}
    blocked.update([m.end() for m in _NO_END_AT.finditer(text)])
    blocked.update(inner)
    n = len(text)
    return [*sorted(set(range(1, n)).difference(blocked)), n] if n else []


class _Paragraph:
    """What line breaking asks of a paragraph again and again, computed once: prefix sums of the
    advances (the width of any slice in O(1)), the gaps that may shrink (compression points) and
    the positions inside words and mark runs (never stretched). Found by regex, not char by char."""

    def __init__(self, text: str, adv: Sequence[float], em: float):
        self.text, self.adv, self.em = text, adv, em
        self.pre = list(accumulate(adv, initial=0.0))
        # i: the gap before text[i] may shrink by em/2 (both glyphs full-width: narrow ones have nothing to drop)
        full = em - EPS
        self.points = [m.start() + 1 for m in _COMPRESSIBLE.finditer(text)
                       if adv[m.start()] >= full and adv[m.start() + 1] >= full]
        self.inner = _inner(text)
        self.ends = _group_ends(text, self.inner)

    def points_in(self, s: int, e: int) -> list[int]:
        """Compression points in (s, e)."""
        pts = self.points
        return pts[bisect_right(pts, s):bisect_left(pts, e)]

    def fits(self, s: int, e: int, avail: float) -> bool:
        w = self.pre[e] - self.pre[s]
        if w <= avail + EPS:
            return True
        if w - (e - s) * self.em / 2 > avail + EPS:   # cannot fit even if every gap shrank
            return False
        return w - len(self.points_in(s, e)) * self.em / 2 <= avail + EPS


def break_lines(text: str, adv: Sequence[float], widths: Sequence[float], em: float) -> list[tuple[int, int]]:
    """Line slices of `text`; adv[i] is the advance of text[i], widths[k] line k's width
    (the last value repeats), em the grid cell (for punctuation compression).

    Greedy: each line takes groups while they fit (compressed if need be). The groups that fit
    without compression are found by bisection on the prefix sums, not one by one."""
    return _break(_Paragraph(text, adv, em), widths)


def _break(w: _Paragraph, widths: Sequence[float]) -> list[tuple[int, int]]:
    avail = lambda k: widths[min(k, len(widths) - 1)]  # noqa: E731
    pre = w.pre
    ends = w.ends
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


def _place(p: _Paragraph, s: int, e: int, avail: float, justify: bool,
           max_stretch: float | None = None) -> tuple[float, ...]:
    """x of each character of text[s:e]: compressed if too wide, justified if asked.

    max_stretch caps the space added to one gap: a line that would need more (a long word
    pulled down) stays short at the right rather than spaced out letter by letter."""
    natural = p.pre[e] - p.pre[s]
    shift = [0.0] * (e - s)          # change of the gap before each character
    if natural > avail + EPS:        # compressed (then never stretched)
        need = natural - avail
        for i in reversed(p.points_in(s, e)):
            if need <= EPS:
                break
            d = min(p.em / 2, need)
            shift[i - s] -= d
            need -= d
    elif justify and natural < avail - EPS:
        inner = p.inner[bisect_right(p.inner, s):bisect_left(p.inner, e)]
        gaps = e - s - 1 - len(inner)     # between units, never inside a word
        if gaps:
            d = (avail - natural) / gaps
            if max_stretch is not None:
                d = min(d, max_stretch)
            shift = [0.0] + [d] * (e - s - 1)
            for i in inner:
                shift[i - s] = 0.0
    # x[i] = x[i-1] + adv[i-1] + shift[i]
    return tuple(accumulate(map(add, shift, chain((0.0,), p.adv[s:e - 1]))))


def layout(text: str, adv: Sequence[float], widths: Sequence[float], em: float,
           justify: bool = True, max_stretch: float | None = None) -> list[Line]:
    """Break and place a paragraph: justified lines, the last one flush left."""
    p = _Paragraph(text, adv, em)
    slices = _break(p, widths)
    out = []
    for k, (s, e) in enumerate(slices):
        avail = widths[min(k, len(widths) - 1)]
        last = k == len(slices) - 1
        xs = _place(p, s, e, avail, justify and not last, max_stretch)
        right = xs[-1] + adv[e - 1] if e > s else 0.0
        out.append(Line(s, e, xs, right, last))
    return out


# A title line may end between any two words, best at a phrase boundary: before 关于 (on),
# 在 (at), 为 (for), 对 (to), a book title or a dash, or after a pause mark.
PHRASE_BEFORE = ("关于", "在", "为", "对", "《", "——")
PHRASE_AFTER = frozenset("、，；：")
PHRASE_BONUS = 4.0     # in squared ems: a phrase break may be 2 characters less balanced
WORD_BREAK_LINES = 4   # titles of more lines are set without word breaks (the search is quadratic)


def balanced(text: str, adv: Sequence[float], width: float, em: float,
             words: Collection[int] | None = None) -> list[Line]:
    """Lines of balanced length for a centred title, never splitting a half-width word; with
    `words` (the positions between two words) never splitting a Chinese word either, if the
    title can be set so (GB/T 9704 7.3.1)."""
    p = _Paragraph(text, adv, em)
    n = len(_break(p, [width]))
    if 1 < n <= WORD_BREAK_LINES and words is not None:
        for k in (n, n + 1):
            slices = _word_breaks(p, width, k, words)
            if slices:
                out = []
                for i, (s, e) in enumerate(slices):
                    xs = _place(p, s, e, width, False)
                    out.append(Line(s, e, xs, xs[-1] + adv[e - 1], i == len(slices) - 1))
                return out
    lo, hi = min(sum(adv) / n, width), width     # (compressed marks can make the text fit in less)
    for _ in range(24):          # the narrowest measure that still gives n lines
        mid = (lo + hi) / 2
        if len(break_lines(text, adv, [mid], em)) <= n:
            hi = mid
        else:
            lo = mid
    return layout(text, adv, [hi], em, justify=False)


def _word_breaks(p: _Paragraph, width: float, k: int, words: Collection[int]) -> list[tuple[int, int]] | None:
    """The k lines, each fitting `width` and ending between words, whose widths are closest to
    equal (squared differences from the mean, less PHRASE_BONUS per phrase break); None if the
    text cannot be set so."""
    text, n = p.text, len(p.text)
    cands = [0, *(e for e in p.ends if e < n and e in words), n]
    mean = p.pre[n] / k
    bonus = {e: PHRASE_BONUS if text[e - 1] in PHRASE_AFTER or text.startswith(PHRASE_BEFORE, e) else 0.0
             for e in cands}
    best = {0: (0.0, None)}          # after j lines: end -> (cost, previous end)
    chain = []
    for j in range(1, k + 1):
        ends = cands[1:] if j < k else [n]
        nxt = {}
        for e in ends:
            for s, (cost, _) in best.items():
                if s < e and p.fits(s, e, width):
                    c = cost + ((p.pre[e] - p.pre[s] - mean) / p.em) ** 2 - (bonus[e] if j < k else 0.0)
                    if e not in nxt or c < nxt[e][0]:
                        nxt[e] = (c, s)
        if not nxt:
            return None
        chain.append(nxt)
        best = {e: v for e, v in nxt.items() if e < n} if j < k else nxt
        if not best:
            return None
    out, e = [], n
    for nxt in reversed(chain):
        s = nxt[e][1]
        out.append((s, e))
        e = s
    return out[::-1]

"""The pagination of a PDF copied as text: page numbers (- 1 -, — 2 —, 第 1 页 共 3 页, 1/12) and
the running header or footer printed with them on every page. They are found by their shape and
their sequence, not by their words; a paragraph the page break cut is put back together.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ..patterns import classify_heading, ends_sentence, is_title_like

_DASH = r"[-—－–‐―~～_＿·•]"
_DECORATED = re.compile(rf"^(?P<a>{_DASH}*)\s*(?P<n>\d{{1,4}})\s*(?P<b>{_DASH}*)$")
_PAGED = (        # forms that say 页 (or Page) are page numbers even alone
    re.compile(rf"^{_DASH}*\s*第\s*(?P<n>\d{{1,4}})\s*页\s*(?:[,，/、]?\s*共\s*(?P<m>\d{{1,4}})\s*页)?\s*{_DASH}*$"),
    re.compile(r"^共\s*(?P<m>\d{1,4})\s*页\s*[,，/、]?\s*第\s*(?P<n>\d{1,4})\s*页$"),
    re.compile(r"^(?:page|p\.?)\s*(?P<n>\d{1,4})(?:\s*(?:of|/)\s*(?P<m>\d{1,4}))?$", re.I),
)
_OF = re.compile(r"^(?P<n>\d{1,4})\s*/\s*(?P<m>\d{1,4})$")
_PAGE_TEXT = 300        # a page holds at least this much text (bare numbers closer are no pages)
_HEAD_MAX = 60          # a running header or footer is a short line
_SECTION_HEAD = 30      # a section's heading under its number
_PAGES_MAX = 300        # more page numbers than this: a column of numbers
_INDENT = re.compile(r"^(?:[\u3000\u2003\t]| {2})")


def _number(text: str):
    """(page number, total or 0, form) when the line has the shape of a page number, else None."""
    if len(text) > 2 * 24 or not text.strip():
        return None                     # longer than any page number, spaces aside: skip the NFKC
    t = unicodedata.normalize("NFKC", text).strip()
    if not t or len(t) > 24:
        return None
    for rx in _PAGED:
        m = rx.match(t)
        if m:
            return int(m.group("n")), int(m.group("m") or 0), "paged"
    m = _OF.match(t)
    if m and int(m.group("n")) <= int(m.group("m")):
        return int(m.group("n")), int(m.group("m")), "of"
    m = _DECORATED.match(t)
    if m:
        n = m.group("n")
        if m.group("a") and m.group("b"):
            return int(n), 0, "decorated"
        if not m.group("a") and not m.group("b") and not n.startswith("0"):
            return int(n), 0, "bare"   # 01 02 03 number sections, never pages
    return None


def _chain(cands, lines) -> list[int]:
    """The longest run of candidates, in line order, numbered n, n+1, n+2 … in one form; bare
    numbers only with a page of text between them."""
    best: dict[int, list[int]] = {}
    for k, (i, n, m, form) in enumerate(cands):
        best[k] = [k]
        for j in range(k):
            i2, n2, m2, form2 = cands[j]
            if form2 == form and m2 == m and n2 == n - 1 and len(best[j]) + 1 > len(best[k]) and \
                    (form != "bare" or _page_text(lines, i2, i) >= _PAGE_TEXT or _last(lines, i)):
                best[k] = best[j] + [k]
    run = max(best.values(), key=len, default=[])
    if len(run) >= 2 or (run and cands[run[0]][3] == "paged"):
        return [cands[k][0] for k in run]
    return []


def _section_number(lines, i: int, said: Counter) -> bool:
    """1 alone over a heading of its own (坚持党的领导), which the text says once: a section's number;
    a page number stands over text or over the running header, which repeats."""
    j = _content(lines, i, 1)
    k = _content(lines, j, 1) if j is not None else None
    if k is None:
        return False
    t = lines[j].text.strip()
    return is_title_like(t, _SECTION_HEAD) and len(lines[k].text.strip()) > len(t) + 4 and \
        said[t] == 1           # a wrapped line is as long as the next


def _page_text(lines, i: int, j: int) -> int:
    return sum(len(x.text.strip()) for x in lines[i + 1:j])


def _last(lines, i: int) -> bool:
    """The last page may be short: its number ends the text."""
    return not any(x.text.strip() for x in lines[i + 1:])


def _content(lines, i: int, step: int) -> int | None:
    """The nearest non-blank line from i in direction step."""
    i += step
    while 0 <= i < len(lines) and not lines[i].text.strip():
        i += step
    return i if 0 <= i < len(lines) else None


def _runner(text: str) -> bool:
    t = text.strip()
    return 4 <= len(t) <= _HEAD_MAX and not ends_sentence(t) and not classify_heading(t)


def _running(lines, numbers: set[int]) -> set[str]:
    """Texts printed beside the page numbers again and again (a header or footer): twice beside
    them, or once beside them and once at the top or the bottom of the text."""
    beside: dict[str, int] = {}
    for i in numbers:
        for step in (-1, 1):
            j = _content(lines, i, step)
            if j is not None and j not in numbers and _runner(lines[j].text):
                t = lines[j].text.strip()
                beside[t] = beside.get(t, 0) + 1
    ends = [j for j in (_content(lines, -1, 1), _content(lines, len(lines), -1)) if j is not None]
    edge = {lines[j].text.strip() for j in ends}
    return {t for t, n in beside.items() if n >= 2 or t in edge}


def page_breaks(lines, ctx):
    """Page numbers in sequence go, and the header or footer repeated beside them, wherever it
    stands. Where the text before a break ends mid-sentence and the text after it is no new
    (indented) paragraph, the blank lines of the break go too, so that the later joining rules
    see one paragraph. Runs before trim: the indentation is still there."""
    cands = [(i, *found) for i, x in enumerate(lines) if (found := _number(x.text))]
    if len(cands) > _PAGES_MAX:
        return lines                    # a column of numbers, not a speech's pages
    if any(c[3] == "bare" for c in cands):
        said = Counter(x.text.strip() for x in lines)
        cands = [c for c in cands if c[3] != "bare" or not _section_number(lines, c[0], said)]
    numbers = set(_chain(cands, lines)) if cands else set()
    if not numbers:
        return lines
    heads = _running(lines, numbers)
    gone = set(numbers)
    for i, x in enumerate(lines):
        if i in numbers:
            ctx.remove(x, "page number", x.text.strip())
        elif x.text.strip() in heads:
            ctx.remove(x, "running header", x.text.strip())
            gone.add(i)
    out = []
    for i, x in enumerate(lines):
        if i in gone:
            continue
        if not x.text.strip() and _inside_break(lines, i, gone) and _cut(out, lines, i, gone):
            continue
        out.append(x)
    return out


def _inside_break(lines, i: int, gone: set[int]) -> bool:
    """A blank line next to removed pagination (blank lines between count as next to it)."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and not lines[j].text.strip() and j not in gone:
            j += step
        if j in gone:
            return True
    return False


def _cut(out, lines, i: int, gone: set[int]) -> bool:
    """Did the page break cut a sentence? The kept text before it runs on, no heading, and the
    text after it starts without indentation."""
    before = next((x.text.strip() for x in reversed(out) if x.text.strip()), "")
    j = i + 1
    while j < len(lines) and (j in gone or not lines[j].text.strip()):
        j += 1
    if not before or j >= len(lines):
        return False
    after = lines[j].text
    return not ends_sentence(before) and not classify_heading(before) and not _INDENT.match(after) \
        and not classify_heading(after.strip())

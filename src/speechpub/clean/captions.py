"""Photo captions: the credit (新华社记者 某某/摄, 本报记者 某某 摄, 石榴云/新疆日报记者某某摄) and the
caption sentences before it, which describe the picture in the third person and open with a
date or 这是. On a line of their own they go whole; inside a paragraph (a page saved as one run)
they go as spans, and the sentence around them closes up. Each goes to `removed`.
"""
from __future__ import annotations

import re

from .base import Line

H = "\u4e00-\u9fff"
_NAME = rf"[{H}·]{{1,4}}(?:[ \u3000][{H}]{{1,3}})?"
CREDIT = re.compile(rf"[ \u3000]*[^\s。！？，、：“”]{{0,16}}?(?:记者|通讯员|摄影|新华社发|供图)[ \u3000]*{_NAME}[ \u3000]*[/／]?[ \u3000]*摄")
_CAPTION_OPEN = re.compile(r"[ \u3000]*(?:(?:\d{4}年)?\d{1,2}月\d{1,2}日|这是)")
_SENT_END = re.compile(r"[。！？]+")
_DATE_LEAD = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?(?:[上下]午|晚)?，")
_FIRST_PERSON = re.compile("我|咱")
MAX_SPAN = 320


def _caption_start(text: str, end: int) -> int:
    """Where the caption before text[:end] begins, or `end` when none can be told: the earliest
    sentence opening with a date or 这是, or a full date lead (2020年9月8日，) run on from a byline,
    within the last three sentences, with no first person from there to the credit."""
    lo = max(0, end - MAX_SPAN)
    starts = [m.end() for m in _SENT_END.finditer(text, lo, end)]
    if lo == 0:
        starts.insert(0, 0)
    starts = [p for p in starts if _CAPTION_OPEN.match(text, p)]
    starts += [m.start() for m in _DATE_LEAD.finditer(text, lo, end)]
    for p in sorted(starts):
        span = text[p:end]
        if len(_SENT_END.findall(span)) <= 3 and not _FIRST_PERSON.search(span):
            return p
    return end


def inline_caption(lines, ctx):
    out = []
    for line in lines:
        text = line.text
        if "摄" not in text:
            out.append(line)
            continue
        pieces, pos = [], 0
        for m in CREDIT.finditer(text):
            if m.start() < pos:
                continue
            start = _caption_start(text, m.start())
            if start < pos:
                start = pos
            caption = text[start:m.end()].strip(" \u3000")
            if start == m.start() and not _at_edge(text, m.start(), m.end()):
                continue                     # a bare credit inside a sentence: leave it be
            ctx.remove(line, "photo caption", caption)
            pieces.append(text[pos:start])
            pos = m.end()
        pieces.append(text[pos:])
        new = "".join(pieces).strip(" \u3000")
        if new:
            out.append(Line(new, line.no) if new != text else line)
    return out


def _at_edge(text: str, s: int, e: int) -> bool:
    """A credit standing after a sentence end or at the end of the line."""
    before = text[:s].rstrip(" \u3000")
    return not before or before[-1] in "。！？）" or e >= len(text.rstrip())

"""Paragraphs for text the source did not break: a whole speech saved as one run.

A line is taken for an unbroken run when it is long (over UNBROKEN characters) and the document
has no paragraph of ordinary length besides such runs: a source that marked its paragraphs has. It is broken first before
structural markers (一、 （一） 第一， 第一个问题 同志们！), then at sentence ends into paragraphs
of natural length, preferring a sentence that opens with a short lead (今天，/ 同时，). Breaks
fall only between sentences and outside quotations. Each break is recorded (rule
infer_paragraphs); lines the source marked are never split.
"""
from __future__ import annotations

import re

from .base import Line

UNBROKEN = 800          # a line longer than this is an unbroken run when ...
NORMAL = 30             # ... the document has no sentence-ending paragraph longer than this
TARGET = 320            # a paragraph this long may end where the next sentence opens with a lead
LIMIT = 560             # ... and ends at the next sentence end past this
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_N = "一二三四五六七八九十"
MARKER = re.compile(rf"^(?:[{_N}]{{1,3}}、|[（(][{_N}]{{1,3}}[）)]|第[{_N}]{{1,3}}(?:，|、|个问题|部分|条)|"
                    r"(?:同志们|朋友们|各位代表|各位同志|女士们|同胞们)[，！!]|总之，|最后，)")
_LEAD = re.compile(r"^[^，。！？“”]{1,6}，")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s]


def split_run(text: str) -> list[str]:
    """An unbroken run as paragraphs."""
    out: list[str] = []
    cur: list[str] = []
    size = depth = 0
    for s in _sentences(text):
        if cur and depth <= 0 and (MARKER.match(s) or (size >= TARGET and _LEAD.match(s)) or size >= LIMIT):
            out.append("".join(cur))
            cur, size = [], 0
        cur.append(s)
        size += len(s)
        depth += s.count("“") - s.count("”")
    if cur:
        out.append("".join(cur))
    return out


def infer_paragraphs(lines, ctx):
    # A document with paragraphs of ordinary length marked its paragraphs: none of its lines
    # is split, however long.
    if any(NORMAL < len(x.text) <= UNBROKEN and x.text[-1] in "。！？" and x.text[0] not in "※*（("
           for x in lines):
        return lines
    out = []
    for line in lines:
        if len(line.text) <= UNBROKEN:
            out.append(line)
            continue
        parts = split_run(line.text)
        for a, b in zip(parts, parts[1:]):
            ctx.change("infer_paragraphs", line.no, f"{a[-10:]}{b[:10]}", f"{a[-10:]}\n{b[:10]}")
        if len(parts) > 1:
            ctx.warn("inferred_paragraphs", f"line {line.no}: {len(line.text)} characters with no paragraph "
                     f"marks were broken into {len(parts)} paragraphs at sentence ends", "info")
        out.extend(Line(p, line.no) for p in parts)
    return out

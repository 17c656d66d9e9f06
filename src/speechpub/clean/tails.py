"""What news sites and anthologies glue to the end of a paragraph: the wire credit
（新华社北京11月12日电）, the newspaper tail 《 人民日报 》（ 2020年11月13日 03 版）, a 原标题：
headline, a corpus source marker 出处：…. Removed as spans from the end of any line (the whole
line when nothing else is left), each recorded in `removed`.
"""
from __future__ import annotations

import re

from ..patterns import find_date
from .base import Line
from .head import DISPATCH

_MD = r"[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
_WIRE = re.compile(rf"[（(]\s*据?[^（）()。]{{0,14}}?(?P<md>{_MD})电[^（）()]{{0,90}}[）)]\s*$")
_PAPER = re.compile(r"[《〈]\s*[^《》〈〉]{2,14}?\s*[》〉]\s*[（(]\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                    r"\s*(?:第?\s*\d{1,2}\s*版)?\s*[）)]\s*$")
_HEADLINE = re.compile(r"(?:^|(?<=[。！？!?”）)\s]))\s*(?:原标题|原题)\s*[:：][^。！？]{0,120}$")
_SOURCE = re.compile(r"(?:^|(?<=[。！？!?”）)\s]))\s*(?:出处|资料来源|原载|选自|摘自)\s*[:：].{0,80}$")
# What every match of each holds: a cheap scan of the lines most of which have none.
_PAPER_TRIGGER = re.compile(r"[》〉]\s*[（(]")
_WIRE_TRIGGER = re.compile("日电")
_HEADLINE_TRIGGER = re.compile("原标?题")
_SOURCE_TRIGGER = re.compile("出处|资料来源|原载|选自|摘自")
# 【打印】【关闭】 run onto the end of the last line
_BUTTONS = re.compile(r"(?<=[。！？!?”）)])(?:\s*[【\[][^【】\[\]]{1,6}[】\]]){2,}\s*$")
_BUTTONS_TRIGGER = re.compile("[】\\]]\\s*$")
_RULES = ((_PAPER, _PAPER_TRIGGER, "newspaper tail"), (_WIRE, _WIRE_TRIGGER, "newswire dateline"),
          (_HEADLINE, _HEADLINE_TRIGGER, "news headline"), (_SOURCE, _SOURCE_TRIGGER, "source marker"),
          (_BUTTONS, _BUTTONS_TRIGGER, "page toolbar"))
TRIGGERS = tuple((rx, trigger) for rx, trigger, _ in _RULES)


def tail_spans(lines, ctx):
    out = []
    for line in lines:
        text = line.text
        found = True
        while found and text:
            found = False
            for rx, trigger, reason in _RULES:
                m = rx.search(text) if trigger.search(text) else None
                if m:
                    ctx.remove(line, reason, m.group(0).strip())
                    if reason == "newswire dateline":
                        ctx.dispatch_date = ctx.dispatch_date or m.group("md")
                    elif reason == "newspaper tail" and not ctx.published:
                        ctx.published = find_date(m.group("date"))
                    elif reason == "news headline":
                        ctx.hints.setdefault("headline", re.sub(r"^\s*(?:原标题|原题)\s*[:：]\s*", "", m.group(0)))
                    text = text[:m.start()].rstrip(" \u3000\t")
                    found = True
                    break
        if text:
            out.append(Line(text, line.no) if text != line.text else line)
    return out


def dispatch_lines(lines, ctx):
    """A newswire dateline (新华社北京7月8日电, 本报北京7月23日电（记者…）) opening any paragraph."""
    out = []
    for line in lines:
        m = DISPATCH.match(line.text)
        if not m:
            out.append(line)
            continue
        ctx.remove(line, "newswire dateline", m.group(0))
        md = re.search(_MD, m.group(0))
        ctx.dispatch_date = ctx.dispatch_date or (md.group(0) if md else "")
        rest = line.text[m.end():].lstrip(" \u3000")
        if rest:
            out.append(Line(rest, line.no))
    return out


# A newspaper's page jump inside a paragraph: （下转第四版） （紧接第一版） （上接第2版）.
_JUMP = re.compile(r"[（(]\s*(?:下转|上接|紧接|转接|接|转)第?\s*[一二三四五六七八九十\d]{1,3}\s*版\s*[）)]")


def page_jumps(lines, ctx):
    out = []
    for line in lines:
        if "版" not in line.text or not _JUMP.search(line.text):
            out.append(line)
            continue
        for m in _JUMP.finditer(line.text):
            ctx.remove(line, "newspaper page jump", m.group(0))
        text = _JUMP.sub("", line.text).strip()
        if text:
            out.append(Line(text, line.no))
    return out

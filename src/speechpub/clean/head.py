"""The title block of a speech whose site ran it into one line: title,
——subtitle, （date, place）, the speaker's position and name, the salutation, the first sentence.

The split follows the shape of a title block, not known titles: a date in brackets closes the
title part; a ※ marks a byline; a genre word (贺信, 回信) alone before a sentence is the title; the
salutation is a run of short address items ending in a colon. Each split is recorded in
`changes` (rule unglue_title). A newswire dateline before it is tails.dispatch_lines' work.
"""
from __future__ import annotations

import re

from .. import words
from ..patterns import DATE_RE, ISO_DATE_RE, POSITIONS
from .base import Line

H = "\u4e00-\u9fff"
KINDS = ("讲话|致辞|致词|报告|贺信|贺词|贺电|回信|发言|演讲|主旨演讲|讲演|演说|总结|动员令|开幕词|闭幕词|"
         "祝词|说明|慰问信|公开信|新年贺词|书面致辞|书面讲话")
# A newswire dateline at the very start: 新华社北京11月10日电, 新华网青岛5月23日电（记者 某某）.
DISPATCH = re.compile(rf"^[{H}]{{0,12}}?[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日电(?:[（(]记者[^）)]{{1,30}}[）)])?")
_DATE_PAREN = re.compile(r"[（(](?P<d>[^（）()]{4,40})[）)]")
_BYLINE = re.compile(r"^(?P<title>[^。！？]{4,80}?)※(?P<rest>.+)$")
_GENRE_FIRST = re.compile(rf"^(?P<kind>贺信|回信|贺电|贺词|新年贺词|致辞|慰问信|公开信)(?P<rest>[{H}“].+)$")
_SUBTITLE_KIND = re.compile(rf"^(?P<title>[^。！？]{{2,80}}?)(?P<sub>——[^。！？——]{{2,80}}?(?:{KINDS}))(?P<rest>.*)$")
_POSITION = re.compile(rf"^(?P<pos>[{H}]{{0,16}}?(?:{POSITIONS}))[ \u3000]*")
# Words that open a salutation, and words every address item holds.
SAL_OPEN = re.compile(r"^(?:尊敬的|亲爱的|各位|全体|在座的|女士们|先生们|同志们|同胞们|朋友们|主席先生|[^，。：]{0,16}们[，、：:])")
_ADDRESS = re.compile(r"们|先生|女士|阁下|陛下|殿下|各位|尊敬的|亲爱的|同事|来宾|嘉宾|代表|同志|朋友|总统|主席|"
                      r"国王|总理|首相|秘书长|乡亲|同胞|大使|部长|委员|老师|同学|指战员")


def salutation_end(text: str, addressee: bool = False) -> int:
    """Length of the salutation that opens `text` (0 when there is none): short address items
    separated by ，、 and closed by ：, most of them holding an address word (先生, 们, 各位 ...).
    Without the colon, a run of items that each open with 尊敬的 and end in ， is one too."""
    if not addressee and not SAL_OPEN.match(text):
        return 0
    pos, marked, items, run_end = 0, 0, 0, 0
    while pos < len(text) and items < 16:
        m = re.match(r"[^，、。！？：:；]{1,40}([，、：:])", text[pos:])
        if not m:
            break
        item = m.group(0)[:-1]
        has = bool(_ADDRESS.search(item))
        if run_end == pos and has and item.startswith("尊敬的") and m.group(1) == "，":
            run_end = pos + m.end()
        items += 1
        marked += has
        pos += m.end()
        if addressee and m.group(1) not in "：:":
            return 0                 # a letter's addressee is one item closed by a colon
        if m.group(1) in "：:":
            if addressee or (has and 2 * marked >= items):
                return pos
            break
    return run_end if run_end and text[:run_end].count("尊敬的") >= 2 else 0


_OPENER = re.compile(r"^(?:尊敬的|亲爱的|各位|全体|在座的|女士们|先生们|同志们|同胞们|朋友们|主席先生|大家好)")


def split_name(text: str) -> int:
    """Length of the name that opens `text` (a speaker's name run into what follows), or 0:
    the whole run of hanzi when it is short, else up to a salutation, else the first word of a
    word segmentation (a run of single characters when the name is unknown to it)."""
    m = re.match(rf"[{H}]+·[{H}]+", text)
    if m:
        return m.end()
    m = re.match(rf"[{H}]{{2,}}", text)
    if not m:
        return 0
    run = m.group(0)
    end = text[len(run):len(run) + 1]
    if len(run) <= 4 and (not end or end in " \u3000" or end.isdigit()):
        return len(run)
    for n in (2, 3, 4):
        if _OPENER.match(text[n:]):
            return n
    tokens = words.segment(run[:12])
    if 2 <= len(tokens[0]) <= 4:
        return len(tokens[0])
    singles = 0
    for t in tokens:
        if len(t) != 1:
            break
        singles += 1
    return singles if 2 <= singles <= 4 else 3


def _speaker(rest: str) -> tuple[str, str]:
    """(speaker line, what follows) at the start of `rest`, or ('', rest)."""
    rest = rest.lstrip(" \u3000")
    pos = ""
    m = _POSITION.match(rest)
    if m and len(rest) > m.end() + 1:
        pos, rest = m.group("pos"), rest[m.end():]
    if _OPENER.match(rest) and not pos:
        return "", rest
    n = split_name(rest)
    if not n:
        return "", (pos + rest) if pos else rest
    name = rest[:n]
    return (f"{pos} {name}" if pos else name), rest[n:].lstrip(" \u3000")


def _has_date(s: str) -> bool:
    return bool(DATE_RE.search(s) or ISO_DATE_RE.search(s))


def split_head(text: str) -> list[str] | None:
    """The parts of a run-together title block, or None when `text` does not open with one."""
    m = _GENRE_FIRST.match(text)
    if m:
        kind, rest = m.group("kind"), m.group("rest")
        n = salutation_end(rest, addressee=kind == "回信")
        return [kind] + ([rest[:n], rest[n:]] if n else [rest])
    m = _BYLINE.match(text)
    if m and len(m.group("title")) <= 80:
        speaker, rest = _speaker(m.group("rest"))
        if speaker:
            return [*_title_sub(m.group("title")), speaker, *_salute(rest)]
    for d in _DATE_PAREN.finditer(text[:200]):
        if not _has_date(d.group("d")):
            continue
        head = text[:d.start()]
        if not (2 <= len(head) <= 120) or re.search("[。！？]", head):
            return None
        speaker, rest = _speaker(text[d.end():])
        titled = bool(re.search(f"(?:{KINDS})$", head)) or "——" in head[1:]
        if not (titled or not rest or (speaker and (_OPENER.match(rest) or rest[0].isdigit()))):
            return None
        return [*_title_sub(head), d.group(0)] + ([speaker] if speaker else []) + _salute(rest)
    m = _SUBTITLE_KIND.match(text)
    if m and m.group("rest"):
        speaker, rest = _speaker(m.group("rest"))
        return [m.group("title"), m.group("sub")] + ([speaker] if speaker else []) + _salute(rest)
    return None


def _title_sub(head: str) -> list[str]:
    if "——" in head[1:]:
        i = head.index("——", 1)
        return [head[:i].strip(), head[i:].strip()]
    return [head.strip()]


def _salute(rest: str) -> list[str]:
    n = salutation_end(rest)
    out = [rest[:n], rest[n:]] if n else [rest]
    return [p for p in out if p.strip()]


def unglue_title(lines, ctx):
    """A title block run into one line is split (a dateline before it went in dispatch_lines)."""
    if not lines:
        return lines
    first = lines[0]
    parts = split_head(first.text)
    if parts is None:
        n = salutation_end(first.text)
        if not n or n == len(first.text):
            return lines
        parts = [first.text[:n], first.text[n:]]
    parts = [p for p in (p.strip(" \u3000") for p in parts) if p]
    if len(parts) < 2:
        return lines
    ctx.change("unglue_title", first.no, first.text, "\n".join(parts))
    return [Line(p, first.no) for p in parts] + lines[1:]

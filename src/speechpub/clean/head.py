"""The title block of a speech whose site ran it into one line: title,
——subtitle, （date, place）, the speaker's position and name, the salutation, the first sentence.

The split follows the shape of a title block, not known titles: a date in brackets closes the
title part; a ※ marks a byline; a genre word (贺信, 回信) alone before a sentence is the title; the
salutation is a run of short address items ending in a colon. Each split is recorded in
`changes` (rule unglue_title). A newswire dateline before it is tails.dispatch_lines' work.
"""
from __future__ import annotations

import re

from ..patterns import DATE_RE, GENRES, ISO_DATE_RE, POSITIONS, is_title_like
from ..typeset import words
from .base import Line

H = "\u4e00-\u9fff"
KINDS = "|".join(GENRES)
# A newswire dateline at the very start: 新华社北京11月10日电, 新华网青岛5月23日电（记者 某某）.
DISPATCH = re.compile(rf"^[{H}]{{0,12}}?[0-9０-９]{{1,2}}月[0-9０-９]{{1,2}}日电(?:[（(]记者[^）)]{{1,30}}[）)])?")
_DATE_PAREN = re.compile(r"[（(](?P<d>[^（）()]{4,40})[）)]")
_BYLINE = re.compile(r"^(?P<title>[^。！？]{4,80}?)※(?P<rest>.+)$")
_GENRE_FIRST = re.compile(rf"^(?P<kind>贺信|回信|贺电|贺词|新年贺词|致辞|慰问信|公开信)(?P<rest>[{H}“].+)$")
_SUBTITLE_KIND = re.compile(rf"^(?P<title>[^。！？]{{2,80}}?)(?P<sub>——[^。！？——]{{2,80}}?(?:{KINDS}))(?P<rest>.*)$")
# ——2026年1月27日在…会议上 陕西省省长 赵刚: a dated subtitle with the speaker after it
_DATED_SUB = re.compile(rf"^(?P<sub>(?:——|─+)?\s*{DATE_RE.pattern}\s*在[^。！？，]{{2,60}}?(?:上|时|中))"
                        rf"[ \u3000]*(?P<rest>[{H}].*)$")
_POSITION = re.compile(rf"^(?P<pos>[{H}]{{0,16}}?(?:{POSITIONS}))[ \u3000]*")
# Words an address item holds (a salutation's items: 主席先生， 查尔斯王子， 女士们，).
_ADDRESS = re.compile(r"(?<=[\u4e00-\u9fff])(?<![我你他她它人咱])们|先生|女士|夫人|阁下|陛下|殿下|王子|各位|尊敬的|亲爱的|同事|来宾|嘉宾|代表|同志|朋友|总统|"
                      r"主席|国王|总理|首相|秘书长|乡亲|同胞|大使|部长|委员|老师|同学|指战员")
# A post alone as an address item (校监、校长、各位嘉宾：); in a speaker line it has more words.
_BARE_POST = re.compile(r"^副?(?:校监|校长|院长|会长|省长|市长|书记|主任|局长|厅长)$")


def _addresses(item: str) -> bool:
    return bool(_ADDRESS.search(item) or _BARE_POST.match(item.strip()))


_ITEM = re.compile(r"[^，、。！？：:；,;!?/]{1,40}([，,、：]|:(?!//))")      # an address item and its mark


def opens_with_address(text: str) -> bool:
    """Does the text open with an address item (中方各位负责同志，  女士们，)?"""
    m = _ITEM.match(text)
    return bool(m and _addresses(m.group(0)[:-1]))


def salutation_end(text: str, addressee: bool = False) -> int:
    """Length of the salutation that opens `text` (0 when there is none): short address items
    separated by ，、 and closed by ：, the last and most of them holding an address word (先生,
    们, 各位 ...; an item after 、 shares the one before it). Without the colon, items that open
    with 尊敬的 (twice at least) end where the first sentence begins.
    `addressee`: a letter's addressee, one item of any words closed by a colon."""
    if not addressee and not opens_with_address(text):
        return 0
    pos, marked, items, prev = 0, 0, 0, ""
    while pos < len(text) and items < 16:
        m = _ITEM.match(text, pos)
        if not m:
            break
        item, delim = m.group(0)[:-1], m.group(1).replace(",", "，")
        has = _addresses(item) or prev == "、"
        if not has and prev == "，" and text[:pos].count("尊敬的") >= 2:
            return pos
        if addressee and delim not in "：:":
            return 0
        items += 1
        marked += has
        pos = m.end()
        prev = delim
        if delim in "：:":
            return pos if addressee or (has and 2 * marked >= items) else 0
    return pos if prev == "，" and pos == len(text) and text.count("尊敬的") >= 2 else 0


_OPENER = re.compile(r"^(?:尊敬的|亲爱的|各位|全体|在座的|女士们|先生们|同志们|同胞们|朋友们|主席先生|大家好)")


def split_name(text: str) -> int:
    """Length of the name that opens `text` (a speaker's name run into what follows), or 0:
    the whole run of hanzi when it is short, else up to a salutation, else by word segmentation."""
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
    if 3 <= len(tokens[0]) <= 4:
        return len(tokens[0])               # a name the word list knows (习近平)
    # Otherwise the length after which the text goes on with the longest word: 龚正|当前，
    # 王清宪|党的; three characters, the commonest length, on a tie.
    return max((3, 2), key=lambda n: len(words.segment(run[n:n + 8])[0]) if run[n:] else 0)


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


def split_sub(text: str) -> list[str] | None:
    """A dated subtitle with the speaker run into it: [subtitle, speaker, (salutation, ...)]."""
    m = _DATED_SUB.match(text)
    if not m:
        return None
    speaker, rest = _speaker(m.group("rest"))
    if not speaker or (rest and not salutation_end(rest)):
        return None
    return [m.group("sub").strip(), speaker, *_salute(rest)]


def split_head(text: str) -> list[str] | None:
    """The parts of a run-together title block, or None when `text` does not open with one."""
    parts = split_sub(text)
    if parts:
        return parts
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
    k, parts = 0, split_head(lines[0].text)     # a salutation alone is unglue_salutation's
    if parts is None and len(lines) > 1 and is_title_like(lines[0].text, 80) and \
            lines[1].text not in {x.text for x in lines[2:30]}:     # not a header page_title takes
        k, parts = 1, split_sub(lines[1].text)    # under a title of its own
    if parts is None:
        return lines
    parts = [p for p in (p.strip() for p in parts) if p]
    if len(parts) < 2:
        return lines
    line = lines[k]
    ctx.change("unglue_title", line.no, line.text, "\n".join(parts))
    return lines[:k] + [Line(p, line.no) for p in parts] + lines[k + 1:]


HEAD_ZONE = 8           # lines at the top where a salutation may stand
_REST_MIN = 2           # ... followed by a sentence of at least this many characters


def unglue_salutation(lines, ctx):
    """A salutation run into the first sentence (同志们，朋友们：在过去…) near the top is split off."""
    out = []
    for k, line in enumerate(lines):
        text = line.text
        n = salutation_end(text) if k < HEAD_ZONE else 0
        while 0 < n < len(text) and len(text[n:].strip()) >= _REST_MIN and any(c.isalnum() for c in text[n:]):
            rest = text[n:].strip()
            ctx.change("unglue_title", line.no, text, text[:n] + "\n" + rest)
            out.append(Line(text[:n], line.no))
            text = rest
            n = salutation_end(text)
        out.append(Line(text, line.no) if text != line.text else line)
    return out

"""Rules about characters: invisible and control characters, HTML, punctuation, spaces, quotes.

Each rule rewrites line texts and records every substitution (rule, line, before, after).
"""
from __future__ import annotations

import html as _html
import re
import unicodedata

from ..patterns import CJK, HAN
from . import mojibake
from .base import Line

# Zero-width characters, bidirectional controls, and controls XML forbids (tab/newline aside).
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\u00ad\u061c\u180e"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")


def _sub(rx, repl, lines, ctx, rule, trigger=None):
    """re.sub over every line, recording each replacement. `trigger`, a cheap pattern that any
    match needs, lets lines without it pass untouched (patterns opening with a look-behind
    are slow to scan)."""
    out = []
    for line in lines:
        if trigger is not None and not trigger.search(line.text):
            out.append(line)
            continue
        def fn(m, _no=line.no):
            new = repl(m) if callable(repl) else m.expand(repl)
            if new != m.group(0):
                ctx.change(rule, _no, m.group(0), new)
            return new
        out.append(Line(rx.sub(fn, line.text), line.no))
    return out


_HIDDEN = re.compile(f"[{_INVISIBLE.pattern[1:-1]}{_ODD_SPACE.pattern[1:-1]}]")     # either kind, one class


def invisible_chars(lines, ctx):
    """(Both substitutions run on the lines with either kind: one scan for the others.)"""
    hit = [bool(_HIDDEN.search(x.text)) for x in lines]
    todo = _sub(_INVISIBLE, "", [x for x, h in zip(lines, hit) if h], ctx, "invisible_chars")
    todo = iter(_sub(_ODD_SPACE, " ", todo, ctx, "invisible_chars"))
    return [next(todo) if h else x for x, h in zip(lines, hit)]


_TAG_NAMES = ("a|abbr|b|big|blockquote|body|br|center|dd|div|dl|dt|em|font|h[1-6]|head|hr|html|i|img|"
              "input|label|li|link|meta|nobr|ol|option|p|pre|s|select|small|span|strike|strong|style|"
              "sub|sup|table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|wbr|section|article|header|"
              "footer|nav|figure|figcaption|iframe|script|noscript|o:p|st1:[a-z]+")
_TAG = re.compile(rf"</?(?:{_TAG_NAMES})(?:\s[^<>]*)?/?>", re.I)
_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_LIST_RESIDUE = re.compile(r"^[\s,，'\"\[\]]+$")
_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|br|li|ul|ol|tr|table|tbody|thead|tfoot|blockquote|section|article|"
                        r"header|footer|figure|figcaption|center|hr|dd|dt|dl|pre)\b", re.I)
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,7}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def html(lines, ctx):
    """HTML tags of known names are scraping residue and go to `removed`; entities are decoded.
    Other angle-bracket text (<script> spelled in a speech about security, say) is kept only
    when it is not a well-formed tag of a known name."""
    out = []
    for line in lines:
        text = line.text
        if "<" in text:
            for rx, reason in ((_SCRIPT_BLOCK, "HTML script/style block"), (_TAG, "HTML tag")):
                for m in rx.finditer(text):
                    ctx.remove(line.no, reason, m.group(0))
                # a block tag (<p>, <h4>, <br>, <div>) ends a paragraph: markup becomes structure
                text = rx.sub(lambda m: "\n" if _BLOCK_TAG.match(m.group(0)) else "", text)
            if "\n" in text:
                parts = [p for p in text.split("\n") if p.strip()]
                for p in [p for p in parts if _LIST_RESIDUE.match(p)]:
                    ctx.remove(line.no, "HTML list residue", p)     # [<p>…</p>, <p>…</p>] printed
                parts = [p for p in parts if not _LIST_RESIDUE.match(p)]
                out.extend(Line(_entities(p, line.no, ctx), line.no) for p in parts[:-1])
                text = parts[-1] if parts else ""
        out.append(Line(_entities(text, line.no, ctx), line.no))
    return out


def _entities(text: str, no: int, ctx) -> str:
    """HTML entities decoded, each recorded."""
    if "&" in text:
        def fn(m):
            new = _html.unescape(m.group(0))
            if new != m.group(0):
                ctx.change("html", no, m.group(0), new)
            return new
        text = _ENTITY.sub(fn, text)
        text = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", text))
    return text


_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]+(?:[．][０-９]+)?")


def fullwidth_alnum(lines, ctx):
    return _sub(_FULLWIDTH_ALNUM, lambda m: unicodedata.normalize("NFKC", m.group(0)),
                lines, ctx, "fullwidth_alnum", _FULLWIDTH_ALNUM)


_C = f"[{CJK}]"
_H = f"[{HAN}]"
# The patterns below open every branch with a mark and look behind it after (…(?<!……) for
# (?<!…)…, ……+ for …{3,}): the same matches, and the scan jumps from mark to mark
# (tests/test_clean.py compares them).
_DOTS = re.compile(r"\.\.\.+|。。。+|………+|…(?<!……)(?!…)")
_DASHES = re.compile(r"--+|――?|－－|—(?<!——)(?!—)")
# What every match of _DOTS and of _DASHES holds: a cheap scan (their look-behinds are slow).
_DOTS_TRIGGER = re.compile(r"…|\.\.\.|。。。")
_DASHES_TRIGGER = re.compile("[-―－—]")


def _near_cjk(m) -> bool:
    before, after = _neighbours(m.string, m.start(), m.end())
    return bool(_CJK_SET.match(before or " ") or _CJK_SET.match(after or " "))


def dashes_ellipses(lines, ctx):
    """... 。。。 and a lone … next to Chinese text become ……; -- ―― and a lone — become ——."""
    lines = _sub(_DOTS, lambda m: "……" if _near_cjk(m) else m.group(0), lines, ctx, "dashes_ellipses",
                 _DOTS_TRIGGER)
    return _sub(_DASHES, _dash, lines, ctx, "dashes_ellipses", _DASHES_TRIGGER)


def _dash(m) -> str:
    """A lone — between two hanzi is a connecting dash (中国—东盟, 北京—上海) and stays."""
    t = m.string
    if m.group(0) == "—" and _H_SET.match(t[m.start() - 1:m.start()] or " ") and _H_SET.match(t[m.end():m.end() + 1] or " "):
        return m.group(0)
    return "——" if _near_cjk(m) else m.group(0)


_H_SET = re.compile(f"[{HAN}]")


_CJK_SET = re.compile(f"[{CJK}]")
_HALF = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HALF_RE = re.compile(r"[ \t]*([,:;?!]+)[ \t]*")
_HALF_TRIGGER = re.compile(r"[,:;?!]")


_SEE_THROUGH = "\"'“”‘’ \t"


def _neighbours(text: str, s: int, e: int) -> tuple[str, str]:
    """The characters around text[s:e], looking through quotes and spaces (straight quotes become
    curly ones later, spaces may go: neither may decide)."""
    i, j = s - 1, e
    while i >= 0 and text[i] in _SEE_THROUGH:
        i -= 1
    while j < len(text) and text[j] in _SEE_THROUGH:
        j += 1
    return (text[i] if i >= 0 else ""), (text[j] if j < len(text) else "")


def halfwidth_punct(lines, ctx):
    """, : ; ? ! between or next to Chinese text become full-width (not 3,000 nor 09:45 nor URLs)."""
    def fn(m):
        text, p = m.string, m.group(1)
        before, after = _neighbours(text, m.start(), m.end())
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return m.group(0)               # 3,000  09:45  a:b
        if p == ":" and text[m.end():m.end() + 2] == "//":
            return m.group(0)               # http://
        if _CJK_SET.match(before or " ") or _CJK_SET.match(after or " ") or (not after and _CJK_SET.search(text)):
            return "".join(_HALF[c] for c in p)
        return m.group(0)
    return _sub(_HALF_RE, fn, lines, ctx, "halfwidth_punct", _HALF_TRIGGER)


_PAREN = re.compile(r"\(([^()（）\n]{0,80})\)|（([^()（）\n]{0,80})\)|\(([^()（）\n]{0,80})）")
_LONE_PAREN = re.compile(rf"\((?<={_H}\()|\((?={_H})|\)(?<={_H}\))|\)(?={_H})")
_PAREN_TRIGGER = re.compile(r"[()]")


def parentheses(lines, ctx):
    """Half-width parentheses around or next to Chinese text become full-width （）."""
    def fn(m):
        inner = next(g for g in m.groups() if g is not None)
        text = m.string
        outside = text[max(0, m.start() - 1):m.start()] + text[m.end():m.end() + 1]
        if _CJK_SET.search(inner) or _CJK_SET.search(outside) or m.group(0)[0] == "（" or m.group(0)[-1] == "）":
            return f"（{inner}）"
        return m.group(0)
    lines = _sub(_PAREN, fn, lines, ctx, "parentheses", _PAREN_TRIGGER)
    return _sub(_LONE_PAREN, lambda m: "（" if m.group(0) == "(" else "）", lines, ctx, "parentheses", _PAREN_TRIGGER)


_DOT_TRIGGER = re.compile(r"[.．]")
_LIST_DOT = re.compile(rf"[.．](?<={_H}[.．])(?={_H})")
_SENT_DOT = re.compile(rf"\.(?<={_H}\.)(?=$|[”’」』）\s])|\.(?<=[”’」』\"']\.)(?=$|\s)")
# In a line that uses . as its full stop: one after a hanzi or a quote, before a hanzi or a digit
# (的大学.1923年, 第一课".第一).
_STOP_DOT = re.compile(rf"\.(?<=[{HAN}”’」』\"']\.)(?=[{HAN}0-9])")
# What ends a clause on either side of a dot (the dots themselves included).
_CLAUSE_END = re.compile("[，。、；：？！,;:?!.．“”\"‘’（）()「」《》 \u3000]")
_NUMERAL_HEAD = re.compile("[ \u3000]*[一二三四五六七八九十]{1,3}$")
_LAST_ITEM = re.compile(f"{_H}{{1,4}}等")
LONG_CLAUSE = 8         # hanzi on both sides of a dot: two sentences, no list
SHORT_ITEM = 6          # a list item is at most this long


def _clause_before(text: str, i: int) -> str:
    return _CLAUSE_END.split(text[:i])[-1]


def _clause_after(text: str, i: int) -> tuple[str, str]:
    """The clause after text[i] and the mark that ends it ('' at the end of the line)."""
    m = _CLAUSE_END.search(text, i + 1)
    return (text[i + 1:m.start()], m.group(0)) if m else (text[i + 1:], "")


def _dots_end_sentences(text: str) -> bool:
    """A line without 。 whose dots are full stops: one dot has a long clause on either side, or
    ends the line or a quotation."""
    if "。" in text:
        return False
    if _SENT_DOT.search(text):
        return True
    for m in _LIST_DOT.finditer(text):
        after, _ = _clause_after(text, m.start())
        if len(_clause_before(text, m.start())) >= LONG_CLAUSE and len(after) >= LONG_CLAUSE:
            return True
    return False


def list_dot(lines, ctx):
    """A . between hanzi: 、 after a heading numeral (一.总体要求) and between list items, otherwise
    a full stop 。. A . after hanzi at the end of a sentence becomes 。, and in a line that uses .
    as its full stop, one before a digit or after a quote too."""
    out = []
    for line in lines:
        if _DOT_TRIGGER.search(line.text):
            stops = _dots_end_sentences(line.text)
            done = _sub(_LIST_DOT, lambda m, _s=stops: _list_or_stop(m, _s), [line], ctx, "list_dot")
            out += _sub(_STOP_DOT, "。", done, ctx, "list_dot") if stops else done
        else:
            out.append(line)
    return _sub(_SENT_DOT, "。", out, ctx, "list_dot", _DOT_TRIGGER)


def _list_or_stop(m, stops: bool) -> str:
    """Lists: 区委.区政府 (the second item opens with the first's first character), 工业.农业、服务业
    (a short item before a 、), and where the line ends its sentences with 。, 工业.农业.服务业,
    工业.农业， (a short item before another dot, or two of at most 3 hanzi before a comma), 工业.农业等
    and the last dot of a list (a short item after another dot). A line that uses . as its full
    stop (`stops`) has its lists in 、 already: there 叫过苦.一年下来， opens a sentence. Long
    clauses on both sides are two sentences."""
    text, i = m.string, m.start()
    if _NUMERAL_HEAD.fullmatch(text[:i]):
        return "、"
    before = _clause_before(text, i)
    after, mark = _clause_after(text, i)
    if len(before) >= LONG_CLAUSE and len(after) >= LONG_CLAUSE:
        return "。"
    lw, rw = before[-4:], after[:6]
    if rw[:1] == lw[-2:-1] and not rw.startswith(lw[-2:]) and not (stops and len(before) > SHORT_ITEM):
        return "、"                         # 区委.区政府 (not 发展.发展是)
    if len(after) <= 4 and mark:
        if mark == "、" or (not stops and (mark in ".．" or len(before) <= 3 and len(after) <= 3)):
            return "、"                     # 工业.农业.服务业, 工业.农业，
    start = i - len(before)
    if not stops and (_LAST_ITEM.match(after) or (len(before) <= 4 and start and text[start - 1] in ".．")):
        return "、"                         # 工业.农业等, 工业.农业.服务业要
    return "。"


_YEAR_TRIGGER = re.compile("[○OＯ0零]年|[○OＯ0零].{1,3}年")
_CN_YEAR = re.compile(r"[〇一二三四五六七八九○OＯ0零]{4}(?=年)")


def zero_in_dates(lines, ctx):
    """○ O 0 零 in a Chinese-numeral year become 〇 (U+3007)."""
    def fn(m):
        s = m.group(0)
        if not any(c in "一二三四五六七八九" for c in s):
            return s
        return "".join("〇" if c in "○OＯ0零" else c for c in s)
    return _sub(_CN_YEAR, fn, lines, ctx, "zero_in_dates", _YEAR_TRIGGER)


_CLOSE = "，。、；：？！）》」』】〕”’…"
_OPEN = "（《「『【〔“‘"
_STRAY = re.compile(rf"(?<=[{CJK}])[ \t\u3000]+(?=[{CJK}])|[ \t\u3000]+(?=[{_CLOSE}])|"
                    rf"(?<=[{_OPEN}{_CLOSE}])[ \t\u3000]+")
_SPACE_TRIGGER = re.compile(r"[ \t\u3000]")
# A title and a name of two to four hanzi, maybe spaced out (市长 陈 明).
_NAME_LINE = re.compile(rf"^({_H}{{2,14}})[ \t\u3000]+((?:{_H}[ \t\u3000]*){{1,3}}{_H})$")


# A title or heading: a short line without sentence punctuation. Its phrase groups (凝心聚力 奋勇争先)
# keep one ideographic space between them.
_TITLE_LIKE = re.compile(r"[^，。；！？,;!?：:]{3,50}")
_BETWEEN_GROUPS = re.compile(rf"(?<={_H}[{HAN}”’」』》])[ \t\u3000]+(?=[“‘「『《]?{_H}{_H})")


def stray_spaces(lines, ctx):
    """Spaces between Chinese characters, before closing and after opening or closing marks go
    (full-width punctuation carries its own space).
    A short name line such as 省长 王予波 (or 市长 陈 明) keeps one ideographic space between title and
    name, and a title or heading one between phrase groups of two or more hanzi each (凝心聚力　奋勇争先);
    a space beside a single hanzi (陈 明) is damage there too."""
    out = []
    for line in lines:
        name = _NAME_LINE.match(line.text)
        if name:
            new = name.group(1) + "\u3000" + re.sub(r"[ \t\u3000]+", "", name.group(2))
            if new != line.text:
                ctx.change("stray_spaces", line.no, line.text, new)
            out.append(Line(new, line.no))
        elif _TITLE_LIKE.fullmatch(line.text) and _BETWEEN_GROUPS.search(line.text):
            out.extend(_sub(_STRAY, _title_space, [line], ctx, "stray_spaces"))
        else:
            out.extend(_sub(_STRAY, "", [line], ctx, "stray_spaces", _SPACE_TRIGGER))
    return out


def _title_space(m) -> str:
    g = _BETWEEN_GROUPS.match(m.string, m.start())
    return "\u3000" if g and g.end() == m.end() else ""


def quotes(lines, ctx):
    """Straight quotes in Chinese text become paired “” and ‘’ (alternating per paragraph)."""
    out = []
    for line in lines:
        text = line.text
        if '"' in text and _CJK_SET.search(text):
            text = _pair(text, '"', "“", "”", line.no, ctx)
        if "'" in text and _CJK_SET.search(text):
            text = _pair(text, "'", "‘", "’", line.no, ctx, cjk_only=True)
        out.append(Line(text, line.no))
    return out


def _apostrophe(text: str, i: int) -> bool:
    return text[i - 1:i].isascii() and text[i - 1:i].isalpha() and text[i + 1:i + 2].isascii() \
        and text[i + 1:i + 2].isalpha()


def _pair(text, straight, opening, closing, no, ctx, cjk_only=False):
    """Alternate opening and closing marks, the first one opening (it's keeps its apostrophe)."""
    parts, opened = [], False
    for i, ch in enumerate(text):
        if ch != straight or (cjk_only and _apostrophe(text, i)):
            parts.append(ch)
            continue
        new = closing if opened else opening
        opened = not opened
        ctx.change("quotes", no, ch, new)
        parts.append(new)
    return "".join(parts)


_MOJIBAKE = re.compile(r"[ÃÂâ€][\x80-\xbf€™œ\"]|锟斤拷|烫烫烫|屯屯屯|[\u00c0-\u00ff]{3,}")
_MOJIBAKE_TRIGGER = re.compile("[\u00c0-\u00ff€锟烫屯]")     # in every match of _MOJIBAKE, a cheap scan
_PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")
# Runs of characters that are no unknown_char (assigned since Unicode 14, Python 3.11's; assigned
# characters stay so): diagnose looks at the rest only, a fraction of the text.
PLAIN = re.compile("[\n -~\u2010-\u2064\u3000-\u303f\u4e00-\u9fff\uff01-\uffbe]+")


def unknown_char(c: str) -> bool:
    """U+FFFD, a private-use or an unassigned code point: a character that stands for lost text."""
    return c == "\ufffd" or bool(_PUA.match(c)) or unicodedata.category(c) == "Cn"


def diagnose(lines, ctx):
    """Warn about characters that cannot be right: U+FFFD, private-use code points, mojibake."""
    text = "\n".join(line.text for line in lines)
    rest = PLAIN.sub("", text)
    bad = sorted(c for c in set(rest) if unknown_char(c))
    if bad:
        n = sum(rest.count(c) for c in bad)
        shown = " ".join(f"U+{ord(c):04X}" + (f" ×{rest.count(c)}" if rest.count(c) > 1 else "") for c in bad[:10])
        ctx.warn("unknown_char", f"{n} character(s) that stand for lost or unknown text: {shown}", "error")
    m = _MOJIBAKE.search(text) if _MOJIBAKE_TRIGGER.search(text) else None
    if m:
        ctx.warn("mojibake", f"text that looks like mojibake (wrongly decoded bytes): {m.group(0)!r}", "error")
    places = list(dict.fromkeys(ctx.damage))
    if places:
        shown = "; ".join(f"line {no}: …{snip}… ({what})" for no, snip, what in places[:8])
        more = f" and {len(places) - 8} more" if len(places) > 8 else ""
        ctx.warn("damaged_text", f"{len(places)} damaged place(s), not repaired: {shown}{more}", "error")
    return lines


_Q_CUE = re.compile(r"吗|呢|么|吧|谁|哪|几[个次年天]|是否|难道|怎|何[时处必]|为何|多[大少久长]|如何|能否|可否|不是|没有|"
                    r"还是|(.)不\1")


def damage(lines, ctx):
    """Find damaged places before the punctuation rules change ? and ; (reported by diagnose)."""
    if not ctx.damage_scanned:
        ctx.damage.extend(damaged_places(lines))
        ctx.damage_scanned = True
    return lines
# A ? or ？ opening a clause, before a comma or a full stop, or a ? between hanzi (the mark first).
_LOST_MARK = re.compile(f"[?？](?<![^、，（(）)\u3000][?？])|[?？](?=[。，、])|\\?(?<=[{HAN}]\\?)(?=[{HAN}])")
# 年 or a dash after a Chinese numeral (the mark first: fast to scan).
_YEAR_END = re.compile("|".join(f"{m}(?<=[〇一二三四五六七八九]{m})" for m in ("年", "――", "——", "－", "-")))
# Each class of damage a bad decode or a lossy encoding leaves in Chinese text.
# Each with a cheap trigger that finds something in every match (None: the pattern is cheap).
_DAMAGE = (
    (re.compile("[\u3041-\u30fa\u30fd-\u30ff]+"), None, "kana in Chinese text"),
    (re.compile(f"(?<=[{HAN}])[\u0370-\u03ff\u0400-\u04ff]+(?=[{HAN}])"), re.compile("[\u0370-\u03ff\u0400-\u04ff]"),
     "Greek or Cyrillic inside a word"),
    (re.compile("[;；]{3,}"), None, "run of semicolons"),
    (re.compile("\ufffd+"), None, "U+FFFD replacement character"),
    (re.compile("(?<![〇零一二三四五六七八九十])[一二][〇一二三四五六七八九]{2}(?=年|――|——|－|-)"),
     _YEAR_END, "Chinese-numeral year with a lost 〇"),
    (_LOST_MARK, re.compile("[?？]"), "? standing for a lost character"),
)


# Any damage needs one of these characters: a cheap test that lets clean lines pass.
_DAMAGED = "\u3041-\u30ff\u0370-\u03ff\u0400-\u04ff;；\ufffd?？"
_DAMAGE_TRIGGER = re.compile(f"[{_DAMAGED}年―—－-](?:(?<=[{_DAMAGED}])|(?<=[〇一二三四五六七八九][年―—－-]))")


def damaged_places(lines) -> list[tuple[int, str, str]]:
    """(line, snippet, what) for each place where characters were lost or garbled. A garbled run
    of UTF-8 read as GBK is one place, with what it likely said: its U+FFFD and kana are not."""
    garbled = mojibake.damaged(lines)
    out = [(no, snip, what) for no, snip, what, _, _ in garbled]
    for line in lines:
        t = line.text
        if not _DAMAGE_TRIGGER.search(t):
            continue
        inside = [(s, e) for no, _, _, s, e in garbled if no == line.no]
        for rx, trigger, what in _DAMAGE:
            if trigger is not None and not trigger.search(t):
                continue
            for m in rx.finditer(t):
                if any(s <= m.start() < e for s, e in inside):
                    continue
                if what.startswith("?") and m.start() > 0 and t[m.start() - 1] in "）)" and m.end() < len(t) and \
                        t[m.end()] not in "。，、 \u3000":
                    continue
                clause = re.split("[，。！？；：,.!;:]", t[max(0, m.start() - 30):m.start()])[-1]
                if what.startswith("?") and _Q_CUE.search(clause):
                    continue
                out.append((line.no, t[max(0, m.start() - 6):m.end() + 6], what))
    return sorted(out, key=lambda place: place[0])


# Rules that look at their neighbours, which the other rules of the group change: they run
# together until nothing changes (base.settle), so cleaning cleaned text changes nothing.
# What some punctuation rule needs in a line before it can change it (each rule's own trigger): a
# line without any passes the whole group unchanged. One of these characters, or 。。。, or
# zero_in_dates' 0 before 年 (one class first: fast to scan).
_MARKS = "０-９Ａ-Ｚａ-ｚ.．…\\-―－—(),:;?! \t\u3000\"'"
PUNCTUATION_TRIGGER = re.compile(f"[{_MARKS}。○OＯ0零](?:(?<=[{_MARKS}])|(?<=。)(?=。。)|(?<=[○OＯ0零])(?=.{{0,3}}年))")


PUNCTUATION = (
    ("fullwidth_alnum", fullwidth_alnum),
    ("dashes_ellipses", dashes_ellipses),
    ("parentheses", parentheses),
    ("halfwidth_punct", halfwidth_punct),
    ("list_dot", list_dot),
    ("zero_in_dates", zero_in_dates),
    ("stray_spaces", stray_spaces),
    ("quotes", quotes),
)


# What each punctuation rule needs in a line before it can change it (tests/test_clean.py checks
# that it leaves any other line as it is).
PUNCTUATION_NEEDS = {
    "fullwidth_alnum": _FULLWIDTH_ALNUM,
    "dashes_ellipses": re.compile(f"{_DOTS_TRIGGER.pattern}|{_DASHES_TRIGGER.pattern}"),
    "parentheses": _PAREN_TRIGGER,
    "halfwidth_punct": _HALF_TRIGGER,
    "list_dot": _DOT_TRIGGER,
    "zero_in_dates": _YEAR_TRIGGER,
    "stray_spaces": _SPACE_TRIGGER,
    "quotes": re.compile("[\"']"),
}


# Each slow pattern with the cheap trigger that finds something in every one of its matches
# (tests/test_clean.py checks this). PUNCTUATION_TRIGGER finds something wherever a punctuation
# rule finds what it needs.
TRIGGERS = ((_DOTS, _DOTS_TRIGGER), (_DASHES, _DASHES_TRIGGER), (_MOJIBAKE, _MOJIBAKE_TRIGGER)) + \
    tuple((rx, trigger) for rx, trigger, _ in _DAMAGE if trigger is not None) + \
    tuple((rx, _DAMAGE_TRIGGER) for rx, _, _ in _DAMAGE) + \
    tuple((rx, PUNCTUATION_TRIGGER) for rx in PUNCTUATION_NEEDS.values())

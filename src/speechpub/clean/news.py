"""A news article around a speech: the reporter's lead-in that ends 讲话全文如下： or 以下为致辞全文：,
a news source prefix (央视网消息（新闻联播）：), the report that follows a letter after its
signature, and the page's footer (关注 / 订阅 / 转载 lines at the very end). They go to `removed`; the lead-in's 题为《…》 and its wording (国家主席某某在…) stay
as hints for the meta (Context.hints) where the speech itself has no title or speaker.
"""
from __future__ import annotations

import re

from ..patterns import POSITIONS
from .base import Line

H = "\u4e00-\u9fff"
_LEAD_END = re.compile(r"(?:全文如下|以下为[^。！？]{0,12}全文|[^。！？]{0,6}全文)[:：]")
_LEAD_ZONE = 6          # the lead-in stands within the first lines
_LEAD_MAX = 1200        # ... and is a paragraph or two of news
_SOURCE = re.compile(rf"^[{H}]{{2,10}}消息\s*(?:[（(][^）)]{{1,12}}[）)])?\s*[:：]")
_TITLED = re.compile(r"题为《(?P<title>[^《》]{4,60})》")
_DATE = r"\d{4}年\d{1,2}月\d{1,2}日"
# A letter's signature: the name (after a sentence end or alone) and the date, then a news report.
_SIGNED = re.compile(rf"(?:^|(?<=[。！？”]))(?:[{H}]{{0,16}}?(?:{POSITIONS}))?[{H}]{{2,4}}[ \u3000]*{_DATE}(?=[（(]|$)|"
                     rf"^{_DATE}$")
_FIRST_PERSON = re.compile("我|咱")
_QUOTED = re.compile(r"“[^“”]*”|「[^「」]*」")    # a report quotes the letter's 我 in quotation marks
_WIRED = re.compile(r"^[ \u3000]*(?:[（(][^（）()]{0,20}\d{1,2}月\d{1,2}日电[）)]|"
                    rf"[{H}]{{0,12}}?\d{{1,2}}月\d{{1,2}}日电)")
_LETTER_TAIL = 8        # the signature stands among the last lines
# In every match of _LEAD_END and of _SIGNED, a cheap scan (their openings are slow to scan).
_LEAD_TRIGGER = re.compile("全文")
_SIGNED_TRIGGER = re.compile(r"年(?<=\d{4}年)")
TRIGGERS = ((_LEAD_END, _LEAD_TRIGGER), (_SIGNED, _SIGNED_TRIGGER))


def news_lead(lines, ctx):
    """The reporter's lead-in before 全文如下：, and a 某某消息： prefix."""
    out = list(lines)
    if out and _SOURCE.match(out[0].text):
        m = _SOURCE.match(out[0].text)
        ctx.remove(out[0], "news source", m.group(0))
        rest = out[0].text[m.end():].lstrip(" \u3000")
        out = ([Line(rest, out[0].no)] if rest else []) + out[1:]
    size = 0
    for k, line in enumerate(out[:_LEAD_ZONE]):
        m = _LEAD_END.search(line.text) if _LEAD_TRIGGER.search(line.text) else None
        size += m.end() if m else len(line.text)
        if size > _LEAD_MAX:
            break
        if not m:
            continue
        lead = "".join(x.text for x in out[:k]) + line.text[:m.end()]
        if _FIRST_PERSON.search(_QUOTED.sub("", lead)):
            return out              # a reporter writes in the third person; this is the speech
        for x in out[:k]:
            ctx.remove(x, "news lead-in")
        ctx.remove(line, "news lead-in", line.text[:m.end()])
        t = _TITLED.search(lead)
        ctx.hints.setdefault("lead", lead)
        if t:
            ctx.hints.setdefault("title", t.group("title"))
        rest = line.text[m.end():].lstrip(" \u3000")
        return ([Line(rest, line.no)] if rest else []) + out[k + 1:]
    return out


def after_letter(lines, ctx):
    """A letter's signature (某某 2020年7月23日) followed by a report about the letter in the third
    person: the report goes."""
    for k in range(len(lines) - 1, max(len(lines) - _LETTER_TAIL, 0) - 1, -1):
        text = lines[k].text
        m = None
        for m in _SIGNED.finditer(text) if _SIGNED_TRIGGER.search(text) else ():
            pass
        if m is None:
            continue
        rest = [text[m.end():]] + [x.text for x in lines[k + 1:]]
        after = "".join(rest)
        before = "".join(x.text for x in lines[:k]) + text[:m.start()]
        # a wire credit or dateline opens a report; so does anything after a date line of its own
        wired = bool(_WIRED.match(after)) or bool(re.fullmatch(_DATE, text))
        if not after.strip() or not _FIRST_PERSON.search(before) or \
                (not wired and _FIRST_PERSON.search(_QUOTED.sub("", after))):
            return lines            # nothing after it, the writer still speaking, or no letter before
        if rest[0].strip():
            ctx.remove(lines[k], "news report after the letter", rest[0].strip())
        for x in lines[k + 1:]:
            ctx.remove(x, "news report after the letter")
        return lines[:k] + [Line(text[:m.end()], lines[k].no)]
    return lines


# A news site's footer after the article: subscribe, follow, scan, reprint and copyright lines.
_FOOTER = re.compile("关注|订阅|公众号|二维码|扫码|扫一扫|转载|版权|免责声明|责任编辑|点击阅读|阅读原文|下载客户端|客户端下载|"
                     "点赞|在看|分享给")
_FOOTER_MAX = 80        # a footer line is short ...
_FOOTER_LINES = 6       # ... and among the last lines


def footer(lines, ctx):
    """Footer lines of a news page at the very end (欢迎关注…公众号, 未经授权不得转载)."""
    k = len(lines)
    while k > 1 and len(lines) - k < _FOOTER_LINES and _is_footer(lines[k - 1].text):
        k -= 1
    for x in lines[k:]:
        ctx.remove(x, "news footer")
    return lines[:k]


def _is_footer(text: str) -> bool:
    """Short, with a footer word that no speaker's 我/我们 comes before (我们要持续关注… is speech)."""
    m = _FOOTER.search(text)
    me = _FIRST_PERSON.search(text)
    return len(text) <= _FOOTER_MAX and bool(m) and (not me or me.start() > m.start())


_SPEAKER_LINE = re.compile(rf"^[{H}]{{0,16}}?(?:{POSITIONS})[ \u3000]*(?P<name>[{H}·]{{2,8}})$")
_SUBHEAD_MAX = 50
_HEAD_LINES = 10        # where the speaker line stands


def subheads(lines, ctx):
    """Subheads a news site put into the speech (习近平：决不让任何事情干扰亚太发展进程, 亚太经济面临
    诸多困难和风险 习近平提四点主张): short lines with no sentence end that name the speaker of the
    title block in the third person (a speech's own headings do not)."""
    names = {m.group("name") for m in (_SPEAKER_LINE.match(x.text) for x in lines[:_HEAD_LINES])
             if m and len(lines) > _HEAD_LINES}
    if not names:
        return lines
    third = None        # compiled for the first line that could be a subhead
    out = []
    for k, line in enumerate(lines):
        t = line.text
        if k >= _HEAD_LINES // 2 and len(t) <= _SUBHEAD_MAX and t.rstrip(" ”’")[-1:] not in "。！？；：…）)" and \
                (third := third or _third_person(names)).search(t):
            ctx.remove(line, "news subhead")
        else:
            out.append(line)
    return out


def _third_person(names) -> re.Pattern:
    return re.compile("(?:" + "|".join(map(re.escape, names)) + ")(?:[：:]|谈|提|介绍|重申|强调|指出|宣布|表示)")

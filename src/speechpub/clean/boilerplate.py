"""Rules that remove what the web page added around the speech. Every removal is audited."""
from __future__ import annotations

import re

from ..patterns import GENRES, HAN_RE, classify_heading, ends_sentence, find_date, fold, is_title_like
from .base import Line

_SEP = r"[>›»/|｜→＞]+|->|-&gt;"
_SEP_LINE = re.compile(rf"^\s*(?:{_SEP})\s*$")
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|您当前的位置|所在位置|位置)\s*[:：]\s*(.*)$")


_ARROWS = re.compile(r"\s*(?:[>›»→＞]+|->|-&gt;)\s*")


def _trail_length(lines, i: int) -> int:
    """Lines of an unlabelled trail starting at i: short crumbs with a separator between each,
    two separators at least (首页 / > / 政府信息公开 / > / 政府工作报告), on lines of their own
    or on one line (首页 > 政府信息公开 > 政府工作报告)."""
    def crumb(t: str) -> bool:
        return 0 < len(t) <= 12 and is_title_like(t) and not _SEP_LINE.match(t) and "<" not in t   # <p>: markup

    first = lines[i].text
    if len(first) > 12:                     # too long for a crumb: a trail on one line or nothing
        parts = _ARROWS.split(first.strip()) if len(first) <= 80 and _ARROWS.search(first) else []
        least = 2 if re.search(r">>|»|＞＞", first) else 3      # 人民网>>时政: a double arrow is a trail's
        return 1 if len(parts) >= least and all(crumb(p) for p in parts) else 0
    if i + 1 >= len(lines) or not _SEP_LINE.match(lines[i + 1].text):
        return 0
    n, seps = 0, 0
    while i + n + 2 < len(lines) + 1 and crumb(lines[i + n].key.strip()):
        if i + n + 2 < len(lines) and _SEP_LINE.match(lines[i + n + 1].key) and crumb(lines[i + n + 2].key.strip()):
            n, seps = n + 2, seps + 1
        else:
            break
    return n + 1 if seps >= 2 else 0


_GENRE_END = re.compile(rf"(?:{'|'.join(GENRES)})$")


def _title_hint(ctx, last: list[str]) -> None:
    """A trail's last crumb that names a speech (…会议上的讲话) is the page's title: a hint for the
    meta when the text has no title line of its own."""
    if last and 6 <= len(last[0]) <= 60 and _GENRE_END.search(last[0]) and is_title_like(last[0], 60):
        ctx.hints.setdefault("title", last[0])


def breadcrumb(lines, ctx):
    """当前位置：首页 > 政务信息 > 要闻, on one line or one token per line; a crumb repeated
    right after the trail (the category again) goes with it. A trail without the label goes
    too when its shape says what it is (_trail_length)."""
    out, i = [], 0
    while i < len(lines):
        m = _BREADCRUMB.match(lines[i].key) if "位置" in lines[i].text[:8] else None
        if not m:
            n = _trail_length(lines, i)
            for line in lines[i:i + n]:
                ctx.remove(line, "breadcrumb")
            if n:
                i += n
                continue
            out.append(lines[i])
            i += 1
            continue
        ctx.remove(lines[i], "breadcrumb")
        trail = [c for c in re.split(rf"\s*(?:{_SEP})\s*", m.group(1)) if c]
        _title_hint(ctx, trail[-1:])
        crumbs = set(trail)
        i += 1
        expect_token = not m.group(1)       # the trail continues on the next lines
        while i < len(lines):
            t = lines[i].key
            if _SEP_LINE.match(t):
                expect_token = True
            elif (expect_token and len(t) <= 12 and is_title_like(t)) or t in crumbs:
                crumbs.add(t)
                expect_token = False
            else:
                break
            ctx.remove(lines[i], "breadcrumb")
            i += 1
    return out


_TOOLBAR = re.compile(
    r"^[【\[]?\s*(?:字体|字号)\s*[:：]?\s*(?:[大中小]\s*)*[】\]]?$|"
    r"^[【\[（(]?\s*(?:打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|收藏本页|收藏|加入收藏|返回顶部|返回|"
    r"纠错|我要纠错|分享到[:：]?.{0,20}|分享[:：]?|扫一扫.{0,20}|微信扫一扫.{0,20}|用微信扫描.{0,20}|手机扫码.{0,20}|"
    r"点击图片进入专题|上一篇.{0,60}|下一篇.{0,60})\s*[】\]）)]?$")
_SYMBOLS = re.compile(r"^[【】\[\]|｜×>›»<‹«/\\_·•\s》《]{1,6}$")
_SIZE_TOKEN = re.compile(r"^[【\[]?\s*[大中小]\s*[】\]]?$")
_SPECIAL_LINK = re.compile(r"^[》>]+\s*点击.{0,20}[《<]+$")


def toolbar(lines, ctx):
    """Page tools: 字体 大 中 小 (also one token per line), 打印本页, 关闭窗口, 分享到, 扫一扫,
    收藏, and lines of bare brackets or separators left over from them."""
    out, in_toolbar = [], False
    for line in lines:
        t = line.key
        if _TOOLBAR.match(t) or _SYMBOLS.match(t) or _SPECIAL_LINK.match(t) or \
                (in_toolbar and _SIZE_TOKEN.match(t)):
            ctx.remove(line, "page toolbar")
            in_toolbar = True
        else:
            out.append(line)
            in_toolbar = False
    return out


_LABEL_WORDS = ("来源|来自|信息来源|文章来源|稿件来源|稿源|发布时间|发表时间|发布日期|更新时间|时间|日期|作者|责任编辑|"
                "编辑|责编|审核|浏览|浏览次数|浏览量|阅读|阅读量|阅读数|阅读次数|点击|点击数|点击量|点击率|访问量|访问次数|人气")
_LABEL = re.compile(rf"^[【\[]?\s*(?P<label>{_LABEL_WORDS})\s*(?:[:：]|\s[|｜]\s)\s*(?P<value>.*?)\s*[】\]]?$")
_NUMBER = re.compile(r"^\d+\s*次?$")
_DATETIME = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")


def page_labels(lines, ctx):
    """来源： 发布时间： 浏览： 阅读量： 责任编辑： ... with their value on the same or the next line.
    The first date among them is the web page's own date (meta.published)."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = _LABEL.match(line.key)
        if not m or len(line.text) > 80:
            out.append(line)
            i += 1
            continue
        ctx.remove(line, f"page label {m.group('label')}")
        _note_date(ctx, m.group("value"))
        i += 1
        if not m.group("value") and i < len(lines) and _is_label_value(m.group("label"), lines[i].key):
            ctx.remove(lines[i], f"page label {m.group('label')} (value)")
            _note_date(ctx, lines[i].text)
            i += 1
    return out


def _is_label_value(label: str, text: str) -> bool:
    if _LABEL.match(text) or _TOOLBAR.match(text) or classify_heading(text):
        return False
    if "时间" in label or "日期" in label:
        return bool(_DATETIME.match(text))
    if label in ("浏览", "浏览次数", "浏览量", "阅读", "阅读量", "阅读数", "阅读次数", "点击", "点击数",
                 "点击量", "点击率", "访问量", "访问次数", "人气"):
        return bool(_NUMBER.match(text))
    return len(text) <= 20 and is_title_like(text, 20)


def _note_date(ctx, text: str) -> None:
    if not ctx.published:
        ctx.published = find_date(text)


def _drop(lines, ctx, test, reason):
    """Remove (and audit) every line for which test(line) holds."""
    out = []
    for line in lines:
        if test(line):
            ctx.remove(line, reason)
        else:
            out.append(line)
    return out


# 2024年01月20日来源：…, 在…的讲话 2023-03-02 来源：… 浏览次数：2318: a page's date with its labels
_DATED_LABELS = re.compile(
    r"^(?P<head>(?:.*?\S\s+)?)(?P<meta>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    rf"\s*(?:[|｜]\s*)?(?:{_LABEL_WORDS})\s*[:：].*)$")
_META_MAX = 160
_EDGE = 15              # lines at the top and the bottom of a page where it prints its labels
_DATED_TRIGGER = re.compile(r"\d{4}[-/.年]")      # in every match of _DATED_LABELS, a cheap scan


def page_date(lines, ctx):
    """A bare date (or date and time) such as 2017-07-15 or 2026-02-03 09:02:33 on its own line:
    the page's publish date, not the speech date (which stands in parentheses). A date followed by
    page labels (2024-01-20 来源：…) goes too; a title before them on the line stays."""
    out = []
    n = max(3, min(_EDGE, len(lines) // 4))
    edge = {x.no for x in lines[:n] + lines[-n:]}      # where a page prints its labels
    for line in lines:
        if _DATETIME.match(line.text) and not line.text.endswith("日"):
            _note_date(ctx, line.text)
            ctx.remove(line, "page publish date")
            continue
        m = _DATED_LABELS.match(line.key) if line.no in edge and len(line.text) <= _META_MAX and \
            len(line.key) == len(line.text) and _DATED_TRIGGER.search(line.key) else None
        head = m.group("head").strip() if m else ""
        if m and not re.search("[。！？]", m.group("meta")) and (not head or is_title_like(head, 80)):
            _note_date(ctx, m.group("meta"))
            ctx.remove(line, "page publish date", line.text[m.start("meta"):])
            if head:
                out.append(Line(line.text[:m.start("meta")].strip(), line.no))
            continue
        out.append(line)
    return out


_CAPTION = re.compile(r"(?:记者|摄影|通讯员|图)?\s*[\u4e00-\u9fff·]{2,5}\s+摄\s*[）)]?$|"
                      r"^[（(]?\s*(?:摄影|图片来源|图片)[:：]|[（(]\s*[\u4e00-\u9fff·]{2,5}\s*摄\s*[）)]$")


_CAPTION_TRIGGER = re.compile("[摄图]")       # in every match of _CAPTION, a cheap scan
TRIGGERS = ((_CAPTION, _CAPTION_TRIGGER), (_DATED_LABELS, _DATED_TRIGGER))


def caption(lines, ctx):
    """Photo captions: ... 宁夏日报记者 王鼎 摄, （新华社记者 某某 摄）, 摄影：某某."""
    return _drop(lines, ctx, lambda line: len(line.text) <= 200 and bool(_CAPTION_TRIGGER.search(line.key))
                 and bool(_CAPTION.search(line.key)), "photo caption")


_RELATED = re.compile(r"^[【\[]?\s*(?:相关(?:文档|新闻|链接|阅读|文章|报道|稿件|附件)|延伸阅读|推荐阅读|热点推荐|"
                      r"猜你喜欢|更多(?:新闻|阅读)?|往期回顾)\s*[:：]?\s*[】\]]?$")


def related_list(lines, ctx):
    """相关文档： / 相关新闻 and the short link titles that follow it."""
    out, i = [], 0
    while i < len(lines):
        if not _RELATED.match(lines[i].key):
            out.append(lines[i])
            i += 1
            continue
        ctx.remove(lines[i], "related-article list")
        i += 1
        while i < len(lines) and len(lines[i].text) <= 60 and not lines[i].text.endswith("。"):
            ctx.remove(lines[i], "related-article list")
            i += 1
    return out


_WIRE = re.compile(r"^[（(]\s*(?:新华社|中新社|央视网|人民网|新华网)[\u4e00-\u9fff]{0,8}"
                   r"(?P<md>\d{1,2}月\d{1,2}日)电\s*[）)]$")
_PAPER = re.compile(r"^[《〈]\s*[\u4e00-\u9fff]{2,12}\s*[》〉]\s*[（(]\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                    r"\s*(?:第?\s*\d{1,2}\s*版)?\s*[）)]$")
_SOURCE_TAIL = re.compile(r"^[（(]\s*(?:来源|稿件来源|转自|原载)[:：]?\s*[^）)]{2,40}[）)]$")


def newswire_tail(lines, ctx):
    """Newswire datelines and newspaper tails: （新华社北京3月6日电） 《 人民日报 》（ 2020年03月07日 02 版）."""
    out = []
    for line in lines:
        t = line.key
        m_wire, m_paper = _WIRE.match(t), _PAPER.match(t)
        if m_paper:
            ctx.remove(line, "newspaper tail")
            _note_date(ctx, m_paper.group("date"))
        elif m_wire:
            ctx.remove(line, "newswire dateline")
            ctx.dispatch_date = m_wire.group("md")
        elif _SOURCE_TAIL.match(t):
            ctx.remove(line, "source note")
        else:
            out.append(line)
    return out


_ABSTRACT = re.compile(r"^(?:文章简介|内容简介|内容摘要|内容提要|摘要|简介|导读|核心提示|提要)\s*[:：]\s*(?P<body>.+)$")


def abstract(lines, ctx):
    """An abstract (文章简介：…) that repeats the opening of the speech."""
    out = []
    for i, line in enumerate(lines):
        m = _ABSTRACT.match(line.key)
        if not m:
            out.append(line)
            continue
        head = "".join(HAN_RE.findall(m.group("body")))
        rest = "".join(HAN_RE.findall("".join(x.key for x in lines[i + 1:i + 60])))
        if _repeats(head, rest):
            ctx.remove(line, "abstract repeating the opening")
        else:
            ctx.remove(line, "page abstract")
            ctx.warn("abstract_removed", f"line {line.no}: a page abstract that does not repeat the "
                                         "speech was removed (see removed)", "info")
    return out


def _repeats(head: str, rest: str) -> bool:
    """Do most (60%) 8-character pieces of `head` occur in `rest`?"""
    if len(head) < 8:
        return head in rest
    pieces = [head[k:k + 8] for k in range(0, len(head) - 7, 8)]
    return sum(p in rest for p in pieces) >= 0.6 * len(pieces)


def page_title(lines, ctx):
    """The site's page title: a line near the top that holds a later title line plus site noise
    (鲍秀英讲话 12鲍秀英代区长在区长办公会上的讲话), or the same line twice in the header."""
    body = next((k for k, x in enumerate(lines[:30]) if len(re.findall("[。！？]", x.text)) >= 2 or
                 (len(x.text) > 60 and re.search("[。！？]", x.text))), 30)
    head = lines[:body]         # the header ends where the speech begins (a print copy below repeats it)
    drop = set()
    folded = {}
    for i, line in enumerate(head[:12]):
        if "。" in line.text:
            continue
        for k, later in enumerate(head[i + 1:], i + 1):
            t = later.text
            if 6 <= len(t) <= 60 and len(line.text) <= len(t) + 40 and is_title_like(t, 60) and \
                    _folded(folded, k, later) in _folded(folded, i, line) and not classify_heading(t):
                drop.add(i)
                break
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            ctx.remove(line, "page title")
        else:
            out.append(line)
    return out


def _folded(folded: dict, i: int, line) -> str:
    """fold(line.key), once per line of the header."""
    if i not in folded:
        folded[i] = fold(line.key)
    return folded[i]


def title_repeated_at_end(lines, ctx):
    """The title again as the last line (as often as it is there: once more would be found by
    a second cleaning)."""
    while len(lines) > 2 and is_title_like(lines[0].text, 60) and fold(lines[-1].text) == fold(lines[0].text) \
            and any(ends_sentence(x.text) for x in lines[1:-1]):    # a speech stands between them
        ctx.remove(lines[-1], "title repeated at the end")
        lines = lines[:-1]
    return lines

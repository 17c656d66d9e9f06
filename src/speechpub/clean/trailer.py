"""What a page prints after the speech: site footers (主办单位：…, registration numbers, visitor
counters, 网站地图 | 联系我们), news and WeChat tails (（责编：…）, - END -, ▶ link lists, 阅读 3256).
Found by the shape of the lines after the speech's last sentence, not by their words; each
removal is recorded. A short sentence, a note or a date after the speech stays.
"""
from __future__ import annotations

import re

from ..patterns import classify_heading, find_date, han_count
from .chrome import pipe_menu

_SENTENCE = re.compile(r"[，。！？；,!?;]")
_LABEL = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,8}\s*[:：]\s*\S")
_LABELS = re.compile(r"[\u4e00-\u9fff]{2,8}\s*[:：]")
_NOTE = re.compile(r"^(?:注|附注|备注|说明|附件|附|编者按|按)\s*\d*\s*[:：]")   # a note stays: hints only
_DIGITS = re.compile(r"\d{5,}")          # a registration, phone or site number
_BULLET = re.compile(r"^[▶►▸▷•●◆◇■□→»※]\s*\S")
_COUNTER = re.compile(r"^\D{0,12}\d{1,9}\D{0,8}$")
_COUNTER_HAN = 3        # 阅读 3256, 点赞 86: a counter's words are few (2024年新年快乐 is speech)
_FOOTER_LABEL = re.compile("主办|承办|协办|地址|电话|传真|邮编|邮箱|技术支持|版权|备案|标识码|联系|运维|维护|"
                           "责编|编辑|审核|校对|作者|来源|监制|出品|记者|摄影|通讯员")
_BRACKETS = "（）()【】[]〔〕"
_WEEKDAY = re.compile(r"[（(]?(?:星期|週|周|礼拜|禮拜)[一二三四五六日天][）)]?")
_WEAK_MAX = 40          # a button, a link title or a slogan of the footer
_TAIL_MAX = 30          # the footer stands within the last lines
_SPEECH_MIN = 200       # ... of a page with a speech before it


def _strong(text: str) -> bool:
    """A line only page chrome has: label：value pairs, a long number, links separated by pipes,
    a bulleted link, a counter, or no Chinese at all (- END -, ©, an address)."""
    t = text.strip().strip(_BRACKETS).strip()
    if _SENTENCE.search(t) or _NOTE.match(t):
        return False
    if (_LABEL.match(t) and _label_value(t)) or len(_LABELS.findall(t)) >= 2 or _DIGITS.search(t) or \
            _BULLET.match(t):
        return True
    if pipe_menu(t):
        return True
    counter = len(t) <= 24 and bool(_COUNTER.match(t)) and han_count(t) <= _COUNTER_HAN and not t.isdigit()
    latin = han_count(t) == 0 and not t.isdigit() and not re.search(r"[A-Za-z]{2,}[.!?]$", t)   # Thank you.
    return counter or latin


def _label_value(t: str) -> bool:
    """label：value as a footer has it: a footer's label (主办, 电话, 地址 …) or a value with a number,
    an address of the web or mail, or pipes. 诗曰：长风破浪会有时 is speech."""
    label, _, value = re.split(r"\s*([:：])\s*", t, maxsplit=1)
    return bool(_FOOTER_LABEL.search(label) or re.search(r"\d|[@/|｜]|www|\.(?:cn|com|org|gov)", value))


def _weak(text: str) -> bool:
    """A short line without a sentence in it: chrome when it stands among chrome."""
    t = text.strip()
    return len(t) <= _WEAK_MAX and not _SENTENCE.search(t) and not _NOTE.match(t) and not _dated(t) \
        and not classify_heading(t)


def _dated(text: str) -> bool:
    """A date line (（2023年2月6日）), not a label with its date (发布时间：2023-02-06), nor a press
    release's date with its weekday (2023年10月25日（星期三）)."""
    return len(text) <= 30 and bool(find_date(text)) and not _LABEL.match(text.strip(_BRACKETS)) and \
        not _WEEKDAY.search(text)


def _chrome(text: str) -> bool:
    return not _dated(text.strip()) and (_strong(text) or _weak(text))


def page_footer(lines, ctx):
    """After the speech's last sentence: each chrome-shaped line goes. A plain short line goes
    only among chrome (after a chrome line, or where a rule already took the line before it),
    so a signature under the speech stays."""
    end = _run_start(lines, lambda t: _chrome(t) or _dated(t.strip()))
    if not any(_strong(x.text) for x in lines[end:]):
        end = _run_start(lines, _chrome)        # a date under a signature ends the speech
    if end == len(lines) or end == 0 or sum(len(x.text) for x in lines[:end]) < _SPEECH_MIN:
        return lines
    out, among = list(lines[:end]), False
    for line in lines[end:]:
        among = among or _removed_before(ctx, out[-1].no, line.no)
        if _strong(line.text) or (among and (_weak(line.text) or _dated(line.text.strip()))):
            ctx.remove(line, "page footer")
            among = True
        else:
            out.append(line)
            among = False
    return out


def _run_start(lines, chrome) -> int:
    """Where the run of lines at the end for which chrome(text) holds begins."""
    end = len(lines)
    while end > 0 and len(lines) - end < _TAIL_MAX and chrome(lines[end - 1].text):
        end -= 1
    return end


def _removed_before(ctx, after: int, at: int) -> bool:
    """Did a rule remove a line of the input between the lines `after` and `at`?"""
    return any(after < r.line < at and r.reason != "editor" for r in ctx.removed)

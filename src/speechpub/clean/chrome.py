"""Page chrome found by the shape of its lines, not by its words: toolbars laid out one token
per line, lines of bracketed buttons, hash lines, and what a page repeats after the speech ends.

Known strings (boilerplate.py) stay as hints; these rules catch the toolbars nobody listed.
"""
from __future__ import annotations

import re

from ..patterns import SPEAKER_LINE, fold
from .head import salutation_end

_BRACKETS = "【】[]〔〕（）()<>《》「」『』|｜/\\·•>›»<‹«"
_TOKEN_MAX = 4          # a toolbar button: at most four characters
_RUN_MIN = 3            # three such lines in a row are a toolbar, not a speech
_SPEECH_MIN = 100       # ... when the page holds more text than this
_BUTTONS = re.compile(r"^(?:\s*[【\[][^【】\[\]]{1,8}[】\]]\s*){2,}$")
_HASH = re.compile(r"^\s*[0-9a-fA-F]{16,64}\s*$")
_SENTENCE = re.compile(r"[，。！？；,.!?;]")


def _core(text: str) -> str:
    """The line without brackets, separators, spaces and a trailing colon."""
    t = "".join(c for c in text if c not in _BRACKETS and not c.isspace())
    return t.rstrip(":：")


def is_token(text: str) -> bool:
    """A line that can only be a button or a label: up to four characters, no sentence marks,
    no heading number, no salutation (同志们：)."""
    if len(text) > 4 * _TOKEN_MAX + 8:       # brackets and spaces aside, no button is longer
        return False
    core = _core(text)
    return len(core) <= _TOKEN_MAX and not _SENTENCE.search(text) and not re.match(r"^[一二三四五六七八九十]+、", text) \
        and salutation_end(text) != len(text)


def _label_with_value(lines, j: int) -> bool:
    """来源： with its value on the next line: a page label (page_labels takes both)."""
    return lines[j].text.rstrip().endswith((":", "：")) and j + 1 < len(lines) and not is_token(lines[j + 1].text)


def _titled(text: str) -> bool:
    """A line that can be the title: six or more characters, no sentence marks, no colon."""
    return len(_core(text)) >= 6 and not _SENTENCE.search(text) and ":" not in text and "：" not in text


_TOP = 15               # lines at the top where a page prints its menus
_PIPES = re.compile(r"\s*[|｜]\s*")
_MENU_ITEM = 8          # characters of a menu item
_BUTTON = 2             # ... of a button between spaces (打印 关闭 收藏; 凝心聚力 奋勇争先 is a title)


def pipe_menu(text: str) -> bool:
    """Three or more short items between pipes (首页|时政|国际, 网站地图 | 联系我们 | 隐私声明)."""
    items = [x for x in _PIPES.split(text.strip()) if x]
    return len(items) >= 3 and all(len(x) <= _MENU_ITEM for x in items)


def _menu_row(text: str) -> bool:
    """A menu on one line: items between pipes, or buttons and tokens between spaces with a
    bracket among them or three at least (【字体：大 中 小】 打印)."""
    if len(text) > 80 or _SENTENCE.search(text):
        return False
    if pipe_menu(text):
        return True
    parts = text.split()
    return len(parts) >= 2 and all(is_token(x) for x in parts) and \
        (any(c in "【】[]" for c in text) or (len(parts) >= 3 and all(len(_core(x)) <= _BUTTON for x in parts)
                                              and not SPEAKER_LINE.match("".join(parts))))


def ui_lines(lines, ctx):
    """Runs of three or more button-sized lines (下载 / 打印 / 全屏 / 【字号： / 加大 / 】), a line
    of bracketed buttons (【打印本页】 【关闭窗口】) and hash lines go, wherever they stand."""
    if sum(len(x.text) for x in lines) <= _SPEECH_MIN:
        return lines                     # no speech around them: short lines are the text itself
    out, i, n = [], 0, len(lines)
    lead = 0
    while lead < n and lead < _RUN_MIN and is_token(lines[lead].text) and not _HASH.match(lines[lead].text):
        lead += 1
    if 0 < lead < n and _titled(lines[lead].text):
        for line in lines[:lead]:        # buttons above the title, too few to make a run
            ctx.remove(line, "page toolbar")
        i = lead
    while i < n:
        j = i
        while j < n and is_token(lines[j].text) and not _label_with_value(lines, j):
            j += 1
        if j - i >= _RUN_MIN:
            for line in lines[i:j]:
                ctx.remove(line, "page toolbar")
            i = j
            continue
        line = lines[i]
        if _BUTTONS.match(line.text) or (i < _TOP and _menu_row(line.text)):
            ctx.remove(line, "page toolbar")
        elif _HASH.match(line.text):
            ctx.remove(line, "hash line")
        else:
            out.append(line)
        i += 1
    return out


_OPENING = 6            # lines at the top a page repeats after the speech (title, first paragraphs)
_TAIL = 12              # ... within this many lines of the end


def repeat_after_end(lines, ctx):
    """After the speech: the title or an opening paragraph again (a page's print view, a
    related-article box) goes, with what follows it when that is short or repeated too."""
    if len(lines) < 8:
        return lines
    head = [fold(x.text) for x in lines[:_OPENING]]

    def repeats(k: int) -> bool:
        t = fold(lines[k].text)
        return len(t) >= 4 and (t == head[0] or (len(t) >= 30 and any(h.startswith(t) for h in head[1:])))

    cut = _print_copy(lines)
    if cut is not None:
        for line in lines[cut:]:
            ctx.remove(line, "print copy of the page")
        return lines[:cut]
    cut = next((k for k in range(max(len(lines) - _TAIL, _OPENING), len(lines)) if repeats(k)), None)
    if cut is None or any(len(x.text) > 60 and not repeats(k) for k, x in enumerate(lines[cut:], start=cut)):
        return lines
    for line in lines[cut:]:
        ctx.remove(line, "repeat after the end")
    return lines[:cut]


_COPY_SHARE = 0.7       # a page's print view: this much of what follows the title again repeats
_COPY_TRIES = 2


def _print_copy(lines):
    """Where the whole speech starts again after it ended (a page's print view): the title or an
    opening line again, after which most of the text repeats lines before it and what does not is
    chrome, never a sentence."""
    folds = [x.text.replace(" ", "").replace("\u3000", "") for x in lines]     # a copy of the same page
    head = {f for f, x in zip(folds[:_OPENING], lines) if len(x.text) >= 4 and not _SENTENCE.search(x.text)}
    seen: set = set()
    tries = _COPY_TRIES         # a table's header line repeating every few rows is no title
    for k, t in enumerate(folds):
        if k > _OPENING and t in head and len(lines) - k >= _OPENING:
            if _repeats_from(lines, folds, k, seen):
                return k
            tries -= 1
            if not tries:
                return None
        seen.add(t)
    return None


def _repeats_from(lines, folds, k: int, seen: set) -> bool:
    """Do the lines from k on repeat lines in `seen`, all but short chrome (at most 30% of them)?
    Stops at the first new sentence, so that a speech that repeats its title costs little."""
    new = total = 0
    for f, x in zip(folds[k:], lines[k:]):
        total += len(x.text)
        if f not in seen:
            if _SENTENCE.search(x.text):
                return False
            new += len(x.text)
    return new <= (1 - _COPY_SHARE) * total

"""The title block at the top of a speech: where it begins below page chrome (scored by the head
lines under each candidate), and its lines: title (one line or two), subtitle, date line, speaker
line, notes, the salutation. Parse (parse.py) builds the rest of the document after it.

Patterns match a line's simplified `key` (Keyed), so traditional input reads the same.
"""
from __future__ import annotations

import re

from .clean.head import salutation_end
from .hanzi import converter
from .model import Block
from .patterns import (DATE_RE, GENRES, ISO_DATE_RE, POSITIONS, classify_heading, fold, is_heading_clause,
                       is_title_like)

_KINDS = GENRES
TITLE = re.compile(rf"^(?P<who>.*?)(?:同志)?在(?P<occasion>.+?)(?:上|中|时|期间)?的(?:[\u4e00-\u9fff]{{0,6}}?)(?P<kind>{'|'.join(_KINDS)})$")
# the genre word ends the title, before a bracketed remark or 全文: …致辭（只有中文）, …致辞全文
TITLE_KIND = re.compile(rf"(?P<kind>{'|'.join(_KINDS)})(?:全文|[（(][^（）()]{{1,12}}[）)])?$")
SUB_OCCASION = re.compile(r"在(?P<occasion>.+?)(?:上|中|时)(?:的(?:[\u4e00-\u9fff]{0,6}))?$")
_POSITION = re.compile(rf"^(?:代|代理|常务)?[\u4e00-\u9fff]{{0,12}}?(?:{POSITIONS})$")
_NAME_RX = r"(?:[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{2,4})"
_HONORIFIC = "(?:教授|院士|博士|同志)"     # after a name on a speaker line: 校长　王树林教授
_POSITION_NAME = re.compile(rf"^(?P<position>.*?(?:{POSITIONS}))[\u3000 ]?(?P<name>{_NAME_RX}){_HONORIFIC}?$")
_NAME = re.compile(rf"^{_NAME_RX}$")
_ADDRESS = "同志们|同胞们|朋友们|女士们|先生们|老师们|同学们|代表们|乡亲们|青年朋友们|小朋友们"
SALUTATION = re.compile(
    rf"^(?:(?:尊敬的|亲爱的|各位|全体|在座的)[^。！？]{{0,80}}?|(?:{_ADDRESS})(?:[，、](?:{_ADDRESS}))*)"
    r"(?:[：:]|[，,]?\s*大家好[！!。]?|[，,]?\s*大家好)$")
NOTE = re.compile(r"^(?:注[:：]|注释|说明[:：]|[（(](?:根据|据|本文|此文|有删节|略有删节|节选|摘编|编者|原载).{0,60}[）)]$|"
                  r"这是[^。！？]{2,80}(?:讲话|发言|报告|谈话|致辞|演讲|信|批示|要点|部分)(?:〔\d+〕)?。$)")   # an editor's note
_PAREN_LINE = re.compile(r"^[（(].*[）)]$")


class _Keyed(str):
    """A line's text that matches patterns through its simplified `key` (traditional input)."""
    key: str


def keyed(text: str, traditional: bool, line: int = 0) -> _Keyed:
    k = _Keyed(text)
    k.line = line
    k.key = converter("t2s").convert(text) if traditional else text
    return k


def on_key(rx, text: str, method: str = "match"):
    """Match a pattern on a line's simplified key; groups are read back from the line itself
    (OpenCC's t2s keeps lengths for nearly all text; where not, the key's text is used)."""
    key = getattr(text, "key", text)
    m = getattr(rx, method)(key)
    if m is None or len(key) != len(text):
        return m
    return _Spans(m, str(text))


class _Spans:
    def __init__(self, m, text):
        self.m, self.text = m, text

    def group(self, name=0):
        s, e = self.m.span(name)
        return self.text[s:e] if s >= 0 else None


def _is_dateline(text: str) -> bool:
    text = text.rstrip("?？ \u3000")        # a lost character after the date line (damage, reported)
    return bool(_PAREN_LINE.match(text) and (DATE_RE.search(text) or ISO_DATE_RE.search(text))) and len(text) <= 80


def _is_speaker(text: str) -> bool:
    """省长 王予波, 县委副书记、县长　刘建国 (posts joined by 、), 王予波."""
    return is_title_like(text.replace("、", ""), 30) and bool(_NAME.match(text) or on_key(_POSITION_NAME, text))


_BARE_DATE = 20         # a date line without brackets (2023年4月6日) is at most this long


def _is_head_date(text: str) -> bool:
    """A date line of the title block: （2023年4月6日）, or the date alone on its line."""
    if _is_dateline(text):
        return True
    m = DATE_RE.search(text)
    return bool(m) and len(text) <= _BARE_DATE and not text.replace(m.group(0), "").strip(" \u3000")


_ANCHOR_SCAN = 16       # lines at the top where a title block may begin below page chrome
_ANCHOR_MIN = 4         # ... and the evidence it needs (see _head_score)
_CHROME_LINE = 100      # a line above it is chrome when short: a site name, a nav bar, a caption


def _head_score(texts: list[str], s: int, seen=frozenset()) -> int:
    """How much a title block starting at texts[s] looks like one: a genre word ending the title
    (2), a second title line (1), each subtitle, date line or speaker line under it (2; a bare
    name 1), a salutation after them (2). A line of chrome scores 0 or 1: none of these follow."""
    t = texts[s]
    if len(t) > 80 or not (is_title_like(t, 80) or is_heading_clause(t)) or t.startswith(("——", "—", "──", "――")) \
            or classify_heading(t) or _is_salutation(t) or _is_head_date(t):
        return 0
    k = s + 1
    if k < len(texts) and _title_second_line(texts, k, seen):
        t, k = keyed(t + texts[k], False), k + 1
    score = (2 if on_key(TITLE_KIND, t, "search") else 0) + (k - s - 1)
    head = 0
    while k < len(texts) and k <= s + 5:
        x = texts[k]
        if _is_subtitle(x, True) or _is_head_date(x):
            head += 2
        elif _is_speaker(x):
            head += 2 if on_key(_POSITION_NAME, x) else 1
        elif not (on_key(NOTE, x) and _PAREN_LINE.match(x)):
            break
        k += 1
    if k < len(texts) and (head or score) and _is_salutation(texts[k]):
        head += 2
    return score + head


_GROUPS = re.compile(r"^[\u4e00-\u9fff]{2,}(?:[ \u3000]+[\u4e00-\u9fff]{2,})+$")     # 坚定信心 真抓实干


def _title_second_line(texts: list[str], k: int, seen=frozenset()) -> bool:
    """texts[k] is the second line of a title broken in two: title-like, no line of the block
    itself, a subtitle, date or speaker line under it, and a sign that the two are one: joined
    they make 在…上的讲话 (which the first alone does not), the page's own headline (`seen`:
    folded removed lines) holds them joined, or the first is phrase groups over a ——subtitle."""
    first, x = texts[k - 1], texts[k]
    if not is_title_like(x, 60) or classify_heading(x) or _is_speaker(x) or _is_head_date(x) or \
            _is_subtitle(x, True) or _is_salutation(x) or k + 1 >= len(texts):
        return False
    nxt = texts[k + 1]
    if not (_is_subtitle(nxt, True) or _is_head_date(nxt) or on_key(_POSITION_NAME, nxt)):
        return False
    joined = keyed(first + x, False)
    if on_key(TITLE, joined) and not on_key(TITLE, first) and not on_key(TITLE, x):
        return True
    if any(fold(first + x) in s for s in seen):
        return True
    if first.key.startswith(("关于", "在")) and on_key(TITLE_KIND, x, "search") and not on_key(TITLE_KIND, first, "search"):
        return True                     # 关于进一步加强 / 基层治理工作的讲话
    return bool(_GROUPS.match(first.key)) and nxt.startswith(("——", "—", "──", "――"))


def removed_head(ctx) -> frozenset:
    """The lines removed from the top of the page, folded (a page headline, a breadcrumb)."""
    return frozenset(fold(r.text) for r in ctx.removed if r.line <= _ANCHOR_SCAN * 3 and len(r.text) <= 120)


def anchor(texts: list[str], seen=frozenset(), restored=frozenset()) -> int:
    """Where the speech's title block begins when page chrome nobody listed stands above it
    (a site name, nav links, a toolbar, a caption): the line below which a title, its subtitle,
    date and speaker lines and the salutation follow, scoring higher than the first line does.
    0 when the first line is the title, or when a line above is speech (a paragraph)."""
    best, at = _head_score(texts, 0, seen), 0
    for s in range(1, min(len(texts), _ANCHOR_SCAN)):
        x = texts[s - 1]
        if len(x) > _CHROME_LINE or len(re.findall("[。！？]", x)) > 1 or _is_salutation(x) or \
                getattr(x, "line", 0) in restored:
            break                       # speech begins above: nothing to anchor
        score = _head_score(texts, s, seen)
        if score > best:
            best, at = score, s
    return at if best >= _ANCHOR_MIN else 0


_HEAD_ZONE = 10         # lines between the title block and the salutation that may be chrome
_GAP_MAX = 200          # ... each a sentence at most this long (a caption)
_GAP_LINE = 80          # ... or a short line with no sentence in it (原创 某某发布 2023-07-01 19:30)
_SALUTATIONS = 3        # salutation lines one after the other, each to a part of the audience


def _is_salutation(text: str) -> bool:
    key = getattr(text, "key", text)
    if len(key) > 300:
        return False
    if on_key(SALUTATION, text) and len(key) <= 100:
        return True
    if len(key) <= 40 and re.search("(?:们|先生|女士|同志|朋友|代表)！$", key):     # 全体指战员同志们！
        key = key[:-1] + "："
    return salutation_end(key) == len(key)


def _is_subtitle(text: str, after_title: bool) -> bool:
    if len(text) > 80 or not after_title:
        return False
    if text.startswith(("——", "—", "──", "――")):
        return True
    if _PAREN_LINE.match(text) and "在" in text:
        return True
    return bool((DATE_RE.search(text) or ISO_DATE_RE.search(text)) and SUB_OCCASION.search(text.strip("（）()"))
                and not re.search("[。！？，]", text))


def _can_be_title(texts: list[str], i: int) -> bool:
    t = texts[i]
    if i + 1 >= len(texts) or _is_salutation(t) or classify_heading(t) or _is_dateline(t) or len(t) > 80:
        return False
    if t[-1:] in "。！？；：:" or t.startswith(("——", "—")):
        return False
    nxt = texts[i + 1]
    if on_key(_POSITION_NAME, t) and (_is_head_date(nxt) or _is_salutation(nxt)):
        return False                    # 副市长 李明 over the date: a speaker line, the title is elsewhere
    return is_title_like(t, 60) or _is_subtitle(nxt, True) or _is_dateline(nxt) or _is_speaker(nxt) or \
        _is_salutation(nxt)


def _names_caption(text: str, names: list[str]) -> bool:
    """A photo caption under the byline: a short line, no sentence, naming the speaker
    (省长赵刚作政府工作报告)."""
    return len(text) <= 40 and not re.search("[，。；！？]", text) and any(n and n in text for n in names)


def title_block(texts: list[str], blocks: list[Block], ctx=None, editor=None, seen=frozenset(),
                 restored=frozenset()) -> int:
    """Title, subtitle, date line and speaker line at the top, then the salutation; sentences
    among them that are none of these (a photo caption) are page chrome when a salutation follows
    within a few lines. Returns the index after the block."""
    i = 0
    n = len(texts)
    if i < n and _can_be_title(texts, i):
        title = str(texts[i])
        i += 1
        if i < n and _title_second_line(texts, i, seen):
            joined = title + ("\u3000" if _GROUPS.match(texts[i - 1].key) else "") + texts[i]
            if ctx is not None:
                ctx.change("join_title", getattr(texts[i], "line", 0), f"{title}\n{texts[i]}", joined)
            title = joined
            i += 1
        blocks.append(Block("title", title))
    while i < n:
        t = texts[i]
        if _is_subtitle(t, bool(blocks)) and not _is_dateline(t):
            blocks.append(Block("subtitle", str(t)))
        elif _is_dateline(t) or (blocks and _is_head_date(t)):
            blocks.append(Block("dateline", str(t)))
        elif blocks and on_key(NOTE, t) and _PAREN_LINE.match(t) and i + 1 < n:
            blocks.append(Block("note", str(t)))        # （根据录音整理） between the date and the salutation
        elif _is_speaker(t) and i + 1 < n and (blocks or _is_salutation(texts[i + 1]) or
                                                (on_key(_POSITION_NAME, t) and _is_head_date(texts[i + 1]))):
            blocks.append(Block("speaker", str(t)))
        else:
            gap = next((k for k in range(i, min(n, i + _HEAD_ZONE)) if _is_salutation(texts[k])), None)
            names = [split_who(b.text.replace("\u3000", " "))[0] for b in blocks if b.kind == "speaker"]
            if not blocks or gap is None or gap == i or any(
                    not (_is_speaker(x) or (len(x) <= _GAP_MAX and x[-1:] in "。！？") or _names_caption(x, names)
                         or (len(x) <= _GAP_LINE and not re.search("[，。！？；,;]", x)))
                    for x in texts[i:gap]):
                break
            for x in texts[i:gap]:
                if _is_speaker(x):
                    blocks.append(Block("speaker", str(x)))
                elif on_key(NOTE, x):                      # 这是在…上的发言。 an editor's note
                    blocks.append(Block("note", str(x)))
                elif getattr(x, "line", 0) in restored:     # cleaning gave it back: the editor's
                    blocks.append(Block("paragraph", str(x)))
                elif editor and ctx is not None and editor.kept(x):    # restored: speech, not chrome
                    blocks.append(Block("paragraph", str(x)))
                    ctx.change("editor", getattr(x, "line", 0), "", str(x))
                elif ctx is not None:
                    ctx.remove(getattr(x, "line", 0), "chrome inside the title block", str(x))
            i = gap
            continue
        i += 1
    j = _salutation_span(texts, i)
    if j == i and _is_addressee(texts, i, blocks):
        j = i + 1
    for _ in range(_SALUTATIONS):        # 中国人民解放军全体指战员同志们！ / 全国同胞们，同志们和朋友们！
        if j == i:
            break
        joined = "".join(texts[i:j])
        if j - i > 1 and ctx is not None:
            ctx.change("join_salutation", getattr(texts[i], "line", 0), "\n".join(texts[i:j]), joined)
        blocks.append(Block("salutation", joined))
        i, j = j, _salutation_span(texts, j)
    return i


_LETTER_KINDS = re.compile("信|贺电|贺词")
_LETTER_OPENING = re.compile("^(?:你们好|您好|大家好|来信|值此|欣悉|获悉|惊悉)")


def _is_addressee(texts: list[str], i: int, blocks: list[Block]) -> bool:
    """A letter's addressee line (北京大学援鄂医疗队全体“90后”党员：): one short item closed by a
    colon, after a letter's title or before a letter's opening words."""
    if i + 1 >= len(texts) or len(texts[i]) > 60 or salutation_end(texts[i], addressee=True) != len(texts[i]):
        return False
    title = next((b.text for b in blocks if b.kind == "title"), "")
    return bool(_LETTER_KINDS.search(title[-3:]) or _LETTER_OPENING.match(texts[i + 1]))


def _salutation_span(texts: list[str], i: int) -> int:
    """The end of a salutation starting at texts[i], which a page may have broken after each
    address item (尊敬的…总统，/ 尊敬的各位同事，/ 女士们，先生们：); i when there is none."""
    end = i
    for j in range(i + 1, min(len(texts), i + 12) + 1):
        part = texts[j - 1]
        if _is_salutation("".join(getattr(t, "key", t) for t in texts[i:j])):
            end = j                     # the longest: 尊敬的…，/ 尊敬的…，/ 女士们，先生们：
        if len(part) > 60 or not part.endswith(("，", "、")):
            break
    return end


def split_who(who: str) -> tuple[str, str]:
    """'鲍秀英代区长' -> ('鲍秀英', '代区长'); '省长 王予波' -> ('王予波', '省长'); '邓小平' -> ('邓小平', '')."""
    who = str(who).strip()
    key = converter("t2s").convert(who)
    if not who or len(key) != len(who):
        return "", ""
    if " " in who:
        pos, _, name = who.rpartition(" ")
        name = re.sub(f"(?<=..){_HONORIFIC}$", "", name)       # 李华院士
        if _NAME.match(name):
            return name, pos.strip()
    for n in (3, 2, 4):         # name first, then position: 鲍秀英代区长, 李强总理
        if len(who) > n and _NAME.match(who[:n]) and _POSITION.match(key[n:]):
            return who[:n], who[n:]
    m = _POSITION_NAME.match(key)
    if m:
        return who[m.start("name"):m.end("name")], who[:m.end("position")]
    return (who, "") if _NAME.match(who) else ("", "")

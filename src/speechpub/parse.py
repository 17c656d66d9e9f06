"""Stage 3, parse: cleaned paragraphs -> Document (title block, salutation, headings, body)."""
from __future__ import annotations

import re
from dataclasses import replace

from . import byline, plausible, years
from .clean import Cleaned
from .clean.head import salutation_end
from .clean.script import language_tag
from .hanzi import converter
from .model import Block, Document, Meta, Warning
from .patterns import (DATE_RE, ISO_DATE_RE, GENRES, MONTH_DAY_RE, POSITIONS, SECTION_NUMBER, classify_heading, cn_number, ends_sentence,
                       find_date, fold, heading_clauses, heading_form, is_heading_clause,
                       is_title_like)

_KINDS = GENRES
_TITLE = re.compile(rf"^(?P<who>.*?)(?:同志)?在(?P<occasion>.+?)(?:上|中|时|期间)?的(?:[\u4e00-\u9fff]{{0,6}}?)(?P<kind>{'|'.join(_KINDS)})$")
# the genre word ends the title, before a bracketed remark or 全文: …致辭（只有中文）, …致辞全文
_TITLE_KIND = re.compile(rf"(?P<kind>{'|'.join(_KINDS)})(?:全文|[（(][^（）()]{{1,12}}[）)])?$")
_SUB_OCCASION = re.compile(r"在(?P<occasion>.+?)(?:上|中|时)(?:的(?:[\u4e00-\u9fff]{0,6}))?$")
_POSITION = re.compile(rf"^(?:代|代理|常务)?[\u4e00-\u9fff]{{0,12}}?(?:{POSITIONS})$")
_NAME_RX = r"(?:[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{2,4})"
_HONORIFIC = "(?:教授|院士|博士|同志)"     # after a name on a speaker line: 校长　王树林教授
_POSITION_NAME = re.compile(rf"^(?P<position>.*?(?:{POSITIONS}))[\u3000 ]?(?P<name>{_NAME_RX}){_HONORIFIC}?$")
_NAME = re.compile(rf"^{_NAME_RX}$")
_ADDRESS = "同志们|同胞们|朋友们|女士们|先生们|老师们|同学们|代表们|乡亲们|青年朋友们|小朋友们"
_SALUTATION = re.compile(
    rf"^(?:(?:尊敬的|亲爱的|各位|全体|在座的)[^。！？]{{0,80}}?|(?:{_ADDRESS})(?:[，、](?:{_ADDRESS}))*)"
    r"(?:[：:]|[，,]?\s*大家好[！!。]?|[，,]?\s*大家好)$")
_CLOSING = re.compile(r"^(?:(?:(?:谢谢|多谢)(?:大家|各位|你们)?|祝[^。！]{1,40})[。！!]?)+$")
_NOTE = re.compile(r"^(?:注[:：]|注释|说明[:：]|[（(](?:根据|据|本文|此文|有删节|略有删节|节选|摘编|编者|原载).{0,60}[）)]$|"
                   r"这是[^。！？]{2,80}(?:讲话|发言|报告|谈话|致辞|演讲|信|批示|要点|部分)(?:〔\d+〕)?。$)")   # an editor's note
_PAREN_LINE = re.compile(r"^[（(].*[）)]$")


class _Keyed(str):
    """A line's text that matches patterns through its simplified `key` (traditional input)."""
    key: str


def _keyed(text: str, traditional: bool, line: int = 0) -> _Keyed:
    k = _Keyed(text)
    k.line = line
    k.key = converter("t2s").convert(text) if traditional else text
    return k


def _on_key(rx, text: str, method: str = "match"):
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


def parse(cleaned: Cleaned, source: str = "", encoding: str = "", editor=None) -> Document:
    """`editor` (corrections.Editor): the sidecar's block kinds and meta overrides, applied
    before the checks so that they see the corrected document."""
    ctx = cleaned.context
    traditional = ctx.output_script == "traditional"
    texts = [_keyed(line.text, traditional, line.no) for line in cleaned.lines]
    blocks: list[Block] = []
    warnings = list(ctx.warnings)
    seen = _removed_head(ctx)
    restored = {c.line for c in ctx.changes if c.rule == "editor"}      # lines the editor brought back
    start = _anchor(texts, seen, restored)
    for x in texts[:start]:
        ctx.remove(x.line, "page chrome above the title", str(x))
    texts = texts[start:]
    i = _title_block(texts, blocks, ctx, editor, seen, restored)
    body_start = len(blocks)
    has_salutation = any(b.kind == "salutation" for b in blocks)
    clauses = {k + i for k in heading_clauses(texts[i:])}
    for k, text in enumerate(texts[i:], start=i):
        blocks.append(Block("heading", str(text), level=1) if k in clauses else
                      _body_block(text, first=(len(blocks) == body_start), has_salutation=has_salutation,
                                  prev=blocks[-1] if blocks else None,
                                  nxt=texts[k + 1] if k + 1 < len(texts) else None))
        has_salutation = has_salutation or blocks[-1].kind == "salutation"
    blocks = _closing(_list_items(_numbered_heads(blocks, ctx)), traditional)
    if editor:
        blocks = _editor_blocks(blocks, texts, ctx, editor)
    meta = _meta(blocks, ctx, encoding)
    if not meta.date and not (editor and "date" in editor.c.meta):     # the editor's date wins
        meta, inferred = _year_inferred(meta, blocks, ctx)
        warnings += inferred
    if editor:
        meta = _editor_meta(meta, ctx, editor)
        blocks = _editor_heads(blocks, texts, ctx, editor)     # after meta: the old title's speaker stays
    warnings += _check_numbering(blocks) + _check_end(blocks) + plausible.check(meta, blocks)
    if not meta.title:
        warnings.append(Warning("no_title", "the text has no title of its own; outputs use the file name", "warning"))
    if not any(b.kind == "paragraph" for b in blocks):
        warnings.append(Warning("no_body", "no body paragraphs were found", "error"))
    return Document(meta=meta, blocks=tuple(blocks), removed=tuple(ctx.removed), changes=tuple(ctx.changes),
                    warnings=tuple(warnings), source=source)


def _is_dateline(text: str) -> bool:
    text = text.rstrip("?？ \u3000")        # a lost character after the date line (damage, reported)
    return bool(_PAREN_LINE.match(text) and (DATE_RE.search(text) or ISO_DATE_RE.search(text))) and len(text) <= 80


def _is_speaker(text: str) -> bool:
    """省长 王予波, 县委副书记、县长　刘建国 (posts joined by 、), 王予波."""
    return is_title_like(text.replace("、", ""), 30) and bool(_NAME.match(text) or _on_key(_POSITION_NAME, text))


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
        t, k = _keyed(t + texts[k], False), k + 1
    score = (2 if _on_key(_TITLE_KIND, t, "search") else 0) + (k - s - 1)
    head = 0
    while k < len(texts) and k <= s + 5:
        x = texts[k]
        if _is_subtitle(x, True) or _is_head_date(x):
            head += 2
        elif _is_speaker(x):
            head += 2 if _on_key(_POSITION_NAME, x) else 1
        elif not (_on_key(_NOTE, x) and _PAREN_LINE.match(x)):
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
    if not (_is_subtitle(nxt, True) or _is_head_date(nxt) or _on_key(_POSITION_NAME, nxt)):
        return False
    joined = _keyed(first + x, False)
    if _on_key(_TITLE, joined) and not _on_key(_TITLE, first) and not _on_key(_TITLE, x):
        return True
    if any(fold(first + x) in s for s in seen):
        return True
    return bool(_GROUPS.match(first.key)) and nxt.startswith(("——", "—", "──", "――"))


def _removed_head(ctx) -> frozenset:
    """The lines removed from the top of the page, folded (a page headline, a breadcrumb)."""
    return frozenset(fold(r.text) for r in ctx.removed if r.line <= _ANCHOR_SCAN * 3 and len(r.text) <= 120)


def _anchor(texts: list[str], seen=frozenset(), restored=frozenset()) -> int:
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
    if _on_key(_SALUTATION, text) and len(key) <= 100:
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
    return bool((DATE_RE.search(text) or ISO_DATE_RE.search(text)) and _SUB_OCCASION.search(text.strip("（）()"))
                and not re.search("[。！？，]", text))


def _can_be_title(texts: list[str], i: int) -> bool:
    t = texts[i]
    if i + 1 >= len(texts) or _is_salutation(t) or classify_heading(t) or _is_dateline(t) or len(t) > 80:
        return False
    if t[-1:] in "。！？；：:" or t.startswith(("——", "—")):
        return False
    nxt = texts[i + 1]
    if _on_key(_POSITION_NAME, t) and (_is_head_date(nxt) or _is_salutation(nxt)):
        return False                    # 副市长 李明 over the date: a speaker line, the title is elsewhere
    return is_title_like(t, 60) or _is_subtitle(nxt, True) or _is_dateline(nxt) or _is_speaker(nxt) or \
        _is_salutation(nxt)


def _names_caption(text: str, names: list[str]) -> bool:
    """A photo caption under the byline: a short line, no sentence, naming the speaker
    (省长赵刚作政府工作报告)."""
    return len(text) <= 40 and not re.search("[，。；！？]", text) and any(n and n in text for n in names)


def _title_block(texts: list[str], blocks: list[Block], ctx=None, editor=None, seen=frozenset(),
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
        elif blocks and _on_key(_NOTE, t) and _PAREN_LINE.match(t) and i + 1 < n:
            blocks.append(Block("note", str(t)))        # （根据录音整理） between the date and the salutation
        elif _is_speaker(t) and i + 1 < n and (blocks or _is_salutation(texts[i + 1]) or
                                                (_on_key(_POSITION_NAME, t) and _is_head_date(texts[i + 1]))):
            blocks.append(Block("speaker", str(t)))
        else:
            gap = next((k for k in range(i, min(n, i + _HEAD_ZONE)) if _is_salutation(texts[k])), None)
            names = [_split_who(b.text.replace("\u3000", " "))[0] for b in blocks if b.kind == "speaker"]
            if not blocks or gap is None or gap == i or any(
                    not (_is_speaker(x) or (len(x) <= _GAP_MAX and x[-1:] in "。！？") or _names_caption(x, names)
                         or (len(x) <= _GAP_LINE and not re.search("[，。！？；,;]", x)))
                    for x in texts[i:gap]):
                break
            for x in texts[i:gap]:
                if _is_speaker(x):
                    blocks.append(Block("speaker", str(x)))
                elif _on_key(_NOTE, x):                      # 这是在…上的发言。 an editor's note
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


def _editor_blocks(blocks: list[Block], texts, ctx, editor) -> list[Block]:
    """A block's kind and heading level as the editor set them; each change is recorded."""
    out = []
    lines = {}
    for t in texts:
        lines.setdefault(str(t), getattr(t, "line", 0))
    for b in blocks:
        fix = editor.block(b.text)
        if fix is None:
            out.append(b)
            continue
        kind = fix["kind"]
        level = None
        if kind == "heading":
            level = fix.get("level") or (b.level if b.kind == "heading" else None) or 1
        new = b if (kind, level) == (b.kind, b.level) else \
            Block(kind, b.text, level=level,
                  lead_level=b.lead_level if kind == "paragraph" else None,
                  lead_length=b.lead_length if kind == "paragraph" else None)
        if new is not b:
            line = lines.get(b.text) or next((v for k, v in lines.items() if k and b.text.startswith(k)), 0)
            ctx.change("editor", line, _kind_label(b), _kind_label(new))
        out.append(new)
    return out


def _editor_heads(blocks: list[Block], texts, ctx, editor) -> list[Block]:
    """The editor's title and subtitle are printed: the block is replaced (its old text goes to
    `removed` with the reason editor) or, where the speech had none, put at the top."""
    for kind in ("title", "subtitle"):
        new = editor.c.meta.get(kind, "")
        at = next((k for k, b in enumerate(blocks) if b.kind == kind), None)
        if not new or (at is not None and blocks[at].text == new):
            continue
        if at is None:
            at = 0 if kind == "title" else next((k + 1 for k, b in enumerate(blocks) if b.kind == "title"), 0)
            blocks.insert(at, Block(kind, new))
            ctx.change("editor", 0, "", new)
            continue
        old = blocks[at].text
        line = next((getattr(t, "line", 0) for t in texts if str(t) == old), 0)
        ctx.remove(line, "editor", old)
        ctx.change("editor", line, old, new)
        blocks[at] = Block(kind, new)
    return blocks


def _kind_label(b: Block) -> str:
    return f"{b.kind} {b.level}" if b.kind == "heading" and b.level else b.kind


def _editor_meta(meta: Meta, ctx, editor) -> Meta:
    """The editor's meta overrides; each one that changes a field is recorded (line 0: no line)."""
    fixes = {}
    for k, v in editor.c.meta.items():
        old = getattr(meta, k)
        if v != old:
            ctx.change("editor", 0, f"meta.{k}: {old}", f"meta.{k}: {v}")
            fixes[k] = v
    return replace(meta, **fixes) if fixes else meta


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


def _body_block(text: str, first: bool, has_salutation: bool, prev, nxt) -> Block:
    h = classify_heading(text)
    if h:
        level, _, lead = h
        if lead is None:
            return Block("heading", str(text), level=level)
        return Block("paragraph", str(text), lead_level=level, lead_length=lead)
    if first and not has_salutation and _on_key(_SALUTATION, text) and len(text) <= 100:
        return Block("salutation", str(text))
    if _on_key(_NOTE, text):
        return Block("note", str(text))
    # An unnumbered section title: short, no punctuation, between complete paragraphs.
    if is_title_like(text) and nxt is not None and not is_title_like(nxt) and \
            (prev is None or prev.kind in ("salutation", "heading") or ends_sentence(prev.text)):
        return Block("heading", str(text), level=1)
    return Block("paragraph", str(text))


def _list_items(blocks: list[Block]) -> list[Block]:
    """A short numbered sentence (（2）新增企业12家。) after a list item of its form and the number
    before it (（1）…, a long sentence, a paragraph) is an item of the same list, not a heading."""
    out = list(blocks)
    last: dict = {}         # heading form level -> (number, was an item)
    for k, b in enumerate(out):
        form = heading_form(b.text) if b.kind in ("heading", "paragraph") else None
        if not form:
            continue
        level, number = form
        prev = last.get(level)
        if b.kind == "heading" and b.text.endswith(("。", "！", "？")) and prev == (number - 1, True):
            out[k] = b = Block("paragraph", b.text)
        last[level] = (number, b.kind == "paragraph" and not b.lead_length)
    return out


def _numbered_heads(blocks: list[Block], ctx) -> list[Block]:
    """01 alone over a heading (a WeChat article's section number) is one heading: 01　坚定理想信念."""
    out = []
    for b in blocks:
        prev = out[-1] if out else None
        if prev and prev.kind == "heading" and SECTION_NUMBER.match(prev.text) and b.kind == "heading":
            joined = f"{prev.text.strip()}\u3000{b.text}"
            ctx.change("join_heading", 0, f"{prev.text}\n{b.text}", joined)
            out[-1] = Block("heading", joined, level=b.level)
        else:
            out.append(b)
    return out


def _closing(blocks: list[Block], traditional: bool) -> list[Block]:
    """谢谢大家。 / 祝大会圆满成功！ at the very end is the closing."""
    if blocks and blocks[-1].kind == "paragraph" and not blocks[-1].lead_level and \
            len(blocks[-1].text) <= 60 and _on_key(_CLOSING, _keyed(blocks[-1].text, traditional)):
        return blocks[:-1] + [Block("closing", blocks[-1].text)]
    return blocks


def _meta(blocks: list[Block], ctx, encoding: str) -> Meta:
    trad = ctx.output_script == "traditional"
    first = {k: _keyed(next((b.text for b in blocks if b.kind == k), ""), trad)
             for k in ("title", "subtitle", "dateline", "speaker")}
    title, subtitle = first["title"] or _keyed(ctx.hints.get("title", ""), trad), first["subtitle"]
    speaker = position = occasion = kind = ""
    m = _on_key(_TITLE, title)
    if m:
        occasion, kind = m.group("occasion"), m.group("kind")
        speaker, position = _split_who(m.group("who"))
    elif subtitle and (s := _on_key(_TITLE, _keyed(subtitle.lstrip("—─― "), trad))) and s.group("who"):
        # ——董事长张国栋在集团公司2024年工作会议上的讲话: the speaker in the subtitle
        occasion, kind = s.group("occasion"), s.group("kind")
        speaker, position = _split_who(s.group("who"))
    else:
        k = _on_key(_TITLE_KIND, title, "search") or _on_key(_TITLE_KIND, _keyed(subtitle.rstrip("）)"), trad), "search")
        kind = k.group("kind") if k else ""
    for text in (subtitle, first["dateline"]):
        s = _on_key(_SUB_OCCASION, _keyed(text.strip("（）()—─ "), trad), "search")
        if s and not occasion:
            occasion = re.sub(r"^.*?日", "", s.group("occasion")) if DATE_RE.search(s.group("occasion")) \
                else s.group("occasion")
    if first["speaker"]:
        name, pos = _split_who(_keyed(first["speaker"].replace("\u3000", " "), trad))
        speaker, position = name or speaker, pos or position
    date = find_date(first["dateline"]) or find_date(subtitle) or find_date(title)
    if not speaker or not date:
        name, when = _byline(blocks)
        speaker = speaker or name or byline.from_lead(ctx.hints.get("lead", "")) or \
            byline.from_headline(ctx.hints.get("headline", ""))
        date = date or when
    title = title or ctx.hints.get("title", "")           # from a news lead-in or front matter
    speaker = speaker or ctx.hints.get("speaker", "")
    date = date or ctx.hints.get("date", "")
    date = date or _dispatch_date(ctx)
    script = ctx.output_script
    kind = converter("t2s").convert(kind)       # a category: always its simplified name
    return Meta(title=str(title), subtitle=str(subtitle), speaker=speaker, position=position, occasion=occasion,
                date=date, published=ctx.published, kind=kind, script=script,
                source_script=ctx.source_script, region=ctx.region, source_encoding=encoding,
                language=language_tag(script, ctx.region))


def _byline(blocks: list[Block]) -> tuple[str, str]:
    """(name, date) from a note, a letter's signature or a news lead (byline.py)."""
    notes = [b.text for b in blocks if b.kind not in ("title", "subtitle", "dateline", "speaker", "salutation")]
    body = [b.text for b in blocks if b.kind in ("paragraph", "closing")]
    name, date = byline.from_note(notes)
    if not name:
        name, date = byline.from_signature(body)
    if not name and body:
        name = byline.from_lead(body[0])
    return name, date or byline.from_opening(body)


def _split_who(who: str) -> tuple[str, str]:
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


def _dispatch_date(ctx) -> str:
    """北京3月6日电 with the year of the newspaper's date."""
    if ctx.dispatch_date and ctx.published:
        m = MONTH_DAY_RE.search(ctx.dispatch_date)
        if m:
            return f"{ctx.published[:4]}-{cn_number(m.group(1)):02d}-{cn_number(m.group(2)):02d}"
    return ""


def _year_inferred(meta: Meta, blocks: list[Block], ctx) -> tuple[Meta, list[Warning]]:
    """A month and day from the dispatch line or the closing note, and the year from the
    occasion the lead names or a page path filed by day (years.py)."""
    body = [b.text for b in blocks if b.kind == "paragraph"]
    notes = [b.text for b in blocks if b.kind == "note"] + [t for t in body[-2:] if "这是" in t]
    md = MONTH_DAY_RE.search(ctx.dispatch_date or "")
    for t in notes:
        if not md and "这是" in t:
            md = MONTH_DAY_RE.search(t[t.find("这是"):])
    md = md or _occasion_day(body)
    if not md:
        return meta, []
    month, day = cn_number(md.group(1)), cn_number(md.group(2))
    lead_day = _LEAD_DAY.search(body[0] if body else "")
    if lead_day and not ctx.dispatch_date and 0 <= int(lead_day.group(1)) - day <= 10:
        day = int(lead_day.group(1))           # 某某12日上午在会上…: the lead's day within the session
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return meta, []
    lead = [meta.title, meta.subtitle, ctx.hints.get("lead", ""), ctx.hints.get("headline", "")]
    lead += body[:3] + notes
    year, evidence = years.event_year([t for t in lead if t], month)
    if not year:
        year, evidence = years.path_year([r.text for r in ctx.removed], month, day)
    if not year:
        return meta, []
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return replace(meta, date=iso), [Warning(
        "date_year_inferred", f"the text dates the speech {md.group(0)} without a year; "
                              f"{year} is the year of {evidence}", "info")]


_LEAD_DAY = re.compile(r"(?<![\d月])(\d{1,2})日(?=上午|下午|晚|在|出席|发表)")


def _occasion_day(body: list[str]):
    """The month and day a report gives its occasion (…全体会议于1月12日在北京开幕), when the
    sentence names an occasion whose year is a calendar fact."""
    for t in body:
        for m in MONTH_DAY_RE.finditer(t):
            start = max(t.rfind(p, 0, m.start()) for p in "。！？")
            end = min([i for i in (t.find(p, m.end()) for p in "。！？") if i >= 0] or [len(t)])
            if years.event_year([t[start + 1:end]], cn_number(m.group(1)))[0]:
                return m
    return None


def _check_numbering(blocks: list[Block]) -> list[Warning]:
    """Heading numbers must run 1, 2, 3 ... within their parent heading."""
    warnings = []
    last = {1: 0, 2: 0, 3: 0, 4: 0}
    for b in blocks:
        level = b.heading_level
        if not level:
            continue
        h = classify_heading(b.text)
        if not h:
            continue          # an unnumbered heading
        number = h[1]
        for deeper in range(level + 1, 5):
            last[deeper] = 0
        label = b.text[: (b.lead_length or 12)]
        if number == last[level]:
            warnings.append(Warning("numbering_repeat", f"heading number repeated at level {level}: {label}"))
        elif number != last[level] + 1:
            warnings.append(Warning("numbering_gap", f"heading numbers jump from {last[level]} to {number} "
                                                     f"at level {level}: {label}"))
        last[level] = number
    return warnings


def _check_end(blocks: list[Block]) -> list[Warning]:
    body = [b for b in blocks if b.kind in ("paragraph", "closing")]
    if body and not ends_sentence(body[-1].text):
        tail = body[-1].text[-12:]
        return [Warning("truncated", f"the speech ends mid-sentence (…{tail}): the page was probably cut off",
                        "error")]
    return []

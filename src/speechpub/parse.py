"""Stage 3, parse: cleaned paragraphs -> Document (title block, salutation, headings, body)."""
from __future__ import annotations

import re

from . import byline, plausible
from .clean import Cleaned
from .clean.head import salutation_end
from .clean.script import language_tag
from .hanzi import converter
from .model import Block, Document, Meta, Warning
from .patterns import (DATE_RE, ISO_DATE_RE, GENRES, MONTH_DAY_RE, POSITIONS, classify_heading, cn_number, ends_sentence,
                       find_date, is_title_like)

_KINDS = GENRES
_TITLE = re.compile(rf"^(?P<who>.*?)(?:同志)?在(?P<occasion>.+?)(?:上|中|时|期间)?的(?:[\u4e00-\u9fff]{{0,6}}?)(?P<kind>{'|'.join(_KINDS)})$")
_TITLE_KIND = re.compile(rf"(?P<kind>{'|'.join(_KINDS)})$")
_SUB_OCCASION = re.compile(r"在(?P<occasion>.+?)(?:上|中|时)(?:的(?:[\u4e00-\u9fff]{0,6}))?$")
_POSITION = re.compile(rf"^(?:代|代理|常务)?[\u4e00-\u9fff]{{0,12}}?(?:{POSITIONS})$")
_NAME_RX = r"(?:[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[\u4e00-\u9fff]{2,4})"
_POSITION_NAME = re.compile(rf"^(?P<position>.*?(?:{POSITIONS}))[\u3000 ]?(?P<name>{_NAME_RX})$")
_NAME = re.compile(rf"^{_NAME_RX}$")
_ADDRESS = "同志们|同胞们|朋友们|女士们|先生们|老师们|同学们|代表们|乡亲们|青年朋友们|小朋友们"
_SALUTATION = re.compile(
    rf"^(?:(?:尊敬的|亲爱的|各位|全体|在座的)[^。！？]{{0,80}}?|(?:{_ADDRESS})(?:[，、](?:{_ADDRESS}))*)"
    r"(?:[：:]|[，,]?\s*大家好[！!。]?|[，,]?\s*大家好)$")
_CLOSING = re.compile(r"^(?:(?:谢谢(?:大家|各位|你们)?|祝[^。！]{1,40})[。！!]?)+$")
_NOTE = re.compile(r"^(?:注[:：]|注释|说明[:：]|[（(](?:根据|据|本文|此文|有删节|略有删节|节选|摘编|编者|原载).{0,60}[）)]$)")
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


def parse(cleaned: Cleaned, source: str = "", encoding: str = "") -> Document:
    ctx = cleaned.context
    traditional = ctx.output_script == "traditional"
    texts = [_keyed(line.text, traditional, line.no) for line in cleaned.lines]
    blocks: list[Block] = []
    warnings = list(ctx.warnings)
    i = _title_block(texts, blocks, ctx)
    body_start = len(blocks)
    has_salutation = any(b.kind == "salutation" for b in blocks)
    for k, text in enumerate(texts[i:], start=i):
        blocks.append(_body_block(text, first=(len(blocks) == body_start), has_salutation=has_salutation,
                                  prev=blocks[-1] if blocks else None,
                                  nxt=texts[k + 1] if k + 1 < len(texts) else None))
        has_salutation = has_salutation or blocks[-1].kind == "salutation"
    blocks = _closing(blocks, traditional)
    meta = _meta(blocks, ctx, encoding)
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
    return is_title_like(text, 30) and bool(_NAME.match(text) or _on_key(_POSITION_NAME, text))


_HEAD_ZONE = 6          # lines between the title block and the salutation that may be chrome
_GAP_MAX = 200          # ... each a sentence at most this long (a caption)
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
    return is_title_like(t, 60) or _is_subtitle(nxt, True) or _is_dateline(nxt) or _is_speaker(nxt) or \
        _is_salutation(nxt)


def _title_block(texts: list[str], blocks: list[Block], ctx=None) -> int:
    """Title, subtitle, date line and speaker line at the top, then the salutation; sentences
    among them that are none of these (a photo caption) are page chrome when a salutation follows
    within a few lines. Returns the index after the block."""
    i = 0
    n = len(texts)
    if i < n and _can_be_title(texts, i):
        blocks.append(Block("title", str(texts[i])))
        i += 1
    while i < n:
        t = texts[i]
        if _is_subtitle(t, bool(blocks)) and not _is_dateline(t):
            blocks.append(Block("subtitle", str(t)))
        elif _is_dateline(t):
            blocks.append(Block("dateline", str(t)))
        elif _is_speaker(t) and i + 1 < n and (blocks or _is_salutation(texts[i + 1])):
            blocks.append(Block("speaker", str(t)))
        else:
            gap = next((k for k in range(i, min(n, i + _HEAD_ZONE)) if _is_salutation(texts[k])), None)
            if not blocks or gap is None or gap == i or any(
                    not (_is_speaker(x) or (len(x) <= _GAP_MAX and x[-1:] in "。！？")) for x in texts[i:gap]):
                break
            for x in texts[i:gap]:
                if _is_speaker(x):
                    blocks.append(Block("speaker", str(x)))
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
    title, subtitle = first["title"], first["subtitle"]
    speaker = position = occasion = kind = ""
    m = _on_key(_TITLE, title)
    if m:
        occasion, kind = m.group("occasion"), m.group("kind")
        speaker, position = _split_who(m.group("who"))
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
        if _NAME.match(name):
            return name, pos.strip()
    for n in (3, 2, 4):         # name first, then position: 鲍秀英代区长, 李强总理
        if len(who) > n and _NAME.match(who[:n]) and _POSITION.match(key[n:]):
            return who[:n], who[n:]
    m = _POSITION_NAME.match(key)
    if m:
        return who[m.start("name"):], who[:m.end("position")]
    return (who, "") if _NAME.match(who) else ("", "")


def _dispatch_date(ctx) -> str:
    """北京3月6日电 with the year of the newspaper's date."""
    if ctx.dispatch_date and ctx.published:
        m = MONTH_DAY_RE.search(ctx.dispatch_date)
        if m:
            return f"{ctx.published[:4]}-{cn_number(m.group(1)):02d}-{cn_number(m.group(2)):02d}"
    return ""


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

"""Stage 3, parse: cleaned paragraphs -> Document (title block, salutation, headings, body)."""
from __future__ import annotations

import re
from dataclasses import replace

from . import byline, plausible, years
from .clean import Cleaned
from .clean.script import language_tag
from .hanzi import converter
from .model import Block, Document, Meta, Warning
from .patterns import (DATE_RE, MONTH_DAY_RE, SECTION_NUMBER, classify_heading, cn_number, ends_sentence, find_date,
                       heading_clauses, heading_form, is_title_like)
from .titleblock import (NOTE, SALUTATION, SUB_OCCASION, TITLE, TITLE_KIND, anchor, keyed, on_key, removed_head,
                         split_who, title_block)

_CLOSING = re.compile(r"^(?:(?:(?:谢谢|多谢)(?:大家|各位|你们)?|祝[^。！]{1,40})[。！!]?)+$")


def parse(cleaned: Cleaned, source: str = "", encoding: str = "", editor=None) -> Document:
    """`editor` (corrections.Editor): the sidecar's block kinds and meta overrides, applied
    before the checks so that they see the corrected document."""
    ctx = cleaned.context
    traditional = ctx.output_script == "traditional"
    texts = [keyed(line.text, traditional, line.no) for line in cleaned.lines]
    blocks: list[Block] = []
    warnings = list(ctx.warnings)
    seen = removed_head(ctx)
    restored = {c.line for c in ctx.changes if c.rule == "editor"}      # lines the editor brought back
    start = anchor(texts, seen, restored)
    for x in texts[:start]:
        ctx.remove(x.line, "page chrome above the title", str(x))
    texts = texts[start:]
    i = title_block(texts, blocks, ctx, editor, seen, restored)
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


def _body_block(text: str, first: bool, has_salutation: bool, prev, nxt) -> Block:
    h = classify_heading(text)
    if h:
        level, _, lead = h
        if lead is None:
            return Block("heading", str(text), level=level)
        return Block("paragraph", str(text), lead_level=level, lead_length=lead)
    if first and not has_salutation and on_key(SALUTATION, text) and len(text) <= 100:
        return Block("salutation", str(text))
    if on_key(NOTE, text):
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
            len(blocks[-1].text) <= 60 and on_key(_CLOSING, keyed(blocks[-1].text, traditional)):
        return blocks[:-1] + [Block("closing", blocks[-1].text)]
    return blocks


def _meta(blocks: list[Block], ctx, encoding: str) -> Meta:
    trad = ctx.output_script == "traditional"
    first = {k: keyed(next((b.text for b in blocks if b.kind == k), ""), trad)
             for k in ("title", "subtitle", "dateline", "speaker")}
    title, subtitle = first["title"] or keyed(ctx.hints.get("title", ""), trad), first["subtitle"]
    speaker = position = occasion = kind = ""
    m = on_key(TITLE, title)
    if m:
        occasion, kind = m.group("occasion"), m.group("kind")
        speaker, position = split_who(m.group("who"))
    elif subtitle and (s := on_key(TITLE, keyed(subtitle.lstrip("—─― "), trad))) and s.group("who"):
        # ——董事长张国栋在集团公司2024年工作会议上的讲话: the speaker in the subtitle
        occasion, kind = s.group("occasion"), s.group("kind")
        speaker, position = split_who(s.group("who"))
    else:
        k = on_key(TITLE_KIND, title, "search") or on_key(TITLE_KIND, keyed(subtitle.rstrip("）)"), trad), "search")
        kind = k.group("kind") if k else ""
    for text in (subtitle, first["dateline"]):
        s = on_key(SUB_OCCASION, keyed(text.strip("（）()—─ "), trad), "search")
        if s and not occasion:
            occasion = re.sub(r"^.*?日", "", s.group("occasion")) if DATE_RE.search(s.group("occasion")) \
                else s.group("occasion")
    if first["speaker"]:
        name, pos = split_who(keyed(first["speaker"].replace("\u3000", " "), trad))
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

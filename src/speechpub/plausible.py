"""Checks that a parsed model is plausible (issue 11): what `check` flags for an editor to look
at. Each is a warning on the model, not a change to it."""
from __future__ import annotations

import re

from .model import Block, Meta, Warning
from .patterns import GENRES, HAN_RE, fold

LONG_PARAGRAPH = 1500
_WORD = re.compile("[\u4e00-\u9fff]{2}")
_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8})$")
_DATED_LINE = re.compile(r"^[（(][^（）()]{0,20}(?:\d{4}|[〇一二三四五六七八九○]{4})\s*年[^（）()]{0,30}[）)]$")
_SENTENCE_END = re.compile("[。！？!?]")


def check(meta: Meta, blocks: list[Block]) -> list[Warning]:
    out = []
    title = meta.title
    if title and (not _WORD.search(title) or (len(fold(title)) <= 4 and title not in GENRES)):
        out.append(Warning("implausible_title", f"the title {title!r} looks like page chrome, not a speech's title"))
    if meta.speaker and not _NAME.match(meta.speaker):
        out.append(Warning("implausible_speaker", f"the speaker {meta.speaker!r} does not look like a name"))
    body = [b for b in blocks if b.kind in ("paragraph", "heading", "closing", "note")]
    for k, b in enumerate(body):
        if b.kind == "paragraph" and len(b.text) > LONG_PARAGRAPH:
            out.append(Warning("long_paragraph", f"paragraph {k + 1} has {len(b.text)} characters: "
                                                 "check where its paragraphs should break"))
    if body and HAN_RE.search("".join(b.text for b in body)) and \
            not any(_SENTENCE_END.search(b.text) for b in body):
        out.append(Warning("no_sentence_end", "no body paragraph ends a sentence: is this a speech?"))
    seen_body = False
    for b in blocks:
        if b.kind in ("paragraph", "heading"):
            if seen_body and (_DATED_LINE.match(b.text) or (title and len(b.text) <= 2 * len(title) and
                                                            fold(b.text) == fold(title))):
                out.append(Warning("title_block_after_body", f"a title or date line after the body text: {b.text[:30]}"))
                break
            seen_body = seen_body or b.kind == "paragraph"
    return out

"""Speeches saved as markdown (news archives, note vaults, static-site mirrors): YAML front
matter, # heading marks, images, links, > quote marks, emphasis marks, rules.

The marks go (recorded in `changes`, rule markdown; front matter and images in `removed`); the
text they marked stays, so a # line is a heading candidate, never a heading on that ground alone.
Front matter's title, date and author are hints for the meta (Context.hints). Plain text is left
alone: the rule acts only on a file that opens with front matter or has markdown's own marks
(a # heading line, an image or a link).
"""
from __future__ import annotations

import re

from ..patterns import find_date
from .base import Line

_FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
_KEY = re.compile(r"^\s*(?P<key>[A-Za-z_]+)\s*[:=]\s*(?P<value>.*?)\s*$")
_HINT_KEYS = {"title": "title", "date": "date", "author": "speaker", "speaker": "speaker"}
_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s+)+(?=\S)")
_IMAGE = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\s]{0,500}(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]{1,200})\]\((?P<url>[^)\s]{1,500})(?:\s+\"[^\"]*\")?\)")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(?P<inner>[^*_\n]{1,200}?)(?<=\S)\1")
_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_FRONT_MAX = 60         # front matter is a handful of lines at the top


def _front_matter(lines) -> int:
    """The number of lines of YAML/TOML front matter at the top (fences included), or 0."""
    if not lines or not _FENCE.match(lines[0].text):
        return 0
    for k in range(1, min(len(lines), _FRONT_MAX)):
        if _FENCE.match(lines[k].text):
            return k + 1 if all(_KEY.match(x.text) or not x.text.strip() or x.text.startswith((" ", "-"))
                                for x in lines[1:k]) else 0
    return 0


_LINK_TRIGGER = re.compile(r"\]\(")     # in every image and link, a cheap scan (_LINK's look-behind is slow)
TRIGGERS = ((_IMAGE, _LINK_TRIGGER), (_LINK, _LINK_TRIGGER))


def is_markdown(lines, front: int) -> bool:
    return bool(front) or any(_HEADING.match(x.text) or _LINK_TRIGGER.search(x.text) and (
        _IMAGE.search(x.text) or _LINK.search(x.text)) for x in lines)


def markdown(lines, ctx):
    front = _front_matter(lines)
    if not is_markdown(lines, front):
        return lines
    for x in lines[:front]:
        ctx.remove(x, "front matter")
        m = _KEY.match(x.text)
        if m and m.group("key").lower() in _HINT_KEYS and m.group("value").strip("\"' "):
            key, value = _HINT_KEYS[m.group("key").lower()], m.group("value").strip("\"' ")
            value = find_date(value) if key == "date" else value
            if value:
                ctx.hints.setdefault(key, value)
    out = []
    for line in lines[front:]:
        text = line.text
        if _RULE.match(text):
            ctx.remove(line, "markdown rule")
            continue
        for m in _IMAGE.finditer(text):
            ctx.remove(line, "markdown image", m.group(0))
        text = _IMAGE.sub("", text)
        text = _mark(_HEADING, lambda m: "", text, line.no, ctx)
        text = _mark(_QUOTE, lambda m: "", text, line.no, ctx)
        text = _mark(_LINK, lambda m: m.group("text"), text, line.no, ctx)
        text = _mark(_EMPHASIS, lambda m: m.group("inner"), text, line.no, ctx)
        out.append(Line(text, line.no) if text != line.text else line)
    return out


def _mark(rx, repl, text: str, no: int, ctx) -> str:
    def fn(m):
        new = repl(m)
        ctx.change("markdown", no, m.group(0), new)
        return new
    return rx.sub(fn, text)

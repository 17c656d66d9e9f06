"""The pandoc JSON AST built from the model: scraped text only ever becomes Str nodes.

No markdown is written, so no character of a speech can be read as markup; pandoc escapes
<, > and & itself when it writes XHTML.
"""
from __future__ import annotations

import re

from ...model import Block, Document

API_VERSION = [1, 23, 1, 1]   # pandoc-types of pandoc 3.x; checked against the binary

# characters XML 1.0 forbids; they cannot be written to XHTML
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# pandoc's HTML writer appends U+FE0E (text presentation) to a ↔ or ↩ that lacks one. So each
# run of U+FE0E after them gets one more here (pandoc then adds none) and epub.restore_vs15 takes
# one off every run after pandoc: the speech's own selectors stay, pandoc's go.
VS15 = "\ufe0e"
_VS15_RUN = re.compile("(?<=[\u2194\u21a9])\ufe0e+")
_VS15_FIRST = re.compile("(?<=[\u2194\u21a9])\ufe0e")


def restore_vs15(text: str) -> str:
    """Undo protect_vs15 and pandoc's own U+FE0E, in pandoc's output."""
    return _VS15_FIRST.sub("", text)


def xml_safe(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return _VS15_RUN.sub(lambda m: m[0] + VS15, text) if VS15 in text else text


def attr(ident: str = "", classes=(), pairs=()) -> list:
    return [ident, list(classes), [list(p) for p in pairs]]


def str_(text: str) -> list:
    """Inlines of a text: one Str, which pandoc writes verbatim (escaped)."""
    text = xml_safe(text)
    return [{"t": "Str", "c": text}] if text else []


def words_(text: str) -> list:
    """Inlines of a title: each word of two or more hanzi in a span.w, which the stylesheet
    keeps on one line (GB/T 9704 7.3.1: a title keeps its words whole); the text is the same."""
    from ...typeset.words import boundaries
    cuts = [0, *sorted(boundaries(text)), len(text)]
    out, loose = [], ""
    for a, b in zip(cuts, cuts[1:]):
        if b - a > 1:
            out += [*str_(loose), span(str_(text[a:b]), ["w"])]
            loose = ""
        else:
            loose += text[a:b]
    return [*out, *str_(loose)]


def span(inlines: list, classes=()) -> dict:
    return {"t": "Span", "c": [attr("", classes), inlines]}


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}


def div(blocks: list, classes=(), ident: str = "", pairs=()) -> dict:
    return {"t": "Div", "c": [attr(ident, classes, pairs), blocks]}


def header(level: int, inlines: list, ident: str, classes=(), pairs=()) -> dict:
    return {"t": "Header", "c": [level, attr(ident, classes, pairs), inlines]}


def meta_str(text: str) -> dict:
    return {"t": "MetaString", "c": xml_safe(text)}


def meta_inlines(text: str) -> dict:
    return {"t": "MetaInlines", "c": str_(text)}


def meta_bool(value: bool) -> dict:
    return {"t": "MetaBool", "c": value}


def meta_list(items: list) -> dict:
    return {"t": "MetaList", "c": items}


def meta_map(d: dict) -> dict:
    return {"t": "MetaMap", "c": d}


def document(meta: dict, blocks: list) -> dict:
    return {"pandoc-api-version": API_VERSION, "meta": meta, "blocks": blocks}


def strings(node):
    """Every Str text in an AST (or part of one), in order."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            yield node["c"]
        else:
            yield from strings(node.get("c", ())) if "t" in node else strings(list(node.values()))
    elif isinstance(node, list):
        for n in node:
            yield from strings(n)


# ---- the model -------------------------------------------------------------------------

def block_classes(b: Block) -> list[str]:
    """CSS classes of a block: its kind, and its heading level."""
    if b.kind == "heading":
        return ["heading", f"h{b.level}"]
    return [b.kind]


def block_node(b: Block, ident: str, shift: int) -> dict:
    """One model block as an AST block. Headings become Header level+shift (a TOC entry)."""
    if b.kind == "heading":
        return header(min(b.level + shift, 6), str_(b.text), ident, block_classes(b))
    if b.kind in ("title", "subtitle"):
        return div([para(words_(b.text))], block_classes(b))
    if b.kind == "paragraph" and b.lead_length:
        inlines = [span(str_(b.lead), ["lead", f"lead{b.lead_level}"]), *str_(b.text[b.lead_length:])]
    else:
        inlines = str_(b.text)
    return div([para(inlines)], block_classes(b))


def chapter(doc: Document, ident: str, title: str, lang: str, shift: int = 1) -> dict:
    """A speech as one section: a level-1 header (its title) and every block in order.

    The title block becomes the section's header. When the speech has no title block first,
    a header marked `generated` carries `title` (text not in the model), and a later title
    block stays an ordinary styled block."""
    blocks = list(doc.blocks)
    nodes = []
    if blocks and blocks[0].kind == "title":
        nodes.append(header(1, words_(blocks[0].text), ident, ["title"]))
        blocks = blocks[1:]
    else:
        nodes.append(header(1, str_(title), ident, ["generated"]))
    head, body = [], []
    for i, b in enumerate(blocks, 1):
        node = block_node(b, f"{ident}-{i}", shift)
        # the title block (subtitle, dateline, speaker) before the first other block
        (head if not body and b.kind in ("subtitle", "dateline", "speaker") else body).append(node)
    if head:
        nodes.append(div(head, ["titleblock"]))
    nodes.extend(body)
    return div(nodes, ["section", "speech"], pairs=[("lang", lang)])

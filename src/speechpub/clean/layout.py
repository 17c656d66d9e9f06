"""Rules about lines and paragraphs: splitting, trimming, hard wraps, glued titles, rejoining."""
from __future__ import annotations

import re

from ..patterns import (HEADING_MAX, SPEAKER_LINE, classify_heading, ends_open, ends_sentence, heading_clauses,
                        is_title_like, quote_count)
from .base import Context, Line, settle_some
from .chars import PUNCTUATION, PUNCTUATION_NEEDS, PUNCTUATION_TRIGGER
from .head import opens_with_address, salutation_end

# Runs of ideographic/em spaces or tabs inside a line mark paragraph starts in one-line files.
_INDENT_RUN = re.compile(r"(?<=\S)(?: *[\u3000\u2003\t]){2,} *(?=\S)|(?<=[。！？：；])[\u3000\u2003](?=\S)|"
                         r"(?<=[。！？][”」])[\u3000\u2003](?=\S)")   # not 弘扬“上海精神”　深化…: a title's space
_TRIM = " \t\u3000\u2003\u2002\u00a0\u200b\ufeff\f\v"


def spaced_inside(text: str) -> bool:
    """An ideographic or em space or a tab between two non-spaces, which every _INDENT_RUN needs
    (a test checks it): indentation alone is no run."""
    inner = text.strip()
    return "\u3000" in inner or "\u2003" in inner or "\t" in inner


def split_indented_runs(lines, ctx):
    out = []
    for line in lines:
        parts = _INDENT_RUN.split(line.text) if spaced_inside(line.text) else [line.text]
        if len(parts) > 1 and all(len(p.strip()) <= 1 for p in parts):
            parts = [line.text]          # 注　　释, 目　　录: a letter-spaced word, not paragraphs
        out.extend(Line(part, line.no) for part in parts) if len(parts) > 1 else out.append(line)
    return out


_NUMBERED = re.compile(r"^\s*(\d{1,5})(?:\t| {1,4}|\s*[|:：]\s?)(?![年月日%])")
_NUMBERED_SHARE = 0.8       # of the lines, numbered in step with their place
_NUMBERED_MIN = 5


def line_numbers(lines, ctx):
    """A page copied with its line numbers (1<TAB>…, 2<TAB>…): when nearly every line opens with
    the number of its place (a constant apart), the numbers go, each recorded."""
    found = [(_NUMBERED.match(x.text), x) for x in lines]
    offsets = [int(m.group(1)) - k for k, (m, _) in enumerate(found) if m]
    if len(lines) < _NUMBERED_MIN or not offsets:
        return lines
    offset = max(set(offsets), key=offsets.count)
    if offset not in (0, 1) or offsets.count(offset) < _NUMBERED_SHARE * len(lines):
        return lines                    # a listing is numbered from its first line
    out = []
    for k, (m, line) in enumerate(found):
        if m and int(m.group(1)) - k == offset:
            ctx.remove(line.no, "line number", m.group(1))
            out.append(Line(line.text[m.end():], line.no))
        else:
            out.append(line)
    return out


def trim(lines, ctx):
    """Indentation and trailing spaces are layout, not text."""
    return [Line(line.text.strip(_TRIM), line.no) for line in lines]


def join_hard_wrapped(lines, ctx):
    """Blocks of blank-line-separated text whose lines were wrapped at a fixed width become
    one paragraph each. A block counts as wrapped when the text has blank lines between its
    blocks, the block has 3+ lines, all but the last have the same length (within one
    character) of at least 20 characters, and not all of them end a sentence. (Cleaned text,
    one paragraph per line with no blank lines, is never taken for wrapped text.)"""
    if not any(not line.text for line in lines[:-1]):
        return lines
    out, block = [], []
    for line in lines + [Line("", 0)]:
        if line.text:
            block.append(line)
            continue
        if len(block) >= 3:
            widths = {len(b.text) for b in block[:-1]}
            if max(widths) - min(widths) <= 1 and min(widths) >= 20 and \
                    not all(ends_sentence(b.text) for b in block[:-1]) and \
                    not any(classify_heading(b.text) for b in block):
                joined = "".join(b.text for b in block)
                ctx.change("join_hard_wrapped", block[0].no, "\n".join(b.text for b in block), joined)
                block = [Line(joined, block[0].no)]
        out.extend(block)
        if line.no:
            out.append(line)
        block = []
    return out


def drop_blank(lines, ctx):
    return [line for line in lines if line.text]


def _is_heading_like(text: str) -> bool:
    """A standalone heading or a short title-like line (a run-in heading opens a paragraph)."""
    if len(text) > HEADING_MAX:
        return False
    h = classify_heading(text)
    return bool(h and h[2] is None) or is_title_like(text)


def rejoin_split_paragraphs(lines, ctx):
    """Rejoin a paragraph that the site split mid-sentence: it ends with an opening mark, or it
    ends without closing punctuation, is itself no heading or title, and the next is no heading.
    The decisions look at each line as the punctuation rules will leave it (a throwaway run), so
    that the same text, cleaned again, is joined the same way; straight quotes are paired per
    paragraph later, so here their count says whether one is open."""
    views = _views(lines, ctx.skip | {"quotes"})
    groups: list[list[tuple[Line, str]]] = []
    quotes: list[dict] = []         # straight quotes per group: their parity says open or closed
    texts = [v.text for v in views]
    clauses = heading_clauses(texts)       # 坚持政治引领，筑牢思想根基: headings, not broken sentences
    for k, (line, view) in enumerate(zip(lines, texts)):
        if groups and _continues(groups[-1][-1][1], quotes[-1]) and not _opens_title_part(view) and \
                not _salutation_ends(groups[-1], view) and not _whole_salutation(groups[-1], view) and \
                not _is_heading_like(_head(groups[-1])) and not _is_heading_like(view) and \
                k - 1 not in clauses and k not in clauses and not _top_title(groups, view) and \
                not SPEAKER_LINE.match(view):
            prev = groups[-1][-1][0]
            ctx.change("rejoin_split_paragraphs", line.no, f"{prev.text[-10:]}|{line.text[:10]}",
                       f"{prev.text[-10:]}{line.text[:10]}")
            groups[-1].append((line, view))
            for q in quotes[-1]:
                quotes[-1][q] += quote_count(view, q)
        else:
            groups.append([(line, view)])
            quotes.append({q: quote_count(view, q) for q in ('"', "'")})
    return [Line("".join(x.text for x, _ in g), g[0][0].no) if len(g) > 1 else g[0][0] for g in groups]


def _top_title(groups, view: str) -> bool:
    """The text's first line, a title without punctuation, over a line of another kind: the title
    stands alone (a page's meta line under it is no rest of it)."""
    return len(groups) == 1 and len(groups[0]) == 1 and is_title_like(groups[0][0][1], HEADING_MAX) and \
        not is_title_like(view, HEADING_MAX) and len(view) > 0


def _views(lines, skip) -> list[Line]:
    """Each line as the punctuation rules will leave it; only lines they can change are run."""
    return settle_some(PUNCTUATION, lines, Context(), skip, PUNCTUATION_TRIGGER, PUNCTUATION_NEEDS)


_DATED_PAREN = re.compile(r"^[（(][^（）()]{0,12}\d{4}\s*年|^[（(][^（）()]{0,6}[一二三四五六七八九〇○]{4}年")


def _salutation_ends(group, view: str) -> bool:
    """A salutation ending in ， (尊敬的…总统，尊敬的…先生，) is complete unless another address follows."""
    text = "".join(v for _, v in group)
    return len(text) <= 300 and salutation_end(text) == len(text) and not opens_with_address(view)


def _whole_salutation(group, view: str) -> bool:
    """各位代表： on a line of its own opens the speech; it never ends the line before it, unless
    that line is an address too (尊敬的各位来宾， / 女士们，先生们：)."""
    text = "".join(v for _, v in group)
    return len(view) <= 40 and view.endswith(("：", ":")) and salutation_end(view) == len(view) and \
        not (len(text) <= 300 and (salutation_end(text) == len(text) or opens_with_address(text)))


def _opens_title_part(text: str) -> bool:
    """A ——subtitle or a （date） line starts a part of a title block, never a sentence's rest."""
    return text.startswith(("——", "――")) or bool(_DATED_PAREN.match(text))


def _continues(tail: str, quotes: dict) -> bool:
    """Does a paragraph whose last piece is `tail` (with `quotes` straight quotes in all) go on?"""
    t = tail.rstrip()
    if t[-1:] in quotes:
        return quotes[t[-1]] % 2 == 1
    return ends_open(t) or not ends_sentence(t)


def _head(group) -> str:
    """Enough of a group's joined view to tell whether it could be a heading (without joining
    a long group again and again)."""
    out, n = [], 0
    for _, view in group:
        out.append(view)
        n += len(view)
        if n > HEADING_MAX:
            break
    return "".join(out)

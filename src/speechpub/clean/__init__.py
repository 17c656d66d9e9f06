"""Stage 2, clean: text -> paragraphs, audited.

Cleaning is an ordered list of NAMED small rules (after markdown-it-py's core chain). Each rule
takes the list of lines and a Context and returns new lines; every removal and change goes into
the Context, so the model can say what was dropped or altered, where, and why. A rule can be
switched off by name (`skip=`), which the tests use to look at one rule at a time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import SpeechpubError
from . import (boilerplate, captions, chars, chrome, head, layout, markup, mojibake, news, pages, paragraphs, script,
               tails, trailer)
from .base import Context, Line, settle, settle_some


@dataclass(frozen=True)
class Cleaned:
    lines: tuple            # Line per paragraph, in order
    context: Context


def page_title(lines, ctx):
    """boilerplate.page_title until it finds no more: each removal moves later lines into the
    header window it looks at."""
    for _ in range(30):
        out = boilerplate.page_title(lines, ctx)
        if len(out) == len(lines):
            break
        lines = out
    return lines


# The rules in order. Names are stable: tests and `skip=` refer to them.
RULES = (
    ("invisible_chars", chars.invisible_chars),
    ("html", chars.html),
    ("line_numbers", layout.line_numbers),
    ("split_indented_runs", layout.split_indented_runs),
    ("page_breaks", pages.page_breaks),       # before trim (indentation) and join_hard_wrapped
    ("trim", layout.trim),
    ("markdown", markup.markdown),
    ("join_hard_wrapped", layout.join_hard_wrapped),
    ("drop_blank", layout.drop_blank),
    ("breadcrumb", boilerplate.breadcrumb),
    ("page_labels", boilerplate.page_labels),
    ("ui_lines", chrome.ui_lines),
    ("toolbar", boilerplate.toolbar),
    ("page_date", boilerplate.page_date),
    ("caption", boilerplate.caption),
    ("inline_caption", captions.inline_caption),
    ("newswire_tail", boilerplate.newswire_tail),
    ("tail_spans", tails.tail_spans),
    ("dispatch_lines", tails.dispatch_lines),
    ("page_jumps", tails.page_jumps),
    ("news_lead", news.news_lead),
    ("after_letter", news.after_letter),
    ("footer", news.footer),
    ("subheads", news.subheads),
    ("related_list", boilerplate.related_list),
    ("page_footer", trailer.page_footer),
    ("abstract", boilerplate.abstract),
    ("unglue_title", head.unglue_title),
    ("rejoin_split_paragraphs", layout.rejoin_split_paragraphs),
    ("unglue_salutation", head.unglue_salutation),
    ("page_title", page_title),
    ("title_repeated_at_end", boilerplate.title_repeated_at_end),
    ("repeat_after_end", chrome.repeat_after_end),
    ("mojibake", mojibake.repair),
    ("damage", chars.damage),
    ("punctuation", chars.PUNCTUATION),
    ("infer_paragraphs", paragraphs.infer_paragraphs),
    ("script", script.unify),
    ("diagnose", chars.diagnose),
)
RULE_NAMES = tuple(n for name, rule in RULES for n in ((name,) + tuple(x for x, _ in rule)
                                                        if isinstance(rule, tuple) else (name,)))


def clean(text: str, script: str = "auto", source: str = "", skip=(), encoding: str = "", editor=None) -> Cleaned:
    """Run every rule over decoded text. Raises SpeechpubError when nothing of a speech remains.

    `editor` (corrections.Editor) applies an editor's sidecar: its drop lines are taken out
    before the rules run, its restore lines come back at their place after them."""
    unknown = set(skip) - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown cleaning rules: {sorted(unknown)}")
    ctx = Context(script=script, encoding=encoding, skip=frozenset(skip))
    lines = [Line(t, i) for i, t in enumerate(text.split("\n"), start=1)]
    skip = frozenset(skip)
    if editor:
        lines = _editor_drop(lines, ctx, editor, blank=True)
    last = skip | {name for name, _ in RULES if name not in FINAL}
    for _ in range(MAX_CHAINS):
        titles = _page_titles(ctx)
        lines = _chain(lines, ctx, skip | FINAL)
        if _page_titles(ctx) == titles:
            break
        # A page title taken out of the header changes what the rules before it saw there (the
        # first line, two pieces of a split paragraph now side by side, the header window), so
        # the chain runs again, as a second cleaning would.
    if editor:
        lines = _editor_restore(_editor_drop(lines, ctx, editor), ctx, editor, text)
    lines = _chain(lines, ctx, last)
    ctx.warnings[:] = list(dict.fromkeys(ctx.warnings))
    if not lines:
        what = "only boilerplate" if ctx.removed else "no text"
        raise SpeechpubError(source, f"no speech text found: the file holds {what}")
    return Cleaned(tuple(lines), ctx)


MAX_CHAINS = 8       # a header of garbage can need several; real pages settle in one or two
# The last rules run once, on the settled lines: script unification weighs the whole text (a
# second cleaning must see the same proportions), and diagnose reports on the result.
FINAL = frozenset({"script", "diagnose"})


def _chain(lines, ctx, skip):
    for name, rule in RULES:
        if name in skip:
            continue
        if rule is chars.PUNCTUATION:
            lines = settle_some(rule, lines, ctx, skip, chars.PUNCTUATION_TRIGGER, chars.PUNCTUATION_NEEDS)
        elif isinstance(rule, tuple):
            lines = settle(rule, lines, ctx, skip)
        else:
            lines = rule(lines, ctx)
    return lines


def _editor_drop(lines, ctx, editor, blank: bool = False):
    """Lines the editor named in `drop` are removed with the reason `editor`. Before the rules
    (`blank`) a raw line leaves a blank line in its place, so the paragraphs around it stay apart;
    after them (a drop naming a cleaned paragraph) the line just goes."""
    out = []
    for line in lines:
        if line.text.strip() and editor.dropped(line.text):
            ctx.remove(line, "editor")
            if blank:
                out.append(Line("", line.no))
        else:
            out.append(line)
    return out


def _editor_restore(lines, ctx, editor, raw: str):
    """Removed lines the editor named in `restore` come back at their place in the speech: the
    Removal leaves `removed`, a Change (rule `editor`, before '') records the line, and the
    punctuation rules tidy it as they tidied its neighbours."""
    back = [r for r in ctx.removed if r.reason != "editor" and editor.kept(r.text)]
    if not back:
        return lines
    ctx.removed[:] = [r for r in ctx.removed if not any(r is b for b in back)]
    raw_lines = raw.split("\n")
    new = []
    for r in back:
        parts = [p.strip(" \t\u3000\u00a0") for p in r.text.split("\n")]
        new += [Line(p, r.line + k) for k, p in enumerate(parts) if p]
    new = settle(chars.PUNCTUATION, new, ctx, ctx.skip)
    for line in new:
        ctx.change("editor", line.no, "", line.text)
    out = list(lines)
    for line in sorted(new, key=lambda x: _place(x, raw_lines)):
        at = _place(line, raw_lines)
        i = next((k for k, x in enumerate(out) if _place(x, raw_lines) > at), len(out))
        out.insert(i, line)
    return out


def _place(line, raw_lines) -> tuple:
    """Where a line's text starts in the input: (line, hanzi offset within that line)."""
    raw = raw_lines[line.no - 1] if 0 < line.no <= len(raw_lines) else ""
    hanzi = "".join(_HAN.findall(line.text))[:6]
    at = "".join(_HAN.findall(raw)).find(hanzi) if hanzi else -1
    return (line.no, max(at, 0))


_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]+")


def _page_titles(ctx) -> int:
    return sum(1 for r in ctx.removed if r.reason == "page title")


def clean_text(text: str, script: str = "auto") -> str:
    """The cleaned text, one paragraph per line (what `speechpub clean` prints)."""
    return "\n".join(line.text for line in clean(text, script).lines)

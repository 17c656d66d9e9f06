"""The line and the audit context that every cleaning rule works on."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from ..hanzi import converter
from ..model import Change, Removal, Warning


@dataclass
class Line:
    text: str
    no: int                 # 1-based line of the decoded input where this text starts

    @cached_property
    def key(self) -> str:
        """The text in simplified characters, for matching boilerplate words in either script."""
        if self.text.isascii():
            return self.text
        return converter("t2s").convert(self.text)


@dataclass
class Context:
    script: str = "auto"                    # auto | simplified | traditional | keep
    encoding: str = ""                      # of the input, a hint for the region of traditional text
    skip: frozenset = frozenset()           # rule names switched off
    removed: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    published: str = ""                     # the web page's own date
    dispatch_date: str = ""                 # a newswire dateline's date (北京3月6日电)
    source_script: str = ""
    output_script: str = "simplified"
    region: str = ""
    damage: list = field(default_factory=list)   # (line, snippet, what) found by chars.damage
    damage_scanned: bool = False
    hints: dict = field(default_factory=dict)   # meta hints from removed wrappers: title, lead

    def remove(self, line: Line | int, reason: str, text: str | None = None) -> None:
        no = line if isinstance(line, int) else line.no
        self.removed.append(Removal(text if text is not None else line.text, no, reason))

    def change(self, rule: str, no: int, before: str, after: str) -> None:
        self.changes.append(Change(rule, no, before, after))

    def warn(self, code: str, message: str, level: str = "warning") -> None:
        self.warnings.append(Warning(code, message, level))


MAX_PASSES = 8        # each pass can expose one more match to a neighbouring rule (!--!-- takes five)


# Texts a group of rules leaves as it is, per group and skipped rules: the rules work within a
# line, so a text a whole pass left unchanged is left so every time (later chains, re-runs).
_FIXED: dict = {}
_FIXED_MAX = 50_000


def settle_some(rules, lines, ctx, skip, trigger, needs=None):
    """settle over the lines `trigger` finds something in and that the group has not already
    left as they are; the others pass unchanged (the group's rules work within a line).
    `needs` maps a rule's name to what it needs in a line to change it: a text the other rules
    leave as it is and in which no skipped rule finds what it needs is left so by all of them."""
    names = tuple(n for n, _ in rules)
    skipped = frozenset(skip) & set(names)
    fixed = _FIXED.setdefault((names, skipped), set())
    full = _FIXED.setdefault((names, frozenset()), set())   # fixed under all rules: under some too
    if len(fixed) > _FIXED_MAX:
        fixed.clear()
    hit = [x.text not in fixed and x.text not in full and bool(trigger.search(x.text)) for x in lines]
    todo = [x for x, h in zip(lines, hit) if h]
    done, settled = _settle_lines(rules, todo, ctx, skip) if todo else ([], True)
    if settled:
        fixed.update(x.text for x in done)
        if skipped and needs and skipped <= needs.keys():
            full.update(x.text for x in done if not any(needs[n].search(x.text) for n in skipped))
    done = iter(done)
    return [next(done) if h else x for x, h in zip(lines, hit)]


def settle(rules, lines, ctx, skip=frozenset()):
    """Run a group of rules until a pass changes nothing (they look at neighbours that the
    other rules of the group change)."""
    return _settle(rules, lines, ctx, skip)[0]


def _settle(rules, lines, ctx, skip) -> tuple[list, bool]:
    """(lines, whether a last pass changed nothing)."""
    for _ in range(MAX_PASSES):
        before = [line.text for line in lines]
        for name, rule in rules:
            if name not in skip:
                lines = rule(lines, ctx)
        if [line.text for line in lines] == before:
            return lines, True
    return lines, False


def _settle_lines(rules, lines, ctx, skip) -> tuple[list, bool]:
    """_settle for rules that work within a line: a line a pass leaves as it is has settled (a
    pass that keeps a line's text records nothing on it, tests/test_clean.py), so the next pass
    runs on the lines the last one changed only."""
    lines = list(lines)
    todo = list(range(len(lines)))
    for _ in range(MAX_PASSES):
        part = [lines[i] for i in todo]
        for name, rule in rules:
            if name not in skip:
                part = rule(part, ctx)
        changed = [i for i, x in zip(todo, part) if x.text != lines[i].text]
        for i, x in zip(todo, part):
            lines[i] = x
        if not changed:
            return lines, True
        todo = changed
    return lines, False

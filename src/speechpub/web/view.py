"""The speech page's audit as data for the template: every raw line as segments (plain, <del>,
<mark>), the cleaned blocks, the outline and each warning with the anchor it points at. The
template escapes every piece of text; nothing here builds HTML."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..read import read_file

JOIN_RULES = ("rejoin_split_paragraphs",)
INFER_RULES = ("infer_paragraphs",)
REASON_ZH = {"editor": "编辑删除"}
WARNING_ZH = {
    "truncated": "结尾不完整", "no_title": "没有标题", "no_body": "没有正文", "no_sentence_end": "不像讲话",
    "implausible_title": "标题可疑", "implausible_speaker": "讲话人可疑", "long_paragraph": "段落过长",
    "numbering_gap": "序号跳号", "numbering_repeat": "序号重复", "title_block_after_body": "标题位置异常",
    "invalid_bytes": "编码错误", "odd_chars": "异常字符", "mojibake": "乱码", "unknown_char": "未知字符",
    "damaged_text": "文字受损", "mixed_script": "简繁混用", "abstract_removed": "删去摘要", "mojibake_repaired": "修复乱码",
    "inferred_paragraphs": "推断分段", "correction_unused": "校正未生效", "missing_glyph": "缺字",
}
KIND_ZH = {"title": "标题", "subtitle": "副标题", "dateline": "日期", "speaker": "讲话人", "salutation": "称呼",
           "heading": "小标题", "paragraph": "正文", "closing": "结束语", "note": "注释"}


@dataclass
class Seg:
    text: str
    kind: str = ""          # "" | del | mark | join | infer
    title: str = ""


@dataclass
class RawLine:
    no: int
    text: str
    segs: list = field(default_factory=list)
    removed: list = field(default_factory=list)     # Removal objects on this line
    whole: bool = False                             # the whole line was removed
    notes: list = field(default_factory=list)       # changes that could not be placed
    leftover: list = field(default_factory=list)    # changes not found in this line


def raw_lines(path, doc) -> list[RawLine]:
    text = read_file(path).text
    removed, changes = defaultdict(list), defaultdict(list)
    for r in doc.removed:
        removed[r.line].append(r)
    for c in doc.changes:
        changes[c.line].append(c)
    lines = text.split("\n")
    # a rejoined paragraph's join is recorded on its second line; the marker goes at the end of
    # the line before it, and the paragraph's other changes are recorded under its first line
    prev, joined_to = 0, {}
    for no, line in enumerate(lines, 1):
        if line.strip():
            for c in changes.get(no, []):
                if c.rule in JOIN_RULES and prev:
                    joined_to.setdefault(prev, []).append(c)
            prev = no
    out, carry = [], []
    for no, line in enumerate(lines, 1):
        own = [c for c in changes.get(no, []) if c.rule not in JOIN_RULES] + joined_to.get(no, [])
        if not line.strip() and carry:
            out.append(_line(no, line, removed.get(no, []), []))
            continue
        rl = _line(no, line, removed.get(no, []), carry + own)
        carry = rl.leftover if no in joined_to else []
        if no not in joined_to:
            rl.notes += [("mark", _what(c)) for c in rl.leftover]
        rl.leftover = []
        out.append(rl)
    return out


def _clip(s: str, n: int = 60) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[:n] + "…"


def _what(c) -> str:
    return f"{c.rule}：{_clip(c.before)} → {_clip(c.after)}"


def _reason(r) -> str:
    return REASON_ZH.get(r.reason, r.reason)


def _line(no: int, line: str, removals, changes) -> RawLine:
    rl = RawLine(no, line, removed=list(removals))
    spans: list[tuple[int, int, str, str]] = []      # start, end, kind, title
    taken = [False] * len(line)

    def place(start, end, kind, title):
        if start < 0 or end > len(line) or any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        spans.append((start, end, kind, title))
        return True

    for r in removals:
        t = r.text.strip()
        i = line.find(t) if t else -1
        if t and t == line.strip():
            rl.whole = True
        if i >= 0 and place(i, i + len(t), "del", f"删除：{_reason(r)}"):
            continue
        rl.whole = True
        rl.notes.append(("del", f"删除：{_reason(r)}（{_clip(r.text, 40)}）"))
    cursors: dict = {}
    for c in changes:
        if c.rule in JOIN_RULES or c.rule in INFER_RULES:
            continue
        before = c.before
        if not before:
            continue
        start = cursors.get((c.rule, before), 0)
        i = line.find(before, start)
        while i >= 0 and any(taken[i:i + len(before)]):
            i = line.find(before, i + 1)
        if i >= 0 and place(i, i + len(before), "mark", _what(c)):
            cursors[(c.rule, before)] = i + len(before)
        else:
            rl.leftover.append(c)
    breaks = []
    for c in changes:
        if c.rule in INFER_RULES:
            head = c.after.split("\n")[0]
            i = line.find(head)
            breaks.append((i + len(head) if i >= 0 else len(line), "infer", f"{c.rule}：此处推断分段"))
        elif c.rule in JOIN_RULES:
            breaks.append((len(line), "join", f"{c.rule}：与下一行接成一段（{_clip(c.before)}）"))
    rl.segs = _segments(line, spans, breaks)
    return rl


def _segments(line, spans, breaks) -> list[Seg]:
    spans = sorted(spans)
    out, pos = [], 0
    cuts = sorted(breaks)
    for start, end, kind, title in spans:
        if start > pos:
            out.extend(_with_breaks(line, pos, start, cuts))
        out.append(Seg(line[start:end], kind, title))
        pos = end
    out.extend(_with_breaks(line, pos, len(line), cuts, last=True))
    return out


def _with_breaks(line, a, b, cuts, last=False):
    out, pos = [], a
    for at, kind, title in cuts:
        if a <= at < b or (last and at == b):
            if at > pos:
                out.append(Seg(line[pos:at]))
            out.append(Seg("", kind, title))
            pos = at
    if b > pos:
        out.append(Seg(line[pos:b]))
    return out


# ---- the cleaned side ------------------------------------------------------------------------

def blocks(doc) -> list[dict]:
    out = []
    paragraph = 0
    for n, b in enumerate(doc.blocks):
        if b.kind == "paragraph":
            paragraph += 1
        out.append({"n": n, "kind": b.kind, "kind_zh": KIND_ZH.get(b.kind, b.kind), "text": b.text,
                    "level": b.level, "paragraph": paragraph if b.kind == "paragraph" else None,
                    "lead": b.lead})
    return out


def outline(doc) -> list[dict]:
    return [{"n": n, "text": b.text, "level": b.level or 1} for n, b in enumerate(doc.blocks)
            if b.kind == "heading"]


_LINE = re.compile(r"\bline (\d+)\b")
_PARA = re.compile(r"\bparagraph (\d+)\b")
_QUOTED = re.compile(r"…([^)]{2,})\)|: ([^:]{4,})$|'([^']{2,})'")


def warnings(doc, bl: list[dict]) -> list[dict]:
    """Each warning with the anchor of its line or block ("" when it names none)."""
    out = []
    for w in doc.warnings:
        anchor = ""
        m = _LINE.search(w.message)
        if m:
            anchor = f"L{m.group(1)}"
        m = _PARA.search(w.message) if not anchor else None
        if m:
            k = int(m.group(1))
            anchor = next((f"b{b['n']}" for b in bl if b["paragraph"] == k), "")
        if not anchor:
            for q in _QUOTED.findall(w.message):
                frag = next((x for x in q if x), "").strip()
                hit = next((b for b in bl if frag and frag in b["text"]), None)
                if hit:
                    anchor = f"b{hit['n']}"
                    break
        out.append({"code": w.code, "label": WARNING_ZH.get(w.code, w.code), "level": w.level,
                    "message": w.message, "anchor": anchor})
    return out

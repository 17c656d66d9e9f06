"""The readable outline `speechpub inspect FILE` prints."""
from __future__ import annotations

from collections import Counter

from .model import Document


def outline(doc: Document) -> str:
    m = doc.meta
    rows = [("title", m.title or "(none)"), ("subtitle", m.subtitle), ("speaker", m.speaker),
            ("position", m.position), ("occasion", m.occasion), ("date", m.date), ("published", m.published),
            ("kind", m.kind), ("script", f"{m.script} (source {m.source_script or '?'}{', ' + m.region if m.region else ''})"),
            ("encoding", m.source_encoding), ("language", m.language)]
    out = [doc.source, *(f"  {k:<10}{v}" for k, v in rows if v)]
    heads = [b for b in doc.blocks if b.heading_level]
    if heads:
        out.append("outline")
        for b in heads:
            text = b.lead if b.kind == "paragraph" else b.text
            run_in = "  (run-in)" if b.kind == "paragraph" else ""
            out.append(f"  {'  ' * (b.heading_level - 1)}{text}  [{b.heading_level}]{run_in}")
    counts = Counter(b.kind for b in doc.blocks)
    out.append("blocks    " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    reasons = Counter(r.reason for r in doc.removed)
    out.append(f"removed   {len(doc.removed)}" + (": " + ", ".join(f"{r} {n}" for r, n in reasons.items()) if reasons else ""))
    rules = Counter(c.rule for c in doc.changes)
    out.append(f"changed   {len(doc.changes)}" + (": " + ", ".join(f"{r} {n}" for r, n in rules.items()) if rules else ""))
    if doc.warnings:
        out.append("warnings")
        out.extend(f"  {w.level:<8}{w.code}: {w.message}" for w in doc.warnings)
    return "\n".join(out)

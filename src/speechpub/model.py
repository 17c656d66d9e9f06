"""The document model every stage shares: frozen dataclasses, a flat list of blocks.

A block keeps its full visible text, so any output can be checked against the model:
the text extracted from a DOCX, PDF or EPUB must equal ``Document.text()``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from pathlib import PurePath

BLOCK_KINDS = (
    "title", "subtitle", "dateline", "speaker", "salutation",
    "heading", "paragraph", "closing", "note",
)
WARNING_LEVELS = ("info", "warning", "error")
SCRIPTS = ("auto", "simplified", "traditional", "keep")     # the --script choices


@dataclass(frozen=True)
class Meta:
    title: str = ""
    subtitle: str = ""
    speaker: str = ""
    position: str = ""          # e.g. 代区长, 省长
    occasion: str = ""          # e.g. 区长办公会
    date: str = ""              # ISO date of the speech
    published: str = ""         # the web page's own date, when present
    kind: str = ""              # 讲话, 致辞, 报告, 贺信, ... when evident
    script: str = "simplified"  # of the output text: simplified | traditional
    source_script: str = ""     # detected in the input: simplified | traditional | mixed
    region: str = ""            # CN | TW | HK: guides OpenCC and the language tag
    source_encoding: str = ""
    language: str = "zh-CN"     # BCP 47 tag of the output text


@dataclass(frozen=True)
class Block:
    kind: str
    text: str
    level: int | None = None        # headings: 1-4
    lead_level: int | None = None   # paragraphs opening with a run-in heading
    lead_length: int | None = None  # characters of that heading part

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")

    @property
    def lead(self) -> str:
        """The run-in heading part of a paragraph ('' when there is none)."""
        return self.text[: self.lead_length] if self.lead_length else ""

    @property
    def heading_level(self) -> int | None:
        """The heading level whose font this block (or its lead) takes."""
        return self.level if self.kind == "heading" else self.lead_level


@dataclass(frozen=True)
class Removal:
    text: str
    line: int       # 1-based line in the decoded input
    reason: str


@dataclass(frozen=True)
class Change:
    rule: str       # the cleaning rule's name
    line: int       # 1-based line in the decoded input
    before: str
    after: str


@dataclass(frozen=True)
class Warning:
    code: str
    message: str
    level: str = "warning"   # info | warning | error


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...] = ()
    changes: tuple[Change, ...] = ()
    warnings: tuple[Warning, ...] = ()
    source: str = ""         # the input's path as given, for messages

    def text(self) -> str:
        """The visible text of the speech, one block per line."""
        return "\n".join(b.text for b in self.blocks)

    @property
    def display_title(self) -> str:
        """The title to show: meta.title, or the file name when the speech has no title of its
        own (a book's chapter, the EPUB's title). Not part of the JSON model."""
        return self.meta.title or PurePath(self.source).stem or "speech"

    def by_kind(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    def with_warnings(self, extra) -> "Document":
        return replace(self, warnings=self.warnings + tuple(extra))

    def to_dict(self) -> dict:
        """The public JSON model (`speechpub inspect --json`)."""
        return {
            "meta": asdict(self.meta),
            "blocks": [_block_dict(b) for b in self.blocks],
            "removed": [asdict(r) for r in self.removed],
            "changes": [asdict(c) for c in self.changes],
            "warnings": [asdict(w) for w in self.warnings],
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> "Document":
        meta_keys = {f.name for f in fields(Meta)}
        return cls(
            meta=Meta(**{k: v for k, v in data.get("meta", {}).items() if k in meta_keys}),
            blocks=tuple(Block(**b) for b in data.get("blocks", [])),
            removed=tuple(Removal(**r) for r in data.get("removed", [])),
            changes=tuple(Change(**c) for c in data.get("changes", [])),
            warnings=tuple(Warning(**w) for w in data.get("warnings", [])),
            source=source,
        )


def _block_dict(b: Block) -> dict:
    d = {"kind": b.kind, "text": b.text}
    if b.level is not None:
        d["level"] = b.level
    if b.lead_level is not None:
        d["lead_level"] = b.lead_level
        d["lead_length"] = b.lead_length
    return d


__all__ = ["Block", "Change", "Document", "Meta", "Removal", "Warning", "BLOCK_KINDS", "SCRIPTS", "WARNING_LEVELS"]

"""An editor's corrections as data: a sidecar file `NAME.speechpub.toml` next to `NAME.txt`.

The raw input is never modified; the sidecar says what the editor changed, and the pipeline
applies it on every run (`pipeline.load` finds it by itself):

    restore = ["字体:"]                 # lines cleaning removed that belong to the speech
    drop = ["本文来源：某某网"]          # lines to remove as boilerplate
    [meta]                              # overrides of the detected meta fields
    speaker = "鲍秀英"
    date = "2011-11-21"
    [[blocks]]                          # a block's kind (and a heading's level)
    text = "同时，要结合调查研究成果，思考一些前瞻性问题。"
    kind = "heading"
    level = 2

Lines and blocks are named by their text, not by position, so a correction survives changes to
the cleaning rules. Every correction is recorded in the model: removed lines with the reason
`editor`, and a Change with the rule `editor` for each restored line, block change and meta
override. An entry that matches nothing is a warning (`correction_unused`), not an error.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SpeechpubError
from .model import BLOCK_KINDS

SUFFIX = ".speechpub.toml"
META_KEYS = ("title", "subtitle", "speaker", "position", "date", "occasion", "kind")
TOP_KEYS = ("meta", "restore", "drop", "blocks")
BLOCK_KEYS = ("text", "kind", "level")
LEVELS = (1, 2, 3, 4)
MAX_BYTES = 1_000_000           # a sidecar is a few lines; anything this large is not one
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SPACE = " \t\r\n\u3000\u00a0\ufeff"


def sidecar_path(input_path) -> Path:
    """`NAME.speechpub.toml` in the input's folder, for the input `NAME.txt`."""
    p = Path(input_path)
    return p.with_name(p.stem + SUFFIX) if p.suffix else p.with_name(p.name + SUFFIX)


def is_sidecar(path) -> bool:
    return Path(path).name.lower().endswith(SUFFIX)


@dataclass(frozen=True)
class Corrections:
    meta: dict = field(default_factory=dict)        # str -> str, keys from META_KEYS
    restore: tuple = ()                             # texts of removed lines to keep
    drop: tuple = ()                                # texts of lines to remove
    blocks: tuple = ()                              # {"text", "kind", "level"?}

    def to_dict(self) -> dict:
        """The JSON shape, which is the TOML shape."""
        return {"meta": dict(self.meta), "restore": list(self.restore), "drop": list(self.drop),
                "blocks": [dict(b) for b in self.blocks]}

    @classmethod
    def from_dict(cls, d, where="") -> "Corrections":
        """Validate `d` (parsed TOML or JSON); SpeechpubError(where, "key: what is wrong")."""
        if not isinstance(d, dict):
            raise SpeechpubError(where, f"expected a table of corrections, got {_type(d)}")
        for k in d:
            if k not in TOP_KEYS:
                raise SpeechpubError(where, f"{k}: unknown key (known: {', '.join(TOP_KEYS)})")
        meta = _meta(d.get("meta", {}), where)
        restore = _texts(d.get("restore", []), "restore", where)
        drop = _texts(d.get("drop", []), "drop", where)
        both = [t for t in restore if t in drop]
        if both:
            raise SpeechpubError(where, f"restore and drop both name {both[0]!r}")
        raw_blocks = d.get("blocks", [])
        if not isinstance(raw_blocks, list):
            raise SpeechpubError(where, f"blocks: expected a list of tables, got {_type(raw_blocks)}")
        blocks = tuple(_block(b, f"blocks[{i}]", where) for i, b in enumerate(raw_blocks))
        return cls(meta=meta, restore=restore, drop=drop, blocks=blocks)

    def is_empty(self) -> bool:
        return not (self.meta or self.restore or self.drop or self.blocks)


def _type(v) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list",
            dict: "a table", type(None): "null"}.get(type(v), type(v).__name__)


def _meta(m, where) -> dict:
    if not isinstance(m, dict):
        raise SpeechpubError(where, f"meta: expected a table, got {_type(m)}")
    out = {}
    for k, v in m.items():
        if k not in META_KEYS:
            hint = " (restore, drop and [[blocks]] go before [meta], at the top)" if k in TOP_KEYS else ""
            raise SpeechpubError(where, f"meta.{k}: unknown key (known: {', '.join(META_KEYS)}){hint}")
        if not isinstance(v, str):
            raise SpeechpubError(where, f"meta.{k}: expected a string, got {_type(v)}")
        v = v.strip(_SPACE)
        if k == "date" and v and not _is_date(v):
            raise SpeechpubError(where, f"meta.date: {v!r} is not a date YYYY-MM-DD")
        out[k] = v
    return out


def _is_date(v: str) -> bool:
    if not _DATE.match(v):
        return False
    try:
        datetime.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _texts(v, key, where) -> tuple:
    if not isinstance(v, list):
        raise SpeechpubError(where, f"{key}: expected a list of strings, got {_type(v)}")
    out = []
    for i, t in enumerate(v):
        if not isinstance(t, str):
            raise SpeechpubError(where, f"{key}[{i}]: expected a string, got {_type(t)}")
        t = t.strip(_SPACE)
        if not t:
            raise SpeechpubError(where, f"{key}[{i}]: empty text")
        if t not in out:
            out.append(t)
    return tuple(out)


def _block(b, key, where) -> dict:
    if not isinstance(b, dict):
        raise SpeechpubError(where, f"{key}: expected a table with text, kind and level, got {_type(b)}")
    for k in b:
        if k not in BLOCK_KEYS:
            raise SpeechpubError(where, f"{key}.{k}: unknown key (known: {', '.join(BLOCK_KEYS)})")
    text = b.get("text")
    if not isinstance(text, str) or not text.strip(_SPACE):
        got = "nothing" if text is None else _type(text) if not isinstance(text, str) else "an empty string"
        raise SpeechpubError(where, f"{key}.text: expected the block's text, got {got}")
    kind, level = b.get("kind"), b.get("level")
    if kind is None and level is None:
        raise SpeechpubError(where, f"{key}: give a kind, a level or both")
    if kind is not None and (not isinstance(kind, str) or kind not in BLOCK_KINDS):
        shown = repr(kind) if isinstance(kind, str) else _type(kind)
        raise SpeechpubError(where, f"{key}.kind: {shown} is not a block kind (one of {', '.join(BLOCK_KINDS)})")
    if level is not None:
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            shown = repr(level) if isinstance(level, (int, str)) and not isinstance(level, bool) else _type(level)
            raise SpeechpubError(where, f"{key}.level: {shown} is not a heading level 1-4")
        if kind not in (None, "heading"):
            raise SpeechpubError(where, f"{key}.level: only a heading has a level (kind is {kind!r})")
    out = {"text": text.strip(_SPACE), "kind": kind or "heading"}
    if level is not None:
        out["level"] = level
    return out


# ---- the file -------------------------------------------------------------------------------

def load(input_path) -> Corrections:
    """The corrections for an input: empty when it has no sidecar."""
    if input_path is None or str(input_path) in ("", "-"):
        return Corrections()
    p = sidecar_path(input_path)
    try:
        if not p.is_file():
            return Corrections() if not p.exists() else _bad(p, "is not a regular file")
        if p.stat().st_size > MAX_BYTES:
            raise SpeechpubError(p, f"is over {MAX_BYTES // 1_000_000} MB: not a corrections file")
        data = p.read_bytes()
    except OSError as e:
        raise SpeechpubError(p, f"cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise SpeechpubError(p, "is not UTF-8 text") from None
    try:
        d = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SpeechpubError(p, f"not valid TOML: {e}") from None
    return Corrections.from_dict(d, p)


def _bad(p, message):
    raise SpeechpubError(p, message)


def merge(current: Corrections, patch: dict, where="") -> Corrections:
    """`current` with a patch in the JSON shape applied: meta keys merged (null removes that
    override), lists present in the patch replace the current ones. A text the patch puts in
    `restore` leaves `drop` (and the other way round) unless the patch gives both lists."""
    if not isinstance(patch, dict):
        raise SpeechpubError(where, f"expected a table of corrections, got {_type(patch)}")
    d = current.to_dict()
    for k in patch:
        if k not in TOP_KEYS:
            raise SpeechpubError(where, f"{k}: unknown key (known: {', '.join(TOP_KEYS)})")
    if "meta" in patch:
        m = patch["meta"]
        if m is None:
            d["meta"] = {}
        elif not isinstance(m, dict):
            raise SpeechpubError(where, f"meta: expected a table, got {_type(m)}")
        else:
            for k, v in m.items():
                if v is None:
                    d["meta"].pop(k, None)
                else:
                    d["meta"][k] = v
    for key, other in (("restore", "drop"), ("drop", "restore")):
        if key in patch:
            d[key] = [] if patch[key] is None else patch[key]
            if other not in patch and isinstance(d[key], list):
                named = {t.strip(_SPACE) for t in d[key] if isinstance(t, str)}
                d[other] = [t for t in d[other] if t not in named]
    if "blocks" in patch:
        d["blocks"] = [] if patch["blocks"] is None else patch["blocks"]
    return Corrections.from_dict(d, where)


def save(input_path, corrections: Corrections) -> Path:
    """Write the sidecar atomically (temporary file, then rename); remove it when empty."""
    from .outfile import atomic_path
    p = sidecar_path(input_path)
    if corrections.is_empty():
        p.unlink(missing_ok=True)
        return p
    with atomic_path(p) as tmp:
        tmp.write_bytes(dumps(corrections, Path(input_path).name).encode("utf-8"))
    return p


def dumps(c: Corrections, name: str = "") -> str:
    """Readable TOML: the top-level lists first (TOML puts them before any table)."""
    out = [f"# speechpub corrections for {name or 'this speech'} (the raw input is never modified).",
           "# restore: removed lines to keep; drop: lines to remove; [meta]: field overrides;",
           "# [[blocks]]: a block's kind and heading level. See the README, \"Corrections\".", ""]
    for key in ("restore", "drop"):
        items = getattr(c, key)
        if items:
            out.append(f"{key} = [")
            out += [f"    {_str(t)}," for t in items]
            out += ["]", ""]
    if c.meta:
        out.append("[meta]")
        out += [f"{k} = {_str(c.meta[k])}" for k in META_KEYS if k in c.meta]
        out.append("")
    for b in c.blocks:
        out.append("[[blocks]]")
        out.append(f"text = {_str(b['text'])}")
        out.append(f"kind = {_str(b['kind'])}")
        if b.get("level") is not None:
            out.append(f"level = {int(b['level'])}")
        out.append("")
    return "\n".join(out)


def _str(s: str) -> str:
    """A TOML basic string."""
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


# ---- applying them (the pipeline calls these) -----------------------------------------------

def _key(text: str) -> str:
    """A text for matching: outer spaces off, in simplified characters (input in either script)."""
    t = str(text).strip(_SPACE)
    if t.isascii():
        return t
    from .hanzi import converter
    return converter("t2s").convert(t)


class Editor:
    """Applies one Corrections to one run of the pipeline and tracks which entries matched."""

    def __init__(self, corrections: Corrections):
        self.c = corrections
        self.drop = {_key(t): t for t in corrections.drop}
        self.restore = {_key(t): t for t in corrections.restore}
        self.blocks = {_key(b["text"]): b for b in corrections.blocks}
        self.used: set = set()              # ("drop"|"restore"|"blocks", entry text)

    def __bool__(self) -> bool:
        return not self.c.is_empty()

    def dropped(self, text: str) -> bool:
        t = self.drop.get(_key(text)) if self.drop else None
        if t is not None:
            self.used.add(("drop", t))
        return t is not None

    def kept(self, text: str) -> bool:
        """Is this text a line the editor restored? (marks the entry used)"""
        t = self.restore.get(_key(text)) if self.restore else None
        if t is not None:
            self.used.add(("restore", t))
        return t is not None

    def block(self, text: str):
        b = self.blocks.get(_key(text)) if self.blocks else None
        if b is not None:
            self.used.add(("blocks", b["text"]))
        return b

    def unused(self):
        from .model import Warning
        out = []
        for key, items in (("restore", self.c.restore), ("drop", self.c.drop),
                           ("blocks", [b["text"] for b in self.c.blocks])):
            what = {"restore": "no removed line reads", "drop": "no line reads",
                    "blocks": "no block reads"}[key]
            for t in items:
                if (key, t) not in self.used:
                    out.append(Warning("correction_unused", f"sidecar {key}: {what} {_short(t)!r}"))
        return out


def _short(t: str, n: int = 40) -> str:
    return t if len(t) <= n else t[:n] + "…"


__all__ = ["Corrections", "Editor", "load", "merge", "save", "sidecar_path", "is_sidecar", "dumps",
           "META_KEYS", "SUFFIX"]

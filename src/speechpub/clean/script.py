"""Simplified and traditional characters: detect, report, unify or convert with OpenCC."""
from __future__ import annotations

import re
from collections import Counter

from ..hanzi import converter
from ..patterns import HAN
from . import mojibake
from .base import Line

_NOT_HAN = re.compile(f"[^{HAN}]+")
_TW = re.compile("臺灣|台灣|中華民國|行政院|立法院|國人同胞|新台幣|總統府")
_HK = re.compile("香港|特區|特首|立法會|港澳|九龍|新界")


# Simplified forms that are also ordinary traditional characters (台灣, 干擾, 群眾, 才能, 皇后, 鄰里,
# 面對 ...): their presence says nothing about the script.
AMBIGUOUS = frozenset("台干群才后里面只云系丑冲斗谷合回借卷历帘了么霉蒙弥蔑千秋曲确舍松体涂团洼咸向须叶"
                      "余御愿札折征症制致钟朱筑准并采范丰谷划汇伙几价姜卤困淀吊党沈表别卜板辟")


# hanzi -> "s" (simplified only), "t" (traditional only) or "" (both or neither), per process:
# a batch worker's speeches share most of their characters, and asking OpenCC was most of
# the time of detect
_SCRIPT_OF: dict[str, str] = {}


def _classify(chars: list[str]) -> None:
    joined = "\n".join(chars)
    as_trad = converter("s2t").convert(joined).split("\n")
    as_simp = converter("t2s").convert(joined).split("\n")
    for c, t, s in zip(chars, as_trad, as_simp):
        _SCRIPT_OF[c] = "s" if t != c and s == c else "t" if s != c and t == c else ""


def detect(text: str) -> tuple[Counter, Counter]:
    """Occurrences of simplified-only and of traditional-only hanzi in the text."""
    counts = Counter(text)          # every character (a C loop), then the hanzi among them
    chars = [c for c in _NOT_HAN.sub("", "".join(counts)) if c not in AMBIGUOUS]
    simp, trad = Counter(), Counter()
    new = [c for c in chars if c not in _SCRIPT_OF]
    if new:
        _classify(new)
    for c in chars:
        kind = _SCRIPT_OF[c]
        if kind == "s":
            simp[c] = counts[c]
        elif kind == "t":
            trad[c] = counts[c]
    return simp, trad


def region_of(text: str, encoding: str = "") -> str:
    """TW or HK for traditional text: markers in the text, else the encoding (Big5-HKSCS: HK);
    Taiwan's standard forms are the default for traditional text."""
    tw, hk = len(_TW.findall(text)), len(_HK.findall(text))
    if hk > tw or (hk == tw and "hkscs" in encoding):
        return "HK"
    return "TW"


# Character conversion with the region's variants, never phrase localisation (tw2sp would turn
# 軟體 into 软件): a speech keeps the speaker's words.
def to_simplified_config(region: str) -> str:
    return {"TW": "tw2s", "HK": "hk2s"}.get(region, "t2s")


def to_traditional_config(region: str) -> str:
    return {"TW": "s2tw", "HK": "s2hk"}.get(region, "s2t")


def language_tag(script: str, region: str) -> str:
    if script == "simplified":
        return "zh-CN"
    return {"TW": "zh-TW", "HK": "zh-HK"}.get(region, "zh-Hant")


def unify(lines, ctx):
    """--script auto: a mixed text has its minority-script characters converted to the dominant
    script (nothing else changes); simplified/traditional: the whole text is converted with the
    region's character variants; keep: untouched."""
    text = "\n".join(line.text for line in lines)
    garbled = [mojibake.runs(line.text) for line in lines]
    if any(garbled):                    # mojibake says nothing of the script, and stays as found
        text = "\n".join(_outside(line.text, runs) for line, runs in zip(lines, garbled))
    simp, trad = detect(text)
    n_simp, n_trad = sum(simp.values()), sum(trad.values())
    dominant = "traditional" if n_trad > n_simp else "simplified"
    minority = simp if dominant == "traditional" else trad
    ctx.region = region_of(text, ctx.encoding) if dominant == "traditional" else ""
    mixed = len(minority) >= 3 and sum(minority.values()) >= 0.01 * (n_simp + n_trad)
    ctx.source_script = "mixed" if mixed else dominant
    if mixed:
        shown = "".join(c for c, _ in minority.most_common(12))
        ctx.warn("mixed_script", f"the text is mostly {dominant} but has {sum(minority.values())} characters of "
                                 f"the other script ({shown}…)", "warning")
    target = dominant if ctx.script in ("auto", "keep") else ctx.script
    ctx.output_script = target
    if ctx.script == "keep" or (ctx.script == "auto" and not mixed):
        return lines
    if target == dominant and not mixed:
        return lines
    cfg = to_simplified_config(ctx.region) if target == "simplified" else to_traditional_config(ctx.region)
    only = set(minority) if ctx.script == "auto" else None
    # Lines without a minority character stay as they are (OpenCC per line is the cost here).
    has = re.compile("[" + re.escape("".join(sorted(only))) + "]") if only else None
    keep = "t" if dominant == "traditional" else "s"
    return [_convert(line, cfg, only, keep, ctx, runs) if has is None or has.search(line.text) else line
            for line, runs in zip(lines, garbled)]


def _outside(text: str, runs) -> str:
    """The text without its garbled runs."""
    for run in reversed(runs):
        text = text[:run.start] + text[run.end:]
    return text


def _convert(line: Line, cfg: str, only: set | None, keep: str, ctx, garbled=()) -> Line:
    """The line converted; its garbled runs (mojibake) stay as they were found."""
    text, parts, at = line.text, [], 0
    for run in garbled or ():
        parts += [_converted(text[at:run.start], cfg, only, keep), text[run.start:run.end]]
        at = run.end
    new = "".join(parts) + _converted(text[at:], cfg, only, keep)
    if new != text:
        ctx.change(f"script {cfg}", line.no, text, new)
    return Line(new, line.no)


def _converted(text: str, cfg: str, only: set | None, keep: str) -> str:
    """OpenCC over the whole text, so that a word converts as a word (这里 -> 這裏 with s2hk, not
    這里). With `only` (a mixed text), a change stands at a minority character, and at a character
    of both scripts (里 后 体 周) that no dominant-only character (`keep`) stands next to: 之后
    becomes 之後, 干擾 stays."""
    new = converter(cfg).convert(text) if text else text
    if only is not None and len(new) == len(text):
        new = "".join(n if o in only or (o != n and _loose(text, k, keep)) else o
                      for k, (o, n) in enumerate(zip(text, new)))
    return new


def _loose(text: str, k: int, keep: str) -> bool:
    """Whether text[k], a character of both scripts or of neither, stands apart from the dominant
    script's own characters."""
    c = text[k]
    if c not in AMBIGUOUS and _SCRIPT_OF.get(c, "") == keep:
        return False
    return all(_SCRIPT_OF.get(x, "") != keep or x in AMBIGUOUS for x in text[max(k - 1, 0):k] + text[k + 1:k + 2])

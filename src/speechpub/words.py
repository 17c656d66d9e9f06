"""Where Chinese text may be broken without splitting a word (GB/T 9704 7.3.1: a title that
runs over lines keeps its words whole).

Written by hand because the usual segmenter, jieba, costs about 85 MB and 0.6 s per process,
more than a batch worker can spare for titles; this uses jieba's own dictionary, cut down to
its 36,000 commonest words (data/words.txt.gz, made by scripts/make-words) and the newer
words of official speeches it lacks (data/words-extra.txt), with jieba's unigram model: the
segmentation with the highest product of word frequencies.
"""
from __future__ import annotations

import gzip
import math
import re
from functools import lru_cache
from importlib import resources

MAX_WORD = 12
CLINGS_BACK = frozenset("的之")   # particles that stay with the words before them
EXTRA_LOG_FREQ = 9      # ln(frequency) given to the extra words: a common word's
_HANZI_RUN = re.compile("[\u4e00-\u9fff]+")


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], float]:
    """word -> ln(frequency), and the score of a character the dictionary lacks."""
    data = resources.files("speechpub").joinpath("data")
    words = {}
    try:
        for line in gzip.decompress(data.joinpath("words.txt.gz").read_bytes()).decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                word, logf = line.split()
                words[word] = int(logf)
        for line in data.joinpath("words-extra.txt").read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update((w, max(words.get(w, 0), EXTRA_LOG_FREQ)) for w in line.split())
    except (OSError, ValueError, EOFError):    # a damaged install: titles break anywhere, as before
        return {}, 0.0
    total = math.log(sum(math.exp(v) for v in words.values()))
    return {w: v - total for w, v in words.items()}, -total - 5.0


def load() -> None:
    """Read the dictionary now (a batch does it once, before forking its workers)."""
    _dictionary()


def segment(text: str) -> list[str]:
    """The words of a run of hanzi (other text: one piece per character)."""
    words, unknown = _dictionary()
    n = len(text)
    best = [0.0] * (n + 1)          # best[i]: score of the best segmentation of text[i:]
    step = [1] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], step[i] = unknown + best[i + 1], 1
        for j in range(i + 2, min(n, i + MAX_WORD) + 1):
            score = words.get(text[i:j])
            if score is not None and score + best[j] > best[i]:
                best[i], step[i] = score + best[j], j - i
        single = words.get(text[i])
        if single is not None and single + best[i + 1] > best[i]:
            best[i], step[i] = single + best[i + 1], 1
    out, i = [], 0
    while i < n:
        out.append(text[i:i + step[i]])
        i += step[i]
    return out


def boundaries(text: str) -> frozenset[int]:
    """Positions 1..len(text)-1 between two words: inside a run of hanzi where the segmentation
    puts a word boundary, and everywhere else. Traditional text is read in simplified
    characters (the dictionary's), one for one."""
    from .clean.script import converter
    key = converter("t2s").convert(text)
    if len(key) != len(text):
        key = text
    inside = set()
    for m in _HANZI_RUN.finditer(key):
        pos = m.start()
        for word in segment(m.group()):
            inside.update(range(pos + 1, pos + len(word)))
            pos += len(word)
    return frozenset(i for i in range(1, len(text)) if i not in inside and text[i] not in CLINGS_BACK)

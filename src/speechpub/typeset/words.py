"""Where Chinese text may be broken without splitting a word (GB/T 9704 7.3.1: a title that
runs over lines keeps its words whole).

Written by hand because the usual segmenter, jieba, costs about 85 MB and 0.6 s per process,
more than a batch worker can spare for titles; this uses jieba's own dictionary, cut down to
its 36,000 commonest words (data/words.txt.gz, made by scripts/make-words) and the newer
words of official speeches it lacks (data/words-extra.txt), with jieba's unigram model: the
segmentation with the highest product of word frequencies. It loads in 5 ms and costs
under 1 MB.
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


class _Lexicon:
    """Word -> ln(frequency) less ln(total), kept as one string of sorted words per length
    (36,000 separate strings would cost a batch worker 7 MB); looked up by bisection."""

    def __init__(self, rows: dict[int, tuple[str, str]], extra: dict[str, int]):
        self.keys = {n: words for n, (words, _) in rows.items()}
        self.logf = {n: [ord(c) - 48 for c in freqs] for n, (_, freqs) in rows.items()}
        total = sum(math.exp(f) for fs in self.logf.values() for f in fs) + sum(math.exp(f) for f in extra.values())
        self.total = math.log(total) if total else 0.0
        self.extra = {w: f - self.total for w, f in extra.items()}
        self.unknown = -self.total - 5.0 if total else 0.0   # a character it lacks

    def get(self, word: str) -> float | None:
        score = self.extra.get(word)
        if score is not None:
            return score
        n, keys = len(word), self.keys.get(len(word), "")
        lo, hi = 0, len(keys) // n
        while lo < hi:
            mid = (lo + hi) // 2
            if keys[mid * n:mid * n + n] < word:
                lo = mid + 1
            else:
                hi = mid
        if keys[lo * n:lo * n + n] == word:
            return self.logf[n][lo] - self.total
        return None


@lru_cache(maxsize=1)
def _dictionary() -> _Lexicon:
    data = resources.files("speechpub").joinpath("data")
    try:
        rows = {}
        for line in gzip.decompress(data.joinpath("words.txt.gz").read_bytes()).decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                n, words, freqs = line.split()
                rows[int(n)] = (words, freqs)
        extra = {}
        for line in data.joinpath("words-extra.txt").read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                extra.update((w, EXTRA_LOG_FREQ) for w in line.split())
    except (OSError, ValueError, EOFError):    # a damaged install: titles break anywhere, as before
        return _Lexicon({}, {})
    return _Lexicon(rows, extra)


def load() -> None:
    """Read the dictionary now (a batch does it once, before forking its workers)."""
    _dictionary()


def segment(text: str) -> list[str]:
    """The words of a run of hanzi (other text: one piece per character)."""
    words = _dictionary()
    unknown = words.unknown
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


@lru_cache(maxsize=256)
def boundaries(text: str) -> frozenset[int]:
    """Positions 1..len(text)-1 between two words: inside a run of hanzi where the segmentation
    puts a word boundary, and everywhere else. Traditional text is read in simplified
    characters (the dictionary's), one for one."""
    from ..hanzi import converter
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

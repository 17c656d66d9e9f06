"""A text mostly in one script has its other-script sentences converted as words, not character by
character; what is already in the dominant script stays as it is."""
import random

import pytest

from speechpub.clean import clean_text

TRAD = ["今天是一個值得慶祝的日子。", "過去幾年，你們經歷了一段不平凡的求學歲月。", "學院的科研經費首次突破十億港元。",
        "我們要排除一切干擾，堅持到底。", "皇后大道上人來人往。", "這條路全長十二公里。", "最後，祝願各位畢業同學前程錦繡。",
        "疫情期間，課堂搬到了網上，實驗室一度關閉。", "香港也正處於由治及興的新階段。"]
# Simplified sentences with the word each must become in Hong Kong's and Taiwan's characters: a
# character of both scripts (里 体 后 周) converts with the word it is part of.
SIMP = [("在这里，我想和同学们分享三点体会。", {"HK": ["這裏", "體會"], "TW": ["這裡", "體會"]}),
        ("可能五年之后就会过时。", {"HK": ["之後", "會過時"], "TW": ["之後", "會過時"]}),
        ("母校永远是你们最坚强的后盾。", {"HK": ["後盾"], "TW": ["後盾"]}),
        ("我每周读完一本书。", {"HK": ["每週", "讀完"], "TW": ["每週", "讀完"]}),
        ("背后有许多人默默支持。", {"HK": ["背後"], "TW": ["背後"]})]
MARKERS = {"HK": "香港特區政府和立法會的代表出席。", "TW": "臺灣行政院和立法院的代表出席。"}


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("region", ["HK", "TW"])
def test_a_simplified_sentence_in_a_traditional_text_converts_as_words(seed, region):
    rng = random.Random(seed)
    trad = rng.sample(TRAD, 6)
    simp = [SIMP[0]] + rng.sample(SIMP[1:], rng.randint(1, 2))     # enough for a mixed text
    lines = [MARKERS[region]] + trad
    for sentence, _ in simp:
        lines.insert(rng.randint(1, len(lines)), sentence)
    out = clean_text("\n".join(lines)).split("\n")
    for sentence in trad:
        assert sentence in out                    # 干擾 皇后 公里 stay as written
    text = "\n".join(out)
    for sentence, words in simp:
        for word in words[region]:
            assert word in text
    assert not any(c in text for c in "这们会过读许")


def test_the_audit_has_each_converted_line_before_and_after():
    from speechpub.clean import clean
    raw = "\n".join([MARKERS["HK"]] + TRAD[:5] + ["在这里，我想和同学们分享三点体会。"])
    changes = [c for c in clean(raw).context.changes if c.rule.startswith("script")]
    assert [(c.before, c.after) for c in changes] == [("在这里，我想和同学们分享三点体会。", "在這裏，我想和同學們分享三點體會。")]

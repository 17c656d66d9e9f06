"""UTF-8 read as GBK inside a sentence: repaired when every byte is there (and audited), left as
found and reported with what it likely said when bytes were lost; the script rule never touches it."""
import random

import pytest

from speechpub.clean import clean

WORDS = ["龙头企业", "厕所革命", "乡村振兴", "防止返贫动态监测", "高质量发展", "人居环境整治", "农村电商", "粮食安全",
         "产业园", "集体经济", "合作社", "特色产业", "基层党组织", "营商环境", "科技创新", "就业帮扶", "生态保护",
         "安全生产", "美丽乡村", "民生实事"]
FRAMES = ["要加快建设{}，确保取得实效。", "今年，全县扎实推进{}，成效明显。", "我们要把{}摆在突出位置。"]
BODY = ["同志们：", "今天召开全县工作会议，主要任务是部署今年工作。", "刚才，几位同志作了发言，我都同意。"]


def _garbled(word: str) -> str:
    return word.encode("utf-8").decode("gbk", errors="replace")


def _cases():
    rng = random.Random(7)
    for word in WORDS:
        yield word, rng.choice(FRAMES)


@pytest.mark.parametrize("word, frame", list(_cases()))
def test_utf8_read_as_gbk_is_repaired_or_reported_never_altered(word, frame):
    bad = _garbled(word)
    raw = "\n".join(BODY + [frame.format(bad), "谢谢大家。"])
    cleaned = clean(raw)
    text = "\n".join(line.text for line in cleaned.lines)
    warnings = {w.code: w.message for w in cleaned.context.warnings}
    if "\ufffd" not in bad:
        assert frame.format(word) in text
        assert [(c.before, c.after) for c in cleaned.context.changes if c.rule == "mojibake"] == [(bad, word)]
        assert bad in warnings["mojibake_repaired"] and word in warnings["mojibake_repaired"]
    else:
        assert bad in text                                  # as found, script rule or not
        assert "UTF-8 read as GBK" in warnings["damaged_text"]
        assert warnings["unknown_char"].startswith(f"{bad.count(chr(0xFFFD))} character(s)")


def test_damaged_mojibake_in_a_mixed_text_is_left_exactly_as_found():
    bad = _garbled("防止返贫动态监测")
    trad = ["這些問題必須引起我們高度重視。", "我們要認真總結經驗。", "會議對今年的工作作了部署。"]
    raw = "\n".join(BODY + [f"要健全{bad}和帮扶机制。", "要加快建设龙头企业，确保取得实效。"] + trad)
    cleaned = clean(raw)
    text = "\n".join(line.text for line in cleaned.lines)
    assert cleaned.context.source_script == "mixed"         # the traditional lines are converted
    assert "这些问题必须引起我们高度重视。" in text
    assert f"要健全{bad}和帮扶机制。" in text


@pytest.mark.parametrize("text", [
    "王琪、李瑜、张璐、陈鑫、刘淼同志获得表彰。",
    "香港理工學院校長在第二十八屆畢業典禮上的致辭。過去幾年，你們經歷了一段不平凡的求學歲月。",
    "疫情期間，課堂搬到了網上，實驗室一度關閉，實習和交流計劃被迫延期。",
    "鑫淼犇焱垚曌，这些字常见于人名。",
])
def test_rare_and_traditional_hanzi_are_no_mojibake(text):
    cleaned = clean(text)
    assert not [c for c in cleaned.context.changes if c.rule == "mojibake"]
    assert not any(w.code in ("damaged_text", "mojibake_repaired") for w in cleaned.context.warnings)


def test_six_replacement_characters_are_counted_as_six():
    raw = "同志们：\n增长7.2%\ufffd\ufffd增幅较高。\n要健全\ufffd\ufffd机制，\ufffd做好\ufffd\ufffd工作。"
    message = next(w.message for w in clean(raw).context.warnings if w.code == "unknown_char")
    assert message.startswith("7 character(s)")

"""List dots against full stops, and the spaces of titles against stray spaces: generated variants
of each kind, checked for what a reader sees."""
import random

import pytest

from speechpub.clean import clean_text

from conftest import HAN

OPENERS = ["一年下来", "今天", "首先", "同时", "此外", "近年来", "去年", "总的来看", "为此", "金秋九月"]
CLAUSES = ["我从来没有叫过苦", "丹桂飘香", "全县粮食总产量再创新高", "各项工作取得明显成效", "我们要坚定信心",
           "大家辛苦了", "这句话我记了一辈子", "群众的获得感不断增强", "我深深体会到", "发展是第一要务",
           "学校还为每位新生配备了学业导师", "要抓好春耕备耕", "工作有了新的起色", "道路越走越宽"]
ITEMS = ["工业", "农业", "服务业", "教育", "科技", "文化", "卫生", "交通", "水利", "住房"]
PAIRS = ["区委.区政府", "市委.市政府", "县委.县政府", "党委.党组"]


def _sentence(rng) -> str:
    parts = [rng.choice(OPENERS)] if rng.random() < 0.6 else []
    parts += rng.sample(CLAUSES, rng.randint(1, 3))
    return ",".join(parts)


def _hanzi(text: str) -> str:
    return "".join(HAN.findall(text))


@pytest.mark.parametrize("seed", range(60))
def test_a_dot_that_ends_sentences_becomes_a_full_stop(seed):
    rng = random.Random(seed)
    sentences = [_sentence(rng) for _ in range(rng.randint(3, 7))]
    raw = "同志们:" + ".".join(sentences) + "."
    out = clean_text(raw)
    assert "、" not in out
    assert out.count("。") == len(sentences)
    assert _hanzi(out) == _hanzi(raw)


@pytest.mark.parametrize("seed", range(40))
def test_a_stray_dot_before_a_short_opening_clause_is_a_full_stop_beside_full_stops(seed):
    rng = random.Random(seed)
    first, after = _sentence(rng), rng.choice(OPENERS)
    raw = f"{first}.{after},{rng.choice(CLAUSES)}。{_sentence(rng)}。"
    out = clean_text(raw)
    assert "、" not in out and f"。{after}，" in out


@pytest.mark.parametrize("seed", range(40))
def test_a_dot_between_list_items_becomes_a_list_comma(seed):
    rng = random.Random(seed)
    frame = rng.choice(["要统筹推进{}等各项工作。", "{}要加强协调，形成合力。", "今年，{}都有新进展，要继续努力。"])
    items = rng.sample(ITEMS, rng.randint(2 if "等" in frame else 3, 5))     # 今年，水利.农业都: too few to tell
    out = clean_text(frame.format(".".join(items)))
    assert "、".join(items) in out


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("stops", [False, True])
def test_items_that_share_a_character_are_a_list_even_where_dots_end_sentences(pair, stops):
    end = "." if stops else "。"
    raw = f"按照{pair}的部署{end}我们从来没有叫过苦,一年下来{end}各项工作取得明显成效{end}"
    assert pair.replace(".", "、") in clean_text(raw)


@pytest.mark.parametrize("numeral", ["一", "二", "三", "十"])
def test_a_dot_after_a_heading_numeral_is_a_list_comma(numeral):
    assert clean_text(f"{numeral}.总体要求\n要抓落实。").split("\n")[0] == f"{numeral}、总体要求"


@pytest.mark.parametrize("raw, kept", [
    ("学校有百年历史.1923年,先贤创办了学校.这是光荣传统.", "历史。1923年"),
    ('这是给大家上的"第一课".第一,要学会自主学习.大学和中学不同.', "”。第一"),
])
def test_where_dots_end_sentences_a_dot_before_a_number_or_after_a_quote_ends_one(raw, kept):
    assert kept in clean_text(raw)


GROUPS = ["凝心聚力", "奋勇争先", "坚定信心", "真抓实干", "奋斗正当时", "逐梦向未来", "担当作为",
          "全力推动经济高质量发展", "奋力开创集团高质量发展新局面", "守正创新"]


@pytest.mark.parametrize("seed", range(40))
def test_a_title_keeps_one_ideographic_space_between_phrase_groups(seed):
    rng = random.Random(seed)
    groups = rng.sample(GROUPS, rng.randint(2, 3))
    raw = "".join(g + rng.choice([" ", "  ", "\u3000", "\t"]) for g in groups).rstrip()
    title = clean_text(raw + "\n同志们：\n今天开会。").split("\n")[0]
    assert title == "\u3000".join(groups)


@pytest.mark.parametrize("raw, expected", [
    ("陈　明同志在全市经济工作会议上的讲话", "陈明同志在全市经济工作会议上的讲话"),
    ("韦 韬", "韦韬"),
    ("市长　陈　明", "市长\u3000陈明"),
    ("我们要 坚持发展，不断前进。", "我们要坚持发展，不断前进。"),
    ("全县粮食总产量 达到48.6万吨，连续六年稳定。", "全县粮食总产量达到48.6万吨，连续六年稳定。"),
])
def test_a_stray_space_in_a_sentence_or_a_name_still_goes(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("seed", range(30))
def test_a_space_in_a_sentence_goes_wherever_it_falls(seed):
    rng = random.Random(seed)
    text = "，".join(rng.sample(CLAUSES, 3)) + "。"
    at = rng.randrange(1, len(text) - 2)
    raw = text[:at] + rng.choice([" ", "\u3000"]) + text[at:]
    assert clean_text(raw) == text

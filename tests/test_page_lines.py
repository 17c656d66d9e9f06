"""Header lines of a page found by their shape, tested with generated variants: a date with its
labels (alone or after the title on one line), menu rows, short trails, speaker lines of posts the
first documents did not have."""
from __future__ import annotations

import itertools
import random

import pytest

from speechpub.pipeline import from_text

BODY = ["今天召开全市工作会议，主要任务是总结去年工作，分析当前形势，部署今年任务。刚才，几位同志作了发言，讲得都很好。",
        "过去一年，面对复杂严峻的形势，全市上下迎难而上、担当作为，主要指标好于预期，发展质量稳步提升。",
        "同志们，任务已经明确，关键在于落实。让我们振奋精神、真抓实干，奋力完成全年目标任务！"]
TITLE = "在全市检察工作会议上的讲话"
DATES = [("2023-03-02", "2023-03-02"), ("2023年03月02日", "2023-03-02"), ("2023/3/2 10:12", "2023-03-02"),
         ("2023-03-02 08:41:05", "2023-03-02")]
LABELS = ["来源：市人民检察院", "来源：县融媒体中心　浏览次数：2318", "作者：办公室 点击：56", "发布时间：见正文"]


@pytest.mark.parametrize("date,label", list(itertools.product(DATES, LABELS)))
@pytest.mark.parametrize("with_title", [False, True])
def test_a_date_with_its_labels_is_the_page_date(date, label, with_title):
    meta = f"{date[0]}{random.Random(str(date) + label).choice([' ', '  ', '　', ''])}{label}"
    lines = ([f"{TITLE} {meta}"] if with_title else [TITLE, meta]) + ["检察长 吴志强", "同志们：", *BODY]
    doc = from_text("\n".join(lines), "d.txt")
    assert doc.meta.title == TITLE and doc.meta.published == date[1]
    assert (doc.meta.speaker, doc.meta.position) == ("吴志强", "检察长")
    assert [b.kind for b in doc.blocks[:3]] == ["title", "speaker", "salutation"]
    assert [b.text for b in doc.blocks[3:]] == BODY


def test_a_sentence_with_a_date_and_a_colon_stays():
    line = "2023年3月2日来源：这一天，我们召开了全市工作会议。"
    doc = from_text("\n".join([TITLE, "检察长 吴志强", "同志们：", line, *BODY]), "s.txt")
    assert line in doc.text().splitlines()


MENU = ["首页", "时政", "国际", "财经", "观点", "教育", "检务公开", "检察新闻", "网上举报", "联系我们"]


@pytest.mark.parametrize("seed", range(8))
def test_menu_rows_at_the_top_go(seed):
    rng = random.Random(seed)
    items = rng.sample(MENU, rng.randint(3, 6))
    rows = [rng.choice(["|", " | ", "｜", " ｜ "]).join(items),
            f"【{rng.choice(['字体', '字号'])}：大 中 小】 {rng.choice(['打印', '关闭', '收藏'])}"]
    lines = rows[:rng.randint(1, 2)] + [TITLE, "检察长　吴志强", "同志们：", *BODY]
    doc = from_text("\n".join(lines), "m.txt")
    assert doc.meta.title == TITLE
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == BODY


@pytest.mark.parametrize("trail", ["人民网>>时政", "新华网 » 正文", "首页>>领导讲话"])
def test_a_short_trail_with_double_arrows_is_a_breadcrumb(trail):
    doc = from_text("\n".join([trail, TITLE, "检察长　吴志强", "同志们：", *BODY]), "t.txt")
    assert doc.meta.title == TITLE
    assert trail in [r.text for r in doc.removed]


@pytest.mark.parametrize("post", ["检察长", "庭长", "司长", "行长", "社长", "总编辑", "行政长官"])
def test_speaker_lines_with_more_posts(post):
    doc = from_text("\n".join([TITLE, f"党组书记、{post}　吴志强", "同志们：", *BODY]), "p.txt")
    assert (doc.meta.speaker, doc.meta.position) == ("吴志强", f"党组书记、{post}")

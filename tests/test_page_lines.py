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


@pytest.mark.parametrize("sep", ["\t", " ", "  ", "|", "："])
@pytest.mark.parametrize("start", [0, 1])
def test_line_numbers_of_a_copied_listing_go(sep, start):
    lines = [TITLE, "（2023年3月2日）", "检察长　吴志强", "", "同志们：", *BODY]
    numbered = [f"{k}{sep}{x}" for k, x in enumerate(lines, start=start)]
    doc = from_text("\n".join(numbered), "n.txt")
    assert (doc.meta.title, doc.meta.speaker, doc.meta.date) == (TITLE, "吴志强", "2023-03-02")
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == BODY
    assert len([r for r in doc.removed if r.reason == "line number"]) == len(lines)


def test_numbers_that_open_a_few_lines_stay():
    body = ["1998年，我们遇到了特大洪水，全市上下众志成城，夺取了抗洪抢险的全面胜利。", *BODY]
    doc = from_text("\n".join([TITLE, "检察长　吴志强", "同志们：", *body]), "n.txt")
    assert body[0] in doc.text().splitlines()


@pytest.mark.parametrize("word", ["注　　释", "目　　录", "后　　记"])
def test_a_letter_spaced_word_is_one_line(word):
    doc = from_text("\n".join([TITLE, "检察长　吴志强", "同志们：", *BODY, word, "〔1〕这是一条注释。"]), "w.txt")
    assert not {word[0], word[-1]} & set(doc.text().splitlines())


@pytest.mark.parametrize("seed", range(6))
def test_a_print_copy_of_the_page_goes(seed):
    rng = random.Random(seed)
    speech = [TITLE, "检察长　吴志强", "（2023年3月2日）", "同志们：", *BODY,
              "二是要加强队伍建设，坚持严管厚爱结合，锻造忠诚干净担当的检察铁军。"]
    chrome = rng.sample(["打印本页", "关闭窗口", "【字体：大 中 小】"], rng.randint(0, 2))
    copy = ([TITLE] if rng.random() < 0.5 else []) + speech
    doc = from_text("\n".join(speech + chrome + copy), "p.txt")
    assert (doc.meta.title, doc.meta.speaker, doc.meta.date) == (TITLE, "吴志强", "2023-03-02")
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == speech[4:]


@pytest.mark.parametrize("post", ["党委书记、董事长", "党组书记、院长", "董事长"])
def test_a_speaker_line_is_not_run_into_the_subtitle(post):
    lines = ["坚定信心　真抓实干", "——在集团公司2024年工作会议上的讲话", f"{post}　王建华", "（2024年1月25日）",
             "各位代表，同志们：", *BODY]
    m = from_text("\n".join(lines), "s.txt").meta
    assert (m.subtitle, m.speaker, m.position) == (lines[1], "王建华", post)


@pytest.mark.parametrize("buttons", ["【打印】【关闭】", " 【打印本页】 【关闭窗口】", "[打印][关闭]"])
def test_buttons_run_onto_the_last_line_go(buttons):
    doc = from_text("\n".join([TITLE, "检察长　吴志强", "同志们：", *BODY[:2], BODY[2] + buttons]), "b.txt")
    assert doc.text().splitlines()[-1] == BODY[2]
    assert not [w for w in doc.warnings if w.code == "truncated"]


@pytest.mark.parametrize("line,name,post", [("副市长 李 明", "李明", "副市长"), ("市长　陈　明", "陈明", "市长"),
                                            ("区委书记 张 伟", "张伟", "区委书记")])
def test_a_speaker_line_with_a_spaced_name_is_no_menu(line, name, post):
    doc = from_text("\n".join(["首页 | 政务公开 | 领导讲话", TITLE, line, "（2023年3月2日）", "同志们：", *BODY]), "s.txt")
    assert (doc.meta.speaker, doc.meta.position) == (name, post)

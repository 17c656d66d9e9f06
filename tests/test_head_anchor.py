"""The title block found below page chrome nobody listed, and the head lines it is made of
(speaker lines with joined posts, bare date lines, titles broken in two, notes), tested with
generated pages: every combination is built from parts, none is a page from the corpus."""
from __future__ import annotations

import random

import pytest

from speechpub.hanzi import converter
from speechpub.pipeline import from_text

PLACES = ["丰溪县", "桐川市", "云岭区", "澄源县", "江北省", "南湖区", "青禾市"]
ORGS = ["人民政府", "水利厅", "人大网", "农业农村局", "发展和改革委员会", "融媒体中心"]
NAV = ["首页", "政务公开", "政务服务", "互动交流", "English", "无障碍", "长者模式", "机构概况", "走进本地"]
OCCASIONS = ["全县经济工作会议", "全市优化营商环境大会", "全区安全生产工作会议", "全市教育工作会议",
             "全县乡村振兴工作推进会", "全市党风廉政建设和反腐败工作会议"]
POSTS = ["县长", "市长", "区委书记", "厅长", "局长", "区长", "副市长"]
NAMES = ["刘建国", "王海燕", "李明远", "陈志远", "杨光明", "赵德胜", "孙立军"]
SALUTATIONS = ["同志们：", "各位代表：", "各位领导、同志们：", "同志们、朋友们："]
BODY = ["这次会议的主要任务是，认真贯彻落实上级会议精神，总结去年工作，部署今年任务。刚才，几位同志作了发言，"
        "讲得很好，我都同意。下面，我讲几点意见。",
        "过去一年，面对复杂严峻的形势，各级各部门迎难而上、担当作为，主要指标好于预期，发展质量稳步提升，"
        "民生保障持续加强，这些成绩来之不易。",
        "成绩值得肯定，问题也不容忽视。一些领域风险隐患仍然较多，一些干部担当精神不足，工作落实还有差距，"
        "必须下决心加以解决。",
        "同志们，任务已经明确，关键在于落实。让我们振奋精神、真抓实干，奋力完成全年目标任务！"]


def _chrome(rng: random.Random, headline: str) -> list[str]:
    """Page chrome of the kinds sites put above a speech, in words no rule lists."""
    site = rng.choice(PLACES) + rng.choice(ORGS)
    kinds = [
        [site],
        rng.sample(NAV, rng.randint(1, 4)),
        [rng.choice([" | ", "｜", "  "]).join(rng.sample(NAV, 4))],
        [f"{rng.choice(['字号', '字体', '文字'])}：[大] [中] [小]  [{rng.choice(['打印', '收藏'])}]  [关闭]"],
        [str(rng.randint(100, 99999))],
        [headline],
        [f"{rng.choice(['图片说明', '图为'])}：{rng.choice(OCCASIONS)}现场。"],
    ]
    picked = rng.sample(kinds, rng.randint(1, 4))
    return [x for part in picked for x in part]


def _page(seed: int):
    rng = random.Random(seed)
    occasion, name = rng.choice(OCCASIONS), rng.choice(NAMES)
    post = rng.choice(POSTS)
    joined = rng.random() < 0.4
    position = f"{rng.choice(['县委副书记', '党组书记', '市委常委'])}、{post}" if joined else post
    speaker = f"{position}{rng.choice([' ', '　'])}{name}"
    shape = rng.choice(["plain", "slogan", "broken"])
    if shape == "plain":
        title = f"在{occasion}上的讲话"
        head = [title]
    elif shape == "slogan":
        title = rng.choice(["坚定信心真抓实干", "以一流作风推动高质量发展", "凝心聚力奋勇争先"])
        head = [title, f"——在{occasion}上的讲话"]
    else:
        cut = rng.randint(2, len(occasion) - 2)
        title = f"在{occasion}上的讲话"
        head = [f"在{occasion[:cut]}", f"{occasion[cut:]}上的讲话"]
    day = rng.randint(1, 28)
    date = rng.choice([f"（2023年3月{day}日）", f"2023年3月{day}日"])
    lines = head + ([speaker, date] if rng.random() < 0.5 else [date, speaker])
    if rng.random() < 0.3:
        lines.append("（根据录音整理）")
    salutation = rng.choice(SALUTATIONS)
    chrome = _chrome(rng, f"{name}在{occasion}上的讲话")
    page = chrome + lines + [salutation] + BODY
    return "\n".join(page) + "\n", dict(title=title, name=name, position=position, date=f"2023-03-{day:02d}",
                                         occasion=occasion, salutation=salutation, chrome=chrome)


@pytest.mark.parametrize("seed", range(60))
def test_title_block_below_unlisted_chrome(seed):
    text, want = _page(seed)
    doc = from_text(text, f"page{seed}.txt")
    m = doc.meta
    assert (m.title, m.speaker, m.position, m.date, m.occasion) == \
        (want["title"], want["name"], want["position"], want["date"], want["occasion"]), text
    assert [b.text for b in doc.by_kind("salutation")] == [want["salutation"]]
    body = [b.text for b in doc.blocks if b.kind in ("paragraph", "closing")]
    assert body == BODY, text                     # nothing of the speech lost, no chrome in it
    removed = "".join(r.text for r in doc.removed).replace(" ", "").replace("\u3000", "")
    for line in want["chrome"]:         # each line of chrome went out, audited
        assert line.replace(" ", "") in removed, line


def test_speech_above_the_title_is_never_taken_for_chrome():
    """Two sentences of a news lead over the title: the anchor does not drop them."""
    lead = "本报讯 3月5日，全市经济工作会议召开。会议总结了去年工作，部署了今年任务。"
    text = "\n".join([lead, "在全市经济工作会议上的讲话", "（2023年3月5日）", "市长 王海燕", "同志们：", *BODY])
    doc = from_text(text, "lead.txt")
    assert lead in doc.text()
    assert not [r for r in doc.removed if r.reason == "page chrome above the title"]


@pytest.mark.parametrize("first", ["在全市经济工作会议上的讲话", "政府工作报告", "坚定信心　真抓实干"])
def test_a_title_on_the_first_line_is_kept(first):
    text = "\n".join([first, "市长 王海燕", "（2023年3月5日）", "同志们：", *BODY])
    doc = from_text(text, "t.txt")
    assert doc.meta.title == first
    assert not [r for r in doc.removed if r.reason == "page chrome above the title"]


@pytest.mark.parametrize("line,name,position", [
    ("县委副书记、县长　刘建国", "刘建国", "县委副书记、县长"),
    ("市教育局党组书记、局长 郑晓燕", "郑晓燕", "市教育局党组书记、局长"),
    ("校长　王树林教授", "王树林", "校长"),
    ("院长 李华院士", "李华", "院长"),
])
def test_speaker_line_shapes(line, name, position):
    text = "\n".join(["在全县安全生产工作会议上的讲话", line, "（2023年3月2日）", "同志们：", *BODY])
    doc = from_text(text, "s.txt")
    assert (doc.meta.speaker, doc.meta.position, doc.meta.date) == (name, position, "2023-03-02")
    assert [b.kind for b in doc.blocks[:4]] == ["title", "speaker", "dateline", "salutation"]


def test_speaker_named_in_the_subtitle():
    text = "\n".join(["凝心聚力　奋力开创高质量发展新局面", "——董事长张国栋在集团公司2024年工作会议上的讲话",
                      "（2024年1月18日）", "同志们：", *BODY])
    m = from_text(text, "s.txt").meta
    assert (m.speaker, m.position, m.occasion) == ("张国栋", "董事长", "集团公司2024年工作会议")


def test_title_only_in_the_breadcrumb():
    """No title line: the trail's last crumb names the speech; the speaker line is no title."""
    text = "\n".join(["当前位置：首页 > 领导活动 > 在全市安全生产工作会议上的讲话", "副市长 李明", "2023年4月6日",
                      "同志们：", *BODY])
    doc = from_text(text, "b.txt")
    assert doc.meta.title == "在全市安全生产工作会议上的讲话"
    assert (doc.meta.speaker, doc.meta.date) == ("李明", "2023-04-06")
    assert [b.kind for b in doc.blocks[:3]] == ["speaker", "dateline", "salutation"]


CLAUSE_HEADS = ["坚持政治引领，筑牢思想根基", "聚焦主责主业，推动高质量发展", "改进工作作风，提升履职效能",
                "第一个问题：准确把握当前形势", "第二个问题：突出抓好重点任务"]


PARAS = BODY[1:] + ["下一步，要坚持问题导向，逐项列出清单、明确责任、限时整改，确保各项任务落到实处、见到实效。"]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_unnumbered_headings_with_a_comma_stay_headings(n):
    """Sibling headings of one shape (phrase，phrase) each over a paragraph: never glued onto it."""
    lines = ["2022年度个人述职报告", "局长 陈志远", "（2023年1月13日）", "各位领导、同志们：", BODY[0]]
    for head, para in zip(CLAUSE_HEADS[:n], PARAS):
        lines += [head, para]
    doc = from_text("\n".join(lines), "c.txt")
    assert [b.text for b in doc.by_kind("heading")] == CLAUSE_HEADS[:n]
    for para in PARAS[:n]:
        assert para in doc.text().splitlines()


def test_one_phrase_line_broken_from_its_sentence_is_rejoined():
    """A single line of the same shape is a sentence the page broke: it is joined."""
    lines = ["在全县经济工作会议上的讲话", "县长 刘建国", "同志们：", BODY[0], "今年以来，全县上下",
             "认真贯彻落实各项决策部署，经济运行稳中有进，主要指标好于预期，发展质量稳步提升。", BODY[3]]
    doc = from_text("\n".join(lines), "j.txt")
    assert "今年以来，全县上下认真贯彻落实各项决策部署，经济运行稳中有进，主要指标好于预期，发展质量稳步提升。" \
        in doc.text().splitlines()
    assert not doc.by_kind("heading")


def _meta_lines(rng: random.Random) -> list[str]:
    """What an article platform prints between the headline and the text, in made-up words."""
    account = rng.choice(["清河发布", "云岭融媒", "南湖之声"])
    pool = [f"原创 {account} {account} 2023-07-0{rng.randint(1, 9)} 19:30 发表于{rng.choice(['山东', '云南'])}",
            "收录于合集", f"#{rng.choice(['重要讲话', '领导活动'])} {rng.randint(2, 30)}个",
            f"作者 | {rng.choice(['县委宣传部', '本台记者'])}", f"来源 | {account}",
            f"▲{rng.randint(1, 12)}月{rng.randint(1, 28)}日，大会在县会议中心召开。"]
    return rng.sample(pool, rng.randint(2, len(pool)))


@pytest.mark.parametrize("seed", range(12))
def test_article_meta_lines_under_the_title_go(seed):
    rng = random.Random(seed)
    title = f"县委书记{rng.choice(NAMES)}在{rng.choice(OCCASIONS)}上的讲话"
    meta = _meta_lines(rng)
    heads = rng.sample(CLAUSE_HEADS, 3)
    lines = [title, *meta, "同志们：", BODY[0]]
    for k, (head, para) in enumerate(zip(heads, PARAS)):
        lines += [f"0{k + 1}", head, para]
    doc = from_text("\n".join(lines), f"wx{seed}.txt")
    assert doc.meta.title == title
    assert [b.kind for b in doc.blocks[:2]] == ["title", "salutation"]
    assert [b.text for b in doc.by_kind("heading")] == [f"0{k + 1}\u3000{h}" for k, h in enumerate(heads)]
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == [BODY[0], *PARAS[:3]]


@pytest.mark.parametrize("closing", ["多谢各位！", "谢谢大家！"])
@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_closing_words(closing, script):
    text = "\n".join(["在开学典礼上的讲话", "校长 王树林", "同学们：", *BODY, closing])
    if script == "traditional":
        text = converter("s2t").convert(text)
    doc = from_text(text, "c.txt")
    assert doc.blocks[-1].kind == "closing" and doc.blocks[-1].text == text.splitlines()[-1]

"""Parsing: the seed's model as a reviewer reads it, the real corpus, and the speech anatomy."""
import re

import pytest

from speechpub.hanzi import converter
from speechpub.pipeline import from_source, from_text, load
from speechpub.read import decode

from conftest import CORPUS, FIXTURES, SEED

SEED_H1 = ["一、增强发展意识，做奋发有为的表率", "二、增强实干意识，做务实高效的表率", "三、增强公仆意识，做勤政为民的表率",
           "四、增强大局意识，做团结协作的表率", "五、增强廉政意识，做廉洁奉公的表率"]


def test_seed_meta(seed_doc):
    m = seed_doc.meta
    assert (m.title, m.speaker, m.position, m.occasion, m.kind) == \
        ("鲍秀英代区长在区长办公会上的讲话", "鲍秀英", "代区长", "区长办公会", "讲话")
    assert m.date == "2011-11-21"
    assert m.published == "2017-07-15"          # the web page's date, not the speech's
    assert (m.script, m.source_encoding, m.language) == ("simplified", "utf-8", "zh-CN")


def test_seed_blocks(seed_doc):
    kinds = [b.kind for b in seed_doc.blocks]
    assert kinds[:3] == ["title", "dateline", "salutation"]
    assert seed_doc.by_kind("dateline")[0].text == "（二〇一一年十一月二十一日）"
    assert seed_doc.by_kind("salutation")[0].text == "同志们："
    heads = seed_doc.by_kind("heading")
    assert [(h.level, h.text) for h in heads] == [(1, t) for t in SEED_H1]
    assert len(seed_doc.by_kind("paragraph")) == 21


def test_seed_split_paragraphs_are_rejoined(seed_doc):
    body = seed_doc.text()
    for joined in ("预见性、科学性", "意见，也会放权", "当亲人，群众才会"):
        assert joined in body
    assert sum(c.rule == "rejoin_split_paragraphs" for c in seed_doc.changes) == 3


def test_seed_boilerplate_removed_not_in_text(seed_doc):
    text = seed_doc.text()
    for noise in ("字体", "浏览", "文章简介", "2017-07-15", "鲍秀英讲话 12"):
        assert noise not in text
    removed = {r.reason: r for r in seed_doc.removed}
    assert removed["page title"].line == 1 and removed["page title"].text.startswith("鲍秀英讲话 12")
    assert removed["page publish date"].text == "2017-07-15"
    assert removed["abstract repeating the opening"].text.startswith("文章简介")
    assert {"字体:", "浏览:"} <= {r.text for r in seed_doc.removed}


def test_seed_truncation_is_an_error_level_warning(seed_doc):
    w = [w for w in seed_doc.warnings if w.code == "truncated"]
    assert len(w) == 1 and w[0].level == "error" and "认真执行" in w[0].message


def test_seed_stray_spaces_gone(seed_doc):
    assert "能力。毛主席" in seed_doc.text() and "一日不读”" in seed_doc.text()


EXPECT = {
    "02_ningxia-gwr-2026-portal-boilerplate.txt": dict(
        title="政府工作报告", speaker="张雨浦", position="自治区人民政府主席", date="2026-02-03",
        published="2026-02-09", kind="报告", h1=3, first_h1="一、2025年工作总结和“十四五”发展成就"),
    "03_yunnan-gwr-2026-portal-boilerplate.txt": dict(
        title="2026年政府工作报告", speaker="王予波", position="省长", date="2026-01-28",
        published="2026-02-03", kind="报告", h1=3, first_h1="一、“十四五”时期和2025年工作回顾"),
    "05_guizhou-gwr-2026-caption.txt": dict(
        title="政府工作报告", speaker="李炳军", position="省长", date="2026-01-27", published="",
        kind="报告", h1=3, first_h1="一、2025年和“十四五”时期工作回顾"),
    "07_xi-2020-poverty-symposium-oneline.txt": dict(
        title="", speaker="", position="", date="2020-03-06", published="2020-03-07", kind="",
        h1=4, first_h1="一、我国脱贫攻坚取得决定性成就"),
    "12_deng-1978-science-conference-crlf.txt": dict(
        title="在全国科学大会开幕式上的讲话", speaker="邓小平", position="", date="1978-03-18", published="",
        kind="讲话", h1=0, first_h1=None),
    "16_tsai-2016-inaugural-trad-bom.txt": dict(
        title="", speaker="", position="", date="", published="", kind="", h1=8, first_h1="感謝與承擔"),
}

PORTAL_NOISE = ("当前位置", "您的位置", "发表时间", "来源：", "阅读量", "字体", "扫一扫", "打印本页", "关闭窗口",
                "分享到", "相关文档", "收藏", " 摄", "记者", "人民日报 》", "新华社北京")


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_file(path, corpus_docs):
    doc = corpus_docs[path.name]
    e = EXPECT[path.name]
    m = doc.meta
    assert (m.title, m.speaker, m.position, m.date, m.published, m.kind) == \
        (e["title"], e["speaker"], e["position"], e["date"], e["published"], e["kind"])
    h1 = [b.text for b in doc.blocks if b.kind == "heading" and b.level == 1]
    assert len(h1) == e["h1"]
    if e["first_h1"]:
        assert h1[0] == e["first_h1"]
    text = doc.text()
    for noise in PORTAL_NOISE:
        assert noise not in text, noise
    assert all(b.text for b in doc.blocks)
    assert doc.by_kind("salutation"), "every corpus speech has a salutation"


def test_portal_boilerplate_is_audited(corpus_docs):
    removed = " ".join(r.text for r in corpus_docs["02_ningxia-gwr-2026-portal-boilerplate.txt"].removed)
    for noise in ("当前位置：", "发表时间：", "2026-02-09 09:45:30", "宁夏日报客户端", "阅读量：", "【字体：",
                  "宁夏日报记者 王鼎 摄", "扫一扫在手机打开当前页", "打印本页", "关闭窗口", "2026年宁夏回族自治区政府工作报告"):
        assert noise in removed, noise
    yunnan = " ".join(r.text for r in corpus_docs["03_yunnan-gwr-2026-portal-boilerplate.txt"].removed)
    for noise in ("您的位置:", "来源：云南日报", "2026-02-03 09:02:33", "收藏", "分享到:", "相关文档："):
        assert noise in yunnan, noise
    xi = [r.text for r in corpus_docs["07_xi-2020-poverty-symposium-oneline.txt"].removed]
    assert xi == ["（新华社北京3月6日电）", "《 人民日报 》（ 2020年03月07日 02 版）"]


def test_run_in_headings_and_inline_lists(corpus_docs):
    ningxia = corpus_docs["02_ningxia-gwr-2026-portal-boilerplate.txt"]
    runin = [b for b in ningxia.blocks if b.lead_level]
    assert runin[0].lead == "（一）着力贯彻新发展理念，在全面推动经济提质增效上开新局。"
    assert runin[0].lead_level == 2 and runin[0].text.startswith(runin[0].lead) and len(runin[0].text) > len(runin[0].lead)
    guizhou = corpus_docs["05_guizhou-gwr-2026-caption.txt"]
    inline = [b for b in guizhou.blocks if "（1）做好重点群体" in b.text]
    assert len(inline) == 1 and inline[0].kind == "paragraph" and not inline[0].lead_level


def test_inline_enumerations_are_not_headings(seed_doc):
    for b in seed_doc.blocks:
        if re.match(r"^[一二三四五]要", b.text):
            assert b.kind == "paragraph" and not b.lead_level


def test_deng_anatomy(corpus_docs):
    doc = corpus_docs["12_deng-1978-science-conference-crlf.txt"]
    assert [b.kind for b in doc.blocks[:4]] == ["title", "dateline", "speaker", "salutation"]
    assert doc.blocks[1].text == "（一九七八年三月十八日）"
    assert doc.blocks[-1].kind == "closing" and doc.blocks[-1].text == "祝科学兴旺发达！祝大会圆满成功！"
    assert "〔43〕" in doc.text()                      # note markers stay
    assert any(b.kind == "paragraph" and b.text == "同志们！" for b in doc.blocks)
    assert doc.meta.occasion == "全国科学大会开幕式"


def test_tsai_traditional_stays_traditional(corpus_docs):
    doc = corpus_docs["16_tsai-2016-inaugural-trad-bom.txt"]
    m = doc.meta
    assert (m.script, m.source_script, m.region, m.language, m.source_encoding) == \
        ("traditional", "traditional", "TW", "zh-TW", "utf-8-sig")
    assert doc.blocks[0].kind == "salutation" and doc.blocks[0].text.endswith("大家好")
    assert "臺" not in doc.text() and "台灣" in doc.text()       # the speaker's own characters
    assert doc.blocks[-1].kind == "closing" and doc.blocks[-1].text == "謝謝大家。"
    assert not [w for w in doc.warnings if w.code == "mixed_script"]


def test_tsai_to_simplified():
    doc = load(FIXTURES / "16_tsai-2016-inaugural-trad-bom.txt", script="simplified")
    assert doc.meta.script == "simplified" and doc.meta.language == "zh-CN"
    assert "台湾" in doc.text() and "謝謝" not in doc.text() and doc.blocks[-1].text == "谢谢大家。"


BASE = None


def _seed_text():
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("variant", ["gb18030", "utf-16", "crlf", "halfwidth"])
def test_same_speech_in_other_clothes_gives_the_same_model(variant, seed_doc):
    raw = _seed_text()
    if variant == "crlf":
        data = raw.replace("\n", "\r\n").encode("utf-8")
    elif variant == "halfwidth":
        data = raw.translate(str.maketrans("，：；？！（）", ",:;?!()")).encode("utf-8")
    else:
        data = raw.encode(variant)
    doc = from_source(decode(data, variant), variant)
    assert doc.blocks == seed_doc.blocks
    assert doc.meta.title == seed_doc.meta.title and doc.meta.date == seed_doc.meta.date


def test_traditional_big5_back_to_simplified(seed_doc):
    trad = converter("s2tw").convert(_seed_text())
    doc = from_source(decode(trad.encode("big5"), "big5"), "big5", script="simplified")
    assert doc.meta.source_encoding == "big5" and doc.meta.source_script == "traditional"
    assert doc.blocks == seed_doc.blocks
    assert doc.meta.speaker == "鲍秀英" and doc.meta.occasion == "区长办公会"


def test_traditional_input_parses_its_anatomy():
    trad = converter("s2tw").convert(_seed_text())
    doc = from_source(decode(trad.encode("big5"), "big5"), "big5")
    assert doc.meta.script == "traditional" and doc.meta.title == "鮑秀英代區長在區長辦公會上的講話"
    assert (doc.meta.speaker, doc.meta.position, doc.meta.kind) == ("鮑秀英", "代區長", "讲话")
    assert "字體" not in doc.text()                      # boilerplate found in traditional too


def test_numbering_gap_and_repeat():
    doc = from_text("某某在会上的讲话\n同志们：\n一、第一件事\n正文。\n三、第三件事\n正文。\n三、又是第三\n正文。")
    codes = [w.code for w in doc.warnings]
    assert "numbering_gap" in codes and "numbering_repeat" in codes


def test_salutation_forms():
    for s in ("同志们：", "各位代表：", "同胞们，同志们，朋友们：", "女士们、先生们：", "尊敬的各位来宾："):
        doc = from_text(f"某某在会上的讲话\n{s}\n今天开会。")
        assert doc.by_kind("salutation")[0].text == s


def test_title_glued_to_date_and_salutation():
    doc = from_text("某某在区长办公会上的讲话(二○一一年十一月二十一日)同志们:今天是第一天,我们开会。")
    assert [b.kind for b in doc.blocks] == ["title", "dateline", "salutation", "paragraph"]
    assert doc.meta.date == "2011-11-21"


def test_subtitle_gives_date_and_occasion():
    doc = from_text("政府工作报告\n——2026年2月3日在某某第四次会议上\n各位代表：\n现在报告工作。")
    assert doc.by_kind("subtitle")[0].text.startswith("——")
    assert doc.meta.date == "2026-02-03" and doc.meta.occasion == "某某第四次会议" and doc.meta.kind == "报告"


def test_four_heading_levels():
    doc = from_text("标题在会上的讲话\n同志们：\n一、大标题\n（一）二级标题\n1.三级标题\n（1）四级标题\n正文在这里。")
    assert [(b.kind, b.level) for b in doc.blocks[2:6]] == [("heading", 1), ("heading", 2), ("heading", 3), ("heading", 4)]


def test_numbers_are_not_level3_headings():
    doc = from_text("标题在会上的讲话\n同志们：\n3.5亿元的投资已经到位。")
    assert doc.blocks[-1].kind == "paragraph"


def test_every_heading_form_opens_with_a_heading_opener():
    """patterns.heading_form looks only at texts opening with HEADING_OPENERS or a decimal digit."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from speechpub.patterns import HEADING_FORMS, HEADING_OPENERS

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def check(data):
        _, rx = data.draw(st.sampled_from(HEADING_FORMS))
        text = data.draw(st.from_regex(rx))
        assert text[:1] in HEADING_OPENERS or text[:1].isdecimal(), text
    check()


@pytest.mark.parametrize("number", ["（1）", "（一）", "1.", "一、"])
@pytest.mark.parametrize("item", ["规模以上企业达到6100家，实现营业收入2.1万亿元，同比增长7.8%。",
                                  "全面加强耕地保护，坚决遏制耕地“非农化”，确保耕地保有量不低于国家下达任务。",
                                  "新创建国家现代农业产业园2个、农业产业强镇8个、省级产业集群3个。"])
def test_a_numbered_sentence_is_a_list_item_not_a_heading(number, item):
    """A numbered line that is one whole sentence is an item of a list, printed as a paragraph;
    a short numbered line without a sentence end stays a heading."""
    text = "\n".join(["在全市工作会议上的讲话", "市长 张三", "同志们：", "今天召开会议，部署今年工作。",
                      number + "加快乡村产业发展", number + item, "要加快推进，确保完成任务。"])
    doc = from_text(text, "items.txt")
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds[number + item] == "paragraph"
    assert kinds[number + "加快乡村产业发展"] == "heading"


@pytest.mark.parametrize("head", ["（一）聚力项目建设，增强发展后劲。", "（二）深化理论武装，筑牢共同思想政治基础。",
                                  "一、产业发展提质增效。"])
def test_a_short_numbered_line_ending_in_a_full_stop_over_its_paragraph_is_a_heading(head):
    text = "\n".join(["在全市工作会议上的讲话", "市长 张三", "同志们：", "今天召开会议，部署今年工作。", head,
                      "要坚持项目为王，全年新开工亿元以上项目120个，完成投资500亿元以上。", "谢谢大家。"])
    assert {b.text: b.kind for b in from_text(text, "h.txt").blocks}[head] == "heading"


@pytest.mark.parametrize("title,kind", [("行政长官在创新科技博览开幕典礼致辞（只有中文）", "致辞"),
                                        ("在全市工作会议上的讲话（摘要）", "讲话"), ("在毕业典礼上的致辞全文", "致辞")])
def test_the_kind_before_a_bracketed_remark(title, kind):
    doc = from_text("\n".join([title, "同志们：", "今天召开会议，部署今年工作。", "谢谢大家。"]), "k.txt")
    assert doc.meta.kind == kind


@pytest.mark.parametrize("note", ["这是在中国共产党第八次全国代表大会上的发言〔1〕。", "这是在中央工作会议闭幕会上的讲话。",
                                  "这是给全国青年的一封信。"])
def test_an_editors_note_under_the_date_is_kept_as_a_note(note):
    doc = from_text("\n".join(["加强党的团结", "（一九五六年九月十八日）", note, "同志们：",
                               "我完全同意这个报告。我们党是团结的，这是我们的力量所在。", "谢谢大家。"]), "n.txt")
    assert [b.kind for b in doc.blocks[:4]] == ["title", "dateline", "note", "salutation"]
    assert doc.blocks[2].text == note


@pytest.mark.parametrize("salutation", ["校监、校长、各位嘉宾、各位毕业同学、各位家长：", "书记、市长、各位代表：",
                                        "主任、各位委员：", "院长、各位老师、同学们："])
def test_a_salutation_opening_with_bare_posts(salutation):
    doc = from_text("\n".join(["在毕业典礼上的致辞", "校长 王树林", salutation, "今日我好荣幸能够参加毕业典礼。",
                               "谢谢大家。"]), "s.txt")
    assert [b.text for b in doc.by_kind("salutation")] == [salutation]


def test_a_short_item_after_a_long_one_of_its_list_stays_an_item():
    items = ["（1）规模以上农产品加工企业达到6100家，实现营业收入2.1万亿元，同比增长7.8%。",
             "（2）新创建国家现代农业产业园2个、农业产业强镇8个。", "（3）新增龙头企业12家。"]
    text = "\n".join(["在全省农业工作会议上的讲话", "厅长 吴海涛", "同志们：", "去年，全省农业农村工作取得新成效。",
                      "1.农产品加工业提质增效", *items, "2.特色产业集群加快壮大", "今年要继续抓好产业发展。", "谢谢大家。"])
    doc = from_text(text, "l.txt")
    kinds = {b.text: b.kind for b in doc.blocks}
    assert [kinds[t] for t in items] == ["paragraph"] * 3
    assert not [w for w in doc.warnings if w.code.startswith("numbering")]

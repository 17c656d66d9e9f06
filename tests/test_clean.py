"""Cleaning rules, one behaviour at a time, and the properties every cleaning must keep."""
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from speechpub.clean import RULE_NAMES, clean, clean_text
from speechpub.errors import SpeechpubError
from speechpub.pipeline import from_text, load

from conftest import ALL_INPUTS, HAN, SEED, unremoved_hanzi


# (name, input, expected cleaned text)
CASES = [
    ("half-width punctuation next to hanzi", "我们要坚持,也要创新:一是学习;二是实践?对!",
     "我们要坚持，也要创新：一是学习；二是实践？对！"),
    ("numbers, times and URLs keep their marks", "增长3.5%，达到3,000亿元，时间09:45，网址http://www.gov.cn。",
     "增长3.5%，达到3,000亿元，时间09:45，网址http://www.gov.cn。"),
    ("parentheses around Chinese text", "(二○一一年十一月二十一日)", "（二〇一一年十一月二十一日）"),
    ("Latin in parentheses inside Chinese", "国内生产总值(GDP)增长", "国内生产总值（GDP）增长"),
    ("straight quotes pair up", '他说"饭可以一日不吃"，又说"书不可一日不读"。',
     "他说“饭可以一日不吃”，又说“书不可一日不读”。"),
    ("ellipsis and dash", "我们要学习...还要实践--这是关键。", "我们要学习……还要实践——这是关键。"),
    ("full-width digits and Latin", "２０２６年ＧＤＰ增长５％。", "2026年GDP增长5％。"),
    ("list dot between hanzi that share a word", "按照区委.区政府的部署。", "按照区委、区政府的部署。"),
    ("sentence dot between hanzi", "认真抓好落实.时近年关岁末,要加油.", "认真抓好落实。时近年关岁末，要加油。"),
    ("circle and zero in Chinese-numeral years", "二○一一年，二O一二年，二0一三年", "二〇一一年，二〇一二年，二〇一三年"),
    ("stray spaces between hanzi and before closing marks", "提升学习能力。 毛主席说“书不可以一日不读 ”。",
     "提升学习能力。毛主席说“书不可以一日不读”。"),
    ("zero-width and bidi characters go", "同志\u200b们\u200e：今天\u2060开会。", "同志们：\n今天开会。"),
    ("a connecting dash between two names stays one em wide (GB/T 15834 连接号)", "中国—东盟博览会在南宁开幕。",
     "中国—东盟博览会在南宁开幕。"),
    ("name line keeps one ideographic space", "省长    王予波", "省长\u3000王予波"),
    ("paragraph split mid-sentence is rejoined", "要认真研判上级政策文件，不断增强工作的预见性、科\n\n学性，切实提高能力。",
     "要认真研判上级政策文件，不断增强工作的预见性、科学性，切实提高能力。"),
    ("heading after an open paragraph is not joined", "我们要做好以下工作，\n二、增强实干意识\n抓政府工作必须要务实。",
     "我们要做好以下工作，\n二、增强实干意识\n抓政府工作必须要务实。"),
    ("one-line file with ideographic-space paragraphs", "同志们：\u3000\u3000今天开会。\u3000\u3000一、总体要求\u3000\u3000要抓落实。",
     "同志们：\n今天开会。\n一、总体要求\n要抓落实。"),
    ("HTML tags and entities", "<p>同志们：</p><p>今天&nbsp;开会&amp;学习。</p>", "同志们：\n今天开会&学习。"),
    ("a line left open by an opening mark joins the next", "（\n三）改革开放持续深化。", "（三）改革开放持续深化。"),
    ("hard-wrapped blocks become one paragraph each",
     "同志们：\n\n我们要认真研判上级政策文件不断增强工作的预见性\n科学性切实提高增强推动科学发展的能力和水平啊\n当前重点要深入学习。\n\n第二段。",
     "同志们：\n我们要认真研判上级政策文件不断增强工作的预见性科学性切实提高增强推动科学发展的能力和水平啊当前重点要深入学习。\n第二段。"),
]


@pytest.mark.parametrize("name, raw, expected", CASES, ids=[c[0] for c in CASES])
def test_rule(name, raw, expected):
    assert clean_text(raw) == expected


BOILERPLATE = """鲍秀英讲话 12鲍秀英代区长在区长办公会上的讲话
2017-07-15
字体:
浏览:
当前位置：首页 > 政务信息 > 要闻
来源：
宁夏日报客户端
阅读量：
【字体：
小
中
大
】
鲍秀英代区长在区长办公会上的讲话
同志们：
今天开会，研究工作。
2月3日，大会在银川开幕。 宁夏日报记者 王鼎 摄
扫一扫在手机打开当前页
【
打印本页
】
关闭窗口
分享到:
相关文档：
某某会议召开
（新华社北京3月6日电）
《 人民日报 》（ 2020年03月07日 02 版）
"""


def test_boilerplate_goes_to_removed_with_reasons():
    c = clean(BOILERPLATE)
    assert [line.text for line in c.lines] == ["鲍秀英代区长在区长办公会上的讲话", "同志们：", "今天开会，研究工作。"]
    reasons = {r.text: r.reason for r in c.context.removed}
    assert reasons["鲍秀英讲话 12鲍秀英代区长在区长办公会上的讲话"] == "page title"
    assert reasons["2017-07-15"] == "page publish date"
    assert reasons["宁夏日报客户端"].startswith("page label 来源")
    assert reasons["（新华社北京3月6日电）"] == "newswire dateline"
    assert reasons["《 人民日报 》（ 2020年03月07日 02 版）"] == "newspaper tail"
    assert "photo caption" in reasons["2月3日，大会在银川开幕。 宁夏日报记者 王鼎 摄"]
    # each removal knows its input line
    lines = BOILERPLATE.split("\n")
    for r in c.context.removed:
        assert r.text in lines[r.line - 1]
    assert c.context.published == "2017-07-15"


def test_abstract_that_repeats_the_opening_is_removed():
    text = ("文章简介:某某在会上的讲话(二○一一年十一月二十一日)同志们:今天是我到区政府工作的第一天,也是第一次主持召开区长办公会\n"
            "某某在会上的讲话\n同志们：\n今天是我到区政府工作的第一天，也是第一次主持召开区长办公会，我都同意。\n")
    c = clean(text)
    assert c.context.removed[0].reason == "abstract repeating the opening"
    assert all(not line.text.startswith("文章简介") for line in c.lines)


def test_only_boilerplate_is_an_error():
    with pytest.raises(SpeechpubError, match="only boilerplate"):
        clean("字体:\n浏览:\n打印本页\n关闭窗口\n")


def test_rules_can_be_switched_off_by_name():
    assert clean_text("我们要坚持,也要创新。") == "我们要坚持，也要创新。"
    assert "halfwidth_punct" in RULE_NAMES
    out = "\n".join(line.text for line in clean("我们要坚持,也要创新。", skip={"halfwidth_punct"}).lines)
    assert out == "我们要坚持,也要创新。"


def test_every_change_is_audited(seed_doc):
    rules = {c.rule for c in seed_doc.changes}
    assert {"halfwidth_punct", "parentheses", "zero_in_dates", "stray_spaces", "rejoin_split_paragraphs"} <= rules
    assert all(c.line >= 1 for c in seed_doc.changes)


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.name)
def test_nothing_lost_on_real_inputs(path):
    """Every hanzi of the input is in the output text or in `removed`, in order."""
    doc = load(path)
    raw = path.read_text(encoding="utf-8")
    kept = unremoved_hanzi(raw, doc)
    if doc.meta.source_script == "mixed":
        pytest.skip("mixed script: characters were converted")
    assert "".join(HAN.findall(doc.text())) == kept


@pytest.mark.parametrize("path", ALL_INPUTS, ids=lambda p: p.name)
def test_cleaning_is_idempotent_on_real_inputs(path):
    doc = load(path)
    again = from_text(doc.text())
    assert again.text() == doc.text()
    assert [(b.kind, b.level) for b in again.blocks] == [(b.kind, b.level) for b in doc.blocks]
    assert not again.changes and not again.removed


# Generated speeches: hanzi, punctuation (half- and full-width), spaces, newlines, numbers,
# and boilerplate-looking lines.
_PIECES = st.sampled_from(list("我们要坚持发展改革创新人民群众工作同志一二三区委政府学习") +
                          list("，。、；：？！（）“”,.;:?!()\"' \u3000\n") +
                          ["\n\n", "一、", "（一）", "1.", "（1）", "3.5", "2011年", "二○一一年", "...", "--",
                           "同志们：", "\n字体:\n", "\n浏览:\n", "http://a.cn", "<p>", "&amp;"])
SPEECHES = st.lists(_PIECES, min_size=1, max_size=120).map("".join)


@settings(max_examples=int(os.environ.get("SPEECHPUB_EXAMPLES", 300)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SPEECHES)
def test_property_clean_is_idempotent_and_loses_nothing(raw):
    try:
        doc = from_text(raw)
    except SpeechpubError:
        return                                  # empty or only boilerplate: a clear error
    assert from_text(doc.text()).text() == doc.text()
    assert "".join(HAN.findall(doc.text())) == unremoved_hanzi(raw, doc)
    assert all(b.text for b in doc.blocks)
    assert not re.search(r"[\u4e00-\u9fff][,;?!]|[,;?!][\u4e00-\u9fff]", doc.text())


def test_seed_has_no_halfwidth_punctuation_next_to_hanzi(seed_doc):
    assert not re.search(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]", seed_doc.text())


def test_seed_raw_is_what_the_fixture_says():
    assert SEED.read_text(encoding="utf-8").startswith("鲍秀英讲话 12")


# Hostile pieces: controls, bidi marks, odd spaces, surrogate-free astral characters, markup of
# every kind, entities, and boilerplate words.
_HOSTILE = st.sampled_from(["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u200b", "\u200e",
                            "\u202e", "\u2067", "\u061c", "\ufeff", "\u00a0", "\u3000", "\t", "\r", "\r\n",
                            "😀", "𠀀", "\ue000", "\ufffd", "<b>", "</p>", "<font name='x'>", "<para>",
                            "<script>x</script>", "<br/>", "&amp;", "&lt;", "&#x41;", "&#12290;", "&nbsp;", "&bogus;",
                            "**", "# ", "\\textbf{", "}", "$", "<![CDATA[", "]]>", "<?xml?>", "{{", "%s"])
HOSTILE_SPEECHES = st.lists(st.one_of(_PIECES, _HOSTILE), min_size=1, max_size=120).map("".join)


@settings(max_examples=int(os.environ.get("SPEECHPUB_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(HOSTILE_SPEECHES)
def test_property_hostile_text_is_cleaned_idempotently_and_loses_nothing(raw):
    try:
        doc = from_text(raw)
    except SpeechpubError:
        return
    text = doc.text()
    assert from_text(text).text() == text
    assert "".join(HAN.findall(text)) == unremoved_hanzi(raw, doc)
    assert all(b.text and "\n" not in b.text for b in doc.blocks)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", text)


@settings(max_examples=int(os.environ.get("SPEECHPUB_EXAMPLES", 300)), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.text(max_size=200).map(lambda t: t.encode("utf-8")),
                 st.text(max_size=100).map(lambda t: t.encode("gb18030")),
                 st.text(max_size=100).map(lambda t: t.encode("utf-16"))))
def test_property_read_clean_parse_never_raise_anything_else(data):
    """Any bytes at all: a Document or a SpeechpubError, nothing else (what the fuzzer checks)."""
    from speechpub.pipeline import from_source
    from speechpub.read import decode
    try:
        doc = from_source(decode(data, "x.txt"), "x.txt")
    except SpeechpubError as e:
        assert e.path == "x.txt" and e.message
        return
    assert all(b.text and "\n" not in b.text for b in doc.blocks)


_PUNCT_ALPHABET = "中国人民的发展年月日〇一二三九○O0Ｏ零１２Ａａ 　\t,.;:?!，。；：？！()（）-—―－…\"'“”ab12/%"


@settings(max_examples=600, deadline=None)
@given(st.lists(st.text(alphabet=_PUNCT_ALPHABET, min_size=1, max_size=30), min_size=1, max_size=4))
def test_punctuation_trigger_names_every_line_the_punctuation_rules_change(texts):
    """The punctuation rules run only on lines PUNCTUATION_TRIGGER matches (in the punctuation
    rule and in rejoin_split_paragraphs' view): every other line must come out of them as it
    went in, and lines do not affect each other."""
    from speechpub.clean.base import Context, Line, settle
    from speechpub.clean.chars import PUNCTUATION, PUNCTUATION_TRIGGER
    lines = [Line(t, i) for i, t in enumerate(texts, 1)]
    for skip in (frozenset({"quotes"}), frozenset()):       # rejoin's view; the punctuation rule
        together = [x.text for x in settle(PUNCTUATION, lines, Context(), skip)]
        alone = [settle(PUNCTUATION, [x], Context(), skip)[0].text for x in lines]
        assert together == alone
        for t, out in zip(texts, alone):
            if not PUNCTUATION_TRIGGER.search(t):
                assert out == t


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_PUNCT_ALPHABET, min_size=1, max_size=30))
def test_a_punctuation_pass_that_keeps_a_line_records_nothing(text):
    """The punctuation group's later passes run only on the lines the last pass changed
    (base.settle_some): a pass that leaves a line's text as it is must record no change on it."""
    from speechpub.clean.base import Context, Line
    from speechpub.clean.chars import PUNCTUATION
    for skip in (frozenset({"quotes"}), frozenset()):
        ctx, lines = Context(), [Line(text, 1)]
        for name, rule in PUNCTUATION:
            if name not in skip:
                lines = rule(lines, ctx)
        if lines[0].text == text:
            assert ctx.changes == []


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=_PUNCT_ALPHABET, min_size=1, max_size=30))
def test_a_punctuation_rule_leaves_a_line_without_what_it_needs_as_it_is(text):
    """chars.PUNCTUATION_NEEDS: a rule changes and records nothing in a line where its pattern
    finds nothing (PUNCTUATION_TRIGGER and base.settle_some rely on it)."""
    from speechpub.clean.base import Context, Line
    from speechpub.clean.chars import PUNCTUATION, PUNCTUATION_NEEDS
    assert PUNCTUATION_NEEDS.keys() == {name for name, _ in PUNCTUATION}
    for name, rule in PUNCTUATION:
        if not PUNCTUATION_NEEDS[name].search(text):
            ctx = Context()
            assert [x.text for x in rule([Line(text, 1)], ctx)] == [text] and not ctx.changes, name


def _triggers():
    from speechpub.clean import boilerplate, chars, markup, news, tails
    return [(m.__name__, i, rx, trigger) for m in (boilerplate, chars, markup, news, tails)
            for i, (rx, trigger) in enumerate(m.TRIGGERS)]


@pytest.mark.parametrize("name,i,rx,trigger", _triggers())
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_a_trigger_finds_something_in_every_match_of_its_pattern(name, i, rx, trigger, data):
    """A rule that scans only the lines its trigger finds something in (a cheap test before a slow
    pattern) must lose no match: every text the pattern matches holds what the trigger looks for."""
    text = data.draw(st.from_regex(rx))
    assert rx.search(text)
    assert trigger.search(text), (name, i, text)


def test_invisible_chars_looks_at_every_line_with_either_kind():
    from speechpub.clean.chars import _HIDDEN, _INVISIBLE, _ODD_SPACE
    every = [chr(i) for i in range(0x10000)]
    assert [c for c in every if _HIDDEN.match(c)] == [c for c in every if _INVISIBLE.match(c) or _ODD_SPACE.match(c)]


def test_diagnose_passes_over_plain_characters_only_when_none_is_unknown():
    """diagnose skips the runs chars.PLAIN matches: no character there may be an unknown one."""
    from speechpub.clean.chars import PLAIN, unknown_char
    plain = [c for c in map(chr, range(0x110000)) if not 0xd800 <= ord(c) <= 0xdfff and PLAIN.fullmatch(c)]
    assert len(plain) > 20000
    assert not [c for c in plain if unknown_char(c)]


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_split_indented_runs_looks_at_every_line_a_run_can_split(data):
    """split_indented_runs splits only lines layout.spaced_inside finds a space inside."""
    from speechpub.clean.layout import _INDENT_RUN, spaced_inside
    text = data.draw(st.from_regex(_INDENT_RUN))
    assert spaced_inside(text), text


# The punctuation patterns as they were written first, each with its look-behind in front.
_LOOK_BEHIND_FIRST = {
    "_DOTS": r"\.{3,}|。{3,}|…{3,}|(?<!…)…(?!…)",
    "_DASHES": r"-{2,}|―{1,2}|－{2}|(?<!—)—(?!—)",
    "_LONE_PAREN": r"(?<={H})\(|\((?={H})|(?<={H})\)|\)(?={H})",
    "_LIST_DOT": r"(?<={H})[.．](?={H})",
    "_SENT_DOT": r"(?<={H})\.(?=$|[”’」』）\s])|(?<=[”’」』\"'])\.(?=$|\s)",
    "_LOST_MARK": "(?:^|(?<=[、，（(）)\u3000]))[?？]|[?？](?=[。，、])|(?<={H})\\?(?={H})",
}


@pytest.mark.parametrize("name", sorted(_LOOK_BEHIND_FIRST))
@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet="中国人民发展好的年一二〇a1 \t\u3000.．…—―－-()（）“”\"'’」』?？、，。", max_size=25))
def test_a_mark_first_pattern_matches_where_its_look_behind_first_form_does(name, text):
    """chars puts the mark before the look-behind (fast to scan); the matches must be the same."""
    from speechpub.clean import chars
    from speechpub.patterns import HAN
    new = getattr(chars, name)
    old = re.compile(_LOOK_BEHIND_FIRST[name].replace("{H}", f"[{HAN}]"))
    assert [(m.span(), m.groups()) for m in new.finditer(text)] == [(m.span(), m.groups()) for m in old.finditer(text)]


# ---- script detection: what OpenCC says of each character, remembered per process -----------

_MIXED = "们們国國说說发發台臺里裡后後干幹面麵学學习習经經济濟会會议議这這个個了中人大小的"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=_MIXED, max_size=40), min_size=1, max_size=4))
def test_script_detection_is_what_opencc_says_of_each_character(texts):
    """Texts detected one after another (a batch worker's speeches) count the same simplified-
    only and traditional-only characters as OpenCC says of each character alone."""
    from collections import Counter
    from speechpub.clean import script
    from speechpub.hanzi import converter
    for text in texts:
        simp, trad = script.detect(text)
        want_s, want_t = Counter(), Counter()
        for c in text:
            if c in script.AMBIGUOUS:
                continue
            t, s = converter("s2t").convert(c), converter("t2s").convert(c)
            if t != c and s == c:
                want_s[c] += 1
            elif s != c and t == c:
                want_t[c] += 1
        assert (simp, trad) == (want_s, want_t)

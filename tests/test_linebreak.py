"""The Chinese line breaker on its own: rules of clreq / GB/T 15834 and the grid."""
from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from speechpub.typeset.linebreak import NO_END, NO_START, balanced, break_lines, can_break, groups, layout, units

EM = 16.0


def adv(text: str) -> list[float]:
    """Test widths: wide characters one em, the rest half an em."""
    return [EM if unicodedata.east_asian_width(c) in "WF" or c in "“”‘’…—" else EM / 2 for c in text]


def lines_of(text: str, chars: int = 10, first: int | None = None) -> list[str]:
    widths = [EM * (first if first is not None else chars), EM * chars]
    return [text[s:e] for s, e in break_lines(text, adv(text), widths, EM)]


def test_plain_text_fills_lines():
    assert lines_of("一二三四五六七八九十" * 3) == ["一二三四五六七八九十"] * 3


def test_closing_mark_pulls_previous_character_down():
    # the comma would start line 2: 十 goes down with it, line 1 keeps 9 characters
    assert lines_of("一二三四五六七八九十，一") == ["一二三四五六七八九", "十，一"]


def test_opening_mark_never_ends_a_line():
    assert lines_of("一二三四五六七八九《十一》") == ["一二三四五六七八九", "《十一》"]


def test_adjacent_marks_compress_instead_of_overflowing():
    # 8 characters + 。”」 = 11 cells: 。 and ” lose half a cell each, so 10 cells hold them
    text = "一二三四五六七八。”」好"
    assert lines_of(text) == ["一二三四五六七八。”」", "好"]
    first = layout(text, adv(text), [EM * 10], EM)[0]
    assert first.width <= EM * 10 + 1e-6
    assert first.xs[-2:] == (EM * 8.5, EM * 9)


def test_ellipsis_and_dash_never_split():
    for mark in ("……", "——"):
        text = "一二三四五六七八九" + mark + "十"
        out = lines_of(text)
        assert all(not ln.startswith(mark[0]) or ln.startswith(mark) for ln in out)
        assert any(mark in ln for ln in out)


def test_digits_and_latin_words_never_split():
    text = "一二三四五六七2011年增长3.5%，GDP和COVID-19的数据"
    sample = "COVID-19年3.5%"
    assert [sample[s:e] for s, e in units(sample)] == ["COVID-19", "年", "3.5", "%"]
    for chars in range(6, 12):
        spans = break_lines(text, adv(text), [EM * chars], EM)
        for word in ("2011", "3.5", "GDP", "COVID-19"):
            i = text.index(word)
            assert any(s <= i and i + len(word) <= e for s, e in spans), (chars, word)


def test_groups_glue_marks_to_their_neighbours():
    assert [("（2011年）《人民日报》")[s:e] for s, e in groups("（2011年）《人民日报》")] == \
        ["（2011", "年）", "《人", "民", "日", "报》"]


def test_justified_lines_reach_both_edges_and_last_line_is_flush_left():
    text = "一二三四五六七八九，十一二三四五"
    out = layout(text, adv(text), [EM * 10], EM)
    assert abs(out[0].width - EM * 10) < 1e-6          # pulled-down line stretched to the edge
    assert out[-1].last and out[-1].xs == tuple(EM * i for i in range(len(out[-1].xs)))


def test_stretch_cap_leaves_a_short_line_instead_of_wide_gaps():
    text = "一二三四五六七八（PM2.5）"
    out = layout(text, adv(text), [EM * 10], EM, max_stretch=0.1 * EM)
    gaps = [b - a - EM for a, b in zip(out[0].xs, out[0].xs[1:])]
    assert max(gaps) <= 0.1 * EM + 1e-6


def test_first_line_width_is_separate():
    text = "一二三四五六七八九十" * 2
    assert [len(x) for x in lines_of(text, 10, first=8)] == [8, 10, 2]


def test_balanced_title_lines():
    title = "关于进一步加强和改进新时代区政府班子建设工作的讲话"
    out = balanced(title, adv(title), EM * 20, EM)
    assert len(out) == 2
    assert abs((out[0].end - out[0].start) - (out[1].end - out[1].start)) <= 1


# -- properties -------------------------------------------------------------------------------

ALPHABET = list("中文排版规则的测试字一二三") + list("，。、；：？！）》」”’") + list("（《「“‘") \
    + list("0123456789") + list("abcXYZ") + ["……", "——", " "]
texts = st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(min_value=6, max_value=30), st.integers(min_value=0, max_value=2))
def test_properties(text, chars, indent):
    widths = [EM * (chars - indent), EM * chars]
    a = adv(text)
    # only texts whose unbreakable groups fit a line: a longer group has to be cut somewhere
    assume(all(sum(a[s:e]) <= EM * (chars - indent) for s, e in groups(text)))
    out = layout(text, a, widths, EM, max_stretch=0.2 * EM)
    assert "".join(text[ln.start:ln.end] for ln in out) == text
    for k, ln in enumerate(out):
        avail = widths[min(k, 1)]
        assert ln.width <= avail + 1e-6, "never wider than the line"
        assert all(x2 >= x1 for x1, x2 in zip(ln.xs, ln.xs[1:]))
        s = text[ln.start:ln.end]
        if k > 0:
            assert s[0] not in NO_START and not s[0].isspace(), f"line starts with {s[0]!r}"
        if not ln.last:
            assert s[-1] not in NO_END, f"line ends with {s[-1]!r}"
    for s, e in units(text):   # no unit (word, number, ……) is split between lines
        assert any(ln.start <= s and e <= ln.end for ln in out)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_groups_end_exactly_where_a_line_may_break(text):
    spans = groups(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), "contiguous"
    ends = {e for _, e in spans}
    for _, e in units(text)[:-1]:        # every boundary between units
        assert (e in ends) == can_break(text, e), (text[:e], text[e:])


def test_word_longer_than_a_line_is_cut_without_overflow():
    text = "见https://www.gov.cn/zhengce/content/2026-01/28/content_1234567.htm网页"
    a = adv(text)
    out = layout(text, a, [EM * 10], EM)
    assert "".join(text[ln.start:ln.end] for ln in out) == text
    assert all(ln.width <= EM * 10 + 1e-6 for ln in out)

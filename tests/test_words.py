"""Word boundaries for breaking titles (GB/T 9704 7.3.1: words stay whole)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from speechpub.typeset.linebreak import balanced
from speechpub.typeset.words import boundaries, segment


def test_titles_segment_into_their_words():
    assert segment("关于进一步加强和改进新时代区政府班子建设工作的讲话") == \
        ["关于", "进一步", "加强", "和", "改进", "新时代", "区政府", "班子", "建设", "工作", "的", "讲话"]
    assert segment("全国人民代表大会常务委员会关于教师节的决定")[:3] == ["全国人民代表大会", "常务委员会", "关于"]
    # words of official speeches that jieba's dictionary lacks (data/words-extra.txt)
    assert "高质量发展" in segment("推进高质量发展") and "十四五" in segment("十四五时期")


def test_boundaries_fall_between_words_only():
    text = "在区长办公会上的讲话"
    cuts = boundaries(text)
    assert 1 in cuts                        # 在 | 区长
    assert 4 not in cuts and 5 not in cuts  # inside 办公会
    assert 7 not in cuts                    # 的 stays with the word before it
    assert boundaries("2026年GDP") == frozenset(range(1, 8))    # outside hanzi: anywhere


def test_traditional_text_breaks_like_its_simplified_form():
    assert boundaries("關於進一步加強新時代區政府班子建設的講話") == boundaries("关于进一步加强新时代区政府班子建设的讲话")


HANZI = st.text(st.sampled_from("关于进一步加强和改进新时代区政府领导班子思想政治建设作风工作的讲话在全省会议上"),
                min_size=21, max_size=60)


@settings(max_examples=200, deadline=None)
@given(HANZI)
def test_balanced_title_lines_end_between_words(title):
    em, width = 22.0, 22.0 * 20
    cuts = boundaries(title)
    lines = balanced(title, [em] * len(title), width, em, cuts)
    assert "".join(title[ln.start:ln.end] for ln in lines) == title
    assert all(ln.width <= width + 1e-6 for ln in lines)
    plain = len(balanced(title, [em] * len(title), width, em))
    if len(lines) <= plain + 1 and all(ln.end in cuts for ln in lines[:-1]):
        return
    # no way to set it between words in one more line than the plain layout: plain lines
    assert [(ln.start, ln.end) for ln in lines] == \
        [(ln.start, ln.end) for ln in balanced(title, [em] * len(title), width, em)]


def test_without_the_word_list_titles_break_anywhere(monkeypatch):
    from speechpub.typeset import words
    monkeypatch.setattr(words.resources, "files", lambda _: __import__("pathlib").Path("/nonexistent"))
    words._dictionary.cache_clear()
    try:
        assert words.boundaries("高质量发展") == frozenset(range(1, 5))
    finally:
        words._dictionary.cache_clear()


MIXED = st.text(st.sampled_from(list("关于进一步加强和改进新时代区政府领导班子的讲话在全省会议上") +
                                list("，。、：“”《》（）——…") + list("2026GDP.% ")), min_size=1, max_size=120)


@settings(max_examples=300, deadline=None)
@given(MIXED, st.integers(min_value=4, max_value=24))
def test_balanced_titles_of_any_text_keep_every_character_and_fit(title, chars):
    em = 22.0
    adv = [em if ord(c) > 0x2000 else em / 2 for c in title]
    lines = balanced(title, adv, em * chars, em, boundaries(title))
    assert "".join(title[ln.start:ln.end] for ln in lines) == title
    assert all(ln.width <= em * chars + 1e-6 for ln in lines if ln.end - ln.start > 1)

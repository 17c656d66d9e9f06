"""Inputs that once crashed, hung or slowed speechpub, inlined as bytes, each with its fix.

Findings of tests/fuzz/fuzz_pipeline.py (atheris) go here too: paste the crash file's bytes
into FUZZ_FINDINGS with a note, fix the bug, and keep the case.
"""
from __future__ import annotations

import os
import re
import time

import pytest

from speechpub.errors import SpeechpubError
from speechpub.pipeline import from_source, from_text
from speechpub.read import decode, read_file

# (note, input): each must give a Document or a SpeechpubError, never another exception.
# The fuzzer's runs so far (see the issue 7 report) found no crash; the cases below are
# the shapes it and the bad-input suite were seeded with that exercise the error paths.
FUZZ_FINDINGS: list[tuple[str, bytes]] = [
    ("UTF-16 BOM then a lone high surrogate", b"\xff\xfe\x00\xd8A\x00"),
    ("CESU-8 surrogate pair in a short text", "讲话\n".encode() + b"\xed\xa0\xbd\xed\xb8\x80"),
    ("UTF-8 BOM and nothing else", b"\xef\xbb\xbf"),
    ("only an entity that decodes to a control", b"&#0;&#x1F;&#127;"),
    ("a tag split across lines", b"<p\n>\xe5\x90\x8c</\np>"),
    ("an opening bracket alone on many lines", "（\n".encode() * 50),
]


@pytest.mark.parametrize("note, data", FUZZ_FINDINGS, ids=[n for n, _ in FUZZ_FINDINGS])
def test_fuzz_finding(note, data):
    try:
        doc = from_source(decode(data, "f.txt"), "f.txt")
    except SpeechpubError as e:
        assert e.path == "f.txt"
        return
    assert all(b.text and "\n" not in b.text for b in doc.blocks)


# Found by the fuzzer with FUZZ_IDEMPOTENT=1 (a cleaned text that cleans to something else),
# minimised; (note, input).
IDEMPOTENCY_FINDINGS: list[tuple[str, bytes]] = [
    ("page title removed from between two halves of a split paragraph",
     ":3\n省长王予波\n026-02-0南省第十四届人民代表大会第四次会议上\n省长\u3000王予波".encode()),
    ("a removed page title moves another into the header window",
     "话\n页\n闻\n闻\n政府工作报告\n页\n闻\n闻\n政府工作报告\n页\n0\n上\n省长王予波\n省长\u3000王予波".encode()),
    ("four page titles, each moving the next into the header window",
     "话\n页\n云\n闻\n政府工作报告\n页\n闻\n云\n政府工作报告\n页\n闻\n闻\n政府工作报告\n2026-02\ufffd南省第十四届"
     "人民代表大会第四次会议上\n省长王予波\n:\n政府工作报告\n省长\u3000王予波".encode()),
    ("page titles found one per chain as rejoined lines expose the next",
     "务\n。\n顾\n:\n提\n一\n,\n公会上的讲话\n'\n二○一一年十\n:\n,\n公会上的讲话\n'\n)○一一年十\n:\n1\n顾\n%\n"
     "公会上的讲话\n'\n二○一一年十\n:\n。\n顾\n望\n话\n'\n二○一一年十\n:\n今\n公会上的讲话\n'\n)○一一年十".encode()),
    ("script unified on the first chain, before page titles went: a second cleaning unified more",
     '区开区长办会,刚鲍讲话鲍区长区长会讲话\n'
     '二○一一日)\n'
     '们:\n'
     '区开区长办会刚线诚见结协这摊实结组对区馈见强设点们\n'
     '風区开区长办会刚线关认实时关岁们区关岁们区标区区担压们无选标务认对补这难缘诚见结协这摊实结组对区馈见强设\n'
     '二○一一日)\n'
     '们\n'
     '区开区长办会刚诚见结协这摊实结组对区馈见强设点\n'
     '二\n'
     '们\n'
     '区开区长办会刚线关认实时关岁们区区标务认对补\n'
     '线关认实时关岁们区区标务认对奋发补\n'
     '进头这难缘诚见结实实业绩报协这摊廬区区标务认对补这难缘诚见结协这摊实结组对区馈见强设点鲍区长区长办会讲话区开区长办会刚线诚见结协这摊实结无选标务认对补这难缘诚见结协这摊实结组对区馈见强设点\n'
     '鲍代区长在区长办公会上的讲话\n'
     '区开区长办会刚诚见结协这摊实结组对区馈见强设几点\n'
     '鲍代区长在区长办公会上的讲话\n'
     '谋发们实结姍'.encode()),
    ("the title repeated at the end twice", "x捏[\nx捏[\nx捏[\nx捏[".encode()),
    ("punctuation rules that needed more than four passes to settle", "、! ! !--!--".encode()),
    ("a page title in traditional characters, found only once converted", "這個长在区長办公\n长在区长办公".encode()),
    ("a removed page title makes the next line the first, which unglue_title then splits",
     "鲍秀英代区长\n公会上的讲话(一月二十一日):\n鲍秀英代区长".encode()),
]


@pytest.mark.parametrize("note, data", IDEMPOTENCY_FINDINGS, ids=[n for n, _ in IDEMPOTENCY_FINDINGS])
def test_idempotency_finding(note, data):
    doc = from_source(decode(data, "f.txt"), "f.txt")
    assert from_text(doc.text()).text() == doc.text()


def test_100000_tiny_paragraphs_parse_in_linear_time():
    """parse looked for a salutation among all earlier blocks for every block: 100,000
    paragraphs took minutes. Now about 5 s; the bound leaves room for a slow machine."""
    start = time.perf_counter()
    doc = from_text("某某在会议上的讲话\n" + "好。\n\n" * 100_000)
    assert len(doc.blocks) == 100_001
    assert time.perf_counter() - start < 60


def test_pdf_pagination_is_linear_in_the_number_of_blocks():
    """paginate asked any(groups[gi + 1:]) for every group: 64,000 short paragraphs took 14 s
    in pagination alone; 200,000 groups would take minutes. Now well under a second."""
    from speechpub.render.pdf.layout import Row, paginate
    groups = [[Row(text="好。")] for _ in range(200_000)]
    start = time.perf_counter()
    pages = paginate(groups, 22)
    assert sum(len(p) for p in pages) == 200_000
    assert time.perf_counter() - start < 20


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_not_read(tmp_path):
    """Reading a FIFO called x.txt blocked forever."""
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    with pytest.raises(SpeechpubError, match="named pipe"):
        read_file(fifo)


def test_big5_with_replacement_marks_is_not_read_as_gb18030_private_use():
    """Big5 text with '?' for what Big5 lacks was decoded as GB18030, full of private-use
    characters (mojibake that no font can draw)."""
    text = "某某在全区工作会议上的讲话\n同志们：\n今天开会，研究工作。\n谢谢大家。\n"
    src = decode(text.encode("big5", errors="replace"), "x.txt")
    assert src.encoding == "big5" and src.text.startswith("某某在全?工作??上的??")
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in src.text)


def test_arabic_letter_mark_is_an_invisible_control():
    """U+061C, a bidi mark, stayed in the text (the PDF drew it as a hollow box)."""
    doc = from_text("某某的讲话\n同志们：\n今天\u061c开会\u180e。\n")
    assert "今天开会。" in doc.text()
    assert any(c.rule == "invisible_chars" and c.before == "\u061c" for c in doc.changes)


def test_the_fuzz_target_runs(tmp_path):
    """tests/fuzz/fuzz_pipeline.py seeds an empty corpus from the fixtures and fuzzes a little."""
    pytest.importorskip("atheris")
    import subprocess
    import sys
    from pathlib import Path
    script = Path(__file__).parent / "fuzz" / "fuzz_pipeline.py"
    corpus = tmp_path / "corpus"
    r = subprocess.run([sys.executable, str(script), "-runs=300", "-seed=1", str(corpus)],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    # libFuzzer checks -runs between mutation rounds, so it may end a few runs past it
    done = re.search(r"^Done (\d+) runs", r.stderr, re.M)
    assert done and int(done.group(1)) >= 300, r.stderr[-2000:]
    assert len(list(corpus.iterdir())) >= 7


def test_equal_length_paragraphs_are_not_taken_for_hard_wrapped_text():
    """Cleaned text (one paragraph per line, two of them 20 characters long) was joined by
    join_hard_wrapped on a second cleaning."""
    doc = from_text("\ufffd\r宁夏都有施展才干、创业兴业的广阔舞台。\n升行动，更好赋能千行百业、造福千家万户。\n五")
    assert from_text(doc.text()).text() == doc.text()


def test_markup_with_angle_brackets_is_no_breadcrumb():
    """<para><para>我 split on its > looked like a three-crumb trail when cleaned a second time."""
    text = from_text("同志们：<para><para>我").text()
    assert from_text(text).text() == text


_BODY = ("这是第一段内容，我们要认真贯彻落实各项部署，坚持稳中求进工作总基调，推动高质量发展取得新成效，"
         "确保完成全年目标任务，这是一项重要任务，必须抓紧抓好抓实。")


@pytest.mark.parametrize("tail", [["我用一句古诗与大家共勉", "诗曰：长风破浪会有时", "直挂云帆济沧海"],
                                  ["多謝各位。", "Thank you."], ["最后，祝大家", "2024年新年快乐"],
                                  ["让我们共同期待", "2035"]])
def test_closing_lines_that_look_like_a_footer_stay(tail):
    """A review found these going as page footer: a quotation with a colon, an English sentence,
    a line with a year, a number alone."""
    doc = from_text("\n".join(["在全市工作会议上的讲话", "同志们：", _BODY, *tail]), "t.txt")
    assert doc.text().splitlines()[-len(tail):] == tail


def test_speech_lines_opening_with_years_keep_them():
    lines = [f"{y} 年，我们完成了各项任务，经济社会发展取得新成效。" for y in range(2019, 2024)]
    doc = from_text("\n".join(["在全市工作会议上的讲话", *lines]), "y.txt")
    assert [b.text for b in doc.blocks[1:]] == lines or all(y in doc.text() for y in map(str, range(2019, 2024)))


def test_section_numbers_over_headings_are_no_page_numbers():
    parts = ["在全市工作会议上的讲话", "市长 张三", "同志们：", _BODY]
    for n, head in enumerate(["坚持党的领导", "坚持以人民为中心", "坚持改革创新"], start=1):
        parts += [str(n), head, _BODY * 3]
    doc = from_text("\n".join(parts), "s.txt")
    assert not [r for r in doc.removed if r.reason == "page number"]


@pytest.mark.parametrize("lines,title", [
    (["关于进一步加强", "基层治理工作的讲话", "（2023年5月6日）"], "关于进一步加强基层治理工作的讲话"),
    (["凝心聚力 奋勇争先 开创新局", "——在全市工作会议上的讲话", "（2023年5月6日）"], "凝心聚力　奋勇争先　开创新局")])
def test_titles_the_review_saw_lost(lines, title):
    doc = from_text("\n".join([*lines, "同志们：", _BODY]), "t.txt")
    assert doc.meta.title == title and not doc.removed


def test_a_dated_label_line_inside_the_speech_stays():
    line = "2023年5月6日 时间：上午九时召开全体会议"
    body = [_BODY.replace("第一段", f"第{k}段") for k in range(10)]
    doc = from_text("\n".join(["在全市工作会议上的讲话", "同志们：", *body[:5], line, *body[5:]]), "d.txt")
    assert "时间：上午九时召开全体会议" in doc.text()
    assert not [r for r in doc.removed if r.reason == "page publish date"]

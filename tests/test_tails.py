"""What a page prints after the speech (site footers, news and WeChat tails) and a PDF's
pagination (page numbers, running headers): generated variants of each shape, with speech lines
that look like them and must stay. Expected values come from the generated speech, never from
the tool's own output."""
import random

import pytest

from speechpub.clean import clean
from speechpub.pipeline import from_text

SUBJECTS = ["全县上下", "各级党组织", "各部门", "广大党员干部", "各乡镇", "市直各单位"]
VERBS = ["坚持稳中求进工作总基调", "扎实推进重点项目建设", "持续优化营商环境", "切实保障和改善民生",
         "统筹发展和安全", "深化放管服改革", "加强基层治理能力建设", "巩固拓展脱贫攻坚成果"]
TAILS = ["确保各项任务落到实处", "推动经济社会高质量发展", "不断增强群众的获得感", "奋力开创新局面"]


def sentence(rng) -> str:
    return f"{rng.choice(SUBJECTS)}要{rng.choice(VERBS)}，{rng.choice(VERBS)}，{rng.choice(TAILS)}。"


def speech(rng, paragraphs: int = 8):
    """(head lines, body paragraphs): a titled speech whose body ends with a closing sentence."""
    head = ["在全县经济工作会议上的讲话", "县委书记　刘建国", "（2023年12月27日）", "同志们："]
    body = ["".join(sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(paragraphs)]
    body.append("同志们，让我们在县委的坚强领导下，振奋精神、真抓实干，奋力开创全县高质量发展新局面！")
    return head, body


def han(text: str) -> str:
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff")


# ---- site footers and news tails after the speech -------------------------------------------

ORGS = ["丰溪县人民政府办公室", "南湖区大数据管理中心", "湘西南网络科技有限公司", "江西省水利信息中心"]
PROVINCES = "皖苏赣湘滇浙鲁"


def footer_lines(rng) -> list[str]:
    """One footer, its lines drawn from the shapes sites use, in a random order and number."""
    p = rng.choice(PROVINCES)
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    shapes = [
        f"主办单位：{rng.choice(ORGS)}　承办单位：{rng.choice(ORGS)}",
        f"{rng.choice(['主办', '版权所有', '技术支持', '编辑', '审核', '来源'])}：{rng.choice(ORGS)}",
        f"网站标识码：{digits[:6]}{rng.randint(1000, 9999)}",
        f"{p}ICP备{digits}号-{rng.randint(1, 3)}",
        f"{p}公网安备 {digits}{rng.randint(100, 999)}号",
        f"联系电话：0745-{digits[:7]}　传真：0745-{digits[1:8]}",
        " | ".join(rng.sample(["网站地图", "联系我们", "隐私声明", "使用帮助", "关于本站"], 3)),
        f"您是本站第 {rng.randint(10000, 9999999)} 位访客",
        f"阅读 {rng.randint(100, 99999)}",
        f"（责编：{rng.choice(['王蕊', '刘洋', '李昉'])}、{rng.choice(['张晓', '王欲然'])}）",
        rng.choice(["- END -", "—— END ——", "END"]),
        f"▶ {rng.choice(ORGS)}召开{rng.choice(['常委会会议', '专题会议', '调度会'])}",
    ]
    lines = rng.sample(shapes, rng.randint(2, 6))
    # a short plain line (a section label, a call to act) among them: it goes with the chrome
    lines.insert(rng.randint(1, len(lines)), rng.choice(["往期推荐", "长按二维码关注我们", "阅读原文", "欢迎分享"]))
    return lines


@pytest.mark.parametrize("seed", range(12))
def test_site_footer_after_the_speech_goes(seed):
    rng = random.Random(seed)
    head, body = speech(rng)
    footer = footer_lines(rng)
    doc = from_text("\n".join(head + body + footer))
    assert "truncated" not in {w.code for w in doc.warnings}
    assert doc.blocks[-1].text == body[-1]                         # the closing block is the speech's
    removed = {r.text for r in doc.removed}
    for line in footer:
        assert line not in doc.text()
        assert line.strip() in removed or any(line in r for r in removed), line    # each one audited
    assert han("".join(body)) in han(doc.text())                  # nothing of the speech lost


@pytest.mark.parametrize("seed", range(8))
def test_short_speech_after_the_end_stays(seed):
    """谢谢大家！, a note, a date and a signature after the last long sentence are speech."""
    rng = random.Random(seed)
    head, body = speech(rng)
    after = rng.choice([["谢谢大家！"], ["谢谢！"], ["注：本文根据会议讲话录音整理"],
                        ["（本文根据录音整理，有删节）"], ["中共丰溪县委", "2023年7月1日"],
                        ["丰溪县人民政府", "二〇二三年七月一日"], ["此致", "敬礼！", "丰溪县人民政府"]])
    footer = footer_lines(rng) if seed % 2 else []
    doc = from_text("\n".join(head + body + after + footer))
    text = doc.text()
    for line in after:
        assert han(line) in han(text), line
    for line in footer:
        assert line not in text


@pytest.mark.parametrize("seed", range(6))
def test_a_page_date_under_the_footer_goes(seed):
    """The page's date as the very last line, under footer lines: it goes with them; a date
    under a signature (no footer line after it) stays (test above)."""
    rng = random.Random(seed)
    head, body = speech(rng)
    footer = footer_lines(rng) + [rng.choice(["2023年10月25日", "2023-10-25", "（2023年10月25日）"])]
    doc = from_text("\n".join(head + body + footer))
    assert doc.blocks[-1].text == body[-1]
    assert "truncated" not in {w.code for w in doc.warnings}


def test_speech_without_footer_is_left_as_it_is():
    for seed in range(6):
        head, body = speech(random.Random(seed))
        text = "\n".join(head + body + ["谢谢大家！"])
        assert clean(text).lines == clean(text, skip=("page_footer",)).lines


def test_label_lines_inside_the_speech_stay():
    """A 主要任务： line in the body and a short line before the last paragraph are speech."""
    head, body = speech(random.Random(3))
    body[2:2] = ["主要任务：稳增长、促改革、调结构", "三年行动计划"]
    doc = from_text("\n".join(head + body + ["网站地图 | 联系我们 | 隐私声明"]))
    assert "主要任务：稳增长、促改革、调结构" in doc.text()
    assert "三年行动计划" in doc.text()
    assert "网站地图" not in doc.text()


# ---- PDF pagination ---------------------------------------------------------------------------

STYLES = {
    "dashes": lambda n, m: f"- {n} -",
    "em dashes": lambda n, m: f"— {n} —",
    "full-width": lambda n, m: f"－{n}－",
    "page of": lambda n, m: f"第 {n} 页 共 {m} 页",
    "page slash": lambda n, m: f"第{n}页/共{m}页",
    "fraction": lambda n, m: f"{n}/{m}",
    "bare": lambda n, m: f"{n}",
}
HEADERS = ["", "吴建平同志在全县安全生产工作会议上的讲话", "2023年全市教育工作会议材料之二", "内部资料　注意保存"]


def pdf_text(head, body, style, header, per_page, width, blank, header_on_top):
    """The speech as a PDF copy: paragraphs indented and wrapped at `width`, a page number (and
    the running header) every `per_page` lines, centred with spaces."""
    lines = []
    for p in body:
        p, k = "\u3000\u3000" + p, 0
        while k < len(p):
            w = width - 1 if p[k + width - 1:k + width] == "。" and k + width < len(p) else width
            lines.append(p[k:k + w])      # a wrapped line ending in 。 would end the paragraph
            k += w
    pages = [lines[k:k + per_page] for k in range(0, len(lines), per_page)]
    m = len(pages)
    out = ([header] if header and header_on_top else []) + head
    for n, page in enumerate(pages, start=1):
        if n > 1 and header:
            out.append(header)
        out += page
        out += ([""] if blank else []) + [" " * 30 + STYLES[style](n, m)] + ([""] if blank else [])
    return "\n".join(out), m


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("seed", range(4))
def test_page_numbers_and_running_headers_go(style, seed):
    rng = random.Random(seed)
    head, body = speech(rng, paragraphs=rng.randint(8, 14))
    header = HEADERS[seed % len(HEADERS)]
    text, pages = pdf_text(head, body, style, header, per_page=rng.randint(12, 16), width=rng.randint(28, 34),
                    blank=bool(seed % 2), header_on_top=seed % 3 == 0)
    doc = from_text(text)
    blocks = [b.text for b in doc.blocks]
    for p in body:                      # every paragraph whole again, the ones a page cut too
        assert p in blocks, p[:20]
    assert sum(1 for r in doc.removed if r.reason == "page number") == pages
    assert not any(b.strip().isdigit() or "页" in b for b in blocks)
    if header:
        assert header not in doc.text()
        assert all(r.text == header for r in doc.removed if r.reason == "running header")
    assert "truncated" not in {w.code for w in doc.warnings}


def test_numbered_sections_and_lone_numbers_stay():
    """01 / 02 / 03 over the sections (WeChat), items numbered 1 2 3 on lines of their own close
    together, and a short slogan closing the speech are speech."""
    head, body = speech(random.Random(5))
    sections = []
    for k, p in enumerate(body[:3], start=1):
        sections += [f"0{k}", p]
    listed = []
    for k, p in enumerate(["稳增长是今年经济工作的首要任务。", "促改革要在重点领域取得突破。"], start=1):
        listed += [str(k), p]
    text = "\n".join(head + sections + listed + body[3:] + ["撸起袖子加油干"])
    doc = from_text(text)
    blocks = [b.text for b in doc.blocks]
    for k in (1, 2, 3):
        assert f"0{k}" in blocks
    assert blocks[-1] == "撸起袖子加油干"
    assert not [r for r in doc.removed if r.reason in ("page number", "running header", "page footer")]


def test_a_sentence_cut_by_the_page_break_is_one_paragraph():
    text = "\n".join(["同志们：", "在肯定成绩的同时，我们也要清醒看到，城区学校“大班额”问题尚未", "", "— 1 —", "全市教育工作会议材料", "",
                      "完全解决，农村学校生源流失严重。我们要高度重视，认真加以解决，确保各项工作落到实处。",
                      "", "— 2 —", "全市教育工作会议材料", "", "要坚持立德树人，全面加强学校思想政治工作。",
                      "", "— 3 —"])
    doc = from_text(text)
    assert "城区学校“大班额”问题尚未完全解决，农村学校生源流失严重。" in doc.text()
    assert "全市教育工作会议材料" not in doc.text()
